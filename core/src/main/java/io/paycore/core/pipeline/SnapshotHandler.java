package io.paycore.core.pipeline;

import io.paycore.core.ledger.Ledger;

/**
 * Takes a snapshot of the ledger at a record boundary. Called on the BLP thread, so the ledger is quiescent for
 * the duration of the call, and the BLP (and so every answer) waits for it: keep snapshots rare.
 */
@FunctionalInterface
public interface SnapshotHandler
{
    /**
     * The ledger has applied every record up to and including {@code sequence} and nothing after it.
     *
     * @param ledger   the ledger, to be read only.
     * @param sequence the journal sequence the snapshot covers.
     */
    void onSnapshotPoint(Ledger ledger, long sequence);
}
