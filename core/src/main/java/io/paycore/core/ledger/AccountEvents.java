package io.paycore.core.ledger;

/**
 * A random-access view of a batch of account events, one accessor per field of the schema's
 * {@code CreateAccounts.accounts} group (TigerBeetle's Account). Every 128-bit field is read as two halves,
 * {@code xxxHi} and {@code xxxLo}. Implementations read in place and never allocate.
 */
public interface AccountEvents
{
    /**
     * @return the number of events in the batch.
     */
    int count();

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of the account id (unsigned 128-bit); must not be 0 or 2^128 - 1.
     */
    long idHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of the account id (unsigned 128-bit); must not be 0 or 2^128 - 1.
     */
    long idLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of a balance the event carries; must be 0.
     */
    long debitsPendingHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of a balance the event carries; must be 0.
     */
    long debitsPendingLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of a balance the event carries; must be 0.
     */
    long debitsPostedHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of a balance the event carries; must be 0.
     */
    long debitsPostedLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of a balance the event carries; must be 0.
     */
    long creditsPendingHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of a balance the event carries; must be 0.
     */
    long creditsPendingLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of a balance the event carries; must be 0.
     */
    long creditsPostedHi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of a balance the event carries; must be 0.
     */
    long creditsPostedLo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the high 64 bits of opaque client data.
     */
    long userData128Hi(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the low 64 bits of opaque client data.
     */
    long userData128Lo(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return opaque client data, 64 bits.
     */
    long userData64(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return opaque client data, an unsigned 32-bit value in a long.
     */
    long userData32(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the reserved field, an unsigned 32-bit value in a long; must be 0.
     */
    long reserved(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the ledger (currency), an unsigned 32-bit value in a long; must not be 0.
     */
    long ledger(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return 0, or on an {@link AccountFlags#IMPORTED} event the time it was created elsewhere (epoch nanoseconds,
     * unsigned).
     */
    long timestamp(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the account code, an unsigned 16-bit value; must not be 0.
     */
    int code(int index);

    /**
     * @param index of the event, 0 to {@link #count()} - 1.
     * @return the flags, an unsigned 16-bit value; see {@link AccountFlags}.
     */
    int flags(int index);
}
