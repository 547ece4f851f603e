package io.paycore.replay.audit;

import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.SegmentDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds records in segment files and recomputes their chained CRC32C exactly as the journal does (see
 * {@link RecordDescriptor}): continued from the previous record's checksum (or the segment header's previous
 * checksum) over the 4 frame-length bytes, then bytes [8, align(frameLength)).
 */
final class JournalFiles
{
    private static final int[] CRC32C_TABLE = new int[256];

    static
    {
        for (int n = 0; n < 256; n++)
        {
            int c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            CRC32C_TABLE[n] = c;
        }
    }

    private JournalFiles()
    {
    }

    /**
     * Where a record is.
     */
    static final class Location
    {
        Path file;
        int offset;
        int frameLength;
        int alignedLength;
        long firstSequenceOfSegment;

        public String toString()
        {
            return file + "@" + offset;
        }
    }

    static Path[] segments(final Path journalDirectory) throws IOException
    {
        try (Stream<Path> files = Files.list(journalDirectory))
        {
            return files.filter((p) -> p.getFileName().toString().endsWith(SegmentDescriptor.SUFFIX))
                .sorted().toArray(Path[]::new);
        }
    }

    static Location locate(final Path journalDirectory, final long sequence) throws IOException
    {
        for (final Path file : segments(journalDirectory))
        {
            final ByteBuffer bytes = read(file);
            final long first = bytes.getLong(SegmentDescriptor.FIRST_SEQUENCE_OFFSET);
            int offset = SegmentDescriptor.HEADER_LENGTH;
            while (offset + RecordDescriptor.HEADER_LENGTH <= bytes.capacity())
            {
                final int frameLength = bytes.getInt(offset);
                if (frameLength <= 0)
                {
                    break;
                }
                if (bytes.getLong(offset + RecordDescriptor.SEQUENCE_OFFSET) == sequence)
                {
                    final Location location = new Location();
                    location.file = file;
                    location.offset = offset;
                    location.frameLength = frameLength;
                    location.alignedLength = RecordDescriptor.alignedFrameLength(
                        frameLength - RecordDescriptor.HEADER_LENGTH);
                    location.firstSequenceOfSegment = first;
                    return location;
                }
                offset += RecordDescriptor.alignedFrameLength(frameLength - RecordDescriptor.HEADER_LENGTH);
            }
        }
        throw new IllegalArgumentException("no record " + sequence);
    }

    static ByteBuffer read(final Path file) throws IOException
    {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The checksum the record at {@code offset} must carry, chained from {@code previous}.
     */
    static int chainedChecksum(final ByteBuffer segment, final int offset, final int previous)
    {
        final int frameLength = segment.getInt(offset);
        final int aligned = RecordDescriptor.alignedFrameLength(frameLength - RecordDescriptor.HEADER_LENGTH);
        int crc = update(previous, segment, offset, 4);
        crc = update(crc, segment, offset + RecordDescriptor.TYPE_OFFSET, aligned - RecordDescriptor.TYPE_OFFSET);
        return crc;
    }

    /**
     * The checksum that precedes the record at {@code offset} in the chain.
     */
    static int previousChecksum(final ByteBuffer segment, final int offset)
    {
        if (SegmentDescriptor.HEADER_LENGTH == offset)
        {
            return segment.getInt(SegmentDescriptor.PREVIOUS_CHECKSUM_OFFSET);
        }
        int previous = SegmentDescriptor.HEADER_LENGTH;
        int at = previous;
        while (at < offset)
        {
            previous = at;
            at += RecordDescriptor.alignedFrameLength(segment.getInt(at) - RecordDescriptor.HEADER_LENGTH);
        }
        return segment.getInt(previous + RecordDescriptor.CHECKSUM_OFFSET);
    }

    private static int update(final int previous, final ByteBuffer bytes, final int from, final int length)
    {
        int crc = ~previous;
        for (int i = from; i < from + length; i++)
        {
            crc = CRC32C_TABLE[(crc ^ bytes.get(i)) & 0xFF] ^ (crc >>> 8);
        }
        return ~crc;
    }
}
