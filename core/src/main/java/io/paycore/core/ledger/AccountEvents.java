package io.paycore.core.ledger;

/**
 * A random-access view of a batch of account events, one accessor per field of the schema's
 * {@code CreateAccounts.accounts} group. Implementations read in place and never allocate.
 */
public interface AccountEvents
{
    /**
     * @return the number of events in the batch.
     */
    int count();

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the account id; must not be 0 or {@link Long#MAX_VALUE}.
     */
    long id(int index);

    /**
     * @param index of the event.
     * @return opaque client data stored with the account.
     */
    long userData(int index);

    /**
     * @param index of the event.
     * @return the ledger (currency), an unsigned 32-bit value in a long; must not be 0.
     */
    long ledger(int index);

    /**
     * @param index of the event.
     * @return the account code, an unsigned 16-bit value; must not be 0.
     */
    int code(int index);

    /**
     * @param index of the event.
     * @return the flags, an unsigned 16-bit value; see {@link AccountFlags}.
     */
    int flags(int index);
}
