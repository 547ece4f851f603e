package io.paycore.service.serve;

import io.aeron.CommonContext;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import io.aeron.exceptions.DriverTimeoutException;
import io.paycore.core.cold.ColdTierException;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import io.paycore.journal.PropertyValues;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.cli.ByteSizeConverter;
import io.paycore.service.cli.DurationNanosConverter;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.LongByteSizeConverter;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.service.demo.WorkloadRun;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.DriverCheck;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code paycore serve --data DIR [options]}: recover the data directory, then serve clients over Aeron until
 * SIGTERM or SIGINT, then shut down cleanly. See {@link PaycoreService} for what happens at start and stop.
 * <p>
 * Every option has a documented default and may also be given in a properties file ({@code --config FILE}), keyed
 * by the option's long name without dashes ({@code flush=every}, {@code snapshot-every=100000}); the command line
 * wins over the file, and a key that names no option is an error.
 * <p>
 * Exit status: after SIGTERM or SIGINT the JVM's own, 143 or 130, once the clean shutdown has finished (the
 * {@code final digest:} line is printed last); 0 for {@code --print-config}; 2 for a usage or configuration error;
 * 3 if the journal is damaged (other than a torn tail) and the service refused to start; 4 if the data directory is
 * in use or another start-up check failed.
 */
@Command(
    name = "serve",
    header = "Recover a data directory, then serve clients over Aeron until SIGTERM or SIGINT.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Recover the data directory (newest valid snapshot, then the journal after it), then serve clients over",
        "Aeron until SIGTERM or SIGINT; then stop ingress, drain the ring, flush the journal, snapshot and exit.",
        "",
        "Data directory layout: DIR/journal (journal segments), DIR/snapshots (ledger snapshots),",
        "DIR/aeron (embedded media driver; kept at exit for AeronStat and 'paycore stat', cleaned at start),",
        "DIR/paycore-mark.dat (mark file: locked while running; pid, start time, version and the error log",
        "read by 'paycore errors'; a start first saves the previous run's errors to DIR/paycore-errors-*.txt),",
        "DIR/clients (default credentials file, owner-only; add clients with 'paycore clients add'),",
        "DIR/cold (the cold tier: transfers older than the hot window, by id, in LMDB).",
        "",
        "Options can also come from a properties file (--config FILE), keyed by long option name without dashes,",
        "e.g. 'flush=every'. The command line wins over the file.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "143:clean shutdown after SIGTERM (130 after SIGINT): the JVM's status for the signal",
        "0:--print-config, --help",
        "1:the pipeline failed as it ran ('paycore serve: the pipeline failed: ...'), or the service failed to " +
            "close, such as its journal's last force ('paycore serve: stopped: ...' on stderr); after a signal " +
            "the status stays 143 or 130 and the line says why",
        "2:usage or configuration error (a credentials file others may write included)",
        "3:the journal is damaged (not a torn tail): refused to start",
        "4:the data directory is in use or cannot be made, its disk is full or failing, or another start-up " +
            "check failed",
        "5:stopped at once, as after a crash, because its Aeron client failed: the media driver it ran on " +
            "(--aeron-dir) went away, or the client's thread was held up past Aeron's liveness timeout; restart " +
            "it, and recovery repairs the journal's tail"
    })
public final class ServeCommand implements Callable<Integer>
{
    /** Exit status of {@code --print-config}, and of {@link #call()} after a clean shutdown not caused by a signal. */
    public static final int EXIT_OK = 0;
    /** Exit status of {@link #call()} when the pipeline failed while running (not caused by a signal). */
    public static final int EXIT_FAILED = 1;
    /** Exit status of the JVM after a clean shutdown on SIGTERM. */
    public static final int EXIT_SIGTERM = 143;
    /** Exit status of a usage or configuration error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status when the journal is damaged and the service refused to start. */
    public static final int EXIT_DAMAGED_JOURNAL = 3;
    /** Exit status when the data directory is in use or another start-up check failed. */
    public static final int EXIT_START_FAILED = 4;
    /** Exit status when the service's Aeron client failed for good (its media driver gone): halted at once. */
    public static final int EXIT_TRANSPORT_LOST = 5;

    /** Default ingress channel: UDP on localhost. */
    public static final String CHANNEL_DEFAULT = TransportContext.INGRESS_CHANNEL_DEFAULT;
    /** Default ingress stream id. */
    public static final String STREAM_DEFAULT = "" + TransportContext.INGRESS_STREAM_ID_DEFAULT;
    /** Default snapshot interval in journal records. */
    public static final String SNAPSHOT_EVERY_DEFAULT = "100000";
    /** The warm-up's hot window at most, with a cold tier: large enough to wrap the ring and evict many times. */
    public static final int WARMUP_HOT_TRANSFERS = 100_000;
    /** The warm-up's pending transfers at most: the demo's mix keeps at most 4,096 open. */
    public static final int WARMUP_PENDING_TRANSFERS = 65_536;
    /** Name of the default credentials file under the data directory. */
    public static final String CLIENTS_FILE_NAME = "clients";

    /**
     * Keys of the options of serve's own replication, retired for Aeron Cluster: a file printed by an earlier
     * {@code --print-config} holds them, so a file that sets them is read without them, unless it asks to ship
     * records to a standby ({@code replicate-to}).
     */
    private static final List<String> RETIRED_REPLICATION_KEYS =
        List.of("replicate-to", "replication", "replication-control", "replication-stream");

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Properties file of options, keyed by long option name without dashes (default: none).")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory: journal, snapshots, embedded Aeron directory, lock. Required (no default); " +
            "created if missing.")
    private Path data;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "batch", converter = FlushLevelConverter.class,
        description = "Journal flush level: none (survives a process crash), batch (group commit: forced per ring " +
            "batch before any answer leaves) or every (forced per record) (default: ${DEFAULT-VALUE}).")
    private FlushLevel flush;

    @Option(names = "--segment-length", paramLabel = "BYTES",
        defaultValue = "${sys:" + JournalContext.SEGMENT_LENGTH_PROP_NAME + ":-64m}", converter = ByteSizeConverter.class,
        description = "Length of new journal segment files, 64k..1g, a multiple of 4k, with room for the largest " +
            "message --max-batch allows (132k at 1024 events) (default: ${DEFAULT-VALUE}).")
    private int segmentLengthBytes;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "shared",
        description = "Threading profile: shared (no thread spins forever; fine on 2 cores) or dedicated " +
            "(busy-spin, needs at least 6 cores) (default: ${DEFAULT-VALUE}).")
    private String profile;

    @Option(names = "--cpus", paramLabel = "ROLE=CPU,...",
        description = "Pin hot threads to cores (OpenHFT affinity): role=cpu[+cpu],... with roles ingress, egress, " +
            "journaler, blp, driver, each named once, on cpus this process may run on (taskset); a role with " +
            "several threads spreads them over the cpus joined by '+'. Each pinned thread is printed with the core " +
            "it got; a plan that shares a busy-spinning thread's core is warned about (default: none in shared; in " +
            "dedicated one core per hot thread after the first allowed cpu, refusing to start without enough).")
    private String cpus;

    @Option(names = { "--idle-strategy", "--wait-strategy" }, paramLabel = "NAME", defaultValue = "profile",
        description = "What a stage thread does when it finds no work: backoff, yielding or busy-spin; 'profile' " +
            "picks backoff for shared and busy-spin for dedicated. --wait-strategy is its former name, and its " +
            "former values blocking and sleeping now mean backoff (default: ${DEFAULT-VALUE}).")
    private String idleStrategy;

    @Option(names = "--layout", paramLabel = "LAYOUT",
        defaultValue = "${sys:" + PipelineContext.LAYOUT_PROP_NAME + ":-profile}",
        description = "Pipeline stage layout: split (journaler and BLP threads), combined (one stage thread), " +
            "inline (the stages run on the transport's shared thread: shared profile only); 'profile' picks " +
            "inline for shared and split for dedicated (default: ${DEFAULT-VALUE}).")
    private String layout;

    @Option(names = "--input-ring-size", paramLabel = "SLOTS",
        defaultValue = "" + PipelineContext.INPUT_RING_SIZE_DEFAULT,
        description = "Slots in the input ring, a power of two up to 65536 (default: ${DEFAULT-VALUE}).")
    private int inputRingSize;

    @Option(names = "--output-ring-size", paramLabel = "SLOTS",
        defaultValue = "" + PipelineContext.OUTPUT_RING_SIZE_DEFAULT,
        description = "Slots in the output ring, a power of two up to 65536 (default: ${DEFAULT-VALUE}).")
    private int outputRingSize;

    @Option(names = "--max-stage-batch", paramLabel = "RECORDS",
        defaultValue = "" + PipelineContext.MAX_STAGE_BATCH_DEFAULT,
        description = "Most records a ring stage takes at once, and so in one group commit, 1..65536 " +
            "(default: ${DEFAULT-VALUE}).")
    private int maxStageBatch;

    @Mixin
    private LedgerLimitOptions ledgerLimits;

    @Option(names = "--cold-tier-size", paramLabel = "BYTES",
        defaultValue = "${sys:" + ServiceContext.COLD_TIER_SIZE_PROP_NAME + ":-256g}",
        converter = LongByteSizeConverter.class,
        description = "The most the cold tier (DIR/cold: every transfer older than the hot window, in LMDB) may " +
            "take on disk; a sparse file, so only what is written uses disk. When it is full (or the disk is), its " +
            "writer stops and the service answers new requests Rejected(UNAVAILABLE); nothing answered is lost. 0 " +
            "for no cold tier: every transfer stays in memory, up to --hot-transfers (default: ${DEFAULT-VALUE}).")
    private long coldTierSizeBytes;

    @Option(names = "--snapshot-every", paramLabel = "RECORDS", defaultValue = SNAPSHOT_EVERY_DEFAULT,
        description = "Snapshot the ledger every this many journal records; 0 for never " +
            "(default: ${DEFAULT-VALUE}).")
    private long snapshotEvery;

    // No defaultValue: the initial value, from the property the README names (paycore.snapshots.off.blp), is it.
    @Option(names = "--snapshot-thread", paramLabel = "THREAD",
        description = "Which thread takes the periodic snapshots: snapshotter (a thread of its own applies the " +
            "journal to a copy of the ledger behind the BLP and writes that: the BLP never stalls for a snapshot, " +
            "and the hot state is held twice) or blp (the BLP writes its own ledger: half the memory, and a stall " +
            "per snapshot that grows with the hot window); -D" + ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME +
            "=false makes blp the default (default: ${DEFAULT-VALUE}).")
    private String snapshotThread =
        PropertyValues.booleanValue(ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME, true) ?
        "snapshotter" : "blp";

    @Option(names = "--snapshots-kept", paramLabel = "K", defaultValue = "" + SnapshotTaker.SNAPSHOTS_KEPT_DEFAULT,
        description = "Newest snapshots kept, 1..1000; older ones are deleted (default: ${DEFAULT-VALUE}).")
    private int snapshotsKept;

    @Option(names = "--snapshot-rate", paramLabel = "BYTES", converter = LongByteSizeConverter.class,
        defaultValue = "${sys:" + SnapshotTaker.WRITE_RATE_PROP_NAME + ":-32m}",
        description = "Bytes a second, on average, at which the snapshotter thread writes each periodic snapshot " +
            "(k, m, g suffixes), so that the journal's forces are not queued behind it; 0 for as fast as the disk " +
            "takes it. A snapshot point the BLP has passed by a whole --snapshot-every while the last snapshot was " +
            "being written is skipped. Not used with --snapshot-thread blp, nor for the shutdown snapshot " +
            "(default: ${DEFAULT-VALUE}).")
    private long snapshotRate;

    @Option(names = "--snapshot-on-shutdown", paramLabel = "BOOL",
        defaultValue = "" + ServiceContext.SNAPSHOT_ON_SHUTDOWN_DEFAULT, arity = "1",
        description = "Take a snapshot at a clean shutdown, so the next start replays nothing " +
            "(default: ${DEFAULT-VALUE}).")
    private boolean snapshotOnShutdown;

    @Option(names = "--channel", paramLabel = "CHANNEL", defaultValue = CHANNEL_DEFAULT,
        description = "Aeron channel clients send to, aeron:udp?endpoint=HOST:PORT or aeron:ipc " +
            "(default: ${DEFAULT-VALUE}).")
    private String channel;

    @Option(names = "--stream", paramLabel = "ID", defaultValue = STREAM_DEFAULT,
        description = "Aeron stream id clients send to (default: ${DEFAULT-VALUE}).")
    private int stream;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Directory of an external media driver to use (default: none: an embedded driver in " +
            "DIR/aeron, cleaned on start).")
    private Path aeronDir;

    @Option(names = "--clients", paramLabel = "FILE",
        description = "Credentials file: one 'clientId:salt:iterations:hash' line per client, made with " +
            "'paycore clients add'; refused if users other than its owner may write it (default: DIR/clients).")
    private Path clients;

    @Option(names = "--max-clients", paramLabel = "N",
        defaultValue = "${sys:" + TransportContext.MAX_CLIENTS_PROP_NAME + ":-" + TransportContext.MAX_CLIENTS_DEFAULT +
            "}",
        description = "Most clients connected at once, 1..4096 (default: ${DEFAULT-VALUE}).")
    private int maxClients;

    @Option(names = "--egress-timeout", paramLabel = "DURATION", defaultValue = "2s",
        converter = DurationNanosConverter.class,
        description = "A client whose answers stay back-pressured this long without progress is disconnected; " +
            "its results stay in the journal; at least 1ms (default: ${DEFAULT-VALUE}).")
    private long egressTimeoutNanos;

    @Option(names = "--egress-backlog", paramLabel = "BYTES", defaultValue = "2m", converter = ByteSizeConverter.class,
        description = "Most bytes of answers held back for one back-pressured client before it is " +
            "disconnected, framing counted; up to 256m (default: ${DEFAULT-VALUE}).")
    private int egressBacklogBytes;

    @Option(names = "--tick-interval", paramLabel = "DURATION",
        defaultValue = "${sys:" + TransportContext.TICK_INTERVAL_PROP_NAME + ":-100ms}",
        converter = DurationNanosConverter.class,
        description = "When no input arrives for this long, a tick is journaled so pending transfers expire; " +
            "1ms to 3600s (default: ${DEFAULT-VALUE}).")
    private long tickIntervalNanos;

    @Option(names = "--error-log-length", paramLabel = "BYTES",
        defaultValue = "${sys:" + PaycoreMarkFile.ERROR_LOG_LENGTH_PROP_NAME + ":-1m}",
        converter = ByteSizeConverter.class,
        description = "Length of the distinct error log in the mark file DIR/paycore-mark.dat, 4k..64m; read it " +
            "with 'paycore errors --data DIR' (default: ${DEFAULT-VALUE}).")
    private int errorLogLengthBytes;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
        description = "Before opening the data directory, send N transfers of a generated payments mix (single, " +
            "two-phase, some invalid) through a scratch service with this one's settings, in a temporary " +
            "directory that is then deleted, and wait until the JIT is quiet, so that the first clients meet " +
            "compiled code; 0 = none. On 2 cores 1000000 takes a few seconds (default: ${DEFAULT-VALUE}).")
    private long warmupTransfers;

    @Option(names = "--print-config",
        description = "Print the effective options as a properties file (usable with --config) and exit " +
            "(default: ${DEFAULT-VALUE}).")
    private boolean printConfig;

    private boolean configApplied;

    private Runnable startedHook = () -> {};
    private Consumer<PaycoreService> launchedHook = (service) -> {};

    /**
     * Serve until a shutdown signal.
     *
     * @return the exit status.
     * @throws IOException if the configuration file cannot be read.
     */
    public Integer call() throws IOException
    {
        final CommandLine commandLine = spec.commandLine();
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        if (null != config && !configApplied)
        {
            return reparseWithConfig(commandLine, err);
        }
        if (printConfig)
        {
            out.print(effectiveConfig());
            return EXIT_OK;
        }
        if (null == data)
        {
            throw new CommandLine.ParameterException(commandLine, "Missing required option: '--data=DIR'");
        }
        if (data.toString().isEmpty())
        {
            // Else the working directory, whatever it is, would be made a data directory.
            throw new CommandLine.ParameterException(commandLine, "--data DIR is empty: give the data directory");
        }

        final ServiceContext context;
        try
        {
            context = serviceContext(out, err);
        }
        catch (final IllegalArgumentException | JournalException | UncheckedIOException ex)
        {
            err.println("paycore serve: " + ex.getMessage());
            return EXIT_USAGE;
        }

        if (null != aeronDir && !DriverCheck.await(aeronDir.toString(),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CommonContext.DRIVER_TIMEOUT_MS)))
        {
            // Else the data directory is recovered and its limits journaled, and then Aeron's client, after the
            // same wait, fails in its own words.
            err.println("paycore serve: cannot start: no media driver runs in " + aeronDir + " (--aeron-dir): " +
                "start that driver first, or leave --aeron-dir out to run one embedded in DIR/aeron");
            return EXIT_START_FAILED;
        }

        final PaycoreService service;
        // Made before the service starts, so that a signal that comes once it has started finds it and the service is
        // closed in order; one that comes while it starts ends the JVM at once, as before (see startNotice).
        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
        final AtomicBoolean starting = new AtomicBoolean(true);
        Thread startNotice = null;
        boolean started = false;
        try
        {
            startNotice = startNotice(err, starting, barrier);
            if (warmupTransfers < 0)
            {
                err.println("paycore serve: --warmup must not be negative: " + warmupTransfers);
                return EXIT_USAGE;
            }
            if (warmupTransfers > 0)
            {
                try
                {
                    out.println("paycore serve: " + WorkloadRun.warmUp(warmupTransfers,
                        Math.min(WorkloadRun.WARMUP_ACCOUNTS, context.ledgerLimits().maxAccounts()),
                        Math.min(WorkloadRun.WARMUP_BATCH, context.ledgerLimits().maxBatchEvents()),
                        WorkloadRun.WARMUP_WINDOW, DemoWorkload.SEED_DEFAULT, this::scratchContext, "aeron:ipc"));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    err.println("paycore serve: interrupted during the warm-up");
                    return EXIT_START_FAILED;
                }
                catch (final IOException | RuntimeException ex)
                {
                    err.println("paycore serve: the warm-up failed, so the service did not start: " + ex);
                    return EXIT_START_FAILED;
                }
            }

            try
            {
                service = PaycoreService.launch(context);
                started = true;
            }
            catch (final JournalException ex)
            {
                if (ex.getCause() instanceof FileSystemException)
                {
                    // The journal's directory could not be made, locked or listed (not a directory, not writable):
                    // nothing in it was read, so nothing is known to be damaged.
                    err.println("paycore serve: cannot start: " + ex.getMessage());
                    return EXIT_START_FAILED;
                }
                if (isIoFailure(ex))
                {
                    // Not damage: the disk is full or failing, and the cure is room or a disk, not the journal.
                    err.println("paycore serve: cannot start: the data directory's files could not be written or " +
                        "read (an I/O error, such as a full disk; nothing was found damaged): " + ex.getMessage());
                    return EXIT_START_FAILED;
                }
                err.println("paycore serve: refusing to start: the journal is damaged (not a torn tail), and " +
                    "starting would lose or invent history; the journal was left as it is. " + ex.getMessage());
                return EXIT_DAMAGED_JOURNAL;
            }
            catch (final IllegalStateException | IllegalArgumentException | ColdTierException ex)
            {
                // paycore's own reasons, which say what failed and where.
                err.println("paycore serve: cannot start: " + ex.getMessage());
                return EXIT_START_FAILED;
            }
            catch (final RuntimeException ex)
            {
                err.println("paycore serve: cannot start: " + ex);
                return EXIT_START_FAILED;
            }
        }
        finally
        {
            // From here a signal stops the service through the barrier, unless the notice has run (the JVM ends).
            starting.compareAndSet(true, false);
            if (null != startNotice)
            {
                withdraw(startNotice);
            }
            if (!started)
            {
                barrier.close();
            }
        }
        launchedHook.accept(service);
        startedHook.run();

        boolean closedCleanly = false;
        try (barrier)
        {
            try
            {
                barrier.await();
                out.println("paycore serve: shutting down");
            }
            finally
            {
                closedCleanly = close(service, err);
            }
        }

        return closedCleanly && null == service.pipeline().failure() ? EXIT_OK : EXIT_FAILED;
    }

    /**
     * Close the service, and say why if that fails: the journal's close forces what is not yet durable, so a failure
     * there leaves records not known durable. Said here, before the signal's barrier is released: after a signal the
     * JVM ends once it is, and an exception left to escape would be reported (if at all) after that.
     *
     * @return true if it closed without a failure.
     */
    private static boolean close(final PaycoreService service, final PrintStream err)
    {
        try
        {
            service.close();
            return true;
        }
        catch (final RuntimeException ex)
        {
            err.println("paycore serve: stopped: " + (null == ex.getMessage() ? ex.toString() : ex.getMessage()) +
                (ex instanceof JournalException ? " (as it closed: records journaled since the journal's last " +
                "force may not be durable; the next start recovers what the disk holds)" : " (as it closed)"));
            err.flush();
            return false;
        }
    }

    /**
     * Run once the service has started, on the command's thread, before it waits for a signal. For tests in this
     * package.
     *
     * @param hook what to run.
     * @return this.
     */
    ServeCommand startedHook(final Runnable hook)
    {
        this.startedHook = hook;
        return this;
    }

    /**
     * Given the service once it has started, on the command's thread, before {@link #startedHook}. For tests in this
     * package.
     *
     * @param hook given the running service.
     * @return this.
     */
    ServeCommand launchedHook(final Consumer<PaycoreService> hook)
    {
        this.launchedHook = hook;
        return this;
    }

    /**
     * A shutdown hook for the start-up (the warm-up, recovery): a SIGTERM or SIGINT then ends the JVM before there is
     * a service to close, and without it the operator would see the process gone with nothing said. Stopping there
     * is no worse than a crash, which the next start recovers from; no client has been told anything yet. The notice
     * closes the barrier, whose own hook would otherwise hold the JVM until the start-up had finished.
     *
     * @param starting true until the service has started; the notice sets it false, and does nothing once it is.
     */
    private static Thread startNotice(
        final PrintStream err, final AtomicBoolean starting, final ShutdownSignalBarrier barrier)
    {
        final Thread notice = new Thread(() ->
        {
            if (starting.compareAndSet(true, false))
            {
                err.println("paycore serve: stopped by a signal while starting (warm-up or recovery), before " +
                    "serving any client; start it again when ready");
                barrier.close();
            }
        }, "paycore-serve-start");
        Runtime.getRuntime().addShutdownHook(notice);
        return notice;
    }

    private static void withdraw(final Thread startNotice)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(startNotice);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down already: the notice is running or has run.
        }
    }

    /**
     * @return true if a journal failure came from the file system (an {@link IOException} underneath: a full disk,
     * EIO), not from damage found in the journal, which carries no such cause.
     */
    static boolean isIoFailure(final JournalException ex)
    {
        for (Throwable cause = ex.getCause(); null != cause; cause = cause.getCause())
        {
            if (cause instanceof IOException || cause instanceof UncheckedIOException)
            {
                return true;
            }
        }
        return false;
    }

    ServiceContext serviceContext(final PrintStream out, final PrintStream err)
    {
        final DataDirectory dataDirectory = new DataDirectory(data);
        final PipelineContext pipelineContext = pipelineContext();

        return new ServiceContext()
            .dataDirectory(dataDirectory)
            .ledgerLimits(ledgerLimits.limits().validate())
            .journalContext(new JournalContext()
                .flushLevel(flush)
                .segmentLength(segmentLengthBytes))
            .pipelineContext(pipelineContext)
            .coldTierSizeBytes(coldTierSizeBytes)
            .snapshotsOffBlp(snapshotsOffBlp(snapshotThread))
            .snapshotsKept(snapshotsKept)
            .snapshotWriteRate(snapshotRate)
            .snapshotOnShutdown(snapshotOnShutdown)
            .errorLogLengthBytes(errorLogLengthBytes)
            .transportContext(transportContext(dataDirectory))
            .cpus(cpus)
            .out(out)
            .errorHandler((ex) -> onError(ex, err))
            .conclude();
    }

    /**
     * Print an error the service met. When it is its Aeron client's end (the media driver it ran on gone, or the
     * client's own thread held up past Aeron's liveness timeout), halt at once: the client is about to unmap the
     * driver's files, and every thread that still writes a counter or a buffer in them would then crash the JVM
     * (seen: SIGSEGV in the egress agent). Halting is a crash the journal is made for, with a reason and a status
     * of its own; the error is in the mark file's log by then ({@code paycore errors}).
     */
    private static void onError(final Throwable ex, final PrintStream err)
    {
        err.println("paycore serve: " + ex);
        if (ex instanceof DriverTimeoutException || ex instanceof ConductorServiceTimeoutException)
        {
            err.println("paycore serve: stopping at once (exit status " + EXIT_TRANSPORT_LOST + "): its Aeron " +
                "client failed, and with it every answer to clients; restart it, recovery repairs the journal's tail");
            err.flush();
            Runtime.getRuntime().halt(EXIT_TRANSPORT_LOST);
        }
    }

    /**
     * The warm-up's scratch service: this one's pipeline, journal, snapshot and cold-tier settings and limits, but
     * at most {@value WorkloadRun#WARMUP_ACCOUNTS} accounts, {@value #WARMUP_PENDING_TRANSFERS} pending transfers
     * and, with a cold tier, a hot window of at most {@value #WARMUP_HOT_TRANSFERS} transfers (so that it evicts,
     * as this one will, without this one's memory);
     * an embedded media driver and {@code aeron:ipc} in the scratch directory; no pinning; nothing printed.
     */
    private ServiceContext scratchContext(final Path scratch, final Path clientsFile)
    {
        final LedgerLimits scratchLimits = WorkloadRun.warmUpLimits(ledgerLimits.limits(), 0 != coldTierSizeBytes);
        final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        final PrintStream err = System.err;
        final DataDirectory dataDirectory = new DataDirectory(scratch);
        return new ServiceContext()
            .dataDirectory(dataDirectory)
            .ledgerLimits(scratchLimits)
            .journalContext(new JournalContext()
                .flushLevel(flush)
                .segmentLength(segmentLengthBytes))
            .pipelineContext(pipelineContext())
            .coldTierSizeBytes(coldTierSizeBytes)
            .snapshotsOffBlp(snapshotsOffBlp(snapshotThread))
            .snapshotsKept(snapshotsKept)
            .snapshotWriteRate(snapshotRate)
            .snapshotOnShutdown(false)
            .errorLogLengthBytes(errorLogLengthBytes)
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .clientsFile(clientsFile)
                .tickIntervalNanos(tickIntervalNanos)
                .aeronDirectoryName(null)
                .embeddedAeronDirectoryName(dataDirectory.aeronDirectory().toString()))
            // On the cores the service will run on: else, in the dedicated profile, the profile's own plan.
            .cpus(cpus)
            .out(quiet)
            .errorHandler((ex) -> err.println("paycore serve: warm-up: " + ex));
    }

    private PipelineContext pipelineContext()
    {
        return new PipelineContext()
            .profile(ThreadingProfile.parse(profile))
            .inputRingSize(inputRingSize)
            .outputRingSize(outputRingSize)
            .maxStageBatch(maxStageBatch)
            .snapshotEveryRecords(snapshotEvery)
            .idleStrategy("profile".equals(idleStrategy) ? null : idleStrategy)
            .layout("profile".equals(layout) ? null : StageLayout.parse(layout));
    }

    private static boolean snapshotsOffBlp(final String thread)
    {
        switch (thread)
        {
            case "snapshotter":
                return true;
            case "blp":
                return false;
            default:
                throw new IllegalArgumentException("--snapshot-thread must be snapshotter or blp: " + thread);
        }
    }

    private TransportContext transportContext(final DataDirectory dataDirectory)
    {
        final Path clientsFile = null != clients ? clients : dataDirectory.root().resolve(CLIENTS_FILE_NAME);
        CredentialsFileMode.checkUsable(clientsFile);
        final TransportContext context = new TransportContext()
            .ingressChannel(channel)
            .ingressStreamId(stream)
            .clientsFile(clientsFile)
            .maxClients(maxClients)
            .egressBackPressureTimeoutNanos(egressTimeoutNanos)
            .egressBacklogLength(egressBacklogBytes)
            .tickIntervalNanos(tickIntervalNanos);
        if (null != aeronDir)
        {
            context.aeronDirectoryName(aeronDir.toString());
        }
        else
        {
            context.aeronDirectoryName(null).embeddedAeronDirectoryName(dataDirectory.aeronDirectory().toString());
        }

        return context;
    }

    private int reparseWithConfig(final CommandLine commandLine, final PrintStream err) throws IOException
    {
        // UTF-8, as --print-config writes it on a UTF-8 console; a key given twice is refused, not the last taken.
        final TreeSet<String> twice = new TreeSet<>();
        final Properties properties = new Properties()
        {
            private static final long serialVersionUID = 1L;

            public synchronized Object put(final Object key, final Object value)
            {
                final Object previous = super.put(key, value);
                if (null != previous)
                {
                    twice.add(key.toString());
                }
                return previous;
            }
        };
        try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8))
        {
            properties.load(in);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            err.println("paycore serve: cannot read --config " + config + ": " + ex);
            return EXIT_USAGE;
        }
        if (!twice.isEmpty())
        {
            err.println("paycore serve: " + config + " gives " + twice + " more than once");
            return EXIT_USAGE;
        }
        if (!properties.getProperty("replicate-to", "").isBlank())
        {
            err.println("paycore serve: " + config + " sets replicate-to, but serve no longer ships records to a " +
                "standby: replicate with an Aeron Cluster of 'paycore node' members instead");
            return EXIT_USAGE;
        }
        final List<String> retired = new ArrayList<>(RETIRED_REPLICATION_KEYS);
        retired.retainAll(properties.stringPropertyNames());
        if (!retired.isEmpty())
        {
            err.println("paycore serve: " + config + ": ignoring " + retired + ", options of the retired replication");
            retired.forEach(properties::remove);
        }

        final TreeSet<String> known = new TreeSet<>();
        for (final OptionSpec option : spec.options())
        {
            final String longest = stripDashes(option.longestName());
            known.add(longest);
            for (final String name : option.names())
            {
                final String key = stripDashes(name);
                if (name.startsWith("--") && !key.equals(longest) && properties.containsKey(key))
                {
                    // A file keyed by an option's former name (max-transfers) still reads.
                    if (properties.containsKey(longest))
                    {
                        err.println("paycore serve: " + config + " sets both " + key + " and " + longest +
                            ", two names of one option");
                        return EXIT_USAGE;
                    }
                    properties.setProperty(longest, properties.getProperty(key));
                    properties.remove(key);
                }
            }
        }
        final List<String> unknown = new ArrayList<>();
        for (final String key : properties.stringPropertyNames())
        {
            if (!known.contains(key))
            {
                unknown.add(key);
            }
        }
        unknown.addAll(List.of("config", "help", "version", "print-config"));
        unknown.retainAll(properties.stringPropertyNames());
        if (!unknown.isEmpty())
        {
            known.removeAll(List.of("config", "help", "version", "print-config"));
            err.println("paycore serve: " + config + " has keys that are not options it may set: " + unknown +
                "; keys are long option names without dashes: " + known);
            return EXIT_USAGE;
        }

        final ServeCommand configured = new ServeCommand();
        configured.configApplied = true;
        configured.startedHook = startedHook;
        configured.launchedHook = launchedHook;
        final CommandLine reparsed = new CommandLine(configured)
            .setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(properties))
            .setOut(commandLine.getOut())
            .setErr(commandLine.getErr())
            .setCommandName(spec.qualifiedName())
            .setParameterExceptionHandler((ex, args) ->
            {
                // The command line parsed already: a value of the file's does not parse.
                ex.getCommandLine().getErr().println("paycore serve: " + config + ": " + ex.getMessage());
                return EXIT_USAGE;
            });
        return reparsed.execute(ownArgs(commandLine));
    }

    private String[] ownArgs(final CommandLine commandLine)
    {
        final List<String> args = commandLine.getParseResult().originalArgs();
        final int start = null == spec.parent() ? 0 : args.indexOf(spec.name()) + 1;

        return args.subList(start, args.size()).toArray(new String[0]);
    }

    private String effectiveConfig()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("# paycore serve: effective options").append(System.lineSeparator());
        for (final OptionSpec option : spec.options())
        {
            final String name = stripDashes(option.longestName());
            if (option.usageHelp() || option.versionHelp() || "config".equals(name) || "print-config".equals(name))
            {
                continue;
            }
            final String value = givenText(option);
            if (null == value)
            {
                sb.append("# ").append(name).append('=').append(System.lineSeparator());
            }
            else
            {
                // Escaped as Properties.load reads it: a path's backslash is not an escape.
                sb.append(name).append('=').append(value.replace("\\", "\\\\")).append(System.lineSeparator());
            }
        }

        return sb.toString();
    }

    /**
     * The text an option was given, on the command line, by the config file or by its default, so that a printed
     * config reads as it was written ({@code 64m}, {@code 100ms}) and reads back as the same options.
     */
    private String givenText(final OptionSpec option)
    {
        final List<String> given = option.originalStringValues();
        if (!given.isEmpty())
        {
            return given.get(given.size() - 1);
        }
        final CommandLine.IDefaultValueProvider provider = spec.commandLine().getDefaultValueProvider();
        if (null != provider)
        {
            try
            {
                final String provided = provider.defaultValue(option);
                if (null != provided)
                {
                    return provided;
                }
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot read the default of " + option.longestName(), ex);
            }
        }
        if (null == option.defaultValue() && option.initialValue() instanceof String)
        {
            // A default worked out when the command was made (--snapshot-thread, from its property), unless the
            // config file gave the option (until 2026-12-07 the file's value was used but not printed).
            return (String)option.initialValue();
        }
        return option.defaultValue();
    }

    private static String stripDashes(final String name)
    {
        int i = 0;
        while (i < name.length() && '-' == name.charAt(i))
        {
            i++;
        }

        return name.substring(i).toLowerCase(Locale.ROOT);
    }
}
