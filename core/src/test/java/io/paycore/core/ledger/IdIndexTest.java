package io.paycore.core.ledger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdIndexTest
{
    private static final int STRIDE = 3;
    private static final int LO = 2;
    private static final int HI = 0;

    /**
     * Records of {@value #STRIDE} longs, the id's halves at {@value #HI} and {@value #LO}, after {@code base} records
     * that belong to something else, as the ledger's pool follows its ring.
     */
    private static final class Records
    {
        final int base;
        final long[] store;
        final IdIndex index;

        Records(final int maxEntries, final int base)
        {
            this.base = base;
            store = new long[(base + maxEntries) * STRIDE];
            index = new IdIndex(maxEntries, store, base, STRIDE, LO, HI);
        }

        void write(final int record, final long hi, final long lo)
        {
            store[(base + record) * STRIDE + HI] = hi;
            store[(base + record) * STRIDE + LO] = lo;
        }

        int put(final int record, final long hi, final long lo)
        {
            write(record, hi, lo);
            return index.put(hi, lo, record);
        }
    }

    @Property(tries = 200)
    void shouldBehaveLikeHashMapUnderPutsAndRemoves(
        @ForAll @Size(max = 400) final List<@IntRange(min = 0, max = 3) Integer> operations,
        @ForAll @Size(min = 400, max = 400) final List<@IntRange(min = 0, max = 60) Integer> keys,
        @ForAll @IntRange(min = 1, max = 64) final int maxEntries,
        @ForAll @IntRange(min = 0, max = 3) final int base)
    {
        final Records records = new Records(maxEntries, base);
        final IdIndex index = records.index;
        final Map<List<Long>, Integer> reference = new HashMap<>();
        final ArrayDeque<Integer> free = new ArrayDeque<>();
        for (int r = 0; r < maxEntries; r++)
        {
            free.add(r);
        }
        for (int i = 0; i < operations.size(); i++)
        {
            // Keys that are multiples of a power of two stress the hash; small keys stress probe runs; keys that
            // share one half with another key (k in the low half, in the high half, in both) must stay apart.
            final long k = keys.get(i) * (i % 2 == 0 ? 1L : 1L << 40);
            final int shape = (i / 2) % 3;
            final long hi = 0 == shape ? 0 : k;
            final long lo = 1 == shape ? 0 : k;
            final List<Long> id = List.of(hi, lo);
            switch (operations.get(i))
            {
                case 0, 1 ->
                {
                    final Integer previous = reference.get(id);
                    if (null != previous || !free.isEmpty())
                    {
                        // A new record for the id where there is one free, as a re-record moves a transfer;
                        // else the same one.
                        final int record = free.isEmpty() ? previous : free.poll();
                        assertEquals(null == previous ? IdIndex.MISSING : previous, records.put(record, hi, lo));
                        reference.put(id, record);
                        if (null != previous && previous != record)
                        {
                            records.write(previous, 0, 0);
                            free.add(previous);
                        }
                    }
                }
                case 2 ->
                {
                    final Integer previous = reference.remove(id);
                    assertEquals(null == previous ? IdIndex.MISSING : previous, index.remove(hi, lo));
                    if (null != previous)
                    {
                        records.write(previous, 0, 0);
                        free.add(previous);
                    }
                }
                default -> assertEquals(reference.getOrDefault(id, IdIndex.MISSING), index.get(hi, lo));
            }
            assertEquals(reference.size(), index.size());
        }
        for (final Map.Entry<List<Long>, Integer> e : reference.entrySet())
        {
            final long hi = e.getKey().get(0);
            final long lo = e.getKey().get(1);
            assertEquals(e.getValue(), index.get(hi, lo));
            assertEquals(e.getValue(), index.candidate(IdIndex.hash(hi, lo)));
        }
    }

    @Test
    void shouldSizeTableToTheLeastPowerOfTwoAtMostThirtyPercentFull()
    {
        assertEquals(8, new Records(1, 0).index.slots());
        assertEquals(8, new Records(2, 0).index.slots());
        assertEquals(16, new Records(4, 0).index.slots());
        assertEquals(32, new Records(5, 0).index.slots());
        assertEquals(64, new Records(19, 0).index.slots());
        assertEquals(128, new Records(20, 0).index.slots());
        assertEquals(1 << 22, new Records(1 << 20, 0).index.slots());
        // The default ring with a cold tier: a hot window of 2^22 records and a cold lag of 2^18.
        assertEquals(1L << 24, IdIndex.slotsFor((1 << 22) + (1 << 18)));
        assertEquals(1L << 23, IdIndex.slotsFor(1 << 21));
        // Counted beyond what an array holds, for the heap estimate of limits too large to allocate.
        assertEquals(1L << 32, IdIndex.slotsFor(1L << 30));
    }

    @Test
    void shouldRefuseMoreThanMaxEntries()
    {
        final Records records = new Records(2, 0);
        records.put(0, 0, 1);
        records.put(1, 1, 0);
        assertEquals(0, records.put(0, 0, 1));

        assertThrows(IllegalStateException.class, () -> records.index.put(1, 1, 1));
    }

    @Test
    void shouldTellIdsThatShareAHalfApart()
    {
        final Records records = new Records(8, 1);
        final IdIndex index = records.index;
        records.put(1, 0, 7);
        records.put(2, 7, 0);
        records.put(3, 7, 7);
        records.put(4, -1, -2);

        assertEquals(1, index.get(0, 7));
        assertEquals(2, index.get(7, 0));
        assertEquals(3, index.get(7, 7));
        assertEquals(4, index.get(-1, -2));
        assertEquals(IdIndex.MISSING, index.get(-2, -1));
        assertEquals(1, index.remove(0, 7));
        assertEquals(IdIndex.MISSING, index.get(0, 7));
        assertEquals(2, index.get(7, 0));
    }

    @Test
    void shouldCheckTheRecordWhenTheTagMatches()
    {
        final Records records = new Records(4, 0);
        final IdIndex index = records.index;
        records.put(2, 5, 9);
        assertEquals(2, index.get(5, 9));

        // The slot still holds the id's tag, but its record now names another id: the id is not found, and the
        // tags alone still point at the record.
        records.write(2, 5, 10);
        assertEquals(IdIndex.MISSING, index.get(5, 9));
        assertEquals(IdIndex.MISSING, index.remove(5, 9));
        assertEquals(2, index.candidate(IdIndex.hash(5, 9)));
        assertEquals(1, index.size());
    }

    @Test
    void shouldForgetEverythingOnClear()
    {
        final Records records = new Records(4, 0);
        records.put(1, 0, 7);
        records.index.clear();

        assertEquals(IdIndex.MISSING, records.index.get(0, 7));
        assertEquals(0, records.index.size());
    }
}
