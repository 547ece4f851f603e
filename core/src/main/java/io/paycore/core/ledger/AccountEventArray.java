package io.paycore.core.ledger;

/**
 * {@link AccountEvents} held in preallocated primitive arrays: for tests, benchmarks and clients. Fill with
 * {@link #add(long, long, long, int, int)}, empty with {@link #reset()}; neither allocates.
 */
public final class AccountEventArray implements AccountEvents
{
    private final long[] ids;
    private final long[] userData;
    private final long[] ledgers;
    private final int[] codes;
    private final int[] flags;
    private int count;

    /**
     * @param capacity the most events the array holds.
     */
    public AccountEventArray(final int capacity)
    {
        ids = new long[capacity];
        userData = new long[capacity];
        ledgers = new long[capacity];
        codes = new int[capacity];
        flags = new int[capacity];
    }

    /**
     * @return the most events the array holds.
     */
    public int capacity()
    {
        return ids.length;
    }

    /**
     * Forget every event.
     *
     * @return this for a fluent API.
     */
    public AccountEventArray reset()
    {
        count = 0;
        return this;
    }

    /**
     * Append an event.
     *
     * @param id       account id.
     * @param userData opaque client data.
     * @param ledger   ledger, unsigned 32-bit.
     * @param code     code, unsigned 16-bit.
     * @param flags    flags, unsigned 16-bit.
     * @return this for a fluent API.
     * @throws IllegalStateException    if the array is full.
     * @throws IllegalArgumentException if a field is outside its wire range.
     */
    public AccountEventArray add(final long id, final long userData, final long ledger, final int code, final int flags)
    {
        if (count == ids.length)
        {
            throw new IllegalStateException("AccountEventArray is full: capacity=" + ids.length);
        }
        WireRange.checkUint32("ledger", ledger);
        WireRange.checkUint16("code", code);
        WireRange.checkUint16("flags", flags);

        final int i = count++;
        ids[i] = id;
        this.userData[i] = userData;
        ledgers[i] = ledger;
        codes[i] = code;
        this.flags[i] = flags;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public int count()
    {
        return count;
    }

    /**
     * {@inheritDoc}
     */
    public long id(final int index)
    {
        return ids[index];
    }

    /**
     * {@inheritDoc}
     */
    public long userData(final int index)
    {
        return userData[index];
    }

    /**
     * {@inheritDoc}
     */
    public long ledger(final int index)
    {
        return ledgers[index];
    }

    /**
     * {@inheritDoc}
     */
    public int code(final int index)
    {
        return codes[index];
    }

    /**
     * {@inheritDoc}
     */
    public int flags(final int index)
    {
        return flags[index];
    }
}
