package io.paycore.perf.feed;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.perf.harness.MachineInfo;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.service.feed.FeedKey;
import io.paycore.service.feed.KafkaFeedContext;
import io.paycore.service.feed.KafkaFeedEncoder;
import io.paycore.service.feed.KafkaFeedHeaders;
import io.paycore.service.feed.KafkaFeedMessage;
import io.paycore.service.feed.KafkaFeedPublisher;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sustained changes/s of {@code paycore feed-kafka} into a Kafka broker, against the same broker's rate for the
 * same messages sent by a bare producer with the same settings, in one run, alternating rounds.
 * <p>
 * It writes a demo journal, replays it once to take its changes' messages (key, JSON body, headers, made by the
 * publisher's own {@link KafkaFeedEncoder}), then per round: that replay again, timed ("replay + JSON alone");
 * the bare producer sends those messages, pre-encoded, to a fresh topic; the publisher follows the journal from its
 * start into another fresh topic (replay, JSON, send) until the broker acknowledged the last change. Each rate is
 * messages over the time from the first send to the last acknowledgement. The broker is given by
 * {@code --bootstrap}; the harness starts none.
 */
@Command(
    name = "kafka-feed-throughput",
    mixinStandardHelpOptions = true,
    description = "Changes/s of paycore feed-kafka against a bare Kafka producer sending the same messages.")
public final class KafkaFeedThroughput implements Callable<Integer>
{
    private static final long FIRST_RECORD_TIMESTAMP_NANOS = 1_800_000_000_000_000_000L;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The broker.")
    private String bootstrap;

    @Option(names = "--transfers", defaultValue = "200000", description = "Transfers in the journal " +
        "(default: ${DEFAULT-VALUE}).")
    private int transfers;

    @Option(names = "--accounts", defaultValue = "10000", description = "Accounts (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--batch", defaultValue = "100", description = "Transfers per journal record " +
        "(default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of each (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1", description = "Rounds of each run first and not " +
        "counted, for the JIT (default: ${DEFAULT-VALUE}).")
    private int warmupRounds;

    @Option(names = "--partitions", defaultValue = "1", description = "Partitions of each topic " +
        "(default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--key", defaultValue = "ledger", description = "ledger|debit-account|credit-account " +
        "(default: ${DEFAULT-VALUE}).")
    private String key;

    @Option(names = "--dir", description = "Where the journal is written (default: a temporary directory).")
    private Path dir;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new KafkaFeedThroughput()).execute(args));
    }

    /**
     * Run the rounds and print the rates.
     *
     * @return 0.
     * @throws Exception if the broker or the journal fails.
     */
    public Integer call() throws Exception
    {
        final FeedKey feedKey = FeedKey.parse(key);
        final Path root = null != dir ? dir : Files.createTempDirectory("paycore-kafka-feed-throughput-");
        final DataDirectory data = new DataDirectory(root.resolve("data"));
        final LedgerLimits limits = new LedgerLimits().maxAccounts(Math.max(1024, accounts))
            .maxTransfers(Math.max(65536, transfers + 1024));
        System.out.println("machine: " + MachineInfo.now().describeBefore());
        writeJournal(data);
        final List<ProducerRecordParts> messages = messages(data, limits, feedKey);
        long bytes = 0;
        for (final ProducerRecordParts message : messages)
        {
            bytes += message.value.length;
        }
        System.out.printf("journal: %d transfers -> %d changes, mean JSON body %d bytes%n", transfers,
            messages.size(), bytes / messages.size());

        final double[] bare = new double[rounds];
        final double[] feed = new double[rounds];
        final double[] replay = new double[rounds];
        for (int round = -warmupRounds; round < rounds; round++)
        {
            final long startNs = System.nanoTime();
            final int changes = messages(data, limits, feedKey).size();
            final double replayPerSecond = changes * 1e9 / (System.nanoTime() - startNs);
            final double barePerSecond = bareProducer(messages, "bare-" + round + "-" + System.currentTimeMillis());
            final double feedPerSecond = publisher(data, limits, feedKey, root.resolve("state-" + round),
                "feed-" + round + "-" + System.currentTimeMillis(), messages);
            System.out.printf("%s: replay + JSON alone %.0f changes/s, bare producer %.0f msg/s, feed-kafka " +
                "%.0f changes/s (%.0f%% of the bare producer)%n",
                round < 0 ? "warm-up" : "round " + (round + 1), replayPerSecond, barePerSecond, feedPerSecond,
                100.0 * feedPerSecond / barePerSecond);
            if (round >= 0)
            {
                bare[round] = barePerSecond;
                feed[round] = feedPerSecond;
                replay[round] = replayPerSecond;
            }
        }
        final double bareMedian = median(bare);
        final double feedMedian = median(feed);
        System.out.printf("median of %d rounds: replay + JSON alone %.0f changes/s, bare producer %.0f msg/s, " +
            "feed-kafka %.0f changes/s: %.0f%% of the bare producer (target >= 80%%)%n", rounds, median(replay),
            bareMedian, feedMedian, 100.0 * feedMedian / bareMedian);
        System.out.println("load after: " + MachineInfo.loadAverage());
        if (null == dir)
        {
            IoUtil.delete(root.toFile(), true);
        }
        return 0;
    }

    private void writeJournal(final DataDirectory data)
    {
        final DemoWorkload workload = new DemoWorkload(accounts, transfers, batch, DemoWorkload.SEED_DEFAULT);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        long timestampNanos = FIRST_RECORD_TIMESTAMP_NANOS;
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .flushLevel(FlushLevel.NONE)))
        {
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestampNanos, message, 0, workload.encodeAccounts(message, 0));
                timestampNanos += 1_000_000;
            }
            while (workload.hasMoreTransfers())
            {
                journal.append(RecordTypes.MESSAGE, timestampNanos, message, 0, workload.encodeTransfers(message, 0));
                timestampNanos += 1_000_000;
            }
        }
    }

    private static List<ProducerRecordParts> messages(
        final DataDirectory data, final LedgerLimits limits, final FeedKey feedKey)
    {
        final List<ProducerRecordParts> messages = new ArrayList<>();
        final KafkaFeedEncoder encoder = new KafkaFeedEncoder(feedKey);
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(data).limits(limits)
            .coldTierSizeBytes(0)))
        {
            while (feed.poll((change) ->
            {
                final KafkaFeedMessage message = encoder.encode(change, new KafkaFeedMessage());
                final Header[] headers = Arrays.copyOf(message.headers(), KafkaFeedMessage.HEADER_COUNT + 1);
                headers[KafkaFeedMessage.HEADER_COUNT] =
                    new RecordHeader(KafkaFeedHeaders.WATERMARK, KafkaFeedHeaders.decimal(change.timestampNanos()));
                messages.add(new ProducerRecordParts(message.timestampNanos(), message.key(), message.value(),
                    headers));
            }, 1000) > 0)
            {
                // to the journal's end
            }
        }
        return messages;
    }

    private double bareProducer(final List<ProducerRecordParts> messages, final String topic) throws Exception
    {
        createTopic(topic);
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config))
        {
            producer.partitionsFor(topic);
            final long startNs = System.nanoTime();
            for (final ProducerRecordParts message : messages)
            {
                producer.send(new ProducerRecord<>(topic, null, null, message.key, message.value,
                    new RecordHeaders(message.headers)), (metadata, exception) ->
                    {
                        if (null != exception)
                        {
                            failure.compareAndSet(null, exception);
                        }
                        acknowledged.incrementAndGet();
                    });
            }
            final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
            while (acknowledged.get() < messages.size())
            {
                idle.idle();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            if (null != failure.get())
            {
                throw new IllegalStateException("the bare producer failed", failure.get());
            }
            return messages.size() * 1e9 / elapsedNs;
        }
    }

    private double publisher(
        final DataDirectory data,
        final LedgerLimits limits,
        final FeedKey feedKey,
        final Path state,
        final String topic,
        final List<ProducerRecordParts> messages) throws Exception
    {
        createTopic(topic);
        final long lastTimestampNanos = messages.get(messages.size() - 1).timestampNanos;
        final KafkaFeedPublisher publisher = KafkaFeedPublisher.launch(new KafkaFeedContext()
            .dataDirectory(data)
            .limits(limits)
            .coldTierSizeBytes(0)
            .stateDirectory(state)
            .bootstrapServers(bootstrap)
            .topic(topic)
            .key(feedKey)
            .out(new PrintStream(OutputStream.nullOutputStream())));
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!publisher.isResumed())
            {
                idle.idle(publisher.doWork());
                if (System.nanoTime() > deadlineNs || KafkaFeedPublisher.Stop.NONE != publisher.stop())
                {
                    throw new IllegalStateException("the publisher did not start: " + publisher.stopMessage());
                }
            }
            final long startNs = System.nanoTime();
            while (publisher.watermark() < lastTimestampNanos)
            {
                idle.idle(publisher.doWork());
                if (KafkaFeedPublisher.Stop.NONE != publisher.stop())
                {
                    throw new IllegalStateException("the publisher stopped: " + publisher.stopMessage());
                }
            }
            final long elapsedNs = System.nanoTime() - startNs;
            if (publisher.confirmed() != messages.size())
            {
                throw new IllegalStateException("confirmed " + publisher.confirmed() + " of " + messages.size());
            }
            return messages.size() * 1e9 / elapsedNs;
        }
        finally
        {
            publisher.onClose();
        }
    }

    private void createTopic(final String topic) throws Exception
    {
        final Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return 0 == sorted.length % 2 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
    }

    private static final class ProducerRecordParts
    {
        private final long timestampNanos;
        private final byte[] key;
        private final byte[] value;
        private final Header[] headers;

        private ProducerRecordParts(
            final long timestampNanos, final byte[] key, final byte[] value, final Header[] headers)
        {
            this.timestampNanos = timestampNanos;
            this.key = key;
            this.value = value;
            this.headers = headers;
        }
    }
}
