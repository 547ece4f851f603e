package io.paycore.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.paycore.journal.TestJournals.appendExpected;
import static io.paycore.journal.TestJournals.context;
import static io.paycore.journal.TestJournals.readAll;
import static io.paycore.journal.TestJournals.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalArchiveTest
{
    private static final int MAX = 1000;
    private static final int RECORDS = 2_000;

    @TempDir
    Path temp;

    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private Journal journal;

    @AfterEach
    void tearDown()
    {
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldMoveWholeSegmentsBeforeASequenceAndStillOpenReadAndAppend() throws Exception
    {
        final Path dir = temp.resolve("journal");
        final Path archive = temp.resolve("archive");
        writeRecords(dir, RECORDS);
        final Path[] before = segments(dir);
        assertTrue(before.length > 10, "the journal should span segments: " + before.length);

        final JournalArchive.Result result = JournalArchive.archive(dir, archive, 1_000);
        final Path[] after = segments(dir);
        assertEquals(before.length - result.segmentsMoved(), after.length);
        assertTrue(result.segmentsMoved() > 3, result.toString());
        assertTrue(result.firstSequence() <= 1_000, "the segment holding the sequence stays: " + result);
        assertEquals(result.firstSequence(), SegmentDescriptor.firstSequence(after[0]));
        assertEquals(result.firstSequence(), JournalArchive.firstSequence(dir));
        assertEquals(result.segmentsMoved(), segments(archive).length);
        assertEquals(result.firstSequence(), JournalArchive.readMarker(dir).firstSequence());

        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        assertEquals(RECORDS, journal.lastSequence());
        for (int i = 0; i < 100; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        journal.close();
        journal = null;
        assertEquals(RECORDS + 101 - result.firstSequence(), readAll(dir, result.firstSequence(), MAX));
        final JournalException early = assertThrows(JournalException.class, () -> JournalReader.open(dir, 1));
        assertTrue(early.getMessage().contains("before the first segment"), early.getMessage());

        final JournalArchive.Result again = JournalArchive.archive(dir, archive, 1_000);
        assertEquals(0, again.segmentsMoved(), "nothing more lies before the sequence");
    }

    @Test
    void shouldOpenAJournalWhoseArchiveWasInterrupted() throws Exception
    {
        final Path dir = temp.resolve("journal");
        final Path archive = temp.resolve("archive");
        writeRecords(dir, RECORDS);
        final JournalArchive.Result result = JournalArchive.archive(dir, archive, 1_500);

        // A crash after the marker and the first moves: the newest archived segment is still in the journal.
        final Path[] archived = segments(archive);
        final Path last = archived[archived.length - 1];
        Files.move(last, dir.resolve(last.getFileName()));
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        assertEquals(RECORDS, journal.lastSequence());
        journal.close();
        journal = null;
        assertEquals(RECORDS - SegmentDescriptor.firstSequence(last) + 1,
            readAll(dir, SegmentDescriptor.firstSequence(last), MAX));
        assertTrue(SegmentDescriptor.firstSequence(last) < result.firstSequence());
    }

    @Test
    void shouldRefuseAJournalMissingItsFirstSegmentsWithoutAMarker() throws Exception
    {
        final Path dir = temp.resolve("journal");
        writeRecords(dir, RECORDS);
        Files.delete(segments(dir)[0]);
        assertNull(JournalArchive.readMarker(dir));
        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX)));
        assertTrue(ex.getMessage().contains("does not start at sequence 1"), ex.getMessage());
    }

    @Test
    void shouldRefuseASegmentLostAfterTheArchivedOnes() throws Exception
    {
        final Path dir = temp.resolve("journal");
        writeRecords(dir, RECORDS);
        JournalArchive.archive(dir, temp.resolve("archive"), 1_000);
        Files.delete(segments(dir)[0]);
        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX)));
        assertTrue(ex.getMessage().contains("a segment is missing"), ex.getMessage());
    }

    @Test
    void shouldRefuseAFirstSegmentThatDoesNotContinueTheArchivedChain() throws Exception
    {
        final Path dir = temp.resolve("journal");
        writeRecords(dir, RECORDS);
        final JournalArchive.Result result = JournalArchive.archive(dir, temp.resolve("archive"), 1_000);
        final Path marker = dir.resolve(JournalArchive.MARKER_FILE_NAME);
        final JournalArchive.Marker read = JournalArchive.readMarker(dir);
        Files.writeString(marker, Files.readString(marker).replace(
            "previousChecksum=" + read.previousChecksum(), "previousChecksum=" + (read.previousChecksum() + 1)));
        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX)));
        assertTrue(ex.getMessage().contains("does not match the archive marker"), ex.getMessage());
        assertTrue(result.segmentsMoved() > 0);
    }

    private void writeRecords(final Path dir, final int records)
    {
        try (Journal writer = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
        {
            for (int i = 0; i < records; i++)
            {
                appendExpected(writer, scratch, MAX);
            }
        }
    }
}
