package io.paycore.perf.bench;

import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.LatencyBenchmark;
import io.paycore.perf.harness.LatencyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code paycore bench latency}: paycore's latency distribution at a fixed rate, open loop, beside a raw Aeron echo
 * measured the same way in the same run.
 */
@Command(
    name = "latency",
    header = "Open-loop latency at a fixed rate, against a raw Aeron echo in the same run.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Start the service in this process (or --connect to a running one) and send CreateTransfers at a fixed " +
            "rate, open loop: each message's latency runs from its intended send time to the arrival of its " +
            "result, so stalls count (coordinated omission corrected), into an HdrHistogram. Then run a raw Aeron " +
            "echo (same message length, channel, rate, idle strategies and cores; no journal, no ledger) the same " +
            "way.",
        "",
        "Prints p50, p90, p99, p99.9, p99.99 and max for both with the ratio per percentile, and the achieved " +
            "rate against the target. With --out DIR writes paycore.hgrm, baseline.hgrm (µs), summary.json and " +
            "latency.png.",
        "",
        "Exit status 0 when the rate was met, nothing was lost and paycore's p99 is within 3x the baseline's " +
            "and its p99.99 within 10x; 1 otherwise; 2 on bad options."
    })
public final class BenchLatencyCommand implements Callable<Integer>
{
    @Option(names = "--rate", paramLabel = "MSG/S", defaultValue = "" + BenchSettings.RATE_DEFAULT,
        description = "Messages per second offered (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Option(names = "--batch", paramLabel = "EVENTS", defaultValue = "" + BenchSettings.BATCH_DEFAULT,
        description = "Transfers per message, 1..1024 (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "" + BenchSettings.WARMUP_SECONDS_DEFAULT,
        description = "Warm-up, answered but not recorded (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "" + BenchSettings.DURATION_SECONDS_DEFAULT,
        description = "Measurement (default: ${DEFAULT-VALUE}).")
    private int duration;

    @Option(names = "--snapshot-every", paramLabel = "RECORDS", defaultValue = "0",
        description = "Snapshot interval of the service started here, as serve's --snapshot-every (serve's default " +
            "is 100000); 0 for none (default: ${DEFAULT-VALUE}).")
    private long snapshotEvery;

    @Option(names = "--hot-transfers", paramLabel = "N", defaultValue = "0",
        description = "Hot window of the service started here, older transfers going to its cold tier (serve's " +
            "default is 4194304); 0 to keep every transfer of the run in memory (default: ${DEFAULT-VALUE}).")
    private int hotTransfers;

    @Option(names = "--history", paramLabel = "TRANSFERS", defaultValue = "0",
        description = "Transfers sent to the service started here as fast as it answers, before the warm-up, so the " +
            "ledger has that much history when measured (default: ${DEFAULT-VALUE}).")
    private long history;

    @Mixin
    private CommonBenchOptions common;

    /**
     * Run the benchmark.
     *
     * @return the exit status.
     * @throws Exception if interrupted or the files cannot be written.
     */
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final String refusal = common.refuseOptions();
        if (null != refusal)
        {
            err.println("paycore bench latency: " + refusal);
            return 2;
        }
        final BenchSettings settings;
        try
        {
            settings = common.settings()
                .ratePerSecond(rate)
                .batch(batch)
                .warmupSeconds(warmup)
                .durationSeconds(duration)
                .snapshotEveryRecords(snapshotEvery)
                .hotTransfers(hotTransfers)
                .historyTransfers(history)
                .validate();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore bench latency: " + ex.getMessage());
            return 2;
        }

        if (common.cluster && (history > 0 || hotTransfers > 0 || snapshotEvery > 0 || common.connect))
        {
            err.println("paycore bench latency: --cluster takes none of --history, --hot-transfers, " +
                "--snapshot-every, --connect");
            return 2;
        }
        common.printPinningWarnings(settings, "paycore bench latency", out);
        final LatencyReport report = LatencyBenchmark.run(settings, common.launcher(), out);
        report.print(out);
        if (null != settings.outDirectory())
        {
            for (final Path file : report.write(settings.outDirectory()))
            {
                out.println("wrote " + file);
            }
        }
        return report.warnings().isEmpty() && report.isTargetMet() ? 0 : 1;
    }
}
