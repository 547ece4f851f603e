package io.paycore.core.query;

/**
 * TigerBeetle's {@code QueryFilter}: which accounts (query accounts) or transfers (query transfers) match. Every
 * non-zero field must match; a zero timestamp bound is no bound. Mutable and reusable: fluent setters, accessors of
 * the same names.
 */
public final class QueryFilter
{
    /** Newest first. */
    public static final int REVERSED = 1;

    private long userData128Hi;
    private long userData128Lo;
    private long userData64;
    private long userData32;
    private long ledger;
    private int code;
    private long timestampMin;
    private long timestampMax;
    private long limit;
    private int flags;

    /**
     * @param hi high 64 bits of the 128-bit user data, 0 (with lo) for any.
     * @param lo low 64 bits.
     * @return this.
     */
    public QueryFilter userData128(final long hi, final long lo)
    {
        userData128Hi = hi;
        userData128Lo = lo;
        return this;
    }

    /**
     * @return high 64 bits of the 128-bit user data matched.
     */
    public long userData128Hi()
    {
        return userData128Hi;
    }

    /**
     * @return low 64 bits of the 128-bit user data matched.
     */
    public long userData128Lo()
    {
        return userData128Lo;
    }

    /**
     * @param userData64 the 64-bit user data, 0 for any.
     * @return this.
     */
    public QueryFilter userData64(final long userData64)
    {
        this.userData64 = userData64;
        return this;
    }

    /**
     * @return the 64-bit user data matched, 0 for any.
     */
    public long userData64()
    {
        return userData64;
    }

    /**
     * @param userData32 the 32-bit user data (unsigned), 0 for any.
     * @return this.
     */
    public QueryFilter userData32(final long userData32)
    {
        this.userData32 = userData32;
        return this;
    }

    /**
     * @return the 32-bit user data matched, 0 for any.
     */
    public long userData32()
    {
        return userData32;
    }

    /**
     * @param ledger the ledger (unsigned 32-bit), 0 for any.
     * @return this.
     */
    public QueryFilter ledger(final long ledger)
    {
        this.ledger = ledger;
        return this;
    }

    /**
     * @return the ledger matched, 0 for any.
     */
    public long ledger()
    {
        return ledger;
    }

    /**
     * @param code the code, 0 for any.
     * @return this.
     */
    public QueryFilter code(final int code)
    {
        this.code = code;
        return this;
    }

    /**
     * @return the code matched, 0 for any.
     */
    public int code()
    {
        return code;
    }

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
     * @return the inclusive lower timestamp bound, 0 for none.
     */
    public long timestampMin()
    {
        return timestampMin;
    }

    /**
     * @return the inclusive upper timestamp bound, 0 for none.
     */
    public long timestampMax()
    {
        return timestampMax;
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
     * @return most results.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * @param flags {@link #REVERSED}.
     * @return this.
     */
    public QueryFilter flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * @return the flags.
     */
    public int flags()
    {
        return flags;
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
