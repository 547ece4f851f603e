package io.paycore.service.cluster;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchiveTool;
import io.aeron.archive.checksum.Checksums;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NanosecondClusterClock;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.codec.ProtocolLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClusterAuthenticator;
import io.paycore.transport.client.DriverCheck;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One member of a paycore cluster: a media driver, an archive holding the replicated log, a consensus module, and a
 * clustered service container running {@link PaycoreClusteredService}, with its files under one data directory:
 * {@code cluster/} (the consensus module's and the service's), {@code archive/} (the log), {@code journal/}
 * (paycore's own journal of what the member applied) and {@code cold/} (the member's cold tier, if it has one).
 * <p>
 * Durability follows the flush level: at {@code none} the log is in the page cache of a majority when it commits;
 * at {@code batch} and {@code every} the archive and the consensus module force their files, so the log is on the
 * disk of a majority before it commits. paycore's journal is flushed at the same level.
 */
public final class ClusterNode implements AutoCloseable
{
    /**
     * The Aeron term length of the cluster's log: the most a leader can run ahead of the slowest member it waits for.
     */
    public static final int LOG_TERM_LENGTH = 16 * 1024 * 1024;

    /**
     * How long a start waits for the mark files of a member killed just before to go stale (Aeron takes a mark file
     * updated within ten seconds for a live one).
     */
    public static final long STALE_MARK_FILE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final PaycoreClusteredService service;
    private final ClusterAuthenticator.Supplier authenticators;
    private final int memberId;
    private final AgentThreads consensusThreads;
    private final AgentThreads serviceThreads;

    private ClusterNode(
        final ClusteredMediaDriver driver,
        final ClusteredServiceContainer container,
        final PaycoreClusteredService service,
        final ClusterAuthenticator.Supplier authenticators,
        final int memberId,
        final AgentThreads consensusThreads,
        final AgentThreads serviceThreads)
    {
        this.consensusThreads = consensusThreads;
        this.serviceThreads = serviceThreads;
        this.authenticators = authenticators;
        this.driver = driver;
        this.container = container;
        this.service = service;
        this.memberId = memberId;
    }

    /**
     * Start a member.
     *
     * @param context what the member is and where its files go.
     * @return the running member.
     */
    public static ClusterNode launch(final ClusterNodeContext context)
    {
        final ClusterMembers members = context.members();
        final int memberId = context.memberId();
        if (memberId < 0 || memberId >= members.size())
        {
            throw new IllegalArgumentException("--id must be 0 to " + (members.size() - 1) + " for " +
                members.size() + " members but was " + memberId);
        }
        final Path data = context.dataDirectory();
        if (null == context.credentials())
        {
            throw new IllegalArgumentException("a cluster member needs the credentials of the clients it lets in");
        }
        final long coldTierSizeBytes = context.coldTierSizeBytes();
        if (0 != coldTierSizeBytes && coldTierSizeBytes < ServiceContext.COLD_TIER_SIZE_MIN)
        {
            throw new IllegalArgumentException("the cold tier's size must be 0 (none) or at least " +
                ServiceContext.COLD_TIER_SIZE_MIN + " bytes but was " + coldTierSizeBytes);
        }
        final String host = members.host(memberId);
        final String aeronDirectory = context.aeronDirectory().toString();
        final int fileSyncLevel = FlushLevel.NONE == context.flushLevel() ? 0 : 1;

        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectory)
            .threadingMode(context.dedicatedThreads() ? ThreadingMode.DEDICATED : ThreadingMode.SHARED)
            .sharedIdleStrategy(newIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true);

        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDirectory)
            .archiveDir(data.resolve("archive").toFile())
            .controlChannel("aeron:udp?endpoint=" + members.endpoint(memberId, ClusterMembers.ARCHIVE_CONTROL_OFFSET))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(context.dedicatedThreads() ? ArchiveThreadingMode.DEDICATED : ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(ClusterNode::newIdleStrategy)
            .fileSyncLevel(fileSyncLevel)
            .catalogFileSyncLevel(fileSyncLevel)
            // With a checksum in each recorded fragment the archive can tell, when it starts after a crash, that a
            // last fragment straddling a page boundary is whole. Without one it looks for data in every page after
            // the boundary, which a whole fragment ending in zero bytes does not have, and refuses to start: seen
            // after a SIGKILL here ("potentially incomplete last fragment straddling page boundary").
            .recordChecksum(Checksums.crc32c())
            .archiveId(memberId);

        final AeronArchive.Context archiveClient = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archiveContext.localControlChannel())
            .controlRequestStreamId(archiveContext.localControlStreamId())
            .controlResponseChannel(archiveContext.localControlChannel())
            .aeronDirectoryName(aeronDirectory);

        final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
            .clusterMemberId(memberId)
            .clusterMembers(members.consensusMembers())
            .clusterDir(data.resolve("cluster").toFile())
            .archiveContext(archiveClient.clone())
            .serviceCount(1)
            .ingressChannel("aeron:udp")
            .logChannel("aeron:udp?term-length=" + LOG_TERM_LENGTH)
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .clusterClock(new NanosecondClusterClock())
            .fileSyncLevel(fileSyncLevel)
            .idleStrategySupplier(ClusterNode::newIdleStrategy)
            .leaderHeartbeatTimeoutNs(context.leaderHeartbeatTimeoutNs())
            .leaderHeartbeatIntervalNs(Math.max(1, context.leaderHeartbeatTimeoutNs() / 10))
            .electionTimeoutNs(context.electionTimeoutNs())
            .startupCanvassTimeoutNs(context.startupCanvassTimeoutNs())
            .sessionTimeoutNs(context.sessionTimeoutNs())
            .terminationHook(context.terminationHook());
        final ErrorHandler memberErrors =
            null != context.errorHandler() ? context.errorHandler() : Throwable::printStackTrace;

        final PaycoreClusteredService service = new PaycoreClusteredService(
            memberId,
            context.ledgerLimits(),
            new JournalContext()
                .directory(data.resolve("journal"))
                .flushLevel(context.flushLevel())
                // Every message the service accepts must fit a journal record: the largest batch the limits allow.
                .maxRecordLength(Math.max(JournalContext.MAX_RECORD_LENGTH_DEFAULT,
                    ProtocolLimits.maxMessageLength(context.ledgerLimits().maxBatchEvents()))),
            context.snapshotEveryRecords(),
            data.resolve("cold"),
            coldTierSizeBytes)
            .ledgerSnapshots(data.resolve("snapshots"), context.snapshotsOffServiceThread(),
                context.snapshotWriteRate(), memberErrors)
            .historyChecks(context.historyCheckEveryRecords(), memberErrors);
        final ClusteredServiceContainer.Context containerContext = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDirectory)
            .archiveContext(archiveClient.clone())
            .clusterDir(data.resolve("cluster").toFile())
            .clusteredService(service)
            .terminationHook(context.terminationHook())
            .idleStrategySupplier(ClusterNode::newIdleStrategy)
            .serviceId(0);

        if (null != context.errorHandler())
        {
            final ErrorHandler errorHandler = context.errorHandler();
            driverContext.errorHandler(errorHandler);
            archiveContext.errorHandler(errorHandler);
            consensusContext.errorHandler(errorHandler);
            containerContext.errorHandler(errorHandler);
        }

        final long deadlineNanos = System.nanoTime() + STALE_MARK_FILE_WAIT_NANOS;
        boolean repairedArchive = false;
        while (true)
        {
            ClusteredMediaDriver driver = null;
            ClusterAuthenticator.Supplier authenticators = null;
            final AgentThreads consensusThreads = new AgentThreads();
            final AgentThreads serviceThreads = new AgentThreads();
            // The driver deletes its directory as it starts: with a live driver there (this member started twice,
            // or another member's --aeron-dir) that would take the running member's files from under it.
            if (DriverCheck.isDriverActive(new File(aeronDirectory)))
            {
                if (System.nanoTime() - deadlineNanos > 0)
                {
                    throw new IllegalStateException("a media driver is running in " + aeronDirectory + ": is " +
                        "another member running on this data directory (or with this --aeron-dir)? Stop it first");
                }
                sleep();
                continue;
            }
            try
            {
                authenticators = ClusterAuthenticator.supplier(context.credentials(), memberErrors);
                driver = ClusteredMediaDriver.launch(
                    driverContext.clone(), archiveContext.clone(),
                    consensusContext.clone().authenticatorSupplier(authenticators).threadFactory(consensusThreads));
                final AtomicCounter toggle = driver.consensusModule().context().controlToggleCounter();
                service.snapshotRequester(() -> ClusterControl.ToggleState.SNAPSHOT.toggle(toggle));
                service.loginsRefusedCounter(authenticators::refusedCounter);
                service.startupCollectionReport(context.startupCollectionReport());
                final ClusteredServiceContainer container =
                    ClusteredServiceContainer.launch(containerContext.clone().threadFactory(serviceThreads));
                return new ClusterNode(
                    driver, container, service, authenticators, memberId, consensusThreads, serviceThreads);
            }
            catch (final IllegalStateException ex)
            {
                CloseHelper.quietCloseAll(driver, authenticators);
                // A member killed a moment ago leaves mark files that look alive for ten seconds: wait that out,
                // but no longer, so that a member that really runs on this directory still stops this one.
                if (null == ex.getMessage() || !ex.getMessage().startsWith("active mark file detected") ||
                    System.nanoTime() - deadlineNanos > 0)
                {
                    throw ex;
                }
                sleep();
            }
            catch (final ArchiveException ex)
            {
                CloseHelper.quietCloseAll(driver, authenticators);
                if (repairedArchive || null == ex.getMessage() || !ex.getMessage().contains(PAGE_STRADDLE))
                {
                    throw ex;
                }
                repairedArchive = true;
                repairTornTail(archiveContext.archiveDir(), memberId);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietCloseAll(driver, authenticators);
                throw ex;
            }
        }
    }

    /**
     * A member killed while its archive wrote can leave a last recorded fragment across a page boundary that the
     * archive cannot prove whole, and then the archive will not start ("Run `ArchiveTool verify`"). Do what that
     * tool does when told yes: check the last segment of each recording (with the record checksums) and cut off
     * the fragment it cannot prove whole. It was never acknowledged from this member's disk as whole, and the member
     * fetches the log again from the leader when it rejoins.
     */
    static void repairTornTail(final File archiveDir, final int memberId)
    {
        final PrintStream err = System.err;
        err.println("paycore node " + memberId + ": the archive in " + archiveDir + " ends with a fragment it " +
            "cannot prove whole (a crash while it wrote); cutting it off, as ArchiveTool verify does, and " +
            "starting again: the member fetches the rest of the log from the leader");
        ArchiveTool.verify(err, archiveDir, EnumSet.of(ArchiveTool.VerifyOption.APPLY_CHECKSUM),
            "CRC-32C", (segmentFile) ->
            {
                err.println("paycore node " + memberId + ": truncating the last fragment of " + segmentFile);
                return true;
            });
        err.flush();
    }

    /**
     * The start of what the archive says when its last recorded fragment straddles a page boundary unproven.
     */
    private static final String PAGE_STRADDLE = "incomplete last fragment straddling page boundary";

    private static void sleep()
    {
        try
        {
            Thread.sleep(500);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a killed member's mark files to go stale");
        }
    }

    /**
     * @return this member's id.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * Which part of the member has stopped without being asked to: the consensus module's or the service
     * container's agent thread has ended. Aeron ends the thread without running the termination hook when the agent
     * fails while it starts (recovering from its snapshot and log, connecting to its archive), and then the member
     * would stay up doing nothing, its Aeron client timed out by the driver.
     *
     * @return "consensus module", "service container", or null while both run.
     */
    public String stoppedPart()
    {
        if (consensusThreads.anyEnded())
        {
            return "consensus module";
        }
        if (serviceThreads.anyEnded())
        {
            return "service container";
        }
        return null;
    }

    /**
     * The threads a part of the member was started on, to tell when one has ended.
     */
    static final class AgentThreads implements ThreadFactory
    {
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        public Thread newThread(final Runnable runnable)
        {
            final Thread thread = new Thread(runnable);
            threads.add(thread);
            return thread;
        }

        boolean anyEnded()
        {
            for (final Thread thread : threads)
            {
                if (Thread.State.TERMINATED == thread.getState())
                {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @return the service this member runs.
     */
    public PaycoreClusteredService service()
    {
        return service;
    }

    /**
     * @return logins refused since the consensus module last started (unknown client, wrong secret, too many at
     * once).
     */
    public long refusedLogins()
    {
        final ClusterAuthenticator authenticator = authenticators.current();
        return null == authenticator ? 0 : authenticator.refused();
    }

    /**
     * @return the consensus module's context, for its counters and role.
     */
    public ConsensusModule.Context consensusModuleContext()
    {
        return driver.consensusModule().context();
    }

    /**
     * Stop the member: the service, then the consensus module, archive and driver.
     */
    public void close()
    {
        CloseHelper.closeAll(container, driver, authenticators);
    }

    private static BackoffIdleStrategy newIdleStrategy()
    {
        return new BackoffIdleStrategy(1, 100, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
