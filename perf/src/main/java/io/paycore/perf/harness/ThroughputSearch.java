package io.paycore.perf.harness;

import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ThreadPinning;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore bench throughput}: finds the highest rate paycore sustains, for each batch size asked for. The
 * offered rate doubles from a start rate until a step fails, then is bisected between the last rate that held and
 * the first that failed, {@value #BISECTIONS} times. A step holds when the achieved rate is at least
 * {@link PhaseResult#RATE_MET_FRACTION} of the offered one, nothing was lost or rejected, no transfer was answered
 * with an error, and p99 is within the limit. Each step runs against a freshly started service (the JVM, and so
 * the JIT, stays warm), so a full ledger or a long journal from an earlier step never weighs on a later one.
 * <p>
 * A step the service refuses to start for, above a rate that held (a ledger for every transfer of the step that does
 * not fit the heap), is not run: it is reported with the service's reason and bounds the search as a step that did
 * not hold, so the search still reports the highest rate that held below it. A refusal before any rate held is the
 * caller's: {@link #run} throws it.
 */
public final class ThroughputSearch
{
    /** Bisection steps after the first failure. */
    public static final int BISECTIONS = 3;

    /** Hard cap on the offered rate, messages per second. */
    public static final long MAX_RATE = 5_000_000;

    private ThroughputSearch()
    {
    }

    /**
     * One step of a search.
     *
     * @param batch   events per message.
     * @param rate    offered messages per second.
     * @param result  what the step measured, or null if it was not run.
     * @param held    whether it held.
     * @param refusal why the service refused to start for the step, or null if it ran.
     */
    public record Step(int batch, long rate, PhaseResult result, boolean held, String refusal)
    {
    }

    /**
     * Run the search.
     *
     * @param settings           rate (ignored), warm-up and duration per step, channel, flush, profile, cpus.
     * @param launcher           starts the service for each step.
     * @param batches            batch sizes to search, for example 1 and 100.
     * @param startTransfersRate first offered rate, in transfers per second (divided by the batch for messages).
     * @param p99LimitNanos      a step whose p99 is above this fails.
     * @param out                where each step's line and the result are printed.
     * @return every step, in order.
     * @throws InterruptedException     if interrupted while waiting for the load generator.
     * @throws IllegalArgumentException if the service refuses to start before any rate of a batch size held.
     */
    public static List<Step> run(
        final BenchSettings settings,
        final ServiceLauncher launcher,
        final int[] batches,
        final long startTransfersRate,
        final long p99LimitNanos,
        final PrintStream out) throws InterruptedException
    {
        final List<Step> steps = new ArrayList<>();
        out.printf(Locale.ROOT, "paycore bench throughput: %s, flush %s, profile %s, steps of %d s warm-up + %d s, " +
            "p99 limit %,.0f µs%n", settings.channels().name(), settings.flushLevel().name().toLowerCase(Locale.ROOT),
            settings.profile().name().toLowerCase(Locale.ROOT), settings.warmupSeconds(), settings.durationSeconds(),
            p99LimitNanos / 1000.0);
        final MachineInfo machine = MachineInfo.now();
        out.printf(Locale.ROOT, "  machine %d cpus, %s, %s; load average %s at the start%n", machine.cpus(),
            machine.cpuModel(), machine.java(), machine.loadAverageBefore());
        out.printf(Locale.ROOT, "%6s %14s %16s %14s %16s %12s %12s  %s%n", "batch", "offered msg/s", "offered tr/s",
            "achieved msg/s", "achieved tr/s", "p99 µs", "p99.99 µs", "held");
        for (final int batch : batches)
        {
            long rate = Math.max(1, startTransfersRate / batch);
            long held = 0;
            long failed = 0;
            long refusedFrom = 0;
            int bisections = 0;
            while (rate > 0 && rate <= MAX_RATE)
            {
                final Step step = step(settings, launcher, batch, rate, p99LimitNanos);
                if (null != step.refusal() && 0 == held)
                {
                    // Refused before any rate of this batch size held: a setting the service refuses outright.
                    throw new IllegalArgumentException(step.refusal());
                }
                steps.add(step);
                printStep(out, step);
                if (step.held())
                {
                    held = rate;
                }
                else
                {
                    failed = rate;
                    if (null != step.refusal() && (0 == refusedFrom || rate < refusedFrom))
                    {
                        refusedFrom = rate;
                    }
                }
                if (0 == failed)
                {
                    rate *= 2;
                }
                else if (bisections++ < BISECTIONS && failed - held > Math.max(1, held / 50))
                {
                    rate = held + (failed - held) / 2;
                }
                else
                {
                    break;
                }
            }
            final PhaseResult best = bestHeld(steps, batch, held);
            if (null == best)
            {
                out.printf(Locale.ROOT, "batch %d: no rate held, down to %,d msg/s (%,d transfers/s)%n", batch,
                    failed, failed * batch);
            }
            else
            {
                // A step is refused only once a rate held (above), so only a search that found one has any.
                final String notRun = 0 == refusedFrom ? "" : String.format(Locale.ROOT,
                    "; from %,d msg/s up not run: the service refused to start (see the step)", refusedFrom);
                out.printf(Locale.ROOT, "batch %d: highest sustained %,d msg/s = %,d transfers/s (p99 %,.1f µs, " +
                    "p99.99 %,.1f µs)%s%s%n", batch, held, held * batch, best.valueAtPercentileNanos(99) / 1000.0,
                    best.valueAtPercentileNanos(99.99) / 1000.0, 0 == failed ? " (stopped at the rate cap)" : "",
                    notRun);
            }
        }
        return steps;
    }

    private static PhaseResult bestHeld(final List<Step> steps, final int batch, final long rate)
    {
        for (final Step step : steps)
        {
            if (step.batch() == batch && step.held() && step.rate() == rate)
            {
                return step.result();
            }
        }
        return null;
    }

    private static Step step(
        final BenchSettings settings,
        final ServiceLauncher launcher,
        final int batch,
        final long rate,
        final long p99LimitNanos) throws InterruptedException
    {
        final BenchSettings stepSettings = copy(settings).batch(batch).ratePerSecond(rate);
        final ThreadPinning pinner = new ThreadPinning(settings.cpuPlan(), null);
        final ServiceUnderTest launched;
        try
        {
            launched = settings.connect() ? new ConnectedService(stepSettings) : launcher.launch(stepSettings, pinner);
        }
        catch (final IllegalArgumentException ex)
        {
            return new Step(batch, rate, null, false, ex.getMessage());
        }
        try (ServiceUnderTest service = launched)
        {
            try (PaycoreLoadTarget target = PaycoreLoadTarget.connect(
                service.clientContext(), batch, settings.accounts(), settings.seed() + rate))
            {
                final PhaseResult result = new LoadGenerator(
                    target, () -> pinner.pinCurrentThread(CpuPlan.Role.LOADGEN)).run(
                    rate, batch,
                    TimeUnit.SECONDS.toNanos(settings.warmupSeconds()),
                    TimeUnit.SECONDS.toNanos(settings.durationSeconds()),
                    TimeUnit.SECONDS.toNanos(settings.drainSeconds()),
                    settings.progress() ? System.out : null);
                return new Step(batch, rate, result,
                    result.isRateMet() && result.valueAtPercentileNanos(99) <= p99LimitNanos, null);
            }
        }
    }

    private static void printStep(final PrintStream out, final Step step)
    {
        if (null != step.refusal())
        {
            out.printf(Locale.ROOT, "%6d %,14d %,16d %14s %16s %12s %12s  not run: %s%n", step.batch(), step.rate(),
                step.rate() * step.batch(), "-", "-", "-", "-", step.refusal());
            return;
        }
        final PhaseResult result = step.result();
        out.printf(Locale.ROOT, "%6d %,14d %,16d %,14.0f %,16.0f %,12.1f %,12.1f  %s%s%n", step.batch(),
            result.targetRatePerSecond(), result.targetRatePerSecond() * step.batch(),
            result.achievedRatePerSecond(), result.achievedRatePerSecond() * step.batch(),
            result.valueAtPercentileNanos(99) / 1000.0, result.valueAtPercentileNanos(99.99) / 1000.0,
            step.held() ? "yes" : "no", reason(result));
    }

    private static String reason(final PhaseResult result)
    {
        if (null != result.failure())
        {
            return " (" + result.failure() + ")";
        }
        if (result.lost() > 0)
        {
            return String.format(Locale.ROOT, " (%,d lost)", result.lost());
        }
        if (result.rejected() > 0)
        {
            return String.format(Locale.ROOT, " (%,d rejected)", result.rejected());
        }
        if (result.failedEvents() > 0)
        {
            return String.format(Locale.ROOT, " (%,d transfers answered with an error)", result.failedEvents());
        }
        return "";
    }

    /**
     * Write the steps as JSON.
     *
     * @param file  where.
     * @param steps the steps.
     * @throws IOException if it cannot be written.
     */
    public static void writeJson(final Path file, final List<Step> steps) throws IOException
    {
        final Json json = new Json();
        json.open();
        json.field("command", "paycore bench throughput");
        json.field("machine", MachineInfo.now().describe());
        for (int i = 0; i < steps.size(); i++)
        {
            final Step step = steps.get(i);
            final PhaseResult result = step.result();
            json.object("step" + (i + 1));
            json.field("batch", step.batch());
            json.field("offeredMsgPerSecond", step.rate());
            if (null != step.refusal())
            {
                json.field("notRun", step.refusal());
                json.field("held", false);
                json.close();
                continue;
            }
            json.field("achievedMsgPerSecond", result.achievedRatePerSecond());
            json.field("achievedTransfersPerSecond", result.achievedRatePerSecond() * step.batch());
            json.field("p99Micros", result.valueAtPercentileNanos(99) / 1000.0);
            json.field("p9999Micros", result.valueAtPercentileNanos(99.99) / 1000.0);
            json.field("lost", result.lost());
            json.field("rejected", result.rejected());
            json.field("failedEvents", result.failedEvents());
            json.field("held", step.held());
            json.close();
        }
        json.end();
        Files.createDirectories(file.getParent());
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
    }

    private static BenchSettings copy(final BenchSettings settings)
    {
        return new BenchSettings()
            .ratePerSecond(settings.ratePerSecond())
            .batch(settings.batch())
            .warmupSeconds(settings.warmupSeconds())
            .durationSeconds(settings.durationSeconds())
            .accounts(settings.accounts())
            .drainSeconds(settings.drainSeconds())
            .channels(settings.channels())
            .flushLevel(settings.flushLevel())
            .profile(settings.profile())
            .cpuPlan(settings.cpuPlan())
            .idleStrategy(settings.idleStrategy())
            .layout(settings.layout())
            .outDirectory(settings.outDirectory())
            .hotTransfers(settings.hotTransfers())
            .connect(settings.connect())
            .aeronDirectory(settings.aeronDirectory())
            .connectChannel(settings.connectChannel())
            .clientId(settings.clientId())
            .secret(settings.secret())
            .seed(settings.seed())
            .progress(settings.progress());
    }
}
