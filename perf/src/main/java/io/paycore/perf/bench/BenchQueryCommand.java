package io.paycore.perf.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.aeron.Aeron;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.CollectorActivity;
import io.paycore.perf.harness.LoadGenerator;
import io.paycore.perf.harness.MachineInfo;
import io.paycore.perf.harness.MeasurementWindow;
import io.paycore.perf.harness.PaycoreLoadTarget;
import io.paycore.perf.harness.PhaseResult;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.service.query.QueryServer;
import io.paycore.service.query.QueryServerContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.Transfer;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore bench query}: account statements from a long history under write load, and what a query load
 * costs the writes.
 */
@Command(
    name = "query",
    header = "Account statements from a long history under write load, and the writes with and without queries.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Start the service in process with --history transfers between --accounts accounts, a query server on its " +
            "driver (paycore query-server's agent) indexing its journal, then run the same open-loop write load " +
            "twice: alone, then with a client asking for account statements (GetAccountTransfers of --statement " +
            "transfers of a random account, one after another) throughout. Prints the statements' latency and the " +
            "writes' rate and p99 in both phases, with the collections this process ran during each: the service, " +
            "the query server and the asking client share its heap here, so one's collection pauses them all, " +
            "where in production they are processes of their own. A full collection before each phase, outside " +
            "its measurement, starts it on an empty young generation. Exit status 0 when both phases met the " +
            "rate, 1 otherwise, 2 on bad options."
    })
public final class BenchQueryCommand implements Callable<Integer>
{
    private static final String QUERY_CHANNEL = "aeron:ipc?term-length=16m";
    private static final int QUERY_CLIENT_RESPONSE_STREAM = 1950;

    private volatile MeasurementWindow window;

    @Option(names = "--history", paramLabel = "N", defaultValue = "10000000",
        description = "Transfers sent before the measurement (default: ${DEFAULT-VALUE}).")
    private long history;

    @Option(names = "--hot-transfers", paramLabel = "N", defaultValue = "4194304",
        description = "The service's hot window, as serve's default; the rest of the history goes to its cold " +
            "tier, and the query server's replay keeps the same window (default: ${DEFAULT-VALUE}).")
    private int hotTransfers;

    @Option(names = "--statement", paramLabel = "N", defaultValue = "1000",
        description = "Transfers per statement, 1 to 1024 (default: ${DEFAULT-VALUE}).")
    private int statement;

    @Option(names = "--query-rate", paramLabel = "STATEMENTS/S", defaultValue = "100",
        description = "Statements asked per second during the second phase, one at a time; 0 asks the next as soon " +
            "as the last is answered (default: ${DEFAULT-VALUE}).")
    private int queryRate;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2",
        description = "Pairs of phases, writes alone then writes with statements, one after the other " +
            "(default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--rate", paramLabel = "TRANSFERS/S", defaultValue = "20000",
        description = "Offered write rate, single transfers (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
        description = "Warm-up of each phase, not recorded (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
        description = "Measurement of each phase (default: ${DEFAULT-VALUE}).")
    private int duration;

    @Mixin
    private CommonBenchOptions common;

    /**
     * Run the benchmark.
     *
     * @return 0 when both phases met the rate, 1 otherwise, 2 on bad options.
     * @throws Exception if interrupted.
     */
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final String refusal = common.refuseOptions();
        if (null != refusal)
        {
            err.println("paycore bench query: " + refusal);
            return 2;
        }
        if (common.cluster || common.connect || statement < 1 || statement > 1024 || history < 0 || rate < 1 ||
            hotTransfers < 1 || queryRate < 0 || rounds < 1)
        {
            err.println("paycore bench query: runs the service in process (no --cluster or --connect); " +
                "--statement 1..1024, --history >= 0, --rate >= 1, --hot-transfers >= 1, --query-rate >= 0, --rounds >= 1");
            return 2;
        }
        final BenchSettings settings;
        try
        {
            settings = common.settings().warmupSeconds(warmup).durationSeconds(duration).batch(1).ratePerSecond(rate)
                .historyTransfers(history).hotTransfers(hotTransfers).validate();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore bench query: " + ex.getMessage());
            return 2;
        }

        common.printPinningWarnings(settings, "paycore bench query", out);
        out.println("machine: " + MachineInfo.now().describeBefore());
        final ThreadPinning pinner = new ThreadPinning(settings.cpuPlan(), null);
        final Path store = Files.createTempDirectory("paycore-bench-query-store-");
        try (InProcessServiceLauncher.InProcessService service = (InProcessServiceLauncher.InProcessService)
            common.launcher().launch(settings, pinner))
        {
            out.println("service: " + service.describe());
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(service.aeronDirectoryName()));
            final long indexStartNanos = System.nanoTime();
            // The query server serves the bench's one client: its id and secret, derived with one PBKDF2 round.
            final ClientContext client = service.clientContext();
            final QueryServer server = new QueryServer(aeron, new QueryServerContext()
                .journal(service.journal())
                .requestChannel(QUERY_CHANNEL)
                .credentials(ClientCredentials.parse(
                    List.of(ClientCredentials.line(client.clientId(), client.secret(), 1)), "bench query"))
                .waitTimeoutNanos(TimeUnit.SECONDS.toNanos(60)), store);
            final AgentRunner serverRunner = new AgentRunner(
                new BackoffIdleStrategy(10, 10, 1_000, 100_000), (ex) -> err.println("query server: " + ex), null, server);
            AgentRunner.startOnThread(serverRunner);
            final PaycoreClient queries = PaycoreClient.connect(service.clientContext()
                .responseStreamId(QUERY_CLIENT_RESPONSE_STREAM).queryChannel(QUERY_CHANNEL));
            try
            {
                awaitIndexed(queries, history);
                out.printf(Locale.ROOT, "query server: %,d transfers of history indexed in %.1f s%n", history,
                    (System.nanoTime() - indexStartNanos) / 1e9);

                service.awaitColdTierSettled(TimeUnit.MINUTES.toMillis(5));
                boolean allMet = true;
                for (int round = 1; round <= rounds; round++)
                {
                    // Each phase starts on an empty young generation: the clients' garbage of one phase is not
                    // collected in the next, and never in a full collection of the two ledgers this process holds.
                    System.gc();
                    final CollectorActivity beforeAlone = CollectorActivity.now();
                    final PhaseResult alone = writes(service, settings, pinner, 2 * round - 1, out);
                    final String collectedAlone = beforeAlone.since();
                    final Histogram statements = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                    final long[] results = new long[1];
                    System.gc();
                    final CollectorActivity beforeQueries = CollectorActivity.now();
                    final PhaseResult withQueries = withStatements(service, settings, pinner, 2 * round, queries,
                        statements, results, out);
                    final String collectedWithQueries = beforeQueries.since();
                    out.printf(Locale.ROOT, "round %d: statements of %,d transfers from %,d of history, under %,d " +
                        "writes/s: %,d in %d s (asked at %s; %.1f transfers each), p50 %.2f ms, p99 %.2f ms, " +
                        "max %.2f ms%n", round, statement, history, rate, statements.getTotalCount(), duration,
                        0 == queryRate ? "once answered" : queryRate + "/s",
                        statements.getTotalCount() == 0 ? 0.0 : (double)results[0] / statements.getTotalCount(),
                        statements.getValueAtPercentile(50) / 1e6, statements.getValueAtPercentile(99) / 1e6,
                        statements.getMaxValue() / 1e6);
                    print(out, "round " + round + ": writes alone       ", alone, collectedAlone);
                    print(out, "round " + round + ": writes with queries", withQueries, collectedWithQueries);
                    allMet &= alone.isRateMet() && withQueries.isRateMet();
                }
                return allMet ? 0 : 1;
            }
            finally
            {
                CloseHelper.quietCloseAll(queries, serverRunner, aeron);
            }
        }
        finally
        {
            IoUtil.delete(store.toFile(), true);
        }
    }

    private PhaseResult withStatements(
        final InProcessServiceLauncher.InProcessService service,
        final BenchSettings settings,
        final ThreadPinning pinner,
        final int phase,
        final PaycoreClient queries,
        final Histogram statements,
        final long[] results,
        final PrintStream out) throws InterruptedException
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread asker = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(settings.seed() + phase);
            final AccountFilter filter = new AccountFilter();
            final long intervalNanos = 0 == queryRate ? 0 : TimeUnit.SECONDS.toNanos(1) / queryRate;
            long nextNanos = System.nanoTime();
            while (running.get())
            {
                if (intervalNanos > 0)
                {
                    nextNanos += intervalNanos;
                    final long waitNanos = nextNanos - System.nanoTime();
                    if (waitNanos > 0)
                    {
                        LockSupport.parkNanos(waitNanos);
                    }
                }
                filter.reset().accountId(0, PaycoreLoadTarget.FIRST_ACCOUNT_ID + random.nextInt(settings.accounts()))
                    .limit(statement).flags(AccountFilter.DEBITS | AccountFilter.CREDITS);
                // From when it was due at the asked rate, not when the last statement let it start (a slow one
                // delays those after it, and that wait is theirs too); measured if due in the window, whenever the
                // answer came.
                final long start = intervalNanos > 0 ? nextNanos : System.nanoTime();
                final MeasurementWindow open = window;
                final boolean measured = null != open && open.isOpen();
                final List<Transfer> got = queries.getAccountTransfersAndWait(filter, Duration.ofSeconds(30));
                if (measured)
                {
                    statements.recordValue(System.nanoTime() - start);
                    results[0] += got.size();
                }
            }
        }, "paycore-bench-query-asker");
        asker.start();
        try
        {
            window = new MeasurementWindow(warmup, duration);
            final PhaseResult result = writes(service, settings, pinner, phase, out);
            window.awaitClosed();
            return result;
        }
        finally
        {
            running.set(false);
            asker.join(60_000);
        }
    }

    private PhaseResult writes(
        final InProcessServiceLauncher.InProcessService service,
        final BenchSettings settings,
        final ThreadPinning pinner,
        final int phase,
        final PrintStream out) throws InterruptedException
    {
        try (PaycoreLoadTarget target = PaycoreLoadTarget.connect(service.clientContext()
            .responseStreamId(QUERY_CLIENT_RESPONSE_STREAM + phase), 1, settings.accounts(), settings.seed() + phase))
        {
            return new LoadGenerator(target, () -> pinner.pinCurrentThread(CpuPlan.Role.LOADGEN)).run(
                rate, 1,
                TimeUnit.SECONDS.toNanos(warmup),
                TimeUnit.SECONDS.toNanos(duration),
                TimeUnit.SECONDS.toNanos(settings.drainSeconds()),
                settings.progress() ? out : null);
        }
    }

    private static void awaitIndexed(final PaycoreClient queries, final long history) throws InterruptedException
    {
        final QueryFilter newest = new QueryFilter().limit(1);
        newest.flags(QueryFilter.REVERSED);
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (history > 0)
        {
            final List<Transfer> last = queries.queryTransfersAndWait(newest, Duration.ofSeconds(30));
            if (!last.isEmpty() && last.get(0).id().longValueExact() >= history)
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the query server did not index the history within 10 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static void print(final PrintStream out, final String what, final PhaseResult result, final String gc)
    {
        out.printf(Locale.ROOT, "%s: offered %,d/s, achieved %,.0f/s, p50 %.1f us, p99 %.1f us, p99.99 %.1f us%s; " +
            "collections in this process during the phase: %s%n",
            what, result.targetRatePerSecond(), result.achievedRatePerSecond(),
            result.valueAtPercentileNanos(50) / 1000.0, result.valueAtPercentileNanos(99) / 1000.0,
            result.valueAtPercentileNanos(99.99) / 1000.0, result.isRateMet() ? "" : " (rate NOT met)", gc);
    }
}
