package io.paycore.perf.bench;

import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.perf.harness.BenchChannels;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.ServiceLauncher;
import io.paycore.service.pinning.AllowedCpus;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LocalChannelOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options {@code bench latency} and {@code bench throughput} share: where the service is and how it runs.
 */
public final class CommonBenchOptions
{
    @Mixin
    LocalChannelOption channel;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "none", converter = FlushLevelConverter.class,
        description = "Journal flush level of the service started here: none, batch or every " +
            "(default: ${DEFAULT-VALUE}).")
    FlushLevel flush;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "shared",
        description = "Threading profile of the service and the baseline: shared, or dedicated (busy-spin, a core " +
            "per hot thread; the service refuses it on fewer than 6 cores) (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = { "--idle-strategy", "--wait-strategy" }, paramLabel = "NAME", defaultValue = "profile",
        description = "Stage threads' idle strategy of the service started here: backoff, yielding or busy-spin; " +
            "'profile' picks backoff for shared and busy-spin for dedicated. --wait-strategy is its former name " +
            "(default: ${DEFAULT-VALUE}).")
    String idleStrategy;

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "profile",
        description = "Pipeline stage layout of the service started here: split (journaler and BLP threads), " +
            "combined (one stage thread), inline (the stages run on the transport's shared thread); 'profile' " +
            "picks inline for shared and split for dedicated (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--cpus", paramLabel = "ROLE=CPU,...",
        description = "Pin threads to cores (OpenHFT affinity) and print what each got; roles loadgen, ingress " +
            "(also the baseline's echo), egress, journaler, blp, driver; a role's several threads " +
            "(the dedicated driver's three) take the cores joined by + in turn; for example " +
            "loadgen=0,driver=0,ingress=1,journaler=1,blp=1 (default: no pinning).")
    String cpus;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "" + BenchSettings.ACCOUNTS_DEFAULT,
        description = "Accounts the transfers move money between (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Write result files here, creating it (default: none).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Parent of the service's temporary data directory (default: the system temporary " +
            "directory). Each start uses a fresh directory, deleted afterwards.")
    Path data;

    @Option(names = "--cluster",
        description = "Drive a three-member cluster of 'paycore node' processes on this machine instead of the " +
            "in-process service (UDP on loopback, a fresh cluster per start; its members take the cores, so no " +
            "pinning).")
    boolean cluster;

    @Option(names = "--cluster-base-port", paramLabel = "PORT", defaultValue = "20900",
        description = "With --cluster: the first member's base port; the others use +10 and +20 " +
            "(default: ${DEFAULT-VALUE}).")
    int clusterBasePort;

    @Option(names = "--member-warmup", paramLabel = "N", defaultValue = "0",
        description = "With --cluster: start each member with 'paycore node --warmup N', N transfers through a " +
            "scratch cluster of itself before it joins (default: ${DEFAULT-VALUE}, none).")
    long memberWarmupTransfers;

    @Option(names = "--connect",
        description = "Target a running service instead of starting one; needs --aeron-dir, --client-id, " +
            "--secret (and --ingress-channel unless it listens on --channel's default).")
    boolean connect;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "With --connect: the service's Aeron directory (its ready line prints it).")
    String aeronDir;

    @Option(names = "--ingress-channel", paramLabel = "CHANNEL",
        description = "With --connect: the service's ingress channel (default: aeron:ipc for --channel ipc, " +
            "aeron:udp?endpoint=localhost:40123 for udp).")
    String ingressChannel;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = "0",
        description = "With --connect: a client id from the service's credentials file.")
    long clientId;

    @Option(names = "--secret", paramLabel = "SECRET",
        description = "With --connect: that client's secret.")
    String secret;

    @Option(names = "--verbose", description = "Also print the service's own start and stop lines.")
    boolean verbose;

    /**
     * @return settings with these options applied; rate, batch, warm-up and duration are the caller's.
     * @throws IllegalArgumentException naming an option that is wrong.
     */
    BenchSettings settings()
    {
        return new BenchSettings()
            .channels(BenchChannels.parse(channel.label()))
            .flushLevel(flush)
            .profile(ThreadingProfile.parse(profile))
            .cpuPlan(CpuPlan.parse(cpus, AllowedCpus.ofThisProcess()))
            .idleStrategy("profile".equals(idleStrategy) ? null : idleStrategy)
            .layout("profile".equals(layout) ? null : StageLayout.parse(layout))
            .accounts(accounts)
            .outDirectory(out)
            .connect(connect)
            .aeronDirectory(aeronDir)
            .connectChannel(ingressChannel)
            .clientId(clientId)
            .secret(secret)
            .progress(null != System.console());
    }

    /**
     * Say plainly, before starting anything, what of these options cannot work: {@code --member-warmup} without
     * {@code --cluster} or below 0, or the dedicated profile (a core for each hot thread) on a machine with too few.
     *
     * @return a message when they cannot, else null.
     */
    String refuseOptions()
    {
        final String memberWarmup = refuseMemberWarmup();
        if (null != memberWarmup)
        {
            return memberWarmup;
        }
        final ThreadingProfile threadingProfile = ThreadingProfile.parse(profile);
        final int cores = Runtime.getRuntime().availableProcessors();
        if (!connect && cores < threadingProfile.minCores())
        {
            return "the " + profile + " profile busy-spins one thread per core (driver, ingress, egress, journaler, " +
                "BLP) and needs at least " + threadingProfile.minCores() + " cores; this machine has " +
                cores + ", so the service refuses it. Use --profile shared here, or run on a machine with at least " +
                threadingProfile.minCores() + " cores, for example: bin/paycore bench latency --profile dedicated " +
                "--cpus loadgen=1,driver=2+3+4,ingress=5,egress=6,journaler=7,blp=8";
        }
        return null;
    }

    /**
     * @return what starts the service for each run: a local cluster with {@code --cluster}, else the in-process
     * service.
     */
    ServiceLauncher launcher()
    {
        return cluster ?
            new ClusterServiceLauncher(data, clusterBasePort, memberWarmupTransfers) :
            new InProcessServiceLauncher(data, verbose);
    }

    private String refuseMemberWarmup()
    {
        if (memberWarmupTransfers < 0)
        {
            return "--member-warmup must not be negative: " + memberWarmupTransfers;
        }
        if (memberWarmupTransfers > 0 && !cluster)
        {
            return "--member-warmup applies to --cluster's members only";
        }
        return null;
    }
}
