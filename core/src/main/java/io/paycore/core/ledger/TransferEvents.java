package io.paycore.core.ledger;

/**
 * A random-access view of a batch of transfer events, one accessor per field of the schema's
 * {@code CreateTransfers.transfers} group. Implementations read in place and never allocate.
 */
public interface TransferEvents
{
    /**
     * @return the number of events in the batch.
     */
    int count();

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the transfer id; must not be 0 or {@link Long#MAX_VALUE}.
     */
    long id(int index);

    /**
     * @param index of the event.
     * @return the account debited; 0 on a post or void means the pending transfer's.
     */
    long debitAccountId(int index);

    /**
     * @param index of the event.
     * @return the account credited; 0 on a post or void means the pending transfer's.
     */
    long creditAccountId(int index);

    /**
     * @param index of the event.
     * @return the amount in minor units, not negative; 0 on a post or void means the pending amount.
     */
    long amount(int index);

    /**
     * @param index of the event.
     * @return the pending transfer a post or void refers to; 0 otherwise.
     */
    long pendingId(int index);

    /**
     * @param index of the event.
     * @return opaque client data stored with the transfer.
     */
    long userData(int index);

    /**
     * @param index of the event.
     * @return the ledger (currency), an unsigned 32-bit value in a long; 0 on a post or void means the pending's.
     */
    long ledger(int index);

    /**
     * @param index of the event.
     * @return the timeout of a pending transfer in seconds, an unsigned 32-bit value in a long; 0 never expires.
     */
    long timeoutSeconds(int index);

    /**
     * @param index of the event.
     * @return the transfer code, an unsigned 16-bit value; 0 on a post or void means the pending's.
     */
    int code(int index);

    /**
     * @param index of the event.
     * @return the flags, an unsigned 16-bit value; see {@link TransferFlags}.
     */
    int flags(int index);
}
