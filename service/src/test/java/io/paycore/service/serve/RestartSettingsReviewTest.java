package io.paycore.service.serve;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.Auditor;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service restarted on the same data directory with other settings: nothing acknowledged is lost, and every
 * replay gives the digest the service ended with.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartSettingsReviewTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PaycoreService service;
    private PaycoreClient client;
    private long nextTransferId = 1;

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(client, service);
    }

    /**
     * Pending transfers posted while every transfer was in memory, then the tier turned on: the service went on from
     * a snapshot whose records were never sealed, and sealed them in their final state, where a replay of the
     * journal with the tier seals them pending and re-records them when posted. A recovery without snapshots then
     * refused the tier as another history's (exit status 4).
     */
    @Test
    void shouldStartFromTheWholeJournalAfterTheColdTierWasTurnedOnOverAHistoryWithoutIt()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        service = PaycoreService.launch(context(data, 4096, 0));
        client = PaycoreServiceTest.connect(data, 3001);
        createAccounts();
        pending(1000, 5, TransferFlags.PENDING);
        sendTransfers(100);
        pending(2000, 5, TransferFlags.POST_PENDING);
        stop();

        out.reset();
        service = PaycoreService.launch(context(data, 64, 64L << 20));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("taken without a cold tier"), out.toString());
        client = PaycoreServiceTest.connect(data, 3002);
        sendTransfers(300);
        final String digest = stop();
        assertEquals(digest, audit(data, 64L << 20));

        IoUtil.delete(data.snapshotDirectory().toFile(), false);
        // Recovery from the journal alone, with the tier the service filled: it holds what this replay seals.
        out.reset();
        service = PaycoreService.launch(context(data, 64, 64L << 20));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(" digest " + digest), out.toString());
        client = PaycoreServiceTest.connect(data, 3003);
        resendFirstIsExists();
    }

    /**
     * A history made without a tier, at its transfer limit, replayed with one: until 2026-12-08 the replay counted
     * the re-records of sealed pending transfers it posts against the limit, which the service did not have, and
     * answered {@code TRANSFERS_FULL} where the service answered {@code OK}. The limit now leaves re-records out
     * (and ledger snapshots carry their count).
     */
    @Test
    void shouldReplayAHistoryWithoutATierAtItsTransferLimitAsItWasAnsweredWhenReplayedWithOne()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        service = PaycoreService.launch(context(data, 64, 64L << 20));
        client = PaycoreServiceTest.connect(data, 3001);
        createAccounts();
        pending(1000, 5, TransferFlags.PENDING);
        sendTransfers(100);
        stop();

        // Without a tier, 200 transfers at most: the five posts and 90 more fill it exactly.
        service = PaycoreService.launch(context(data, 200, 0));
        client = PaycoreServiceTest.connect(data, 3002);
        pending(2000, 5, TransferFlags.POST_PENDING);
        sendTransfers(50);
        final TransferEventArray transfers = new TransferEventArray(40);
        for (int i = 0; i < 40; i++)
        {
            final long id = nextTransferId++;
            transfers.add(id, 1 + id % 4, 1 + (id + 1) % 4, id, 0, id, 840, 0, 1, 0);
        }
        assertTrue(client.createTransfersAndWait(transfers, TIMEOUT).all(CreateTransferResult.OK));
        final String digest = stop();

        assertEquals(digest, audit(data, 0));
        assertEquals(digest, audit(data, 64L << 20));
    }

    private void pending(final long firstId, final int count, final int flags)
    {
        final TransferEventArray transfers = new TransferEventArray(count);
        for (int i = 0; i < count; i++)
        {
            final long pendingId = TransferFlags.PENDING == flags ? 0 : 1000 + i;
            transfers.add(firstId + i, TransferFlags.PENDING == flags ? 1 : 0, TransferFlags.PENDING == flags ? 2 : 0,
                TransferFlags.PENDING == flags ? 10 : 0, pendingId, 0, 840, 0, 1, flags);
        }
        assertTrue(client.createTransfersAndWait(transfers, TIMEOUT).all(CreateTransferResult.OK));
    }

    private void resendFirstIsExists()
    {
        final TransferEventArray transfers = new TransferEventArray(1);
        transfers.add(1, 1 + 1 % 4, 1 + 2 % 4, 1, 0, 1, 840, 0, 1, 0);
        assertEquals(CreateTransferResult.EXISTS, client.createTransfersAndWait(transfers, TIMEOUT).result(0));
    }

    private String audit(final DataDirectory data, final long coldTierSizeBytes)
    {
        return Auditor.run(new AuditContext().directory(data).limits(new LedgerLimits().maxAccounts(1024)
            .maxTransfers(coldTierSizeBytes > 0 ? 64 : 4096).maxPendingTransfers(256).maxBatchEvents(64))
            .coldTierSizeBytes(coldTierSizeBytes).historyOut(new PrintStream(new ByteArrayOutputStream()))
            .conclude()).digest();
    }

    private String stop()
    {
        CloseHelper.close(client);
        client = null;
        service.close();
        final String digest = service.finalDigest();
        service = null;
        return digest;
    }

    private void createAccounts()
    {
        final AccountEventArray accounts = new AccountEventArray(4);
        for (long id = 1; id <= 4; id++)
        {
            accounts.add(id, 0, 840, 1, 0);
        }
        assertTrue(client.createAccountsAndWait(accounts, TIMEOUT).all(CreateAccountResult.OK));
    }

    private void sendTransfers(final int count)
    {
        final TransferEventArray transfers = new TransferEventArray(50);
        for (int sent = 0; sent < count; sent += 50)
        {
            transfers.reset();
            for (int i = 0; i < 50; i++)
            {
                final long id = nextTransferId++;
                transfers.add(id, 1 + id % 4, 1 + (id + 1) % 4, id, 0, id, 840, 0, 1, 0);
            }
            assertTrue(client.createTransfersAndWait(transfers, TIMEOUT).all(CreateTransferResult.OK));
        }
    }

    private ServiceContext context(final DataDirectory data, final int hotTransfers, final long coldTierSizeBytes)
    {
        return new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(new LedgerLimits().maxAccounts(1024).maxTransfers(hotTransfers).maxPendingTransfers(256)
                .maxBatchEvents(64))
            .coldTierSizeBytes(coldTierSizeBytes)
            .journalContext(new JournalContext().flushLevel(FlushLevel.BATCH).segmentLength(64 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256).snapshotEveryRecords(3))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .credentials(ClientCredentials.parse(List.of(
                    ClientCredentials.line(PaycoreServiceTest.CLIENT_ID, PaycoreServiceTest.SECRET, 1)), "test")))
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
