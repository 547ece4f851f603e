package io.paycore.service.serve;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.command.LedgerCapacityException;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.IdArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.replay.Recovery;
import io.paycore.replay.SnapshotTaker;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.Auditor;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.Account;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.Transfer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service in-process, as the demo uses it: launch, serve a client over Aeron IPC, close cleanly, launch again
 * from the same directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PaycoreServiceTest
{
    static final long CLIENT_ID = 7;
    static final String SECRET = "in-process";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PaycoreService service;
    private PaycoreClient client;

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(client, service);
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void shouldServeStopCleanlyAndRecoverTheSameLedgerFromTheShutdownSnapshot(final StageLayout layout)
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final ServiceContext context = context(data);
        context.pipelineContext().layout(layout);
        service = PaycoreService.launch(context);
        assertEquals(layout, service.pipeline().layout());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(PaycoreService.READY_PREFIX + " channel aeron:ipc"));

        client = connect(data, 3001);
        createFourAccounts(client);
        final TransferEventArray transfers = new TransferEventArray(3);
        transfers.add(1, 1, 2, 100, 0, 0, 840, 0, 1, 0);
        transfers.add(2, 2, 3, 40, 0, 0, 840, 0, 1, 0);
        transfers.add(3, 3, 99, 5, 0, 0, 840, 0, 1, 0);
        final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(transfers, TIMEOUT);
        assertEquals(CreateTransferResult.OK, results.result(0));
        assertEquals(CreateTransferResult.OK, results.result(1));
        assertTrue(CreateTransferResult.OK != results.result(2), results.toString());
        CloseHelper.close(client);
        client = null;

        service.close();
        final String finalDigest = service.finalDigest();
        assertNotNull(finalDigest);
        final String stopped = out.toString(StandardCharsets.UTF_8);
        assertTrue(stopped.contains(PaycoreService.FINAL_DIGEST_PREFIX + " " + finalDigest), stopped);
        assertTrue(stopped.contains("shutdown snapshot"), stopped);
        try (Recovery offline = Recovery.open(data, limits(), new JournalContext(), false))
        {
            assertEquals(finalDigest, offline.ledger().digestHex());
        }

        service = PaycoreService.launch(context(data));
        assertEquals(0, service.recoveryReport().recordsReplayed());
        assertNotNull(service.recoveryReport().snapshotFile());
        client = connect(data, 3002);
        final List<Account> found = client.lookupAccountsAndWait(TIMEOUT, 1, 2, 3);
        assertEquals(3, found.size());
        assertEquals(BigInteger.valueOf(100), found.get(0).debitsPosted());
        assertEquals(BigInteger.valueOf(100), found.get(1).creditsPosted());
        assertEquals(BigInteger.valueOf(40), found.get(1).debitsPosted());
        assertEquals(BigInteger.valueOf(40), found.get(2).creditsPosted());
    }

    @Test
    void shouldJournalItsLimitsSoThatEveryReplayAnswersAsItDid()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("limits"));
        service = PaycoreService.launch(context(data));
        final String firstRun = out.toString(StandardCharsets.UTF_8);
        assertTrue(firstRun.contains("limits      accounts 1024, transfers unbounded (cold tier), pending 256, " +
            "batch 64 in force from sequence 1 (no limits journaled before it)"), firstRun);
        client = connect(data, 3001);
        createFourAccounts(client);
        closeClientAndService();

        // Fewer accounts than the journal holds: refused, naming the limit in force, rather than recovered short.
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> PaycoreService.launch(context(data).ledgerLimits(limits().maxAccounts(2))));
        assertTrue(refused.getMessage().contains("replay with --max-accounts 1024 or more"), refused.getMessage());
        final List<String> recorded = new ArrayList<>();
        try (PaycoreMarkFile markFile = PaycoreMarkFile.openReadOnly(data.markFile()))
        {
            markFile.readErrors((count, first, last, text) -> recorded.add(text));
        }
        assertEquals(1, recorded.size(), recorded.toString());
        assertTrue(recorded.get(0).startsWith(LedgerCapacityException.class.getName() + ": journal record "),
            recorded.get(0));

        // Lower limits that hold the history: they are journaled and answered from then on.
        out.reset();
        service = PaycoreService.launch(context(data).ledgerLimits(limits().maxAccounts(6)));
        final String secondRun = out.toString(StandardCharsets.UTF_8);
        assertTrue(secondRun.contains("limits      accounts 6, transfers unbounded (cold tier), pending 256, " +
            "batch 64 in force from sequence "), secondRun);
        assertTrue(secondRun.contains(
            " (before it: accounts 1024, transfers unbounded (cold tier), pending 256)"), secondRun);
        client = connect(data, 3002);
        final AccountEventArray more = new AccountEventArray(3);
        for (long id = 5; id <= 7; id++)
        {
            more.add(id, 0, 840, 1, 0);
        }
        final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(more, TIMEOUT);
        assertEquals(CreateAccountResult.OK, results.result(1));
        assertEquals(CreateAccountResult.ACCOUNTS_FULL, results.result(2));
        closeClientAndService();

        // The same limits again: nothing more to journal.
        out.reset();
        service = PaycoreService.launch(context(data).ledgerLimits(limits().maxAccounts(6)));
        assertTrue(!out.toString(StandardCharsets.UTF_8).contains("limits  "), out.toString(StandardCharsets.UTF_8));
        service.close();
        final String finalDigest = service.finalDigest();

        // A replay with room for more accounts still answers the seventh ACCOUNTS_FULL: the same state.
        final AuditReport audit = Auditor.run(new AuditContext().directory(data).limits(limits()).conclude());
        assertEquals(2, audit.limitsRecords());
        assertEquals(finalDigest, audit.digest());
    }

    private void closeClientAndService()
    {
        CloseHelper.close(client);
        client = null;
        service.close();
    }

    @Test
    void shouldCarry128BitIdsAmountsAndUserDataFromClientToLedgerAndBack()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("wide"));
        service = PaycoreService.launch(context(data));
        client = connect(data, 3007);
        final long high = 0x8000_0000_0000_0001L; // the top bit too: unsigned all the way
        final AccountEventArray accounts = new AccountEventArray(2);
        accounts.add().id(high, 1).userData128(high, -1L).userData64(-2L).userData32(0xFFFF_FFFFL).ledger(840)
            .code(1);
        accounts.add().id(high, 2).ledger(840).code(1);
        assertTrue(client.createAccountsAndWait(accounts, TIMEOUT).all(CreateAccountResult.OK));

        final TransferEventArray transfers = new TransferEventArray(2);
        // 2^64 + 5: past what a long holds
        transfers.add().id(high, 10).debitAccountId(high, 1).creditAccountId(high, 2).amount(1, 5)
            .userData128(7, 8).ledger(840).code(1);
        transfers.add().id(high, 11).debitAccountId(high, 1).creditAccountId(high, 2).amount(2, 0).ledger(840)
            .code(1).flags(TransferFlags.PENDING).timeoutSeconds(60);
        assertTrue(client.createTransfersAndWait(transfers, TIMEOUT).all(CreateTransferResult.OK));

        final BigInteger highHalf = new BigInteger(Long.toUnsignedString(high)).shiftLeft(64);
        final List<Account> found = client.lookupAccountsAndWait(TIMEOUT, new IdArray(2).add(high, 1).add(high, 2));
        assertEquals(2, found.size());
        final Account debit = found.get(0);
        assertEquals(highHalf.add(BigInteger.ONE), debit.id());
        assertEquals(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(5)), debit.debitsPosted());
        assertEquals(BigInteger.TWO.shiftLeft(64), debit.debitsPending());
        assertEquals(highHalf.add(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)), debit.userData128());
        assertEquals(-2L, debit.userData64());
        assertEquals(0xFFFF_FFFFL, debit.userData32());
        assertEquals(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(5)), found.get(1).creditsPosted());

        final List<Transfer> transfersFound = client.lookupTransfersAndWait(TIMEOUT, new IdArray(1).add(high, 10));
        assertEquals(1, transfersFound.size());
        final Transfer transfer = transfersFound.get(0);
        assertEquals(highHalf.add(BigInteger.TEN), transfer.id());
        assertEquals(highHalf.add(BigInteger.ONE), transfer.debitAccountId());
        assertEquals(highHalf.add(BigInteger.TWO), transfer.creditAccountId());
        assertEquals(BigInteger.valueOf(7).shiftLeft(64).add(BigInteger.valueOf(8)), transfer.userData128());
        assertTrue(transfer.timestamp() > debit.timestamp(), "timestamps rise from accounts to transfers");
        // the low halves alone name other ids, which do not exist
        assertTrue(client.lookupAccountsAndWait(TIMEOUT, 1, 2).isEmpty());
    }

    @Test
    void shouldRunTheStagesInlineInTheSharedProfileUnlessToldOtherwise()
    {
        final ServiceContext shared = context(new DataDirectory(temp.resolve("shared"))).conclude();
        assertEquals(StageLayout.INLINE, shared.pipelineContext().layout());

        final ServiceContext combined = context(new DataDirectory(temp.resolve("combined")));
        combined.pipelineContext().layout(StageLayout.COMBINED);
        assertEquals(StageLayout.COMBINED, combined.conclude().pipelineContext().layout());
    }

    @Test
    void shouldRefuseANegativeSnapshotWriteRateNamingItsProperty()
    {
        final ServiceContext context = context(new DataDirectory(temp.resolve("rate"))).snapshotWriteRate(-1);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(SnapshotTaker.WRITE_RATE_PROP_NAME), ex.getMessage());
        assertEquals(SnapshotTaker.WRITE_RATE_DEFAULT, context(new DataDirectory(temp.resolve("default")))
            .snapshotWriteRate(), "the default when the property is not set");
    }

    @Test
    void shouldKeepASmallHotWindowArchiveTheJournalBeforeTheSnapshotAndRecoverEveryTransfer()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final ServiceContext context = hotWindowContext(data);
        service = PaycoreService.launch(context);
        client = connect(data, 3005);
        createFourAccounts(client);
        final TransferEventArray transfers = new TransferEventArray(50);
        long id = 0;
        for (int message = 0; message < 100; message++)
        {
            transfers.reset();
            for (int i = 0; i < 50; i++)
            {
                id++;
                transfers.add(id, 1 + id % 4, 1 + (id + 1) % 4, id, 0, id, 840, 0, 1, 0);
            }
            assertTrue(client.createTransfersAndWait(transfers, TIMEOUT).all(CreateTransferResult.OK));
        }
        assertTrue(awaitCounter("paycore: cold tier records written", 4_000), "most transfers went to the cold tier");
        assertTrue(awaitCounter("paycore: snapshots taken", 5), "the snapshotter took snapshots");
        CloseHelper.close(client);
        client = null;
        service.close();
        final String finalDigest = service.finalDigest();

        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream savedOut = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(0, PaycoreMain.execute("journal", "archive", "--data", data.root().toString(),
                "--before-snapshot"));
            assertEquals(0, PaycoreMain.execute("audit", "--data", data.root().toString(), "--from-snapshot",
                "--hot-transfers", "64", "--cold-tier-size", "64m", "--max-accounts", "1024", "--max-pending", "256",
                "--max-batch", "64", "--progress", "never"));
        }
        finally
        {
            System.setOut(savedOut);
        }
        final String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*archived \\d+ segment\\(s\\).*"), text);
        assertTrue(text.contains("digest: " + finalDigest), text);

        out.reset();
        service = PaycoreService.launch(hotWindowContext(data));
        final String recovered = out.toString(StandardCharsets.UTF_8);
        assertTrue(recovered.contains(" digest " + finalDigest + System.lineSeparator()), recovered);
        assertTrue(recovered.contains("cold tier"), recovered);
        client = connect(data, 3006);
        assertEquals(1, client.lookupTransfersAndWait(TIMEOUT, 1).size(), "the first transfer, from the cold tier");
        transfers.reset();
        transfers.add(1, 2, 3, 1, 0, 1, 840, 0, 1, 0);
        assertEquals(CreateTransferResult.EXISTS, client.createTransfersAndWait(transfers, TIMEOUT).result(0));
    }

    /**
     * @return true once the counter with this label reads at least {@code atLeast}, within the timeout.
     */
    private boolean awaitCounter(final String label, final long atLeast)
    {
        final CountersReader counters = service.server().aeron().countersReader();
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline)
        {
            final long[] value = { -1 };
            counters.forEach((counterId, typeId, keyBuffer, counterLabel) ->
            {
                if (label.equals(counterLabel))
                {
                    value[0] = counters.getCounterValue(counterId);
                }
            });
            if (value[0] >= atLeast)
            {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }

    private static void createFourAccounts(final PaycoreClient client)
    {
        final AccountEventArray accounts = new AccountEventArray(4);
        for (long id = 1; id <= 4; id++)
        {
            accounts.add(id, 0, 840, 1, 0);
        }
        assertTrue(client.createAccountsAndWait(accounts, TIMEOUT).all(CreateAccountResult.OK));
    }

    private ServiceContext hotWindowContext(final DataDirectory data)
    {
        final ServiceContext context = context(data)
            .ledgerLimits(limits().maxTransfers(64))
            .coldTierSizeBytes(64L << 20);
        context.journalContext().segmentLength(64 * 1024);
        context.pipelineContext().snapshotEveryRecords(20);
        return context;
    }

    private ServiceContext context(final DataDirectory data)
    {
        return new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(limits())
            .journalContext(new JournalContext().flushLevel(FlushLevel.BATCH).segmentLength(1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256).snapshotEveryRecords(1000))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)), "test")))
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(4096).maxPendingTransfers(256).maxBatchEvents(64);
    }

    /**
     * A client of the in-process service's {@link #CLIENT_ID} over IPC, answered on its own stream.
     */
    static PaycoreClient connect(final DataDirectory data, final int responseStreamId)
    {
        return PaycoreClient.connect(new ClientContext()
            .aeronDirectoryName(data.aeronDirectory().toString())
            .clientId(CLIENT_ID)
            .secret(SECRET)
            .ingressChannel("aeron:ipc")
            .responseChannel("aeron:ipc")
            .responseStreamId(responseStreamId)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(10)));
    }
}
