package io.paycore.perf.bench;

import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.ScratchDirectory;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.Auditor;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.Transfer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore bench soak}: the bounded-memory soak. Runs the service in this process with a small hot window,
 * sends it many transfers (20,000,000 by default) while sampling this process's resident memory, then checks that
 * random old transfers, long in the cold tier, are found by lookup and answer {@code EXISTS} when re-sent, and that
 * the final digest equals an offline audit's. Writes the samples as CSV and a PNG. Not part of the test suite.
 */
@Command(
    name = "soak",
    header = "Run the service with a small hot window through millions of transfers, sampling its memory.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Start the service in this process with --hot-transfers transfers in memory and a cold tier, create",
        "accounts, and send --transfers transfers (all valid, in messages of --batch), sampling this process's",
        "resident memory (anonymous: heap and native; file: mapped pages of the journal and cold tier, which the",
        "kernel may reclaim). Then look up --old-checks random transfers from outside the hot window and re-send",
        "them, expecting each found as sent and answered EXISTS; stop the service; and audit the data directory",
        "offline, expecting the service's final digest.",
        "",
        "Writes OUT/soak-rss.csv and OUT/soak-rss.png. Exit status 0 when every check passed, and the anonymous",
        "resident memory at the end and the live heap (measured after a full collection at each quarter of the run)",
        "are within 10%% of what they were a quarter of the way through; 1 otherwise. Run it with a fixed heap,",
        "touched at start, so that resident memory measures what is used rather than what the JVM has touched so",
        "far: PAYCORE_JAVA_OPTS='-Xms4g -Xmx4g -XX:+AlwaysPreTouch -XX:+UseParallelGC'.",
        ""
    })
public final class BenchSoakCommand implements Callable<Integer>
{
    private static final long CLIENT_ID = 1;
    private static final int LEDGER = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final double FLAT_BOUND = 1.10;

    @Option(names = "--transfers", paramLabel = "N", defaultValue = "20000000",
        description = "Transfers to send (default: ${DEFAULT-VALUE}).")
    private long transfers;

    @Option(names = "--hot-transfers", paramLabel = "N", defaultValue = "100000",
        description = "The service's hot window (default: ${DEFAULT-VALUE}).")
    private int hotTransfers;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "10000",
        description = "Accounts the transfers move money between (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--batch", paramLabel = "EVENTS", defaultValue = "100",
        description = "Transfers per message (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--window", paramLabel = "MESSAGES", defaultValue = "64",
        description = "Messages in flight at most (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "none", converter = FlushLevelConverter.class,
        description = "Journal flush level (default: ${DEFAULT-VALUE}).")
    private FlushLevel flushLevel;

    @Option(names = "--old-checks", paramLabel = "N", defaultValue = "1000",
        description = "Random transfers from outside the hot window to look up and re-send at the end " +
            "(default: ${DEFAULT-VALUE}).")
    private int oldChecks;

    @Option(names = "--sample-interval", paramLabel = "MS", defaultValue = "1000",
        description = "Milliseconds between memory samples (default: ${DEFAULT-VALUE}).")
    private long sampleIntervalMs;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory, new or empty, kept afterwards (default: a temporary one, deleted).")
    private Path data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "soak-out",
        description = "Where the CSV and PNG go (default: ${DEFAULT-VALUE}).")
    private Path out;

    private static final int LIVE_HEAP_POINTS = 4;

    private final PrintStream stdout = System.out;
    private TransferFlood flood;
    private final long[] liveHeapMb = new long[LIVE_HEAP_POINTS];
    private int liveHeapChecks;
    private long liveHeapCheckNanos;

    /**
     * Run the soak.
     *
     * @return 0 when every check passed and memory stayed flat, 1 otherwise.
     * @throws Exception on an I/O failure.
     */
    public Integer call() throws Exception
    {
        if (transfers <= hotTransfers || accounts < 2 || batch < 1 || batch > ProtocolLimits.MAX_BATCH_EVENTS)
        {
            System.err.println("paycore bench soak: need --transfers > --hot-transfers, --accounts >= 2 and " +
                "--batch in 1.." + ProtocolLimits.MAX_BATCH_EVENTS);
            return 2;
        }
        final boolean temporary = null == data;
        final ScratchDirectory scratch = temporary ? ScratchDirectory.create("paycore-soak-") : null;
        final Path dataDir = temporary ? scratch.path() : data;
        Files.createDirectories(out);
        try
        {
            return run(dataDir);
        }
        finally
        {
            if (temporary)
            {
                scratch.close();
            }
        }
    }

    private int run(final Path dataDir) throws Exception
    {
        final String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        flood = new TransferFlood(1, accounts, LEDGER, 1);
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("clients"), ClientCredentials.line(CLIENT_ID, secret, 1_000) +
            System.lineSeparator(), StandardCharsets.US_ASCII);
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(Math.max(1024, accounts))
            .maxTransfers(hotTransfers)
            .maxPendingTransfers(1024)
            .maxBatchEvents(batch)
            .validate();
        final ServiceContext context = new ServiceContext()
            .dataDirectory(new DataDirectory(dataDir))
            .ledgerLimits(limits)
            .coldTierSizeBytes(ServiceContext.COLD_TIER_SIZE_DEFAULT)
            .heapAdvice("lower --hot-transfers or --accounts, or give the JVM more heap (bin/paycore takes it from " +
                "PAYCORE_JAVA_OPTS)")
            .journalContext(new JournalContext()
                .flushLevel(flushLevel)
                .maxRecordLength(Math.max(JournalContext.MAX_RECORD_LENGTH_DEFAULT,
                    ProtocolLimits.maxMessageLength(batch))))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .clientsFile(dataDir.resolve("clients"))
                .profile(ThreadingProfile.SHARED))
            .out(new PrintStream(OutputStream.nullOutputStream()));

        final Sampler sampler = new Sampler();
        final ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor((runnable) ->
        {
            final Thread thread = new Thread(runnable, "paycore-soak-sampler");
            thread.setDaemon(true);
            return thread;
        });
        final long startNanos = System.nanoTime();
        final String finalDigest;
        final int[] checks = new int[3];
        final long sendNanos;
        try (PaycoreService service = PaycoreService.launch(context))
        {
            try (PaycoreClient client = PaycoreClient.connect(new ClientContext()
                .aeronDirectoryName(service.server().aeronDirectoryName())
                .clientId(CLIENT_ID)
                .secret(secret)
                .ingressChannel("aeron:ipc")
                .responseChannel("aeron:ipc")))
            {
                createAccounts(client);
                sampling.scheduleAtFixedRate(() -> sampler.sample(startNanos), 0, sampleIntervalMs,
                    TimeUnit.MILLISECONDS);
                final long sendStartNanos = System.nanoTime();
                flood.send(client, 1, transfers, batch, window, (acknowledged) ->
                {
                    sampler.acknowledged = acknowledged;
                    if (liveHeapChecks < LIVE_HEAP_POINTS &&
                        acknowledged >= (liveHeapChecks + 1) * transfers / LIVE_HEAP_POINTS)
                    {
                        // A full collection, on the sending thread: its time is left out of the sending rate.
                        final long checkStartNanos = System.nanoTime();
                        liveHeapMb[liveHeapChecks++] = liveHeapMb();
                        liveHeapCheckNanos += System.nanoTime() - checkStartNanos;
                    }
                });
                sendNanos = System.nanoTime() - sendStartNanos;
                sampling.shutdown();
                sampling.awaitTermination(10, TimeUnit.SECONDS);
                sampler.sample(startNanos);
                checkOldTransfers(client, checks);
            }
            service.close();
            finalDigest = service.finalDigest();
        }

        stdout.printf(Locale.ROOT, "paycore bench soak: %,d transfers, hot window %,d, in messages of %d, flush %s%n",
            transfers, hotTransfers, batch, flushLevel.name().toLowerCase(Locale.ROOT));
        final long sendingNanos = Math.max(1, sendNanos - liveHeapCheckNanos);
        stdout.printf(Locale.ROOT, "  sent in          %.1f s, %.1f s of it in the live-heap checks' %d full " +
            "collections: %,d transfers/s without them%n", sendNanos / 1e9, liveHeapCheckNanos / 1e9, liveHeapChecks,
            (long)(transfers * 1e9 / sendingNanos));
        stdout.printf(Locale.ROOT, "  old transfers    %d looked up: %d found as sent; %d re-sent: %d EXISTS%n",
            oldChecks, checks[0], oldChecks, checks[1]);

        final long auditStartNanos = System.nanoTime();
        final AuditReport audit = Auditor.run(new AuditContext()
            .directory(new DataDirectory(dataDir))
            .limits(limits)
            .coldTierSizeBytes(ServiceContext.COLD_TIER_SIZE_DEFAULT)
            .coldTierParent(dataDir.getParent()));
        stdout.printf(Locale.ROOT, "  audit            %.1f s, digest %s%n", (System.nanoTime() - auditStartNanos) / 1e9,
            audit.digest());
        stdout.println("  final digest     " + finalDigest);

        final Path csv = out.resolve("soak-rss.csv");
        final Path png = out.resolve("soak-rss.png");
        sampler.write(csv, png, transfers, hotTransfers);
        final long quarter = sampler.anonAt(transfers / 4);
        final long end = sampler.anonAt(transfers);
        final boolean flat = end <= quarter * FLAT_BOUND &&
            liveHeapMb[LIVE_HEAP_POINTS - 1] <= liveHeapMb[0] * FLAT_BOUND;
        stdout.printf(Locale.ROOT, "  live heap        after a full collection at each quarter of the run: %s MB%n",
            Arrays.toString(liveHeapMb));
        stdout.printf(Locale.ROOT, "  resident memory  anonymous %,d MB a quarter of the way, %,d MB at the end " +
            "(%+.1f%%), highest %,d MB; mapped files at the end %,d MB%n", quarter / 1024, end / 1024,
            100.0 * (end - quarter) / Math.max(1, quarter), sampler.maxAnon() / 1024, sampler.lastFile() / 1024);
        stdout.println("  samples          " + csv + ", " + png);

        final boolean ok = flat && checks[0] == oldChecks && checks[1] == oldChecks &&
            finalDigest.equals(audit.digest()) && null == audit.damage();
        stdout.println("soak: " + (ok ? "passed" : "FAILED") + (flat ? "" : " (memory grew)"));
        return ok ? 0 : 1;
    }

    private void createAccounts(final PaycoreClient client)
    {
        final AccountEventArray events = new AccountEventArray(Math.min(batch, 1024));
        for (long id = 1; id <= accounts; )
        {
            events.reset();
            while (events.count() < events.capacity() && id <= accounts)
            {
                events.add(id++, 0, LEDGER, 1, 0);
            }
            final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(events, TIMEOUT);
            if (!results.all(CreateAccountResult.OK))
            {
                throw new IllegalStateException("accounts not created: " + results);
            }
        }
    }

    private void checkOldTransfers(final PaycoreClient client, final int[] checks)
    {
        final long coldFrom = 1;
        final long coldTo = transfers - hotTransfers - (long)window * batch;
        final SplittableRandom random = new SplittableRandom(42);
        final Set<Long> chosen = new HashSet<>();
        final TransferEventArray resend = new TransferEventArray(Math.min(batch, 100));
        final long[] ids = new long[resend.capacity()];
        for (int done = 0; done < oldChecks; )
        {
            final int n = Math.min(ids.length, oldChecks - done);
            resend.reset();
            for (int i = 0; i < n; i++)
            {
                long id;
                do
                {
                    id = random.nextLong(coldFrom, coldTo + 1);
                }
                while (!chosen.add(id));
                ids[i] = id;
                flood.add(resend, id);
            }
            final long[] lookup = Arrays.copyOf(ids, n);
            for (final Transfer transfer : client.lookupTransfersAndWait(TIMEOUT, lookup))
            {
                // the flood's ids, accounts and amounts are all in the low half: compare as unsigned 128-bit values
                final long id = transfer.id().longValueExact();
                if (BigInteger.valueOf(TransferFlood.amount(id)).equals(transfer.amount()) &&
                    BigInteger.valueOf(flood.debit(id)).equals(transfer.debitAccountId()) &&
                    BigInteger.valueOf(flood.credit(id)).equals(transfer.creditAccountId()))
                {
                    checks[0]++;
                }
            }
            final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(resend, TIMEOUT);
            for (int i = 0; i < results.count(); i++)
            {
                if (CreateTransferResult.EXISTS == results.result(i))
                {
                    checks[1]++;
                }
            }
            done += n;
        }
    }

    /**
     * @return megabytes of heap in use just after a full collection: what the service (and this client) hold live.
     */
    private static long liveHeapMb()
    {
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }

    /**
     * Samples of this process's resident memory against transfers acknowledged, from /proc/self/status.
     */
    private static final class Sampler
    {
        private final List<long[]> rows = new ArrayList<>();
        volatile long acknowledged;

        synchronized void sample(final long startNanos)
        {
            long anon = 0;
            long file = 0;
            try
            {
                for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
                {
                    if (line.startsWith("RssAnon:"))
                    {
                        anon = kilobytes(line);
                    }
                    else if (line.startsWith("RssFile:"))
                    {
                        file = kilobytes(line);
                    }
                }
            }
            catch (final IOException ex)
            {
                return;
            }
            rows.add(new long[]{ (System.nanoTime() - startNanos) / 1_000_000, acknowledged, anon, file });
        }

        synchronized long anonAt(final long transfers)
        {
            long anon = 0;
            for (final long[] row : rows)
            {
                if (row[1] <= transfers)
                {
                    anon = row[2];
                }
            }
            return anon;
        }

        synchronized long maxAnon()
        {
            return rows.stream().mapToLong((row) -> row[2]).max().orElse(0);
        }

        synchronized long lastFile()
        {
            return rows.isEmpty() ? 0 : rows.get(rows.size() - 1)[3];
        }

        synchronized void write(final Path csv, final Path png, final long transfers, final int hot)
            throws IOException
        {
            try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.US_ASCII)))
            {
                writer.println("elapsed_ms,transfers_acknowledged,rss_anon_kb,rss_file_kb");
                for (final long[] row : rows)
                {
                    writer.println(row[0] + "," + row[1] + "," + row[2] + "," + row[3]);
                }
            }
            System.setProperty("java.awt.headless", "true");
            final XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(600)
                .title(String.format(Locale.ROOT, "paycore soak: resident memory over %,d transfers, hot window %,d",
                    transfers, hot))
                .xAxisTitle("transfers acknowledged (millions)")
                .yAxisTitle("resident memory (MB)")
                .build();
            final List<Double> xs = new ArrayList<>();
            final List<Double> anon = new ArrayList<>();
            final List<Double> file = new ArrayList<>();
            for (final long[] row : rows)
            {
                xs.add(row[1] / 1e6);
                anon.add(row[2] / 1024.0);
                file.add(row[3] / 1024.0);
            }
            chart.addSeries("anonymous (heap and native)", xs, anon).setMarker(SeriesMarkers.NONE);
            chart.addSeries("mapped files (journal, cold tier; reclaimable)", xs, file).setMarker(SeriesMarkers.NONE);
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }

        private static long kilobytes(final String line)
        {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}
