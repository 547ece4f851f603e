package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code paycore feed-amqp} against a real RabbitMQ node of the test's own (ports 20850-20852): the publisher
 * SIGKILLed and restarted, the broker SIGKILLed and restarted, while the journal grows; a consumer that dedupes by
 * timestamp must receive every change exactly once, in order, as {@link ChangeFeed} gives it.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AmqpFeedTest
{
    private static final int AMQP_PORT = 20850;
    private static final int DIST_PORT = 20851;
    private static final int EPMD_PORT = 20852;
    private static final int ACCOUNTS = 100;
    private static final int TRANSFERS_PER_PHASE = 4_000;
    private static final int BATCH = 50;
    private static final String[] LIMITS = {
        "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096", "--cold-tier-size", "0" };

    @TempDir
    static Path nodeDirectory;

    private static RabbitMqNode node;

    @TempDir
    Path temp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception
    {
        if (!RabbitMqNode.isInstalled())
        {
            System.out.println("AmqpFeedTest: " + RabbitMqNode.server() + " is not installed: the broker tests " +
                "are skipped (or fail, with " + RabbitMqNode.REQUIRE_ENV_NAME + "=1)");
            return;
        }
        node = new RabbitMqNode(nodeDirectory, AMQP_PORT, DIST_PORT, EPMD_PORT);
        final long startMs = node.start();
        System.out.println("AmqpFeedTest: RabbitMQ node started in " + startMs + " ms");
    }

    @AfterAll
    static void stopBroker()
    {
        CloseHelper.quietClose(node);
    }

    @BeforeEach
    void captureErr()
    {
        RabbitMqNode.assumeInstalled();
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close()
    {
        if (null != savedErr)
        {
            System.setErr(savedErr);
        }
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
    }

    @Test
    void shouldDeliverEveryChangeOnceInOrderThroughPublisherAndBrokerKills() throws Exception
    {
        final String exchange = "paycore.changes.kills";
        final String queue = "paycore-feed-test-kills";
        final Connection consumerConnection = node.connectionFactory().newConnection("paycore test consumer");
        closeables.add(consumerConnection);
        declareQueue(consumerConnection, exchange, queue);
        consumerConnection.close();
        closeables.remove(consumerConnection);

        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path state = temp.resolve("state");
        final LiveJournalWriter writer = new LiveJournalWriter(data, ACCOUNTS, BATCH);
        closeables.add(writer);
        writer.writeTransfers(TRANSFERS_PER_PHASE);

        // 1: the publisher is SIGKILLed once it has confirmed part of the journal
        final PaycoreProcess first = PaycoreProcess.start(temp.resolve("publisher-1.log"),
            publisherArgs(data, state, exchange));
        closeables.add(first);
        final long firstProgress = awaitProgressAbove(state, 0, first);
        first.kill();
        final long progressAfterKill = progress(state);
        assertTrue(progressAfterKill >= firstProgress, "progress never goes back");

        // 2: a new publisher resumes after the last confirmed change while the journal grows
        writer.writeTransfers(TRANSFERS_PER_PHASE);
        final PaycoreProcess second = PaycoreProcess.start(temp.resolve("publisher-2.log"),
            publisherArgs(data, state, exchange));
        closeables.add(second);
        awaitProgressAbove(state, progressAfterKill, second);

        // a second publisher on the same state directory refuses to start
        final int refused = PaycoreMain.execute(publisherArgs(data, state, exchange).toArray(new String[0]));
        assertEquals(AmqpFeedCommand.EXIT_LOCKED, refused, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("another publisher holds the state directory"),
            err.toString(StandardCharsets.UTF_8));

        // 3: the broker is SIGKILLed mid-stream, changes are written while it is down, then it comes back
        node.kill();
        final long progressAtBrokerKill = progress(state);
        writer.writeTransfers(TRANSFERS_PER_PHASE);
        Thread.sleep(500);
        final long restartMs = node.start();
        writer.writeTransfers(TRANSFERS_PER_PHASE);

        final List<Expected> expected = expectedChanges(data);
        final long lastTimestamp = expected.get(expected.size() - 1).timestampNanos;
        assertTrue(progressAfterKill < lastTimestamp && progressAtBrokerKill < lastTimestamp,
            "the kills came mid-stream");
        awaitProgressAbove(state, lastTimestamp - 1, second);
        assertEquals(AmqpFeedCommand.EXIT_SIGTERM, second.terminate(20_000), second.output());
        assertEquals(lastTimestamp, progress(state), "a clean stop leaves the last confirmed change as progress");

        final long errors = counter(state, "publish errors");
        assertTrue(errors >= 1, "the broker's death was counted: " + errors + "\n" + second.output());
        assertTrue(second.output().contains("will be published again") ||
            second.output().contains("cannot publish to"), second.output());

        // 4: a consumer that dedupes by timestamp gets every change once, in order, equal to the change feed
        final Connection connection = node.connectionFactory().newConnection("paycore test consumer");
        closeables.add(connection);
        final Received received = consume(connection, queue, expected.size());
        System.out.println("AmqpFeedTest: " + expected.size() + " changes, " + received.duplicates +
            " duplicate(s) dropped by the consumer, " + errors + " publish error(s) counted, broker restart " +
            restartMs + " ms");
        assertEquals(expected.size(), received.changes.size(), "changes received once each");
        for (int i = 0; i < expected.size(); i++)
        {
            expected.get(i).assertMatches(received.changes.get(i), i);
        }
    }

    @Test
    void shouldPublishAgainWhatTheBrokerNacksAndLoseNothing() throws Exception
    {
        final String exchange = "paycore.changes.nack";
        final String everything = "paycore-feed-test-nack-all";
        final String bounded = "paycore-feed-test-nack-bounded";
        final Connection connection = node.connectionFactory().newConnection("paycore test consumer");
        closeables.add(connection);
        declareQueue(connection, exchange, everything);
        try (Channel channel = connection.createChannel())
        {
            // a full queue with overflow reject-publish makes the broker nack what is routed to it
            channel.queueDeclare(bounded, true, false, false, Map.of("x-max-length", 100,
                "x-overflow", "reject-publish"));
            channel.queueBind(bounded, exchange, "#");
        }

        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (LiveJournalWriter writer = new LiveJournalWriter(data, ACCOUNTS, BATCH))
        {
            writer.writeTransfers(1_000);
        }
        final List<Expected> expected = expectedChanges(data);
        final Path state = temp.resolve("state");
        final List<String> args = publisherArgs(data, state, exchange);
        args.add("--exit-at-end");
        final PaycoreProcess publisher = PaycoreProcess.start(temp.resolve("publisher.log"), args);
        closeables.add(publisher);

        final long deadlineMs = System.currentTimeMillis() + 30_000;
        while (errors(state) < 1)
        {
            if (System.currentTimeMillis() > deadlineMs || publisher.output().contains("paycore feed-amqp: stopped"))
            {
                fail("no nack while the bounded queue is full:\n" + publisher.output());
            }
            Thread.sleep(20);
        }
        final Channel drain = connection.createChannel();
        drain.basicConsume(bounded, true, (tag, delivery) -> {}, (tag) -> {});

        assertEquals(AmqpFeedCommand.EXIT_OK, publisher.awaitExit(60_000), publisher.output());
        assertTrue(publisher.output().contains("the broker refused (nacked) a message"), publisher.output());
        assertEquals(expected.get(expected.size() - 1).timestampNanos, progress(state));

        // after a nack a change may come after later ones: dedupe with the set of timestamps seen
        final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final Channel channel = connection.createChannel();
        channel.basicQos(1_000);
        channel.basicConsume(everything, true, (tag, delivery) -> deliveries.add(delivery), (tag) -> {});
        final Map<Long, Delivery> byTimestamp = new HashMap<>();
        while (byTimestamp.size() < expected.size())
        {
            final Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
            if (null == delivery)
            {
                break;
            }
            byTimestamp.putIfAbsent(Long.parseLong(delivery.getProperties().getMessageId()), delivery);
        }
        assertEquals(expected.size(), byTimestamp.size(), "every change arrived");
        for (int i = 0; i < expected.size(); i++)
        {
            expected.get(i).assertMatches(byTimestamp.get(expected.get(i).timestampNanos), i);
        }
    }

    @Test
    void shouldStopWithClearErrorsWhenTheBrokerRefusesThePublisher() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (LiveJournalWriter writer = new LiveJournalWriter(data, ACCOUNTS, BATCH))
        {
            writer.writeTransfers(10);
        }

        final List<String> badPassword = publisherArgs(data, temp.resolve("state-1"), "paycore.changes.refused");
        badPassword.set(badPassword.indexOf(node.uri()), "amqp://guest:wrong@127.0.0.1:" + AMQP_PORT);
        assertEquals(AmqpFeedCommand.EXIT_REFUSED, PaycoreMain.execute(badPassword.toArray(new String[0])),
            err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("refused the publisher: authentication failed"),
            err.toString(StandardCharsets.UTF_8));
        assertTrue(!err.toString(StandardCharsets.UTF_8).contains("guest:wrong"), "the password is not printed");
        err.reset();

        try (Connection connection = node.connectionFactory().newConnection("paycore test");
            Channel channel = connection.createChannel())
        {
            channel.exchangeDeclare("paycore.changes.direct", "direct", true);
        }
        assertEquals(AmqpFeedCommand.EXIT_REFUSED, PaycoreMain.execute(
            publisherArgs(data, temp.resolve("state-2"), "paycore.changes.direct").toArray(new String[0])),
            err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("PRECONDITION_FAILED"),
            err.toString(StandardCharsets.UTF_8));
        err.reset();

        final List<String> badType = publisherArgs(data, temp.resolve("state-3"), "paycore.changes.x");
        badType.add("--exchange-type");
        badType.add("fan");
        assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute(badType.toArray(new String[0])));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--exchange-type must be topic, direct, fanout " +
            "or headers: fan"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitDamagedNamingTheRecordWhenTheJournalIsCorrupt() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (LiveJournalWriter writer = new LiveJournalWriter(data, ACCOUNTS, BATCH))
        {
            writer.writeTransfers(200);
        }
        final Path segment;
        try (java.util.stream.Stream<Path> files = Files.list(data.journalDirectory()))
        {
            segment = files.sorted().findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            final long offset = file.length() / 4; // inside a record of transfers
            file.seek(offset);
            final int b = file.read();
            file.seek(offset);
            file.write(b ^ 0x20);
        }

        final List<String> args = publisherArgs(data, temp.resolve("state"), "paycore.changes.damaged");
        args.add("--exit-at-end");
        assertEquals(AmqpFeedCommand.EXIT_DAMAGED, PaycoreMain.execute(args.toArray(new String[0])),
            err.toString(StandardCharsets.UTF_8));
        final String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("paycore feed-amqp: stopping: the journal is damaged") &&
            printed.contains("file=" + segment), printed);
    }

    private static List<String> publisherArgs(final DataDirectory data, final Path state, final String exchange)
    {
        final List<String> args = new ArrayList<>(List.of("feed-amqp", "--data", data.root().toString(),
            "--state", state.toString(), "--uri", node.uri(), "--exchange", exchange, "--max-in-flight", "512",
            "--reconnect-backoff-max", "500ms"));
        args.addAll(List.of(LIMITS));
        return args;
    }

    private static void declareQueue(final Connection connection, final String exchange, final String queue)
        throws Exception
    {
        try (Channel channel = connection.createChannel())
        {
            channel.exchangeDeclare(exchange, "topic", true);
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, exchange, "#");
        }
    }

    private static long awaitProgressAbove(final Path state, final long floor, final PaycoreProcess publisher)
        throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadlineMs)
        {
            final long progress = progress(state);
            if (progress > floor)
            {
                return progress;
            }
            if (publisher.output().contains("paycore feed-amqp: stopped"))
            {
                fail("the publisher stopped:\n" + publisher.output());
            }
            Thread.sleep(20);
        }
        fail("the publisher's progress did not pass " + floor + ":\n" + publisher.output());
        return -1;
    }

    private static long progress(final Path state) throws Exception
    {
        final Path file = state.resolve(FeedState.PROGRESS_FILE_NAME);
        return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
    }

    private static long counter(final Path state, final String labelSuffix)
    {
        final long[] value = { -1 };
        FeedCounters.read(state.resolve(FeedCounters.FILE_NAME), (counters) -> counters.forEach(
            (counterValue, id, label) ->
            {
                if (label.endsWith(labelSuffix))
                {
                    value[0] = counterValue;
                }
            }));
        return value[0];
    }

    private static long errors(final Path state)
    {
        return Files.exists(state.resolve(FeedCounters.FILE_NAME)) ? counter(state, "publish errors") : 0;
    }

    private static List<Expected> expectedChanges(final DataDirectory data)
    {
        final List<Expected> expected = new ArrayList<>();
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(data).coldTierSizeBytes(0)
            .limits(new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(4096))))
        {
            while (feed.poll((change) -> expected.add(new Expected(change.timestampNanos(), ChangeJson.toJson(change),
                ChangeJson.typeName(change.type()), change.ledger(), change.code(), change.debitAccountCode(),
                change.creditAccountCode())), 1_000) > 0)
            {
                assertTrue(expected.size() < 1_000_000);
            }
        }
        return expected;
    }

    private static Received consume(final Connection connection, final String queue, final int expectedCount)
        throws Exception
    {
        final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final Channel channel = connection.createChannel();
        channel.basicQos(1_000);
        channel.basicConsume(queue, true, (tag, delivery) -> deliveries.add(delivery), (tag) -> {});

        final Received received = new Received();
        long lastTimestamp = 0;
        while (received.changes.size() < expectedCount)
        {
            final Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
            if (null == delivery)
            {
                break;
            }
            final long timestamp = Long.parseLong(delivery.getProperties().getMessageId());
            if (timestamp <= lastTimestamp)
            {
                received.duplicates++;
                continue;
            }
            lastTimestamp = timestamp;
            received.changes.add(delivery);
        }
        channel.close();
        return received;
    }

    private static final class Received
    {
        final List<Delivery> changes = new ArrayList<>();
        long duplicates;
    }

    private static final class Expected
    {
        final long timestampNanos;
        final String json;
        final String type;
        final long ledger;
        final int code;
        final int debitAccountCode;
        final int creditAccountCode;

        Expected(
            final long timestampNanos,
            final String json,
            final String type,
            final long ledger,
            final int code,
            final int debitAccountCode,
            final int creditAccountCode)
        {
            this.timestampNanos = timestampNanos;
            this.json = json;
            this.type = type;
            this.ledger = ledger;
            this.code = code;
            this.debitAccountCode = debitAccountCode;
            this.creditAccountCode = creditAccountCode;
        }

        void assertMatches(final Delivery delivery, final int index)
        {
            final String where = "change " + index + " (timestamp " + timestampNanos + ")";
            final AMQP.BasicProperties properties = delivery.getProperties();
            assertEquals(Long.toString(timestampNanos), properties.getMessageId(), where);
            assertEquals(json, new String(delivery.getBody(), StandardCharsets.UTF_8), where);
            assertEquals(type + "." + ledger, delivery.getEnvelope().getRoutingKey(), where);
            assertEquals("application/json", properties.getContentType(), where);
            assertEquals(2, properties.getDeliveryMode(), where);
            final Map<String, Object> headers = properties.getHeaders();
            assertEquals(type, String.valueOf(headers.get("event_type")), where);
            assertEquals(ledger, ((Number)headers.get("ledger")).longValue(), where);
            assertEquals(code, ((Number)headers.get("transfer_code")).intValue(), where);
            assertEquals(debitAccountCode, ((Number)headers.get("debit_account_code")).intValue(), where);
            assertEquals(creditAccountCode, ((Number)headers.get("credit_account_code")).intValue(), where);
            assertEquals(timestampNanos, ((Number)headers.get("timestamp_nanos")).longValue(), where);
        }
    }
}
