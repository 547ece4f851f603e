package io.paycore.perf.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code paycore bench}: the parent of the benchmark commands; on its own it prints its usage.
 */
@Command(
    name = "bench",
    header = "Measure latency against a raw Aeron echo, or the highest sustained rate.",
    mixinStandardHelpOptions = true,
    description = "Measure paycore end to end over Aeron: 'latency' at a fixed rate against a raw Aeron echo " +
        "baseline, 'throughput' for the highest rate that holds. Run one benchmark at a time on a quiet machine.",
    subcommands = { BenchLatencyCommand.class, BenchThroughputCommand.class, BenchSoakCommand.class,
        BenchFeedLagCommand.class, BenchFeedAmqpCommand.class, BenchQueryCommand.class,
        BenchClusterSnapshotCommand.class })
public final class BenchCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    /**
     * With no sub-command, fail with the usage.
     */
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required");
    }
}
