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
        final Map<Long, Integer> reference = new HashMap<>();
        for (int i = 0; i < operations.size(); i++)
        {
            // Keys that are multiples of a power of two stress the hash; small keys stress probe runs.
            final long id = keys.get(i) * (i % 2 == 0 ? 1L : 1L << 40);
            switch (operations.get(i))
            {
                case 0, 1 ->
                {
                    if (reference.containsKey(id) || reference.size() < maxEntries)
                    {
                        final Integer previous = reference.put(id, i);
                        assertEquals(previous == null ? IdIndex.MISSING : previous, index.put(id, i));
                    }
                }
                case 2 ->
                {
                    final Integer previous = reference.remove(id);
                    assertEquals(previous == null ? IdIndex.MISSING : previous, index.remove(id));
                }
                default -> assertEquals(reference.getOrDefault(id, IdIndex.MISSING), index.get(id));
            }
            assertEquals(reference.size(), index.size());
        }
        for (final Map.Entry<Long, Integer> e : reference.entrySet())
        {
            assertEquals(e.getValue(), index.get(e.getKey()));
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
        index.put(1, 0);
        index.put(2, 1);
        assertEquals(0, index.put(1, 5));

        assertThrows(IllegalStateException.class, () -> index.put(3, 2));
    }

    @Test
    void shouldForgetEverythingOnClear()
    {
        final IdIndex index = new IdIndex(4);
        index.put(7, 1);
        index.clear();

        assertEquals(IdIndex.MISSING, index.get(7));
        assertEquals(0, index.size());
    }
}
