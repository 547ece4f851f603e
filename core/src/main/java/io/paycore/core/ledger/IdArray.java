package io.paycore.core.ledger;

/**
 * A reusable batch of 128-bit ids, as (hi, lo) pairs in two preallocated arrays: what a lookup asks for. Filling it
 * allocates nothing.
 */
public final class IdArray
{
    private final long[] hi;
    private final long[] lo;
    private int count;

    /**
     * @param capacity the most ids it holds.
     */
    public IdArray(final int capacity)
    {
        hi = new long[capacity];
        lo = new long[capacity];
    }

    /**
     * @return the most ids it holds.
     */
    public int capacity()
    {
        return hi.length;
    }

    /**
     * Empty the batch.
     *
     * @return this for a fluent API.
     */
    public IdArray reset()
    {
        count = 0;
        return this;
    }

    /**
     * Append an id.
     *
     * @param idHi its high 64 bits.
     * @param idLo its low 64 bits.
     * @return this for a fluent API.
     * @throws IllegalStateException if the batch is full.
     */
    public IdArray add(final long idHi, final long idLo)
    {
        if (count == hi.length)
        {
            throw new IllegalStateException("IdArray is full: capacity=" + hi.length);
        }
        hi[count] = idHi;
        lo[count] = idLo;
        count++;
        return this;
    }

    /**
     * Append an id below 2<sup>64</sup>.
     *
     * @param id the id, its high half 0.
     * @return this for a fluent API.
     */
    public IdArray add(final long id)
    {
        return add(0, id);
    }

    /**
     * @return how many ids it holds.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index of an id, below {@link #count()}.
     * @return its high 64 bits.
     */
    public long hi(final int index)
    {
        return hi[index];
    }

    /**
     * @param index of an id, below {@link #count()}.
     * @return its low 64 bits.
     */
    public long lo(final int index)
    {
        return lo[index];
    }
}
