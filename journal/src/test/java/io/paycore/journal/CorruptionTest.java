package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage anywhere but the tail of the newest segment stops the open, and the error names the file, the offset
 * and the sequence: nothing is skipped silently.
 */
class CorruptionTest
{
    private static final int MAX = 300;

    @Property(tries = 400)
    void shouldRefuseToOpenWhenAnyBitBeforeTheTailFlips(
        @ForAll @IntRange(min = 600, max = 1200) final int records, @ForAll final long seed) throws Exception
    {
        final Path dir = build(records);
        try
        {
            final Random random = new Random(seed);
            final Path[] segments = TestJournals.segments(dir);
            final int[] eligible = new int[segments.length];
            long total = 0;
            for (int i = 0; i < segments.length; i++)
            {
                final byte[] image = TestJournals.read(segments[i]);
                eligible[i] = i < segments.length - 1 ? image.length : lastRecordStart(image);
                total += eligible[i];
            }
            long pick = (long)(random.nextDouble() * total);
            int fileIndex = 0;
            while (pick >= eligible[fileIndex])
            {
                pick -= eligible[fileIndex++];
            }
            final Path file = segments[fileIndex];
            final int index = (int)pick;
            final byte[] image = TestJournals.read(file);
            final int expectedOffset = unitStart(image, index);
            final int bit = random.nextInt(8);
            image[index] ^= (byte)(1 << bit);
            TestJournals.write(file, image);

            final String flipped = "bit " + bit + " of byte " + index + " in " + file + " (segment " + (fileIndex + 1) +
                " of " + segments.length + ", unit at " + expectedOffset + ")";
            final JournalException ex = assertThrows(JournalException.class, () ->
            {
                try (Journal journal = open(dir))
                {
                    throw new AssertionError("opened despite " + flipped + ": " + journal.openReport());
                }
            });
            assertEquals(file, ex.file(), ex.getMessage());
            assertTrue(ex.sequence() >= 1, ex.getMessage());
            assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
            if (expectedOffset < SegmentDescriptor.HEADER_LENGTH)
            {
                assertTrue(ex.offset() >= 0 && ex.offset() < SegmentDescriptor.HEADER_LENGTH, ex.getMessage());
            }
            else
            {
                assertEquals(expectedOffset, ex.offset(), ex.getMessage() + " flipped byte " + index);
            }
            if (!inUnusedSpace(image, index))
            {
                assertThrows(JournalException.class, () -> TestJournals.readAll(dir, 1, MAX), flipped);
            }
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    @Property(tries = 100)
    void shouldRefuseToOpenWhenTwoRecordsAreSwapped(
        @ForAll @IntRange(min = 600, max = 1200) final int records, @ForAll final long seed) throws Exception
    {
        final Path dir = build(records);
        try
        {
            final Random random = new Random(seed);
            final Path[] segments = TestJournals.segments(dir);
            final int fileIndex = random.nextInt(segments.length);
            final Path file = segments[fileIndex];
            final byte[] image = TestJournals.read(file);
            final List<int[]> extents = TestJournals.recordExtents(image);
            net.jqwik.api.Assume.that(extents.size() >= 2);
            final int first = random.nextInt(extents.size() - 1);
            final int[] a = extents.get(first);
            final int[] b = extents.get(first + 1);
            final byte[] swapped = new byte[a[1] + b[1]];
            System.arraycopy(image, b[0], swapped, 0, b[1]);
            System.arraycopy(image, a[0], swapped, b[1], a[1]);
            System.arraycopy(swapped, 0, image, a[0], swapped.length);
            TestJournals.write(file, image);

            final JournalException ex = assertThrows(JournalException.class, () -> open(dir));
            assertEquals(file, ex.file(), ex.getMessage());
            assertEquals(a[0], ex.offset(), ex.getMessage());
            assertEquals(SegmentDescriptor.firstSequence(file) + first, ex.sequence(), ex.getMessage());
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    @Property(tries = 100)
    void shouldRefuseToOpenWhenARecordIsDeleted(
        @ForAll @IntRange(min = 600, max = 1200) final int records, @ForAll final long seed) throws Exception
    {
        final Path dir = build(records);
        try
        {
            final Random random = new Random(seed);
            final Path[] segments = TestJournals.segments(dir);
            final int fileIndex = random.nextInt(segments.length);
            final boolean newest = fileIndex == segments.length - 1;
            final Path file = segments[fileIndex];
            final byte[] image = TestJournals.read(file);
            final List<int[]> extents = TestJournals.recordExtents(image);
            final int candidates = newest ? extents.size() - 1 : extents.size();
            net.jqwik.api.Assume.that(candidates >= 1);
            final int victim = random.nextInt(candidates);
            final int[] gone = extents.get(victim);
            System.arraycopy(image, gone[0] + gone[1], image, gone[0], image.length - gone[0] - gone[1]);
            Arrays.fill(image, image.length - gone[1], image.length, (byte)0);
            TestJournals.write(file, image);

            final long victimSequence = SegmentDescriptor.firstSequence(file) + victim;
            final JournalException ex = assertThrows(JournalException.class, () -> open(dir));
            assertEquals(victimSequence, ex.sequence(), ex.getMessage());
            if (!newest && victim == extents.size() - 1)
            {
                assertEquals(segments[fileIndex + 1], ex.file(), ex.getMessage());
            }
            else
            {
                assertEquals(file, ex.file(), ex.getMessage());
                assertEquals(gone[0], ex.offset(), ex.getMessage());
            }
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    @Example
    void shouldRefuseToOpenWhenTheRecordBeforeALastRecordWithAnEmptyPayloadIsDamaged() throws Exception
    {
        final Path dir = Files.createTempDirectory("corruption");
        try
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
            payload.setMemory(0, 100, (byte)0x5A);
            try (Journal journal = open(dir))
            {
                journal.append(1, 1, payload, 0, 100);
                journal.append(1, 2, payload, 0, 100);
                // The last header ends in zero bytes: no payload, and a timestamp whose high bytes are zero.
                journal.append(1, 3, payload, 0, 0);
            }
            final Path file = TestJournals.segments(dir)[0];
            final byte[] image = TestJournals.read(file);
            final List<int[]> extents = TestJournals.recordExtents(image);
            assertEquals(3, extents.size());
            final int damaged = extents.get(1)[0];
            image[damaged + 40] ^= 1;
            TestJournals.write(file, image);

            final JournalException ex = assertThrows(JournalException.class, () -> open(dir).close());
            assertEquals(damaged, ex.offset(), ex.getMessage());
            assertEquals(2, ex.sequence(), ex.getMessage());
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    @Example
    void shouldNotLetAReaderStopQuietlyAtALengthWhoseTopBitFlipped() throws Exception
    {
        // The flipped length reads as an append in progress: a reader must not take it for the journal's end.
        final Path dir = build(700);
        try
        {
            final Path[] segments = TestJournals.segments(dir);
            assertTrue(segments.length >= 2, "the test needs a segment that is not the newest");
            final byte[] image = TestJournals.read(segments[0]);
            final int victim = firstAlignedRecord(image);
            final int offset = TestJournals.recordExtents(image).get(victim)[0];
            image[offset + 3] ^= (byte)0x80;
            TestJournals.write(segments[0], image);

            final JournalException ex = assertThrows(JournalException.class, () -> TestJournals.readAll(dir, 1, MAX));
            assertEquals(segments[0], ex.file(), ex.getMessage());
            assertEquals(offset, ex.offset(), ex.getMessage());
            assertEquals(SegmentDescriptor.firstSequence(segments[0]) + victim, ex.sequence(), ex.getMessage());
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    @Example
    void shouldRefuseToOpenWhenALengthInTheNewestSegmentHasItsTopBitFlipped() throws Exception
    {
        // Not a torn tail to cut off: the mark reaches past the segment's end, and intact records follow it.
        final Path dir = build(700);
        try
        {
            final Path[] segments = TestJournals.segments(dir);
            final Path file = segments[segments.length - 1];
            final byte[] image = TestJournals.read(file);
            final List<int[]> extents = TestJournals.recordExtents(image);
            final int victim = firstAlignedRecord(image);
            assertTrue(victim < extents.size() - 1, "the test needs a record before the last one");
            final int offset = extents.get(victim)[0];
            image[offset + 3] ^= (byte)0x80;
            TestJournals.write(file, image);

            final JournalException ex = assertThrows(JournalException.class, () -> open(dir).close());
            assertEquals(file, ex.file(), ex.getMessage());
            assertEquals(offset, ex.offset(), ex.getMessage());
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    @Example
    void shouldNotLetAReaderStopQuietlyAtAZeroedLength() throws Exception
    {
        final Path dir = build(700);
        try
        {
            final Path[] segments = TestJournals.segments(dir);
            final Path file = segments[segments.length - 1];
            final byte[] image = TestJournals.read(file);
            final int[] victim = TestJournals.recordExtents(image).get(2);
            Arrays.fill(image, victim[0], victim[0] + Integer.BYTES, (byte)0);
            TestJournals.write(file, image);

            final JournalException ex = assertThrows(JournalException.class, () -> TestJournals.readAll(dir, 1, MAX));
            assertEquals(file, ex.file(), ex.getMessage());
            assertEquals(victim[0], ex.offset(), ex.getMessage());
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }

    /**
     * @return the index of the first record whose frame length is a multiple of the frame alignment: with its top
     * bit set, such a length is a well-formed append-in-progress mark.
     */
    private static int firstAlignedRecord(final byte[] image)
    {
        final ByteBuffer view = ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final List<int[]> extents = TestJournals.recordExtents(image);
        int victim = 0;
        while (0 != view.getInt(extents.get(victim)[0]) % RecordDescriptor.FRAME_ALIGNMENT)
        {
            victim++;
        }
        return victim;
    }

    private static Path build(final int records) throws Exception
    {
        final Path dir = Files.createTempDirectory("corruption");
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
        try (Journal journal = open(dir))
        {
            for (int i = 0; i < records; i++)
            {
                TestJournals.appendExpected(journal, scratch, MAX);
            }
        }

        return dir;
    }

    private static Journal open(final Path dir)
    {
        return Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX));
    }

    private static int lastRecordStart(final byte[] image)
    {
        final List<int[]> extents = TestJournals.recordExtents(image);
        return extents.isEmpty() ? SegmentDescriptor.HEADER_LENGTH : extents.get(extents.size() - 1)[0];
    }

    /**
     * @return true if the byte lies in the zeros after a segment's end marker, which readers do not visit (the open
     * still checks them).
     */
    private static boolean inUnusedSpace(final byte[] image, final int index)
    {
        return index >= SegmentDescriptor.HEADER_LENGTH && unitStart(image, index) == index &&
            TestJournals.recordExtents(image).stream().noneMatch((extent) -> extent[0] == index);
    }

    /**
     * Offset at which the open should report a flip of this byte: the start of the header, record or end marker
     * holding it, or the byte itself in the zeros after the end marker.
     */
    private static int unitStart(final byte[] image, final int index)
    {
        if (index < SegmentDescriptor.HEADER_LENGTH)
        {
            return 0;
        }
        int end = SegmentDescriptor.HEADER_LENGTH;
        for (final int[] extent : TestJournals.recordExtents(image))
        {
            if (index < extent[0] + extent[1])
            {
                return extent[0];
            }
            end = extent[0] + extent[1];
        }
        if (index < end + 4)
        {
            return end;
        }

        return index;
    }
}
