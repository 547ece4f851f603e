package io.paycore.service.query;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.aeron.Aeron;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.QueryRefusedDecoder;
import io.paycore.codec.sbe.QueryTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
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
import io.paycore.replay.query.QueryEngine;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.AccountBalance;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
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
        startQueryServer(QueryEngine.MAX_SCAN_DEFAULT);
        client = connect("aeron:ipc");
    }

    private void startQueryServer(final long maxScan)
    {
        startQueryServer(maxScan, SECRET);
    }

    private void startQueryServer(final long maxScan, final String secret)
    {
        final QueryServer agent = new QueryServer(aeron, new QueryServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(limits()).coldTierSizeBytes(0))
            .requestChannel("aeron:ipc")
            .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, secret, 1)), "test"))
            .maxScan(maxScan)
            .log(line ->
            {
                synchronized (log)
                {
                    log.add(line);
                }
            }), temp.resolve("store-" + maxScan + "-" + secret));
        server = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000), Throwable::printStackTrace, null,
            agent);
        AgentRunner.startOnThread(server);
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

    @Test
    void shouldRefuseAQueryThatReadsItsMostEntriesAndSayWhereItStopped()
    {
        write();
        server.close();
        startQueryServer(40);

        final QueryFilter threes = new QueryFilter().limit(1024);
        threes.userData64(3);
        final PaycoreClientException cut = assertThrows(PaycoreClientException.class,
            () -> client.queryTransfersAndWait(threes, TIMEOUT));
        final Matcher where = Pattern.compile("SCAN_LIMIT \\(read 40 transfers \\(--max-scan\\) up to timestamp " +
            "(\\d+) and found 4, fewer than the limit 1024: ask up to timestamp \\1 for those, then above it\\)")
            .matcher(cut.getMessage());
        assertTrue(where.find(), cut.getMessage());
        final long at = Long.parseLong(where.group(1));

        final List<BigInteger> got = new ArrayList<>();
        client.queryTransfersAndWait(threes.timestamps(0, at), TIMEOUT).forEach(t -> got.add(t.id()));
        client.queryTransfersAndWait(threes.timestamps(at + 1, 0), TIMEOUT).forEach(t -> got.add(t.id()));
        assertEquals(List.of(3, 13, 23, 33, 43, 53).stream().map(BigInteger::valueOf).collect(Collectors.toList()),
            got, "the two narrower queries answer all of it");

        final PaycoreClientException statement = assertThrows(PaycoreClientException.class,
            () -> client.getAccountTransfersAndWait(new AccountFilter().accountId(0, 1).limit(1024)
            .flags(AccountFilter.DEBITS | AccountFilter.CREDITS | AccountFilter.REVERSED), TIMEOUT));
        assertTrue(statement.getMessage().contains("read 40 transfers (--max-scan) down to timestamp "),
            statement.getMessage());
        assertTrue(statement.getMessage().contains("ask from timestamp "), statement.getMessage());
        assertEquals(20, client.getAccountTransfersAndWait(new AccountFilter().accountId(0, 1).limit(20)
            .flags(AccountFilter.DEBITS | AccountFilter.CREDITS), TIMEOUT).size(), "a limit reached is no cut");
    }

    /**
     * A client the service lets in, whose secret the query server's credentials file does not hold: its queries are
     * refused UNAUTHENTICATED, saying why, on the blocking API and to a listener alike.
     */
    @Test
    void shouldTellAClientWhoseSecretTheQueryServerDoesNotHoldThatItIsUnauthenticated()
    {
        write();
        server.close();
        startQueryServer(QueryEngine.MAX_SCAN_DEFAULT, "the-query-servers-secret");

        final PaycoreClientException refused = assertThrows(PaycoreClientException.class,
            () -> client.queryTransfersAndWait(new QueryFilter().limit(10), TIMEOUT));
        assertTrue(refused.getMessage().matches("query \\d+ refused: UNAUTHENTICATED \\(the credential of client " +
            CLIENT_ID + " does not match the query server's credentials file\\)"), refused.getMessage());

        final long id = sendQuery(client);
        final List<String> seen = new ArrayList<>();
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen.isEmpty() && System.nanoTime() - deadline < 0)
        {
            client.poll(queryRefusals(seen));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertEquals(List.of(id + " UNAUTHENTICATED"), seen);
    }

    /**
     * The query server answers every asker naming one channel and stream on one publication, so a second client
     * sharing this client's response stream (the same client id may) has its answers arrive here too. Before
     * 2026-12-07 a callback listener was handed them as if they were this client's.
     */
    @Test
    void shouldHandAListenerOnlyTheAnswersToItsOwnQueries()
    {
        write();
        try (PaycoreClient other = connect("aeron:ipc"))
        {
            final long theirs = sendQuery(other);
            final long mine = sendQuery(client);
            final List<Long> seenHere = new ArrayList<>();
            final List<Long> seenThere = new ArrayList<>();
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while ((seenHere.isEmpty() || seenThere.isEmpty()) && System.nanoTime() - deadline < 0)
            {
                client.poll(queryAnswers(seenHere));
                other.poll(queryAnswers(seenThere));
                Thread.yield();
            }
            assertEquals(List.of(mine), seenHere);
            assertEquals(List.of(theirs), seenThere);
            assertTrue(client.foreignQueryAnswers() >= 1, "the other client's answer came here and was skipped");
        }
    }

    private static long sendQuery(final PaycoreClient to)
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long id;
        while ((id = to.queryTransfers(new QueryFilter().limit(10))) < 0 && System.nanoTime() - deadline < 0)
        {
            to.poll(EgressListener.DISCARD);
            Thread.yield();
        }
        assertTrue(id > 0, "sent: " + id);
        return id;
    }

    private static EgressListener queryAnswers(final List<Long> into)
    {
        return new EgressListener()
        {
            public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
            {
            }

            public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
            {
            }

            public void onAccounts(final AccountsDecoder accounts)
            {
            }

            public void onTransfers(final TransfersDecoder transfers)
            {
            }

            public void onRejected(final RejectedDecoder rejected)
            {
            }

            public void onQueryTransfersResult(final QueryTransfersResultDecoder result)
            {
                into.add(result.correlationId());
            }
        };
    }

    private static EgressListener queryRefusals(final List<String> into)
    {
        return new EgressListener()
        {
            public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
            {
            }

            public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
            {
            }

            public void onAccounts(final AccountsDecoder accounts)
            {
            }

            public void onTransfers(final TransfersDecoder transfers)
            {
            }

            public void onRejected(final RejectedDecoder rejected)
            {
            }

            public void onQueryRefused(final QueryRefusedDecoder refused)
            {
                into.add(refused.correlationId() + " " + refused.status());
            }
        };
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
