package io.paycore.service.serve;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.cold.ColdTierException;
import io.paycore.core.cold.ColdTierFullException;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.Auditor;
import io.paycore.service.Commands;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A review of what a running service does when its storage runs out: the cold tier reaching {@code --cold-tier-size}
 * (LMDB's {@code MDB_MAP_FULL}), and the disk filling under the cold tier, under the snapshots at shutdown, or under
 * a data directory being started.
 * The service is launched in-process (shared profile, Aeron IPC) over a 64-transfer hot window, so that a 1 MiB tier
 * fills within a few thousand transfers. The tests that fill a real disk mount a small tmpfs: they need root (or
 * CAP_SYS_ADMIN) and skip themselves otherwise, as {@code DiskFullTest} and {@code PowerCutTest} do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StorageReviewTest
{
    private static final long CLIENT_ID = 7;
    private static final String SECRET = "in-process";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int BATCH = 64;
    private static final long SMALL_TIER = 1L << 20;
    private static final long LARGE_TIER = 64L << 20;

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Path> mounts = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private PaycoreService service;
    private PaycoreClient client;
    private int responseStreamId = 3100;

    @AfterEach
    void after() throws Exception
    {
        CloseHelper.quietCloseAll(client, service);
        for (int i = mounts.size() - 1; i >= 0; i--)
        {
            Commands.run(10, "umount", "-l", mounts.get(i).toString());
        }
    }

    /**
     * A full cold tier stops the service with an error that does not name the limit that was reached: the pipeline's
     * failure (what {@code serve} prints, what the error log keeps) says "the cold tier is full (1048576 bytes)", and
     * a restart with the same size, when the replay finds the tier full, is refused with the same words. Every other
     * limit names its option and property (DESIGN.md: "every limit has a name, a default and a clear error"); an
     * operator reading this one has to know that the tier's size is {@code --cold-tier-size}
     * ({@code paycore.cold.tier.size.bytes}), the one thing to raise. What the test also holds (and the code does):
     * every acknowledged transfer is kept and answers {@code EXISTS} after a restart on a larger tier, whose digest
     * is the audit's.
     */
    @Test
    void shouldNameColdTierSizeWhenTheTierIsFullAndRecoverEveryAcknowledgedTransferOnALargerOne()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        service = PaycoreService.launch(context(data, SMALL_TIER));
        final Filled filled = fill();

        final Throwable failure = service.pipeline().failure();
        assertTrue(failure instanceof ColdTierFullException, String.valueOf(failure));
        closeClientAndService();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--cold-tier-size"),
            "the service's own report of a full tier should name the limit to raise: " + failure.getMessage());

        // The same size again: the replay writes the tier in smaller transactions than the writer did, which may
        // still fit; if the start is refused, the refusal must name the limit too.
        try
        {
            service = PaycoreService.launch(context(data, SMALL_TIER));
            service.close();
        }
        catch (final ColdTierException refused)
        {
            assertTrue(refused.getMessage().contains("--cold-tier-size"),
                "a start refused for a full tier should name the limit to raise: " + refused.getMessage());
        }

        recoverOnALargerTier(data, filled, LARGE_TIER, temp.resolve("audit-tier"));
    }

    /**
     * When the cold tier fails the clients are answered {@code Rejected(UNAVAILABLE)} with the detail "the service
     * cannot accept input now: its journal has failed". The journal has not failed (it holds every request, and the
     * recovery takes them all); the cold tier has. A client, or the operator reading its log, is told the wrong
     * cause ("bad conditions ... say why").
     */
    @Test
    void shouldNotTellClientsTheJournalFailedWhenTheColdTierIsFull()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        service = PaycoreService.launch(context(data, SMALL_TIER));
        final Filled filled = fill();

        assertTrue(service.pipeline().failure() instanceof ColdTierFullException,
            String.valueOf(service.pipeline().failure()));
        assertNull(service.journal().failure(), "the journal did not fail");
        final String told = filled.refusal.getMessage();
        assertTrue(told.contains("UNAVAILABLE"), told);
        assertFalse(told.contains("journal has failed"), "the client is told the journal failed: " + told);
        assertTrue(told.contains("cold tier"), "the client should be told what failed: " + told);
    }

    /**
     * {@code serve} on a data directory whose disk has no room for the journal's first segment says "refusing to
     * start: the journal is damaged (not a torn tail), and starting would lose or invent history" and exits with
     * status 3, the damaged journal's. Nothing is damaged: the disk is full ({@code No space left on device}), and
     * the cure is room, not a repair of the journal. Any I/O failure opening the journal (a full disk, EIO) is
     * reported so. Needs root to mount a small tmpfs; skipped otherwise.
     */
    @Test
    void shouldNotCallAFullDiskAtStartADamagedJournal() throws Exception
    {
        final Path disk = mountTmpfs(temp.resolve("disk"), "8m");
        final DataDirectory data = new DataDirectory(disk.resolve("data"));
        ServeCommandTest.writeClients(data);

        // The mark file (1 MiB) fits, the journal's first segment (64 MiB) does not.
        final int status = PaycoreMain.execute("serve", "--data", data.root().toString(),
            "--max-accounts", "1024", "--max-transfers", "4096", "--max-pending", "256", "--cold-tier-size", "0");

        final String message = console.err();
        assertTrue(message.contains("No space left on device"), message);
        assertFalse(message.contains("the journal is damaged"), "a full disk is not a damaged journal: " + message);
        assertEquals(ServeCommand.EXIT_START_FAILED, status, message);
    }

    /**
     * With the disk under {@code DIR/cold} full (the tier's map, {@code --cold-tier-size}, still far from it), the
     * tier's writer fails with "the cold tier could not write records ...: EIO Input/output error (5)": LMDB takes a
     * short write for an I/O error. The service stops as it should, but says its disk is failing when the disk is
     * only full: an operator replaces hardware instead of freeing space. The failure should say that the disk holding
     * the tier has no room. What the test also holds (and the code does): once the disk has room, a restart recovers
     * every acknowledged transfer to the audit's digest. Needs root to mount a small tmpfs; skipped otherwise.
     */
    @Test
    void shouldSayTheDiskIsFullWhenTheColdTierCannotWriteForLackOfSpace() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path cold = mountTmpfs(data.coldDirectory(), "2m");
        service = PaycoreService.launch(context(data, LARGE_TIER));
        final Filled filled = fill();

        final Throwable failure = service.pipeline().failure();
        assertTrue(failure instanceof ColdTierException, String.valueOf(failure));
        assertFalse(failure instanceof ColdTierFullException, "the map is far from full: " + failure);
        final String said = failure.getMessage().toLowerCase(Locale.ROOT);
        assertTrue(said.contains("no space") || said.contains("full") || said.contains("free"),
            "a full disk under the cold tier should be named as such: " + failure.getMessage());

        closeClientAndService();
        assertEquals(null, Commands.run(10, "mount", "-o", "remount,size=64m", cold.toString()));
        recoverOnALargerTier(data, filled, LARGE_TIER, temp.resolve("audit-tier"));
    }

    /**
     * A shutdown snapshot that finds its disk full is reported to the error handler, but not counted: the last line
     * the service prints says "0 failed" right after the failure, and
     * {@link io.paycore.replay.SnapshotTaker#failures()} (the {@code paycore: snapshots failed} counter's source)
     * stays 0. {@code SnapshotTaker} promises that "a snapshot that fails (disk full, I/O error) is reported ... and
     * counted", and every periodic one is; so should this one be, the one a restart would have started from. Needs root to mount a small tmpfs; skipped otherwise.
     */
    @Test
    void shouldCountAShutdownSnapshotThatFindsTheDiskFull() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path snapshots = mountTmpfs(data.snapshotDirectory(), "64k");
        fillUp(snapshots.resolve("filler"));
        final ServiceContext context = context(data, LARGE_TIER);
        context.pipelineContext().snapshotEveryRecords(0);
        service = PaycoreService.launch(context);
        client = connect();
        createAccounts(client);
        closeClientAndService();

        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(errors.toString().contains("No space left on device"), errors + " " + printed);
        assertFalse(printed.contains("shutdown snapshot " + data.snapshotDirectory()), printed);
        assertEquals(List.of("filler"), List.of(snapshots.toFile().list()), "a partly written snapshot was left");
        assertEquals(1, service.snapshotTaker().failures(), printed);
        assertTrue(printed.contains("1 failed"), printed);
    }

    /**
     * Write a file until its disk is full.
     */
    private static void fillUp(final Path file) throws IOException
    {
        final byte[] chunk = new byte[4096];
        try (OutputStream stream = Files.newOutputStream(file))
        {
            while (true)
            {
                stream.write(chunk);
            }
        }
        catch (final IOException ex)
        {
            if (!String.valueOf(ex.getMessage()).contains("No space left"))
            {
                throw ex;
            }
        }
    }

    private static void assertNull(final Object value, final String message)
    {
        assertEquals(null, value, message);
    }

    /**
     * What a client had acknowledged before the service refused it, and how it was refused.
     */
    private static final class Filled
    {
        final List<Long> acknowledged = new ArrayList<>();
        PaycoreClientException refusal;
    }

    /**
     * Send messages of {@value #BATCH} new transfers, one at a time, until one is refused; then wait for the
     * pipeline to say it failed.
     */
    private Filled fill()
    {
        client = connect();
        createAccounts(client);
        final Filled filled = new Filled();
        final TransferEventArray transfers = new TransferEventArray(BATCH);
        long id = 0;
        while (null == filled.refusal)
        {
            assertTrue(id < 1_000_000, "nothing refused after " + id + " transfers");
            transfers.reset();
            final long first = id + 1;
            for (int i = 0; i < BATCH; i++)
            {
                id++;
                transfers.add(id, 1 + id % 4, 1 + (id + 1) % 4, 1, 0, 0, 840, 0, 1, 0);
            }
            try
            {
                final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(transfers, TIMEOUT);
                assertTrue(results.all(CreateTransferResult.OK), results.toString());
                for (long k = first; k <= id; k++)
                {
                    filled.acknowledged.add(k);
                }
            }
            catch (final PaycoreClientException ex)
            {
                filled.refusal = ex;
            }
        }
        assertTrue(filled.acknowledged.size() > BATCH, "acknowledged " + filled.acknowledged.size());
        assertTrue(service.pipeline().isFailed(), "refused without a failure: " + filled.refusal);
        return filled;
    }

    /**
     * Start again on a tier of {@code tierSize}: every acknowledged transfer answers {@code EXISTS}, and the digest
     * at the end is the audit's.
     */
    private void recoverOnALargerTier(
        final DataDirectory data, final Filled filled, final long tierSize, final Path auditTier)
    {
        service = PaycoreService.launch(context(data, tierSize));
        client = connect();
        final TransferEventArray transfers = new TransferEventArray(BATCH);
        final List<Long> acknowledged = filled.acknowledged;
        for (int from = 0; from < acknowledged.size(); from += BATCH)
        {
            transfers.reset();
            final int to = Math.min(acknowledged.size(), from + BATCH);
            for (int i = from; i < to; i++)
            {
                final long k = acknowledged.get(i);
                transfers.add(k, 1 + k % 4, 1 + (k + 1) % 4, 1, 0, 0, 840, 0, 1, 0);
            }
            final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(transfers, TIMEOUT);
            for (int i = 0; i < to - from; i++)
            {
                assertEquals(CreateTransferResult.EXISTS, results.result(i),
                    "acknowledged transfer " + acknowledged.get(from + i) + " after the restart");
            }
        }
        closeClientAndService();
        final String digest = service.finalDigest();
        assertNotNull(digest);
        try
        {
            Files.createDirectories(auditTier);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        assertEquals(digest, Auditor.run(new AuditContext().directory(data).limits(limits())
            .coldTierSizeBytes(LARGE_TIER).coldTierParent(auditTier).conclude()).digest());
    }

    private void closeClientAndService()
    {
        CloseHelper.close(client);
        client = null;
        service.close();
    }

    private Path mountTmpfs(final Path point, final String size) throws Exception
    {
        Files.createDirectories(point);
        final String output =
            Commands.run(10, "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString());
        Assumptions.assumeTrue(null == output, () -> "cannot mount a small tmpfs to fill a disk (needs root or " +
            "CAP_SYS_ADMIN); skipped: " + output);
        mounts.add(point);
        return point;
    }

    private ServiceContext context(final DataDirectory data, final long coldTierSize)
    {
        return new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(limits())
            .coldTierSizeBytes(coldTierSize)
            .journalContext(new JournalContext().flushLevel(FlushLevel.BATCH).segmentLength(1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256).snapshotEveryRecords(20))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .embeddedAeronDirectoryName(temp.resolve("aeron").toString())
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)), "test")))
            .errorHandler(errors::add)
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(64).maxPendingTransfers(256).maxBatchEvents(BATCH);
    }

    private static void createAccounts(final PaycoreClient client)
    {
        final AccountEventArray accounts = new AccountEventArray(4);
        for (long id = 1; id <= 4; id++)
        {
            accounts.add(id, 0, 840, 1, 0);
        }
        assertTrue(client.createAccountsAndWait(accounts, TIMEOUT).all(CreateAccountResult.OK));
    }

    private PaycoreClient connect()
    {
        return PaycoreClient.connect(new ClientContext()
            .aeronDirectoryName(service.server().aeronDirectoryName())
            .clientId(CLIENT_ID)
            .secret(SECRET)
            .ingressChannel("aeron:ipc")
            .responseChannel("aeron:ipc")
            .responseStreamId(++responseStreamId)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(10)));
    }
}
