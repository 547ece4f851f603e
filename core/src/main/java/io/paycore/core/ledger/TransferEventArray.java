package io.paycore.core.ledger;

/**
 * {@link TransferEvents} held in preallocated primitive arrays: for tests, benchmarks and clients. Fill with
 * {@link #add}, empty with {@link #reset()}; neither allocates.
 */
public final class TransferEventArray implements TransferEvents
{
    private final long[] ids;
    private final long[] debitAccountIds;
    private final long[] creditAccountIds;
    private final long[] amounts;
    private final long[] pendingIds;
    private final long[] userData;
    private final long[] ledgers;
    private final long[] timeoutsSeconds;
    private final int[] codes;
    private final int[] flags;
    private int count;

    /**
     * @param capacity the most events the array holds.
     */
    public TransferEventArray(final int capacity)
    {
        ids = new long[capacity];
        debitAccountIds = new long[capacity];
        creditAccountIds = new long[capacity];
        amounts = new long[capacity];
        pendingIds = new long[capacity];
        userData = new long[capacity];
        ledgers = new long[capacity];
        timeoutsSeconds = new long[capacity];
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
    public TransferEventArray reset()
    {
        count = 0;
        return this;
    }

    /**
     * Append an event.
     *
     * @param id              transfer id.
     * @param debitAccountId  account debited (0 on a post or void: the pending's).
     * @param creditAccountId account credited (0 on a post or void: the pending's).
     * @param amount          minor units.
     * @param pendingId       the pending transfer of a post or void, else 0.
     * @param userData        opaque client data.
     * @param ledger          ledger, unsigned 32-bit.
     * @param timeoutSeconds  timeout of a pending transfer, unsigned 32-bit.
     * @param code            code, unsigned 16-bit.
     * @param flags           flags, unsigned 16-bit.
     * @return this for a fluent API.
     * @throws IllegalStateException    if the array is full.
     * @throws IllegalArgumentException if a field is outside its wire range.
     */
    public TransferEventArray add(
        final long id,
        final long debitAccountId,
        final long creditAccountId,
        final long amount,
        final long pendingId,
        final long userData,
        final long ledger,
        final long timeoutSeconds,
        final int code,
        final int flags)
    {
        if (count == ids.length)
        {
            throw new IllegalStateException("TransferEventArray is full: capacity=" + ids.length);
        }
        WireRange.checkUint32("ledger", ledger);
        WireRange.checkUint32("timeoutSeconds", timeoutSeconds);
        WireRange.checkUint16("code", code);
        WireRange.checkUint16("flags", flags);

        final int i = count++;
        ids[i] = id;
        debitAccountIds[i] = debitAccountId;
        creditAccountIds[i] = creditAccountId;
        amounts[i] = amount;
        pendingIds[i] = pendingId;
        this.userData[i] = userData;
        ledgers[i] = ledger;
        timeoutsSeconds[i] = timeoutSeconds;
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
    public long debitAccountId(final int index)
    {
        return debitAccountIds[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditAccountId(final int index)
    {
        return creditAccountIds[index];
    }

    /**
     * {@inheritDoc}
     */
    public long amount(final int index)
    {
        return amounts[index];
    }

    /**
     * {@inheritDoc}
     */
    public long pendingId(final int index)
    {
        return pendingIds[index];
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
    public long timeoutSeconds(final int index)
    {
        return timeoutsSeconds[index];
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
