package io.paycore.journal;

import java.nio.file.Path;

/**
 * Layout and naming of a segment file.
 * <p>
 * A segment is named by the sequence of its first record, zero-padded to 20 digits so names sort in
 * sequence order, with suffix {@link #SUFFIX}: {@code 00000000000000000001.seg}. It is created full length
 * (zeros written for real, never sparse) under a {@link #TEMP_SUFFIX temporary name}, its header written and
 * forced, then renamed into place, so a segment under its final name always has a complete header.
 * <p>
 * Header, {@link #HEADER_LENGTH} bytes, little-endian:
 * <pre>
 *   0  int   magic {@link #MAGIC}
 *   4  int   version {@link #VERSION}
 *   8  long  segment length in bytes (the file length)
 *  16  long  first sequence (the sequence in the file name)
 *  24  int   previous checksum: checksum of the record before the first one in this segment (0 for sequence 1)
 *  28  int   reserved, zero
 *  ... zero
 *  60  int   CRC32C of bytes [0, 60)
 * </pre>
 * Records follow from offset {@link #HEADER_LENGTH}, laid out as in {@link RecordDescriptor}.
 */
public final class SegmentDescriptor
{
    /**
     * Magic number at offset 0: "PCJ1" read as a little-endian int.
     */
    public static final int MAGIC = 0x314A4350;

    /**
     * Format version.
     */
    public static final int VERSION = 1;

    /**
     * Offset of the magic number.
     */
    public static final int MAGIC_OFFSET = 0;

    /**
     * Offset of the version.
     */
    public static final int VERSION_OFFSET = 4;

    /**
     * Offset of the segment length.
     */
    public static final int SEGMENT_LENGTH_OFFSET = 8;

    /**
     * Offset of the first sequence.
     */
    public static final int FIRST_SEQUENCE_OFFSET = 16;

    /**
     * Offset of the previous checksum, the seed of this segment's checksum chain.
     */
    public static final int PREVIOUS_CHECKSUM_OFFSET = 24;

    /**
     * Offset of the header's own checksum.
     */
    public static final int HEADER_CHECKSUM_OFFSET = 60;

    /**
     * Length of the segment header; the first record starts here.
     */
    public static final int HEADER_LENGTH = 64;

    /**
     * Suffix of segment file names.
     */
    public static final String SUFFIX = ".seg";

    /**
     * Suffix of a segment being created; such files are deleted when a journal is opened.
     */
    public static final String TEMP_SUFFIX = ".seg.tmp";

    private static final int NAME_DIGITS = 20;

    private SegmentDescriptor()
    {
    }

    /**
     * File name of the segment whose first record has this sequence.
     *
     * @param firstSequence of the segment, at least 1.
     * @return e.g. {@code 00000000000000000001.seg}.
     */
    public static String fileName(final long firstSequence)
    {
        final String digits = Long.toString(firstSequence);
        final StringBuilder sb = new StringBuilder(NAME_DIGITS + SUFFIX.length());
        for (int i = digits.length(); i < NAME_DIGITS; i++)
        {
            sb.append('0');
        }

        return sb.append(digits).append(SUFFIX).toString();
    }

    /**
     * The first sequence encoded in a segment file name.
     *
     * @param file a path whose file name may be a segment name.
     * @return the first sequence, or -1 if the name is not a segment name.
     */
    public static long firstSequence(final Path file)
    {
        final String name = file.getFileName().toString();
        if (name.length() != NAME_DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX))
        {
            return -1;
        }

        long value = 0;
        for (int i = 0; i < NAME_DIGITS; i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0)
            {
                return -1;
            }
        }

        return value;
    }
}
