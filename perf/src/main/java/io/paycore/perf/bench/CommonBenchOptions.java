package io.paycore.perf.bench;

import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.perf.harness.BenchChannels;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.ServiceLauncher;
import io.paycore.service.pinning.AllowedCpus;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ServicePinning;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LocalChannelOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

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
            "per hot thread as 'serve --profile dedicated' gives them unless --cpus names a service role; refused " +
            "on fewer than 6 cores, and without --cpus on fewer than 8) (default: ${DEFAULT-VALUE}).")
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
            "loadgen=0,driver=0,ingress=1,journaler=1,blp=1. A plan that shares a busy-spinning thread's core is " +
            "warned about before the run. With --cluster only loadgen (default: none in shared; in dedicated the " +
            "service's default plan, serve's, which a --cpus naming only loadgen keeps).")
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
            "in-process service (UDP on loopback, a fresh cluster per start; its members take the cores, so none of " +
            "the service's threads is pinned, nor the baseline's: --cpus takes only loadgen).")
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
            .cpuPlan(connect || cluster ? CpuPlan.parse(cpus, AllowedCpus.ofThisProcess()) :
                plan(cpus, ThreadingProfile.parse(profile), AllowedCpus.ofThisProcess()))
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
     * The plan for a benchmark that starts the service here: {@code --cpus} as given when it names one of the
     * service's roles; otherwise the plan {@code serve} would pin the service's threads by (in the dedicated profile,
     * a core per hot thread), with the load generator where {@code --cpus} puts it, if it does.
     *
     * @param spec    {@code --cpus}, or null.
     * @param profile the threading profile.
     * @param allowed the cpus the process may run on.
     * @return the plan.
     * @throws IllegalArgumentException when the spec is wrong, or as {@link ServicePinning#plan} refuses the
     *                                  dedicated profile on too few cores.
     */
    static CpuPlan plan(final String spec, final ThreadingProfile profile, final BitSet allowed)
    {
        final CpuPlan given = CpuPlan.parse(spec, allowed);
        for (final CpuPlan.Role role : CpuPlan.Role.values())
        {
            if (CpuPlan.Role.LOADGEN != role && given.cpu(role) >= 0)
            {
                return given;
            }
        }
        final CpuPlan service = ServicePinning.plan(null, profile, allowed);
        if (given.isEmpty())
        {
            return service;
        }
        return service.isEmpty() ? given : CpuPlan.parse(given + "," + service, allowed);
    }

    /**
     * Print, before the run, what {@code serve} would warn of in the plan of the service started here (a
     * busy-spinning thread sharing a core, say): the service's own lines go where its output goes, which the
     * bench discards unless {@code --verbose}.
     *
     * @param settings the run's settings.
     * @param command  the command's name, put in front of each line.
     * @param out      where to print.
     */
    void printPinningWarnings(final BenchSettings settings, final String command, final PrintStream out)
    {
        if (connect || cluster || verbose)
        {
            return;
        }
        final List<String> warnings = ServicePinning.warnings(settings.cpuPlan(), settings.profile(),
            settings.layout(), settings.idleStrategy(), true, AllowedCpus.ofThisProcess());
        for (final String warning : warnings)
        {
            out.println(command + ": warning: " + warning);
        }
    }

    /**
     * Say plainly, before starting anything, what of these options cannot work: {@code --member-warmup} without
     * {@code --cluster} or below 0, {@code --cpus} naming a service role with {@code --cluster}, or the dedicated
     * profile (a core for each hot thread) on a machine with too few.
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
        final String clusterCpus = refuseClusterCpus();
        if (null != clusterCpus)
        {
            return clusterCpus;
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

    private String refuseClusterCpus()
    {
        if (!cluster || null == cpus)
        {
            return null;
        }
        final CpuPlan plan;
        try
        {
            plan = CpuPlan.parse(cpus, AllowedCpus.ofThisProcess());
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        final StringBuilder serviceRoles = new StringBuilder();
        for (final CpuPlan.Role role : CpuPlan.Role.values())
        {
            if (CpuPlan.Role.LOADGEN != role && plan.cpu(role) >= 0)
            {
                serviceRoles.append(serviceRoles.length() == 0 ? "" : ",").append(plan.spec(role));
            }
        }
        return serviceRoles.length() == 0 ? null : "--cluster runs the service in 'paycore node' processes, which " +
            "the bench does not pin (nor the baseline, so that both are measured alike): --cpus takes only loadgen " +
            "with --cluster, not " + serviceRoles;
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
