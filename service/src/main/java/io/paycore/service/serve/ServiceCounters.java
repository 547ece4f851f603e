package io.paycore.service.serve;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.replay.SnapshotAgent;
import io.paycore.replay.SnapshotTaker;
import org.agrona.CloseHelper;

/**
 * The service's counters beyond the transport's, in the media driver's counters file ({@code paycore stat}):
 * the cold tier's progress and lag, whether it failed, and the snapshots. Refreshed from the stages' published
 * values by the health thread every duty cycle ({@link HealthAgent}), so nothing on the hot path writes them.
 * <p>
 * <b>Threading</b>: {@link #update()} from one thread; made and closed by the service's.
 */
final class ServiceCounters implements AutoCloseable
{
    /** Type id of {@code paycore: cold tier records written}. */
    static final int COLD_WRITTEN_TYPE_ID = 4_401;
    /** Type id of {@code paycore: cold tier lag (records sealed, not yet written)}. */
    static final int COLD_LAG_TYPE_ID = 4_402;
    /** Type id of {@code paycore: cold tier failed (1) or healthy (0)}. */
    static final int COLD_FAILED_TYPE_ID = 4_403;
    /** Type id of {@code paycore: snapshots taken}. */
    static final int SNAPSHOTS_TAKEN_TYPE_ID = 4_404;
    /** Type id of {@code paycore: snapshots failed}. */
    static final int SNAPSHOTS_FAILED_TYPE_ID = 4_405;
    /** Type id of {@code paycore: snapshotter applied sequence}. */
    static final int SNAPSHOTTER_SEQUENCE_TYPE_ID = 4_406;
    /** Type id of {@code paycore: snapshots skipped (snapshotter behind)}. */
    static final int SNAPSHOTS_SKIPPED_TYPE_ID = 4_407;

    private final Ledger ledger;
    private final AsyncLmdbColdTier coldTier;
    private final SnapshotTaker snapshotTaker;
    private final SnapshotAgent snapshotAgent;
    private final Counter coldWritten;
    private final Counter coldLag;
    private final Counter coldFailed;
    private final Counter snapshotsTaken;
    private final Counter snapshotsFailed;
    private final Counter snapshotterSequence;
    private final Counter snapshotsSkipped;

    ServiceCounters(
        final Aeron aeron,
        final Ledger ledger,
        final AsyncLmdbColdTier coldTier,
        final SnapshotTaker snapshotTaker,
        final SnapshotAgent snapshotAgent)
    {
        this.ledger = ledger;
        this.coldTier = coldTier;
        this.snapshotTaker = snapshotTaker;
        this.snapshotAgent = snapshotAgent;
        coldWritten = null == coldTier ? null :
            aeron.addCounter(COLD_WRITTEN_TYPE_ID, "paycore: cold tier records written");
        coldLag = null == coldTier ? null :
            aeron.addCounter(COLD_LAG_TYPE_ID, "paycore: cold tier lag (records sealed, not yet written)");
        coldFailed = null == coldTier ? null :
            aeron.addCounter(COLD_FAILED_TYPE_ID, "paycore: cold tier failed (1) or healthy (0)");
        snapshotsTaken = aeron.addCounter(SNAPSHOTS_TAKEN_TYPE_ID, "paycore: snapshots taken");
        snapshotsFailed = aeron.addCounter(SNAPSHOTS_FAILED_TYPE_ID, "paycore: snapshots failed");
        snapshotterSequence = null == snapshotAgent ? null :
            aeron.addCounter(SNAPSHOTTER_SEQUENCE_TYPE_ID, "paycore: snapshotter applied sequence");
        snapshotsSkipped = null == snapshotAgent ? null :
            aeron.addCounter(SNAPSHOTS_SKIPPED_TYPE_ID, "paycore: snapshots skipped (snapshotter behind)");
    }

    /**
     * Refresh every counter from the values the stages publish.
     */
    void update()
    {
        if (null != coldTier)
        {
            final long written = coldTier.writtenRecordsNow();
            coldWritten.setOrdered(written);
            coldLag.setOrdered(Math.max(0, ledger.sealedRecords() - written));
            coldFailed.setOrdered(null == coldTier.failure() ? 0 : 1);
        }
        snapshotsTaken.setOrdered(snapshotTaker.snapshotsTaken());
        snapshotsFailed.setOrdered(snapshotTaker.failures());
        if (null != snapshotAgent)
        {
            snapshotterSequence.setOrdered(snapshotAgent.appliedSequence());
            snapshotsSkipped.setOrdered(snapshotAgent.snapshotsSkipped());
        }
    }

    public void close()
    {
        CloseHelper.closeAll(
            coldWritten, coldLag, coldFailed, snapshotsTaken, snapshotsFailed, snapshotterSequence, snapshotsSkipped);
    }
}
