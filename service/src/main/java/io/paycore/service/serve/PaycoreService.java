package io.paycore.service.serve;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.journal.Journal;
import io.paycore.replay.Recovery;
import io.paycore.replay.RecoveryReport;
import io.paycore.replay.SnapshotTaker;
import io.paycore.replay.replication.Epochs;
import io.paycore.replay.replication.Follower;
import io.paycore.replay.replication.ReplicationContext;
import io.paycore.replay.replication.Replicator;
import io.paycore.transport.PaycoreServer;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The running service over one data directory: recovery, then the pipeline over the recovered ledger behind the
 * Aeron transport, with periodic snapshots; {@link #close()} shuts it down cleanly.
 * <p>
 * {@link #launch(ServiceContext)}:
 * <ol>
 *     <li>recovers the data directory with {@link Recovery} (newest valid snapshot, then the journal after it,
 *     answers suppressed) and prints its report; a damaged journal (other than a torn tail) stops the launch with
 *     the journal's error naming file, offset and sequence;</li>
 *     <li>builds the pipeline over the recovered ledger and the open journal, with a {@link SnapshotTaker} called
 *     every {@code snapshotEveryRecords} journal records;</li>
 *     <li>starts the transport and prints one ready line: channel, stream, last sequence and digest.</li>
 * </ol>
 * {@link #close()} stops ingress (the transport), lets the BLP apply everything already in the ring, flushes and
 * closes the journal, takes a final snapshot if configured, releases the data directory and prints the final
 * digest.
 * <p>
 * <b>Threading</b>: launch and close from one thread; the service's own threads are the pipeline's stages and the
 * transport's agents.
 */
public final class PaycoreService implements AutoCloseable
{
    /**
     * First word of the line printed when the service is ready to take clients.
     */
    public static final String READY_PREFIX = "ready:";

    /**
     * First words of the line printed at the end of a clean shutdown.
     */
    public static final String FINAL_DIGEST_PREFIX = "final digest:";

    /**
     * Name of the file, in the data directory, whose appearance asks a running standby to promote itself.
     */
    public static final String PROMOTE_REQUEST_FILE_NAME = "promote";

    private static final long HEALTH_CHECK_INTERVAL_MS = 100;

    private final ServiceContext context;
    private final Recovery recovery;
    private final SnapshotTaker snapshotTaker;
    private final Pipeline pipeline;
    private final PaycoreServer server;
    private final Replicator replicator;
    private final Follower follower;
    private final Thread healthWatcher;
    private volatile Runnable onFollowerStopped;
    private volatile boolean running = true;
    private boolean closed;
    private String finalDigest;

    private PaycoreService(
        final ServiceContext context,
        final Recovery recovery,
        final SnapshotTaker snapshotTaker,
        final Pipeline pipeline,
        final PaycoreServer server,
        final Replicator replicator,
        final Follower follower)
    {
        this.context = context;
        this.recovery = recovery;
        this.snapshotTaker = snapshotTaker;
        this.pipeline = pipeline;
        this.server = server;
        this.replicator = replicator;
        this.follower = follower;
        this.healthWatcher = new Thread(this::watchHealth, "paycore-health");
        this.healthWatcher.setDaemon(true);
    }

    /**
     * Recover, start the pipeline and the transport, and print the recovery report and the ready line.
     *
     * @param context configuration; concluded here.
     * @return the running service.
     * @throws io.paycore.journal.JournalException if the journal is damaged other than by a torn tail.
     * @throws IllegalStateException               if another process holds the data directory, or the profile
     *                                             needs more cores than there are.
     * @throws IllegalArgumentException            if a setting is wrong, naming it.
     */
    public static PaycoreService launch(final ServiceContext context)
    {
        context.conclude();
        final PrintStream out = context.out();
        final Recovery recovery = Recovery.open(
            context.dataDirectory(), context.ledgerLimits(), context.journalContext());
        SnapshotTaker snapshotTaker = null;
        Pipeline pipeline = null;
        PaycoreServer server = null;
        Replicator replicator = null;
        Follower follower = null;
        boolean launched = false;
        try
        {
            out.println(recovery.report().describe());
            snapshotTaker = new SnapshotTaker(
                context.dataDirectory().snapshotDirectory(), context.snapshotsKept(), context.errorHandler());
            final PipelineContext pipelineContext = context.pipelineContext().snapshotHandler(snapshotTaker);

            final ReplicationContext replication = context.replication();
            final Journal journal = recovery.journal();
            final long lastSequence = journal.lastSequence();
            long epoch = 0;
            int lastChecksum = 0;
            if (null != replication || context.standby())
            {
                epoch = Epochs.currentEpoch(journal.directory(), lastSequence);
                lastChecksum = Epochs.checksumOf(journal.directory(), lastSequence);
            }
            if (context.standby())
            {
                if (null != context.onwardReplication())
                {
                    replicator = new Replicator(context.onwardReplication(), journal.directory(),
                        journal::lastSequence, lastSequence, lastChecksum, epoch, journal.maxRecordLength(),
                        context.errorHandler());
                }
                pipelineContext.standby(true).recordShipper(replicator);
            }
            else if (null != replication)
            {
                replicator = new Replicator(replication, journal.directory(), journal::lastSequence, lastSequence,
                    lastChecksum, epoch, journal.maxRecordLength(), context.errorHandler());
                pipelineContext.standby(false).recordShipper(replicator);
            }
            else
            {
                pipelineContext.standby(false).recordShipper(null);
            }

            pipeline = new Pipeline(pipelineContext, journal, new CommandProcessor(recovery.ledger()));
            final String readyLine = readyLine(context, recovery, epoch);
            server = PaycoreServer.launch(context.transportContext(), pipeline);
            if (null != replicator)
            {
                replicator.connect(server.aeronDirectoryName());
            }
            if (context.standby())
            {
                follower = new Follower(replication, pipeline, lastChecksum, epoch,
                    context.dataDirectory().root().resolve(PROMOTE_REQUEST_FILE_NAME), out::println,
                    context.errorHandler(), replicator);
                follower.connect(server.aeronDirectoryName());
            }
            pipeline.start();
            for (final String line : ServicePinning.pin(context.cpuPlan()))
            {
                out.println("pinned: " + line);
            }

            final PaycoreService service = new PaycoreService(
                context, recovery, snapshotTaker, pipeline, server, replicator, follower);
            service.healthWatcher.start();
            out.println(readyLine);
            out.flush();
            launched = true;
            return service;
        }
        finally
        {
            if (!launched)
            {
                CloseHelper.quietCloseAll(follower, server, pipeline, replicator, recovery);
            }
        }
    }

    /**
     * @return what recovery found and did.
     */
    public RecoveryReport recoveryReport()
    {
        return recovery.report();
    }

    /**
     * @return the pipeline, for its sequences and failure state. Any thread.
     */
    public Pipeline pipeline()
    {
        return pipeline;
    }

    /**
     * @return the journal (owned by the service).
     */
    public Journal journal()
    {
        return recovery.journal();
    }

    /**
     * @return the snapshot taker, for its counters. Any thread.
     */
    public SnapshotTaker snapshotTaker()
    {
        return snapshotTaker;
    }

    /**
     * @return the Aeron transport, for its counters, errors and the Aeron directory clients must use.
     */
    public PaycoreServer server()
    {
        return server;
    }

    /**
     * The ledger. Owned by the BLP thread while the service runs: read it only after {@link #close()}.
     *
     * @return the ledger.
     */
    public Ledger ledger()
    {
        return recovery.ledger();
    }

    /**
     * @return the digest printed at the end of {@link #close()}, or null before.
     */
    public String finalDigest()
    {
        return finalDigest;
    }

    /**
     * @return the primary's replication, or null when this node ships to no standby.
     */
    public Replicator replicator()
    {
        return replicator;
    }

    /**
     * @return the standby's follower, or null when this node was not started as a standby.
     */
    public Follower follower()
    {
        return follower;
    }

    /**
     * @param onFollowerStopped run once, on the health watcher thread, if this standby stops following because its
     *                          journal diverged from the primary's.
     */
    public void onFollowerStopped(final Runnable onFollowerStopped)
    {
        this.onFollowerStopped = onFollowerStopped;
    }

    /**
     * The line printed when the service is ready: {@code ready: channel <channel> stream <id> aeron-dir <dir>
     * last-sequence <n> digest <hex> role <primary|standby> [epoch <n>] replication <none|sync|async|following>};
     * the epoch (which takes a scan of the journal) only with replication. Computed from the ledger, so only before
     * the pipeline starts.
     */
    private static String readyLine(final ServiceContext context, final Recovery recovery, final long epoch)
    {
        final TransportContext transport = context.transportContext();
        final ReplicationContext replication = context.replication();
        return READY_PREFIX + " channel " + transport.ingressChannel() + " stream " + transport.ingressStreamId() +
            " aeron-dir " + transport.effectiveAeronDirectoryName() +
            " last-sequence " + recovery.report().lastSequence() + " digest " + recovery.ledger().digestHex() +
            " role " + (context.standby() ? "standby" : "primary") +
            (null == replication ? " replication none" : " epoch " + epoch + " replication " +
            (context.standby() ? "following" : replication.mode().name().toLowerCase(Locale.ROOT)) +
            (null == context.onwardReplication() ? "" : " then " +
            context.onwardReplication().mode().name().toLowerCase(Locale.ROOT)));
    }

    /**
     * Says, once, why the pipeline failed (the journal refused a write: disk full, I/O error), while the transport
     * answers every further request {@code Rejected}: the service keeps what it has and says why.
     */
    private void watchHealth()
    {
        boolean followerStopReported = false;
        while (running)
        {
            if (!followerStopReported && null != follower && Follower.STOPPED == follower.state())
            {
                followerStopReported = true;
                final Runnable callback = onFollowerStopped;
                if (null != callback)
                {
                    callback.run();
                }
            }
            final Throwable failure = pipeline.failure();
            if (null != failure)
            {
                context.errorHandler().onError(new IllegalStateException(
                    "the pipeline failed and every request is now rejected; stop the service, fix the cause and " +
                    "restart: " + failure, failure));
                return;
            }
            try
            {
                Thread.sleep(HEALTH_CHECK_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /**
     * Shut down cleanly: stop the transport (no more input), let the BLP apply everything already in the ring,
     * flush and close the journal, take a final snapshot if configured and the pipeline is healthy, release the
     * data directory, and print the last sequence and final digest. Safe to call more than once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        running = false;
        healthWatcher.interrupt();
        final PrintStream out = context.out();
        try
        {
            CloseHelper.closeAll(follower, server, pipeline, replicator);
            final Throwable failure = pipeline.failure();
            final long lastSequence = recovery.journal().lastSequence();
            final Ledger ledger = recovery.ledger();
            if (null != failure)
            {
                out.println("paycore serve: the pipeline failed: " + failure);
            }
            else if (context.snapshotOnShutdown() && lastSequence > 0)
            {
                final long startNanos = System.nanoTime();
                try
                {
                    recovery.journal().flush();
                    final Path file = snapshotTaker.take(ledger, lastSequence);
                    out.printf(Locale.ROOT, "shutdown snapshot %s in %.3f s%n", file,
                        (System.nanoTime() - startNanos) / 1e9);
                }
                catch (final RuntimeException ex)
                {
                    context.errorHandler().onError(ex);
                }
            }
            finalDigest = ledger.digestHex();
            out.printf(Locale.ROOT, "stopped: last-sequence %d, %d snapshot(s) taken, %d failed, %d transport " +
                "error(s)%n", lastSequence, snapshotTaker.snapshotsTaken(), snapshotTaker.failures(),
                server.errorCount());
            server.readErrors((error) -> out.println("  transport error: " + error));
            if (null != replicator)
            {
                out.printf(Locale.ROOT, "replication: %s, epoch %d, acknowledged to sequence %d, lag %d record(s), " +
                    "%d not shipped live, %d caught up from the journal; %s%n",
                    replicator.context().mode().name().toLowerCase(Locale.ROOT), replicator.epoch(),
                    replicator.acknowledgedSequence(), replicator.lagRecords(), replicator.recordsNotShippedLive(),
                    replicator.catchUpRecords(), replicator.standbyStatus());
            }
            if (null != follower)
            {
                out.printf(Locale.ROOT, "follower: %s, epoch %d, %d record(s) taken%s%n",
                    Follower.PROMOTED == follower.state() ? "promoted" :
                    Follower.STOPPED == follower.state() ? "stopped" : "following",
                    follower.epoch(), follower.recordsTaken(),
                    null != follower.stopReason() ? ": " + follower.stopReason() : "");
            }
            out.println(FINAL_DIGEST_PREFIX + " " + finalDigest);
        }
        finally
        {
            CloseHelper.close(recovery);
            out.flush();
        }
    }
}
