package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.paycore.journal.TestJournals.appendExpected;
import static io.paycore.journal.TestJournals.context;
import static io.paycore.journal.TestJournals.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore journal archive} moves old segments out of the journal directory while the service runs, and so
 * while tailers (feeds, the query server) read it. A tailer behind the cut must not wait for ever for a segment
 * that will never come back.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ArchivedUnderReaderTest
{
    private static final int MAX = 1000;
    private static final int RECORDS = 2_000;

    @TempDir
    Path temp;

    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private Journal journal;
    private JournalReader reader;

    @AfterEach
    void tearDown()
    {
        if (null != reader)
        {
            reader.close();
        }
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldSayTheNextSegmentWasMovedRatherThanWaitForItForEver() throws Exception
    {
        final Path dir = temp.resolve("journal");
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < RECORDS; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        final Path[] before = segments(dir);
        assertTrue(before.length > 6, "the journal should span segments: " + before.length);
        final long secondSegment = SegmentDescriptor.firstSequence(before[1]);

        // A tailer that has read its first segment to the end, and then the archive moves it and the next ones.
        reader = JournalReader.open(dir, 1);
        final TestJournals.Checker checker = new TestJournals.Checker(1, MAX);
        assertEquals(secondSegment - 1, reader.poll(checker, (int)(secondSegment - 1)));
        final JournalArchive.Result result = JournalArchive.archive(dir, temp.resolve("archive"),
            SegmentDescriptor.firstSequence(before[4]));
        assertEquals(4, result.segmentsMoved());

        final JournalException ex = assertThrows(JournalException.class, () ->
        {
            for (int i = 0; i < 100; i++)
            {
                reader.poll(checker, 100);
            }
        }, "the reader waits for segment " + secondSegment + " as if the writer had not made it yet");
        assertTrue(ex.getMessage().contains("moved"), ex.getMessage());
        assertEquals(secondSegment, ex.sequence());
        assertEquals(secondSegment - 1, checker.count, "nothing skipped, nothing repeated");
    }

    @Test
    void shouldReadOnFromTheSegmentItHasWhenThatOneIsMovedAndTheNextKept() throws Exception
    {
        final Path dir = temp.resolve("journal");
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < RECORDS; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        final Path[] before = segments(dir);
        final long third = SegmentDescriptor.firstSequence(before[2]);
        final long fourth = SegmentDescriptor.firstSequence(before[3]);

        // In the middle of the third segment when it and the two before are moved: the fourth is still there.
        reader = JournalReader.open(dir, third);
        final TestJournals.Checker checker = new TestJournals.Checker(third, MAX);
        assertEquals(2, reader.poll(checker, 2));
        assertEquals(3, JournalArchive.archive(dir, temp.resolve("archive"), fourth).segmentsMoved());

        while (reader.poll(checker, 100) > 0)
        {
            // to the end
        }
        assertEquals(RECORDS - third + 1, checker.count);

        // And it follows the writer on, across rolls, with no false alarm.
        for (int i = 0; i < RECORDS; i++)
        {
            appendExpected(journal, scratch, MAX);
            reader.poll(checker, 100);
        }
        while (reader.poll(checker, 100) > 0)
        {
            // to the end
        }
        assertEquals(RECORDS + RECORDS - third + 1, checker.count);
    }
}
