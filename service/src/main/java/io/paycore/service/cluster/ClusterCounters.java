package io.paycore.service.cluster;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.CloseHelper;

/**
 * A cluster member's own counters, in its media driver's counters file beside the consensus module's and the
 * archive's ({@code paycore stat --data DIR}): what its clustered service applied, rejected and snapshotted, what
 * its cold tier holds, what its snapshotter thread wrote. Labelled with the member's id, as the cluster's
 * own counters are.
 * <p>
 * <b>Threading</b>: made, written and closed on the service's thread, but for the logins refused, which the
 * consensus module's thread counts.
 */
final class ClusterCounters implements AutoCloseable
{
    /** Type id of {@code paycore: cluster member N records applied}. */
    static final int RECORDS_APPLIED_TYPE_ID = 4_501;
    /** Type id of {@code paycore: cluster member N messages rejected}. */
    static final int MESSAGES_REJECTED_TYPE_ID = 4_502;
    /** Type id of {@code paycore: cluster member N snapshots taken}. */
    static final int SNAPSHOTS_TAKEN_TYPE_ID = 4_503;
    /** Type id of {@code paycore: cluster member N cold tier records written}. */
    static final int COLD_WRITTEN_TYPE_ID = 4_504;
    /** Type id of {@code paycore: cluster member N logins refused}. */
    static final int LOGINS_REFUSED_TYPE_ID = 4_505;
    /** Type id of {@code paycore: cluster member N ledger snapshots written}. */
    static final int LEDGER_SNAPSHOTS_WRITTEN_TYPE_ID = 4_506;
    /** Type id of {@code paycore: cluster member N ledger snapshots failed}. */
    static final int LEDGER_SNAPSHOTS_FAILED_TYPE_ID = 4_507;
    /** Type id of {@code paycore: cluster member N history checks passed}. */
    static final int HISTORY_CHECKS_PASSED_TYPE_ID = 4_508;
    /** Type id of {@code paycore: cluster member N history checks failed}. */
    static final int HISTORY_CHECKS_FAILED_TYPE_ID = 4_509;

    private final Counter recordsApplied;
    private final Counter messagesRejected;
    private final Counter snapshotsTaken;
    private final Counter coldWritten;
    private final Counter loginsRefused;
    private final Counter ledgerSnapshotsWritten;
    private final Counter ledgerSnapshotsFailed;
    private final Counter historyChecksPassed;
    private final Counter historyChecksFailed;

    ClusterCounters(final Aeron aeron, final int memberId, final boolean coldTier, final boolean snapshotter)
    {
        final String prefix = "paycore: cluster member " + memberId + " ";
        recordsApplied = aeron.addCounter(RECORDS_APPLIED_TYPE_ID, prefix + "records applied");
        messagesRejected = aeron.addCounter(MESSAGES_REJECTED_TYPE_ID, prefix + "messages rejected (malformed)");
        snapshotsTaken = aeron.addCounter(SNAPSHOTS_TAKEN_TYPE_ID, prefix + "snapshots taken");
        coldWritten = coldTier ? aeron.addCounter(COLD_WRITTEN_TYPE_ID, prefix + "cold tier records written") : null;
        loginsRefused = aeron.addCounter(LOGINS_REFUSED_TYPE_ID, prefix + "logins refused");
        ledgerSnapshotsWritten = snapshotter ?
            aeron.addCounter(LEDGER_SNAPSHOTS_WRITTEN_TYPE_ID, prefix + "ledger snapshots written") : null;
        ledgerSnapshotsFailed = snapshotter ? aeron.addCounter(LEDGER_SNAPSHOTS_FAILED_TYPE_ID,
            prefix + "ledger snapshots failed (or the snapshotter stopped)") : null;
        historyChecksPassed = aeron.addCounter(HISTORY_CHECKS_PASSED_TYPE_ID, prefix + "history checks passed");
        historyChecksFailed = aeron.addCounter(HISTORY_CHECKS_FAILED_TYPE_ID,
            prefix + "history checks failed (its ledger or the leader's went another way)");
    }

    /**
     * @return the counter of logins the member's consensus module refused: the consensus module's thread counts
     * into it.
     */
    Counter loginsRefused()
    {
        return loginsRefused;
    }

    void update(
        final long applied,
        final long rejected,
        final long snapshots,
        final long coldRecords,
        final long ledgerSnapshots,
        final long ledgerSnapshotFailures,
        final long historyChecksPassed,
        final long historyChecksFailed)
    {
        this.historyChecksPassed.setRelease(historyChecksPassed);
        this.historyChecksFailed.setRelease(historyChecksFailed);
        if (null != ledgerSnapshotsWritten)
        {
            ledgerSnapshotsWritten.setRelease(ledgerSnapshots);
            ledgerSnapshotsFailed.setRelease(ledgerSnapshotFailures);
        }
        recordsApplied.setRelease(applied);
        messagesRejected.setRelease(rejected);
        snapshotsTaken.setRelease(snapshots);
        if (null != coldWritten)
        {
            coldWritten.setRelease(coldRecords);
        }
    }

    public void close()
    {
        CloseHelper.closeAll(recordsApplied, messagesRejected, snapshotsTaken, coldWritten, loginsRefused,
            ledgerSnapshotsWritten, ledgerSnapshotsFailed, historyChecksPassed, historyChecksFailed);
    }
}
