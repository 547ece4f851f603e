package io.paycore.core.ledger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link UInt128} against {@link BigInteger}, on halves that favour the edges (0, 1, the largest, around 2^63).
 */
class UInt128Test
{
    private static final BigInteger TWO_TO_128 = BigInteger.ONE.shiftLeft(128);

    @Property(tries = 2_000)
    void shouldAddAsBigIntegerDoesAndTellAnOverflow(
        @ForAll("halves") final long aHi, @ForAll("halves") final long aLo,
        @ForAll("halves") final long bHi, @ForAll("halves") final long bLo)
    {
        final BigInteger sum = UInt128.toBigInteger(aHi, aLo).add(UInt128.toBigInteger(bHi, bLo));
        assertEquals(sum.compareTo(TWO_TO_128) >= 0, UInt128.addOverflows(aHi, aLo, bHi, bLo));
        final BigInteger wrapped = sum.mod(TWO_TO_128);
        assertEquals(wrapped, UInt128.toBigInteger(UInt128.addHi(aHi, aLo, bHi, bLo), UInt128.addLo(aLo, bLo)));
    }

    @Property(tries = 2_000)
    void shouldSubtractAsBigIntegerDoesAndTellAnUnderflow(
        @ForAll("halves") final long aHi, @ForAll("halves") final long aLo,
        @ForAll("halves") final long bHi, @ForAll("halves") final long bLo)
    {
        final BigInteger difference = UInt128.toBigInteger(aHi, aLo).subtract(UInt128.toBigInteger(bHi, bLo));
        assertEquals(difference.signum() < 0, UInt128.subUnderflows(aHi, aLo, bHi, bLo));
        assertEquals(difference.mod(TWO_TO_128),
            UInt128.toBigInteger(UInt128.subHi(aHi, aLo, bHi, bLo), UInt128.subLo(aLo, bLo)));
    }

    @Property(tries = 2_000)
    void shouldCompareAsBigIntegerDoes(
        @ForAll("halves") final long aHi, @ForAll("halves") final long aLo,
        @ForAll("halves") final long bHi, @ForAll("halves") final long bLo)
    {
        assertEquals(
            Integer.signum(UInt128.toBigInteger(aHi, aLo).compareTo(UInt128.toBigInteger(bHi, bLo))),
            Integer.signum(UInt128.compare(aHi, aLo, bHi, bLo)));
    }

    @Property(tries = 1_000)
    void shouldPrintAndParseBackEveryValue(@ForAll("halves") final long hi, @ForAll("halves") final long lo)
    {
        final String text = UInt128.toString(hi, lo);
        assertEquals(UInt128.toBigInteger(hi, lo).toString(), text);
        final long[] parsed = new long[3];
        UInt128.parse(text, parsed, 1);
        assertEquals(hi, parsed[1]);
        assertEquals(lo, parsed[2]);
    }

    @Test
    void shouldKnowTheEdges()
    {
        assertTrue(UInt128.isZero(0, 0));
        assertTrue(UInt128.isMax(-1L, -1L));
        assertEquals("340282366920938463463374607431768211455", UInt128.toString(-1L, -1L));
        final long[] max = new long[2];
        UInt128.parse("max", max, 0);
        assertTrue(UInt128.isMax(max[0], max[1]));
        assertTrue(UInt128.addOverflows(-1L, -1L, 0, 1));
        assertTrue(UInt128.addOverflows(0, -1L, -1L, 1), "the carry alone overflows");
        assertTrue(UInt128.subUnderflows(0, 0, 0, 1));
        assertThrows(NumberFormatException.class, () -> UInt128.parse("-1", max, 0));
        assertThrows(NumberFormatException.class, () -> UInt128.parse(TWO_TO_128.toString(), max, 0));
    }

    @Provide
    Arbitrary<Long> halves()
    {
        return Arbitraries.oneOf(
            Arbitraries.of(0L, 1L, 2L, -1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1),
            Arbitraries.longs());
    }
}
