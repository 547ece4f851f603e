package io.paycore.replay;

import io.paycore.codec.sbe.ConnectEncoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two journals compared record by record: where they part, and what each holds there.
 */
class JournalComparisonTest
{
    private static final long T0 = 1_796_581_800_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void shouldAgreeWhenOneJournalHoldsTheOthersRecordsAndMore()
    {
        final Path a = write("a", 3, 0, 0);
        final Path b = write("b", 5, 0, 0);

        final JournalComparison.Result result = JournalComparison.compare(a, b);

        assertTrue(result.agrees());
        assertEquals(1, result.firstSequence());
        assertEquals(3, result.lastSequenceA());
        assertEquals(5, result.lastSequenceB());
        assertEquals(3, result.lastCommonSequence());
        assertNull(result.recordA());
        assertTrue(JournalComparison.compare(b, a).agrees());
        assertTrue(JournalComparison.compare(a, a).agrees());
    }

    @Test
    void shouldNameTheFirstRecordWhoseTimestampDiffers()
    {
        final Path a = write("a", 6, 0, 0);
        final Path b = write("b", 6, 4, 0);

        final JournalComparison.Result result = JournalComparison.compare(a, b);

        assertFalse(result.agrees());
        assertEquals(4, result.firstDifference());
        assertEquals("timestamp", result.difference());
        assertEquals("MESSAGE CreateTransfers (correlation 4), 16 bytes, at 2026-12-06T18:30:00.000000003Z " +
            "(" + (T0 + 3) + " ns)", result.recordA());
        assertEquals("MESSAGE CreateTransfers (correlation 4), 16 bytes, at 2026-12-06T18:30:00.000001003Z " +
            "(" + (T0 + 1003) + " ns)", result.recordB());
        // The ends are counted past the difference.
        assertEquals(6, result.lastSequenceA());
        assertEquals(6, result.lastSequenceB());
    }

    @Test
    void shouldNameTheFirstByteOfAPayloadThatDiffers()
    {
        final Path a = write("a", 4, 0, 0);
        final Path b = write("b", 4, 0, 2);

        final JournalComparison.Result result = JournalComparison.compare(a, b);

        assertEquals(2, result.firstDifference());
        // The correlation id starts at byte 8; its low byte is where 2 and 1002 first differ.
        assertEquals("payload from byte 8", result.difference());
        assertTrue(result.recordB().startsWith("MESSAGE CreateTransfers (correlation 1002), 16 bytes"),
            result.recordB());
    }

    @Test
    void shouldTellATypeOrLengthThatDiffers()
    {
        final UnsafeBuffer message = message(1);
        assertEquals("type", JournalComparison.difference(
            RecordTypes.MESSAGE, T0, message, 0, 16, RecordTypes.TICK, T0, message, 0, 0));
        assertEquals("length", JournalComparison.difference(
            RecordTypes.MESSAGE, T0, message, 0, 16, RecordTypes.MESSAGE, T0, message, 0, 12));
        assertNull(JournalComparison.difference(
            RecordTypes.MESSAGE, T0, message, 0, 16, RecordTypes.MESSAGE, T0, message(1), 0, 16));
        assertEquals("TICK, 0 bytes, at 2026-12-06T18:30:00Z (" + T0 + " ns)",
            JournalComparison.describe(RecordTypes.TICK, T0, message, 0, 0));
    }

    @Test
    void shouldCompareFromTheLaterFirstRecordOfAnArchivedJournal()
    {
        // Records of 1 KiB in segments of 64 KiB: some 60 a segment.
        final Path a = write("a", 300, 0, 0, 1024);
        final Path b = write("b", 300, 250, 0, 1024);
        final JournalArchive.Result archived = JournalArchive.archive(a, temp.resolve("archive"), 200);
        assertTrue(archived.firstSequence() > 1, archived.toString());

        final JournalComparison.Result result = JournalComparison.compare(a, b);

        assertEquals(archived.firstSequence(), result.firstSequence());
        assertEquals(300, result.lastSequenceA());
        assertEquals(300, result.lastSequenceB());
        assertEquals(250, result.firstDifference());
        assertEquals(archived.firstSequence(), JournalComparison.compare(b, a).firstSequence());
    }

    /**
     * A cluster member journals a session-message Connect with its credential zeroed since 2026-12-07, in clear
     * before: the two are the same history, and only the credential's bytes are left out of the comparison.
     */
    @Test
    void shouldLeaveOutOnlyTheCredentialBytesOfAConnect()
    {
        final UnsafeBuffer clear = connect("secret-7", "aeron:ipc");
        final UnsafeBuffer zeroed = connect("secret-7", "aeron:ipc");
        assertTrue(JournalComparison.redactCredential(zeroed, 0, zeroed.capacity()));
        final UnsafeBuffer otherChannel = connect("secret-7", "aeron:ipd");
        final UnsafeBuffer longer = connect("secret-77", "aeron:ipc");
        final int type = RecordTypes.MESSAGE;

        assertNull(JournalComparison.difference(type, T0, clear, 0, clear.capacity(),
            type, T0, zeroed, 0, zeroed.capacity()));
        assertEquals("payload from byte " + (clear.capacity() - 1), JournalComparison.difference(
            type, T0, clear, 0, clear.capacity(), type, T0, otherChannel, 0, otherChannel.capacity()));
        assertEquals("payload from byte " + (MessageHeaderEncoder.ENCODED_LENGTH + ConnectEncoder.BLOCK_LENGTH),
            JournalComparison.difference(type, T0, clear, 0, clear.capacity(), type, T0, longer, 0,
            longer.capacity()));
        assertFalse(JournalComparison.redactCredential(new UnsafeBuffer(new byte[8]), 0, 8));
    }

    private static UnsafeBuffer connect(final String credential, final String channel)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(1).clientId(7).responseStreamId(1001).credential(credential).responseChannel(channel);
        return new UnsafeBuffer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    @Test
    void shouldRefuseAMissingJournal()
    {
        final Path a = write("a", 1, 0, 0);

        final JournalException thrown =
            assertThrows(JournalException.class, () -> JournalComparison.compare(a, temp.resolve("none")));
        assertTrue(thrown.getMessage().contains("no journal in " + temp.resolve("none")), thrown.getMessage());
    }

    /**
     * A journal of {@code records} messages, record N at T0 + N - 1 with correlation id N; from record
     * {@code laterFrom} on 1,000 ns later, and record {@code otherCorrelation}'s correlation id 1,000 more (0: none).
     */
    private Path write(final String name, final int records, final int laterFrom, final int otherCorrelation)
    {
        return write(name, records, laterFrom, otherCorrelation, 0);
    }

    /**
     * As {@link #write(String, int, int, int)}, each message padded with {@code padding} zero bytes.
     */
    private Path write(
        final String name, final int records, final int laterFrom, final int otherCorrelation, final int padding)
    {
        final Path directory = temp.resolve(name);
        try (Journal journal = Journal.open(new JournalContext().directory(directory).flushLevel(FlushLevel.NONE)
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).preallocate(false)))
        {
            for (int n = 1; n <= records; n++)
            {
                final long timestamp = T0 + n - 1 + (0 != laterFrom && n >= laterFrom ? 1000 : 0);
                final UnsafeBuffer message = message(n == otherCorrelation ? n + 1000 : n);
                final UnsafeBuffer padded = new UnsafeBuffer(new byte[message.capacity() + padding]);
                padded.putBytes(0, message, 0, message.capacity());
                journal.append(RecordTypes.MESSAGE, timestamp, padded, 0, padded.capacity());
            }
        }
        return directory;
    }

    private static UnsafeBuffer message(final long correlationId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + Long.BYTES]);
        new MessageHeaderEncoder().wrap(buffer, 0).templateId(CreateTransfersDecoder.TEMPLATE_ID);
        buffer.putLong(MessageHeaderEncoder.ENCODED_LENGTH, correlationId, MessageHeaderEncoder.BYTE_ORDER);
        return buffer;
    }
}
