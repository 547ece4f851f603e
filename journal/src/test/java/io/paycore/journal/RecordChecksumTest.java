package io.paycore.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RecordChecksumTest
{
    @TempDir
    Path dir;

    @Test
    void shouldComputeTheChecksumTheJournalGivesEachRecordAcrossSegmentsFromHeapAndDirectPayloads()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final RecordChecksum checksum = new RecordChecksum();
        final List<Integer> computed = new ArrayList<>();
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[2048]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        final int records = 3000;
        try (Journal journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.NONE)
            .segmentLength(64 * 1024)))
        {
            int previous = 0;
            for (int i = 1; i <= records; i++)
            {
                final int length = random.nextInt(0, 300);
                final UnsafeBuffer payload = 0 == (i & 1) ? heap : direct;
                final int offset = random.nextInt(0, 100);
                for (int b = 0; b < length; b++)
                {
                    payload.putByte(offset + b, (byte)random.nextInt());
                }
                final int type = 1 + random.nextInt(3);
                final long timestamp = 1_000_000L * i + random.nextInt(1000);
                assertEquals(i, journal.append(type, timestamp, payload, offset, length));
                previous = checksum.checksum(previous, type, i, timestamp, payload, offset, length);
                computed.add(previous);
            }
        }

        final int[] seen = new int[1];
        try (JournalReader reader = JournalReader.open(dir, 1))
        {
            while (seen[0] < records)
            {
                reader.poll((type, sequence, timestampNanos, buffer, offset, length) ->
                {
                    assertEquals(computed.get((int)sequence - 1), RecordChecksum.storedChecksum(buffer, offset),
                        "checksum of record " + sequence);
                    seen[0]++;
                }, 100);
            }
        }
        assertNotEquals(computed.get(records - 2), computed.get(records - 1));
    }
}
