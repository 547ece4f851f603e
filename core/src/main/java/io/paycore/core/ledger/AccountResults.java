package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;

/**
 * The outcome of each event of one {@link Ledger#createAccounts} batch, in the order sent, held in preallocated
 * arrays and overwritten by the next batch. Only the ledger writes it.
 */
public final class AccountResults
{
    /**
     * The outcomes as ordinals of {@link CreateAccountResult}: a byte store has no GC write barrier, where an enum reference
     * store under G1 takes a fence for every event.
     */
    private static final CreateAccountResult[] OUTCOMES = CreateAccountResult.values();

    static
    {
        if (OUTCOMES.length > 256)
        {
            throw new ExceptionInInitializerError(OUTCOMES.length + " outcomes do not fit a byte");
        }
    }

    private final byte[] results;
    private final long[] timestampsNanos;
    private int count;

    /**
     * @param capacity the most events of a batch, normally {@link LedgerLimits#maxBatchEvents()}.
     */
    public AccountResults(final int capacity)
    {
        results = new byte[capacity];
        timestampsNanos = new long[capacity];
    }

    /**
     * @return the most results held.
     */
    public int capacity()
    {
        return results.length;
    }

    /**
     * @return the number of results, equal to the number of events of the batch.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index of the event.
     * @return its outcome.
     */
    public CreateAccountResult result(final int index)
    {
        return OUTCOMES[results[index] & 0xFF];
    }

    /**
     * @param index of the event.
     * @return the timestamp the ledger assigned to the account on {@code OK}, that of the existing account on
     * {@code EXISTS}, else the event's own timestamp (when it was validated).
     */
    public long timestamp(final int index)
    {
        return timestampsNanos[index];
    }

    void count(final int count)
    {
        this.count = count;
    }

    void set(final int index, final CreateAccountResult result, final long timestampNanos)
    {
        results[index] = (byte)result.ordinal();
        timestampsNanos[index] = timestampNanos;
    }
}
