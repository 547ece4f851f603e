package io.paycore.service.cluster;

import io.paycore.core.command.LimitsRecord;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import io.paycore.journal.SnapshotWriter;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.cli.DurationNanosConverter;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.LongByteSizeConverter;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.serve.ServeCommand;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code paycore node}: one member of a paycore cluster on Aeron Cluster.
 */
@Command(
    name = "node",
    header = "Run one member of a paycore cluster (Aeron Cluster: Raft over Aeron) until SIGTERM or SIGINT.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Run one member of a paycore cluster: a media driver, an archive holding the replicated log, a consensus",
        "module (leader election, replication to a majority) and the ledger as a clustered service. Start every",
        "member with the same --members list (in the same order) and its own --id. Clients connect with the",
        "members' client endpoints (PaycoreClient with ClientContext.clusterIngressEndpoints).",
        "",
        "Each member uses five ports from its base port: +1 archive control, +2 clients, +3 consensus, +4 log,",
        "+5 catch-up. Members on one machine need base ports at least 5 apart (10 is the convention).",
        "",
        "Data directory layout: DIR/cluster (consensus module and service: recording log, snapshots' index,",
        "mark files), DIR/archive (the replicated log and snapshots), DIR/journal (paycore's journal of what",
        "this member applied: 'paycore audit --data DIR' reads it), DIR/cold (the cold tier: transfers older",
        "than the hot window, in LMDB), DIR/aeron (the media driver, unless --aeron-dir).",
        "",
        "A member that cannot write its journal or cold tier (a full disk) stops with status 1 and says why;",
        "the others go on, and the member, restarted once its disk has room, catches up.",
        "",
        "Once its service has built the ledger, before it can join an election, the member collects its heap",
        "once and prints 'paycore node N: heap ...'; -XX:+DisableExplicitGC in PAYCORE_JAVA_OPTS skips the collection.",
        "",
        "Clients log in with a client id and secret from the credentials file (--clients), checked by the",
        "consensus module off its own thread; a refused client's session is never opened.",
        "",
        "'paycore stat --data DIR' prints the member's counters and its driver's, archive's and consensus",
        "module's. Not yet on a cluster: purging the log after snapshots.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "143:clean shutdown after SIGTERM (130 after SIGINT): the JVM's status for the signal",
        "0:the cluster was shut down, or --help",
        "1:stopped because this member could not write its journal or cold tier, or close either as it " +
            "stopped (after a signal the status stays 143 or 130; the line 'stopped: ...' says why)",
        "2:usage or configuration error",
        "3:stopped because its consensus module or service container stopped by itself (an error while it " +
            "started or ran; the member prints the error logs), or it could not start (a port in use, another " +
            "member on its directory; the message says why): restart it and it catches up",
        "4:cannot start on this data directory: its journal holds messages of an older protocol version " +
            "(the message says what to do); restarting does not help",
        "5:the warm-up (--warmup) failed, so the member did not start (the message says why)",
        "6:stopped because its journal does not hold what the cluster's log gives it again (the message names " +
            "the record and what to do); restarting does not help"
    })
public final class NodeCommand implements Callable<Integer>
{
    /** Exit status after a clean stop. */
    public static final int EXIT_OK = 0;

    /** Exit status after the member stopped because it could not write its journal or cold tier. */
    public static final int EXIT_STORAGE_FAILED = 1;

    /** Exit status after the member stopped because its consensus module or service container stopped by itself. */
    public static final int EXIT_PART_STOPPED = 3;

    /** Exit status when the member cannot start on its data directory: a journal an older paycore wrote. */
    public static final int EXIT_CANNOT_START = 4;

    /** Exit status when the warm-up failed and the member did not start. */
    public static final int EXIT_WARMUP_FAILED = 5;

    /** Exit status after the member stopped because its journal does not hold what the cluster's log gives. */
    public static final int EXIT_JOURNAL_DIFFERS = 6;

    /** How often the member checks that its consensus module and service container still run. */
    static final long WATCH_INTERVAL_MS = 500;

    @Spec
    private CommandSpec spec;

    private Consumer<ClusterNode> launchedHook = (node) -> {};

    @Option(names = "--id", paramLabel = "N", required = true,
        description = "This member's id: its place in --members, from 0.")
    private int memberId;

    @Option(names = "--members", paramLabel = "FILE_OR_LIST", required = true,
        description = "Every member, in id order: host:basePort,host:basePort,... or a file with one host:basePort " +
            "a line. 3 or 5 members survive the loss of 1 or 2.")
    private String members;

    @Option(names = "--data", paramLabel = "DIR", required = true,
        description = "This member's data directory; created if missing.")
    private Path data;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "batch", converter = FlushLevelConverter.class,
        description = "none: a committed message is in the page cache of a majority; batch or every: forced to " +
            "disk on a majority before it commits (the archive and the consensus module force their files). " +
            "paycore's own journal is flushed at the same level (default: ${DEFAULT-VALUE}).")
    private FlushLevel flushLevel;

    @Mixin
    private LedgerLimitOptions limits;

    @Option(names = "--snapshot-every", paramLabel = "RECORDS",
        defaultValue = "" + ClusterNodeContext.SNAPSHOT_EVERY_RECORDS_DEFAULT,
        description = "The leader asks the cluster for a snapshot once this many records have been applied since " +
            "the last; every member then takes it at the same log position. 0: only on 'paycore cluster " +
            "snapshot' (default: ${DEFAULT-VALUE}).")
    private long snapshotEveryRecords;

    @Option(names = "--snapshot-thread", paramLabel = "THREAD", defaultValue = "snapshotter",
        description = "Which thread writes the ledger at each snapshot: snapshotter (the cluster's snapshot names " +
            "the record; a thread of its own applies the journal to a copy of the ledger and writes it there to " +
            "DIR/snapshots, paced: the member never stops applying for a snapshot, and holds the hot state twice) " +
            "or service (the cluster's snapshot holds the whole ledger, written on the service thread: half the " +
            "memory, and every member applies nothing until it is in the archive, about a second for a full " +
            "default window) (default: ${DEFAULT-VALUE}).")
    private String snapshotThread;

    @Option(names = "--snapshot-rate", paramLabel = "BYTES", converter = LongByteSizeConverter.class,
        defaultValue = "${sys:" + SnapshotTaker.WRITE_RATE_PROP_NAME + ":-32m}",
        description = "Bytes a second, on average, at which the snapshotter thread writes each ledger snapshot " +
            "(k, m, g suffixes), so that the journal's and the archive's writes are not queued behind it; 0 for " +
            "as fast as the disk takes it. Not used with --snapshot-thread service (default: ${DEFAULT-VALUE}).")
    private long snapshotRate;

    @Option(names = "--clients", paramLabel = "FILE",
        description = "Credentials file of the clients allowed in, as for 'paycore serve' (made with 'paycore " +
            "clients add'; refused if users other than its owner may write it); give every member the same " +
            "(default: DIR/clients).")
    private Path clients;

    @Option(names = "--cold-tier-size", paramLabel = "BYTES",
        defaultValue = "${sys:" + ServiceContext.COLD_TIER_SIZE_PROP_NAME + ":-256g}",
        converter = LongByteSizeConverter.class,
        description = "The most this member's cold tier (DIR/cold: every transfer older than the hot window, in " +
            "LMDB) may take on disk; a sparse file. The service writes and reads it on its own thread. When it " +
            "is full (or the disk is) the member stops. 0 for no cold tier: every transfer stays in memory, up to " +
            "--hot-transfers (default: ${DEFAULT-VALUE}).")
    private long coldTierSizeBytes;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "The media driver's directory (/dev/shm/... is fastest; default: DIR/aeron).")
    private Path aeronDirectory;

    @Option(names = "--dedicated-threads",
        description = "A thread for each of the media driver's and the archive's agents: for a machine per " +
            "member. By default they share one thread each, for several members on one machine.")
    private boolean dedicatedThreads;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", defaultValue = "2s",
        converter = DurationNanosConverter.class,
        description = "Without a heartbeat from the leader this long, the followers elect another; failover " +
            "takes about this long (default: ${DEFAULT-VALUE}).")
    private long heartbeatTimeoutNs;

    @Option(names = "--election-timeout", paramLabel = "DURATION", defaultValue = "500ms",
        converter = DurationNanosConverter.class,
        description = "How long an election waits for votes before it tries again (default: ${DEFAULT-VALUE}).")
    private long electionTimeoutNs;

    @Option(names = "--startup-canvass-timeout", paramLabel = "DURATION", defaultValue = "5s",
        converter = DurationNanosConverter.class,
        description = "How long a member starting up waits to hear from the others before it stands for " +
            "election; at least twice --heartbeat-timeout (default: ${DEFAULT-VALUE}).")
    private long startupCanvassTimeoutNs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
        description = "Before joining the cluster, send N transfers of the demo's payments mix through a scratch " +
            "cluster of this member alone (same settings, free ports on localhost, a small ledger, a temporary " +
            "directory deleted after), so that the JIT has compiled the member's paths before the first client; " +
            "takes seconds. 0: none (default: ${DEFAULT-VALUE}).")
    private long warmupTransfers;

    /**
     * Start the member, run until a shutdown signal, then stop it.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (warmupTransfers < 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--warmup must not be negative: " + warmupTransfers);
        }
        checkTimeouts(heartbeatTimeoutNs, startupCanvassTimeoutNs);
        final ClusterMembers clusterMembers;
        final boolean offServiceThread;
        final ClientCredentials credentials;
        try
        {
            clusterMembers = ClusterMembers.parse(members);
            final LedgerLimits ledgerLimits = limits.limits().validate();
            // A node has no --segment-length; the property sets it, and ClusterNode's journal then refuses too short
            // a segment only once the service container starts (exit 3, as for a crash).
            ServiceContext.checkSegmentHoldsLargestMessage(new JournalContext(), ledgerLimits, null);
            offServiceThread = snapshotsOffServiceThread(snapshotThread);
            final int copies = offServiceThread ? 2 : 1;
            final String heapShortfall =
                ledgerLimits.heapShortfall(0 != coldTierSizeBytes, copies, LedgerLimits.longLivedHeapBytes());
            if (null != heapShortfall)
            {
                throw new IllegalArgumentException(heapShortfall + (2 == copies ? " (the snapshotter thread keeps " +
                    "the second copy; --snapshot-thread service does not)" : "") + ": " +
                    LedgerLimits.HEAP_SHORTFALL_ADVICE);
            }
            final Path clientsFile = null != clients ? clients : data.resolve(ServeCommand.CLIENTS_FILE_NAME);
            credentials = CredentialsFileMode.loadUsable(clientsFile);
            SnapshotWriter.forceEveryBytes();
        }
        catch (final IllegalArgumentException | java.io.UncheckedIOException ex)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (snapshotEveryRecords < 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--snapshot-every must not be negative: " + snapshotEveryRecords);
        }
        if (memberId < 0 || memberId >= clusterMembers.size())
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--id must be 0 to " +
                (clusterMembers.size() - 1) + " for " + clusterMembers.size() + " members but was " + memberId);
        }
        final ClusterNodeContext context;
        try
        {
            context = new ClusterNodeContext();
        }
        catch (final IllegalArgumentException ex)
        {
            // A property it reads (the history check's interval, the snapshot rate) does not parse.
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        context
            .memberId(memberId)
            .members(clusterMembers)
            .dataDirectory(data)
            .aeronDirectory(aeronDirectory)
            .flushLevel(flushLevel)
            .ledgerLimits(limits.limits())
            .dedicatedThreads(dedicatedThreads)
            .leaderHeartbeatTimeoutNs(heartbeatTimeoutNs)
            .electionTimeoutNs(electionTimeoutNs)
            .startupCanvassTimeoutNs(startupCanvassTimeoutNs)
            .snapshotEveryRecords(snapshotEveryRecords)
            .snapshotsOffServiceThread(offServiceThread)
            .snapshotWriteRate(snapshotRate)
            .coldTierSizeBytes(coldTierSizeBytes)
            .credentials(credentials)
            // One member in this JVM: it may collect at start, as serve does, and says so on its output.
            .startupCollectionReport((line) ->
            {
                out.println("paycore node " + memberId + ": " + line);
                out.flush();
            });
        if (0 != coldTierSizeBytes && coldTierSizeBytes < ServiceContext.COLD_TIER_SIZE_MIN)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cold-tier-size must be 0 " +
                "(none) or at least " + ServiceContext.COLD_TIER_SIZE_MIN + " bytes but was " + coldTierSizeBytes);
        }
        try
        {
            // Before the cluster starts: the service would refuse it in onStart too, but then the node would exit
            // as if a part had stopped (3), which a supervisor answers by restarting it into the same refusal.
            PaycoreClusteredService.checkJournalProtocolVersion(data.resolve("journal"));
        }
        catch (final IllegalStateException ex)
        {
            spec.commandLine().getErr().println("paycore node " + memberId + ": cannot start: " + ex.getMessage());
            return EXIT_CANNOT_START;
        }
        catch (final JournalException ex)
        {
            // A damaged journal is the service's to repair or refuse as it starts; this check is about versions.
        }
        if (warmupTransfers > 0)
        {
            try
            {
                out.println("paycore node " + memberId + ": " + NodeWarmUp.run(context, warmupTransfers));
                out.flush();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                spec.commandLine().getErr().println("paycore node " + memberId + ": interrupted during the warm-up");
                return EXIT_WARMUP_FAILED;
            }
            catch (final IOException | RuntimeException ex)
            {
                spec.commandLine().getErr().println("paycore node " + memberId + ": the warm-up failed, so the " +
                    "member did not start: " + ex);
                return EXIT_WARMUP_FAILED;
            }
        }
        final RuntimeException failure;
        final AtomicReference<String> stoppedPart = new AtomicReference<>();
        final String partStopped;
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            // A part that ends after the termination hook (a cluster shut down by its operator) stopped as asked.
            final AtomicBoolean terminating = new AtomicBoolean();
            context.terminationHook(() ->
            {
                terminating.set(true);
                barrier.signal();
            });
            final ClusterNode launched;
            try
            {
                launched = ClusterNode.launch(context);
            }
            catch (final RuntimeException ex)
            {
                // A port in use, another member on this directory, a data directory that is a file: one line, and
                // the status of a part that stopped as it started, not a stack trace and the storage failure's 1.
                spec.commandLine().getErr().println("paycore node " + memberId + ": cannot start: " + ex);
                spec.commandLine().getErr().flush();
                return EXIT_PART_STOPPED;
            }
            try (ClusterNode node = launched)
            {
                launchedHook.accept(node);
                out.println("paycore node " + memberId + " of " + clusterMembers.size() + ": running, data in " +
                    data + ", clients at " + clusterMembers.ingressEndpoints() + "; limits " +
                    describeLimits(limits.limits(), coldTierSizeBytes > 0) + " (every member must run with the same)");
                out.flush();
                final Thread watchdog = watch(node, barrier, terminating, stoppedPart);
                barrier.await();
                // Stopped and joined before the member closes: its parts' threads end then, as asked.
                watchdog.interrupt();
                joinQuietly(watchdog);
                partStopped = stoppedPart.get();
                if (null != partStopped)
                {
                    final PrintWriter err = spec.commandLine().getErr();
                    err.println("paycore node " + memberId + ": its " + partStopped + " stopped by itself; " +
                        "the error logs of " + data.resolve("cluster") + ":");
                    err.println(ClusterCommand.clusterErrors(data.resolve("cluster")));
                    err.flush();
                }
                out.println("paycore node " + memberId + ": history checks against the leader: " +
                    node.service().historyChecksPassed() + " passed, " + node.service().historyChecksFailed() +
                    " failed, " + node.service().historyChecksSkipped() + " skipped");
                out.println("paycore node " + memberId + ": shutting down");
                out.flush();
            }
            // Read once the member has closed: its service closes its journal as it ends, and a close that fails
            // (the last force) is a failure too. Said before the barrier closes: after a signal the JVM ends then.
            failure = launched.service().failure();
            if (null != failure)
            {
                spec.commandLine().getErr().println("paycore node " + memberId + ": stopped: " + failure.getMessage());
                spec.commandLine().getErr().flush();
            }
        }
        if (null != failure)
        {
            return exitStatusFor(failure);
        }
        return null != partStopped ? EXIT_PART_STOPPED : EXIT_OK;
    }

    /**
     * Given the member once it has started, before it says it runs. For tests in this package.
     *
     * @param hook given the running member, on the command's thread.
     * @return this.
     */
    NodeCommand launchedHook(final Consumer<ClusterNode> hook)
    {
        this.launchedHook = hook;
        return this;
    }

    /**
     * @param failure why the member's service stopped applying the log.
     * @return the exit status for it: {@link #EXIT_JOURNAL_DIFFERS} for a journal that does not hold what the log
     * gives, else {@link #EXIT_STORAGE_FAILED}.
     */
    static int exitStatusFor(final RuntimeException failure)
    {
        return failure instanceof JournalDisagreementException ? EXIT_JOURNAL_DIFFERS : EXIT_STORAGE_FAILED;
    }

    /**
     * Watch the member's consensus module and service container: Aeron stops either without running the termination
     * hook when it fails as it starts, and a member left like that answers nothing and catches up on nothing. Stop
     * the member then, with its own status, so that whatever supervises it starts it again.
     */
    private static Thread watch(
        final ClusterNode node,
        final ShutdownSignalBarrier barrier,
        final AtomicBoolean terminating,
        final AtomicReference<String> stoppedPart)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                while (!Thread.currentThread().isInterrupted())
                {
                    Thread.sleep(WATCH_INTERVAL_MS);
                    final String part = node.stoppedPart();
                    if (null != part && !terminating.get())
                    {
                        stoppedPart.set(part);
                        barrier.signal();
                        return;
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "paycore-node-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Aeron Cluster's consensus module refuses, as it starts, a leader heartbeat timeout of 0 (with a division by
     * zero) and a startup canvass shorter than two heartbeat timeouts: refuse both here as usage errors instead.
     */
    private void checkTimeouts(final long heartbeatNs, final long canvassNs)
    {
        if (heartbeatNs <= 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--heartbeat-timeout must be more than 0: " + heartbeatNs + " ns");
        }
        if (canvassNs / heartbeatNs < 2)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--startup-canvass-timeout (" +
                canvassNs + " ns) must be at least twice --heartbeat-timeout (" + heartbeatNs + " ns)");
        }
    }

    private static boolean snapshotsOffServiceThread(final String thread)
    {
        switch (thread)
        {
            case "snapshotter":
                return true;
            case "service":
                return false;
            default:
                throw new IllegalArgumentException("--snapshot-thread must be snapshotter or service: " + thread);
        }
    }

    /**
     * A member's limits as its start line gives them, in the words of a journaled limits record, so that an operator
     * can compare the members' logs (members do not journal their limits: each must run with the same).
     */
    static String describeLimits(final LedgerLimits limits, final boolean coldTier)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[LimitsRecord.LENGTH]);
        LimitsRecord.encode(limits, coldTier, payload, 0);
        return LimitsRecord.describe(payload, 0);
    }
}
