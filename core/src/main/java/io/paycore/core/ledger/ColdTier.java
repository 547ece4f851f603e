package io.paycore.core.ledger;

/**
 * Where a {@link Ledger} keeps the transfers that have left its hot window: every transfer it ever created, by id,
 * with the state it had when its record was sealed and any later resolution of a pending transfer.
 * <p>
 * The ledger numbers its transfer records in the order it writes them (a transfer's creation, and the re-record of
 * a sealed pending transfer when it is posted or voided). Records below {@link Ledger#sealedRecords()} never change
 * again and are the tier's to store; the ledger keeps a record findable in its own index until the tier's
 * {@link #writtenRecords()} has passed it, so the ledger never needs a record the tier does not have yet. A tier may
 * hold records a ledger has not reached (a tier left ahead of a ledger recovered from an older snapshot): lookups
 * name the first record number the ledger itself still indexes, and the tier answers with the newest version below
 * it, as that ledger's history would have it.
 * <p>
 * Called on the ledger's thread. {@link #find} must answer from memory the prefetch stage has filled, or from the
 * store, never with a guess: what the ledger does next depends on it.
 */
public interface ColdTier
{
    /**
     * Copy the newest version of a transfer whose record number is below {@code beforeRecord}.
     *
     * @param idHi         high half of the transfer's id.
     * @param idLo         low half of the transfer's id.
     * @param beforeRecord record numbers from here on are the ledger's own; versions at or after it are ignored.
     * @param into         where to copy the record, {@link Ledger#RECORD_LONGS} longs in the ledger's layout.
     * @param offset       of the record in {@code into}.
     * @return true if found and copied, false if no transfer with that id was recorded before {@code beforeRecord}.
     */
    boolean find(long idHi, long idLo, long beforeRecord, long[] into, int offset);

    /**
     * The ledger has sealed records {@code [fromRecord, toRecord)}: they will never change and may be read with
     * {@link Ledger#copySealedRecord}. A synchronous tier stores them before it returns; one with a writer of its
     * own leaves them to it. Called at the end of a command.
     *
     * @param ledger     whose records were sealed.
     * @param fromRecord first record sealed by this call.
     * @param toRecord   one past the last.
     */
    void onSealed(Ledger ledger, long fromRecord, long toRecord);

    /**
     * @return the number of records stored, from record 0: each of them can be found.
     */
    long writtenRecords();

    /**
     * The highest transfer id (unsigned) the tier holds, or any id above it: a ledger read from a snapshot takes
     * it as at or above every id of the records it left to the tier, so that a new id above it and every id the
     * ledger holds needs no lookup. By default both halves all ones, which bounds every id and spares no lookup.
     *
     * @param into where the id goes: its high half at 0, its low half at 1; (0, 0) if the tier holds none.
     */
    default void copyHighestId(final long[] into)
    {
        into[0] = -1;
        into[1] = -1;
    }

    /**
     * Force every record stored so far to durable storage: a snapshot of the ledger names the tier's records as
     * stored, so it must not outlive them. Does nothing for a tier with nothing to force.
     */
    default void force()
    {
    }
}
