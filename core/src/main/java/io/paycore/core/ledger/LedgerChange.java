package io.paycore.core.ledger;

/**
 * One change to the ledger's transfers as a {@link LedgerChangeListener} sees it, after TigerBeetle's change events:
 * its type and unique timestamp, the transfer it is about (the new transfer; for an expiry, the pending transfer
 * that expired), and both accounts' balances and flags right after it. A flyweight over the ledger's change buffer:
 * read it during {@link LedgerChangeListener#onChange}, copy what must outlive the call.
 * <p>
 * Timestamps identify changes: a created transfer's change has the transfer's timestamp, an expiry one the ledger
 * assigned it when it expired; every one is unique and greater than the one before, so a consumer can resume after
 * the last timestamp it saw and drop duplicates.
 */
public final class LedgerChange
{
    static final int TYPE = 0;
    static final int TIMESTAMP = 1;
    static final int TRANSFER_ID = 2;
    static final int DEBIT_ACCOUNT_ID = 3;
    static final int CREDIT_ACCOUNT_ID = 4;
    static final int AMOUNT = 5;
    static final int PENDING_ID = 6;
    static final int USER_DATA = 7;
    static final int META = 8;
    static final int TIMEOUT_SECONDS = 9;
    static final int TRANSFER_TIMESTAMP = 10;
    static final int DEBIT_BALANCES = 11;
    static final int CREDIT_BALANCES = 15;
    static final int DEBIT_ACCOUNT_META = 19;
    static final int CREDIT_ACCOUNT_META = 20;
    static final int LONGS = 21;

    private long[] buffer;
    private int offset;

    LedgerChange wrap(final long[] buffer, final int index)
    {
        this.buffer = buffer;
        this.offset = index * LONGS;
        return this;
    }

    /**
     * @return what happened.
     */
    public ChangeType type()
    {
        return ChangeType.get((int)buffer[offset + TYPE]);
    }

    /**
     * @return the change's unique timestamp, epoch nanoseconds.
     */
    public long timestampNanos()
    {
        return buffer[offset + TIMESTAMP];
    }

    /**
     * @return the transfer's id.
     */
    public long transferId()
    {
        return buffer[offset + TRANSFER_ID];
    }

    /**
     * @return the debit account's id.
     */
    public long debitAccountId()
    {
        return buffer[offset + DEBIT_ACCOUNT_ID];
    }

    /**
     * @return the credit account's id.
     */
    public long creditAccountId()
    {
        return buffer[offset + CREDIT_ACCOUNT_ID];
    }

    /**
     * @return the transfer's amount as recorded (a post's the amount posted, a void's the amount released).
     */
    public long amount()
    {
        return buffer[offset + AMOUNT];
    }

    /**
     * @return the pending transfer a post or void resolves, else 0.
     */
    public long pendingId()
    {
        return buffer[offset + PENDING_ID];
    }

    /**
     * @return the transfer's user data.
     */
    public long userData()
    {
        return buffer[offset + USER_DATA];
    }

    /**
     * @return the ledger.
     */
    public long ledger()
    {
        return Ledger.metaLedger(buffer[offset + META]);
    }

    /**
     * @return the transfer's code.
     */
    public int code()
    {
        return Ledger.metaCode(buffer[offset + META]);
    }

    /**
     * @return the transfer's flags ({@link TransferFlags}).
     */
    public int flags()
    {
        return Ledger.metaFlags(buffer[offset + META]);
    }

    /**
     * @return the transfer's timeout in seconds.
     */
    public long timeoutSeconds()
    {
        return buffer[offset + TIMEOUT_SECONDS];
    }

    /**
     * @return the transfer's own timestamp (for an expiry, the pending transfer's; else the change's).
     */
    public long transferTimestampNanos()
    {
        return buffer[offset + TRANSFER_TIMESTAMP];
    }

    /**
     * @return the debit account's debits pending after the change.
     */
    public long debitAccountDebitsPending()
    {
        return buffer[offset + DEBIT_BALANCES];
    }

    /**
     * @return the debit account's debits posted after the change.
     */
    public long debitAccountDebitsPosted()
    {
        return buffer[offset + DEBIT_BALANCES + 1];
    }

    /**
     * @return the debit account's credits pending after the change.
     */
    public long debitAccountCreditsPending()
    {
        return buffer[offset + DEBIT_BALANCES + 2];
    }

    /**
     * @return the debit account's credits posted after the change.
     */
    public long debitAccountCreditsPosted()
    {
        return buffer[offset + DEBIT_BALANCES + 3];
    }

    /**
     * @return the debit account's flags after the change ({@link AccountFlags}; {@code CLOSED} may have changed).
     */
    public int debitAccountFlags()
    {
        return Ledger.metaFlags(buffer[offset + DEBIT_ACCOUNT_META]);
    }

    /**
     * @return the credit account's debits pending after the change.
     */
    public long creditAccountDebitsPending()
    {
        return buffer[offset + CREDIT_BALANCES];
    }

    /**
     * @return the credit account's debits posted after the change.
     */
    public long creditAccountDebitsPosted()
    {
        return buffer[offset + CREDIT_BALANCES + 1];
    }

    /**
     * @return the credit account's credits pending after the change.
     */
    public long creditAccountCreditsPending()
    {
        return buffer[offset + CREDIT_BALANCES + 2];
    }

    /**
     * @return the credit account's credits posted after the change.
     */
    public long creditAccountCreditsPosted()
    {
        return buffer[offset + CREDIT_BALANCES + 3];
    }

    /**
     * @return the credit account's flags after the change.
     */
    public int creditAccountFlags()
    {
        return Ledger.metaFlags(buffer[offset + CREDIT_ACCOUNT_META]);
    }

    public String toString()
    {
        return type() + " @" + timestampNanos() + " transfer " + transferId() + " " + debitAccountId() + "->" +
            creditAccountId() + " amount " + amount() + " debit account " + debitAccountDebitsPending() + "/" +
            debitAccountDebitsPosted() + "/" + debitAccountCreditsPending() + "/" + debitAccountCreditsPosted() +
            " credit account " + creditAccountDebitsPending() + "/" + creditAccountDebitsPosted() + "/" +
            creditAccountCreditsPending() + "/" + creditAccountCreditsPosted();
    }
}
