package io.paycore.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal knows the timestamp of its last record, also as found when it is opened again (over segment rolls,
 * after a torn tail), so that whoever stamps the next records can start after it whatever its clock says.
 */
class JournalLastTimestampTest
{
    private static final int MAX = 1000;

    @TempDir
    Path dir;

    @Test
    void shouldKnowTheLastRecordsTimestampAfterAppendsAndAfterReopening() throws Exception
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
        long last = 0;
        try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
        {
            assertEquals(0, journal.lastTimestampNanos());
            for (int i = 0; i < 500; i++)
            {
                final long sequence = TestJournals.appendExpected(journal, scratch, MAX);
                last = TestJournals.timestamp(sequence);
                assertEquals(last, journal.lastTimestampNanos());
            }
        }
        final Path[] segments = TestJournals.segments(dir);
        assertTrue(segments.length > 1, "the records span several segments");

        try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
        {
            assertEquals(last, journal.lastTimestampNanos());
        }

        // A crash cut the last record short: the record before it is the last.
        final Path newest = segments[segments.length - 1];
        final byte[] image = TestJournals.read(newest);
        final List<int[]> extents = TestJournals.recordExtents(image);
        assertTrue(extents.size() > 1);
        final int[] lastExtent = extents.get(extents.size() - 1);
        Arrays.fill(image, lastExtent[0] + lastExtent[1] / 2, lastExtent[0] + lastExtent[1], (byte)0);
        TestJournals.write(newest, image);
        try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
        {
            assertTrue(journal.openReport().tornTailBytes() > 0, "a torn tail was truncated");
            assertEquals(last - 1_000, journal.lastTimestampNanos());
            assertEquals(TestJournals.timestamp(journal.lastSequence()), journal.lastTimestampNanos());
        }
    }
}
