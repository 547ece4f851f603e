package io.paycore.service.cluster;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.PropertyValues;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import org.agrona.ErrorHandler;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a {@link ClusterNode} is: its id among the members, where its files go, its flush level, its ledger's limits
 * and the cluster's timeouts.
 */
public final class ClusterNodeContext
{
    /**
     * Default time without a heartbeat from the leader before the followers elect another.
     */
    public static final long LEADER_HEARTBEAT_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(2);

    /**
     * Default time an election waits for votes before it tries again.
     */
    public static final long ELECTION_TIMEOUT_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * Default time a member starting up waits to hear from the others before it stands for election.
     */
    public static final long STARTUP_CANVASS_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);

    /**
     * Default time after which a silent client session is closed.
     */
    public static final long SESSION_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);

    private int memberId = -1;
    private ClusterMembers members;
    private Path dataDirectory;
    private Path aeronDirectory;
    private FlushLevel flushLevel = FlushLevel.BATCH;
    private LedgerLimits ledgerLimits = new LedgerLimits();
    private boolean dedicatedThreads;
    private long leaderHeartbeatTimeoutNs = LEADER_HEARTBEAT_TIMEOUT_NS_DEFAULT;
    private long electionTimeoutNs = ELECTION_TIMEOUT_NS_DEFAULT;
    private long startupCanvassTimeoutNs = STARTUP_CANVASS_TIMEOUT_NS_DEFAULT;
    private long sessionTimeoutNs = SESSION_TIMEOUT_NS_DEFAULT;
    private ErrorHandler errorHandler;
    private long snapshotEveryRecords = SNAPSHOT_EVERY_RECORDS_DEFAULT;
    private boolean snapshotsOffServiceThread = true;
    private long snapshotWriteRate =
        PropertyValues.longValue(SnapshotTaker.WRITE_RATE_PROP_NAME, SnapshotTaker.WRITE_RATE_DEFAULT);
    private long coldTierSizeBytes = ServiceContext.COLD_TIER_SIZE_DEFAULT;
    private long historyCheckEveryRecords =
        PropertyValues.longValue(HISTORY_CHECK_EVERY_PROP_NAME, HISTORY_CHECK_EVERY_DEFAULT);
    private Runnable terminationHook = () -> {};
    private Consumer<String> startupCollectionReport;
    private ClientCredentials credentials;

    /**
     * System property: every how many records each member puts its ledger's history hash into the cluster's log,
     * for every member to check its own against when it arrives (0: never). Every member must run with the same.
     */
    public static final String HISTORY_CHECK_EVERY_PROP_NAME = "paycore.cluster.history.check.every";

    /**
     * Default of {@link #HISTORY_CHECK_EVERY_PROP_NAME}.
     */
    public static final long HISTORY_CHECK_EVERY_DEFAULT = 4096;

    /**
     * Default number of records applied between the snapshots the leader asks for.
     */
    public static final long SNAPSHOT_EVERY_RECORDS_DEFAULT = 100_000;

    /**
     * @param records applied between the snapshots the leader asks the cluster for; 0 for none but on command.
     * @return this.
     */
    public ClusterNodeContext snapshotEveryRecords(final long records)
    {
        this.snapshotEveryRecords = records;
        return this;
    }

    /**
     * @return records applied between snapshots, 0 for none but on command.
     */
    public long snapshotEveryRecords()
    {
        return snapshotEveryRecords;
    }

    /**
     * @param offServiceThread true (the default) for cluster snapshots that name a record, the ledger there written
     *                         to DIR/snapshots by a snapshotter thread with its own copy of the ledger (twice the
     *                         memory; the service never waits); false for cluster snapshots that hold the whole
     *                         ledger, written on the service thread while the member applies nothing.
     * @return this.
     */
    public ClusterNodeContext snapshotsOffServiceThread(final boolean offServiceThread)
    {
        this.snapshotsOffServiceThread = offServiceThread;
        return this;
    }

    /**
     * @return true if a snapshotter thread writes the ledger's snapshots.
     */
    public boolean snapshotsOffServiceThread()
    {
        return snapshotsOffServiceThread;
    }

    /**
     * @param bytesPerSecond the snapshotter thread's pace (default {@link SnapshotTaker#WRITE_RATE_PROP_NAME}, else
     *                       {@link SnapshotTaker#WRITE_RATE_DEFAULT}); 0 for as fast as the disk takes them.
     * @return this.
     */
    public ClusterNodeContext snapshotWriteRate(final long bytesPerSecond)
    {
        this.snapshotWriteRate = bytesPerSecond;
        return this;
    }

    /**
     * @return the snapshotter thread's pace in bytes a second, 0 for unpaced.
     */
    public long snapshotWriteRate()
    {
        return snapshotWriteRate;
    }

    /**
     * @param memberId this member's id, its place in the members list from 0.
     * @return this.
     */
    public ClusterNodeContext memberId(final int memberId)
    {
        this.memberId = memberId;
        return this;
    }

    /**
     * @return this member's id.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @param members every member of the cluster, this one included.
     * @return this.
     */
    public ClusterNodeContext members(final ClusterMembers members)
    {
        this.members = members;
        return this;
    }

    /**
     * @return every member of the cluster.
     */
    public ClusterMembers members()
    {
        return members;
    }

    /**
     * @param dataDirectory where this member's files go; created if missing.
     * @return this.
     */
    public ClusterNodeContext dataDirectory(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        return this;
    }

    /**
     * @return where this member's files go.
     */
    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * @param aeronDirectory the media driver's directory ({@code /dev/shm} is best); by default {@code aeron} in the
     *                       data directory.
     * @return this.
     */
    public ClusterNodeContext aeronDirectory(final Path aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    /**
     * @return the media driver's directory.
     */
    public Path aeronDirectory()
    {
        return null != aeronDirectory ? aeronDirectory : dataDirectory.resolve("aeron");
    }

    /**
     * @param flushLevel how durable a committed message is (see {@link ClusterNode}).
     * @return this.
     */
    public ClusterNodeContext flushLevel(final FlushLevel flushLevel)
    {
        this.flushLevel = flushLevel;
        return this;
    }

    /**
     * @return how durable a committed message is.
     */
    public FlushLevel flushLevel()
    {
        return flushLevel;
    }

    /**
     * @param ledgerLimits the ledger's limits; the same on every member.
     * @return this.
     */
    public ClusterNodeContext ledgerLimits(final LedgerLimits ledgerLimits)
    {
        this.ledgerLimits = ledgerLimits;
        return this;
    }

    /**
     * @return the ledger's limits.
     */
    public LedgerLimits ledgerLimits()
    {
        return ledgerLimits;
    }

    /**
     * @param dedicatedThreads a thread for each of the driver's and the archive's agents (a machine per member),
     *                         rather than one shared thread each (several members on one machine, tests).
     * @return this.
     */
    public ClusterNodeContext dedicatedThreads(final boolean dedicatedThreads)
    {
        this.dedicatedThreads = dedicatedThreads;
        return this;
    }

    /**
     * @return whether the driver and the archive get dedicated threads.
     */
    public boolean dedicatedThreads()
    {
        return dedicatedThreads;
    }

    /**
     * @param nanos without a heartbeat from the leader before the followers elect another.
     * @return this.
     */
    public ClusterNodeContext leaderHeartbeatTimeoutNs(final long nanos)
    {
        this.leaderHeartbeatTimeoutNs = nanos;
        return this;
    }

    /**
     * @return the leader heartbeat timeout.
     */
    public long leaderHeartbeatTimeoutNs()
    {
        return leaderHeartbeatTimeoutNs;
    }

    /**
     * @param nanos an election waits for votes before it tries again.
     * @return this.
     */
    public ClusterNodeContext electionTimeoutNs(final long nanos)
    {
        this.electionTimeoutNs = nanos;
        return this;
    }

    /**
     * @return the election timeout.
     */
    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    /**
     * @param nanos a member starting up waits to hear from the others before it stands for election.
     * @return this.
     */
    public ClusterNodeContext startupCanvassTimeoutNs(final long nanos)
    {
        this.startupCanvassTimeoutNs = nanos;
        return this;
    }

    /**
     * @return the start-up canvass timeout.
     */
    public long startupCanvassTimeoutNs()
    {
        return startupCanvassTimeoutNs;
    }

    /**
     * @param nanos after which a silent client session is closed.
     * @return this.
     */
    public ClusterNodeContext sessionTimeoutNs(final long nanos)
    {
        this.sessionTimeoutNs = nanos;
        return this;
    }

    /**
     * @return the session timeout.
     */
    public long sessionTimeoutNs()
    {
        return sessionTimeoutNs;
    }

    /**
     * @param errorHandler for every component's errors; by default each logs to its own error log.
     * @return this.
     */
    public ClusterNodeContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @return the error handler, or null for the components' own.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param bytes the most the member's cold tier ({@code DIR/cold}) may take on disk, at least
     *              {@link ServiceContext#COLD_TIER_SIZE_MIN}; 0 for no cold tier (every transfer stays in memory, up
     *              to the ledger limits' {@code maxTransfers}).
     * @return this.
     */
    public ClusterNodeContext coldTierSizeBytes(final long bytes)
    {
        this.coldTierSizeBytes = bytes;
        return this;
    }

    /**
     * @return the most the member's cold tier may take on disk, or 0 for none.
     */
    public long coldTierSizeBytes()
    {
        return coldTierSizeBytes;
    }

    /**
     * @param records every how many records applied the member checks its ledger's history against the leader's
     *                through the cluster's log ({@link PaycoreClusteredService}); 0 for never. Every member must run
     *                with the same.
     * @return this.
     */
    public ClusterNodeContext historyCheckEveryRecords(final long records)
    {
        this.historyCheckEveryRecords = records;
        return this;
    }

    /**
     * @return every how many records the member checks its history against the leader's; 0 for never.
     */
    public long historyCheckEveryRecords()
    {
        return historyCheckEveryRecords;
    }

    /**
     * @param hook run, on the thread of the part that ends, when the member ends by itself: the cluster was shut
     *             down (ClusterTool), or the service stopped because it could not write its journal or cold tier
     *             ({@link PaycoreClusteredService#failure()} says why). It should close the member.
     * @return this.
     */
    public ClusterNodeContext terminationHook(final Runnable hook)
    {
        this.terminationHook = hook;
        return this;
    }

    /**
     * @return what runs when the member ends by itself.
     */
    public Runnable terminationHook()
    {
        return terminationHook;
    }

    /**
     * Collect the heap once when the service has built its ledger, before the member takes part in an election,
     * and report it; see {@link io.paycore.service.serve.StartupCollection} for why. Null, the default, collects
     * nothing: members that share a JVM (as in tests) would pause each other with it.
     *
     * @param report given the collection's line (on the service thread), or null for no collection.
     * @return this.
     */
    public ClusterNodeContext startupCollectionReport(final Consumer<String> report)
    {
        this.startupCollectionReport = report;
        return this;
    }

    /**
     * @return what is given the line of the collection at start, or null for no collection.
     */
    public Consumer<String> startupCollectionReport()
    {
        return startupCollectionReport;
    }

    /**
     * @param credentials the clients allowed to connect: every member of a cluster should have the same.
     * @return this.
     */
    public ClusterNodeContext credentials(final ClientCredentials credentials)
    {
        this.credentials = credentials;
        return this;
    }

    /**
     * @return the clients allowed to connect.
     */
    public ClientCredentials credentials()
    {
        return credentials;
    }
}
