package io.paycore.core.query;

/**
 * TigerBeetle's {@code AccountFilter}: which of an account's transfers (or balances after them) a
 * get-account-transfers or get-account-balances query returns. Zero user data and code
 * match any; a zero timestamp bound is no bound. Mutable and reusable.
 */
public final class AccountFilter
{
    /** Transfers the account is debited by. */
    public static final int DEBITS = 1;
    /** Transfers the account is credited by. */
    public static final int CREDITS = 2;
    /** Newest first. */
    public static final int REVERSED = 4;
    /** Every flag defined. */
    public static final int ALL_FLAGS = DEBITS | CREDITS | REVERSED;

    public long accountIdHi;
    public long accountIdLo;
    public long userData128Hi;
    public long userData128Lo;
    public long userData64;
    public long userData32;
    public int code;
    public long timestampMin;
    public long timestampMax;
    public long limit;
    public int flags;

    /**
     * @param idHi high 64 bits of the account's id.
     * @param idLo low 64 bits.
     * @return this.
     */
    public AccountFilter accountId(final long idHi, final long idLo)
    {
        accountIdHi = idHi;
        accountIdLo = idLo;
        return this;
    }

    /**
     * @param min inclusive lower bound, 0 for none.
     * @param max inclusive upper bound, 0 for none.
     * @return this.
     */
    public AccountFilter timestamps(final long min, final long max)
    {
        timestampMin = min;
        timestampMax = max;
        return this;
    }

    /**
     * @param limit most results.
     * @return this.
     */
    public AccountFilter limit(final long limit)
    {
        this.limit = limit;
        return this;
    }

    /**
     * @param flags {@link #DEBITS}, {@link #CREDITS}, {@link #REVERSED}.
     * @return this.
     */
    public AccountFilter flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * Clear every field.
     *
     * @return this.
     */
    public AccountFilter reset()
    {
        accountIdHi = 0;
        accountIdLo = 0;
        userData128Hi = 0;
        userData128Lo = 0;
        userData64 = 0;
        userData32 = 0;
        code = 0;
        timestampMin = 0;
        timestampMax = 0;
        limit = 0;
        flags = 0;
        return this;
    }

    /**
     * TigerBeetle's validity rules: an invalid filter matches nothing (the answer is empty, not an error).
     *
     * @return whether the filter can match anything.
     */
    public boolean isValid()
    {
        final boolean idZero = 0 == accountIdHi && 0 == accountIdLo;
        final boolean idMax = -1 == accountIdHi && -1 == accountIdLo;
        return !idZero && !idMax && timestampMin != -1 && timestampMax != -1 &&
            (0 == timestampMax || Long.compareUnsigned(timestampMin, timestampMax) <= 0) && 0 != limit &&
            0 != (flags & (DEBITS | CREDITS)) && 0 == (flags & ~ALL_FLAGS);
    }
}
