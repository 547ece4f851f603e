package io.paycore.journal;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.paycore.journal.RecordDescriptor.FRAME_ALIGNMENT;
import static io.paycore.journal.RecordDescriptor.HEADER_LENGTH;
import static io.paycore.journal.RecordDescriptor.RESERVED_OFFSET;
import static io.paycore.journal.RecordDescriptor.SEQUENCE_OFFSET;
import static io.paycore.journal.RecordDescriptor.TIMESTAMP_OFFSET;
import static io.paycore.journal.RecordDescriptor.TYPE_OFFSET;

/**
 * The journal's record checksum, for code that must compute it from a record's fields rather than read it from a
 * segment: the chained CRC32C of {@link RecordDescriptor}, computed by the same code the journal appends with. A
 * replicating primary ships each record with the checksum the journal gives it without waiting for the journaler;
 * a standby checks that each record it is sent continues its own chain.
 * <p>
 * Needs {@code --add-opens java.base/java.util.zip=ALL-UNNAMED}, as the journal does. One instance per thread;
 * allocation-free.
 */
public final class RecordChecksum
{
    private final UnsafeBuffer header = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(HEADER_LENGTH, FRAME_ALIGNMENT));
    private final UnsafeBuffer zeros = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(FRAME_ALIGNMENT, FRAME_ALIGNMENT));

    /**
     * The checksum a journaled record carries, from what a {@link JournalReader} or tailer hands its handler.
     *
     * @param segmentBuffer  the buffer the record's payload was handed in.
     * @param payloadOffset  the payload's offset in it.
     * @return the record's checksum, the head of the chain up to it.
     */
    public static int storedChecksum(final DirectBuffer segmentBuffer, final int payloadOffset)
    {
        return segmentBuffer.getInt(payloadOffset - HEADER_LENGTH + RecordDescriptor.CHECKSUM_OFFSET,
            ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param previousChecksum the checksum of the record before (0 before the first record of a journal).
     * @param type             record type.
     * @param sequence         record sequence.
     * @param timestampNanos   record timestamp.
     * @param payload          holding the payload: a heap array or off-heap memory, not a heap {@link ByteBuffer}.
     * @param offset           of the payload.
     * @param length           of the payload.
     * @return the checksum the journal gives this record.
     */
    public int checksum(
        final int previousChecksum,
        final int type,
        final long sequence,
        final long timestampNanos,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int frameLength = HEADER_LENGTH + length;
        final UnsafeBuffer header = this.header;
        header.putInt(TYPE_OFFSET, type);
        header.putInt(RESERVED_OFFSET, 0);
        header.putLong(SEQUENCE_OFFSET, sequence);
        header.putLong(TIMESTAMP_OFFSET, timestampNanos);

        int checksum = Checksums.update(
            Checksums.updateInt(previousChecksum, frameLength),
            header.addressOffset() + TYPE_OFFSET,
            HEADER_LENGTH - TYPE_OFFSET);
        if (length > 0)
        {
            final byte[] array = payload.byteArray();
            if (null != array)
            {
                checksum = Checksums.update(
                    checksum, array, (int)(payload.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
            }
            else
            {
                final ByteBuffer byteBuffer = payload.byteBuffer();
                if (null != byteBuffer && !byteBuffer.isDirect())
                {
                    throw new IllegalArgumentException("heap ByteBuffer payloads are not supported");
                }
                checksum = Checksums.update(checksum, payload.addressOffset() + offset, length);
            }
        }
        final int padding = RecordDescriptor.alignedFrameLength(length) - frameLength;
        if (padding > 0)
        {
            checksum = Checksums.update(checksum, zeros.addressOffset(), padding);
        }

        return checksum;
    }
}
