package io.paycore.core.ledger;

import java.util.Arrays;

/**
 * A fixed-capacity open-addressing map from an unsigned 128-bit id (hi, lo) to a record index, with linear probing
 * and backward-shift deletion, on one {@code long[]} of slots.
 * <p>
 * <b>Slot layout</b>: {@link #SLOT_LONGS} longs a slot, (lo, hi, index, unused): 32 bytes, of which a probe reads
 * the first 24. Why a power-of-two stride rather than packed 24-byte slots: two slots share each 64-byte line, a
 * slot's offset is a shift instead of a multiply, and whether a probe stays in one line depends only on where the
 * JVM put the array's data, which Java leaves open (HotSpot aligns it to 8 bytes). When the data starts at 0 or 8
 * modulo 32 the 24 bytes read never straddle a line; at 16 or 24 modulo 32 every other slot straddles. That is one
 * probe in four on average, the same as packed 24-byte slots (which straddle one slot in four wherever they start),
 * and none at all for the placements that allow it. 16-byte slots (a second array for the index) would halve the
 * table but put every hit on two lines. The table has at least twice as many slots as entries, so it is 64 to 128
 * bytes an entry.
 * <p>
 * The home slot hashes both halves of the id (each multiplied by its own odd constant, then mixed), so ids that
 * differ only in their high half spread as well as those that differ in their low half.
 * <p>
 * Why not Agrona's {@code Long2LongHashMap}: the ledger needs to read the home slot of an id <em>without</em> the
 * probe loop ({@link #touch(long, long)}), so that it can warm the slots of a whole batch with independent loads
 * whose cache misses overlap; and Agrona has no 128-bit key. Capacity is fixed at construction (a power of two, at
 * least twice the most entries, so the load factor stays at or below 0.5); it never grows and never rehashes. Not
 * thread safe.
 */
final class IdIndex
{
    static final int MISSING = -1;

    /**
     * Longs per slot: lo, hi, index, and one unused to keep the stride a power of two.
     */
    static final int SLOT_LONGS = 4;
    private static final int SLOT_SHIFT = 2;
    private static final int LO = 0;
    private static final int HI = 1;
    private static final int INDEX = 2;

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
        entries = new long[slots * SLOT_LONGS];
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
        clear();
    }

    /**
     * @return the number of slots.
     */
    int slots()
    {
        return mask + 1;
    }

    /**
     * @return the number of ids held.
     */
    int size()
    {
        return size;
    }

    private int home(final long hi, final long lo)
    {
        long h = lo * 0x9E37_79B9_7F4A_7C15L + hi * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= h >>> 32;
        return (int)((h * 0xD6E8_FEB8_6659_FD93L) >>> shift);
    }

    /**
     * @param hi high half of the id.
     * @param lo low half of the id.
     * @return the index stored for the id, or {@link #MISSING}.
     */
    int get(final long hi, final long lo)
    {
        final long[] entries = this.entries;
        int slot = home(hi, lo);
        while (true)
        {
            final int base = slot << SLOT_SHIFT;
            final long value = entries[base + INDEX];
            if (value == MISSING)
            {
                return MISSING;
            }
            if (entries[base + LO] == lo && entries[base + HI] == hi)
            {
                return (int)value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Read the home slot of an id, to bring its cache line in ahead of a lookup; no effect on the map.
     *
     * @param hi high half of the id to be looked up soon.
     * @param lo low half.
     * @return the low half stored in the home slot, to be consumed by the caller so the load is not eliminated.
     */
    long touch(final long hi, final long lo)
    {
        // The slot's first and third longs: a probe reads both, and where the array's data starts 16 or 24 bytes
        // into a 32-byte stride they can be on two lines.
        final int base = home(hi, lo) << SLOT_SHIFT;
        return entries[base + LO] + entries[base + INDEX];
    }

    /**
     * Map an id to an index, replacing any index it had.
     *
     * @param hi    high half of the id.
     * @param lo    low half of the id.
     * @param index not negative.
     * @return the index it replaced, or {@link #MISSING}.
     * @throws IllegalStateException if the id is new and the map holds {@code maxEntries} already (a bug in the
     *                               caller, which checks its own limits first).
     */
    int put(final long hi, final long lo, final int index)
    {
        final long[] entries = this.entries;
        int slot = home(hi, lo);
        while (true)
        {
            final int base = slot << SLOT_SHIFT;
            final long value = entries[base + INDEX];
            if (value == MISSING)
            {
                if (size == maxEntries)
                {
                    throw new IllegalStateException("IdIndex is full: maxEntries=" + maxEntries);
                }
                entries[base + LO] = lo;
                entries[base + HI] = hi;
                entries[base + INDEX] = index;
                size++;
                return MISSING;
            }
            if (entries[base + LO] == lo && entries[base + HI] == hi)
            {
                entries[base + INDEX] = index;
                return (int)value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Remove an id, shifting later entries of its probe run back so that no tombstone is left.
     *
     * @param hi high half of the id.
     * @param lo low half of the id.
     * @return the index it had, or {@link #MISSING}.
     */
    int remove(final long hi, final long lo)
    {
        final long[] entries = this.entries;
        int slot = home(hi, lo);
        while (true)
        {
            final int base = slot << SLOT_SHIFT;
            final long value = entries[base + INDEX];
            if (value == MISSING)
            {
                return MISSING;
            }
            if (entries[base + LO] == lo && entries[base + HI] == hi)
            {
                break;
            }
            slot = (slot + 1) & mask;
        }

        final int removed = (int)entries[(slot << SLOT_SHIFT) + INDEX];
        int hole = slot;
        int next = (hole + 1) & mask;
        while (entries[(next << SLOT_SHIFT) + INDEX] != MISSING)
        {
            final int nextBase = next << SLOT_SHIFT;
            final int nextHome = home(entries[nextBase + HI], entries[nextBase + LO]);
            final boolean movable = hole <= next ?
                (nextHome <= hole || nextHome > next) :
                (nextHome <= hole && nextHome > next);
            if (movable)
            {
                final int holeBase = hole << SLOT_SHIFT;
                entries[holeBase + LO] = entries[nextBase + LO];
                entries[holeBase + HI] = entries[nextBase + HI];
                entries[holeBase + INDEX] = entries[nextBase + INDEX];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        final int holeBase = hole << SLOT_SHIFT;
        entries[holeBase + LO] = 0;
        entries[holeBase + HI] = 0;
        entries[holeBase + INDEX] = MISSING;
        size--;
        return removed;
    }

    /**
     * Remove every id; O(slots).
     */
    void clear()
    {
        Arrays.fill(entries, 0);
        for (int base = INDEX; base < entries.length; base += SLOT_LONGS)
        {
            entries[base] = MISSING;
        }
        size = 0;
    }
}
