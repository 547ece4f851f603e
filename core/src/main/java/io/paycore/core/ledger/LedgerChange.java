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
    /** Where the transfer record's first {@link #RECORD_COPY_LONGS} longs start, in the ledger's record layout. */
    static final int RECORD = 2;
    /** Longs copied from the record: id to meta ({@link Ledger#R_ID_LO} to {@link Ledger#R_META}). */
    static final int RECORD_COPY_LONGS = Ledger.R_META + 1;
    static final int TIMEOUT_SECONDS = RECORD + RECORD_COPY_LONGS;
    /** The four balances of the debit account, (lo, hi) each, in the account layout's order. */
    static final int DEBIT_BALANCES = TIMEOUT_SECONDS + 1;
    static final int CREDIT_BALANCES = DEBIT_BALANCES + 8;
    static final int DEBIT_ACCOUNT_META = CREDIT_BALANCES + 8;
    static final int CREDIT_ACCOUNT_META = DEBIT_ACCOUNT_META + 1;
    static final int LONGS = CREDIT_ACCOUNT_META + 1;

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
     * @return the high 64 bits of the transfer's id.
     */
    public long transferIdHi()
    {
        return buffer[offset + RECORD + Ledger.R_ID_HI];
    }

    /**
     * @return the low 64 bits of the transfer's id.
     */
    public long transferIdLo()
    {
        return buffer[offset + RECORD + Ledger.R_ID_LO];
    }

    /**
     * @return the high 64 bits of the debit account's id.
     */
    public long debitAccountIdHi()
    {
        return buffer[offset + RECORD + Ledger.R_DEBIT_ACCOUNT_ID_HI];
    }

    /**
     * @return the low 64 bits of the debit account's id.
     */
    public long debitAccountIdLo()
    {
        return buffer[offset + RECORD + Ledger.R_DEBIT_ACCOUNT_ID_LO];
    }

    /**
     * @return the high 64 bits of the credit account's id.
     */
    public long creditAccountIdHi()
    {
        return buffer[offset + RECORD + Ledger.R_CREDIT_ACCOUNT_ID_HI];
    }

    /**
     * @return the low 64 bits of the credit account's id.
     */
    public long creditAccountIdLo()
    {
        return buffer[offset + RECORD + Ledger.R_CREDIT_ACCOUNT_ID_LO];
    }

    /**
     * @return the high 64 bits of the transfer's amount as recorded (a post's the amount posted, a void's the amount
     * released).
     */
    public long amountHi()
    {
        return buffer[offset + RECORD + Ledger.R_AMOUNT_HI];
    }

    /**
     * @return the low 64 bits of the transfer's amount as recorded (a post's the amount posted, a void's the amount
     * released).
     */
    public long amountLo()
    {
        return buffer[offset + RECORD + Ledger.R_AMOUNT_LO];
    }

    /**
     * @return the high 64 bits of the pending transfer a post or void resolves, else 0.
     */
    public long pendingIdHi()
    {
        return buffer[offset + RECORD + Ledger.R_PENDING_ID_HI];
    }

    /**
     * @return the low 64 bits of the pending transfer a post or void resolves, else 0.
     */
    public long pendingIdLo()
    {
        return buffer[offset + RECORD + Ledger.R_PENDING_ID_LO];
    }

    /**
     * @return the high 64 bits of the transfer's 128-bit user data.
     */
    public long userData128Hi()
    {
        return buffer[offset + RECORD + Ledger.R_USER_DATA_128_HI];
    }

    /**
     * @return the low 64 bits of the transfer's 128-bit user data.
     */
    public long userData128Lo()
    {
        return buffer[offset + RECORD + Ledger.R_USER_DATA_128_LO];
    }

    /**
     * @return the transfer's 64-bit user data.
     */
    public long userData64()
    {
        return buffer[offset + RECORD + Ledger.R_USER_DATA_64];
    }

    /**
     * @return the transfer's 32-bit user data, unsigned.
     */
    public long userData32()
    {
        return buffer[offset + RECORD + Ledger.R_USER_DATA_32];
    }

    /**
     * @return the ledger.
     */
    public long ledger()
    {
        return Ledger.metaLedger(buffer[offset + RECORD + Ledger.R_META]);
    }

    /**
     * @return the transfer's code.
     */
    public int code()
    {
        return Ledger.metaCode(buffer[offset + RECORD + Ledger.R_META]);
    }

    /**
     * @return the transfer's flags ({@link TransferFlags}).
     */
    public int flags()
    {
        return Ledger.metaFlags(buffer[offset + RECORD + Ledger.R_META]);
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
        return buffer[offset + RECORD + Ledger.R_TIMESTAMP];
    }

    /**
     * @return the high 64 bits of the debit account's debits pending after the change.
     */
    public long debitAccountDebitsPendingHi()
    {
        return buffer[offset + DEBIT_BALANCES + 1];
    }

    /**
     * @return the low 64 bits of the debit account's debits pending after the change.
     */
    public long debitAccountDebitsPendingLo()
    {
        return buffer[offset + DEBIT_BALANCES + 0];
    }

    /**
     * @return the high 64 bits of the debit account's debits posted after the change.
     */
    public long debitAccountDebitsPostedHi()
    {
        return buffer[offset + DEBIT_BALANCES + 3];
    }

    /**
     * @return the low 64 bits of the debit account's debits posted after the change.
     */
    public long debitAccountDebitsPostedLo()
    {
        return buffer[offset + DEBIT_BALANCES + 2];
    }

    /**
     * @return the high 64 bits of the debit account's credits pending after the change.
     */
    public long debitAccountCreditsPendingHi()
    {
        return buffer[offset + DEBIT_BALANCES + 5];
    }

    /**
     * @return the low 64 bits of the debit account's credits pending after the change.
     */
    public long debitAccountCreditsPendingLo()
    {
        return buffer[offset + DEBIT_BALANCES + 4];
    }

    /**
     * @return the high 64 bits of the debit account's credits posted after the change.
     */
    public long debitAccountCreditsPostedHi()
    {
        return buffer[offset + DEBIT_BALANCES + 7];
    }

    /**
     * @return the low 64 bits of the debit account's credits posted after the change.
     */
    public long debitAccountCreditsPostedLo()
    {
        return buffer[offset + DEBIT_BALANCES + 6];
    }

    /**
     * @return the debit account's flags after the change ({@link AccountFlags}; {@code CLOSED} may have changed).
     */
    public int debitAccountFlags()
    {
        return Ledger.metaFlags(buffer[offset + DEBIT_ACCOUNT_META]);
    }

    /**
     * @return the debit account's code.
     */
    public int debitAccountCode()
    {
        return Ledger.metaCode(buffer[offset + DEBIT_ACCOUNT_META]);
    }

    /**
     * @return the high 64 bits of the credit account's debits pending after the change.
     */
    public long creditAccountDebitsPendingHi()
    {
        return buffer[offset + CREDIT_BALANCES + 1];
    }

    /**
     * @return the low 64 bits of the credit account's debits pending after the change.
     */
    public long creditAccountDebitsPendingLo()
    {
        return buffer[offset + CREDIT_BALANCES + 0];
    }

    /**
     * @return the high 64 bits of the credit account's debits posted after the change.
     */
    public long creditAccountDebitsPostedHi()
    {
        return buffer[offset + CREDIT_BALANCES + 3];
    }

    /**
     * @return the low 64 bits of the credit account's debits posted after the change.
     */
    public long creditAccountDebitsPostedLo()
    {
        return buffer[offset + CREDIT_BALANCES + 2];
    }

    /**
     * @return the high 64 bits of the credit account's credits pending after the change.
     */
    public long creditAccountCreditsPendingHi()
    {
        return buffer[offset + CREDIT_BALANCES + 5];
    }

    /**
     * @return the low 64 bits of the credit account's credits pending after the change.
     */
    public long creditAccountCreditsPendingLo()
    {
        return buffer[offset + CREDIT_BALANCES + 4];
    }

    /**
     * @return the high 64 bits of the credit account's credits posted after the change.
     */
    public long creditAccountCreditsPostedHi()
    {
        return buffer[offset + CREDIT_BALANCES + 7];
    }

    /**
     * @return the low 64 bits of the credit account's credits posted after the change.
     */
    public long creditAccountCreditsPostedLo()
    {
        return buffer[offset + CREDIT_BALANCES + 6];
    }

    /**
     * @return the credit account's flags after the change ({@link AccountFlags}; {@code CLOSED} may have changed).
     */
    public int creditAccountFlags()
    {
        return Ledger.metaFlags(buffer[offset + CREDIT_ACCOUNT_META]);
    }

    /**
     * @return the credit account's code.
     */
    public int creditAccountCode()
    {
        return Ledger.metaCode(buffer[offset + CREDIT_ACCOUNT_META]);
    }

    public String toString()
    {
        return type() + " @" + timestampNanos() + " transfer " + UInt128.toString(transferIdHi(), transferIdLo()) +
            " " +
            UInt128.toString(debitAccountIdHi(), debitAccountIdLo()) + "->" +
            UInt128.toString(creditAccountIdHi(), creditAccountIdLo()) + " amount " +
            UInt128.toString(amountHi(), amountLo()) + " debit account " +
            UInt128.toString(debitAccountDebitsPendingHi(), debitAccountDebitsPendingLo()) + "/" +
            UInt128.toString(debitAccountDebitsPostedHi(), debitAccountDebitsPostedLo()) + "/" +
            UInt128.toString(debitAccountCreditsPendingHi(), debitAccountCreditsPendingLo()) + "/" +
            UInt128.toString(debitAccountCreditsPostedHi(), debitAccountCreditsPostedLo()) + " credit account " +
            UInt128.toString(creditAccountDebitsPendingHi(), creditAccountDebitsPendingLo()) + "/" +
            UInt128.toString(creditAccountDebitsPostedHi(), creditAccountDebitsPostedLo()) + "/" +
            UInt128.toString(creditAccountCreditsPendingHi(), creditAccountCreditsPendingLo()) + "/" +
            UInt128.toString(creditAccountCreditsPostedHi(), creditAccountCreditsPostedLo());
    }
}
