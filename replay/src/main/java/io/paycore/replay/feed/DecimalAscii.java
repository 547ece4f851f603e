package io.paycore.replay.feed;

import org.agrona.MutableDirectBuffer;

/**
 * Unsigned 64- and 128-bit numbers as decimal ASCII text written straight into a buffer: the same digits as
 * {@link Long#toUnsignedString(long)} and {@link io.paycore.core.ledger.UInt128#toString(long, long)}, with no
 * allocation, for encoders that run once per change.
 */
public final class DecimalAscii
{
    /** Digits of the largest unsigned 64-bit value, 18446744073709551615. */
    public static final int UNSIGNED_LONG_MAX_DIGITS = 20;

    /** Digits of the largest unsigned 128-bit value, 2<sup>128</sup> - 1. */
    public static final int UINT128_MAX_DIGITS = 39;

    private static final long BILLION = 1_000_000_000L;
    private static final int BILLION_DIGITS = 9;
    private static final long LOW_32_BITS = 0xFFFF_FFFFL;

    private DecimalAscii()
    {
    }

    /**
     * Write an unsigned 64-bit value in decimal.
     *
     * @param buffer to write to, with room for {@link #UNSIGNED_LONG_MAX_DIGITS} bytes at {@code index}.
     * @param index  where the first digit goes.
     * @param value  read as unsigned.
     * @return the bytes written.
     */
    public static int putUnsignedLong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        if (value >= 0)
        {
            return buffer.putNaturalLongAscii(index, value);
        }
        final long quotient = (value >>> 1) / 5; // the unsigned value / 10, which fits a signed long
        final long lastDigit = value - quotient * 10;
        final int length = buffer.putNaturalLongAscii(index, quotient);
        buffer.putByte(index + length, (byte)('0' + lastDigit));
        return length + 1;
    }

    /**
     * Write an unsigned 128-bit value in decimal.
     *
     * @param buffer to write to, with room for {@link #UINT128_MAX_DIGITS} bytes at {@code index}.
     * @param index  where the first digit goes.
     * @param hi     high 64 bits.
     * @param lo     low 64 bits.
     * @return the bytes written.
     */
    public static int putUInt128(final MutableDirectBuffer buffer, final int index, final long hi, final long lo)
    {
        if (0 == hi)
        {
            return putUnsignedLong(buffer, index, lo);
        }

        // Three divisions by 10^9, 32 bits at a time, split the value into top * 10^27 + high * 10^18 +
        // middle * 10^9 + low, each group below 10^9 and top below 10^12 (2^128 < 3.5 * 10^38).
        long limb3 = hi >>> 32;
        long limb2 = hi & LOW_32_BITS;
        long limb1 = lo >>> 32;
        long limb0 = lo & LOW_32_BITS;
        long low = 0;
        long middle = 0;
        long high = 0;
        for (int round = 0; round < 3; round++)
        {
            long remainder = limb3 % BILLION;
            limb3 /= BILLION;
            long dividend = (remainder << 32) | limb2; // remainder < 2^30: no overflow
            limb2 = dividend / BILLION;
            remainder = dividend % BILLION;
            dividend = (remainder << 32) | limb1;
            limb1 = dividend / BILLION;
            remainder = dividend % BILLION;
            dividend = (remainder << 32) | limb0;
            limb0 = dividend / BILLION;
            remainder = dividend % BILLION;
            low = middle;
            middle = high;
            high = remainder;
        }
        assert 0 == limb3 && 0 == limb2 : "what is left of 2^128 / 10^27 fits 64 bits";
        final long top = (limb1 << 32) | limb0;

        int length;
        if (0 != top)
        {
            length = buffer.putNaturalLongAscii(index, top);
            buffer.putNaturalPaddedIntAscii(index + length, BILLION_DIGITS, (int)high);
            length += BILLION_DIGITS;
        }
        else
        {
            // hi != 0 makes the value at least 2^64 > 18 * 10^18, so with top 0 the high group is not 0
            length = buffer.putNaturalLongAscii(index, high);
        }
        buffer.putNaturalPaddedIntAscii(index + length, BILLION_DIGITS, (int)middle);
        length += BILLION_DIGITS;
        buffer.putNaturalPaddedIntAscii(index + length, BILLION_DIGITS, (int)low);
        return length + BILLION_DIGITS;
    }
}
