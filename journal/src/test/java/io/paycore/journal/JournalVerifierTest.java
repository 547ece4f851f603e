package io.paycore.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalVerifierTest
{
    private static final int SEGMENT_LENGTH = JournalContext.SEGMENT_LENGTH_MIN;

    @TempDir
    Path dir;

    @Test
    void shouldFindNothingWrongWithAJournalThatEndsCleanly() throws Exception
    {
        write(10);
        final Path[] segments = JournalVerifier.segments(dir);
        assertEquals(1, segments.length);
        assertEquals(10, JournalVerifier.lastSequenceEstimate(segments[0]));
        assertNull(JournalVerifier.checkEnd(dir, 11));
        assertArrayEquals(new Path[0], JournalVerifier.segments(dir.resolve("absent")));
    }

    @Test
    void shouldFindBytesAfterTheLastValidRecordAndChangeNothing() throws Exception
    {
        write(10);
        final Path segment = JournalVerifier.segments(dir)[0];
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[]{ 7 }), SEGMENT_LENGTH - 1);
        }
        final byte[] before = Files.readAllBytes(segment);

        final JournalException damage = JournalVerifier.checkEnd(dir, 11);
        assertNotNull(damage);
        assertTrue(damage.getMessage().contains("not empty"), damage.getMessage());
        assertEquals(segment, damage.file());
        assertArrayEquals(before, Files.readAllBytes(segment), "read only");
    }

    @Test
    void shouldFindARecordTheReaderDidNotDeliver() throws Exception
    {
        write(10);
        final JournalException damage = JournalVerifier.checkEnd(dir, 6);
        assertNotNull(damage);
        assertTrue(damage.getMessage().contains("did not deliver"), damage.getMessage());
    }

    @Test
    void shouldFindASegmentThatStartsAfterTheLastValidRecord() throws Exception
    {
        write(10);
        Files.copy(JournalVerifier.segments(dir)[0], dir.resolve(SegmentDescriptor.fileName(20)));

        final JournalException damage = JournalVerifier.checkEnd(dir, 11);
        assertNotNull(damage);
        assertTrue(damage.getMessage().contains("sequences 11..19 are missing"), damage.getMessage());
    }

    private void write(final int records)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        try (Journal journal = Journal.open(new JournalContext().directory(dir).segmentLength(SEGMENT_LENGTH)
            .flushLevel(FlushLevel.NONE).preallocate(false)))
        {
            for (int i = 1; i <= records; i++)
            {
                payload.putLong(0, i);
                journal.append(1, i, payload, 0, payload.capacity());
            }
        }
    }
}
