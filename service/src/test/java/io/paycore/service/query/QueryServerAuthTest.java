package io.paycore.service.query;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.QueryRefusedDecoder;
import io.paycore.codec.sbe.QueryTransfersEncoder;
import io.paycore.codec.sbe.QueryTransfersResultDecoder;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;
import io.paycore.service.TestJournals;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.transport.ClientCredentials;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query server answers only the clients of its credentials file: a query's client id and credential are checked
 * before anything is opened for it; a refusal is answered {@code UNAUTHENTICATED}, rationed, and counted. The server
 * is driven on the test's thread (doWork, a millisecond's sleep between duty cycles), on its own media driver.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueryServerAuthTest
{
    private static final String REQUESTS = "aeron:ipc?term-length=64k";
    private static final String ANSWERS = "aeron:ipc";
    private static final int REQUEST_STREAM = 1200;
    private static final long CLIENT_ID = 7;
    private static final String SECRET = "auth-test-secret";
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final long WAIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(1024);
    private static final String REFUSED_COUNTER =
        "paycore query: queries refused (unauthenticated, limit, busy, not caught up, scan limit, failed, malformed)";

    @TempDir
    Path temp;

    private MediaDriver driver;
    private Aeron aeron;
    private DataDirectory data;
    private QueryServer server;
    private ExclusivePublication requests;
    private final List<String> log = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    @BeforeEach
    void start()
    {
        driver = TestJournals.sharedDriver(temp.resolve("aeron"));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        data = new DataDirectory(temp.resolve("data"));
        TestJournals.demoHistory(data, 200, START_NANOS);
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.onClose();
        }
        subscriptions.forEach(CloseHelper::quietClose);
        CloseHelper.quietCloseAll(requests, aeron, driver);
    }

    @Test
    void shouldAnswerAQueryWithTheRightCredential()
    {
        startServer(new QueryServerContext());
        final Answers answers = listen(3001);

        send(1, CLIENT_ID, SECRET, 3001, 0);
        answers.await(1);

        assertEquals(List.of("1 transfers 10"), answers.received, "log " + log);
        assertEquals(0, counter(REFUSED_COUNTER));
    }

    @Test
    void shouldRefuseAWrongSecretUnauthenticated()
    {
        startServer(new QueryServerContext());
        final Answers answers = listen(3002);

        send(2, CLIENT_ID, "not-the-secret", 3002, 0);
        answers.await(1);

        assertEquals(List.of("2 refused UNAUTHENTICATED the credential of client 7 does not match the query " +
            "server's credentials file"), answers.received);
        assertEquals(1, counter(REFUSED_COUNTER));
        assertTrue(log.contains("query 2 of client 7 on " + ANSWERS + " stream 3002 refused UNAUTHENTICATED: " +
            "the credential of client 7 does not match the query server's credentials file"), log.toString());
    }

    @Test
    void shouldRefuseAnUnknownClientUnauthenticated()
    {
        startServer(new QueryServerContext());
        final Answers answers = listen(3003);

        send(3, 99, SECRET, 3003, 0);
        answers.await(1);

        assertEquals(List.of("3 refused UNAUTHENTICATED client 99 is not in the query server's credentials file"),
            answers.received);
        assertEquals(1, counter(REFUSED_COUNTER));
        assertTrue(log.contains("query 3 of client 99 on " + ANSWERS + " stream 3003 refused UNAUTHENTICATED: " +
            "client 99 is not in the query server's credentials file"), log.toString());
    }

    @Test
    void shouldRefuseAVersionTwoQueryNamingTheVersion()
    {
        startServer(new QueryServerContext());
        final Answers answers = listen(3004);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        final int length = versionTwoQuery(frame, 4, ANSWERS, 3004);
        offer(frame, length);
        answers.await(1);

        assertEquals(1, answers.received.size(), "log " + log);
        final String answer = answers.received.get(0);
        assertTrue(answer.startsWith("4 refused UNAUTHENTICATED a query of protocol version 2 carries no credential"),
            answer);
        assertTrue(answer.endsWith("upgrade the client to protocol version 3"), answer);
    }

    @Test
    void shouldAnswerOnlyAsManyRefusalsASecondAsRationedAndCountTheRest()
    {
        final MutableClock clock = new MutableClock();
        startServer(new QueryServerContext().refusalRepliesPerSecond(2).nanoClock(clock));
        final Answers answers = listen(3005);

        for (int i = 0; i < 6; i++)
        {
            // Clients the file does not hold: refused at once, none waits for a check.
            send(10 + i, 100 + i, "wrong-" + i, 3005, 0);
        }
        runUntil(() -> 6 == counter(REFUSED_COUNTER));
        runFor(300, answers);

        assertEquals(2, answers.received.size(), "rationed: " + answers.received);
        assertTrue(answers.received.stream().allMatch(a -> a.contains("refused UNAUTHENTICATED")),
            answers.received.toString());
        assertEquals(2, answers.images.size(), "a publication for each answer, none for the others");
        assertEquals(6, counter(REFUSED_COUNTER), "the unanswered ones are counted too");
        assertEquals(2, log.stream().filter(l -> l.contains(" refused UNAUTHENTICATED: ")).count(), log.toString());
        assertEquals(4, log.stream().filter(l -> l.contains(" refused unanswered (at most 2 refusals answered a " +
            "second): client 10")).count(), "and logged: " + log);

        clock.nanos += TimeUnit.SECONDS.toNanos(1);
        send(20, CLIENT_ID, "wrong-again", 3005, 0);
        answers.await(3);
        assertTrue(answers.received.get(2).startsWith("20 refused UNAUTHENTICATED"), answers.received.toString());
    }

    @Test
    void shouldDropQueriesPastTheMostCredentialChecksAndOpenNothingForThem()
    {
        // Each credential's first check derives its key with many rounds, so that all three are asked at once.
        final int iterations = 200_000;
        startServer(new QueryServerContext().maxCredentialChecks(1).credentials(ClientCredentials.parse(List.of(
            ClientCredentials.line(1, "secret-1", iterations),
            ClientCredentials.line(2, "secret-2", iterations),
            ClientCredentials.line(3, "secret-3", iterations)), "test")));
        final Answers first = listen(3101);
        final Answers second = listen(3102);
        final Answers third = listen(3103);

        send(31, 1, "secret-1", 3101, 0);
        send(32, 2, "secret-2", 3102, 0);
        send(33, 3, "secret-3", 3103, 0);
        first.await(1);
        runFor(300, second, third);

        assertEquals(List.of("31 transfers 10"), first.received, "log " + log);
        assertEquals(List.of(), second.received);
        assertEquals(List.of(), third.received);
        assertEquals(0, second.images.size() + third.images.size(), "nothing opened for a query not checked");
        assertEquals(2, counter(REFUSED_COUNTER));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("query 32 of client 2 dropped: 1 credential checks run " +
            "already (--max-credential-checks)")), log.toString());
    }

    @Test
    void shouldHoldOneCredentialCheckAClientSoThatAFloodOfGuessesHoldsNoOtherClientBack()
    {
        final int iterations = 200_000;
        startServer(new QueryServerContext().maxCredentialChecks(2).credentials(ClientCredentials.parse(List.of(
            ClientCredentials.line(1, "secret-1", iterations),
            ClientCredentials.line(2, "secret-2", iterations)), "test")));
        final Answers guess = listen(3401);
        final Answers flood = listen(3402);
        final Answers other = listen(3403);

        send(61, 1, "guess-0", 3401, 0);
        for (int i = 1; i <= 5; i++)
        {
            send(61 + i, 1, "guess-" + i, 3402, 0);
        }
        send(70, 2, "secret-2", 3403, 0);
        guess.await(1);
        other.await(1);
        runFor(300, flood);

        assertEquals(1, guess.received.size());
        assertTrue(guess.received.get(0).startsWith("61 refused UNAUTHENTICATED"), guess.received.toString());
        assertEquals(List.of("70 transfers 10"), other.received, "log " + log);
        assertEquals(List.of(), flood.received);
        assertEquals(0, flood.images.size(), "nothing opened for a query dropped");
        assertEquals(6, counter(REFUSED_COUNTER));
        assertTrue(log.stream().anyMatch(l -> l.equals("query 62 of client 1 dropped: a check of another " +
            "credential of that client runs already")), log.toString());
    }

    /**
     * Queries with the credential being checked share that check, but each waits among the --max-in-flight: a flood
     * of one guess under ever new correlation ids filled them, and every other client's first query was dropped.
     */
    @Test
    void shouldKeepRoomForAnotherClientsCheckWhileAFloodOfOneGuessSharesACheck()
    {
        // Enough rounds that the first check outlasts the flood, few enough that the second (after the first, on
        // the gate's one thread) ends within the queries' wait timeout.
        final int iterations = 500_000;
        startServer(new QueryServerContext().maxCredentialChecks(2).credentials(ClientCredentials.parse(List.of(
            ClientCredentials.line(1, "secret-1", iterations),
            ClientCredentials.line(2, "secret-2", iterations)), "test")));
        final Answers flood = listen(3501);
        final Answers other = listen(3502);

        for (int i = 0; i < 70; i++)
        {
            send(100 + i, 1, "guess", 3501, 0);
        }
        send(70, 2, "secret-2", 3502, 0);
        other.await(1);

        assertEquals(List.of("70 transfers 10"), other.received, "log " + log);
        assertTrue(log.stream().anyMatch(l -> l.equals("query 163 of client 1 dropped: 63 queries wait for " +
            "credential checks already, the rest of the room is kept for other clients' checks (--max-in-flight)")),
            log.toString());
    }

    @Test
    void shouldAnswerEveryQueryOfAClientThatComeWhileItsCredentialIsChecked()
    {
        startServer(new QueryServerContext().maxCredentialChecks(1).credentials(ClientCredentials.parse(
            List.of(ClientCredentials.line(CLIENT_ID, SECRET, 200_000)), "test")));
        final Answers answers = listen(3201);

        for (int i = 0; i < 5; i++)
        {
            send(40 + i, CLIENT_ID, SECRET, 3201, 0);
        }
        answers.await(5);

        assertEquals(5, answers.received.stream().filter(a -> a.endsWith(" transfers 10")).count(),
            answers.received + ", log " + log);
        assertEquals(0, counter(REFUSED_COUNTER));
    }

    /**
     * With one response channel kept open and a query waiting on it, a new authenticated asker would be answered
     * BUSY: a refused one takes no slot and is answered on a channel of its own.
     */
    @Test
    void shouldNotGiveARefusedQueryAResponseChannelSlot()
    {
        startServer(new QueryServerContext().maxClients(1));
        final Answers waiter = listen(3301);
        final Answers refused = listen(3302);

        send(50, CLIENT_ID, SECRET, 3301, START_NANOS + TimeUnit.HOURS.toNanos(1)); // waits for a write
        runFor(200, waiter);
        send(51, CLIENT_ID, "not-the-secret", 3302, 0);
        refused.await(1);

        assertEquals(List.of(), waiter.received, "still waiting");
        assertEquals(1, refused.received.size());
        assertTrue(refused.received.get(0).startsWith("51 refused UNAUTHENTICATED"), refused.received.toString());
        assertEquals(1, counter("paycore query: queries waiting"));
    }

    @Test
    void shouldRefuseToStartWithoutCredentials()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new QueryServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(REQUESTS)
            .conclude());
        assertTrue(ex.getMessage().startsWith("no client credentials"), ex.getMessage());

        final IllegalArgumentException checks = assertThrows(IllegalArgumentException.class, () -> context(
            new QueryServerContext().maxCredentialChecks(0)).conclude());
        assertTrue(checks.getMessage().contains("--max-credential-checks"), checks.getMessage());
    }

    private QueryServerContext context(final QueryServerContext context)
    {
        if (null == context.credentials())
        {
            context.credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)),
                "test"));
        }
        return context
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(REQUESTS)
            .requestStreamId(REQUEST_STREAM)
            .waitTimeoutNanos(WAIT_TIMEOUT_NANOS)
            .log(log::add);
    }

    private void startServer(final QueryServerContext context)
    {
        server = new QueryServer(aeron, context(context), temp.resolve("store"));
        requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM);
        runUntil(() -> requests.isConnected() && counter("paycore query: journal sequence applied") > 0);
        runFor(100);
    }

    private Answers listen(final int streamId)
    {
        final Answers answers = new Answers();
        final Subscription subscription = aeron.addSubscription(ANSWERS, streamId,
            (image) -> answers.images.add(image.sessionId()), (image) -> { });
        subscriptions.add(subscription);
        answers.subscription = subscription;
        return answers;
    }

    private void send(
        final long correlationId, final long clientId, final String credential, final int streamId,
        final long minTimestamp)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final QueryTransfersEncoder encoder = encodeQuery(buffer, correlationId, streamId, minTimestamp)
            .clientId(clientId)
            .responseChannel(ANSWERS)
            .credential(credential);
        offer(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static QueryTransfersEncoder encodeQuery(
        final UnsafeBuffer buffer, final long correlationId, final int streamId, final long minTimestamp)
    {
        final QueryTransfersEncoder encoder = new QueryTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .minTimestamp(minTimestamp)
            .userData64(0)
            .timestampMin(0)
            .timestampMax(0)
            .userData32(0)
            .ledger(0)
            .resultLimit(10)
            .flags(0)
            .responseStreamId(streamId)
            .code(0);
        encoder.userData128().lo(0).hi(0);
        return encoder;
    }

    /**
     * A QueryTransfers as a version 2 client writes it: the block as it was then (up to {@code code}), then the
     * response channel, its one var data field; no client id, no credential.
     */
    private static int versionTwoQuery(
        final UnsafeBuffer frame, final long correlationId, final String channel, final int streamId)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        encodeQuery(scratch, correlationId, streamId, 0);
        final int blockLength = QueryTransfersEncoder.codeEncodingOffset() + QueryTransfersEncoder.codeEncodingLength();
        new MessageHeaderEncoder().wrap(frame, 0).blockLength(blockLength)
            .templateId(QueryTransfersEncoder.TEMPLATE_ID).schemaId(QueryTransfersEncoder.SCHEMA_ID).version(2);
        frame.putBytes(MessageHeaderEncoder.ENCODED_LENGTH, scratch, MessageHeaderEncoder.ENCODED_LENGTH, blockLength);
        final int position = MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
        final byte[] bytes = channel.getBytes(StandardCharsets.US_ASCII);
        assertEquals(2, QueryTransfersEncoder.responseChannelHeaderLength());
        frame.putShort(position, (short)bytes.length, ByteOrder.LITTLE_ENDIAN);
        frame.putBytes(position + 2, bytes);
        return position + 2 + bytes.length;
    }

    private void offer(final UnsafeBuffer buffer, final int length)
    {
        runUntil(() -> requests.offer(buffer, 0, length) > 0);
    }

    private long counter(final String label)
    {
        final long[] value = { -1 };
        aeron.countersReader().forEach((id, type, key, l) ->
        {
            if (l.equals(label))
            {
                value[0] = aeron.countersReader().getCounterValue(id);
            }
        });
        return value[0];
    }

    private void runFor(final long millis, final Answers... answers)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0)
        {
            dutyCycle(answers);
        }
    }

    private void runUntil(final BooleanSupplier done, final Answers... answers)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "not done within 30 s; log " + log);
            dutyCycle(answers);
        }
    }

    private void dutyCycle(final Answers... answers)
    {
        server.doWork();
        for (final Answers a : answers)
        {
            a.poll();
        }
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static final class MutableClock implements NanoClock
    {
        volatile long nanos = SystemNanoClock.INSTANCE.nanoTime();

        public long nanoTime()
        {
            return nanos;
        }
    }

    private final class Answers
    {
        final List<String> received = new ArrayList<>();
        final Set<Integer> images = ConcurrentHashMap.newKeySet();
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final QueryTransfersResultDecoder result = new QueryTransfersResultDecoder();
        private final QueryRefusedDecoder refused = new QueryRefusedDecoder();
        private final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, h) ->
        {
            header.wrap(buffer, offset);
            if (QueryTransfersResultDecoder.TEMPLATE_ID == header.templateId())
            {
                result.wrapAndApplyHeader(buffer, offset, header);
                received.add(result.correlationId() + " transfers " + result.transfer().count());
            }
            else if (QueryRefusedDecoder.TEMPLATE_ID == header.templateId())
            {
                refused.wrapAndApplyHeader(buffer, offset, header);
                received.add(refused.correlationId() + " refused " + refused.status() + " " + refused.detail());
            }
            else
            {
                received.add("template " + header.templateId());
            }
        });
        Subscription subscription;

        void poll()
        {
            subscription.poll(assembler, 10);
        }

        void await(final int count)
        {
            runUntil(() -> received.size() >= count, this);
        }
    }
}
