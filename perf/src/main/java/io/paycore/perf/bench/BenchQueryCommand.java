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

import io.aeron.Aeron;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.LoadGenerator;
import io.paycore.perf.harness.MachineInfo;
import io.paycore.perf.harness.PaycoreLoadTarget;
import io.paycore.perf.harness.PhaseResult;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.service.query.QueryServer;
import io.paycore.service.query.QueryServerContext;
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
            "writes' rate and p99 in both phases. Exit status 0 when both phases met the rate, 1 otherwise, 2 on " +
            "bad options."
    })
public final class BenchQueryCommand implements Callable<Integer>
{
    private static final String QUERY_CHANNEL = "aeron:ipc?term-length=16m";
    private static final int QUERY_CLIENT_RESPONSE_STREAM = 1950;

    @Option(names = "--history", paramLabel = "N", defaultValue = "10000000",
        description = "Transfers sent before the measurement (default: ${DEFAULT-VALUE}).")
    private long history;

    @Option(names = "--statement", paramLabel = "N", defaultValue = "1000",
        description = "Transfers per statement, 1 to 1024 (default: ${DEFAULT-VALUE}).")
    private int statement;

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
        final String refusal = common.refuseProfile();
        if (null != refusal)
        {
            err.println("paycore bench query: " + refusal);
            return 2;
        }
        if (common.cluster || common.connect || statement < 1 || statement > 1024 || history < 0 || rate < 1)
        {
            err.println("paycore bench query: runs the service in process (no --cluster or --connect); " +
                "--statement 1..1024, --history >= 0, --rate >= 1");
            return 2;
        }
        final BenchSettings settings;
        try
        {
            settings = common.settings().warmupSeconds(warmup).durationSeconds(duration).batch(1).ratePerSecond(rate)
                .historyTransfers(history).validate();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore bench query: " + ex.getMessage());
            return 2;
        }

        out.println("machine: " + MachineInfo.now().describe());
        final ThreadPinning pinner = new ThreadPinning(settings.cpuPlan(), null);
        final Path store = Files.createTempDirectory("paycore-bench-query-store-");
        try (InProcessServiceLauncher.InProcessService service = (InProcessServiceLauncher.InProcessService)
            common.launcher().launch(settings, pinner))
        {
            out.println("service: " + service.describe());
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(service.aeronDirectoryName()));
            final long indexStartNanos = System.nanoTime();
            final QueryServer server = new QueryServer(aeron, new QueryServerContext()
                .journal(new ChangeFeedContext()
                    .directory(new DataDirectory(service.dataDirectory()))
                    .limits(service.ledgerLimits())
                    .coldTierSizeBytes(service.hasColdTier() ? ChangeFeedContext.COLD_TIER_SIZE_DEFAULT : 0))
                .requestChannel(QUERY_CHANNEL)
                .waitTimeoutNanos(TimeUnit.SECONDS.toNanos(60)), store);
            final AgentRunner serverRunner = new AgentRunner(
                new BackoffIdleStrategy(10, 10, 1_000, 100_000), Throwable::printStackTrace, null, server);
            AgentRunner.startOnThread(serverRunner);
            final PaycoreClient queries = PaycoreClient.connect(service.clientContext()
                .responseStreamId(QUERY_CLIENT_RESPONSE_STREAM).queryChannel(QUERY_CHANNEL));
            try
            {
                awaitIndexed(queries, history);
                out.printf(Locale.ROOT, "query server: %,d transfers of history indexed in %.1f s%n", history,
                    (System.nanoTime() - indexStartNanos) / 1e9);

                final PhaseResult alone = writes(service, settings, pinner, 1, out);
                final Histogram statements = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                final AtomicBoolean recording = new AtomicBoolean();
                final AtomicBoolean running = new AtomicBoolean(true);
                final long[] results = new long[1];
                final Thread asker = new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(settings.seed());
                    final AccountFilter filter = new AccountFilter();
                    while (running.get())
                    {
                        filter.reset().accountId(0, PaycoreLoadTarget.FIRST_ACCOUNT_ID +
                            random.nextInt(settings.accounts())).limit(statement)
                            .flags(AccountFilter.DEBITS | AccountFilter.CREDITS);
                        final long start = System.nanoTime();
                        final List<Transfer> got = queries.getAccountTransfersAndWait(filter, Duration.ofSeconds(30));
                        if (recording.get())
                        {
                            statements.recordValue(System.nanoTime() - start);
                            results[0] += got.size();
                        }
                    }
                }, "paycore-bench-query-asker");
                asker.start();
                final Thread recorder = new Thread(() ->
                {
                    try
                    {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                        recording.set(true);
                        Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
                        recording.set(false);
                    }
                    catch (final InterruptedException ignore)
                    {
                        Thread.currentThread().interrupt();
                    }
                });
                recorder.start();
                final PhaseResult withQueries = writes(service, settings, pinner, 2, out);
                recorder.join();
                running.set(false);
                asker.join(60_000);

                out.printf(Locale.ROOT, "statements of %,d transfers from %,d of history, under %,d writes/s: " +
                    "%,d in %d s (%.1f transfers each), p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", statement, history,
                    rate, statements.getTotalCount(), duration,
                    statements.getTotalCount() == 0 ? 0.0 : (double)results[0] / statements.getTotalCount(),
                    statements.getValueAtPercentile(50) / 1e6, statements.getValueAtPercentile(99) / 1e6,
                    statements.getMaxValue() / 1e6);
                print(out, "writes alone       ", alone);
                print(out, "writes with queries", withQueries);
                return alone.isRateMet() && withQueries.isRateMet() ? 0 : 1;
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
        newest.flags = QueryFilter.REVERSED;
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

    private static void print(final PrintStream out, final String what, final PhaseResult result)
    {
        out.printf(Locale.ROOT, "%s: offered %,d/s, achieved %,.0f/s, p50 %.1f us, p99 %.1f us, p99.99 %.1f us%s%n",
            what, result.targetRatePerSecond(), result.achievedRatePerSecond(),
            result.valueAtPercentileNanos(50) / 1000.0, result.valueAtPercentileNanos(99) / 1000.0,
            result.valueAtPercentileNanos(99.99) / 1000.0, result.isRateMet() ? "" : " (rate NOT met)");
    }
}
