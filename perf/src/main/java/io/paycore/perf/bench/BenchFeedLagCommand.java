package io.paycore.perf.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.aeron.Aeron;
import io.paycore.codec.sbe.FeedChangeDecoder;
import io.paycore.codec.sbe.FeedStatus;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.LoadGenerator;
import io.paycore.perf.harness.MachineInfo;
import io.paycore.perf.harness.MeasurementWindow;
import io.paycore.perf.harness.PaycoreLoadTarget;
import io.paycore.perf.harness.PhaseResult;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.service.feed.FeedServer;
import io.paycore.service.feed.FeedServerContext;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.FeedSubscriber;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore bench feed-lag}: how far the change feed runs behind the service at a given rate.
 */
@Command(
    name = "feed-lag",
    header = "Measure the change feed's lag behind the service under an open-loop load.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Start the service in process, a feed server (paycore feed-server's agent) on the same driver following its " +
            "journal, and a FeedSubscriber over IPC from the start; offer transfers at --rate (open loop, as bench " +
            "latency does) and record, for every change received during the measurement, the wall clock at its " +
            "arrival minus its timestamp (the service stamps a record when it journals it). Prints the lag's " +
            "percentiles and how many changes arrived of the transfers acknowledged. Exit status 0 when every " +
            "acknowledged transfer's change arrived, 1 otherwise, 2 on bad options."
    })
public final class BenchFeedLagCommand implements Callable<Integer>
{
    private static final String FEED_REQUESTS = "aeron:ipc?term-length=64k";
    private static final int FEED_REQUEST_STREAM = 1900;
    private static final int FEED_STREAM = 1901;

    private volatile MeasurementWindow window;

    @Option(names = "--rate", paramLabel = "TRANSFERS/S", defaultValue = "50000",
        description = "Offered transfers per second (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
        description = "Transfers per message (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
        description = "Warm-up, not recorded (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
        description = "Measurement (default: ${DEFAULT-VALUE}).")
    private int duration;

    @Mixin
    private CommonBenchOptions common;

    /**
     * Run the measurement.
     *
     * @return 0 when every acknowledged transfer's change arrived, 1 otherwise, 2 on bad options.
     * @throws Exception if interrupted.
     */
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final String refusal = common.refuseOptions();
        if (null != refusal)
        {
            err.println("paycore bench feed-lag: " + refusal);
            return 2;
        }
        if (common.cluster || common.connect)
        {
            err.println("paycore bench feed-lag: runs the service in process: no --cluster or --connect");
            return 2;
        }
        if (batch < 1 || batch > 1024 || rate < batch)
        {
            err.println("paycore bench feed-lag: --batch must be 1..1024 and --rate at least --batch");
            return 2;
        }
        final long messageRate = rate / batch;
        final BenchSettings settings;
        try
        {
            settings = common.settings().warmupSeconds(warmup).durationSeconds(duration).batch(batch)
                .ratePerSecond(messageRate).validate();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore bench feed-lag: " + ex.getMessage());
            return 2;
        }

        common.printPinningWarnings(settings, "paycore bench feed-lag", out);
        out.println("machine: " + MachineInfo.now().describeBefore());
        final ThreadPinning pinner = new ThreadPinning(settings.cpuPlan(), null);
        final Histogram lag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicBoolean running = new AtomicBoolean(true);
        final long[] received = new long[1];
        try (InProcessServiceLauncher.InProcessService service = (InProcessServiceLauncher.InProcessService)
            common.launcher().launch(settings, pinner))
        {
            out.println("service: " + service.describe());
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(service.aeronDirectoryName()));
            // The feed server serves only the clients it knows: the service's own client, with one PBKDF2 round.
            final ClientContext client = service.clientContext();
            final FeedServer server = new FeedServer(aeron, new FeedServerContext()
                .journal(service.journal())
                .requestChannel(FEED_REQUESTS)
                .requestStreamId(FEED_REQUEST_STREAM)
                .credentials(ClientCredentials.parse(
                    List.of(ClientCredentials.line(client.clientId(), client.secret(), 1)), "bench feed-lag")));
            final AgentRunner serverRunner = new AgentRunner(
                new BackoffIdleStrategy(10, 10, 1_000, 50_000), (ex) -> err.println("feed server: " + ex), null,
                server);
            final FeedSubscriber subscriber = new FeedSubscriber(aeron, FEED_REQUESTS, FEED_REQUEST_STREAM,
                "aeron:ipc", FEED_STREAM, client.clientId(), client.secret());
            final SystemEpochNanoClock clock = new SystemEpochNanoClock();
            final FeedSubscriber.ChangeHandler handler = (FeedChangeDecoder change) ->
            {
                received[0]++;
                // By the change's own time, not its arrival: the changes of the window's end arrive after it closed.
                final MeasurementWindow open = window;
                if (null != open && open.covers(change.timestamp()))
                {
                    lag.recordValue(Math.max(0, clock.nanoTime() - change.timestamp()));
                }
            };
            final Thread subscriberThread = new Thread(() ->
            {
                final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 50_000);
                subscriber.subscribe(0);
                while (running.get())
                {
                    idle.idle(subscriber.poll(handler, 256));
                }
            }, "paycore-bench-feed-subscriber");
            try
            {
                AgentRunner.startOnThread(serverRunner);
                subscriberThread.start();
                final PhaseResult result;
                try (PaycoreLoadTarget target = PaycoreLoadTarget.connect(
                    service.clientContext(), batch, settings.accounts(), settings.seed()))
                {
                    window = new MeasurementWindow(warmup, duration);
                    result = new LoadGenerator(target, () -> pinner.pinCurrentThread(CpuPlan.Role.LOADGEN)).run(
                        messageRate, batch,
                        TimeUnit.SECONDS.toNanos(warmup),
                        TimeUnit.SECONDS.toNanos(duration),
                        TimeUnit.SECONDS.toNanos(settings.drainSeconds()),
                        settings.progress() ? out : null);
                    window.awaitClosed();
                }

                // Every change in the journal must reach the subscriber: count them with a replay of its own.
                final long expected = countChanges(service);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received[0] < expected && System.nanoTime() < deadline)
                {
                    Thread.sleep(50);
                }
                out.printf(Locale.ROOT, "offered %,d transfers/s (%,d messages/s of %d), achieved %,.0f transfers/s%n",
                    messageRate * batch, messageRate, batch, result.achievedRatePerSecond() * batch);
                out.printf(Locale.ROOT, "feed lag (arrival - change timestamp), %,d changes in %d s: p50 %.3f ms, " +
                    "p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", lag.getTotalCount(), duration,
                    lag.getValueAtPercentile(50) / 1e6, lag.getValueAtPercentile(99) / 1e6,
                    lag.getValueAtPercentile(99.9) / 1e6, lag.getMaxValue() / 1e6);
                out.printf(Locale.ROOT, "changes received: %,d of the %,d in the journal (%,d measured answers, %d " +
                    "rejected)%s%n", received[0], expected, result.measuredAnswered(), result.rejected(),
                    FeedStatus.SUBSCRIBED == subscriber.status() ? "" :
                    "; subscriber status " + subscriber.status() + " " + subscriber.detail());
                return received[0] == expected ? 0 : 1;
            }
            finally
            {
                running.set(false);
                subscriberThread.join(5_000);
                CloseHelper.quietCloseAll(subscriber, serverRunner, aeron);
            }
        }
    }

    private static long countChanges(final InProcessServiceLauncher.InProcessService service)
    {
        final long[] count = new long[1];
        try (ChangeFeed feed = ChangeFeed.open(service.journal()))
        {
            while (feed.poll(change -> count[0]++, 1024) > 0)
            {
                // to the journal's end
            }
        }
        return count[0];
    }
}
