package io.paycore.perf.bench;

import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.ThroughputSearch;
import org.agrona.SystemUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code paycore bench throughput}: the highest rate paycore sustains, for single transfers and for batches.
 */
@Command(
    name = "throughput",
    header = "Step the offered rate up to find the highest that holds.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Find the highest sustained rate: for each batch size, offer a rate (open loop, as bench latency does) " +
            "against a freshly started service, doubling it until a step falls short (achieved below 99%% of " +
            "offered, a message lost or rejected, a transfer answered with an error, or p99 above --p99-limit), " +
            "then bisect " +
            ThroughputSearch.BISECTIONS + " times between the last rate that held and the first that did not.",
        "",
        "Reports the last rate that held, in messages and transfers per second. A step the service refuses to " +
            "start for (a ledger for all of its transfers larger than the heap: set --hot-transfers, or give the " +
            "JVM more heap) is not run, and the search goes on below it. With --out DIR writes throughput.json. " +
            "Exit status 0 when some rate held for every batch size, 1 otherwise, 2 on bad options."
    })
public final class BenchThroughputCommand implements Callable<Integer>
{
    @Option(names = "--batches", paramLabel = "B,B...", defaultValue = "1,100", split = ",",
        description = "Batch sizes to search, transfers per message (default: ${DEFAULT-VALUE}).")
    private int[] batches;

    @Option(names = "--start-rate", paramLabel = "TRANSFERS/S", defaultValue = "20000",
        description = "First offered rate in transfers per second, divided by the batch size for messages " +
            "(default: ${DEFAULT-VALUE}).")
    private long startRate;

    @Option(names = "--p99-limit", paramLabel = "DURATION", defaultValue = "5ms",
        description = "A step whose p99 latency is above this fails (default: ${DEFAULT-VALUE}).")
    private String p99Limit;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
        description = "Warm-up of each step (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "5",
        description = "Measurement of each step (default: ${DEFAULT-VALUE}).")
    private int duration;

    @Option(names = "--hot-transfers", paramLabel = "N", defaultValue = "0",
        description = "Hot window of the services started here, older transfers going to a cold tier (serve's " +
            "default is 4194304); 0 to keep every transfer of a step in memory (default: ${DEFAULT-VALUE}).")
    private int hotTransfers;

    @Mixin
    private CommonBenchOptions common;

    /**
     * Run the search.
     *
     * @return 0 when some rate held for every batch size, 1 otherwise, 2 on bad options.
     * @throws Exception if interrupted or the file cannot be written.
     */
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final String refusal = common.refuseOptions();
        if (null != refusal)
        {
            err.println("paycore bench throughput: " + refusal);
            return 2;
        }
        final BenchSettings settings;
        final long p99LimitNanos;
        try
        {
            p99LimitNanos = SystemUtil.parseDuration("--p99-limit", p99Limit);
            for (final int batch : batches)
            {
                if (batch < 1 || batch > 1024)
                {
                    throw new IllegalArgumentException("--batches must be 1..1024: " + batch);
                }
            }
            if (startRate < 1)
            {
                throw new IllegalArgumentException("--start-rate must be positive: " + startRate);
            }
            settings = common.settings().warmupSeconds(warmup).durationSeconds(duration).hotTransfers(hotTransfers)
                .validate();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore bench throughput: " + ex.getMessage());
            return 2;
        }

        if (common.cluster && common.connect)
        {
            err.println("paycore bench throughput: --cluster and --connect exclude each other");
            return 2;
        }
        if (hotTransfers > 0 && (common.cluster || common.connect))
        {
            err.println("paycore bench throughput: --hot-transfers applies to the service started here only");
            return 2;
        }
        common.printPinningWarnings(settings, "paycore bench throughput", out);
        final List<ThroughputSearch.Step> steps = ThroughputSearch.run(
            settings, common.launcher(), batches, startRate, p99LimitNanos, out);
        if (null != settings.outDirectory())
        {
            ThroughputSearch.writeJson(settings.outDirectory().resolve("throughput.json"), steps);
            out.println("wrote " + settings.outDirectory().resolve("throughput.json"));
        }
        for (final int batch : batches)
        {
            if (steps.stream().noneMatch((step) -> step.batch() == batch && step.held()))
            {
                return 1;
            }
        }
        return 0;
    }
}
