package io.paycore.core.query;

/**
 * TigerBeetle's {@code AccountFilter}: which of an account's transfers (or balances after them) a
 * get-account-transfers or get-account-balances query returns. Zero user data and code match any; a zero timestamp
 * bound is no bound. Mutable and reusable: fluent setters, accessors of the same names.
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

    private long accountIdHi;
    private long accountIdLo;
    private long userData128Hi;
    private long userData128Lo;
    private long userData64;
    private long userData32;
    private int code;
    private long timestampMin;
    private long timestampMax;
    private long limit;
    private int flags;

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
     * @return high 64 bits of the account's id.
     */
    public long accountIdHi()
    {
        return accountIdHi;
    }

    /**
     * @return low 64 bits of the account's id.
     */
    public long accountIdLo()
    {
        return accountIdLo;
    }

    /**
     * @param hi high 64 bits of the transfers' 128-bit user data, 0 (with lo) for any.
     * @param lo low 64 bits.
     * @return this.
     */
    public AccountFilter userData128(final long hi, final long lo)
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
     * @param userData64 the transfers' 64-bit user data, 0 for any.
     * @return this.
     */
    public AccountFilter userData64(final long userData64)
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
     * @param userData32 the transfers' 32-bit user data (unsigned), 0 for any.
     * @return this.
     */
    public AccountFilter userData32(final long userData32)
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
     * @param code the transfers' code, 0 for any.
     * @return this.
     */
    public AccountFilter code(final int code)
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
    public AccountFilter timestamps(final long min, final long max)
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
    public AccountFilter limit(final long limit)
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
     * @param flags {@link #DEBITS}, {@link #CREDITS}, {@link #REVERSED}.
     * @return this.
     */
    public AccountFilter flags(final int flags)
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
