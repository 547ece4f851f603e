package io.paycore.service.feed;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.sbe.FeedStatus;
import io.paycore.codec.sbe.FeedSubscriptionDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.SubscribeFeedDecoder;
import io.paycore.codec.sbe.SubscribeFeedEncoder;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.FeedSubscriber;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.paycore.service.feed.FeedServerTest.await;
import static io.paycore.service.feed.FeedServerTest.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed server serves only the clients of its credentials file: a subscriber whose client id is unknown, whose
 * secret is wrong or whose request (version 2) carries none is answered UNAUTHENTICATED, at most so many a second,
 * and gets nothing else: no place, no replay. Before, anyone who reached the request channel got the whole ledger's
 * history and every change after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedServerAuthTest
{
    private static final String REQUESTS = "aeron:ipc?term-length=64k";
    private static final int REQUEST_STREAM = 1100;
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(1024);
    private static final long CLIENT_ID = 7;
    private static final String SECRET = "the-feed-secret-of-client-7";
    /**
     * PBKDF2 rounds that make a first check take a good part of a second here, so that requests arrive during it.
     */
    private static final int SLOW_ITERATIONS = 2_000_000;

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private MediaDriver driver;
    private Aeron aeron;
    private DataDirectory data;
    private FeedCounters counters;
    private final List<AgentRunner> servers = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final CachedNanoClock clock = new CachedNanoClock();

    @BeforeEach
    void start()
    {
        driver = TestJournals.sharedDriver(temp.resolve("aeron"));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        data = new DataDirectory(temp.resolve("data"));
        TestJournals.demoHistory(data, 300, START_NANOS);
        clock.update(System.nanoTime());
    }

    @AfterEach
    void stop()
    {
        for (final AgentRunner server : servers)
        {
            CloseHelper.quietClose(server);
        }
        CloseHelper.quietCloseAll(counters, aeron, driver);
    }

    @Test
    void shouldServeAClientOfTheCredentialsFileNamingItInTheLog()
    {
        startServer(serverContext(credentials(1)));
        final long changes = changesInTheJournal();
        try (FeedSubscriber subscriber = subscriber("aeron:ipc", 2001, CLIENT_ID, SECRET))
        {
            subscriber.subscribe(0);
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && subscriber.changes() == changes);
            assertEquals(FeedStatus.SUBSCRIBED, subscriber.status());
            assertEquals(CLIENT_ID, subscriber.clientId());
        }
        assertTrue(logLines().stream().anyMatch((line) -> line.matches("subscriber \\d+ of client 7 on aeron:ipc " +
            "stream 2001 from 0")), log.toString());
        assertEquals(0, counters.errors().get(), log.toString());
    }

    @Test
    void shouldAnswerAWrongSecretUnauthenticatedAndTheSubscriberStopsAsking()
    {
        startServer(serverContext(credentials(1)));
        try (FeedSubscriber subscriber = subscriber("aeron:ipc", 2001, CLIENT_ID, SECRET + "-not"))
        {
            subscriber.subscribe(0);
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && null != subscriber.status());
            assertEquals(FeedStatus.UNAUTHENTICATED, subscriber.status());
            assertEquals("the credential of client 7 does not match", subscriber.detail());

            // It asks no more: a wrong secret does not put itself right.
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < deadline)
            {
                subscriber.poll(change -> { }, 100);
                sleep(5);
            }
            assertEquals(0, subscriber.changes());
            assertEquals(FeedStatus.UNAUTHENTICATED, subscriber.status());
        }
        assertEquals(1, counters.errors().get(), "one request, one refusal: " + log);
        assertEquals(1, logLines().stream().filter((line) -> line.contains("refused")).count(), log.toString());
    }

    @Test
    void shouldAnswerAnUnknownClientUnauthenticated()
    {
        startServer(serverContext(credentials(1)));
        try (FeedSubscriber subscriber = subscriber("aeron:ipc", 2001, 99, SECRET))
        {
            subscriber.subscribe(0);
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && null != subscriber.status());
            assertEquals(FeedStatus.UNAUTHENTICATED, subscriber.status());
            assertEquals("client 99 is not in the feed server's credentials file", subscriber.detail());
            assertEquals(0, subscriber.changes());
        }
    }

    @Test
    void shouldAnswerAVersionTwoRequestUnauthenticatedNamingTheVersion()
    {
        startServer(serverContext(credentials(1)));
        try (Subscription answers = aeron.addSubscription("aeron:ipc", 2001);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            final int length = versionTwoRequest(buffer, 11, "aeron:ipc", 2001);
            await(() -> requests.offer(buffer, 0, length) > 0);

            final Answers got = new Answers();
            await(() -> answers.poll(got, 10) >= 0 && got.frames > 0);
            assertEquals(FeedStatus.UNAUTHENTICATED, got.status);
            assertEquals(11, got.correlationId);
            assertTrue(got.detail.startsWith("a SubscribeFeed of protocol version 2 carries no credential: " +
                "upgrade the subscriber to protocol version 3"), got.detail);
        }
        assertEquals(1, counters.errors().get(), log.toString());
    }

    @Test
    void shouldAnswerAtMostTheRefusalsOfASecondAndDropTheRestCounted()
    {
        startServer(serverContext(credentials(1)).refusalRepliesPerSecond(2).nanoClock(clock));
        final List<Subscription> answers = new ArrayList<>();
        try (ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            for (int i = 0; i < 5; i++)
            {
                answers.add(aeron.addSubscription("aeron:ipc", 2101 + i));
                send(requests, 100 + i, 99, SECRET, "aeron:ipc", 2101 + i);
            }
            await(() -> counters.errors().get() == 5);
            sleep(300);

            int answered = 0;
            for (final Subscription subscription : answers)
            {
                final Answers got = new Answers();
                subscription.poll(got, 10);
                if (got.frames > 0)
                {
                    assertEquals(FeedStatus.UNAUTHENTICATED, got.status);
                    answered++;
                }
                else
                {
                    assertEquals(0, subscription.imageCount(), "nothing is opened for a refusal not answered");
                }
            }
            assertEquals(2, answered, log.toString());
            assertEquals(3, logLines().stream().filter((line) -> line.contains("refused unanswered (2 refusals " +
                "answered this second already)")).count(), log.toString());

            // The next second answers again.
            clock.advance(TimeUnit.SECONDS.toNanos(1));
            final Subscription next = aeron.addSubscription("aeron:ipc", 2110);
            answers.add(next);
            send(requests, 110, 99, SECRET, "aeron:ipc", 2110);
            final Answers got = new Answers();
            await(() -> next.poll(got, 10) >= 0 && got.frames > 0);
            assertEquals(FeedStatus.UNAUTHENTICATED, got.status);
        }
        finally
        {
            CloseHelper.closeAll(answers);
        }
    }

    @Test
    void shouldAskAgainWhenARequestGoesUnanswered()
    {
        startServer(serverContext(credentials(1)).refusalRepliesPerSecond(1).nanoClock(clock));
        try (ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM);
            Subscription first = aeron.addSubscription("aeron:ipc", 2101);
            FeedSubscriber subscriber = subscriber("aeron:ipc", 2001, CLIENT_ID, SECRET + "-not"))
        {
            // Another refusal takes this second's one answer, so the subscriber's request is dropped unanswered.
            send(requests, 100, 99, SECRET, "aeron:ipc", 2101);
            await(() -> counters.errors().get() == 1);
            subscriber.subscribe(0);
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && counters.errors().get() == 2);
            assertNull(subscriber.status(), log.toString());
            assertEquals(1, subscriber.requestsSent());

            // The next second has room: the request sent again is answered.
            clock.advance(TimeUnit.SECONDS.toNanos(1));
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && null != subscriber.status());
            assertEquals(FeedStatus.UNAUTHENTICATED, subscriber.status());
            assertEquals("the credential of client 7 does not match", subscriber.detail());
            assertEquals(2, subscriber.requestsSent(), log.toString());
        }
    }

    @Test
    void shouldDropRequestsPastTheMostCredentialChecksCounted()
    {
        startServer(serverContext(ClientCredentials.parse(List.of(
            ClientCredentials.line(CLIENT_ID, SECRET, SLOW_ITERATIONS),
            ClientCredentials.line(CLIENT_ID + 1, SECRET, SLOW_ITERATIONS)), "test")).maxCredentialChecks(1));
        try (Subscription first = aeron.addSubscription("aeron:ipc", 2001);
            Subscription second = aeron.addSubscription("aeron:ipc", 2002);
            Subscription third = aeron.addSubscription("aeron:ipc", 2003);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            send(requests, 1, CLIENT_ID, SECRET + "-a", "aeron:ipc", 2001); // a first check: slow
            send(requests, 2, CLIENT_ID + 1, SECRET, "aeron:ipc", 2002); // while it runs: no room
            send(requests, 3, CLIENT_ID, SECRET + "-c", "aeron:ipc", 2003); // another secret of a client checked

            final Answers got = new Answers();
            await(() -> first.poll(got, 10) >= 0 && got.frames > 0);
            assertEquals(FeedStatus.UNAUTHENTICATED, got.status);
            await(() -> counters.errors().get() == 3);
            sleep(300);
            for (final Subscription dropped : List.of(second, third))
            {
                final Answers none = new Answers();
                dropped.poll(none, 10);
                assertEquals(0, none.frames);
                assertEquals(0, dropped.imageCount(), "nothing is opened for a request dropped");
            }
            assertTrue(logLines().stream().anyMatch((line) -> line.equals("subscriber 2 of client 8 on aeron:ipc " +
                "stream 2002 dropped unanswered: 1 credential checks wait already (--max-credential-checks)")),
                log.toString());
            assertTrue(logLines().stream().anyMatch((line) -> line.equals("subscriber 3 of client 7 on aeron:ipc " +
                "stream 2003 dropped unanswered: a check of another credential of that client runs already")),
                log.toString());
        }
    }

    /**
     * Requests with the secret being checked share that check, but each waits in the server's list of checks: a
     * flood of one guess, sent again and again under new correlation ids, filled that list, and every other
     * client's request was dropped ("credential checks wait already") while the gate had room.
     */
    @Test
    void shouldKeepRoomForAnotherClientsCheckWhileAFloodOfOneGuessSharesACheck()
    {
        startServer(serverContext(ClientCredentials.parse(List.of(
            ClientCredentials.line(CLIENT_ID, SECRET, SLOW_ITERATIONS),
            ClientCredentials.line(CLIENT_ID + 1, SECRET, SLOW_ITERATIONS)), "test")).maxCredentialChecks(2));
        try (Subscription other = aeron.addSubscription("aeron:ipc", 2002);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            for (int i = 0; i < 30; i++)
            {
                send(requests, 100 + i, CLIENT_ID, "guess", "aeron:ipc", 2001); // one guess, many requests
            }
            send(requests, 2, CLIENT_ID + 1, SECRET, "aeron:ipc", 2002);

            final Answers got = new Answers();
            await(() -> other.poll(got, 10) >= 0 && null != got.status);
            assertEquals(FeedStatus.SUBSCRIBED, got.status, log.toString());
            assertTrue(logLines().stream().noneMatch((line) -> line.startsWith("subscriber 2 ") &&
                line.contains("dropped")), log.toString());
            assertTrue(logLines().stream().anyMatch((line) -> line.equals("subscriber 129 of client 7 on " +
                "aeron:ipc stream 2001 dropped unanswered: 11 requests wait for credential checks already, the rest " +
                "of the room is kept for other clients' checks (--max-credential-checks)")), log.toString());
        }
    }

    @Test
    void shouldNotStartASecondCheckForARequestSentAgainDuringItsCheck()
    {
        startServer(serverContext(credentials(SLOW_ITERATIONS)).maxCredentialChecks(2));
        try (Subscription answers = aeron.addSubscription("aeron:ipc", 2001);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            send(requests, 5, CLIENT_ID, SECRET, "aeron:ipc", 2001);
            send(requests, 5, CLIENT_ID, SECRET, "aeron:ipc", 2001); // sent again, as over a lossy link
            send(requests, 5, CLIENT_ID, SECRET, "aeron:ipc", 2001);

            final Answers got = new Answers();
            await(() -> answers.poll(got, 10) >= 0 && got.frames > 0);
            assertEquals(FeedStatus.SUBSCRIBED, got.status);
            sleep(1_000);
            assertEquals(1, logLines().stream().filter((line) -> line.startsWith("subscriber 5 ")).count(),
                "one subscriber, one check: " + log);
            assertEquals(0, counters.errors().get(), log.toString());
        }
    }

    @Test
    void shouldHoldAtMostMaxSubscribersRefusalsOfAClientWaitingForTheirChannel()
    {
        startServer(serverContext(credentials(1)).maxSubscribers(1));
        try (ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM);
            FeedSubscriber subscriber = subscriber("aeron:ipc", 2001, CLIENT_ID, SECRET))
        {
            subscriber.subscribe(0);
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && null != subscriber.status());
            assertEquals(FeedStatus.SUBSCRIBED, subscriber.status(), subscriber.detail());

            // A client of the file, past --max-subscribers, naming channels that never connect: each answer FULL
            // holds a publication until the connect timeout, so only so many may wait at once.
            for (int i = 1; i <= 4; i++)
            {
                send(requests, 100 + i, CLIENT_ID, SECRET, "aeron:ipc", 2100 + i);
            }
            await(() -> counters.errors().get() == 4);
            assertEquals(1, logLines().stream().filter((line) -> line.endsWith("refused: the feed server serves 1 " +
                "subscribers already (its limit, --max-subscribers); try again later")).count(), log.toString());
            assertEquals(3, logLines().stream().filter((line) -> line.startsWith("request refused unanswered: " +
                "too many refusals pending")).count(), log.toString());
        }
    }

    @Test
    void shouldGiveARefusedSubscriberNoPlaceAndNoReplay()
    {
        startServer(serverContext(credentials(1)).maxSubscribers(1));
        final long changes = changesInTheJournal();
        try (Subscription refused = aeron.addSubscription("aeron:ipc", 2004);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM);
            FeedSubscriber subscriber = subscriber("aeron:ipc", 2003, CLIENT_ID, SECRET))
        {
            // Two refusals whose channels never connect wait for theirs, and one that does.
            send(requests, 1, CLIENT_ID, "wrong", "aeron:ipc", 2001);
            send(requests, 2, CLIENT_ID, "wrong", "aeron:ipc", 2002);
            send(requests, 3, CLIENT_ID, "wrong", "aeron:ipc", 2004);
            final Answers got = new Answers();
            await(() -> refused.poll(got, 10) >= 0 && got.frames > 0 && counters.errors().get() == 3);
            assertEquals(FeedStatus.UNAUTHENTICATED, got.status);

            subscriber.subscribe(0);
            await(() -> subscriber.poll(change -> { }, 100) >= 0 && subscriber.changes() == changes);
            assertEquals(FeedStatus.SUBSCRIBED, subscriber.status(), subscriber.detail());

            sleep(300);
            refused.poll(got, 100);
            assertEquals(1, got.frames, "the refused subscriber got its answer and no change");
        }
    }

    @Test
    void shouldRefuseToConcludeWithoutCredentials()
    {
        final FeedServerContext context = new FeedServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(REQUESTS);
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(none.getMessage().startsWith("no client credentials given"), none.getMessage());

        context.credentials(credentials(1)).maxCredentialChecks(0);
        final IllegalArgumentException checks = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(checks.getMessage().contains("--max-credential-checks"), checks.getMessage());

        assertThrows(IllegalArgumentException.class, () -> subscriber("aeron:ipc", 2001, 0, SECRET));
        assertThrows(IllegalArgumentException.class, () -> subscriber("aeron:ipc", 2001, CLIENT_ID, ""));
    }

    @Test
    void shouldRefuseToStartWithoutItsCredentialsFile()
    {
        final Path clients = data.root().resolve("clients");
        assertEquals(FeedServerCommand.EXIT_USAGE, feedServer(), console.err());

        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("paycore feed-server: no credentials file " + clients +
            " (--clients FILE): add a client with 'paycore clients add"), console.err());
        assertNull(readyLine());
    }

    @Test
    void shouldNameAMissingDataDirectoryRatherThanTheCredentialsFileInIt()
    {
        final Path missing = temp.resolve("no-such-data");
        final List<String> args = new ArrayList<>(List.of("feed-server", "--data", missing.toString(),
            "--state", temp.resolve("server-state").toString(), "--channel", "aeron:ipc"));

        assertEquals(FeedServerCommand.EXIT_CANNOT_START, PaycoreMain.execute(args.toArray(new String[0])));
        assertEquals("paycore feed-server: no data directory " + missing.toAbsolutePath(), console.err().trim());
    }

    @Test
    void shouldNameAMissingDataDirectoryWhenTheCredentialsFileIsElsewhere() throws Exception
    {
        final Path missing = temp.resolve("no-such-data");
        final Path clients = Files.writeString(temp.resolve("my-clients"),
            ClientCredentials.line(CLIENT_ID, SECRET, 1));
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-------"));
        final List<String> args = new ArrayList<>(List.of("feed-server", "--data", missing.toString(),
            "--state", temp.resolve("server-state").toString(), "--channel", "aeron:ipc",
            "--clients", clients.toString()));

        assertEquals(FeedServerCommand.EXIT_CANNOT_START, PaycoreMain.execute(args.toArray(new String[0])));
        assertEquals("paycore feed-server: no data directory " + missing.toAbsolutePath(), console.err().trim());
    }

    @Test
    void shouldRefuseACredentialsFileOthersMayWrite() throws Exception
    {
        final Path clients = Files.writeString(temp.resolve("my-clients"),
            ClientCredentials.line(CLIENT_ID, SECRET, 1));
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-rw-r--"));

        assertEquals(FeedServerCommand.EXIT_USAGE, feedServer("--clients", clients.toString()), console.err());

        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().contains("credentials file " + clients + " is writable by users other than its " +
            "owner (rw-rw-r--)"), console.err());
        assertTrue(console.err().contains("chmod 600 " + clients), console.err());
        assertNull(readyLine());
    }

    @Test
    void shouldNameANegativeRefusalAnswerRate() throws Exception
    {
        final Path clients = Files.writeString(temp.resolve("my-clients"),
            ClientCredentials.line(CLIENT_ID, SECRET, 1));
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-------"));

        assertEquals(FeedServerCommand.EXIT_USAGE,
            feedServer("--clients", clients.toString(), "--refusal-answers-per-second", "-1"), console.err());
        assertTrue(console.err().startsWith("paycore feed-server: the refusals answered a second " +
            "(--refusal-answers-per-second) must not be negative: -1"), console.err());
        assertNull(readyLine());
    }

    private int feedServer(final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("feed-server", "--data", data.root().toString(),
            "--state", temp.resolve("server-state").toString(), "--channel", "aeron:ipc",
            "--max-accounts", "1024", "--hot-transfers", "65536", "--max-pending", "1024", "--cold-tier-size", "0"));
        args.addAll(List.of(more));
        return PaycoreMain.execute(args.toArray(new String[0]));
    }

    private String readyLine()
    {
        return console.out().lines().filter((line) -> line.startsWith("ready:")).findFirst().orElse(null);
    }

    private static ClientCredentials credentials(final int iterations)
    {
        return ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, iterations)), "test");
    }

    private FeedServerContext serverContext(final ClientCredentials credentials)
    {
        counters = new FeedCounters(temp.resolve("state"), "aeron");
        return new FeedServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(REQUESTS)
            .requestStreamId(REQUEST_STREAM)
            .credentials(credentials)
            .counters(counters)
            .log(line ->
            {
                synchronized (log)
                {
                    log.add(line);
                }
            });
    }

    private void startServer(final FeedServerContext context)
    {
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000),
            Throwable::printStackTrace, null, new FeedServer(aeron, context));
        AgentRunner.startOnThread(runner);
        servers.add(runner);
    }

    private FeedSubscriber subscriber(
        final String channel, final int streamId, final long clientId, final String secret)
    {
        return new FeedSubscriber(aeron, REQUESTS, REQUEST_STREAM, channel, streamId, clientId, secret);
    }

    private List<String> logLines()
    {
        synchronized (log)
        {
            return new ArrayList<>(log);
        }
    }

    private long changesInTheJournal()
    {
        final long[] changes = new long[1];
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(data).limits(LIMITS)
            .coldTierSizeBytes(0)))
        {
            while (feed.poll(change -> changes[0]++, 1024) > 0)
            {
                // to the end
            }
        }
        assertTrue(changes[0] > 0);
        return changes[0];
    }

    private static void send(
        final ExclusivePublication requests,
        final long correlationId,
        final long clientId,
        final String secret,
        final String channel,
        final int streamId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final SubscribeFeedEncoder encoder = new SubscribeFeedEncoder().wrapAndApplyHeader(buffer, 0,
            new MessageHeaderEncoder())
            .correlationId(correlationId)
            .fromTimestamp(0)
            .responseStreamId(streamId)
            .clientId(clientId)
            .responseChannel(channel)
            .credential(secret);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        await(() -> requests.offer(buffer, 0, length) > 0);
    }

    /**
     * A {@code SubscribeFeed} as a version 2 subscriber wrote it: a 20-byte block (correlation id, from timestamp,
     * response stream id), then the response channel, its one var data field.
     */
    private static int versionTwoRequest(
        final UnsafeBuffer buffer, final long correlationId, final String channel, final int streamId)
    {
        final int blockLength = SubscribeFeedDecoder.responseStreamIdEncodingOffset() +
            SubscribeFeedDecoder.responseStreamIdEncodingLength();
        assertEquals(20, blockLength);
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(blockLength).templateId(SubscribeFeedDecoder.TEMPLATE_ID)
            .schemaId(SubscribeFeedDecoder.SCHEMA_ID).version(2);
        final int block = MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putLong(block + SubscribeFeedDecoder.correlationIdEncodingOffset(), correlationId,
            ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(block + SubscribeFeedDecoder.fromTimestampEncodingOffset(), 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(block + SubscribeFeedDecoder.responseStreamIdEncodingOffset(), streamId, ByteOrder.LITTLE_ENDIAN);
        final byte[] bytes = channel.getBytes(StandardCharsets.US_ASCII);
        buffer.putShort(block + blockLength, (short)bytes.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(block + blockLength + 2, bytes);
        return block + blockLength + 2 + bytes.length;
    }

    /**
     * What arrived on a refused request's channel: the frames, and the last {@code FeedSubscription}.
     */
    private static final class Answers implements FragmentHandler
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final FeedSubscriptionDecoder answer = new FeedSubscriptionDecoder();
        int frames;
        long correlationId;
        FeedStatus status;
        String detail;

        public void onFragment(
            final DirectBuffer buffer, final int offset, final int length, final Header frameHeader)
        {
            frames++;
            header.wrap(buffer, offset);
            if (FeedSubscriptionDecoder.TEMPLATE_ID == header.templateId())
            {
                answer.wrapAndApplyHeader(buffer, offset, header);
                correlationId = answer.correlationId();
                status = answer.status();
                detail = answer.detail();
            }
        }
    }
}
