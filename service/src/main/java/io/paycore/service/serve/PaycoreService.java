package io.paycore.service.serve;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.journal.Journal;
import io.paycore.replay.Recovery;
import io.paycore.replay.RecoveryReport;
import io.paycore.replay.SnapshotTaker;
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

    private static final long HEALTH_CHECK_INTERVAL_MS = 100;

    private final ServiceContext context;
    private final Recovery recovery;
    private final SnapshotTaker snapshotTaker;
    private final Pipeline pipeline;
    private final PaycoreServer server;
    private final Thread healthWatcher;
    private volatile boolean running = true;
    private boolean closed;
    private String finalDigest;

    private PaycoreService(
        final ServiceContext context,
        final Recovery recovery,
        final SnapshotTaker snapshotTaker,
        final Pipeline pipeline,
        final PaycoreServer server)
    {
        this.context = context;
        this.recovery = recovery;
        this.snapshotTaker = snapshotTaker;
        this.pipeline = pipeline;
        this.server = server;
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
        boolean launched = false;
        try
        {
            out.println(recovery.report().describe());
            snapshotTaker = new SnapshotTaker(
                context.dataDirectory().snapshotDirectory(), context.snapshotsKept(), context.errorHandler());
            final PipelineContext pipelineContext = context.pipelineContext().snapshotHandler(snapshotTaker);
            pipeline = new Pipeline(pipelineContext, recovery.journal(), new CommandProcessor(recovery.ledger()));
            final String readyLine = readyLine(context.transportContext(), recovery);
            pipeline.start();
            server = PaycoreServer.launch(context.transportContext(), pipeline);

            final PaycoreService service = new PaycoreService(context, recovery, snapshotTaker, pipeline, server);
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
                CloseHelper.quietCloseAll(server, pipeline, recovery);
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
     * The line printed when the service is ready: {@code ready: channel <channel> stream <id> aeron-dir <dir>
     * last-sequence <n> digest <hex>}. Computed from the ledger, so only before the pipeline starts.
     */
    private static String readyLine(final TransportContext transport, final Recovery recovery)
    {
        return READY_PREFIX + " channel " + transport.ingressChannel() + " stream " + transport.ingressStreamId() +
            " aeron-dir " + transport.effectiveAeronDirectoryName() +
            " last-sequence " + recovery.report().lastSequence() + " digest " + recovery.ledger().digestHex();
    }

    /**
     * Says, once, why the pipeline failed (the journal refused a write: disk full, I/O error), while the transport
     * answers every further request {@code Rejected}: the service keeps what it has and says why.
     */
    private void watchHealth()
    {
        while (running)
        {
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
            CloseHelper.closeAll(server, pipeline);
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
            out.println(FINAL_DIGEST_PREFIX + " " + finalDigest);
        }
        finally
        {
            CloseHelper.close(recovery);
            out.flush();
        }
    }
}
