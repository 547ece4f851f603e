package io.paycore.service.demo;

import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.DataDirectoryLock;
import io.paycore.replay.ScratchDirectory;
import io.paycore.replay.Recovery;
import io.paycore.replay.RecoveryReport;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LocalChannelOption;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.TransportContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code paycore demo}: the service and a client in one process, talking over Aeron. Creates accounts, sends a
 * realistic mix of transfers, shuts the service down, recovers a fresh ledger from the same data directory and
 * compares the two by digest.
 */
@Command(
    name = "demo",
    header = "Run service and client in one process over Aeron, then recover and compare digests.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Start the service and a client in one process over Aeron, create accounts, send transfers",
        "(single-phase, pending+post, pending+void, some invalid), shut down, recover a fresh service from the",
        "same data directory and compare. Exit status 0 only when both digests are equal.",
        "",
        "Prints a summary, then exactly: 'throughput: <n> transfers/s', 'digest: <hex>', 'recovered digest: <hex>'.",
        "",
        "The throughput includes the JIT's warm-up: on two cores the compiler takes most of one core for the",
        "first second or so. --warmup N first runs N transfers through a scratch service (a temporary directory,",
        "deleted) in the same JVM, so that the measured run sees compiled code; its answers stay the same."
    })
public final class DemoCommand implements Callable<Integer>
{
    private static final long DEMO_COLD_TIER_SIZE = 64L << 30;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "10000",
        description = "Accounts to create (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--transfers", paramLabel = "M", defaultValue = "1000000",
        description = "Transfer events to send; a capture or a void counts as one (default: ${DEFAULT-VALUE}).")
    private long transfers;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "100",
        description = "Events per message, 1..1024 (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--window", paramLabel = "W", defaultValue = "64",
        description = "Messages the client keeps in flight (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory (new or empty); default: a temporary directory, deleted afterwards.")
    private Path data;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "none", converter = FlushLevelConverter.class,
        description = "Journal flush level: none, batch or every (default: ${DEFAULT-VALUE}).")
    private FlushLevel flushLevel;

    @Mixin
    private LocalChannelOption channel;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DemoWorkload.SEED_DEFAULT,
        description = "Seed of the generated workload (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--hot-transfers", paramLabel = "N", defaultValue = "0",
        description = "Keep only the N most recent transfers in memory and evict older ones to the cold tier " +
            "(DIR/cold, LMDB) as the service does; 0 keeps every transfer in memory and runs no cold tier " +
            "(default: ${DEFAULT-VALUE}).")
    private int hotTransfers;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
        description = "Before the measured run, send N transfers (another seed, the same sizes and settings) " +
            "through a scratch service in a temporary directory that is then deleted, so that the JIT has " +
            "compiled the paths the run takes; 0 = none, the run starts cold (default: ${DEFAULT-VALUE}).")
    private long warmupTransfers;

    @Option(names = "--cluster",
        description = "Run the transfer mix on a 3-member cluster of 'paycore node' processes on this machine " +
            "instead (up to --window requests in flight), kill the leader with SIGKILL during the run (see " +
            "--kills), and print the failover time and every member's digest; exit 0 only when every " +
            "acknowledged transfer is found and the digests are equal.")
    private boolean cluster;

    @Option(names = "--kills", paramLabel = "K", defaultValue = "1",
        description = "With --cluster: how many times to kill the leader, spread over the run; each killed member " +
            "is restarted and catches up (default: ${DEFAULT-VALUE}).")
    private int kills;

    @Option(names = "--cluster-base-port", paramLabel = "PORT", defaultValue = "20000",
        description = "With --cluster: the first member's base port; the others use +10 and +20, and each takes " +
            "five ports from its base, +1 to +5 (default: ${DEFAULT-VALUE}).")
    private int clusterBasePort;

    @Option(names = "--verbose", description = "Also print the service's own start and stop lines.")
    private boolean verbose;

    private final PrintStream out = System.out;

    /**
     * Run the demo.
     *
     * @return 0 when the recovered digest equals the live one, 1 when not, 2 on bad arguments.
     * @throws Exception on an I/O failure.
     */
    public Integer call() throws Exception
    {
        final String badOption = badOption();
        if (null != badOption)
        {
            System.err.println("paycore demo: " + badOption);
            return 2;
        }
        final DemoWorkload workload = new DemoWorkload(accounts, transfers, batch, seed);
        if (window < 1 || window > 4096)
        {
            System.err.println("paycore demo: --window must be 1..4096: " + window);
            return 2;
        }
        if (warmupTransfers < 0)
        {
            System.err.println("paycore demo: --warmup must not be negative: " + warmupTransfers);
            return 2;
        }
        if (cluster && warmupTransfers > 0)
        {
            System.err.println("paycore demo: --warmup applies to the in-process demo, not to --cluster");
            return 2;
        }
        final String tooLarge = cluster ? clusterTooLarge() : tooLarge();
        if (null != tooLarge)
        {
            System.err.println("paycore demo: " + tooLarge);
            return 2;
        }
        final boolean udp = channel.isUdp();

        final boolean temporary = null == data;
        final ScratchDirectory scratch = temporary ? ScratchDirectory.create("paycore-demo-") : null;
        final Path dataDir = temporary ? scratch.path() : data;
        if (!temporary && Files.isDirectory(dataDir))
        {
            try (var entries = Files.list(dataDir))
            {
                if (entries.findAny().isPresent())
                {
                    System.err.println("paycore demo: " + dataDir + " is not empty; give a new or empty --data DIR");
                    return 2;
                }
            }
        }
        else if (!temporary)
        {
            try
            {
                Files.createDirectories(dataDir);
            }
            catch (final IOException ex)
            {
                System.err.println("paycore demo: cannot create the data directory " + dataDir + ": " + ex);
                return 2;
            }
        }

        try
        {
            if (cluster)
            {
                if (kills < 0)
                {
                    System.err.println("paycore demo: --kills must not be negative: " + kills);
                    return 2;
                }
                final ClusterDemo clusterDemo = new ClusterDemo(out, workload, transfers,
                    limitsFor(accounts, transfers, batch), flushLevel, clusterBasePort, kills, window, dataDir);
                if (temporary)
                {
                    // The members write into the temporary directory: stopped before it is deleted, also when a
                    // signal ends the demo.
                    scratch.closeFirst(clusterDemo.cluster());
                }
                return clusterDemo.run();
            }
            if (warmupTransfers > 0)
            {
                warmUp(udp);
            }
            return run(workload, flushLevel, udp, dataDir, scratch);
        }
        finally
        {
            if (temporary)
            {
                scratch.close();
            }
        }
    }

    private int run(
        final DemoWorkload workload,
        final FlushLevel flushLevel,
        final boolean udp,
        final Path dataDir,
        final ScratchDirectory scratch) throws Exception
    {
        final boolean temporary = null != scratch;
        final WorkloadRun.Answers tally = new WorkloadRun.Answers();
        final long startNanos = System.nanoTime();
        final Path clientsFile = dataDir.resolve("clients");
        final String secret = WorkloadRun.writeClientsFile(clientsFile);
        final WorkloadRun.Result session = WorkloadRun.run(
            serviceContext(dataDir, clientsFile, ingressChannel(udp),
                verbose ? out : new PrintStream(OutputStream.nullOutputStream())),
            secret, responseChannel(udp), workload, window, tally, scratch);
        final long transferNanos = session.transferNanos;
        final String digest = session.digest;
        final long coldRecords = session.coldRecords;
        final long totalNanos = System.nanoTime() - startNanos;

        final long recoverStartNanos = System.nanoTime();
        final String recoveredDigest;
        final RecoveryReport report;
        final int recoveredAccounts;
        final long recoveredTransfers;
        // As serve recovers: the service's limits, and with --hot-transfers its cold tier, so that the ledger
        // recovered is the size of the one that ran (every transfer in memory would not fit where the run did).
        final ServiceContext recoveryContext = serviceContext(dataDir, clientsFile, ingressChannel(udp),
            new PrintStream(OutputStream.nullOutputStream()));
        try (AsyncLmdbColdTier cold = PaycoreService.openColdTier(recoveryContext);
            Recovery recovery = Recovery.open(DataDirectoryLock.acquire(new DataDirectory(dataDir)),
                recoveryContext.ledgerLimits(), recoveryContext.journalContext(), true, cold))
        {
            if (temporary)
            {
                scratch.closeFirst(recovery);
                if (null != cold)
                {
                    scratch.closeFirst(cold);
                }
            }
            recoveredDigest = recovery.ledger().digestHex();
            recoveredAccounts = recovery.ledger().accountCount();
            recoveredTransfers = recovery.ledger().transferCount();
            report = recovery.report();
        }
        final long recoverNanos = System.nanoTime() - recoverStartNanos;

        out.printf(Locale.ROOT, "paycore demo: service and client in one process over Aeron %s%n", channel.label());
        out.printf(Locale.ROOT, "  data directory     %s%s%n", dataDir, temporary ? " (temporary, deleted)" : "");
        out.printf(Locale.ROOT, "  journal            %,d records, flush %s%n",
            report.lastSequence(), flushLevel.name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "  accounts           %,d created of %,d sent%n",
            tally.accountResults[CreateAccountResult.OK.value()], tally.accountEvents);
        out.printf(Locale.ROOT, "  transfers          %,d sent in messages of %d, %d in flight at most%n",
            tally.transferEvents, batch, window);
        for (final CreateTransferResult result : CreateTransferResult.values())
        {
            if (CreateTransferResult.NULL_VAL != result && tally.transferResults[result.value()] > 0)
            {
                out.printf(Locale.ROOT, "    %-44s %,12d%n", result.name(), tally.transferResults[result.value()]);
            }
        }
        if (tally.rejected > 0)
        {
            out.printf(Locale.ROOT, "    %-44s %,12d%n", "messages rejected", tally.rejected);
        }
        out.printf(Locale.ROOT, "  ledger             %,d accounts, %,d transfers%n",
            recoveredAccounts, recoveredTransfers);
        if (hotTransfers > 0)
        {
            out.printf(Locale.ROOT, "  hot window         %,d transfers in memory; %,d records written to the cold tier%n",
                hotTransfers, coldRecords);
        }
        out.printf(Locale.ROOT, "  time               %.3f s in all, %.3f s for the transfers%n",
            totalNanos / 1e9, transferNanos / 1e9);
        out.printf(Locale.ROOT, "  recovery           %.3f s: %,d records replayed into a fresh ledger%s%s%n",
            recoverNanos / 1e9,
            report.recordsReplayed(),
            null == report.snapshotFile() ? " (no snapshot)" : " after snapshot @" + report.snapshotSequence(),
            report.hasTornTail() ? ", torn tail truncated" : "");
        out.println("throughput: " + (long)(tally.transferEvents * 1e9 / Math.max(1, transferNanos)) + " transfers/s");
        out.println("digest: " + digest);
        out.println("recovered digest: " + recoveredDigest);

        if (tally.transferEvents != transfers)
        {
            System.err.println("paycore demo: only " + tally.transferEvents + " of " + transfers +
                " transfers were answered");
            return 1;
        }
        if (!digest.equals(recoveredDigest))
        {
            System.err.println("paycore demo: the recovered ledger differs from the live one");
            return 1;
        }
        return 0;
    }

    /**
     * The warm-up: the same sizes and settings as the measured run, another seed, a scratch directory deleted
     * afterwards, no recovery. What it leaves behind is compiled code.
     */
    private void warmUp(final boolean udp) throws Exception
    {
        out.println(WorkloadRun.warmUp(warmupTransfers, accounts, batch, window, seed + 1,
            (scratch, clientsFile) -> serviceContext(scratch, clientsFile, ingressChannel(udp), new PrintStream(
                OutputStream.nullOutputStream())), responseChannel(udp)));
    }

    private static String ingressChannel(final boolean udp)
    {
        return udp ? "aeron:udp?endpoint=localhost:40123" : "aeron:ipc";
    }

    private static String responseChannel(final boolean udp)
    {
        return udp ? "aeron:udp?endpoint=localhost:40124" : "aeron:ipc";
    }

    /**
     * @return what is wrong with the workload's options, or null.
     */
    private String badOption()
    {
        if (accounts < 2)
        {
            return "--accounts must be at least 2: " + accounts;
        }
        if (accounts > LedgerLimits.MAX_RECORDS_BOUND)
        {
            return "--accounts must be at most " + LedgerLimits.MAX_RECORDS_BOUND + ", the ledger's most: " + accounts;
        }
        if (transfers < 0)
        {
            return "--transfers must not be negative: " + transfers;
        }
        if (batch < 1 || batch > ProtocolLimits.MAX_BATCH_EVENTS)
        {
            return "--batch must be 1.." + ProtocolLimits.MAX_BATCH_EVENTS + ": " + batch;
        }
        if (hotTransfers < 0)
        {
            return "--hot-transfers must not be negative: " + hotTransfers;
        }
        if (hotTransfers > LedgerLimits.MAX_RECORDS_BOUND)
        {
            return "--hot-transfers must be at most " + LedgerLimits.MAX_RECORDS_BOUND + ", the ledger's most: " +
                hotTransfers;
        }
        // Member i takes base + 10 i and the five ports above it.
        final int lastBasePort = 65_535 - 5 - 10 * (ClusterDemo.MEMBERS - 1);
        if (cluster && (clusterBasePort < 1 || clusterBasePort > lastBasePort))
        {
            return "--cluster-base-port must be 1.." + lastBasePort + " (the members use it, +10 and +20, and five " +
                "ports above each): " + clusterBasePort;
        }
        return null;
    }

    /**
     * @return why the in-process demo's ledger cannot fit this JVM's heap, or null when it can.
     */
    private String tooLarge()
    {
        final LedgerLimits limits = serviceLimits();
        final long heapBytes = serviceContext(Path.of("sizing-only"), Path.of("sizing-only"), ingressChannel(false),
            out).ledgerHeapBytes();
        final long maxHeapBytes = LedgerLimits.longLivedHeapBytes();
        if (heapBytes <= maxHeapBytes)
        {
            return null;
        }
        final boolean copy = heapBytes > limits.heapBytesEstimate(0 != hotTransfers);
        return String.format(Locale.ROOT, "the service's ledger (%,d accounts, %,d transfers in memory)%s need%s " +
            "about %,d MiB of heap, more than %s: %s, or give the JVM more heap " +
            "(PAYCORE_JAVA_OPTS='-Xmx...')", limits.maxAccounts(), limits.maxTransfers(),
            copy ? " and the snapshotter's copy of it" : "", copy ? "" : "s", heapBytes >> 20,
            LedgerLimits.heapDescription(maxHeapBytes),
            0 == hotTransfers ?
            "keep only the newest transfers in memory with --hot-transfers N (the older ones go to the cold tier " +
            "on disk; 1000000 is plenty), send fewer with --transfers" : "lower --hot-transfers or --accounts");
    }

    /**
     * @return why the three members of {@code --cluster}, each keeping every transfer in memory, cannot fit this
     * machine's memory, or null when they can.
     */
    private String clusterTooLarge()
    {
        final LedgerLimits limits = limitsFor(accounts, transfers, batch);
        final long memberBytes = limits.heapBytesEstimate(true);
        final long machineBytes =
            ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
        if (ClusterDemo.MEMBERS * memberBytes <= machineBytes)
        {
            return null;
        }
        return String.format(Locale.ROOT, "--cluster keeps every transfer in memory on each of its %d members: " +
            "%,d transfers take about %,d MiB of heap a member, %,d MiB for the %d, more than this machine's %,d MiB " +
            "of memory: send fewer with --transfers", ClusterDemo.MEMBERS, limits.maxTransfers(), memberBytes >> 20,
            (ClusterDemo.MEMBERS * memberBytes) >> 20, ClusterDemo.MEMBERS, machineBytes >> 20);
    }

    private LedgerLimits serviceLimits()
    {
        final LedgerLimits limits = limitsFor(accounts, transfers, batch);
        return 0 == hotTransfers ? limits : new LedgerLimits()
            .maxAccounts(limits.maxAccounts())
            .maxTransfers(hotTransfers)
            .maxPendingTransfers(limits.maxPendingTransfers())
            .maxBatchEvents(limits.maxBatchEvents())
            .validate();
    }

    private ServiceContext serviceContext(
        final Path dataDir, final Path clientsFile, final String ingressChannel, final PrintStream serviceOut)
    {
        return new ServiceContext()
            .dataDirectory(new DataDirectory(dataDir))
            .ledgerLimits(serviceLimits())
            .coldTierSizeBytes(0 == hotTransfers ? 0 : DEMO_COLD_TIER_SIZE)
            .journalContext(journalContext(flushLevel, batch))
            .transportContext(new TransportContext()
                .ingressChannel(ingressChannel)
                .clientsFile(clientsFile)
                .profile(ThreadingProfile.SHARED))
            .snapshotOnShutdown(false)
            .out(serviceOut);
    }

    private static LedgerLimits limitsFor(final int accounts, final long transfers, final int batch)
    {
        final long transferCapacity = Math.min(LedgerLimits.MAX_RECORDS_BOUND, Math.max(1024, transfers + batch));
        return new LedgerLimits()
            .maxAccounts(Math.max(1024, accounts))
            .maxTransfers((int)transferCapacity)
            .maxPendingTransfers((int)Math.min(transferCapacity, 1 << 20))
            .maxBatchEvents(Math.max(batch, 1))
            .validate();
    }

    private static JournalContext journalContext(final FlushLevel flushLevel, final int batch)
    {
        return new JournalContext()
            .flushLevel(flushLevel)
            .maxRecordLength(Math.max(JournalContext.MAX_RECORD_LENGTH_DEFAULT,
                ProtocolLimits.maxMessageLength(batch)));
    }
}
