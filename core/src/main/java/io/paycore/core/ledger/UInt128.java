package io.paycore.core.ledger;

import java.math.BigInteger;

/**
 * Unsigned 128-bit integers held as two {@code long}s, the high and the low 64 bits, as TigerBeetle's ids, amounts
 * and balances are: arithmetic that allocates nothing, for a ledger that keeps its values in {@code long[]} stores.
 * Each operation takes its operands as {@code (hi, lo)} pairs and returns one half of the result, so a caller writes
 * the two halves where they live; {@link #addOverflows} and {@link #subUnderflows} say whether the full result fits.
 * <p>
 * {@link #toString(long, long)} and {@link #parse} are for tools and tests: they allocate.
 */
public final class UInt128
{
    /**
     * Both halves of the largest value, 2<sup>128</sup> - 1 (TigerBeetle's {@code AMOUNT_MAX}, and an id no event
     * may have).
     */
    public static final long MAX_HALF = -1L;

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private UInt128()
    {
    }

    /**
     * @return true if {@code a + b} is 2<sup>128</sup> or more.
     */
    public static boolean addOverflows(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final long carry = carry(aLo, bLo);
        final long hi = aHi + bHi;
        if (Long.compareUnsigned(hi, aHi) < 0)
        {
            return true;
        }
        return 1 == carry && -1L == hi;
    }

    /**
     * @return the low 64 bits of {@code a + b}.
     */
    public static long addLo(final long aLo, final long bLo)
    {
        return aLo + bLo;
    }

    /**
     * @return the high 64 bits of {@code a + b} (modulo 2<sup>128</sup>).
     */
    public static long addHi(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        return aHi + bHi + carry(aLo, bLo);
    }

    /**
     * @return true if {@code a - b} is below 0.
     */
    public static boolean subUnderflows(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        return compare(aHi, aLo, bHi, bLo) < 0;
    }

    /**
     * @return the low 64 bits of {@code a - b}.
     */
    public static long subLo(final long aLo, final long bLo)
    {
        return aLo - bLo;
    }

    /**
     * @return the high 64 bits of {@code a - b} (modulo 2<sup>128</sup>).
     */
    public static long subHi(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        return aHi - bHi - (Long.compareUnsigned(aLo, bLo) < 0 ? 1 : 0);
    }

    /**
     * @return a negative number, zero or a positive number as {@code a} is below, equal to or above {@code b}.
     */
    public static int compare(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final int high = Long.compareUnsigned(aHi, bHi);
        return 0 != high ? high : Long.compareUnsigned(aLo, bLo);
    }

    /**
     * @return true if the value is 0.
     */
    public static boolean isZero(final long hi, final long lo)
    {
        return 0 == (hi | lo);
    }

    /**
     * @return true if the value is 2<sup>128</sup> - 1.
     */
    public static boolean isMax(final long hi, final long lo)
    {
        return MAX_HALF == hi && MAX_HALF == lo;
    }

    /**
     * @return the value in decimal. Allocates.
     */
    public static String toString(final long hi, final long lo)
    {
        if (0 == hi)
        {
            return Long.toUnsignedString(lo);
        }
        return toBigInteger(hi, lo).toString();
    }

    /**
     * @return the value as a {@link BigInteger}. Allocates.
     */
    public static BigInteger toBigInteger(final long hi, final long lo)
    {
        return new BigInteger(Long.toUnsignedString(hi)).multiply(TWO_TO_64).add(
            new BigInteger(Long.toUnsignedString(lo)));
    }

    /**
     * Read a decimal value, or {@code max} for 2<sup>128</sup> - 1. Allocates.
     *
     * @param text  the value.
     * @param into  where the halves go: {@code into[offset]} the high, {@code into[offset + 1]} the low.
     * @param offset of the high half in {@code into}.
     * @throws NumberFormatException if the text is not a decimal number from 0 to 2<sup>128</sup> - 1.
     */
    public static void parse(final String text, final long[] into, final int offset)
    {
        final BigInteger value = "max".equals(text) ? MAX : new BigInteger(text);
        if (value.signum() < 0 || value.compareTo(MAX) > 0)
        {
            throw new NumberFormatException("not an unsigned 128-bit value: " + text);
        }
        into[offset] = value.shiftRight(64).longValue();
        into[offset + 1] = value.longValue();
    }

    private static long carry(final long aLo, final long bLo)
    {
        return Long.compareUnsigned(aLo + bLo, aLo) < 0 ? 1 : 0;
    }
}
