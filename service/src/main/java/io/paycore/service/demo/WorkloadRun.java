package io.paycore.service.demo;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.replay.ScratchDirectory;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServeCommand;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DemoWorkload} sent through one client to a service launched in this process, as {@code paycore demo}
 * does; and the warm-up built on it, which {@code demo --warmup} and {@code serve --warmup} run on a scratch
 * service in a temporary directory so that the JIT has compiled the paths traffic takes before it counts.
 */
public final class WorkloadRun
{
    /** The one client of a run's clients file. */
    public static final long CLIENT_ID = 1;
    /** Messages {@code serve}'s warm-up keeps in flight, as the demo does by default. */
    public static final int WARMUP_WINDOW = 64;
    /** Events per message of {@code serve}'s warm-up, as the demo's default. */
    public static final int WARMUP_BATCH = 100;
    /** Accounts {@code serve}'s warm-up creates (fewer when the ledger holds fewer). */
    public static final int WARMUP_ACCOUNTS = 10_000;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long COMPILER_POLL_MS = 50;
    private static final long QUIET_COMPILER_MS = 250;
    private static final long MAX_COMPILER_WAIT_MS = 10_000;

    private WorkloadRun()
    {
    }

    /**
     * What one run measured and ended with.
     */
    public static final class Result
    {
        /** Nanoseconds from the first transfer sent to the last answer. */
        public final long transferNanos;
        /** The service's digest when it stopped. */
        public final String digest;
        /** Records its cold tier had written, 0 without one. */
        public final long coldRecords;

        Result(final long transferNanos, final String digest, final long coldRecords)
        {
            this.transferNanos = transferNanos;
            this.digest = digest;
            this.coldRecords = coldRecords;
        }
    }

    /**
     * Counts answers by result code as they arrive.
     */
    public static final class Answers implements EgressListener
    {
        final long[] accountResults = new long[1 << 16];
        final long[] transferResults = new long[1 << 16];
        long accountEvents;
        long transferEvents;
        long rejected;
        int inFlight;

        /**
         * @return transfer events answered, whatever the result.
         */
        public long transferEvents()
        {
            return transferEvents;
        }

        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
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

        public void onAccounts(final AccountsDecoder accounts)
        {
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
        }

        public void onRejected(final RejectedDecoder rejected)
        {
            inFlight--;
            this.rejected++;
        }
    }

    /**
     * Write a clients file that admits {@link #CLIENT_ID} with a fresh random secret, readable and writable by its
     * owner only ({@link CredentialsFileMode#OWNER_ONLY}, on a file system with POSIX permissions), as
     * {@code clients add} makes one; an existing file is made so before it is written again.
     *
     * @param clientsFile the file to write; its directory is created.
     * @return the secret.
     * @throws IOException if the file cannot be written.
     */
    public static String writeClientsFile(final Path clientsFile) throws IOException
    {
        final String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Files.createDirectories(clientsFile.getParent());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
        {
            if (Files.exists(clientsFile))
            {
                Files.setPosixFilePermissions(clientsFile, CredentialsFileMode.OWNER_ONLY);
            }
            else
            {
                Files.createFile(clientsFile, PosixFilePermissions.asFileAttribute(CredentialsFileMode.OWNER_ONLY));
            }
        }
        Files.writeString(clientsFile, ClientCredentials.line(CLIENT_ID, secret, 1_000) + System.lineSeparator(),
            StandardCharsets.US_ASCII);
        return secret;
    }

    /**
     * Launch a service, create the workload's accounts, send its transfers with up to window messages in flight,
     * then shut the service down.
     *
     * @param context         the service's settings, its clients file admitting {@link #CLIENT_ID} with secret.
     * @param secret          the client's secret.
     * @param responseChannel where the client takes its answers.
     * @param workload        what to send.
     * @param window          messages in flight at most.
     * @param answers         counts the answers.
     * @param scratch         the temporary directory the service's data directory is in, or null: the service is
     *                        then closed before it is deleted, also when a signal ends the JVM mid-run, so that
     *                        the journal does not write its next segment into a directory being deleted.
     * @return what the run measured.
     */
    public static Result run(
        final ServiceContext context,
        final String secret,
        final String responseChannel,
        final DemoWorkload workload,
        final int window,
        final Answers answers,
        final ScratchDirectory scratch)
    {
        final String ingressChannel = context.transportContext().ingressChannel();
        final long transferNanos;
        try (PaycoreService service = PaycoreService.launch(context))
        {
            if (null != scratch)
            {
                scratch.closeFirst(service);
            }
            try (PaycoreClient client = PaycoreClient.connect(new ClientContext()
                .aeronDirectoryName(service.server().aeronDirectoryName())
                .clientId(CLIENT_ID)
                .secret(secret)
                .ingressChannel(ingressChannel)
                .responseChannel(responseChannel)))
            {
                transferNanos = drive(client, workload, window, answers);
            }
            service.close();
            if (null != scratch)
            {
                // Closed: the ledger it refers to must not stay reachable through the directory while the demo
                // recovers another beside it.
                scratch.forget(service);
            }
            return new Result(transferNanos, service.finalDigest(),
                null == service.coldTier() ? 0 : service.coldTier().writtenRecordsNow());
        }
    }

    /**
     * Create the workload's accounts, then send its transfers with up to window messages in flight and wait for
     * every answer: to a service or to a cluster, whichever the client is connected to.
     *
     * @param client   a connected client.
     * @param workload what to send.
     * @param window   messages in flight at most.
     * @param answers  counts the answers; it must be the listener of nothing else.
     * @return nanoseconds from the first transfer sent to the last answer.
     * @throws PaycoreClientException if no answer comes for 30 s.
     */
    public static long drive(
        final PaycoreClient client, final DemoWorkload workload, final int window, final Answers answers)
    {
        createAccounts(client, workload, answers);
        final long transfersStartNanos = System.nanoTime();
        sendTransfers(client, workload, window, answers);
        return System.nanoTime() - transfersStartNanos;
    }

    /**
     * Check that a warm-up's every transfer was answered, wait for the JIT's compilers to be quiet, and say so.
     *
     * @param transfers     transfers the warm-up sent.
     * @param transferNanos how long they took.
     * @param answers       its answers.
     * @param where         what the warm-up ran on, for the line ("a scratch service").
     * @return one line that says what it did, starting {@code warm-up: }.
     * @throws InterruptedException if interrupted while waiting for the compilers.
     */
    public static String finishWarmUp(
        final long transfers, final long transferNanos, final Answers answers, final String where)
        throws InterruptedException
    {
        if (answers.transferEvents != transfers)
        {
            throw new PaycoreClientException("warm-up: only " + answers.transferEvents + " of " + transfers +
                " transfers were answered");
        }
        final long quietMs = awaitQuietCompiler();
        return String.format(Locale.ROOT, "warm-up: %,d transfers through %s in %.3f s (%d transfers/s), then " +
            "%d ms until the JIT was quiet", transfers, where, transferNanos / 1e9,
            (long)(transfers * 1e9 / Math.max(1, transferNanos)), quietMs);
    }

    /**
     * The ledger of a warm-up's scratch run: at most {@link #WARMUP_ACCOUNTS} accounts and
     * {@link ServeCommand#WARMUP_PENDING_TRANSFERS} pending transfers, and with a cold tier a hot window of at most
     * {@link ServeCommand#WARMUP_HOT_TRANSFERS}, so that it evicts; the rest as the real one's.
     *
     * @param limits   the real service's or member's limits.
     * @param coldTier whether it has a cold tier.
     * @return the scratch run's limits, validated.
     */
    public static LedgerLimits warmUpLimits(final LedgerLimits limits, final boolean coldTier)
    {
        return new LedgerLimits()
            .maxAccounts(Math.min(WARMUP_ACCOUNTS, limits.maxAccounts()))
            .maxTransfers(coldTier ? Math.min(ServeCommand.WARMUP_HOT_TRANSFERS, limits.maxTransfers()) :
                limits.maxTransfers())
            .maxPendingTransfers(Math.min(ServeCommand.WARMUP_PENDING_TRANSFERS, limits.maxPendingTransfers()))
            .maxBatchEvents(limits.maxBatchEvents())
            .maxColdLagRecords(limits.maxColdLagRecords())
            .validate();
    }

    /**
     * Settings of a warm-up's scratch service, given its directory.
     */
    @FunctionalInterface
    public interface ScratchContext
    {
        /**
         * @param scratch     the scratch directory, deleted after the run.
         * @param clientsFile a clients file in it that admits {@link #CLIENT_ID}.
         * @return the scratch service's settings: its data directory in scratch, an embedded media driver, and
         * that clients file.
         */
        ServiceContext context(Path scratch, Path clientsFile);
    }

    /**
     * Send transfers of a {@link DemoWorkload} through a scratch service in a temporary directory, delete it, and
     * wait until the JIT's compilers are quiet: what is left is compiled code for the paths a service takes.
     *
     * @param transfers transfer events to send.
     * @param accounts  accounts to create first, at least 2.
     * @param batch     events per message.
     * @param window    messages in flight at most.
     * @param seed      the workload's seed.
     * @param scratch   the scratch service's settings.
     * @param responseChannel where the scratch run's client takes its answers.
     * @return one line that says what it did, starting {@code warm-up: }.
     * @throws IOException          if the scratch directory cannot be made.
     * @throws InterruptedException if interrupted while waiting for the compilers.
     */
    public static String warmUp(
        final long transfers,
        final int accounts,
        final int batch,
        final int window,
        final long seed,
        final ScratchContext scratch,
        final String responseChannel)
        throws IOException, InterruptedException
    {
        try (ScratchDirectory scratchDirectory = ScratchDirectory.create("paycore-warmup-"))
        {
            final Path directory = scratchDirectory.path();
            final Path clientsFile = directory.resolve("clients");
            final String secret = writeClientsFile(clientsFile);
            final Answers answers = new Answers();
            final Result result = run(scratch.context(directory, clientsFile), secret, responseChannel,
                new DemoWorkload(accounts, transfers, batch, seed), window, answers, scratchDirectory);
            return finishWarmUp(transfers, result.transferNanos, answers, "a scratch service");
        }
    }

    /**
     * Wait until the JIT's compilers have not worked for {@value #QUIET_COMPILER_MS} ms (its queue is drained),
     * at most {@value #MAX_COMPILER_WAIT_MS} ms; right away when the JVM does not report compilation time.
     *
     * @return the milliseconds waited.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static long awaitQuietCompiler() throws InterruptedException
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

    private static void createAccounts(final PaycoreClient client, final DemoWorkload workload, final Answers answers)
    {
        final AccountEventArray events = new AccountEventArray(workload.batchEvents());
        while (workload.hasMoreAccounts())
        {
            workload.nextAccounts(events);
            final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(events, REQUEST_TIMEOUT);
            for (int i = 0; i < results.count(); i++)
            {
                answers.accountResults[results.result(i).value()]++;
            }
            answers.accountEvents += results.count();
        }
    }

    private static void sendTransfers(
        final PaycoreClient client, final DemoWorkload workload, final int window, final Answers answers)
    {
        final TransferEventArray events = new TransferEventArray(workload.batchEvents());
        final IdleStrategy idle = new BackoffIdleStrategy();
        boolean haveBatch = false;
        long lastProgressNanos = System.nanoTime();
        while (workload.hasMoreTransfers() || haveBatch || answers.inFlight > 0)
        {
            int work = 0;
            while (answers.inFlight < window && (haveBatch || workload.hasMoreTransfers()))
            {
                if (!haveBatch)
                {
                    workload.nextTransfers(events);
                    haveBatch = true;
                }
                if (!PaycoreClient.sent(client.createTransfers(events)))
                {
                    break;
                }
                haveBatch = false;
                answers.inFlight++;
                work++;
            }
            final int received = client.poll(answers);
            work += received;
            if (received > 0)
            {
                lastProgressNanos = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgressNanos > STALL_TIMEOUT_NANOS)
            {
                throw new PaycoreClientException("no answer from the service for 30 s with " + answers.inFlight +
                    " messages in flight");
            }
            idle.idle(work);
        }
    }
}
