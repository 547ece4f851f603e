package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code paycore bench latency}: paycore's and the baseline's latency distributions from one run,
 * printed as a table with the ratio per percentile, checked against the targets, and written as files: one
 * {@code .hgrm} percentile distribution per side (values in microseconds), {@code summary.json} and
 * {@code latency.png}.
 */
public final class LatencyReport
{
    /** Percentiles of the table and summary. */
    public static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99, 100 };
    /** Their names. */
    public static final String[] PERCENTILE_NAMES = { "p50", "p90", "p99", "p99.9", "p99.99", "max" };
    /** File name of paycore's distribution. */
    public static final String PAYCORE_HGRM = "paycore.hgrm";
    /** File name of the baseline's distribution. */
    public static final String BASELINE_HGRM = "baseline.hgrm";
    /** File name of the summary. */
    public static final String SUMMARY_JSON = "summary.json";
    /** File name of the chart. */
    public static final String CHART_PNG = "latency.png";

    private final BenchSettings settings;
    private final PhaseResult paycore;
    private final PhaseResult baseline;
    private final MachineInfo machine;
    private final List<String> pinning;
    private final String serviceDescription;

    /**
     * @param settings           the run's settings.
     * @param paycore            paycore's phase.
     * @param baseline           the baseline's phase, or null if it did not run.
     * @param machine            the machine and its load around the run.
     * @param pinning            what each pinned thread got, one line each.
     * @param serviceDescription how the service was run.
     */
    public LatencyReport(
        final BenchSettings settings,
        final PhaseResult paycore,
        final PhaseResult baseline,
        final MachineInfo machine,
        final List<String> pinning,
        final String serviceDescription)
    {
        this.settings = settings;
        this.paycore = paycore;
        this.baseline = baseline;
        this.machine = machine;
        this.pinning = pinning;
        this.serviceDescription = serviceDescription;
    }

    /**
     * @param percentile index into {@link #PERCENTILES}.
     * @return paycore's value over the baseline's at that percentile, or NaN without a baseline.
     */
    public double ratio(final int percentile)
    {
        if (null == baseline)
        {
            return Double.NaN;
        }
        final long base = baseline.valueAtPercentileNanos(PERCENTILES[percentile]);
        return base == 0 ? Double.NaN : (double)paycore.valueAtPercentileNanos(PERCENTILES[percentile]) / base;
    }

    /**
     * @return true when paycore's p99 is within {@link BenchSettings#P99_RATIO_TARGET} of the baseline's and its
     * p99.99 within {@link BenchSettings#P9999_RATIO_TARGET}, both sides having answered every measured message (see
     * {@link PhaseResult#isEveryMessageAnswered()}).
     */
    public boolean isTargetMet()
    {
        return isComparable() &&
            ratio(2) <= BenchSettings.P99_RATIO_TARGET && ratio(4) <= BenchSettings.P9999_RATIO_TARGET;
    }

    /**
     * @return true when both sides ran and answered every measured message, so that their percentiles are those of
     * every message sent.
     */
    private boolean isComparable()
    {
        return null != baseline && paycore.isEveryMessageAnswered() && baseline.isEveryMessageAnswered();
    }

    /**
     * @return warnings: a rate not met, messages lost or rejected, a phase that failed.
     */
    public List<String> warnings()
    {
        final List<String> warnings = new ArrayList<>();
        addWarnings(warnings, paycore);
        if (null != baseline)
        {
            addWarnings(warnings, baseline);
        }
        else
        {
            warnings.add("the baseline did not run");
        }
        return warnings;
    }

    private static void addWarnings(final List<String> warnings, final PhaseResult phase)
    {
        final String name = phase.targetName();
        if (null != phase.failure())
        {
            warnings.add(name + " stopped early: " + phase.failure());
        }
        if (phase.achievedRatePerSecond() < PhaseResult.RATE_MET_FRACTION * phase.targetRatePerSecond())
        {
            warnings.add(String.format(Locale.ROOT, "%s did not keep up: achieved %,.0f msg/s of %,d (%.1f %%)",
                name, phase.achievedRatePerSecond(), phase.targetRatePerSecond(),
                100.0 * phase.achievedRatePerSecond() / phase.targetRatePerSecond()));
        }
        if (phase.measuredSent() < phase.intendedCount())
        {
            warnings.add(String.format(Locale.ROOT, "%s: only %,d of %,d messages were sent", name,
                phase.measuredSent(), phase.intendedCount()));
        }
        if (phase.lost() > 0)
        {
            warnings.add(String.format(Locale.ROOT, "%s LOST %,d messages (sent, never answered)", name, phase.lost()));
        }
        if (phase.rejected() > 0)
        {
            warnings.add(String.format(Locale.ROOT, "%s: %,d messages were answered Rejected", name,
                phase.rejected()));
        }
        if (phase.failedEvents() > 0)
        {
            warnings.add(String.format(Locale.ROOT, "%s: %,d transfers were answered with an error", name,
                phase.failedEvents()));
        }
        if (phase.isLatencyCeilingReached())
        {
            warnings.add(String.format(Locale.ROOT, "%s: latencies reached the histogram's ceiling of %d s and " +
                "were recorded as %d s: the max and the highest percentiles are at least that, not the real values",
                name, LatencyRecorder.HIGHEST_TRACKABLE_NANOS / 1_000_000_000L,
                LatencyRecorder.HIGHEST_TRACKABLE_NANOS / 1_000_000_000L));
        }
        if (phase.unexpected() > 0)
        {
            warnings.add(String.format(Locale.ROOT, "%s: %,d answers matched no message", name, phase.unexpected()));
        }
    }

    /**
     * Print the table, rates, verdict and warnings.
     *
     * @param out where to print.
     */
    public void print(final PrintStream out)
    {
        out.println("paycore bench latency: " + settings.describe());
        out.println("  service   " + serviceDescription);
        out.println("  machine   " + machine.describe());
        out.printf(Locale.ROOT, "  messages  %d bytes each; latency from intended send time to answer (open loop, " +
            "coordinated omission corrected), µs%n", paycore.messageLengthBytes());
        for (final String line : pinning)
        {
            out.println("  pinned    " + line);
        }
        out.println();
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s", ""));
        for (final String name : PERCENTILE_NAMES)
        {
            header.append(String.format(Locale.ROOT, "%12s", name));
        }
        out.println(header);
        printRow(out, "paycore", paycore);
        if (null != baseline)
        {
            printRow(out, "baseline", baseline);
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s", "ratio"));
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                row.append(String.format(Locale.ROOT, "%11.2fx", ratio(i)));
            }
            out.println(row);
        }
        out.println();
        printRate(out, paycore);
        if (null != baseline)
        {
            printRate(out, baseline);
            if (!isComparable())
            {
                // No verdict per percentile either: an empty histogram's zeros would read as the best result.
                out.printf(Locale.ROOT, "target: not judged: the percentiles leave out measured messages that were " +
                    "not sent or not answered (see the warnings); ratios p99 %.2fx, p99.99 %.2fx%n", ratio(2),
                    ratio(4));
            }
            else
            {
                out.printf(Locale.ROOT, "target: p99 <= %.0fx baseline (%.2fx: %s), p99.99 <= %.0fx baseline " +
                    "(%.2fx: %s)%n", BenchSettings.P99_RATIO_TARGET, ratio(2),
                    ratio(2) <= BenchSettings.P99_RATIO_TARGET ? "met" : "MISSED", BenchSettings.P9999_RATIO_TARGET,
                    ratio(4), ratio(4) <= BenchSettings.P9999_RATIO_TARGET ? "met" : "MISSED");
            }
        }
        for (final String warning : warnings())
        {
            out.println("WARNING: " + warning);
        }
    }

    private static void printRow(final PrintStream out, final String name, final PhaseResult phase)
    {
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s", name));
        for (final double percentile : PERCENTILES)
        {
            row.append(String.format(Locale.ROOT, "%12.1f", phase.valueAtPercentileNanos(percentile) / 1000.0));
        }
        out.println(row);
    }

    private static void printRate(final PrintStream out, final PhaseResult phase)
    {
        out.printf(Locale.ROOT, "%-8s rate: target %,d msg/s, achieved %,.0f msg/s (%,.0f transfers/s); %,d sent, " +
            "%,d answered, %,d lost; latest send %,.1f µs behind schedule (%,.1f µs in the warm-up); " +
            "%,d offers back-pressured (%,d in the warm-up)%n",
            phase.targetName(), phase.targetRatePerSecond(), phase.achievedRatePerSecond(),
            phase.achievedRatePerSecond() * phase.batch(), phase.measuredSent(), phase.measuredAnswered(),
            phase.lost(), phase.maxSendLagNanos() / 1000.0, phase.warmupMaxSendLagNanos() / 1000.0,
            phase.backPressured(), phase.warmupBackPressured());
    }

    /**
     * Write the {@code .hgrm} files, {@code summary.json} and the chart into a directory, creating it.
     *
     * @param directory where to write.
     * @return the files written.
     * @throws IOException if a file cannot be written.
     */
    public List<Path> write(final Path directory) throws IOException
    {
        Files.createDirectories(directory);
        final List<Path> files = new ArrayList<>();
        files.add(writeHgrm(directory.resolve(PAYCORE_HGRM), paycore.histogram()));
        final List<String> names = new ArrayList<>(List.of("paycore"));
        final List<Histogram> histograms = new ArrayList<>(List.of(paycore.histogram()));
        if (null != baseline)
        {
            files.add(writeHgrm(directory.resolve(BASELINE_HGRM), baseline.histogram()));
            names.add("baseline (raw Aeron echo)");
            histograms.add(baseline.histogram());
        }
        final Path summary = directory.resolve(SUMMARY_JSON);
        Files.writeString(summary, summaryJson(), StandardCharsets.UTF_8);
        files.add(summary);
        final Path chart = directory.resolve(CHART_PNG);
        PercentileChart.write(chart, "paycore vs raw Aeron echo: " + settings.describe(), names, histograms);
        files.add(chart);
        return files;
    }

    private static Path writeHgrm(final Path file, final Histogram histogram) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, 1000.0);
        }
        return file;
    }

    /**
     * @return the summary as JSON: settings, machine, each side's percentiles (µs), counts and rates, ratios,
     * targets, pinning and warnings.
     */
    public String summaryJson()
    {
        final Json json = new Json();
        json.open();
        json.field("command", "paycore bench latency");
        json.object("settings");
        json.field("rateMsgPerSecond", settings.ratePerSecond());
        json.field("batch", settings.batch());
        json.field("warmupSeconds", settings.warmupSeconds());
        json.field("durationSeconds", settings.durationSeconds());
        json.field("channel", settings.channels().name());
        json.field("flush", settings.connect() ? "connected service's" :
            settings.flushLevel().name().toLowerCase(Locale.ROOT));
        json.field("profile", settings.connect() ? "connected service's" :
            settings.profile().name().toLowerCase(Locale.ROOT));
        json.field("cpus", settings.cpuPlan().toString());
        json.field("idleStrategy", null == settings.idleStrategy() ? "profile default" : settings.idleStrategy());
        json.field("layout", null == settings.layout() ? "service default" : settings.layout().label());
        json.field("accounts", settings.accounts());
        json.field("service", serviceDescription);
        json.field("messageLengthBytes", paycore.messageLengthBytes());
        json.close();
        json.object("machine");
        json.field("cpus", machine.cpus());
        json.field("cpuModel", machine.cpuModel());
        json.field("os", machine.os());
        json.field("java", machine.java());
        json.field("loadAverageBefore", machine.loadAverageBefore());
        json.field("loadAverageAfter", machine.loadAverageAfter());
        json.close();
        phaseJson(json, "paycore", paycore);
        if (null != baseline)
        {
            phaseJson(json, "baseline", baseline);
            json.object("ratio");
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                json.field(PERCENTILE_NAMES[i], ratio(i));
            }
            json.close();
            json.object("target");
            json.field("p99RatioMax", BenchSettings.P99_RATIO_TARGET);
            json.field("p9999RatioMax", BenchSettings.P9999_RATIO_TARGET);
            json.field("met", isTargetMet());
            json.close();
        }
        json.array("pinning", pinning);
        json.array("warnings", warnings());
        json.end();
        return json.toString();
    }

    private static void phaseJson(final Json json, final String name, final PhaseResult phase)
    {
        json.object(name);
        json.object("latencyMicros");
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            json.field(PERCENTILE_NAMES[i], phase.valueAtPercentileNanos(PERCENTILES[i]) / 1000.0);
        }
        json.field("mean", phase.histogram().getTotalCount() == 0 ? 0 : phase.histogram().getMean() / 1000.0);
        json.close();
        json.field("targetRateMsgPerSecond", phase.targetRatePerSecond());
        json.field("achievedRateMsgPerSecond", phase.achievedRatePerSecond());
        json.field("achievedRateTransfersPerSecond", phase.achievedRatePerSecond() * phase.batch());
        json.field("rateMet", phase.isRateMet());
        json.field("sent", phase.measuredSent());
        json.field("answered", phase.measuredAnswered());
        json.field("lost", phase.lost());
        json.field("rejected", phase.rejected());
        json.field("failedEvents", phase.failedEvents());
        json.field("unexpectedAnswers", phase.unexpected());
        json.field("backPressuredOffers", phase.backPressured());
        json.field("maxSendLagMicros", phase.maxSendLagNanos() / 1000.0);
        json.field("warmupBackPressuredOffers", phase.warmupBackPressured());
        json.field("warmupMaxSendLagMicros", phase.warmupMaxSendLagNanos() / 1000.0);
        json.field("histogramCount", phase.histogram().getTotalCount());
        json.field("failure", phase.failure());
        json.close();
    }
}
