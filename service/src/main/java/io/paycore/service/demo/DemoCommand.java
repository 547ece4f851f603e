package io.paycore.service.demo;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.Recovery;
import io.paycore.replay.RecoveryReport;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LocalChannelOption;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import io.aeron.Publication;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

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
    description = {
        "Start the service and a client in one process over Aeron, create accounts, send transfers",
        "(single-phase, pending+post, pending+void, some invalid), shut down, recover a fresh service from the",
        "same data directory and compare. Exit status 0 only when both digests are equal.",
        "",
        "Prints a summary, then exactly: 'throughput: <n> transfers/s', 'digest: <hex>', 'recovered digest: <hex>'.",
        "",
        "The throughput includes the JIT's warm-up: on two cores the compiler takes most of one core for the",
        "first second or so. --warmup N first runs N transfers through a scratch service (a temporary directory,",
        "deleted) in the same JVM, so that the measured run sees compiled code; its results do not change."
    })
public final class DemoCommand implements Callable<Integer>
{
    private static final long CLIENT_ID = 1;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long DEMO_COLD_TIER_SIZE = 64L << 30;
    private static final long COMPILER_POLL_MS = 50;
    private static final long QUIET_COMPILER_MS = 250;
    private static final long MAX_COMPILER_WAIT_MS = 10_000;

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
            "instead (one batch at a time), kill the leader with SIGKILL during the run (see --kills), and print " +
            "the failover time and every member's digest; exit 0 only when every acknowledged transfer is found " +
            "and the digests are equal.")
    private boolean cluster;

    @Option(names = "--kills", paramLabel = "K", defaultValue = "1",
        description = "With --cluster: how many times to kill the leader, spread over the run; each killed member " +
            "is restarted and catches up (default: ${DEFAULT-VALUE}).")
    private int kills;

    @Option(names = "--cluster-base-port", paramLabel = "PORT", defaultValue = "20000",
        description = "With --cluster: the first member's base port; the others use +10 and +20, and each takes " +
            "six ports from its base (default: ${DEFAULT-VALUE}).")
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
        final boolean udp = channel.isUdp();

        final boolean temporary = null == data;
        final Path dataDir = temporary ? Files.createTempDirectory("paycore-demo-") : data;
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

        try
        {
            if (cluster)
            {
                if (kills < 0)
                {
                    System.err.println("paycore demo: --kills must not be negative: " + kills);
                    return 2;
                }
                return new ClusterDemo(out, workload, transfers, limitsFor(accounts, transfers, batch), flushLevel,
                    clusterBasePort, kills, window, dataDir).run();
            }
            if (warmupTransfers > 0)
            {
                warmUp(udp);
            }
            return run(workload, flushLevel, udp, dataDir, temporary);
        }
        finally
        {
            if (temporary)
            {
                IoUtil.delete(dataDir.toFile(), true);
            }
        }
    }

    private int run(
        final DemoWorkload workload,
        final FlushLevel flushLevel,
        final boolean udp,
        final Path dataDir,
        final boolean temporary) throws Exception
    {
        final LedgerLimits limits = limitsFor(accounts, transfers, batch);
        final Tally tally = new Tally();
        final long startNanos = System.nanoTime();
        final Session session = session(workload, limits, flushLevel, udp, dataDir, tally, verbose);
        final long transferNanos = session.transferNanos;
        final String digest = session.digest;
        final long coldRecords = session.coldRecords;
        final long totalNanos = System.nanoTime() - startNanos;

        final long recoverStartNanos = System.nanoTime();
        final String recoveredDigest;
        final RecoveryReport report;
        final int recoveredAccounts;
        final long recoveredTransfers;
        try (Recovery recovery = Recovery.open(new DataDirectory(dataDir), limits, journalContext(flushLevel, batch)))
        {
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
        final Path scratch = Files.createTempDirectory("paycore-demo-warmup-");
        try
        {
            final Tally tally = new Tally();
            final Session session = session(
                new DemoWorkload(accounts, warmupTransfers, batch, seed + 1), limitsFor(accounts, transfers, batch),
                flushLevel, udp, scratch, tally, false);
            if (tally.transferEvents != warmupTransfers)
            {
                throw new PaycoreClientException("warm-up: only " + tally.transferEvents + " of " +
                    warmupTransfers + " transfers were answered");
            }
            final long quietMs = awaitQuietCompiler();
            out.printf(Locale.ROOT, "warm-up: %,d transfers through a scratch service in %.3f s (%d transfers/s), " +
                "then %d ms until the JIT was quiet%n",
                warmupTransfers, session.transferNanos / 1e9,
                (long)(tally.transferEvents * 1e9 / Math.max(1, session.transferNanos)), quietMs);
        }
        finally
        {
            IoUtil.delete(scratch.toFile(), true);
        }
    }

    /**
     * Wait until the JIT's compilers have not worked for {@value #QUIET_COMPILER_MS} ms (its queue is drained),
     * at most {@value #MAX_COMPILER_WAIT_MS} ms; right away when the JVM does not report compilation time.
     *
     * @return the milliseconds waited.
     */
    private static long awaitQuietCompiler() throws InterruptedException
    {
        final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        final long startMs = System.currentTimeMillis();
        if (null == compiler || !compiler.isCompilationTimeMonitoringSupported())
        {
            return 0;
        }
        long lastTotalMs = compiler.getTotalCompilationTime();
        long quietSinceMs = startMs;
        while (true)
        {
            Thread.sleep(COMPILER_POLL_MS);
            final long nowMs = System.currentTimeMillis();
            final long totalMs = compiler.getTotalCompilationTime();
            if (totalMs != lastTotalMs)
            {
                lastTotalMs = totalMs;
                quietSinceMs = nowMs;
            }
            else if (nowMs - quietSinceMs >= QUIET_COMPILER_MS || nowMs - startMs >= MAX_COMPILER_WAIT_MS)
            {
                return nowMs - startMs;
            }
        }
    }

    /**
     * What one service session measured and ended with.
     */
    private static final class Session
    {
        final long transferNanos;
        final String digest;
        final long coldRecords;

        Session(final long transferNanos, final String digest, final long coldRecords)
        {
            this.transferNanos = transferNanos;
            this.digest = digest;
            this.coldRecords = coldRecords;
        }
    }

    /**
     * Launch the service on dataDir, create the workload's accounts and send its transfers through one client,
     * then shut the service down.
     */
    private Session session(
        final DemoWorkload workload,
        final LedgerLimits limits,
        final FlushLevel flushLevel,
        final boolean udp,
        final Path dataDir,
        final Tally tally,
        final boolean serviceLines) throws Exception
    {
        final String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        final Path clientsFile = dataDir.resolve("clients");
        Files.createDirectories(dataDir);
        Files.writeString(clientsFile, ClientCredentials.line(CLIENT_ID, secret, 1_000) + System.lineSeparator(),
            StandardCharsets.US_ASCII);

        final String ingressChannel = udp ? "aeron:udp?endpoint=localhost:40123" : "aeron:ipc";
        final String responseChannel = udp ? "aeron:udp?endpoint=localhost:40124" : "aeron:ipc";
        final PrintStream serviceOut = serviceLines ? out : new PrintStream(OutputStream.nullOutputStream());
        final LedgerLimits serviceLimits = 0 == hotTransfers ? limits : new LedgerLimits()
            .maxAccounts(limits.maxAccounts())
            .maxTransfers(hotTransfers)
            .maxPendingTransfers(limits.maxPendingTransfers())
            .maxBatchEvents(limits.maxBatchEvents())
            .validate();
        final ServiceContext serviceContext = new ServiceContext()
            .dataDirectory(new DataDirectory(dataDir))
            .ledgerLimits(serviceLimits)
            .coldTierSizeBytes(0 == hotTransfers ? 0 : DEMO_COLD_TIER_SIZE)
            .journalContext(journalContext(flushLevel, batch))
            .transportContext(new TransportContext()
                .ingressChannel(ingressChannel)
                .clientsFile(clientsFile)
                .profile(ThreadingProfile.SHARED))
            .snapshotOnShutdown(false)
            .out(serviceOut);
        final long transferNanos;
        try (PaycoreService service = PaycoreService.launch(serviceContext))
        {
            try (PaycoreClient client = PaycoreClient.connect(new ClientContext()
                .aeronDirectoryName(service.server().aeronDirectoryName())
                .clientId(CLIENT_ID)
                .secret(secret)
                .ingressChannel(ingressChannel)
                .responseChannel(responseChannel)))
            {
                createAccounts(client, workload, tally);
                final long transfersStartNanos = System.nanoTime();
                sendTransfers(client, workload, tally);
                transferNanos = System.nanoTime() - transfersStartNanos;
            }
            service.close();
            return new Session(transferNanos, service.finalDigest(),
                null == service.coldTier() ? 0 : service.coldTier().writtenRecordsNow());
        }
    }

    private void createAccounts(final PaycoreClient client, final DemoWorkload workload, final Tally tally)
    {
        final AccountEventArray events = new AccountEventArray(batch);
        while (workload.hasMoreAccounts())
        {
            workload.nextAccounts(events);
            final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(events, REQUEST_TIMEOUT);
            for (int i = 0; i < results.count(); i++)
            {
                tally.accountResults[results.result(i).value()]++;
            }
            tally.accountEvents += results.count();
        }
    }

    private void sendTransfers(final PaycoreClient client, final DemoWorkload workload, final Tally tally)
    {
        final TransferEventArray events = new TransferEventArray(batch);
        final IdleStrategy idle = new BackoffIdleStrategy();
        boolean haveBatch = false;
        long lastProgressNanos = System.nanoTime();
        while (workload.hasMoreTransfers() || haveBatch || tally.inFlight > 0)
        {
            int work = 0;
            while (tally.inFlight < window && (haveBatch || workload.hasMoreTransfers()))
            {
                if (!haveBatch)
                {
                    workload.nextTransfers(events);
                    haveBatch = true;
                }
                final long correlationId = client.createTransfers(events);
                if (correlationId < 0)
                {
                    if (Publication.NOT_CONNECTED == correlationId || Publication.CLOSED == correlationId ||
                        Publication.MAX_POSITION_EXCEEDED == correlationId)
                    {
                        throw new PaycoreClientException("the service went away: offer returned " +
                            Publication.errorString(correlationId));
                    }
                    break;
                }
                haveBatch = false;
                tally.inFlight++;
                work++;
            }
            final int answers = client.poll(tally);
            work += answers;
            if (answers > 0)
            {
                lastProgressNanos = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgressNanos > STALL_TIMEOUT_NANOS)
            {
                throw new PaycoreClientException("no answer from the service for 30 s with " + tally.inFlight +
                    " messages in flight");
            }
            idle.idle(work);
        }
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
                io.paycore.codec.ProtocolLimits.maxMessageLength(batch)));
    }

    /**
     * Counts answers by result code as they arrive.
     */
    private static final class Tally implements EgressListener
    {
        final long[] accountResults = new long[1 << 16];
        final long[] transferResults = new long[1 << 16];
        long accountEvents;
        long transferEvents;
        long rejected;
        int inFlight;

        public void onCreateAccountsResult(final io.paycore.codec.sbe.CreateAccountsResultDecoder result)
        {
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
            inFlight--;
            for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
            {
                transferResults[entry.resultRaw()]++;
                transferEvents++;
            }
        }

        public void onAccounts(final io.paycore.codec.sbe.AccountsDecoder accounts)
        {
        }

        public void onTransfers(final io.paycore.codec.sbe.TransfersDecoder transfers)
        {
        }

        public void onRejected(final RejectedDecoder rejected)
        {
            inFlight--;
            this.rejected++;
        }
    }
}
