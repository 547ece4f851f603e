package io.paycore.replay;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.Journal;
import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.SegmentDescriptor;
import io.paycore.journal.SnapshotStore;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At flush {@code none} (documented to survive a process crash, not a power cut) a power cut may take the journal's
 * tail while the snapshots, which are forced, survive: a snapshot is then ahead of the journal. The service then
 * appends a new history over the same sequence numbers. Left in place, the old history's snapshot would be loaded by
 * the next recovery as if it covered the new journal (and {@code SnapshotTaker#take} would not write over it), so
 * recovery sets it aside ({@code RecoveryTest#shouldSetAsideASnapshotThatIsAheadOfTheJournal}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleSnapshotTest
{
    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();
    private final ErrorHandler errorHandler = errors::add;

    @Test
    void shouldNotRecoverFromASnapshotOfAHistoryThePowerCutTookFromTheJournal() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 3, errorHandler);
        TestDays.writeDay(dir, 60, taker, 16, 11);
        assertTrue(errors.isEmpty(), errors::toString);
        final long[] before = new SnapshotStore(dir.snapshotDirectory()).sequences();
        assertEquals(64, before[before.length - 1], Arrays.toString(before));

        // The power cut: the journal (never forced at flush none) keeps records 1..40 only; the snapshots survive.
        keepOnlyUpTo(dir.journalDirectory(), 40);

        // The restart: recovery skips the snapshots ahead of the journal; the service goes on with new input,
        // snapshotting every 16 records as before, and stops (crash, deploy) before its next snapshot point, 80.
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        final String liveDigest;
        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertEquals(40, recovery.report().lastSequence());
            assertEquals(32, recovery.report().snapshotSequence(), recovery.report().describe());
            final Journal journal = recovery.journal();
            final Ledger ledger = recovery.ledger();
            final CommandProcessor processor = new CommandProcessor(ledger);
            final RequestEncoder encoder = new RequestEncoder();
            final TransferEventArray transfers = new TransferEventArray(TestDays.EVENTS_PER_MESSAGE);
            final SplittableRandom random = new SplittableRandom(99);
            long timestamp = ledger.clockNanos() + 1_000_000L;
            long id = 0;
            while (journal.lastSequence() < 75)
            {
                transfers.reset();
                for (int i = 0; i < TestDays.EVENTS_PER_MESSAGE; i++)
                {
                    id++;
                    transfers.add(77_000_000L + id, 1 + random.nextInt(TestDays.ACCOUNTS),
                        1 + random.nextInt(TestDays.ACCOUNTS), 1 + random.nextInt(5000), 0, id, TestDays.LEDGER, 0, 1,
                        0);
                }
                final int length = encoder.createTransfers(message, 0, 1_000 + id, transfers);
                timestamp += 300_000_000L;
                final long sequence = journal.append(RecordTypes.MESSAGE, timestamp, message, 0, length);
                processor.apply(RecordTypes.MESSAGE, timestamp, message, 0, length, answer, 0);
                if (0 == sequence % 16)
                {
                    taker.onSnapshotPoint(ledger, sequence);
                }
            }
            liveDigest = ledger.digestHex();
        }
        assertTrue(errors.isEmpty(), errors::toString);

        final String journalOnly;
        try (Recovery replayed = Recovery.open(dir, TestDays.limits(), TestDays.journalContext(), false))
        {
            journalOnly = replayed.ledger().digestHex();
        }
        assertEquals(liveDigest, journalOnly, "replaying the journal alone gives the live ledger");

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertEquals(journalOnly, recovery.ledger().digestHex(),
                "recovered from " + recovery.report().snapshotFile() + ", a snapshot of the history the power cut " +
                "took, not of this journal: " + recovery.report().describe());
        }
    }

    /**
     * Keep the journal's records 1..last: later segments deleted, the rest of the segment holding {@code last}
     * zeroed (what the device holds after a power cut took the unforced tail).
     */
    private static void keepOnlyUpTo(final Path journalDirectory, final long last) throws Exception
    {
        final List<Path> segments;
        try (Stream<Path> files = Files.list(journalDirectory))
        {
            segments = files.filter((f) -> f.getFileName().toString().endsWith(SegmentDescriptor.SUFFIX)).sorted()
                .collect(java.util.stream.Collectors.toList());
        }
        boolean cut = false;
        for (final Path segment : segments)
        {
            if (cut)
            {
                Files.delete(segment);
                continue;
            }
            final byte[] bytes = Files.readAllBytes(segment);
            final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int offset = SegmentDescriptor.HEADER_LENGTH;
            while (offset + RecordDescriptor.HEADER_LENGTH <= bytes.length)
            {
                final int frameLength = buffer.getInt(offset + RecordDescriptor.LENGTH_OFFSET);
                if (frameLength <= 0)
                {
                    break;
                }
                if (buffer.getLong(offset + RecordDescriptor.SEQUENCE_OFFSET) > last)
                {
                    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
                    {
                        file.seek(offset);
                        file.write(new byte[bytes.length - offset]);
                    }
                    cut = true;
                    break;
                }
                offset += RecordDescriptor.alignedFrameLength(frameLength - RecordDescriptor.HEADER_LENGTH);
            }
        }
        assertTrue(cut, "no record after " + last);
    }
}
