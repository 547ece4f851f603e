package io.paycore.core.ledger;

import java.util.Arrays;

/**
 * A fixed-capacity open-addressing map from an unsigned 128-bit id (hi, lo) to the index of the record that holds
 * the id, with linear probing and backward-shift deletion, on one {@code long[]} of 8-byte slots.
 * <p>
 * <b>Slot layout</b>: a slot is one {@code long}: the high bits of the id's 64-bit hash (the tag) above the record
 * index plus one in the low {@code log2(slots)} bits; 0 is an empty slot. The id itself is not in the slot: the
 * map reads it from the record the slot names ({@code store}, at {@code (base + index) * stride + loField} and
 * {@code + hiField}) when a probe finds a slot with the id's tag. So the caller must write a record's id before it
 * puts the id, and keep it there until the id is removed or mapped to another record.
 * <p>
 * Why not the id in the slot: the ledger looks up random ids in indexes too large for the cache, and the size of a
 * slot decides how much of an index the cache holds. With the id and the index in the slot it took 32 bytes (24
 * read, strided to a power of two); in 8 bytes eight slots share a line, a probe run nearly always stays in one, and
 * the table is a quarter of the size. The tag keeps record reads to the probes that find the id, plus rare false
 * matches: the tag's bits below the home slot's tell apart ids with one home, {@code 64 - 2 * log2(slots)} bits
 * (20 for 4M slots). The home slot is the tag's top {@code log2(slots)} bits, so a backward shift finds where an
 * entry belongs without reading its record.
 * <p>
 * The hash mixes both halves of the id (each multiplied by its own odd constant), so ids that differ only in their
 * high half spread as well as those that differ in their low half.
 * <p>
 * Why not Agrona's {@code Long2LongHashMap}: the ledger needs to read the home slot of an id <em>without</em> the
 * probe loop ({@link #touch(long, long)}) and to guess a record from the tags alone ({@link #candidate(long)}),
 * so that it can warm a whole batch's slots and records with independent loads whose cache misses overlap; and
 * Agrona has no 128-bit key. Capacity is fixed at construction (the least power of two that keeps the load factor
 * at or below {@value #MAX_LOAD_PERCENT}%, so between 15% and 30%); it never grows and never rehashes. Not thread
 * safe.
 * <p>
 * Why so low, and not 0.5: at 0.5 more probes run past the home slot, a branch the CPU mispredicts. LedgerBenchmark
 * ran about 5% faster at 0.25 (five rounds in turn, medians of iterations 9.00M-9.81M single transfers/s against
 * 8.61M-9.34M), and 8-byte slots at 0.25 still take half the memory 32-byte slots took at 0.5. Why 30% and not a
 * strict 25%: a count a little above a power of two would double the index to stay at 25%, as the ledger's default
 * ring did (its hot window of 2^22 records plus a cold lag of 2^18: 256 MiB of index where 128 MiB hold it at 26.6%).
 */
final class IdIndex
{
    static final int MISSING = -1;

    /**
     * Most entries an index holds, as a percentage of its slots.
     */
    static final int MAX_LOAD_PERCENT = 30;

    private final long[] entries;
    private final int mask;
    private final int shift;
    private final long indexMask;
    private final long tagMask;
    private final int maxEntries;
    private final long[] store;
    private final int base;
    private final int stride;
    private final int loField;
    private final int hiField;
    private int size;

    /**
     * @param maxEntries the most ids held at once; every index put is below it.
     * @param store      the records the indexes name.
     * @param base       record number of index 0 in the store.
     * @param stride     longs a record.
     * @param loField    long of a record that holds the low half of its id.
     * @param hiField    long of a record that holds the high half of its id.
     */
    IdIndex(
        final int maxEntries, final long[] store, final int base, final int stride, final int loField, final int hiField)
    {
        final int slots = (int)slotsFor(maxEntries);
        final int slotBits = Integer.numberOfTrailingZeros(slots);
        this.maxEntries = maxEntries;
        entries = new long[slots];
        mask = slots - 1;
        shift = 64 - slotBits;
        indexMask = (1L << slotBits) - 1;
        tagMask = ~indexMask;
        this.store = store;
        this.base = base;
        this.stride = stride;
        this.loField = loField;
        this.hiField = hiField;
    }

    /**
     * @param maxEntries the most ids held at once.
     * @return the slots an index of them has: the least power of two, and at least 8, of which maxEntries are at
     * most {@value #MAX_LOAD_PERCENT}%. Above 2^30 no {@code long[]} holds them; {@link LedgerLimits} counts them
     * all the same.
     */
    static long slotsFor(final long maxEntries)
    {
        final long atLeast = (Math.max(1, maxEntries) * 100 + MAX_LOAD_PERCENT - 1) / MAX_LOAD_PERCENT;
        return Math.max(8, Long.highestOneBit(atLeast - 1) << 1);
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

    /**
     * @param hi high half of an id.
     * @param lo low half.
     * @return the id's hash, which the methods that take one expect: the same for every index.
     */
    static long hash(final long hi, final long lo)
    {
        long h = lo * 0x9E37_79B9_7F4A_7C15L + hi * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= h >>> 32;
        return h * 0xD6E8_FEB8_6659_FD93L;
    }

    /**
     * @return the record index an entry holds (stored plus one, so that 0 is an empty slot).
     */
    private int indexOf(final long entry)
    {
        return (int)(entry & indexMask) - 1;
    }

    private boolean holds(final long entry, final long hi, final long lo)
    {
        final int offset = (base + indexOf(entry)) * stride;
        return store[offset + loField] == lo && store[offset + hiField] == hi;
    }

    /**
     * @param hi high half of the id.
     * @param lo low half of the id.
     * @return the index stored for the id, or {@link #MISSING}.
     */
    int get(final long hi, final long lo)
    {
        return get(hash(hi, lo), hi, lo);
    }

    /**
     * @param h  the id's {@link #hash(long, long)}.
     * @param hi high half of the id.
     * @param lo low half of the id.
     * @return the index stored for the id, or {@link #MISSING}.
     */
    int get(final long h, final long hi, final long lo)
    {
        final long[] entries = this.entries;
        final long tag = h & tagMask;
        int slot = (int)(h >>> shift);
        while (true)
        {
            final long entry = entries[slot];
            if (0 == entry)
            {
                return MISSING;
            }
            if ((entry & tagMask) == tag && holds(entry, hi, lo))
            {
                return indexOf(entry);
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * The index of the first entry with the id's tag, without reading any record: the id's index but for a rare
     * false match, for warming the record ahead of a {@link #get(long, long, long)}.
     *
     * @param h the id's {@link #hash(long, long)}.
     * @return the index of the first entry with the id's tag, or {@link #MISSING}.
     */
    int candidate(final long h)
    {
        final long[] entries = this.entries;
        final long tag = h & tagMask;
        int slot = (int)(h >>> shift);
        while (true)
        {
            final long entry = entries[slot];
            if (0 == entry)
            {
                return MISSING;
            }
            if ((entry & tagMask) == tag)
            {
                return indexOf(entry);
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Read the home slot of an id, to bring its cache line in ahead of a lookup; no effect on the map.
     *
     * @param hi high half of the id to be looked up soon.
     * @param lo low half.
     * @return the home slot's entry, to be consumed by the caller so the load is not eliminated.
     */
    long touch(final long hi, final long lo)
    {
        return touch(hash(hi, lo));
    }

    /**
     * @param h the {@link #hash(long, long)} of an id to be looked up soon.
     * @return the home slot's entry, to be consumed by the caller so the load is not eliminated.
     */
    long touch(final long h)
    {
        return entries[(int)(h >>> shift)];
    }

    /**
     * Map an id to an index, replacing any index it had. The record at {@code index} must hold the id already.
     *
     * @param hi    high half of the id.
     * @param lo    low half of the id.
     * @param index not negative, below {@code maxEntries}.
     * @return the index it replaced, or {@link #MISSING}.
     * @throws IllegalStateException if the id is new and the map holds {@code maxEntries} already (a bug in the
     *                               caller, which checks its own limits first).
     */
    int put(final long hi, final long lo, final int index)
    {
        return put(hash(hi, lo), hi, lo, index);
    }

    /**
     * As {@link #put(long, long, int)}, with the id's hash already computed.
     *
     * @param h     the id's {@link #hash(long, long)}.
     * @param hi    high half of the id.
     * @param lo    low half of the id.
     * @param index not negative, below {@code maxEntries}.
     * @return the index it replaced, or {@link #MISSING}.
     */
    int put(final long h, final long hi, final long lo, final int index)
    {
        final long[] entries = this.entries;
        final long tag = h & tagMask;
        int slot = (int)(h >>> shift);
        while (true)
        {
            final long entry = entries[slot];
            if (0 == entry)
            {
                if (size == maxEntries)
                {
                    throw new IllegalStateException("IdIndex is full: maxEntries=" + maxEntries);
                }
                entries[slot] = tag | (index + 1L);
                size++;
                return MISSING;
            }
            if ((entry & tagMask) == tag && holds(entry, hi, lo))
            {
                entries[slot] = tag | (index + 1L);
                return indexOf(entry);
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
        final long h = hash(hi, lo);
        final long tag = h & tagMask;
        int slot = (int)(h >>> shift);
        long entry;
        while (true)
        {
            entry = entries[slot];
            if (0 == entry)
            {
                return MISSING;
            }
            if ((entry & tagMask) == tag && holds(entry, hi, lo))
            {
                break;
            }
            slot = (slot + 1) & mask;
        }

        int hole = slot;
        int next = (hole + 1) & mask;
        long nextEntry;
        while (0 != (nextEntry = entries[next]))
        {
            final int nextHome = (int)(nextEntry >>> shift);
            final boolean movable = hole <= next ?
                (nextHome <= hole || nextHome > next) :
                (nextHome <= hole && nextHome > next);
            if (movable)
            {
                entries[hole] = nextEntry;
                hole = next;
            }
            next = (next + 1) & mask;
        }
        entries[hole] = 0;
        size--;
        return indexOf(entry);
    }

    /**
     * Remove every id; O(slots).
     */
    void clear()
    {
        Arrays.fill(entries, 0);
        size = 0;
    }
}
