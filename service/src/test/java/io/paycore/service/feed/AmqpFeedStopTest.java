package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The stop of {@code paycore feed-amqp} ({@link AmqpFeedCommand}'s shutdown) while the broker sends no confirms and
 * the drain timeout is longer than {@link AgentRunner#RETRY_CLOSE_TIMEOUT_MS}: the drain is waited out and the
 * progress of what the broker did confirm is written. RabbitMQ node of the test's own on ports 33010-33012.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AmqpFeedStopTest
{
    private static final int AMQP_PORT = 33010;
    private static final int DIST_PORT = 33011;
    private static final int EPMD_PORT = 33012;
    private static final String EXCHANGE = "paycore.changes.stop";
    private static final int MAX_IN_FLIGHT = 64;
    private static final long DRAIN_TIMEOUT_MS = AgentRunner.RETRY_CLOSE_TIMEOUT_MS + 2_000;
    private static final Pattern STOPPED = Pattern.compile(
        "stopped: published (\\d+), confirmed (\\d+), last confirmed timestamp (\\d+), unconfirmed (\\d+)");

    @TempDir
    static Path nodeDirectory;

    private static RabbitMqNode node;

    @TempDir
    Path temp;

    private final ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private LiveJournalWriter writer;
    private AgentRunner runner;
    private boolean suspended;

    @BeforeAll
    static void startBroker() throws Exception
    {
        if (RabbitMqNode.isInstalled())
        {
            node = new RabbitMqNode(nodeDirectory, AMQP_PORT, DIST_PORT, EPMD_PORT);
            node.start();
        }
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
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws Exception
    {
        if (null != savedErr)
        {
            System.setErr(savedErr);
        }
        if (suspended)
        {
            node.resume();
        }
        CloseHelper.quietCloseAll(runner, writer);
    }

    @Test
    void shouldWriteTheConfirmedProgressWhenStoppedDuringADrainLongerThanTheRunnersCloseTimeout() throws Exception
    {
        try (Connection connection = node.connectionFactory().newConnection("paycore test");
            Channel channel = connection.createChannel())
        {
            channel.exchangeDeclare(EXCHANGE, "topic", true);
            channel.queueDeclare("paycore-feed-test-stop", true, false, false, null);
            channel.queueBind("paycore-feed-test-stop", EXCHANGE, "#");
        }
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path state = temp.resolve("state");
        writer = new LiveJournalWriter(data, 100, 1);
        writer.writeTransfers(40);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AmqpFeedContext context = new AmqpFeedContext()
            .feedContext(new ChangeFeedContext().directory(data).coldTierSizeBytes(0)
                .limits(new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(4096)))
            .stateDirectory(state)
            .uri(node.uri())
            .exchange(EXCHANGE)
            .maxInFlight(MAX_IN_FLIGHT)
            .progressIntervalMs(TimeUnit.HOURS.toMillis(1)) // so that only the stop writes what was confirmed
            .drainTimeoutMs(DRAIN_TIMEOUT_MS)
            .connectTimeoutMs(1_000)
            .out(new PrintStream(out, true, StandardCharsets.UTF_8))
            .err(new PrintStream(err, true, StandardCharsets.UTF_8));
        final AmqpFeedPublisher publisher = AmqpFeedPublisher.launch(context, null);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), (ex) -> {}, null, publisher);
        AgentRunner.startOnThread(runner);

        // some changes confirmed, then a broker that confirms nothing more while changes come: what is published
        // after it stalled stays unconfirmed (the window of 64 has room for them: fewer than 54 changes came before)
        awaitConfirmedAtLeast(publisher, 1, out);
        node.suspend();
        suspended = true;
        final long publishedWhenStalled = publisher.counters().published().get();
        writer.writeTransfers(50);
        final long deadlineMs = System.currentTimeMillis() + 30_000;
        while (publisher.counters().published().get() < publishedWhenStalled + 10)
        {
            if (System.currentTimeMillis() > deadlineMs)
            {
                fail("nothing published to the stalled broker:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(10);
        }

        AmqpFeedCommand.stop(publisher, runner, context, new PrintStream(err, true, StandardCharsets.UTF_8));

        final String printed = out.toString(StandardCharsets.UTF_8);
        final Matcher stopped = STOPPED.matcher(printed);
        assertTrue(stopped.find(), printed);
        final long lastConfirmedTimestamp = Long.parseLong(stopped.group(3));
        assertTrue(Long.parseLong(stopped.group(2)) >= 1 && lastConfirmedTimestamp > 0, printed);
        assertTrue(Long.parseLong(stopped.group(4)) >= 10, "the drain had something to wait for: " + printed);

        final String errors = err.toString(StandardCharsets.UTF_8);
        assertFalse(errors.contains("cannot write the progress file"), errors);
        assertFalse(systemErr.toString(StandardCharsets.UTF_8).contains("failed to close"),
            "the drain was cut short: " + systemErr.toString(StandardCharsets.UTF_8));
        assertEquals(lastConfirmedTimestamp, Long.parseLong(
            Files.readString(state.resolve(FeedState.PROGRESS_FILE_NAME), StandardCharsets.US_ASCII).trim()),
            "the progress file holds the last change the broker confirmed: " + printed + errors);
    }

    private static void awaitConfirmedAtLeast(
        final AmqpFeedPublisher publisher, final long count, final ByteArrayOutputStream out) throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + 30_000;
        while (publisher.confirmedCount() < count)
        {
            if (System.currentTimeMillis() > deadlineMs)
            {
                fail("the broker did not confirm " + count + " changes:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(10);
        }
    }
}
