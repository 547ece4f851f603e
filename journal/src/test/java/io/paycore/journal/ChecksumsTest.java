package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumsTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN));

    @Property(tries = 500)
    void shouldMatchTheJdkCrc32cForAFreshChecksum(@ForAll final byte[] bytes)
    {
        final UnsafeBuffer data = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, bytes.length)));
        data.putBytes(0, bytes);
        final CRC32C jdk = new CRC32C();
        jdk.update(bytes);
        assertEquals((int)jdk.getValue(), Checksums.update(0, data.addressOffset(), bytes.length));
    }

    @Property(tries = 500)
    void shouldChainLikeOneCrc32cOverTheConcatenation(@ForAll final byte[] first, @ForAll final byte[] second)
    {
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        final UnsafeBuffer data = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, both.length)));
        data.putBytes(0, both);
        final int chained = Checksums.update(
            Checksums.update(0, data.addressOffset(), first.length), data.addressOffset() + first.length,
            second.length);
        assertEquals(Checksums.update(0, data.addressOffset(), both.length), chained);
    }

    @Property(tries = 1000)
    void shouldAddAnIntFromARegisterAsItsFourLittleEndianBytes(@ForAll final int previous, @ForAll final int value)
    {
        buffer.putInt(0, value, ByteOrder.LITTLE_ENDIAN);
        assertEquals(Checksums.update(previous, buffer.addressOffset(), 4), Checksums.updateInt(previous, value));
    }
}
