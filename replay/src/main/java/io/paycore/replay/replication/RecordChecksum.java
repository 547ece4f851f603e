package io.paycore.replay.replication;

import io.paycore.journal.RecordDescriptor;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Computes a journal record's chained CRC32C from its fields, exactly as the journal does (see
 * {@link RecordDescriptor}): CRC32C continued from the previous record's checksum over the frame length, then the
 * header from the type on (type, a zero reserved word, sequence, timestamp), the payload and the zero padding to
 * {@link RecordDescriptor#FRAME_ALIGNMENT}. The primary's replicator uses it to ship each record with the checksum
 * the journal gives it, without waiting for the journaler; the standby to verify that each record it is sent
 * continues its own chain.
 * <p>
 * Needs {@code --add-opens java.base/java.util.zip=ALL-UNNAMED}, as the journal does. One instance per thread;
 * allocation-free.
 */
public final class RecordChecksum
{
    private static final MethodHandle UPDATE_BYTES;
    private static final MethodHandle UPDATE_DIRECT;
    private static final int PREFIX_LENGTH = 4 + RecordDescriptor.HEADER_LENGTH - RecordDescriptor.TYPE_OFFSET;

    static
    {
        try
        {
            final Method bytes = CRC32C.class.getDeclaredMethod(
                "updateBytes", int.class, byte[].class, int.class, int.class);
            bytes.setAccessible(true);
            UPDATE_BYTES = MethodHandles.lookup().unreflect(bytes);
            final Method direct = CRC32C.class.getDeclaredMethod(
                "updateDirectByteBuffer", int.class, long.class, int.class, int.class);
            direct.setAccessible(true);
            UPDATE_DIRECT = MethodHandles.lookup().unreflect(direct);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new ExceptionInInitializerError(new IllegalStateException(
                "CRC32C intrinsic not accessible: run with --add-opens java.base/java.util.zip=ALL-UNNAMED", ex));
        }
    }

    private final UnsafeBuffer prefix = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(64, RecordDescriptor.FRAME_ALIGNMENT));
    private final UnsafeBuffer zeros = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(RecordDescriptor.FRAME_ALIGNMENT, RecordDescriptor.FRAME_ALIGNMENT));

    /**
     * @param previousChecksum the checksum of the record before (0 before the first record of a journal).
     * @param type             record type.
     * @param sequence         record sequence.
     * @param timestampNanos   record timestamp.
     * @param payload          holding the payload.
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
        final int frameLength = RecordDescriptor.HEADER_LENGTH + length;
        final UnsafeBuffer prefix = this.prefix;
        prefix.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        prefix.putInt(4, type, ByteOrder.LITTLE_ENDIAN);
        prefix.putInt(8, 0, ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(12, sequence, ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(20, timestampNanos, ByteOrder.LITTLE_ENDIAN);

        int crc = ~previousChecksum;
        crc = updateDirect(crc, prefix.addressOffset(), PREFIX_LENGTH);
        if (length > 0)
        {
            final byte[] array = payload.byteArray();
            if (null != array)
            {
                final int arrayOffset = (int)(payload.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset;
                crc = updateBytes(crc, array, arrayOffset, length);
            }
            else
            {
                final ByteBuffer byteBuffer = payload.byteBuffer();
                if (null != byteBuffer && !byteBuffer.isDirect())
                {
                    throw new IllegalArgumentException("heap ByteBuffer payloads are not supported");
                }
                crc = updateDirect(crc, payload.addressOffset() + offset, length);
            }
        }
        final int padding = RecordDescriptor.alignedFrameLength(length) - frameLength;
        if (padding > 0)
        {
            crc = updateDirect(crc, zeros.addressOffset(), padding);
        }

        return ~crc;
    }

    private static int updateDirect(final int crc, final long address, final int length)
    {
        try
        {
            return (int)UPDATE_DIRECT.invokeExact(crc, address, 0, length);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int updateBytes(final int crc, final byte[] array, final int offset, final int length)
    {
        try
        {
            return (int)UPDATE_BYTES.invokeExact(crc, array, offset, offset + length);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
