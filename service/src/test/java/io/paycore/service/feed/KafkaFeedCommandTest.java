package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.demo.DemoWorkload;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * {@code paycore feed-kafka} against a real KRaft broker started once for the class ({@link KafkaBroker}) on ports
 * 20800 and 20801.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaFeedCommandTest
{
    private static final int BROKER_PORT = 20800;
    private static final int CONTROLLER_PORT = 20801;
    private static final String[] LIMITS = {
        "--max-accounts", "1024", "--max-transfers", "131072", "--max-pending", "8192", "--cold-tier-size", "0" };
    private static final int ACCOUNTS = 64;
    private static final int BATCH = 50;
    private static final long FIRST_RECORD_TIMESTAMP_NANOS = 1_800_000_000_000_000_000L;
    private static final long RECORD_INTERVAL_NANOS = 1_000_000L;

    @TempDir
    static Path brokerTemp;

    @TempDir
    Path temp;

    private static KafkaBroker broker;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = KafkaBroker.start(brokerTemp.resolve("kafka"), BROKER_PORT, CONTROLLER_PORT);
    }

    @AfterAll
    static void stopBroker()
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @BeforeEach
    void captureOutput()
    {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() throws Exception
    {
        System.setOut(savedOut);
        System.setErr(savedErr);
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldDeliverEveryChangeOnceInOrderThroughPublisherAndBrokerKills() throws Exception
    {
        final String topic = "changes-kills";
        broker.createTopic(topic, 3);
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path state = temp.resolve("state");
        final JournalWriter writer = new JournalWriter(data);
        closeables.add(writer);
        writer.accounts();
        writer.transfers(100);

        final PaycoreProcess first = publisher(data, state, topic, "first.log");
        first.awaitReady(60_000);
        writer.transfers(300);
        awaitCounter(state, "changes confirmed", 3_000, first);
        first.kill();
        final long confirmedByFirst = counter(state, "last confirmed change timestamp");

        final PaycoreProcess second = publisher(data, state, topic, "second.log");
        second.awaitReady(60_000);
        final long topicWatermark = Long.parseLong(second.ready("topic-watermark"));
        assertTrue(topicWatermark > 0, "the first publisher's messages carry a watermark: " + second.output());
        assertTrue(topicWatermark <= confirmedByFirst, "a restart never resumes past what was acknowledged: " +
            topicWatermark + " > " + confirmedByFirst);
        final long resumeFrom = Long.parseLong(second.ready("resume-from"));
        assertEquals(Math.max(topicWatermark, Long.parseLong(second.ready("saved-watermark"))) + 1, resumeFrom);
        assertTrue(resumeFrom - 1 <= confirmedByFirst, "a restart never resumes past what was acknowledged: " +
            resumeFrom + " > " + confirmedByFirst + " + 1");

        assertEquals(KafkaFeedCommand.EXIT_STATE_IN_USE, PaycoreMain.execute(args(data, state, topic)),
            "a second publisher on the same state directory refuses");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is in use by another publisher (pid "),
            err.toString(StandardCharsets.UTF_8));

        writer.transfers(200);
        final long confirmedBeforeBrokerKill = awaitCounter(state, "changes confirmed", 2_000, second);
        broker.kill();
        writer.transfers(200);
        Thread.sleep(1_000);
        assertTrue(second.output().contains("ready:"), second.output());
        broker.restart();
        writer.transfers(100);
        writer.close();

        final List<Change> expected = expectedChanges(data);
        assertTrue(expected.size() > 40_000, "changes: " + expected.size());
        final long lastTimestamp = expected.get(expected.size() - 1).timestampNanos;
        awaitCounter(state, "last confirmed change timestamp", lastTimestamp, second);
        assertTrue(counter(state, "changes confirmed") > confirmedBeforeBrokerKill);
        assertEquals(143, second.terminate(30_000), second.output());
        assertTrue(second.output().contains("paycore feed-kafka: stopped: "), second.output());

        final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> topicContents = readTopic(topic);
        final List<Change> received = dedupeByTimestampPerKey(topicContents);
        received.sort((a, b) -> Long.compare(a.timestampNanos, b.timestampNanos));
        assertEquals(expected.size(), received.size(), "every change exactly once after the consumer's dedupe");
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(expected.get(i).timestampNanos, received.get(i).timestampNanos, "change " + i);
            assertEquals(expected.get(i).json, received.get(i).json, "change " + i);
            assertEquals(expected.get(i).key, received.get(i).key, "change " + i);
            assertEquals(expected.get(i).headers, received.get(i).headers, "change " + i);
        }
        long messages = 0;
        for (final List<ConsumerRecord<byte[], byte[]>> records : topicContents.values())
        {
            messages += records.size();
        }
        savedOut.println("KafkaFeedCommandTest: " + expected.size() + " changes, " + messages + " messages in the " +
            "topic (" + (messages - expected.size()) + " re-sent), topic watermark at the restart " + topicWatermark +
            ", the second publisher's errors " + counter(state, "publish errors"));
    }

    @Test
    void shouldResumeAfterTheHighestWatermarkOfThePartitionsLastMessages() throws Exception
    {
        final String topic = "watermarks";
        broker.createTopic(topic, 3);
        try (KafkaProducer<byte[], byte[]> producer = producer())
        {
            send(producer, topic, 0, 600, 500);
            send(producer, topic, 0, 1_000, 700);
            send(producer, topic, 1, 900, 900);
            send(producer, topic, 1, 1_200, 650);
            producer.flush();
        }

        final KafkaFeedResume resume = KafkaFeedResume.read(broker.bootstrap(), topic, Map.of(), 10_000);

        assertEquals(3, resume.partitions());
        assertEquals(2, resume.lastMessages(), "partition 2 is empty");
        assertEquals(700, resume.watermark(), "the highest of the last messages' watermarks (700 and 650): not " +
            "the highest ever sent (900), nor the newest change (1200), which says nothing of changes in flight to " +
            "the other partitions");
    }

    @Test
    void shouldResendNothingAfterACleanStopAndIgnoreAWatermarkSavedForAnotherTopic() throws Exception
    {
        final String topic = "clean-stop";
        broker.createTopic(topic, 2);
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final long lastRecordTimestampNanos;
        try (JournalWriter writer = new JournalWriter(data))
        {
            writer.accounts();
            writer.transfers(40);
            lastRecordTimestampNanos = writer.timestampNanos - RECORD_INTERVAL_NANOS;
        }
        final List<Change> expected = expectedChanges(data);
        final long lastTimestampNanos = expected.get(expected.size() - 1).timestampNanos;
        final Path state = temp.resolve("state");

        final ByteArrayOutputStream firstOut = new ByteArrayOutputStream();
        final KafkaFeedPublisher first = KafkaFeedPublisher.launch(context(data, state, topic, firstOut));
        runUntil(first, () -> first.watermark() >= lastTimestampNanos);
        first.onClose();
        assertEquals(expected.size(), first.confirmed());
        assertEquals(expected.size(), first.published(), "nothing re-sent in a run without failures");

        final ByteArrayOutputStream secondOut = new ByteArrayOutputStream();
        final KafkaFeedPublisher second = KafkaFeedPublisher.launch(context(data, state, topic, secondOut));
        runUntil(second, () -> second.isResumed() &&
            second.lastRecordTimestampNanos() == lastRecordTimestampNanos);
        second.onClose();
        final String ready = secondOut.toString(StandardCharsets.UTF_8);
        assertTrue(ready.contains(" saved-watermark " + lastTimestampNanos + " resume-from " +
            (lastTimestampNanos + 1)), ready);
        assertEquals(0, second.published(), "a restart after a clean stop re-sends nothing: " + ready);

        KafkaFeedProgress.write(state, "another-topic-id", lastTimestampNanos);
        final ByteArrayOutputStream thirdOut = new ByteArrayOutputStream();
        final KafkaFeedPublisher third = KafkaFeedPublisher.launch(context(data, state, topic, thirdOut));
        runUntil(third, third::isResumed);
        third.onClose();
        final String thirdReady = thirdOut.toString(StandardCharsets.UTF_8);
        assertTrue(thirdReady.contains(" saved-watermark 0 resume-from "), "a watermark saved for another " +
            "topic (one deleted and made again under the same name) does not count: " + thirdReady);
    }

    @Test
    void shouldResendInOrderWithANewProducerAfterARetriableSendFailure() throws Exception
    {
        final String topic = "vanishing";
        broker.createTopic(topic, 2);
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (JournalWriter writer = new JournalWriter(data))
        {
            writer.accounts();
            writer.transfers(20);
        }
        final List<Change> expected = expectedChanges(data);
        final long lastTimestampNanos = expected.get(expected.size() - 1).timestampNanos;
        final Path state = temp.resolve("state");
        final ByteArrayOutputStream publisherOut = new ByteArrayOutputStream();
        final KafkaFeedPublisher publisher = KafkaFeedPublisher.launch(context(data, state, topic, publisherOut)
            .producerProperty("max.block.ms", "300")
            .retryBackoffMaxMs(500)
            .maxQueued(16));
        closeables.add(publisher::onClose);
        runUntil(publisher, publisher::isResumed, publisherOut);

        deleteTopic(topic);
        runUntil(publisher, () -> publisherOut.toString(StandardCharsets.UTF_8).contains("a send failed"),
            publisherOut);
        assertTrue(counter(state, "publish errors") >= 1, "the failed send is counted");
        assertEquals(0, publisher.confirmed());

        createTopicAgain(topic, 2);
        runUntil(publisher, () -> publisher.watermark() >= lastTimestampNanos, publisherOut);
        assertEquals(expected.size(), publisher.confirmed(), publisherOut.toString(StandardCharsets.UTF_8));

        final List<Change> received = dedupeByTimestampPerKey(readTopic(topic));
        received.sort((a, b) -> Long.compare(a.timestampNanos, b.timestampNanos));
        assertEquals(expected.size(), received.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(expected.get(i).json, received.get(i).json, "change " + i);
        }
    }

    @Test
    void shouldExitWithTheTopicStatusWhenTheTopicIsMissingOrForeign() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (JournalWriter writer = new JournalWriter(data))
        {
            writer.accounts();
            writer.transfers(2);
        }

        assertEquals(KafkaFeedCommand.EXIT_TOPIC_UNUSABLE,
            PaycoreMain.execute(args(data, temp.resolve("state-missing"), "no-such-topic")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the topic no-such-topic does not exist"),
            err.toString(StandardCharsets.UTF_8));

        final String foreign = "foreign";
        broker.createTopic(foreign, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer())
        {
            producer.send(new ProducerRecord<>(foreign, "k".getBytes(StandardCharsets.UTF_8),
                "not a paycore change".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        err.reset();
        assertEquals(KafkaFeedCommand.EXIT_TOPIC_UNUSABLE,
            PaycoreMain.execute(args(data, temp.resolve("state-foreign"), foreign)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no 'watermark' header"),
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldStopWithTheRefusedStatusWhenTheTopicRefusesAChangeForGood() throws Exception
    {
        final String topic = "small-messages";
        broker.createTopic(topic, 1, Map.of("max.message.bytes", "256"));
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (JournalWriter writer = new JournalWriter(data))
        {
            writer.accounts();
            writer.transfers(2);
        }
        final Path state = temp.resolve("state");

        assertEquals(KafkaFeedCommand.EXIT_REFUSED, PaycoreMain.execute(args(data, state, topic)));

        final String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("the broker refused a change for good: " +
            "org.apache.kafka.common.errors.RecordTooLargeException"), message);
        assertTrue(message.contains("every change through timestamp 0 was acknowledged"), message);
        assertTrue(counter(state, "publish errors") >= 1, "the refusal is counted");
        assertEquals(0, counter(state, "changes confirmed"));
    }

    @Test
    void shouldStopWithTheRefusedStatusWhenTheClientOptionsCannotWorkRatherThanRetryForEver() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        try (JournalWriter writer = new JournalWriter(data))
        {
            writer.accounts();
        }

        // An address that is not host:port: no Kafka client can be made of it.
        final String[] notAnAddress = args(data, temp.resolve("state-address"), "t");
        notAnAddress[List.of(notAnAddress).indexOf("--bootstrap") + 1] = "notahostport";
        assertEquals(KafkaFeedCommand.EXIT_REFUSED, PaycoreMain.execute(notAnAddress));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot make a Kafka client of the options " +
            "(--bootstrap, --producer-property): "), err.toString(StandardCharsets.UTF_8));

        // SASL against a broker that speaks plain text: refused for good, whatever the wait.
        err.reset();
        assertEquals(KafkaFeedCommand.EXIT_REFUSED, PaycoreMain.execute(with(args(data, temp.resolve("state-sasl"),
            "t"), "--producer-property", "security.protocol=SASL_PLAINTEXT", "--producer-property",
            "sasl.mechanism=PLAIN", "--producer-property", "sasl.jaas.config=" +
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";")));
        final String refused = err.toString(StandardCharsets.UTF_8);
        assertTrue(refused.contains("the broker at " + broker.bootstrap() + " refused the publisher: "), refused);
        assertFalse(refused.contains("password=\"p\""), refused);
    }

    @Test
    void shouldRefuseUsageErrorsBeforeTouchingTheBroker()
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path state = temp.resolve("state");

        assertEquals(KafkaFeedCommand.EXIT_USAGE, PaycoreMain.execute(with(args(data, state, "t"), "--key", "payee")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--key must be ledger, debit-account or " +
            "credit-account"), err.toString(StandardCharsets.UTF_8));
        assertEquals(KafkaFeedCommand.EXIT_USAGE,
            PaycoreMain.execute(with(args(data, state, "t"), "--producer-property", "acks=1")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("acks is fixed"),
            err.toString(StandardCharsets.UTF_8));
        final String[] emptyQueue = args(data, state, "t");
        emptyQueue[List.of(emptyQueue).indexOf("--max-queued") + 1] = "0";
        assertEquals(KafkaFeedCommand.EXIT_USAGE, PaycoreMain.execute(emptyQueue));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--max-queued must be 1..1048576: 0"),
            err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(state), "nothing made for a refused command line");
    }

    /**
     * A topic deleted and made again under the same name while the publisher runs (here: gone for 3 s, then made
     * again, then the service writes on). The README promises that such a
     * topic "is published from the start" (the saved watermark counts only for the same topic id), but the running
     * publisher reads the topic id once, at its start: it carries on into the new topic after its in-memory
     * watermark, so every change acknowledged by the old topic is missing from the new one, and the messages it
     * writes there carry a watermark claiming those changes were acknowledged, so a restart skips them too, for good.
     * A consumer of the new topic never sees the ledger's earlier changes (accounts' first transfers, ...).
     * <p>
     * The test plays a supervisor: when the publisher stops on its own, it is started again, as a service manager
     * would. Fixed, the new topic holds every change, once after the consumer's dedupe.
     */
    @Test
    void shouldPublishARecreatedTopicFromTheStartRatherThanAfterTheOldTopicsWatermark() throws Exception
    {
        final String topic = "recreated";
        broker.createTopic(topic, 1);
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final Path state = temp.resolve("state");
        final JournalWriter writer = new JournalWriter(data);
        closeables.add(writer);
        writer.accounts();
        writer.transfers(20);
        final long firstPartLast = lastTimestamp(expectedChanges(data));

        final ByteArrayOutputStream publisherOut = new ByteArrayOutputStream();
        final KafkaFeedPublisher publisher = KafkaFeedPublisher.launch(stoppingContext(data, state, topic,
            publisherOut));
        closeables.add(publisher::onClose);
        runUntilDoneOrStopped(publisher, () -> publisher.watermark() >= firstPartLast, publisherOut);
        assertEquals(firstPartLast, publisher.watermark(), publisherOut.toString(StandardCharsets.UTF_8));
        for (int i = 0; i < 1_200; i++) // past the second's housekeeping: the old topic's watermark is saved
        {
            publisher.doWork();
            Thread.sleep(1);
        }

        deleteTopic(topic);
        final long deletedUntil = System.currentTimeMillis() + 3_000; // the publisher runs on while it is gone
        while (System.currentTimeMillis() < deletedUntil && KafkaFeedPublisher.Stop.NONE == publisher.stop())
        {
            if (0 == publisher.doWork())
            {
                Thread.sleep(1);
            }
        }
        createTopicAgain(topic, 1);

        writer.transfers(20);
        writer.close();
        final List<Change> expectedChanges = expectedChanges(data);
        final long last = lastTimestamp(expectedChanges);
        KafkaFeedPublisher current = publisher;
        for (int start = 0; ; start++)
        {
            final KafkaFeedPublisher running = current;
            runUntilDoneOrStopped(running, () -> running.watermark() >= last, publisherOut);
            if (KafkaFeedPublisher.Stop.NONE == running.stop())
            {
                break;
            }
            assertTrue(start < 3, "restarted 3 times: " + publisherOut.toString(StandardCharsets.UTF_8));
            running.onClose(); // a supervisor restarts a publisher that stopped on its own
            current = KafkaFeedPublisher.launch(stoppingContext(data, state, topic, publisherOut));
            closeables.add(current::onClose);
        }
        current.onClose();

        final List<Long> expected = timestamps(expectedChanges);
        final List<Long> received = timestamps(dedupeByTimestampPerKey(readTopic(topic)));
        received.sort(Long::compare);
        assertEquals(expected.size(), received.size(), "the recreated topic holds every change from the start " +
            "(first received " + (received.isEmpty() ? "none" : received.get(0)) + ", first change " +
            expected.get(0) + "); the publisher printed:\n" + publisherOut.toString(StandardCharsets.UTF_8));
        assertEquals(expected, received);
    }

    /**
     * As {@link #context}, for a publisher that is to stop on its own: a send waits at most 300 ms for a topic's
     * metadata (not the producer's default minute, while the topic is gone), and retries back off at most 500 ms.
     */
    private static KafkaFeedContext stoppingContext(
        final DataDirectory data, final Path state, final String topic, final ByteArrayOutputStream out)
    {
        return context(data, state, topic, out).key(FeedKey.LEDGER).producerProperty("max.block.ms", "300")
            .retryBackoffMaxMs(500);
    }

    /**
     * As {@link #runUntil}, but a publisher that stops on its own is done too.
     */
    private static void runUntilDoneOrStopped(
        final KafkaFeedPublisher publisher, final BooleanSupplier done, final ByteArrayOutputStream publisherOut)
        throws InterruptedException
    {
        runUntil(publisher, () -> KafkaFeedPublisher.Stop.NONE != publisher.stop() || done.getAsBoolean(),
            publisherOut);
    }

    private static long lastTimestamp(final List<Change> changes)
    {
        return changes.get(changes.size() - 1).timestampNanos;
    }

    private static List<Long> timestamps(final List<Change> changes)
    {
        final List<Long> timestamps = new ArrayList<>();
        changes.forEach((change) -> timestamps.add(change.timestampNanos));
        return timestamps;
    }

    private static void deleteTopic(final String topic) throws Exception
    {
        try (Admin admin = broker.admin(10_000))
        {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            final long goneDeadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic))
            {
                assertTrue(System.currentTimeMillis() < goneDeadline, "the topic was not deleted in 30 s");
                Thread.sleep(100);
            }
        }
    }

    /**
     * Make a deleted topic again, as soon as the broker has let go of its name.
     */
    private static void createTopicAgain(final String topic, final int partitions) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (true)
        {
            try
            {
                broker.createTopic(topic, partitions);
                return;
            }
            catch (final ExecutionException ex)
            {
                assertTrue(ex.getCause() instanceof TopicExistsException, ex.toString());
                assertTrue(System.currentTimeMillis() < deadline, "the deleted topic is still there after 30 s");
                Thread.sleep(200);
            }
        }
    }

    private PaycoreProcess publisher(final DataDirectory data, final Path state, final String topic, final String log)
        throws Exception
    {
        final PaycoreProcess process = PaycoreProcess.start(temp.resolve(log),
            List.of(with(args(data, state, topic), "--key", "debit-account")));
        closeables.add(process);
        return process;
    }

    private static KafkaFeedContext context(
        final DataDirectory data, final Path state, final String topic, final ByteArrayOutputStream out)
    {
        return new KafkaFeedContext()
            .dataDirectory(data)
            .limits(new LedgerLimits().maxAccounts(1024).maxTransfers(131072).maxPendingTransfers(8192))
            .coldTierSizeBytes(0)
            .stateDirectory(state)
            .bootstrapServers(broker.bootstrap())
            .topic(topic)
            .key(FeedKey.CREDIT_ACCOUNT)
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static void runUntil(final KafkaFeedPublisher publisher, final BooleanSupplier done)
        throws InterruptedException
    {
        runUntil(publisher, done, null);
    }

    /**
     * @param publisherOut what the publisher printed, for the message if it is not done in time; null for none.
     */
    private static void runUntil(
        final KafkaFeedPublisher publisher, final BooleanSupplier done, final ByteArrayOutputStream publisherOut)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (!done.getAsBoolean())
        {
            assertEquals(KafkaFeedPublisher.Stop.NONE, publisher.stop(), publisher.stopMessage());
            assertTrue(System.currentTimeMillis() < deadline, () -> "not done in 60 s (" + publisher.confirmed() +
                " confirmed, watermark " + publisher.watermark() + ")" + (null == publisherOut ? "" :
                "; the publisher printed:\n" + publisherOut.toString(StandardCharsets.UTF_8)));
            if (0 == publisher.doWork())
            {
                Thread.sleep(1);
            }
        }
    }

    private static String[] args(final DataDirectory data, final Path state, final String topic)
    {
        return with(new String[]{ "feed-kafka", "--data", data.root().toString(), "--state", state.toString(),
            "--bootstrap", broker.bootstrap(), "--topic", topic, "--max-in-flight", "2048", "--max-queued", "256" },
            LIMITS);
    }

    private static String[] with(final String[] args, final String... more)
    {
        final String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static long counter(final Path state, final String labelEnd)
    {
        final long[] value = { -1 };
        FeedCounters.read(state.resolve(FeedCounters.FILE_NAME), (counters) -> counters.forEach(
            (counterId, typeId, keyBuffer, label) ->
            {
                if (label.contains(labelEnd))
                {
                    value[0] = counters.getCounterValue(counterId);
                }
            }));
        if (value[0] < 0)
        {
            fail("no counter '" + labelEnd + "' in " + state);
        }
        return value[0];
    }

    private static long awaitCounter(
        final Path state, final String labelEnd, final long atLeast, final PaycoreProcess publisher) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (true)
        {
            final long value = counter(state, labelEnd);
            if (value >= atLeast)
            {
                return value;
            }
            if (System.currentTimeMillis() > deadline)
            {
                fail("'" + labelEnd + "' is " + value + ", not " + atLeast + ", after 60 s:\n" + publisher.output());
            }
            Thread.sleep(20);
        }
    }

    private static List<Change> expectedChanges(final DataDirectory data)
    {
        final List<Change> changes = new ArrayList<>();
        final LedgerLimits limits = new LedgerLimits().maxAccounts(1024).maxTransfers(131072)
            .maxPendingTransfers(8192);
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(data).limits(limits)
            .coldTierSizeBytes(0)))
        {
            while (feed.poll((change) ->
            {
                final Map<String, String> headers = new HashMap<>();
                headers.put(KafkaFeedHeaders.EVENT_TYPE, ChangeJson.typeName(change.type()));
                headers.put(KafkaFeedHeaders.LEDGER, Long.toString(change.ledger()));
                headers.put(KafkaFeedHeaders.TRANSFER_CODE, Integer.toString(change.code()));
                headers.put(KafkaFeedHeaders.DEBIT_ACCOUNT_CODE, Integer.toString(change.debitAccountCode()));
                headers.put(KafkaFeedHeaders.CREDIT_ACCOUNT_CODE, Integer.toString(change.creditAccountCode()));
                headers.put(KafkaFeedHeaders.TIMESTAMP, Long.toString(change.timestampNanos()));
                changes.add(new Change(change.timestampNanos(), ChangeJson.toJson(change),
                    new String(FeedKey.DEBIT_ACCOUNT.keyBytes(change), StandardCharsets.UTF_8), headers));
            }, 1000) > 0)
            {
                // read to the journal's end
            }
        }
        assertFalse(changes.isEmpty());
        return changes;
    }

    private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> readTopic(final String topic)
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> contents = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config))
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            final long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch((tp) -> consumer.position(tp) < ends.get(tp)))
            {
                assertTrue(System.currentTimeMillis() < deadline, "the topic was not read to its end in 60 s");
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    contents.computeIfAbsent(new TopicPartition(topic, record.partition()), (tp) -> new ArrayList<>())
                        .add(record);
                }
            }
        }
        return contents;
    }

    /**
     * The consumer the feed is made for: per key, in the order the partition holds them, a change whose timestamp
     * is not above the last one taken for that key is a re-send and is dropped. A change delivered out of order
     * would be dropped too, and then missed by the comparison with the journal's changes.
     */
    private static List<Change> dedupeByTimestampPerKey(
        final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> contents)
    {
        final List<Change> taken = new ArrayList<>();
        final Map<String, Long> lastPerKey = new HashMap<>();
        for (final List<ConsumerRecord<byte[], byte[]>> partition : contents.values())
        {
            for (final ConsumerRecord<byte[], byte[]> record : partition)
            {
                final String key = new String(record.key(), StandardCharsets.UTF_8);
                final long timestampNanos = KafkaFeedHeaders.decimal(record.headers(), KafkaFeedHeaders.TIMESTAMP);
                assertTrue(timestampNanos > 0, "every message has its timestamp header");
                assertTrue(KafkaFeedHeaders.decimal(record.headers(), KafkaFeedHeaders.WATERMARK) >= 0);
                if (timestampNanos > lastPerKey.getOrDefault(key, 0L))
                {
                    lastPerKey.put(key, timestampNanos);
                    final Map<String, String> headers = new HashMap<>();
                    record.headers().forEach((header) ->
                    {
                        if (!KafkaFeedHeaders.WATERMARK.equals(header.key()))
                        {
                            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                        }
                    });
                    taken.add(new Change(timestampNanos, new String(record.value(), StandardCharsets.UTF_8), key,
                        headers));
                }
            }
        }
        return taken;
    }

    private static KafkaProducer<byte[], byte[]> producer()
    {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static void send(
        final KafkaProducer<byte[], byte[]> producer,
        final String topic,
        final int partition,
        final long timestampNanos,
        final long watermark) throws Exception
    {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaFeedHeaders.TIMESTAMP, KafkaFeedHeaders.decimal(timestampNanos));
        headers.add(KafkaFeedHeaders.WATERMARK, KafkaFeedHeaders.decimal(watermark));
        producer.send(new ProducerRecord<>(topic, partition, null, new byte[]{ 1 }, new byte[]{ 2 }, headers))
            .get(30, TimeUnit.SECONDS);
    }

    private static final class Change
    {
        final long timestampNanos;
        final String json;
        final String key;
        final Map<String, String> headers;

        Change(final long timestampNanos, final String json, final String key, final Map<String, String> headers)
        {
            this.timestampNanos = timestampNanos;
            this.json = json;
            this.key = key;
            this.headers = headers;
        }
    }

    /**
     * Appends the demo's messages to a data directory's journal, as the service would, while a publisher follows.
     */
    private static final class JournalWriter implements AutoCloseable
    {
        private final DemoWorkload workload = new DemoWorkload(ACCOUNTS, 1_000_000, BATCH, 7);
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        private final Journal journal;
        private long timestampNanos = FIRST_RECORD_TIMESTAMP_NANOS;
        private boolean closed;

        JournalWriter(final DataDirectory data)
        {
            journal = Journal.open(new JournalContext().directory(data.journalDirectory())
                .segmentLength(JournalContext.SEGMENT_LENGTH_MIN * 16).flushLevel(FlushLevel.NONE));
        }

        void accounts()
        {
            while (workload.hasMoreAccounts())
            {
                append(workload.encodeAccounts(message, 0));
            }
        }

        void transfers(final int records)
        {
            for (int i = 0; i < records; i++)
            {
                append(workload.encodeTransfers(message, 0));
            }
        }

        private void append(final int length)
        {
            journal.append(RecordTypes.MESSAGE, timestampNanos, message, 0, length);
            timestampNanos += RECORD_INTERVAL_NANOS;
        }

        public void close()
        {
            if (!closed)
            {
                closed = true;
                journal.close();
            }
        }
    }
}
