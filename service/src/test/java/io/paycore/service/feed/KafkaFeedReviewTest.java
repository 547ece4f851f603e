package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import io.paycore.service.demo.DemoWorkload;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of {@code paycore feed-kafka}'s resume and delivery guarantees against a real KRaft broker
 * ({@link KafkaBroker}) on ports 27500 and 27501, each test failing before its fix.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaFeedReviewTest
{
    private static final int BROKER_PORT = 27500;
    private static final int CONTROLLER_PORT = 27501;
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(1024).maxTransfers(131072).maxPendingTransfers(8192);

    @TempDir
    static Path brokerTemp;

    @TempDir
    Path temp;

    private static KafkaBroker broker;

    private final List<AutoCloseable> closeables = new ArrayList<>();

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

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
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
        final long firstPartLast = lastTimestamp(expectedTimestamps(data));

        final ByteArrayOutputStream publisherOut = new ByteArrayOutputStream();
        KafkaFeedPublisher publisher = KafkaFeedPublisher.launch(context(data, state, topic, publisherOut));
        closeables.add(publisher::onClose);
        runUntil(publisher, () -> publisher.watermark() >= firstPartLast || KafkaFeedPublisher.Stop.NONE !=
            publisher.stop(), publisherOut);
        assertEquals(firstPartLast, publisher.watermark(), publisherOut.toString(StandardCharsets.UTF_8));
        for (int i = 0; i < 1_200; i++) // past the second's housekeeping: the old topic's watermark is saved
        {
            publisher.doWork();
            Thread.sleep(1);
        }

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
        final long deletedUntil = System.currentTimeMillis() + 3_000; // the publisher runs on while it is gone
        while (System.currentTimeMillis() < deletedUntil && KafkaFeedPublisher.Stop.NONE == publisher.stop())
        {
            if (0 == publisher.doWork())
            {
                Thread.sleep(1);
            }
        }
        final long deadline = System.currentTimeMillis() + 30_000;
        while (true)
        {
            try
            {
                broker.createTopic(topic, 1);
                break;
            }
            catch (final ExecutionException ex)
            {
                assertTrue(ex.getCause() instanceof TopicExistsException, ex.toString());
                assertTrue(System.currentTimeMillis() < deadline, "the deleted topic is still there after 30 s");
                Thread.sleep(200);
            }
        }

        writer.transfers(20);
        writer.close();
        final List<Long> expected = expectedTimestamps(data);
        final long last = lastTimestamp(expected);
        KafkaFeedPublisher current = publisher;
        for (int start = 0; ; start++)
        {
            final KafkaFeedPublisher running = current;
            runUntil(running, () -> running.watermark() >= last || KafkaFeedPublisher.Stop.NONE != running.stop(),
                publisherOut);
            if (KafkaFeedPublisher.Stop.NONE == running.stop())
            {
                break;
            }
            assertTrue(start < 3, "restarted 3 times: " + publisherOut.toString(StandardCharsets.UTF_8));
            running.onClose(); // a supervisor restarts a publisher that stopped on its own
            current = KafkaFeedPublisher.launch(context(data, state, topic, publisherOut));
            closeables.add(current::onClose);
        }
        current.onClose();

        final List<Long> received = dedupedTimestamps(topic);
        assertEquals(expected.size(), received.size(), "the recreated topic holds every change from the start " +
            "(first received " + (received.isEmpty() ? "none" : received.get(0)) + ", first change " +
            expected.get(0) + "); the publisher printed:\n" + publisherOut.toString(StandardCharsets.UTF_8));
        assertEquals(expected, received);
    }

    private static KafkaFeedContext context(
        final DataDirectory data, final Path state, final String topic, final ByteArrayOutputStream out)
    {
        return new KafkaFeedContext()
            .dataDirectory(data)
            .limits(LIMITS)
            .coldTierSizeBytes(0)
            .stateDirectory(state)
            .bootstrapServers(broker.bootstrap())
            .topic(topic)
            .key(FeedKey.LEDGER)
            .producerProperty("max.block.ms", "300")
            .retryBackoffMaxMs(500)
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static void runUntil(
        final KafkaFeedPublisher publisher, final BooleanSupplier done, final ByteArrayOutputStream publisherOut)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (!done.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() < deadline, () -> "not done in 60 s (" + publisher.confirmed() +
                " confirmed, watermark " + publisher.watermark() + "); the publisher printed:\n" +
                publisherOut.toString(StandardCharsets.UTF_8));
            if (0 == publisher.doWork())
            {
                Thread.sleep(1);
            }
        }
    }

    private static long lastTimestamp(final List<Long> timestamps)
    {
        return timestamps.get(timestamps.size() - 1);
    }

    private static List<Long> expectedTimestamps(final DataDirectory data)
    {
        final List<Long> timestamps = new ArrayList<>();
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(data).limits(LIMITS)
            .coldTierSizeBytes(0)))
        {
            while (feed.poll((change) -> timestamps.add(change.timestampNanos()), 1000) > 0)
            {
                // read to the journal's end
            }
        }
        assertTrue(!timestamps.isEmpty());
        return timestamps;
    }

    /**
     * The feed's consumer: per key, a change whose timestamp is not above the last taken is dropped.
     */
    private static List<Long> dedupedTimestamps(final String topic)
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final List<Long> taken = new ArrayList<>();
        final Map<String, Long> lastPerKey = new HashMap<>();
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
                    final String key = new String(record.key(), StandardCharsets.UTF_8);
                    final long timestamp = KafkaFeedHeaders.decimal(record.headers(), KafkaFeedHeaders.TIMESTAMP);
                    if (timestamp > lastPerKey.getOrDefault(key, 0L))
                    {
                        lastPerKey.put(key, timestamp);
                        taken.add(timestamp);
                    }
                }
            }
        }
        taken.sort(Long::compare);
        return taken;
    }

    /**
     * Appends the demo's messages to a data directory's journal, as the service would.
     */
    private static final class JournalWriter implements AutoCloseable
    {
        private final DemoWorkload workload = new DemoWorkload(64, 1_000_000, 50, 7);
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        private final Journal journal;
        private long timestampNanos = 1_800_000_000_000_000_000L;
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
            timestampNanos += 1_000_000L;
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
