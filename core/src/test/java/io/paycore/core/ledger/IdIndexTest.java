package io.paycore.core.ledger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdIndexTest
{
    @Property(tries = 200)
    void shouldBehaveLikeHashMapUnderPutsAndRemoves(
        @ForAll @Size(max = 400) final List<@IntRange(min = 0, max = 3) Integer> operations,
        @ForAll @Size(min = 400, max = 400) final List<@IntRange(min = 0, max = 60) Integer> keys,
        @ForAll @IntRange(min = 1, max = 64) final int maxEntries)
    {
        final IdIndex index = new IdIndex(maxEntries);
        final Map<List<Long>, Integer> reference = new HashMap<>();
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
                    if (reference.containsKey(id) || reference.size() < maxEntries)
                    {
                        final Integer previous = reference.put(id, i);
                        assertEquals(previous == null ? IdIndex.MISSING : previous, index.put(hi, lo, i));
                    }
                }
                case 2 ->
                {
                    final Integer previous = reference.remove(id);
                    assertEquals(previous == null ? IdIndex.MISSING : previous, index.remove(hi, lo));
                }
                default -> assertEquals(reference.getOrDefault(id, IdIndex.MISSING), index.get(hi, lo));
            }
            assertEquals(reference.size(), index.size());
        }
        for (final Map.Entry<List<Long>, Integer> e : reference.entrySet())
        {
            assertEquals(e.getValue(), index.get(e.getKey().get(0), e.getKey().get(1)));
        }
    }

    @Test
    void shouldSizeTableAtLeastTwiceMaxEntries()
    {
        assertEquals(8, new IdIndex(1).slots());
        assertEquals(8, new IdIndex(4).slots());
        assertEquals(16, new IdIndex(5).slots());
        assertEquals(1 << 21, new IdIndex(1 << 20).slots());
    }

    @Test
    void shouldRefuseMoreThanMaxEntries()
    {
        final IdIndex index = new IdIndex(2);
        index.put(0, 1, 0);
        index.put(1, 0, 1);
        assertEquals(0, index.put(0, 1, 5));

        assertThrows(IllegalStateException.class, () -> index.put(1, 1, 2));
    }

    @Test
    void shouldTellIdsThatShareAHalfApart()
    {
        final IdIndex index = new IdIndex(8);
        index.put(0, 7, 1);
        index.put(7, 0, 2);
        index.put(7, 7, 3);
        index.put(-1, -2, 4);

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
    void shouldForgetEverythingOnClear()
    {
        final IdIndex index = new IdIndex(4);
        index.put(0, 7, 1);
        index.clear();

        assertEquals(IdIndex.MISSING, index.get(0, 7));
        assertEquals(0, index.size());
    }
}
