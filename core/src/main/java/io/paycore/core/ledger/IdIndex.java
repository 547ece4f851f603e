package io.paycore.core.ledger;

import java.util.Arrays;

/**
 * A fixed-capacity open-addressing map from a 64-bit id to a record index, with linear probing and
 * backward-shift deletion, on one {@code long[]} of (id, index) pairs so that a probe touches one cache line.
 * <p>
 * Why not Agrona's {@code Long2LongHashMap}: the ledger needs to read the home slot of an id <em>without</em> the
 * probe loop ({@link #touch(long)}), so that it can warm the slots of a whole batch with independent loads whose
 * cache misses overlap; with Agrona the full lookup per event left too little overlap to matter (see the
 * {@code LedgerBenchmark} notes). Capacity is fixed at construction (a power of two, at least twice the most
 * entries, so the load factor stays at or below 0.5); it never grows and never rehashes. Not thread safe.
 */
final class IdIndex
{
    static final int MISSING = -1;

    private final long[] entries;
    private final int mask;
    private final int shift;
    private final int maxEntries;
    private int size;

    /**
     * @param maxEntries the most ids held at once.
     */
    IdIndex(final int maxEntries)
    {
        final int slots = Math.max(8, Integer.highestOneBit(Math.max(1, maxEntries) * 2 - 1) << 1);
        this.maxEntries = maxEntries;
        entries = new long[slots * 2];
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
        Arrays.fill(entries, MISSING);
    }

    int slots()
    {
        return mask + 1;
    }

    int size()
    {
        return size;
    }

    private int home(final long id)
    {
        return (int)((id * 0x9E37_79B9_7F4A_7C15L) >>> shift);
    }

    /**
     * @param id to look up.
     * @return its index, or {@link #MISSING}.
     */
    int get(final long id)
    {
        final long[] entries = this.entries;
        int slot = home(id);
        while (true)
        {
            final long value = entries[(slot << 1) + 1];
            if (value == MISSING)
            {
                return MISSING;
            }
            if (entries[slot << 1] == id)
            {
                return (int)value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Read the home slot of an id, to bring its cache line in ahead of a lookup; no effect on the map.
     *
     * @param id to be looked up soon.
     * @return the id stored in the home slot, to be consumed by the caller so the load is not eliminated.
     */
    long touch(final long id)
    {
        return entries[home(id) << 1];
    }

    /**
     * Map an id to an index.
     *
     * @param id    to add or update.
     * @param index its record index, not negative.
     * @return the index it had, or {@link #MISSING}.
     * @throws IllegalStateException if the map already holds its maximum number of ids.
     */
    int put(final long id, final int index)
    {
        final long[] entries = this.entries;
        int slot = home(id);
        while (true)
        {
            final long value = entries[(slot << 1) + 1];
            if (value == MISSING)
            {
                if (size == maxEntries)
                {
                    throw new IllegalStateException("IdIndex is full: maxEntries=" + maxEntries);
                }
                entries[slot << 1] = id;
                entries[(slot << 1) + 1] = index;
                size++;
                return MISSING;
            }
            if (entries[slot << 1] == id)
            {
                entries[(slot << 1) + 1] = index;
                return (int)value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Remove an id, shifting back the entries of its probe run so that no tombstone is left.
     *
     * @param id to remove.
     * @return the index it had, or {@link #MISSING}.
     */
    int remove(final long id)
    {
        final long[] entries = this.entries;
        int slot = home(id);
        while (true)
        {
            final long value = entries[(slot << 1) + 1];
            if (value == MISSING)
            {
                return MISSING;
            }
            if (entries[slot << 1] == id)
            {
                break;
            }
            slot = (slot + 1) & mask;
        }

        final int removed = (int)entries[(slot << 1) + 1];
        int hole = slot;
        int next = (hole + 1) & mask;
        while (entries[(next << 1) + 1] != MISSING)
        {
            final int nextHome = home(entries[next << 1]);
            final boolean movable = hole <= next ?
                (nextHome <= hole || nextHome > next) :
                (nextHome <= hole && nextHome > next);
            if (movable)
            {
                entries[hole << 1] = entries[next << 1];
                entries[(hole << 1) + 1] = entries[(next << 1) + 1];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        entries[hole << 1] = MISSING;
        entries[(hole << 1) + 1] = MISSING;
        size--;
        return removed;
    }

    /**
     * Remove every id; a fill of the whole table.
     */
    void clear()
    {
        Arrays.fill(entries, MISSING);
        size = 0;
    }
}
