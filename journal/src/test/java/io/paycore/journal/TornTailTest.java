package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage confined to the end of the newest segment, as a crash leaves it, is truncated (zeroed) and reported,
 * and the journal then takes appends again.
 */
class TornTailTest
{
    private static final int MAX = 300;

    @Property(tries = 250)
    void shouldTruncateATornTailAndReportIt(
        @ForAll @IntRange(min = 1, max = 900) final int records,
        @ForAll @IntRange(min = 0, max = 3) final int mode,
        @ForAll final long seed) throws Exception
    {
        final Path dir = Files.createTempDirectory("torn-tail");
        try
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
            try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
            {
                for (int i = 0; i < records; i++)
                {
                    TestJournals.appendExpected(journal, scratch, MAX);
                }
            }

            final Path[] segments = TestJournals.segments(dir);
            final Path newest = segments[segments.length - 1];
            final byte[] image = TestJournals.read(newest);
            final List<int[]> extents = TestJournals.recordExtents(image);
            Assume.that(!extents.isEmpty());
            final long firstSequenceInNewest = SegmentDescriptor.firstSequence(newest);
            final int[] last = extents.get(extents.size() - 1);
            final int dataEnd = last[0] + last[1];
            final Random random = new Random(seed);
            final byte[] original = image.clone();

            switch (mode)
            {
                case 0:
                {
                    final int from = SegmentDescriptor.HEADER_LENGTH +
                        random.nextInt(dataEnd - SegmentDescriptor.HEADER_LENGTH);
                    Arrays.fill(image, from, image.length, (byte)0);
                    break;
                }
                case 1:
                    Arrays.fill(image, last[0], dataEnd, (byte)0);
                    break;
                case 2:
                    Arrays.fill(image, last[0], last[0] + 4, (byte)0);
                    break;
                default:
                {
                    Assume.that(dataEnd < image.length);
                    final int garbage = 1 + random.nextInt(Math.min(200, image.length - dataEnd));
                    for (int i = 0; i < garbage; i++)
                    {
                        image[dataEnd + i] = (byte)(1 + random.nextInt(255));
                    }
                    break;
                }
            }
            TestJournals.write(newest, image);

            long expectedLast = firstSequenceInNewest - 1;
            int tornOffset = -1;
            for (int i = 0; i < extents.size(); i++)
            {
                final int[] extent = extents.get(i);
                if (Arrays.equals(image, extent[0], extent[0] + extent[1],
                    original, extent[0], extent[0] + extent[1]))
                {
                    expectedLast = firstSequenceInNewest + i;
                }
                else
                {
                    tornOffset = extent[0];
                    break;
                }
            }
            if (tornOffset < 0)
            {
                tornOffset = dataEnd;
            }
            int lastNonZero = image.length - 1;
            while (lastNonZero >= tornOffset && 0 == image[lastNonZero])
            {
                lastNonZero--;
            }
            final long expectedTornBytes = lastNonZero + 1 - tornOffset;

            try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
            {
                final OpenReport report = journal.openReport();
                assertEquals(expectedLast, report.lastSequence(), report.toString());
                if (expectedTornBytes > 0)
                {
                    assertTrue(report.hasTornTail(), report.toString());
                    assertEquals(newest, report.tornTailFile());
                    assertEquals(tornOffset, report.tornTailOffset());
                    assertEquals(expectedTornBytes, report.tornTailBytes());
                }
                else
                {
                    assertFalse(report.hasTornTail(), report.toString());
                }
                assertEquals(expectedLast, TestJournals.readAll(dir, 1, MAX));
                TestJournals.appendExpected(journal, scratch, MAX);
            }

            try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
            {
                assertFalse(journal.openReport().hasTornTail());
                assertNull(journal.openReport().tornTailFile());
                assertEquals(expectedLast + 1, journal.lastSequence());
                assertEquals(expectedLast + 1, TestJournals.readAll(dir, 1, MAX));
            }
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }
}
