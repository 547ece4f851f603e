package io.paycore.replay.audit;

import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalException;
import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.SegmentDescriptor;
import io.paycore.replay.DataDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TamperedJournalTest
{
    @TempDir
    Path temp;

    private DataDirectory directory;
    private AuditRuns.Run run;

    @BeforeEach
    void before()
    {
        directory = new DataDirectory(temp.resolve("data"));
        run = AuditRuns.write(directory, 300, 7);
    }

    @Test
    void shouldPassTheUntamperedJournal() throws Exception
    {
        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        assertNull(report.damage());
        assertEquals(run.lastSequence, report.lastVerifiedSequence());
        assertEquals(run.digest, report.digest());
        assertTrue(JournalFiles.segments(directory.journalDirectory()).length > 2, "the run should span segments");
    }

    @Test
    void shouldDetectAChangedAmountWhoseOwnChecksumWasRecomputed() throws Exception
    {
        final long k = middleTransferRecord();
        final JournalFiles.Location tampered = JournalFiles.locate(directory.journalDirectory(), k);
        final JournalFiles.Location next = JournalFiles.locate(directory.journalDirectory(), k + 1);

        final ByteBuffer segment = JournalFiles.read(tampered.file);
        final int previous = JournalFiles.previousChecksum(segment, tampered.offset);
        assertEquals(segment.getInt(tampered.offset + RecordDescriptor.CHECKSUM_OFFSET),
            JournalFiles.chainedChecksum(segment, tampered.offset, previous),
            "the test's CRC32C chain must reproduce the journal's");
        final int amountOffset = firstAmountOffset(segment, tampered.offset);
        segment.putLong(amountOffset, segment.getLong(amountOffset) + 1_000_000);
        segment.putInt(tampered.offset + RecordDescriptor.CHECKSUM_OFFSET,
            JournalFiles.chainedChecksum(segment, tampered.offset, previous));
        Files.write(tampered.file, segment.array());

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage, "a recomputed checksum of the edited record alone must not pass the chain");
        assertEquals(next.file, damage.file());
        assertEquals(next.offset, damage.offset());
        assertEquals(k + 1, damage.sequence());
        assertTrue(damage.getMessage().contains("checksum"), damage.getMessage());
        assertEquals(k, report.lastVerifiedSequence());
        assertNull(report.digest(), "no state is reported from a damaged journal");
        final String printed = print(report);
        assertTrue(printed.contains("damage at: file=" + next.file + " offset=" + next.offset + " sequence=" +
            (k + 1)), printed);
        assertTrue(printed.contains("previous record: sequence " + k + " at offset " + tampered.offset), printed);
        assertFalse(printed.contains("digest:"), printed);
    }

    /**
     * Damage at the first record of a segment: the previous record, which the chain also covers, is the last of the
     * segment before, but its line gave only a sequence and an offset, as if it were in the damaged one.
     */
    @Test
    void shouldNameThePreviousRecordsSegmentWhenTheDamageIsAtASegmentsFirstRecord() throws Exception
    {
        final Path[] segments = JournalFiles.segments(directory.journalDirectory());
        final Path damaged = segments[1];
        final ByteBuffer bytes = JournalFiles.read(damaged);
        final long first = bytes.getLong(SegmentDescriptor.FIRST_SEQUENCE_OFFSET);
        final JournalFiles.Location previous = JournalFiles.locate(directory.journalDirectory(), first - 1);
        assertEquals(segments[0], previous.file);
        final int flipAt = SegmentDescriptor.HEADER_LENGTH + RecordDescriptor.HEADER_LENGTH + 9;
        bytes.put(flipAt, (byte)(bytes.get(flipAt) ^ 0x20));
        Files.write(damaged, bytes.array());

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        assertNotNull(report.damage());
        assertEquals(first, report.damage().sequence());
        final String printed = print(report);
        assertTrue(printed.contains("damage at: file=" + damaged + " offset=" + SegmentDescriptor.HEADER_LENGTH),
            printed);
        assertTrue(printed.contains("previous record: sequence " + (first - 1) + " at offset " + previous.offset +
            " in " + segments[0].getFileName() + " "), printed);
    }

    @Test
    void shouldDetectADroppedRecord() throws Exception
    {
        final long k = middleTransferRecord();
        final JournalFiles.Location dropped = JournalFiles.locate(directory.journalDirectory(), k);
        final byte[] bytes = Files.readAllBytes(dropped.file);
        final byte[] without = new byte[bytes.length];
        System.arraycopy(bytes, 0, without, 0, dropped.offset);
        System.arraycopy(bytes, dropped.offset + dropped.alignedLength, without, dropped.offset,
            bytes.length - dropped.offset - dropped.alignedLength);
        Files.write(dropped.file, without);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage);
        assertEquals(dropped.file, damage.file());
        assertEquals(dropped.offset, damage.offset());
        assertEquals(k, damage.sequence());
        assertTrue(damage.getMessage().contains("unexpected sequence"), damage.getMessage());
        assertEquals(k - 1, report.lastVerifiedSequence());
    }

    @Test
    void shouldDetectABitFlip() throws Exception
    {
        final long k = middleTransferRecord();
        final JournalFiles.Location flipped = JournalFiles.locate(directory.journalDirectory(), k);
        flipBit(flipped.file, flipped.offset + RecordDescriptor.HEADER_LENGTH + 40, 3);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage);
        assertEquals(flipped.file, damage.file());
        assertEquals(flipped.offset, damage.offset());
        assertEquals(k, damage.sequence());
        assertTrue(damage.getMessage().contains("checksum mismatch"), damage.getMessage());
    }

    @Test
    void shouldDetectAZeroedFrameLengthThatHidesTheRestOfTheJournal() throws Exception
    {
        final long k = middleTransferRecord();
        final JournalFiles.Location hidden = JournalFiles.locate(directory.journalDirectory(), k);
        try (RandomAccessFile raf = new RandomAccessFile(hidden.file.toFile(), "rw"))
        {
            raf.seek(hidden.offset);
            raf.writeInt(0);
        }

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage, "a reader stops at a zero length; the audit must not take that for the end");
        assertEquals(hidden.file, damage.file());
        assertEquals(hidden.offset, damage.offset());
        assertEquals(k, damage.sequence());
    }

    @Test
    void shouldDetectAMissingSegment() throws Exception
    {
        final Path[] segments = JournalFiles.segments(directory.journalDirectory());
        final Path missing = segments[1];
        final long firstMissing = SegmentDescriptor.firstSequence(missing);
        Files.delete(missing);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage);
        assertEquals(segments[2], damage.file());
        assertEquals(firstMissing, damage.sequence());
        assertEquals(firstMissing - 1, report.lastVerifiedSequence());
    }

    @Test
    void shouldDetectGarbageAfterTheLastRecord() throws Exception
    {
        final JournalFiles.Location last = JournalFiles.locate(directory.journalDirectory(), run.lastSequence);
        final int after = last.offset + last.alignedLength;
        flipBit(last.file, after + 100, 0);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage);
        assertEquals(last.file, damage.file());
        assertEquals(after, damage.offset());
        assertEquals(run.lastSequence + 1, damage.sequence());
        assertNotEquals(null, report.toString());
    }

    /**
     * An end-of-segment marker written over a record's frame length in the newest segment hides every record after
     * it: the reader takes the marker for a roll and finds no next segment, and the end check stopped at the marker
     * without looking at what follows it. The audit then reported a shorter journal as verified (exit 0), although
     * non-zero bytes follow the last record it read (the README promises that nothing but zeros does) and
     * {@code Journal.open} refuses the same directory ("non-zero bytes after the end-of-segment marker"), so
     * {@code serve} would not start on what the audit passed. Four bytes changed drop any number of acknowledged
     * records from the audited history.
     */
    @Test
    void shouldDetectAnEndOfSegmentMarkerThatHidesTheRestOfTheNewestSegment() throws Exception
    {
        final Path[] segments = JournalFiles.segments(directory.journalDirectory());
        final Path newest = segments[segments.length - 1];
        final long first = SegmentDescriptor.firstSequence(newest);
        assertTrue(run.lastSequence - first >= 2, "the newest segment should hold a few records");
        final long k = first + 1;
        final JournalFiles.Location hidden = JournalFiles.locate(directory.journalDirectory(), k);
        try (RandomAccessFile raf = new RandomAccessFile(hidden.file.toFile(), "rw"))
        {
            raf.seek(hidden.offset);
            raf.writeInt(RecordDescriptor.END_OF_SEGMENT); // -1: the same bytes either way round
        }

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage, "records after a forged end-of-segment marker were dropped silently: the audit " +
            "verified " + report.lastVerifiedSequence() + " of " + run.lastSequence + " records and found no damage");
        assertEquals(hidden.file, damage.file());
        assertEquals(k, damage.sequence());
        assertNull(report.digest());
        assertThrows(JournalException.class, () -> Journal.open(AuditRuns.journalContext(directory)).close(),
            "Journal.open refuses it too");
    }

    /**
     * Bytes after the end-of-segment marker of a segment that is not the newest were never looked at: the audit
     * passed them (exit 0) while {@code Journal.open} refuses the directory ("non-zero bytes after the
     * end-of-segment marker"), so {@code serve} would not start on a journal the audit called verified.
     */
    @Test
    void shouldDetectGarbageAfterTheEndOfSegmentMarkerOfAnOlderSegment() throws Exception
    {
        final Path[] segments = JournalFiles.segments(directory.journalDirectory());
        final long lastOfFirst = SegmentDescriptor.firstSequence(segments[1]) - 1;
        final JournalFiles.Location last = JournalFiles.locate(directory.journalDirectory(), lastOfFirst);
        assertEquals(segments[0], last.file);
        final int marker = last.offset + last.alignedLength;
        final long fileLength = Files.size(segments[0]);
        assertTrue(marker + 16 < fileLength, "the first segment should have room after its end-of-segment marker");
        assertEquals(RecordDescriptor.END_OF_SEGMENT, JournalFiles.read(segments[0]).getInt(marker));
        flipBit(segments[0], marker + 8, 0);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage, "non-zero bytes after an end-of-segment marker passed the audit");
        assertEquals(segments[0], damage.file());
        assertThrows(JournalException.class, () -> Journal.open(AuditRuns.journalContext(directory)).close(),
            "Journal.open refuses it too");
    }

    /**
     * A journal whose first segment is gone (no archive marker says it was archived) is damaged: the README says
     * such a journal "is refused as damaged", and {@code Journal.open} refuses it ("first segment does not start at
     * sequence 1 and no segments were archived"). The audit threw instead (exit 4, "nothing to audit or an I/O
     * error") with a message claiming "the segments before were archived", which is false and points the auditor
     * at the wrong remedy (--from-snapshot) instead of reporting the missing records with file, offset and sequence
     * (exit 3).
     */
    @Test
    void shouldReportAMissingFirstSegmentAsDamageNotAsAnArchive() throws Exception
    {
        final Path[] segments = JournalFiles.segments(directory.journalDirectory());
        Files.delete(segments[0]);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage, "a missing first segment is damage");
        assertEquals(segments[1], damage.file());
        assertEquals(1, damage.sequence());
        assertTrue(damage.getMessage().contains("missing"), damage.getMessage());
        assertThrows(JournalException.class, () -> Journal.open(AuditRuns.journalContext(directory)).close(),
            "Journal.open refuses it too");
        assertTrue(print(report).contains("damage at: file=" + segments[1]), print(report));
    }

    /**
     * A file named as the segment after the last record but holding no segment (here: empty; a file of zeros or any
     * other 64 bytes does the same) passed the audit: the end check took it for the segment the reader stopped in
     * and, the file being no longer than a header, skipped it as "verified (or refused) by the reader already",
     * though the reader never opened it. {@code Journal.open} refuses the directory ("segment shorter than its
     * header"), so {@code serve} would not start on what the audit passed.
     */
    @Test
    void shouldDetectAFileNamedAsTheNextSegmentThatIsNoSegment() throws Exception
    {
        final Path bogus = directory.journalDirectory().resolve(SegmentDescriptor.fileName(run.lastSequence + 1));
        Files.write(bogus, new byte[0]);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final JournalException damage = report.damage();
        assertNotNull(damage, "a file that is no segment passed as the journal's newest segment");
        assertEquals(bogus, damage.file());
        assertThrows(JournalException.class, () -> Journal.open(AuditRuns.journalContext(directory)).close(),
            "Journal.open refuses it too");
    }

    private long middleTransferRecord() throws Exception
    {
        for (int i = run.records.size() / 2; i < run.records.size() - 1; i++)
        {
            final AuditRuns.Record record = run.records.get(i);
            if (RecordTypes.MESSAGE == record.type && CreateTransfersDecoder.TEMPLATE_ID ==
                (ByteBuffer.wrap(record.payload).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getShort(MessageHeaderDecoder.templateIdEncodingOffset()) & 0xFFFF) &&
                JournalFiles.locate(directory.journalDirectory(), record.sequence).file.equals(
                JournalFiles.locate(directory.journalDirectory(), record.sequence + 1).file) &&
                JournalFiles.locate(directory.journalDirectory(), record.sequence - 1).file.equals(
                JournalFiles.locate(directory.journalDirectory(), record.sequence).file))
            {
                return record.sequence;
            }
        }
        throw new IllegalStateException("no transfer record in the middle of a segment");
    }

    private static int firstAmountOffset(final ByteBuffer segment, final int recordOffset)
    {
        final int message = recordOffset + RecordDescriptor.HEADER_LENGTH;
        final int rootBlockLength = segment.getShort(message + MessageHeaderDecoder.blockLengthEncodingOffset())
            & 0xFFFF;
        final int entries = message + MessageHeaderDecoder.ENCODED_LENGTH + rootBlockLength +
            CreateTransfersDecoder.TransfersDecoder.HEADER_SIZE;
        return entries + CreateTransfersDecoder.TransfersDecoder.amountEncodingOffset();
    }

    private static void flipBit(final Path file, final long offset, final int bit) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ (1 << bit));
        }
    }

    private static String print(final AuditReport report)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
