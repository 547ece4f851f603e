package io.paycore.perf.harness;

import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ThreadPinning;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore bench latency}: drives paycore at a fixed rate, open loop, and then a raw Aeron echo (the baseline)
 * with the same message length, channel, rate, idle strategies and cores, and reports both latency distributions
 * side by side.
 * <ol>
 *     <li>start the service (or connect to a running one), pin its threads as the {@link CpuPlan} says, connect a
 *     client and create the accounts;</li>
 *     <li>run the {@link LoadGenerator}: warm-up, measurement, drain;</li>
 *     <li>stop the service; start an {@link EchoService} the way the service's transport is set up for the same
 *     profile (or on the running service's own media driver with {@code --connect}), pin it, and run the same
 *     load against it;</li>
 *     <li>return a {@link LatencyReport}.</li>
 * </ol>
 * The two run one after the other, never at once, so they do not compete for the cores.
 */
public final class LatencyBenchmark
{
    private LatencyBenchmark()
    {
    }

    /**
     * Run the benchmark.
     *
     * @param settings the run's settings; validated here.
     * @param launcher starts the service when the settings do not say {@code --connect}.
     * @param out      where progress goes when the settings ask for it.
     * @return the report.
     * @throws InterruptedException if interrupted while waiting for the load generator.
     */
    public static LatencyReport run(final BenchSettings settings, final ServiceLauncher launcher, final PrintStream out)
        throws InterruptedException
    {
        settings.validate();
        final MachineInfo machineBefore = MachineInfo.now();
        final ThreadPinning pinner = new ThreadPinning(settings.cpuPlan(), null);
        final PrintStream progress = settings.progress() ? out : null;
        final long warmupNanos = TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
        final long measureNanos = TimeUnit.SECONDS.toNanos(settings.durationSeconds());
        final long drainNanos = TimeUnit.SECONDS.toNanos(settings.drainSeconds());

        final PhaseResult paycore;
        final String serviceDescription;
        pinner.label("paycore");
        try (ServiceUnderTest service = settings.connect() ? new ConnectedService(settings) :
            launcher.launch(settings, pinner))
        {
            serviceDescription = service.describe();
            try (PaycoreLoadTarget target = PaycoreLoadTarget.connect(
                service.clientContext(), settings.batch(), settings.accounts(), settings.seed()))
            {
                collectGarbage();
                final LoadGenerator generator = new LoadGenerator(
                    target, () -> pinner.pinCurrentThread(CpuPlan.Role.LOADGEN));
                paycore = generator.run(
                    settings.ratePerSecond(), settings.batch(), warmupNanos, measureNanos, drainNanos, progress);
            }
        }

        final PhaseResult baseline;
        pinner.label("baseline");
        try (EchoService echo = EchoService.launch(
            settings.channels(), settings.profile(), settings.connect() ? settings.aeronDirectory() : null, pinner))
        {
            try (EchoLoadTarget target = EchoLoadTarget.connect(
                echo, settings.channels(), paycore.messageLengthBytes()))
            {
                collectGarbage();
                final LoadGenerator generator = new LoadGenerator(
                    target, () -> pinner.pinCurrentThread(CpuPlan.Role.LOADGEN));
                baseline = generator.run(
                    settings.ratePerSecond(), settings.batch(), warmupNanos, measureNanos, drainNanos, progress);
            }
        }

        return new LatencyReport(
            settings, paycore, baseline, machineBefore.withLoadAfter(), pinner.lines(), serviceDescription);
    }

    /**
     * Start each phase with a clean heap, so that garbage left by set-up (or by the paycore phase, for the
     * baseline) is not collected in the middle of a measurement.
     */
    private static void collectGarbage()
    {
        System.gc();
    }
}
