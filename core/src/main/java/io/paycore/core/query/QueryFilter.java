package io.paycore.core.query;

/**
 * TigerBeetle's {@code QueryFilter}: which accounts (query accounts) or transfers
 * (query transfers) match. Every non-zero field must match; a zero timestamp bound is no bound.
 * Mutable and reusable.
 */
public final class QueryFilter
{
    /** Newest first. */
    public static final int REVERSED = 1;

    public long userData128Hi;
    public long userData128Lo;
    public long userData64;
    public long userData32;
    public long ledger;
    public int code;
    public long timestampMin;
    public long timestampMax;
    public long limit;
    public int flags;

    /**
     * @param min inclusive lower bound, 0 for none.
     * @param max inclusive upper bound, 0 for none.
     * @return this.
     */
    public QueryFilter timestamps(final long min, final long max)
    {
        timestampMin = min;
        timestampMax = max;
        return this;
    }

    /**
     * @param limit most results.
     * @return this.
     */
    public QueryFilter limit(final long limit)
    {
        this.limit = limit;
        return this;
    }

    /**
     * Clear every field.
     *
     * @return this.
     */
    public QueryFilter reset()
    {
        userData128Hi = 0;
        userData128Lo = 0;
        userData64 = 0;
        userData32 = 0;
        ledger = 0;
        code = 0;
        timestampMin = 0;
        timestampMax = 0;
        limit = 0;
        flags = 0;
        return this;
    }

    /**
     * TigerBeetle's validity rules: an invalid filter matches nothing.
     *
     * @return whether the filter can match anything.
     */
    public boolean isValid()
    {
        return timestampMin != -1 && timestampMax != -1 &&
            (0 == timestampMax || Long.compareUnsigned(timestampMin, timestampMax) <= 0) && 0 != limit &&
            0 == (flags & ~REVERSED);
    }
}
