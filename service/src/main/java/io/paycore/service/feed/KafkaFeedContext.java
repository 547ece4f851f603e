package io.paycore.service.feed;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What a {@link KafkaFeedPublisher} reads, where it publishes, and with what limits.
 */
public final class KafkaFeedContext
{
    /** Changes handed to the producer and not yet acknowledged, at most: bounds memory and re-sends. */
    public static final int MAX_IN_FLIGHT_DEFAULT = 16 * 1024;

    /** Largest {@link #maxInFlight(int)}. */
    public static final int MAX_IN_FLIGHT_MAX = 1024 * 1024;

    /**
     * Changes replayed and encoded by the stager's thread and not yet handed to the producer, at most: the queue
     * between the publisher's two threads. Two of the sender's duty cycles' worth.
     */
    public static final int MAX_QUEUED_DEFAULT = 2 * KafkaFeedPublisher.SEND_LIMIT;

    /** Largest {@link #maxQueued(int)}. */
    public static final int MAX_QUEUED_MAX = 1024 * 1024;

    /** How long one attempt to read the topic's watermark may take before it is counted as an error and retried. */
    public static final long RESUME_ATTEMPT_TIMEOUT_MS_DEFAULT = 5_000;

    /** How long a clean stop waits for the broker to acknowledge what is in flight. */
    public static final long CLOSE_TIMEOUT_MS_DEFAULT = 5_000;

    /** Longest pause between two attempts after a failure; pauses double from 100 ms up to it. */
    public static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 5_000;

    /** Producer settings the publisher's guarantees rest on; {@link #producerProperty} refuses to change them. */
    static final String[] FIXED_PRODUCER_PROPERTIES = {
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        ProducerConfig.ACKS_CONFIG,
        ProducerConfig.RETRIES_CONFIG,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        ProducerConfig.PARTITIONER_CLASS_CONFIG,
    };

    private DataDirectory dataDirectory;
    private LedgerLimits limits = new LedgerLimits();
    private long coldTierSizeBytes = ChangeFeedContext.COLD_TIER_SIZE_DEFAULT;
    private Path coldTierParent;
    private Path stateDirectory;
    private String bootstrapServers;
    private String topic;
    private FeedKey key = FeedKey.LEDGER;
    private long fromTimestampNanos;
    private int maxInFlight = MAX_IN_FLIGHT_DEFAULT;
    private int maxQueued = MAX_QUEUED_DEFAULT;
    private long resumeAttemptTimeoutMs = RESUME_ATTEMPT_TIMEOUT_MS_DEFAULT;
    private long closeTimeoutMs = CLOSE_TIMEOUT_MS_DEFAULT;
    private long retryBackoffMaxMs = RETRY_BACKOFF_MAX_MS_DEFAULT;
    private final Map<String, String> producerProperties = new LinkedHashMap<>();
    private PrintStream out = System.out;

    /**
     * Check the context.
     *
     * @return this.
     * @throws IllegalArgumentException naming what is wrong or missing.
     */
    public KafkaFeedContext conclude()
    {
        if (null == dataDirectory)
        {
            throw new IllegalArgumentException("no data directory given");
        }
        if (null == stateDirectory)
        {
            throw new IllegalArgumentException("no state directory given (--state)");
        }
        if (null == bootstrapServers || bootstrapServers.isBlank())
        {
            throw new IllegalArgumentException("no broker given (--bootstrap host:port)");
        }
        if (null == topic || topic.isBlank())
        {
            throw new IllegalArgumentException("no topic given (--topic)");
        }
        if (null == limits)
        {
            throw new IllegalArgumentException("no ledger limits given");
        }
        final String heapShortfall =
            limits.validate().heapShortfall(coldTierSizeBytes > 0, 1, LedgerLimits.longLivedHeapBytes());
        if (null != heapShortfall)
        {
            // Here too, not only when the publisher opens its replay: before it takes its state directory.
            throw new IllegalArgumentException(heapShortfall + ": " + LedgerLimits.HEAP_SHORTFALL_ADVICE);
        }
        if (fromTimestampNanos < 0)
        {
            throw new IllegalArgumentException("--from must be >= 0: " + fromTimestampNanos);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_MAX)
        {
            throw new IllegalArgumentException("--max-in-flight must be 1.." + MAX_IN_FLIGHT_MAX + ": " + maxInFlight);
        }
        if (maxQueued < 1 || maxQueued > MAX_QUEUED_MAX)
        {
            throw new IllegalArgumentException("--max-queued must be 1.." + MAX_QUEUED_MAX + ": " + maxQueued);
        }
        if (resumeAttemptTimeoutMs < 1 || closeTimeoutMs < 0 || retryBackoffMaxMs < 1)
        {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (null == key || null == out)
        {
            throw new IllegalArgumentException("no key or output given");
        }
        return this;
    }

    /**
     * @param dataDirectory whose journal to publish.
     * @return this.
     */
    public KafkaFeedContext dataDirectory(final DataDirectory dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        return this;
    }

    /**
     * @return whose journal is published.
     */
    public DataDirectory dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * @param limits the ledger limits the service runs with.
     * @return this.
     */
    public KafkaFeedContext limits(final LedgerLimits limits)
    {
        this.limits = limits;
        return this;
    }

    /**
     * @return the ledger limits the journal is replayed with.
     */
    public LedgerLimits limits()
    {
        return limits;
    }

    /**
     * @param coldTierSizeBytes see {@link ChangeFeedContext#coldTierSizeBytes(long)}.
     * @return this.
     */
    public KafkaFeedContext coldTierSizeBytes(final long coldTierSizeBytes)
    {
        this.coldTierSizeBytes = coldTierSizeBytes;
        return this;
    }

    /**
     * @return the size bound of the replay's temporary cold tier; 0 for none.
     */
    public long coldTierSizeBytes()
    {
        return coldTierSizeBytes;
    }

    /**
     * @param coldTierParent where the replay's temporary cold tier is made; null for the system's temporary
     *                       directory.
     * @return this.
     */
    public KafkaFeedContext coldTierParent(final Path coldTierParent)
    {
        this.coldTierParent = coldTierParent;
        return this;
    }

    /**
     * @return where the replay's temporary cold tier is made, or null.
     */
    public Path coldTierParent()
    {
        return coldTierParent;
    }

    /**
     * @param stateDirectory the publisher's own directory: its lock and counters.
     * @return this.
     */
    public KafkaFeedContext stateDirectory(final Path stateDirectory)
    {
        this.stateDirectory = stateDirectory;
        return this;
    }

    /**
     * @return the publisher's own directory.
     */
    public Path stateDirectory()
    {
        return stateDirectory;
    }

    /**
     * @param bootstrapServers {@code host:port[,host:port...]} of the Kafka cluster.
     * @return this.
     */
    public KafkaFeedContext bootstrapServers(final String bootstrapServers)
    {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    /**
     * @return the Kafka cluster's bootstrap servers.
     */
    public String bootstrapServers()
    {
        return bootstrapServers;
    }

    /**
     * @param topic to publish to; it must exist, and hold nothing but this feed's messages.
     * @return this.
     */
    public KafkaFeedContext topic(final String topic)
    {
        this.topic = topic;
        return this;
    }

    /**
     * @return the topic published to.
     */
    public String topic()
    {
        return topic;
    }

    /**
     * @param key what messages are keyed by (default {@link FeedKey#LEDGER}).
     * @return this.
     */
    public KafkaFeedContext key(final FeedKey key)
    {
        this.key = key;
        return this;
    }

    /**
     * @return what messages are keyed by.
     */
    public FeedKey key()
    {
        return key;
    }

    /**
     * @param fromTimestampNanos publish changes from this timestamp on, or from after the topic's watermark if that
     *                           is later (default 0: from the first change).
     * @return this.
     */
    public KafkaFeedContext fromTimestampNanos(final long fromTimestampNanos)
    {
        this.fromTimestampNanos = fromTimestampNanos;
        return this;
    }

    /**
     * @return the earliest timestamp published.
     */
    public long fromTimestampNanos()
    {
        return fromTimestampNanos;
    }

    /**
     * @param maxInFlight changes handed to the producer and not yet acknowledged, at most; the most a restart
     *                    re-sends.
     * @return this.
     */
    public KafkaFeedContext maxInFlight(final int maxInFlight)
    {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /**
     * @return changes in flight at most.
     */
    public int maxInFlight()
    {
        return maxInFlight;
    }

    /**
     * @param maxQueued changes replayed and encoded and not yet handed to the producer, at most: the queue between
     *                  the publisher's two threads; the replay waits while it is full.
     * @return this.
     */
    public KafkaFeedContext maxQueued(final int maxQueued)
    {
        this.maxQueued = maxQueued;
        return this;
    }

    /**
     * @return changes queued for sending at most.
     */
    public int maxQueued()
    {
        return maxQueued;
    }

    /**
     * @param resumeAttemptTimeoutMs how long one attempt to read the topic's last messages may take.
     * @return this.
     */
    public KafkaFeedContext resumeAttemptTimeoutMs(final long resumeAttemptTimeoutMs)
    {
        this.resumeAttemptTimeoutMs = resumeAttemptTimeoutMs;
        return this;
    }

    /**
     * @return how long one attempt to read the topic's last messages may take.
     */
    public long resumeAttemptTimeoutMs()
    {
        return resumeAttemptTimeoutMs;
    }

    /**
     * @param closeTimeoutMs how long a clean stop waits for acknowledgements.
     * @return this.
     */
    public KafkaFeedContext closeTimeoutMs(final long closeTimeoutMs)
    {
        this.closeTimeoutMs = closeTimeoutMs;
        return this;
    }

    /**
     * @return how long a clean stop waits for acknowledgements.
     */
    public long closeTimeoutMs()
    {
        return closeTimeoutMs;
    }

    /**
     * @param retryBackoffMaxMs longest pause between attempts after a failure.
     * @return this.
     */
    public KafkaFeedContext retryBackoffMaxMs(final long retryBackoffMaxMs)
    {
        this.retryBackoffMaxMs = retryBackoffMaxMs;
        return this;
    }

    /**
     * @return longest pause between attempts after a failure.
     */
    public long retryBackoffMaxMs()
    {
        return retryBackoffMaxMs;
    }

    /**
     * Set a producer property (e.g. {@code linger.ms}, {@code compression.type}, security settings).
     *
     * @param name  the Kafka producer property.
     * @param value its value.
     * @return this.
     * @throws IllegalArgumentException for a property the publisher's guarantees rest on (idempotence, acks,
     *                                  retries, delivery timeout, serializers, partitioner, transactions).
     */
    public KafkaFeedContext producerProperty(final String name, final String value)
    {
        final String trimmed = name.trim().toLowerCase(Locale.ROOT);
        for (final String fixed : FIXED_PRODUCER_PROPERTIES)
        {
            if (fixed.equals(trimmed))
            {
                throw new IllegalArgumentException("the producer property " + fixed + " is fixed by paycore " +
                    "feed-kafka: its guarantees rest on it");
            }
        }
        producerProperties.put(trimmed, value);
        return this;
    }

    /**
     * @return the producer properties set, in the order given.
     */
    public Map<String, String> producerProperties()
    {
        return producerProperties;
    }

    /**
     * @param out where the publisher prints its start, resume and failure lines (default standard output).
     * @return this.
     */
    public KafkaFeedContext out(final PrintStream out)
    {
        this.out = out;
        return this;
    }

    /**
     * @return where the publisher prints its lines.
     */
    public PrintStream out()
    {
        return out;
    }
}
