package io.paycore.service.query;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.AccountBalance;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import io.paycore.transport.client.Transfer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueryServerTest
{
    private static final long CLIENT_ID = 7;
    private static final String SECRET = "query-test-secret";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int TRANSFERS = 60;

    @TempDir
    Path temp;

    private PaycoreService service;
    private Aeron aeron;
    private AgentRunner server;
    private PaycoreClient client;
    private DataDirectory data;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start()
    {
        data = new DataDirectory(temp.resolve("data"));
        service = PaycoreService.launch(new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(limits())
            .journalContext(new JournalContext().flushLevel(FlushLevel.NONE).segmentLength(1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)), "test")))
            .coldTierSizeBytes(0)
            .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server().aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        final QueryServer agent = new QueryServer(aeron, new QueryServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(limits()).coldTierSizeBytes(0))
            .requestChannel("aeron:ipc")
            .log(line ->
            {
                synchronized (log)
                {
                    log.add(line);
                }
            }), temp.resolve("store"));
        server = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000), Throwable::printStackTrace, null,
            agent);
        AgentRunner.startOnThread(server);
        client = connect("aeron:ipc");
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(client, server, aeron, service);
    }

    @Test
    void shouldAnswerEveryQueryWithWhatTheClientJustWrote()
    {
        write();

        // No pause between the writes and the queries: the answers must include them (read your writes).
        final AccountFilter both = new AccountFilter().accountId(0, 1).limit(1024)
            .flags(AccountFilter.DEBITS | AccountFilter.CREDITS);
        final List<Transfer> all = client.getAccountTransfersAndWait(both, TIMEOUT);
        assertEquals(TRANSFERS, all.size());
        for (int i = 0; i < all.size(); i++)
        {
            assertEquals(BigInteger.valueOf(i + 1), all.get(i).id(), "in timestamp order");
        }

        final List<AccountBalance> balances = client.getAccountBalancesAndWait(both, TIMEOUT);
        assertEquals(TRANSFERS, balances.size(), "account 1 has the history flag");
        long debits = 0;
        long credits = 0;
        for (int i = 0; i < TRANSFERS; i++)
        {
            final Transfer t = all.get(i);
            if (BigInteger.ONE.equals(t.debitAccountId()))
            {
                debits += t.amount().longValueExact();
            }
            else
            {
                credits += t.amount().longValueExact();
            }
            assertEquals(BigInteger.valueOf(debits), balances.get(i).debitsPosted(), "after transfer " + (i + 1));
            assertEquals(BigInteger.valueOf(credits), balances.get(i).creditsPosted());
            assertEquals(t.timestamp(), balances.get(i).timestamp());
        }
        assertEquals(List.of(), client.getAccountBalancesAndWait(
            new AccountFilter().accountId(0, 2).limit(10).flags(3), TIMEOUT), "no history flag, no history");

        // Paging by timestamp, newest first.
        final List<BigInteger> paged = new ArrayList<>();
        final AccountFilter page = new AccountFilter().accountId(0, 1).limit(7)
            .flags(AccountFilter.DEBITS | AccountFilter.CREDITS | AccountFilter.REVERSED);
        for (List<Transfer> got = client.getAccountTransfersAndWait(page, TIMEOUT); !got.isEmpty();
            got = client.getAccountTransfersAndWait(page, TIMEOUT))
        {
            got.forEach(t -> paged.add(t.id()));
            page.timestamps(0, got.get(got.size() - 1).timestamp() - 1);
        }
        final List<BigInteger> newestFirst = all.stream().map(Transfer::id).collect(Collectors.toList());
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, paged);

        final QueryFilter byUserData = new QueryFilter().limit(1024);
        byUserData.userData64(3);
        final List<Transfer> threes = client.queryTransfersAndWait(byUserData, TIMEOUT);
        assertEquals(TRANSFERS / 10, threes.size());
        assertTrue(threes.stream().allMatch(t -> 3 == t.userData64()));

        final QueryFilter onLedger = new QueryFilter().limit(1024);
        onLedger.ledger(700);
        assertEquals(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3)),
            client.queryAccountsAndWait(onLedger, TIMEOUT).stream().map(a -> a.id()).collect(Collectors.toList()));
    }

    @Test
    void shouldRefuseALimitAboveAnAnswerAndSayWhereThereIsNoQueryServer()
    {
        write();
        final PaycoreClientException tooMany = assertThrows(PaycoreClientException.class,
            () -> client.getAccountTransfersAndWait(new AccountFilter().accountId(0, 1).limit(5000).flags(3),
            TIMEOUT));
        assertTrue(tooMany.getMessage().contains("LIMIT_TOO_LARGE"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("page by timestamp"), tooMany.getMessage());

        assertEquals(List.of(), client.getAccountTransfersAndWait(new AccountFilter().accountId(0, 1).limit(10),
            TIMEOUT), "TigerBeetle's invalid filter (neither debits nor credits): an empty answer");

        try (PaycoreClient noQueries = connect(null))
        {
            final PaycoreClientException none = assertThrows(PaycoreClientException.class,
                () -> noQueries.queryTransfers(new QueryFilter().limit(1)));
            assertTrue(none.getMessage().startsWith("no query server"), none.getMessage());
        }
    }

    private void write()
    {
        final AccountEventArray accounts = new AccountEventArray(4);
        accounts.add(1, 0, 700, 1, AccountFlags.HISTORY);
        accounts.add(2, 0, 700, 1, 0);
        accounts.add(3, 0, 700, 1, 0);
        client.createAccountsAndWait(accounts, TIMEOUT);
        final TransferEventArray transfers = new TransferEventArray(TRANSFERS);
        for (int i = 1; i <= TRANSFERS; i++)
        {
            final boolean out = i % 3 != 0;
            transfers.add().id(0, i).debitAccountId(0, out ? 1 : 2 + i % 2).creditAccountId(0, out ? 2 + i % 2 : 1)
                .amount(0, i).userData64(i % 10).ledger(700).code(1);
        }
        final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(transfers, TIMEOUT);
        for (int i = 0; i < TRANSFERS; i++)
        {
            assertEquals(CreateTransferResult.OK, results.result(i));
        }
        assertTrue(client.lastWriteTimestamp() > 0);
    }

    private PaycoreClient connect(final String queryChannel)
    {
        return PaycoreClient.connect(new ClientContext()
            .aeronDirectoryName(data.aeronDirectory().toString())
            .clientId(CLIENT_ID)
            .secret(SECRET)
            .ingressChannel("aeron:ipc")
            .responseChannel("aeron:ipc")
            .responseStreamId(null == queryChannel ? 4002 : 4001)
            .queryChannel(queryChannel)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(10)));
    }

    private static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(4096).maxPendingTransfers(256).maxBatchEvents(64);
    }
}
