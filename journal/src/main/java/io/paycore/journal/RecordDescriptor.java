package io.paycore.journal;

/**
 * Layout of a record in a segment. All fields little-endian; records start on an {@link #FRAME_ALIGNMENT}
 * boundary.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 frame length (header + payload)               |  0  written last, with release semantics
 *  +---------------------------------------------------------------+
 *  |                         checksum (CRC32C)                     |  4
 *  +---------------------------------------------------------------+
 *  |                              type                             |  8
 *  +---------------------------------------------------------------+
 *  |                        reserved (zero)                        | 12
 *  +---------------------------------------------------------------+
 *  |                           sequence                            | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        timestamp nanos                        | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        payload ...                            | 32
 *  +---------------------------------------------------------------+
 *  |                 zero padding to FRAME_ALIGNMENT               |
 *  +---------------------------------------------------------------+
 * </pre>
 * The checksum chains: it is CRC32C continued from the previous record's checksum (or from the segment
 * header's {@link SegmentDescriptor#PREVIOUS_CHECKSUM_OFFSET previous checksum} for the first record of a
 * segment, 0 for the first record of the journal) over the 4 frame-length bytes and then bytes
 * {@code [8, align(frameLength))}, zero padding included. An edited, dropped, reordered or swapped record
 * therefore breaks the chain.
 * <p>
 * A frame length of {@link #END_OF_SEGMENT} marks that the writer moved on to the next segment; a frame
 * length of 0 means no record has been published there yet. While a record is being appended its frame length
 * is minus its aligned length ({@link #inProgress}), written before any of its bytes: a process killed in the
 * middle of an append leaves a record that says how far it reaches, so that recovery can tell that torn record
 * from damage followed by later records (records written before 2026-12-04 have no such mark).
 */
public final class RecordDescriptor
{
    /**
     * Offset of the frame length field.
     */
    public static final int LENGTH_OFFSET = 0;

    /**
     * Offset of the checksum field.
     */
    public static final int CHECKSUM_OFFSET = 4;

    /**
     * Offset of the type field.
     */
    public static final int TYPE_OFFSET = 8;

    /**
     * Offset of the reserved field, always zero.
     */
    public static final int RESERVED_OFFSET = 12;

    /**
     * Offset of the sequence field.
     */
    public static final int SEQUENCE_OFFSET = 16;

    /**
     * Offset of the timestamp field.
     */
    public static final int TIMESTAMP_OFFSET = 24;

    /**
     * Length of the record header, which is also the offset of the payload.
     */
    public static final int HEADER_LENGTH = 32;

    /**
     * Every record starts at a multiple of this many bytes from the start of the segment.
     */
    public static final int FRAME_ALIGNMENT = 8;

    /**
     * Frame length value that marks the end of the records in a segment.
     */
    public static final int END_OF_SEGMENT = -1;

    private RecordDescriptor()
    {
    }

    /**
     * Bytes a record with this payload length occupies in a segment, including padding.
     *
     * @param payloadLength in bytes.
     * @return aligned frame length in bytes.
     */
    public static int alignedFrameLength(final int payloadLength)
    {
        return (HEADER_LENGTH + payloadLength + (FRAME_ALIGNMENT - 1)) & ~(FRAME_ALIGNMENT - 1);
    }

    /**
     * @param frameLength a frame length read from a record.
     * @return whether it marks a record whose append is under way (or was cut short): minus its aligned length.
     */
    static boolean inProgress(final int frameLength)
    {
        return frameLength <= -HEADER_LENGTH && 0 == (frameLength & (FRAME_ALIGNMENT - 1));
    }

    static int align(final int frameLength)
    {
        return (frameLength + (FRAME_ALIGNMENT - 1)) & ~(FRAME_ALIGNMENT - 1);
    }
}
