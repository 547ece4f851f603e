package io.paycore.service.serve;

import io.aeron.Counter;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LimitsRecord;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.SnapshotHandler;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.replay.DataDirectoryLock;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.replay.Recovery;
import io.paycore.replay.RecoveryReport;
import io.paycore.replay.SnapshotAgent;
import io.paycore.replay.SnapshotTaker;
import io.paycore.transport.PaycoreServer;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
 *     every {@code snapshotEveryRecords} journal records, and journals the ledger's limits as a
 *     {@link RecordTypes#LIMITS} record before any client's message, unless they are in force already;</li>
 *     <li>collects the heap once ({@link StartupCollection}), so that no young collection under load copies the
 *     ledger's arrays, and prints how long it took;</li>
 *     <li>starts the transport and prints one ready line: channel, stream, last sequence and digest.</li>
 * </ol>
 * {@link #close()} stops ingress (the transport), lets the BLP apply everything already in the ring, flushes and
 * closes the journal, takes a final snapshot if configured, releases the data directory and prints the final
 * digest.
 * <p>
 * The data directory is owned through its mark file ({@link PaycoreMarkFile}, {@code DIR/paycore-mark.dat}): every
 * error the service handles is recorded in the mark file's distinct error log ({@link #errorHandler()}) and counted
 * by the {@code paycore: errors} counter in the media driver's counters file, so both outlive a crash
 * ({@code paycore errors}, {@code paycore stat}).
 * <p>
 * <b>Threading</b>: launch and close from one thread; the service's own threads are the pipeline's stages, the
 * transport's agents and the health agent ({@link HealthAgent}).
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
     * Type id of the {@code paycore: errors} counter: errors the service handled, as recorded in the mark file.
     */
    public static final int ERRORS_COUNTER_TYPE_ID = 4_400;

    private static final long HEALTH_CHECK_INTERVAL_MS = 100;
    private static final int COLD_MAX_RECORDS_PER_WRITE = 16_384;
    private static final int COLD_MIN_RECORDS_PER_WRITE = 1_024;
    private static final int COLD_MAX_WRITE_DELAY_MS = 10;
    private static final SnapshotHandler NO_SNAPSHOT = (ledger, sequence) -> {};
    private static final ThreadFactory DAEMON_THREADS = (runnable) ->
    {
        final Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

    private final ServiceContext context;
    private final Recovery recovery;
    private final SnapshotTaker snapshotTaker;
    private final Pipeline pipeline;
    private final PaycoreServer server;
    private final ErrorHandler errorHandler;
    private final Counter errorCounter;
    private final AsyncLmdbColdTier coldTier;
    private final SnapshotAgent snapshotAgent;
    private final AgentRunner snapshotRunner;
    private final ServiceCounters counters;
    private final HealthAgent healthAgent;
    private final AgentRunner healthRunner;
    private boolean closed;
    private String finalDigest;
    private Consumer<Recovery> recoveryCloser = Recovery::close;

    private PaycoreService(
        final ServiceContext context,
        final Recovery recovery,
        final SnapshotTaker snapshotTaker,
        final Pipeline pipeline,
        final PaycoreServer server,
        final ErrorHandler errorHandler,
        final Counter errorCounter,
        final AsyncLmdbColdTier coldTier,
        final SnapshotAgent snapshotAgent,
        final AgentRunner snapshotRunner,
        final ServiceCounters counters)
    {
        this.counters = counters;
        this.context = context;
        this.coldTier = coldTier;
        this.snapshotAgent = snapshotAgent;
        this.snapshotRunner = snapshotRunner;
        this.recovery = recovery;
        this.snapshotTaker = snapshotTaker;
        this.pipeline = pipeline;
        this.server = server;
        this.errorHandler = errorHandler;
        this.errorCounter = errorCounter;
        this.healthAgent = new HealthAgent(
            pipeline::failure,
            recovery.lock().markFile(),
            errorHandler,
            SystemEpochClock.INSTANCE);
        this.healthAgent.onDutyCycle(counters::update);
        this.healthRunner = new AgentRunner(
            new SleepingMillisIdleStrategy(HEALTH_CHECK_INTERVAL_MS), errorHandler, null, healthAgent);
    }

    /**
     * Recover, start the pipeline and the transport, and print the recovery report and the ready line.
     *
     * @param context configuration; concluded here.
     * @return the running service.
     * @throws io.paycore.journal.JournalException if the journal is damaged other than by a torn tail.
     * @throws IllegalStateException               if another process holds the data directory (its mark file), or
     *                                             the profile needs more cores than there are.
     * @throws IllegalArgumentException            if a setting is wrong, naming it.
     */
    public static PaycoreService launch(final ServiceContext context)
    {
        context.conclude();
        final PrintStream out = context.out();
        final DataDirectoryLock lock = DataDirectoryLock.acquire(
            context.dataDirectory(), context.errorLogLengthBytes());
        final PaycoreMarkFile markFile = lock.markFile();
        if (null != lock.previousErrorsFile())
        {
            out.println("errors recorded by the previous run saved to " + lock.previousErrorsFile());
        }
        final ErrorHandler errorHandler = recordedThen(markFile, context.errorHandler());
        final TransportContext transportContext = context.transportContext();
        transportContext.errorHandler(null == transportContext.errorHandler() ?
            errorHandler : recordedThen(markFile, transportContext.errorHandler()));
        final AsyncLmdbColdTier coldTier;
        final Recovery recovery;
        try
        {
            coldTier = openColdTier(context);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(lock);
            throw ex;
        }
        try
        {
            recovery = Recovery.open(lock, context.ledgerLimits(), context.journalContext(), true, coldTier);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(coldTier);
            throw ex;
        }
        SnapshotTaker snapshotTaker = null;
        Counter errorCounter = null;
        Pipeline pipeline = null;
        PaycoreServer server = null;
        SnapshotAgent snapshotAgent = null;
        AgentRunner snapshotRunner = null;
        ServiceCounters counters = null;
        boolean launched = false;
        try
        {
            out.println(recovery.report().describe());
            snapshotTaker = new SnapshotTaker(
                context.dataDirectory().snapshotDirectory(), context.snapshotsKept(), errorHandler);
            final long snapshotEvery = context.pipelineContext().snapshotEveryRecords();
            final boolean snapshotter = snapshotEvery > 0 && context.snapshotsOffBlp();
            final PipelineContext pipelineContext = context.pipelineContext()
                .snapshotHandler(snapshotter ? NO_SNAPSHOT : snapshotTaker);

            final Journal journal = recovery.journal();
            pipeline = new Pipeline(pipelineContext, journal, new CommandProcessor(recovery.ledger()));
            final String limitsLine = journalLimits(pipeline, recovery.ledger());
            if (null != limitsLine)
            {
                out.println(limitsLine);
            }
            final long lastSequence = journal.lastSequence();
            if (snapshotter)
            {
                snapshotTaker.pace(context.snapshotWriteRate());
                final Pipeline blp = pipeline;
                snapshotAgent = new SnapshotAgent(
                    SnapshotAgent.copyOf(recovery.ledger(), null == coldTier ? null : coldTier.follower()),
                    journal.directory(), lastSequence, blp::processedSequence, snapshotEvery, snapshotTaker,
                    errorHandler);
                snapshotRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000), errorHandler,
                    null, snapshotAgent);
            }
            final String readyLine = readyLine(context, recovery);
            server = PaycoreServer.launch(transportContext, pipeline);
            errorCounter = server.aeron().addCounter(ERRORS_COUNTER_TYPE_ID, "paycore: errors");
            counters = new ServiceCounters(server.aeron(), recovery.ledger(), coldTier, snapshotTaker, snapshotAgent);
            markFile.errorCounter(errorCounter);
            // Everything kept for life is allocated by now: move it out of the young generation before traffic.
            out.println(StartupCollection.collect());
            pipeline.start(server::measured);
            if (null != snapshotRunner)
            {
                AgentRunner.startOnThread(snapshotRunner);
            }

            final PaycoreService service = new PaycoreService(
                context, recovery, snapshotTaker, pipeline, server, errorHandler, errorCounter, coldTier, snapshotAgent,
                snapshotRunner, counters);
            AgentRunner.startOnThread(service.healthRunner, DAEMON_THREADS);
            out.println(readyLine);
            out.flush();
            launched = true;
            return service;
        }
        catch (final RuntimeException | Error ex)
        {
            markFile.errorHandler().onError(ex);
            throw ex;
        }
        finally
        {
            if (!launched)
            {
                markFile.errorCounter(null);
                CloseHelper.quietCloseAll(
                    errorCounter, counters, server, snapshotRunner, pipeline, recovery, coldTier);
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
     * The handler every error the service handles goes to: recorded in the mark file's distinct error log, counted
     * by the {@code paycore: errors} counter, then passed to the context's error handler. Any thread.
     *
     * @return the handler; pass it to the parts the service wires (pipeline, transport, snapshots).
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @return the data directory's mark file, owned by this service until {@link #close()}.
     */
    public PaycoreMarkFile markFile()
    {
        return recovery.lock().markFile();
    }

    /**
     * The cold tier in {@code DIR/cold}, if the context has one: written by an agent the pipeline runs, in
     * transactions of up to {@value #COLD_MAX_RECORDS_PER_WRITE} records, at least {@value #COLD_MIN_RECORDS_PER_WRITE}
     * unless they have waited {@value #COLD_MAX_WRITE_DELAY_MS} ms; each write forced unless the journal's flush
     * level is {@code none}.
     *
     * @param context of the service.
     * @return the tier, or null when the context has none.
     */
    public static AsyncLmdbColdTier openColdTier(final ServiceContext context)
    {
        if (0 == context.coldTierSizeBytes())
        {
            return null;
        }
        return new AsyncLmdbColdTier(
            context.dataDirectory().coldDirectory(),
            context.coldTierSizeBytes(),
            COLD_MAX_RECORDS_PER_WRITE,
            context.coldPrefetchEntries(),
            COLD_MIN_RECORDS_PER_WRITE,
            TimeUnit.MILLISECONDS.toNanos(COLD_MAX_WRITE_DELAY_MS),
            FlushLevel.NONE != context.journalContext().flushLevel());
    }

    /**
     * @return the snapshotter that takes the periodic snapshots off the BLP, or null when the BLP takes them or
     * there are none.
     */
    public SnapshotAgent snapshotAgent()
    {
        return snapshotAgent;
    }

    /**
     * @return the cold tier, or null when the ledger keeps every transfer in memory.
     */
    public AsyncLmdbColdTier coldTier()
    {
        return coldTier;
    }

    private static ErrorHandler recordedThen(final PaycoreMarkFile markFile, final ErrorHandler next)
    {
        final ErrorHandler recorder = markFile.errorHandler();
        return (throwable) ->
        {
            recorder.onError(throwable);
            next.onError(throwable);
        };
    }

    /**
     * The line printed when the service is ready: {@code ready: channel <channel> stream <id> aeron-dir <dir>
     * last-sequence <n> digest <hex>}. Computed from the ledger, so only before the pipeline starts.
     */
    /**
     * Journal the ledger's own limits as those in force, before any client's message, unless they are in force
     * already: a replay of the journal then answers what this service answers, whatever limits it is built with.
     *
     * @return the line that says so, or null if nothing was journaled.
     */
    static String journalLimits(final Pipeline pipeline, final Ledger ledger)
    {
        if (ledger.ownLimitsKnownInForce())
        {
            return null;
        }
        final String before = ledger.limitsKnown() ? "before it: " + LimitsRecord.describeInForce(ledger) :
            "no limits journaled before it";
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[LimitsRecord.LENGTH]);
        final int length = LimitsRecord.encode(ledger.limits(), null != ledger.coldTier(), payload, 0);
        final long sequence = pipeline.journalBeforeStart(RecordTypes.LIMITS, payload, 0, length);
        return "limits      " + LimitsRecord.describe(payload, 0) + " in force from sequence " + sequence +
            " (" + before + ")";
    }

    private static String readyLine(final ServiceContext context, final Recovery recovery)
    {
        final TransportContext transport = context.transportContext();
        return READY_PREFIX + " channel " + transport.ingressChannel() + " stream " + transport.ingressStreamId() +
            " aeron-dir " + transport.effectiveAeronDirectoryName() +
            " last-sequence " + recovery.journal().lastSequence() + " digest " + recovery.ledger().digestHex();
    }

    /**
     * Shut down cleanly: stop the transport (no more input), let the BLP apply everything already in the ring,
     * flush and close the journal, take a final snapshot if configured and the pipeline is healthy, release the
     * data directory, and print the last sequence and final digest. Safe to call more than once, and from more than
     * one thread (a shutdown hook and the thread that started it): the second call waits for the first.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final PrintStream out = context.out();
        try
        {
            CloseHelper.close(healthRunner);
            recovery.lock().markFile().errorCounter(null);
            // A paced snapshot in progress finishes at full speed rather than hold the shutdown up.
            snapshotTaker.hurry();
            CloseHelper.closeAll(errorCounter, counters, server, snapshotRunner, pipeline);
            final Throwable failure = pipeline.failure();
            final long lastSequence = recovery.journal().lastSequence();
            final Ledger ledger = recovery.ledger();
            if (null != failure)
            {
                out.println("paycore serve: the pipeline failed: " + failure);
            }
            else if (context.snapshotOnShutdown() && lastSequence > 0 && pipeline.processedSequence() != lastSequence)
            {
                // The business logic did not drain (the pipeline waits a bounded time): a snapshot named for the
                // journal's last record would hold an older state, and the next start would skip what it lacks.
                out.println("paycore serve: no shutdown snapshot: the ledger applied up to journal record " +
                    pipeline.processedSequence() + " of " + lastSequence + "; the next start replays the rest");
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
                    errorHandler.onError(ex);
                }
            }
            finalDigest = ledger.digestHex();
            out.printf(Locale.ROOT, "stopped: last-sequence %d, %d snapshot(s) taken, %d failed, %d skipped (the " +
                "snapshotter behind), %d transport error(s)%n", lastSequence, snapshotTaker.snapshotsTaken(),
                snapshotTaker.failures(), null == snapshotAgent ? 0 : snapshotAgent.snapshotsSkipped(),
                server.errorCount());
            server.readErrors((error) -> out.println("  transport error: " + error));
            out.println(FINAL_DIGEST_PREFIX + " " + finalDigest);
        }
        finally
        {
            // The tier before the recovery, whose close releases the data directory's lock: no other process may
            // open the directory while this one still holds its tier open.
            CloseHelper.closeAll(coldTier, () -> recoveryCloser.accept(recovery));
            out.flush();
        }
    }

    /**
     * How {@link #close()} closes the journal and releases the data directory: {@link Recovery#close()}, whose
     * journal close forces what is not yet durable and throws if it cannot. For tests, to make that close fail.
     *
     * @param closer closes the recovery it is given, or throws.
     * @return this.
     */
    synchronized PaycoreService recoveryCloser(final Consumer<Recovery> closer)
    {
        this.recoveryCloser = closer;
        return this;
    }
}
