package io.paycore.replay.query;

/**
 * A transfer as a query returns it, TigerBeetle's fields: a flyweight over the query engine's store, valid only during
 * the visit that hands it on.
 */
public final class StoredTransfer
{
    private final TransferStore store;
    private long ordinal;

    StoredTransfer(final TransferStore store)
    {
        this.store = store;
    }

    StoredTransfer ordinal(final long ordinal)
    {
        this.ordinal = ordinal;
        return this;
    }

    /** @return high 64 bits of the id. */
    public long idHi()
    {
        return store.getLong(ordinal, TransferStore.ID + 8);
    }

    /** @return low 64 bits of the id. */
    public long idLo()
    {
        return store.getLong(ordinal, TransferStore.ID);
    }

    /** @return high 64 bits of the debit account's id. */
    public long debitAccountIdHi()
    {
        return store.getLong(ordinal, TransferStore.DEBIT_ACCOUNT_ID + 8);
    }

    /** @return low 64 bits of the debit account's id. */
    public long debitAccountIdLo()
    {
        return store.getLong(ordinal, TransferStore.DEBIT_ACCOUNT_ID);
    }

    /** @return high 64 bits of the credit account's id. */
    public long creditAccountIdHi()
    {
        return store.getLong(ordinal, TransferStore.CREDIT_ACCOUNT_ID + 8);
    }

    /** @return low 64 bits of the credit account's id. */
    public long creditAccountIdLo()
    {
        return store.getLong(ordinal, TransferStore.CREDIT_ACCOUNT_ID);
    }

    /** @return high 64 bits of the amount as recorded. */
    public long amountHi()
    {
        return store.getLong(ordinal, TransferStore.AMOUNT + 8);
    }

    /** @return low 64 bits of the amount as recorded. */
    public long amountLo()
    {
        return store.getLong(ordinal, TransferStore.AMOUNT);
    }

    /** @return high 64 bits of the pending transfer a post or void resolves. */
    public long pendingIdHi()
    {
        return store.getLong(ordinal, TransferStore.PENDING_ID + 8);
    }

    /** @return low 64 bits of the pending transfer a post or void resolves. */
    public long pendingIdLo()
    {
        return store.getLong(ordinal, TransferStore.PENDING_ID);
    }

    /** @return high 64 bits of the 128-bit user data. */
    public long userData128Hi()
    {
        return store.getLong(ordinal, TransferStore.USER_DATA_128 + 8);
    }

    /** @return low 64 bits of the 128-bit user data. */
    public long userData128Lo()
    {
        return store.getLong(ordinal, TransferStore.USER_DATA_128);
    }

    /** @return the 64-bit user data. */
    public long userData64()
    {
        return store.getLong(ordinal, TransferStore.USER_DATA_64);
    }

    /** @return the 32-bit user data, unsigned. */
    public long userData32()
    {
        return store.getUnsignedInt(ordinal, TransferStore.USER_DATA_32);
    }

    /** @return the timeout in seconds, unsigned. */
    public long timeoutSeconds()
    {
        return store.getUnsignedInt(ordinal, TransferStore.TIMEOUT);
    }

    /** @return the ledger, unsigned. */
    public long ledger()
    {
        return store.getUnsignedInt(ordinal, TransferStore.LEDGER);
    }

    /** @return the code. */
    public int code()
    {
        return store.getUnsignedShort(ordinal, TransferStore.CODE);
    }

    /** @return the flags. */
    public int flags()
    {
        return store.getUnsignedShort(ordinal, TransferStore.FLAGS);
    }

    /** @return the timestamp. */
    public long timestamp()
    {
        return store.getLong(ordinal, TransferStore.TIMESTAMP);
    }
}
