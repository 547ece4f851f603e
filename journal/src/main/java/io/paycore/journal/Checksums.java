package io.paycore.journal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.zip.CRC32C;

/**
 * Chained CRC32C over off-heap memory, without allocation, using the JDK's intrinsic for direct buffers.
 * Needs {@code --add-opens java.base/java.util.zip=ALL-UNNAMED}, as Agrona's own CRC32C does.
 */
final class Checksums
{
    private static final MethodHandle UPDATE_DIRECT;
    private static final int CASTAGNOLI_REFLECTED = 0x82F63B78;
    private static final int[] TABLE = new int[256];

    static
    {
        for (int i = 0; i < TABLE.length; i++)
        {
            int crc = i;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = 0 != (crc & 1) ? (crc >>> 1) ^ CASTAGNOLI_REFLECTED : crc >>> 1;
            }
            TABLE[i] = crc;
        }
        try
        {
            final Method method = CRC32C.class.getDeclaredMethod(
                "updateDirectByteBuffer", int.class, long.class, int.class, int.class);
            method.setAccessible(true);
            UPDATE_DIRECT = MethodHandles.lookup().unreflect(method);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new ExceptionInInitializerError(new JournalException(
                "CRC32C intrinsic not accessible: run with --add-opens java.base/java.util.zip=ALL-UNNAMED", ex));
        }
    }

    private Checksums()
    {
    }

    /**
     * Continue a CRC32C over the 4 little-endian bytes of an int, from a register: cheaper than the intrinsic for so
     * few bytes and needs no memory. Equal to {@link #update(int, long, int)} over those bytes in memory.
     *
     * @param checksum previous value in the chain.
     * @param value    whose 4 bytes, least significant first, are added.
     * @return the continued checksum.
     */
    static int updateInt(final int checksum, final int value)
    {
        int crc = ~checksum;
        crc = TABLE[(crc ^ value) & 0xFF] ^ (crc >>> 8);
        crc = TABLE[(crc ^ (value >>> 8)) & 0xFF] ^ (crc >>> 8);
        crc = TABLE[(crc ^ (value >>> 16)) & 0xFF] ^ (crc >>> 8);
        crc = TABLE[(crc ^ (value >>> 24)) & 0xFF] ^ (crc >>> 8);

        return ~crc;
    }

    /**
     * Continue a CRC32C: the result equals CRC32C of (bytes whose CRC32C is {@code checksum}) followed by the
     * given bytes. A {@code checksum} of 0 starts a fresh CRC32C.
     *
     * @param checksum previous value in the chain.
     * @param address  of the first byte.
     * @param length   number of bytes.
     * @return the continued checksum.
     */
    static int update(final int checksum, final long address, final int length)
    {
        try
        {
            return ~(int)UPDATE_DIRECT.invokeExact(~checksum, address, 0, length);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
