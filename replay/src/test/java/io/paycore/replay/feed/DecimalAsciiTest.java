package io.paycore.replay.feed;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import io.paycore.core.ledger.UInt128;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DecimalAscii} against {@link BigInteger}'s decimal text, on halves that favour the edges, and on every power
 * of ten and its neighbours up to 2<sup>128</sup> - 1, where the digit groups turn over.
 */
class DecimalAsciiTest
{
    private static final BigInteger MASK_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger MAX_128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    @Property(tries = 2_000)
    void shouldWriteUInt128AsBigIntegerDoes(@ForAll("halves") final long hi, @ForAll("halves") final long lo)
    {
        assertEquals(UInt128.toBigInteger(hi, lo).toString(), uint128(hi, lo));
    }

    @Property(tries = 1_000)
    void shouldWriteUnsignedLongAsLongDoes(@ForAll("halves") final long value)
    {
        assertEquals(Long.toUnsignedString(value), unsignedLong(value));
    }

    @Test
    void shouldWriteEveryPowerOfTenAndItsNeighbours()
    {
        BigInteger power = BigInteger.ONE;
        while (power.compareTo(MAX_128) <= 0)
        {
            for (int delta = -1; delta <= 1; delta++)
            {
                final BigInteger value = power.add(BigInteger.valueOf(delta));
                if (value.compareTo(MAX_128) <= 0)
                {
                    final long hi = value.shiftRight(64).longValue();
                    assertEquals(value.toString(), uint128(hi, value.and(MASK_64).longValue()));
                }
            }
            power = power.multiply(BigInteger.TEN);
        }
        assertEquals(MAX_128.toString(), uint128(-1L, -1L));
        assertEquals("18446744073709551616", uint128(1, 0));
        assertEquals("18446744073709551615", unsignedLong(-1L));
        assertEquals("0", uint128(0, 0));
    }

    @Provide
    Arbitrary<Long> halves()
    {
        return Arbitraries.oneOf(
            Arbitraries.of(0L, 1L, 2L, -1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE, 54_210_108L, 54_210_109L),
            Arbitraries.longs(),
            Arbitraries.longs().between(0, 100_000_000L));
    }

    private static String uint128(final long hi, final long lo)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[DecimalAscii.UINT128_MAX_DIGITS + 2]);
        final int length = DecimalAscii.putUInt128(buffer, 1, hi, lo);
        assertEquals((byte)0, buffer.getByte(1 + length), "nothing written past the length returned");
        return buffer.getStringWithoutLengthAscii(1, length);
    }

    private static String unsignedLong(final long value)
    {
        final byte[] bytes = new byte[DecimalAscii.UNSIGNED_LONG_MAX_DIGITS];
        final int length = DecimalAscii.putUnsignedLong(new UnsafeBuffer(bytes), 0, value);
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
