package io.paycore.perf.bench;

import io.paycore.codec.ProtocolLimits;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.journal.JournalContext;
import io.paycore.perf.harness.BenchChannels;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.PaycoreLoadTarget;
import io.paycore.perf.harness.ServiceLauncher;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.perf.harness.ServiceUnderTest;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.ScratchDirectory;
import io.paycore.replay.SnapshotTaker;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.PaycoreClient;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Starts {@link PaycoreService} in this process for a benchmark, the way {@code paycore serve} would with the
 * benchmark's channel, flush level and profile: in a fresh temporary data directory (deleted on close), with one
 * client in its credentials file, no snapshots, and a ledger sized to retain every transfer the run offers.
 */
final class InProcessServiceLauncher implements ServiceLauncher
{
    static final long CLIENT_ID = 1;
    private static final int CREDENTIAL_ITERATIONS = 1_000;

    private final Path parent;
    private final boolean verbose;

    /**
     * @param parent  where the temporary data directories go, or null for the system's temporary directory.
     * @param verbose print the service's own start and stop lines.
     */
    InProcessServiceLauncher(final Path parent, final boolean verbose)
    {
        this.parent = parent;
        this.verbose = verbose;
    }

    /**
     * {@inheritDoc}
     */
    public ServiceUnderTest launch(final BenchSettings settings, final ThreadPinning pinning)
    {
        final ScratchDirectory scratch;
        final String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try
        {
            scratch = ScratchDirectory.create(parent, "paycore-bench-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Path dataDir = scratch.path();
        try
        {
            Files.writeString(dataDir.resolve("clients"),
                ClientCredentials.line(CLIENT_ID, secret, CREDENTIAL_ITERATIONS) + System.lineSeparator(),
                StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            scratch.close();
            throw new UncheckedIOException(ex);
        }

        final BenchChannels channels = settings.channels();
        final long transfers = settings.transfersOffered() + settings.accounts() + settings.historyTransfers();
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(Math.max(1024, settings.accounts()))
            .maxTransfers(settings.hotTransfers() > 0 ? settings.hotTransfers() :
                (int)Math.min(LedgerLimits.MAX_RECORDS_BOUND, Math.max(1 << 20, transfers)))
            .maxPendingTransfers(1024)
            .maxBatchEvents(ProtocolLimits.MAX_BATCH_EVENTS)
            .validate();
        final PrintStream serviceOut = verbose ? System.out : new PrintStream(OutputStream.nullOutputStream());
        final ServiceContext context = new ServiceContext()
            .dataDirectory(new DataDirectory(dataDir))
            .ledgerLimits(limits)
            .journalContext(new JournalContext()
                .flushLevel(settings.flushLevel())
                .maxRecordLength(Math.max(JournalContext.MAX_RECORD_LENGTH_DEFAULT,
                    ProtocolLimits.maxMessageLength(ProtocolLimits.MAX_BATCH_EVENTS))))
            .pipelineContext(new PipelineContext()
                .profile(settings.profile())
                .idleStrategy(settings.idleStrategy())
                .layout(settings.layout())
                .snapshotEveryRecords(settings.snapshotEveryRecords()))
            .transportContext(new TransportContext()
                .ingressChannel(channels.ingressChannel())
                .ingressStreamId(channels.ingressStreamId())
                .clientsFile(dataDir.resolve("clients"))
                .profile(settings.profile()))
            .coldTierSizeBytes(settings.hotTransfers() > 0 ? ServiceContext.COLD_TIER_SIZE_DEFAULT : 0)
            .snapshotOnShutdown(false)
            .heapAdvice("set or lower --hot-transfers (the transfers kept in memory; without it, every transfer the " +
                "run offers), or give the JVM more heap (bin/paycore takes it from PAYCORE_JAVA_OPTS)")
            .threadPinning(pinning)
            .out(serviceOut);

        final PaycoreService service;
        try
        {
            service = PaycoreService.launch(context);
        }
        catch (final RuntimeException ex)
        {
            scratch.close();
            throw ex;
        }
        final InProcessService launched = new InProcessService(service, scratch, secret, channels, settings, limits);
        if (settings.historyTransfers() > 0)
        {
            try
            {
                sendHistory(launched.clientContext().responseStreamId(channels.responseStreamId() + 17), settings);
            }
            catch (final RuntimeException ex)
            {
                launched.close();
                throw ex;
            }
        }
        return launched;
    }

    /**
     * Give the ledger its history: the benchmark's accounts, then {@code historyTransfers} transfers between them,
     * ids from 1 (the load generator's start far above), in messages of 100 with 64 in flight.
     */
    private static void sendHistory(final ClientContext clientContext, final BenchSettings settings)
    {
        final long startNanos = System.nanoTime();
        try (PaycoreClient client = PaycoreClient.connect(clientContext))
        {
            PaycoreLoadTarget.createAccounts(client, settings.accounts(), 100);
            new TransferFlood(PaycoreLoadTarget.FIRST_ACCOUNT_ID, settings.accounts(), PaycoreLoadTarget.LEDGER,
                PaycoreLoadTarget.CODE).send(client, 1, settings.historyTransfers(), 100, 64, (acknowledged) -> { });
        }
        System.out.printf(Locale.ROOT, "history: %,d transfers sent before the warm-up, in %.1f s%n",
            settings.historyTransfers(), (System.nanoTime() - startNanos) / 1e9);
    }

    static final class InProcessService implements ServiceUnderTest
    {
        private final PaycoreService service;
        private final ScratchDirectory scratch;
        private final Path dataDir;
        private final LedgerLimits limits;
        private final boolean coldTier;
        private final String secret;
        private final BenchChannels channels;
        private final String description;
        private boolean closed;

        InProcessService(
            final PaycoreService service,
            final ScratchDirectory scratch,
            final String secret,
            final BenchChannels channels,
            final BenchSettings settings,
            final LedgerLimits limits)
        {
            this.service = service;
            this.scratch = scratch;
            this.dataDir = scratch.path();
            this.limits = limits;
            this.coldTier = settings.hotTransfers() > 0;
            this.secret = secret;
            this.channels = channels;
            this.description = String.format(Locale.ROOT, "in process (PaycoreService: embedded driver, %s profile, " +
                "flush %s, journal in %s, %s, %s%s)",
                settings.profile().name().toLowerCase(Locale.ROOT),
                settings.flushLevel().name().toLowerCase(Locale.ROOT), dataDir,
                settings.hotTransfers() > 0 ? String.format(Locale.ROOT, "hot window of %,d transfers and a cold tier",
                limits.maxTransfers()) : String.format(Locale.ROOT, "ledger for %,d transfers", limits.maxTransfers()),
                settings.snapshotEveryRecords() > 0 ? "snapshots every " + settings.snapshotEveryRecords() +
                " records by the snapshotter thread, " + writeRate(service.snapshotTaker().paceBytesPerSecond()) :
                "no snapshots",
                settings.historyTransfers() > 0 ? String.format(Locale.ROOT, ", %,d transfers of history",
                settings.historyTransfers()) : "");
        }

        public ClientContext clientContext()
        {
            return new ClientContext()
                .aeronDirectoryName(service.server().aeronDirectoryName())
                .clientId(CLIENT_ID)
                .secret(secret)
                .ingressChannel(channels.ingressChannel())
                .ingressStreamId(channels.ingressStreamId())
                .responseChannel(channels.responseChannel())
                .responseStreamId(channels.responseStreamId());
        }

        /**
         * Wait until the service's cold tier has stopped taking records (its writer caught up with the history
         * evicted from the hot window), so that a measurement does not run beside that catching up.
         *
         * @param timeoutMs longest wait.
         * @throws InterruptedException if interrupted.
         */
        void awaitColdTierSettled(final long timeoutMs) throws InterruptedException
        {
            if (null == service.coldTier())
            {
                return;
            }
            final long deadline = System.currentTimeMillis() + timeoutMs;
            long last = -1;
            while (System.currentTimeMillis() < deadline)
            {
                final long written = service.coldTier().writtenRecordsNow();
                if (written == last)
                {
                    return;
                }
                last = written;
                Thread.sleep(1_000);
            }
        }

        /**
         * @return a context to follow the service's journal with (a feed, a query engine): its data directory, its
         * ledger limits, and a cold tier if it keeps one.
         */
        ChangeFeedContext journal()
        {
            return new ChangeFeedContext().directory(new DataDirectory(dataDir)).limits(limits)
                .coldTierSizeBytes(coldTier ? ChangeFeedContext.COLD_TIER_SIZE_DEFAULT : 0);
        }

        public boolean isInProcess()
        {
            return true;
        }

        public String aeronDirectoryName()
        {
            return service.server().aeronDirectoryName();
        }

        public String describe()
        {
            return description;
        }

        public void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            try
            {
                service.close();
            }
            finally
            {
                scratch.close();
            }
        }
    }

    private static String writeRate(final long bytesPerSecond)
    {
        return 0 == bytesPerSecond ? "written as fast as the disk takes them" :
            String.format(Locale.ROOT, "written at %,d bytes/s (%s)", bytesPerSecond, SnapshotTaker.WRITE_RATE_PROP_NAME);
    }
}
