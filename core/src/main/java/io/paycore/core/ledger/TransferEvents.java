package io.paycore.core.ledger;

/**
 * A random-access view of a batch of transfer events, one accessor per field of the schema's
 * {@code CreateTransfers.transfers} group (TigerBeetle's Transfer). Every 128-bit field is read as two halves,
 * {@code xxxHi} and {@code xxxLo}. Implementations read in place and never allocate.
 */
public interface TransferEvents
{
    /**
     * @return the number of events in the batch.
     */
    int count();

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of the transfer id (unsigned 128-bit); must not be 0 or 2^128 - 1.
     */
    long idHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of the transfer id (unsigned 128-bit); must not be 0 or 2^128 - 1.
     */
    long idLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of the account debited; 0 on a post or void means the pending transfer's.
     */
    long debitAccountIdHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of the account debited; 0 on a post or void means the pending transfer's.
     */
    long debitAccountIdLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of the account credited; 0 on a post or void means the pending transfer's.
     */
    long creditAccountIdHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of the account credited; 0 on a post or void means the pending transfer's.
     */
    long creditAccountIdLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of the amount in minor units (unsigned 128-bit); see {@link Ledger#AMOUNT_MAX_HI}.
     */
    long amountHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of the amount in minor units (unsigned 128-bit); see {@link Ledger#AMOUNT_MAX_HI}.
     */
    long amountLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of the pending transfer a post or void refers to; 0 otherwise.
     */
    long pendingIdHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of the pending transfer a post or void refers to; 0 otherwise.
     */
    long pendingIdLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of opaque client data; 0 on a post or void means the pending transfer's.
     */
    long userData128Hi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of opaque client data; 0 on a post or void means the pending transfer's.
     */
    long userData128Lo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return opaque client data, 64 bits; 0 on a post or void means the pending transfer's.
     */
    long userData64(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return opaque client data, an unsigned 32-bit value in a long; 0 on a post or void means the pending transfer's.
     */
    long userData32(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the timeout of a pending transfer in seconds, an unsigned 32-bit value in a long; 0 never expires.
     */
    long timeoutSeconds(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the ledger (currency), an unsigned 32-bit value in a long; 0 on a post or void means the pending's.
     */
    long ledger(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return 0, or on an {@link TransferFlags#IMPORTED} event the time it happened elsewhere (epoch nanoseconds,
     * unsigned).
     */
    long timestamp(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the transfer code, an unsigned 16-bit value; 0 on a post or void means the pending's.
     */
    int code(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the flags, an unsigned 16-bit value; see {@link TransferFlags}.
     */
    int flags(int index);
}
