package io.paycore.service.feed;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.JournalException;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a data directory's change feed to a Kafka topic, at least once, in order per key, resuming after a
 * crash without skipping a change.
 * <p>
 * <b>Start</b>: {@link #launch} locks the state directory ({@link StateDirectoryLock}), remakes the counters
 * ({@link FeedCounters}) and opens the {@link ChangeFeed}. The first {@link #doWork()} calls read the topic's
 * watermark ({@link KafkaFeedResume}), retrying while the broker does not answer, and start after it, or after the
 * watermark saved in the state directory for the same topic id if that is later ({@code KafkaFeedProgress}: saved
 * every second and at a clean stop, it spares a restart the re-sending of what was in flight).
 * <p>
 * <b>Publishing</b>: each change becomes one message (key: {@link FeedKey}; body: {@link ChangeJson}; headers:
 * {@link KafkaFeedHeaders}) handed to an idempotent producer with {@code acks=all}, unlimited retries and no
 * delivery timeout, so a broker that is down or restarting only delays acknowledgements. At most
 * {@link KafkaFeedContext#maxInFlight()} changes are unacknowledged at once; the journal is read no faster than
 * the broker acknowledges. The watermark is the timestamp through which every change has been acknowledged, and
 * every message carries the watermark as it was when the message was sent.
 * <p>
 * <b>Failures</b>: a send that fails anyway is counted; if retrying can help, the producer is closed without
 * waiting and a new one re-sends, in order, every change after the watermark, after a pause that doubles up to
 * {@link KafkaFeedContext#retryBackoffMaxMs()}. A refusal that retrying cannot cure (authorization, a message too
 * large for the topic, ...) stops the publisher ({@link Stop#REFUSED}); nothing is lost, since a restart resumes
 * after the watermark.
 * <p>
 * <b>Threading</b>: one thread runs the agent (its producer's I/O thread only marks acknowledgements).
 */
public final class KafkaFeedPublisher implements Agent
{
    /**
     * Why a publisher stopped on its own.
     */
    public enum Stop
    {
        /** It did not: it runs until closed. */
        NONE,
        /** The topic is missing, or holds messages it did not write: it cannot tell where to resume. */
        TOPIC_UNUSABLE,
        /** The broker refused a change for good; the watermark tells where a restart resumes. */
        REFUSED,
        /** The journal is damaged or cannot be replayed. */
        JOURNAL
    }

    /** Journal records read per poll of the feed. */
    static final int POLL_RECORD_LIMIT = 64;
    /** Messages handed to the producer per duty cycle at most. */
    static final int SEND_LIMIT = 4096;

    private static final long RETRY_BACKOFF_MIN_MS = 100;
    private static final long HOUSEKEEPING_INTERVAL_NS = 1_000_000_000L;
    private static final long PENDING = 0;
    private static final long ACKED = 1;
    private static final long FAILED = 2;
    private static final long STATE_MASK = 3;

    private final KafkaFeedContext context;
    private final PrintStream out;
    private final StateDirectoryLock lock;
    private final FeedCounters counters;
    private final ChangeFeed feed;
    private final Map<String, Object> producerConfig;
    private final Stager stager = new Stager();
    private final KafkaFeedEncoder encoder;
    private final ArrayDeque<KafkaFeedMessage> staged = new ArrayDeque<>();
    private final KafkaFeedMessage[] inFlight;
    private final AtomicLongArray slotStates;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private KafkaProducer<byte[], byte[]> producer;
    private Runnable onStop;
    private Stop stop = Stop.NONE;
    private String stopMessage;
    private boolean resumed;
    private boolean closed;
    private long startTimestampNanos = Long.MAX_VALUE;
    private long lastStagedTimestampNanos;
    private long watermark;
    private long head;
    private long tail;
    private long generation;
    private long retryAtNanos;
    private long backoffMs = RETRY_BACKOFF_MIN_MS;
    private long housekeepingAtNanos;
    private boolean damageSeen;
    private long published;
    private long confirmed;
    private long skipped;
    private long ownErrors;
    private long retriesOfClosedProducers;
    private String topicId;
    private long savedWatermark = -1;
    private Header watermarkHeader;
    private long watermarkHeaderNanos;

    private KafkaFeedPublisher(
        final KafkaFeedContext context,
        final Map<String, Object> producerConfig,
        final StateDirectoryLock lock,
        final FeedCounters counters,
        final ChangeFeed feed)
    {
        this.context = context;
        this.out = context.out();
        this.producerConfig = producerConfig;
        this.lock = lock;
        this.counters = counters;
        this.feed = feed;
        this.encoder = new KafkaFeedEncoder(context.key());
        this.inFlight = new KafkaFeedMessage[context.maxInFlight()];
        this.slotStates = new AtomicLongArray(context.maxInFlight());
    }

    /**
     * Check the context, take the state directory's lock, make the counters and open the feed. Nothing is sent
     * and the broker is not contacted until {@link #doWork()}.
     *
     * @param context what to publish where; concluded here.
     * @return the publisher, to run on one thread (e.g. an {@code AgentRunner}), then close.
     * @throws IllegalArgumentException            if the context or a producer property is not valid.
     * @throws StateDirectoryLock.LockedException if another publisher holds the state directory.
     * @throws IllegalStateException               if there is no journal to follow, or its start was archived.
     * @throws java.io.UncheckedIOException        if the state directory or the feed's cold tier cannot be made.
     */
    public static KafkaFeedPublisher launch(final KafkaFeedContext context)
    {
        context.conclude();
        final Map<String, Object> producerConfig = producerConfig(context);
        try
        {
            new ProducerConfig(producerConfig);
        }
        catch (final ConfigException ex)
        {
            throw new IllegalArgumentException("bad producer property: " + ex.getMessage(), ex);
        }

        final StateDirectoryLock lock = StateDirectoryLock.acquire(context.stateDirectory());
        FeedCounters counters = null;
        try
        {
            counters = new FeedCounters(context.stateDirectory(), "kafka");
            final ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext()
                .directory(context.dataDirectory())
                .limits(context.limits())
                .coldTierSizeBytes(context.coldTierSizeBytes())
                .coldTierParent(context.coldTierParent()));
            return new KafkaFeedPublisher(context, producerConfig, lock, counters, feed);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(counters, lock);
            throw ex;
        }
    }

    /**
     * @param onStop run (on the agent's thread) when the publisher stops on its own, e.g. to wake whoever waits on
     *               it; null for nothing.
     * @return this.
     */
    public KafkaFeedPublisher onStop(final Runnable onStop)
    {
        this.onStop = onStop;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "paycore-feed-kafka";
    }

    /**
     * One duty cycle: until resumed, one attempt to read the topic's watermark; then collect acknowledgements,
     * recover from a failed send, hand staged changes to the producer, and read more of the journal if fewer than
     * {@link KafkaFeedContext#maxInFlight()} changes are staged.
     *
     * @return work done; 0 lets the idle strategy back off.
     */
    public int doWork()
    {
        if (Stop.NONE != stop || closed)
        {
            return 0;
        }
        if (!resumed)
        {
            return resume();
        }

        int work = collectAcknowledgements();
        final Exception failed = failure.get();
        if (null != failed)
        {
            onSendFailure(failed);
            return 1;
        }
        work += send();
        work += pollFeed();

        final long nowNs = System.nanoTime();
        if (nowNs - housekeepingAtNanos >= 0)
        {
            housekeepingAtNanos = nowNs + HOUSEKEEPING_INTERVAL_NS;
            updateErrors();
            saveProgress();
        }
        return work;
    }

    /**
     * On a clean stop: wait up to {@link KafkaFeedContext#closeTimeoutMs()} for the broker to acknowledge what is
     * in flight, then release the feed, the counters and the lock. Closing twice is safe.
     */
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (null != producer)
            {
                final long retries = producerRetries(producer);
                try
                {
                    producer.close(Duration.ofMillis(context.closeTimeoutMs()));
                }
                catch (final KafkaException ex)
                {
                    ownErrors++;
                }
                retriesOfClosedProducers += retries;
                producer = null;
                collectAcknowledgements();
                updateErrors();
                saveProgress();
            }
            out.println("paycore feed-kafka: stopped: published " + published + ", confirmed " + confirmed +
                ", watermark " + watermark + ", unconfirmed " + (tail - head) + ", skipped (before the start) " +
                skipped + ", errors " + counters.errors().get());
        }
        finally
        {
            CloseHelper.quietCloseAll(feed, counters, lock);
        }
    }

    /**
     * @return why the publisher stopped on its own, or {@link Stop#NONE}.
     */
    public Stop stop()
    {
        return stop;
    }

    /**
     * @return what made it stop, or null.
     */
    public String stopMessage()
    {
        return stopMessage;
    }

    /**
     * @return the timestamp through which every change was acknowledged (0: none yet).
     */
    public long watermark()
    {
        return watermark;
    }

    /**
     * @return changes acknowledged by the broker, each counted once.
     */
    public long confirmed()
    {
        return confirmed;
    }

    /**
     * @return messages handed to the producer, re-sends included.
     */
    public long published()
    {
        return published;
    }

    /**
     * @return true once the topic's watermark was read and publishing started.
     */
    public boolean isResumed()
    {
        return resumed;
    }

    /**
     * @return the feed being published, e.g. to see whether it has read the whole journal.
     */
    public ChangeFeed feed()
    {
        return feed;
    }

    private int resume()
    {
        if (System.nanoTime() - retryAtNanos < 0)
        {
            return 0;
        }
        try
        {
            final KafkaFeedResume resume = KafkaFeedResume.read(context.bootstrapServers(), context.topic(),
                context.producerProperties(), context.resumeAttemptTimeoutMs());
            topicId = resume.topicId();
            final KafkaFeedProgress progress = KafkaFeedProgress.read(context.stateDirectory());
            final long stateWatermark = null != progress && topicId.equals(progress.topicId()) ?
                progress.watermark() : 0;
            startTimestampNanos = Math.max(context.fromTimestampNanos(),
                Math.max(resume.watermark(), stateWatermark) + 1);
            watermark = startTimestampNanos - 1;
            counters.lastConfirmedTimestamp().setRelease(watermark);
            resumed = true;
            backoffMs = RETRY_BACKOFF_MIN_MS;
            out.println("ready: topic " + context.topic() + " partitions " + resume.partitions() + " key " +
                context.key().optionName() + " topic-watermark " + resume.watermark() + " saved-watermark " +
                stateWatermark + " resume-from " +
                startTimestampNanos + " state " + context.stateDirectory().toAbsolutePath());
            return 1;
        }
        catch (final KafkaFeedResume.TopicUnusableException ex)
        {
            stop(Stop.TOPIC_UNUSABLE, ex.getMessage());
        }
        catch (final KafkaException ex)
        {
            ownErrors++;
            updateErrors();
            out.println("paycore feed-kafka: cannot read where to resume yet, retrying in " + backoffMs + " ms: " +
                ex.getMessage());
            scheduleRetry();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    private int collectAcknowledgements()
    {
        final int capacity = inFlight.length;
        int acknowledged = 0;
        while (head < tail)
        {
            final int slot = (int)(head % capacity);
            if (ACKED != (slotStates.get(slot) & STATE_MASK))
            {
                break;
            }
            final long timestampNanos = inFlight[slot].timestampNanos;
            if (timestampNanos <= watermark)
            {
                throw new IllegalStateException("acknowledged out of order: " + timestampNanos + " after the " +
                    "watermark " + watermark);
            }
            watermark = timestampNanos;
            inFlight[slot] = null;
            head++;
            acknowledged++;
        }
        if (acknowledged > 0)
        {
            confirmed += acknowledged;
            counters.confirmed().setRelease(confirmed);
            counters.lastConfirmedTimestamp().setRelease(watermark);
            backoffMs = RETRY_BACKOFF_MIN_MS;
        }
        return acknowledged;
    }

    private int send()
    {
        if (System.nanoTime() - retryAtNanos < 0)
        {
            return 0;
        }
        if (null == producer && !newProducer())
        {
            return 0;
        }
        final int capacity = inFlight.length;
        final String topic = context.topic();
        int sent = 0;
        while (!staged.isEmpty() && tail - head < capacity && sent < SEND_LIMIT && null == failure.get())
        {
            final KafkaFeedMessage message = staged.peekFirst();
            final int slot = (int)(tail % capacity);
            final long expected = (generation << 2) | PENDING;
            slotStates.set(slot, expected);
            inFlight[slot] = message;
            final RecordHeaders headers = new RecordHeaders(message.headers);
            headers.add(watermarkHeader());
            try
            {
                producer.send(new ProducerRecord<>(topic, null, null, message.key, message.value, headers),
                    new Acknowledgement(slot, expected));
            }
            catch (final KafkaException ex)
            {
                inFlight[slot] = null;
                failure.compareAndSet(null, ex);
                break;
            }
            staged.pollFirst();
            tail++;
            sent++;
        }
        if (sent > 0)
        {
            published += sent;
            counters.published().setRelease(published);
        }
        return sent;
    }

    private Header watermarkHeader()
    {
        if (watermarkHeaderNanos != watermark || null == watermarkHeader)
        {
            watermarkHeader = new RecordHeader(KafkaFeedHeaders.WATERMARK, KafkaFeedHeaders.decimal(watermark));
            watermarkHeaderNanos = watermark;
        }
        return watermarkHeader;
    }

    private int pollFeed()
    {
        if (staged.size() >= inFlight.length)
        {
            return 0;
        }
        final int records;
        try
        {
            records = feed.poll(stager, POLL_RECORD_LIMIT);
        }
        catch (final JournalException | IllegalStateException ex)
        {
            stop(Stop.JOURNAL, "cannot read the journal: " + ex.getMessage());
            return 0;
        }
        counters.onPoll(records, feed.lastRecordTimestampNanos(), clock.nanoTime());
        if (0 == records && System.nanoTime() - housekeepingAtNanos >= 0)
        {
            checkJournalEnd();
        }
        return records;
    }

    private void checkJournalEnd()
    {
        final JournalException damage = feed.checkEnd();
        if (null == damage)
        {
            damageSeen = false;
        }
        else if (damageSeen)
        {
            stop(Stop.JOURNAL, "the journal is damaged where the feed reads next: " + damage.getMessage());
        }
        else
        {
            damageSeen = true;
        }
    }

    private void onSendFailure(final Exception cause)
    {
        ownErrors++;
        if (isPermanent(cause))
        {
            updateErrors();
            stop(Stop.REFUSED, "the broker refused a change for good: " + cause + "; nothing is lost: every change " +
                "through timestamp " + watermark + " was acknowledged, and a restart re-sends from there once the " +
                "cause is fixed");
            return;
        }

        out.println("paycore feed-kafka: a send failed, re-sending " + (tail - head) + " change(s) after timestamp " +
            watermark + " with a new producer in " + backoffMs + " ms: " + cause);
        if (null != producer)
        {
            retriesOfClosedProducers += producerRetries(producer);
            try
            {
                producer.close(Duration.ZERO);
            }
            catch (final KafkaException ex)
            {
                ownErrors++;
            }
        }
        generation++;
        final int capacity = inFlight.length;
        final long fresh = (generation << 2) | PENDING;
        for (long sequence = tail - 1; sequence >= head; sequence--)
        {
            final int slot = (int)(sequence % capacity);
            staged.addFirst(inFlight[slot]);
            inFlight[slot] = null;
            slotStates.set(slot, fresh);
        }
        tail = head;
        failure.set(null);
        producer = null;
        newProducer();
        updateErrors();
        scheduleRetry();
    }

    private boolean newProducer()
    {
        try
        {
            producer = new KafkaProducer<>(producerConfig);
            return true;
        }
        catch (final KafkaException ex)
        {
            ownErrors++;
            updateErrors();
            out.println("paycore feed-kafka: cannot make a producer, retrying in " + backoffMs + " ms: " +
                ex.getMessage());
            scheduleRetry();
            return false;
        }
    }

    private void saveProgress()
    {
        if (watermark > savedWatermark && null != topicId)
        {
            try
            {
                KafkaFeedProgress.write(context.stateDirectory(), topicId, watermark);
                savedWatermark = watermark;
            }
            catch (final UncheckedIOException ex)
            {
                ownErrors++;
            }
        }
    }

    private void scheduleRetry()
    {
        retryAtNanos = System.nanoTime() + backoffMs * 1_000_000L;
        backoffMs = Math.min(backoffMs * 2, context.retryBackoffMaxMs());
    }

    private void stop(final Stop why, final String message)
    {
        stop = why;
        stopMessage = message;
        out.println("paycore feed-kafka: stopping: " + message);
        if (null != onStop)
        {
            onStop.run();
        }
    }

    private void updateErrors()
    {
        final long current = null != producer ? producerRetries(producer) : 0;
        counters.errors().setRelease(ownErrors + retriesOfClosedProducers + current);
    }

    private static long producerRetries(final KafkaProducer<byte[], byte[]> producer)
    {
        for (final Map.Entry<MetricName, ? extends Metric> entry : producer.metrics().entrySet())
        {
            final MetricName name = entry.getKey();
            if ("record-retry-total".equals(name.name()) && "producer-metrics".equals(name.group()))
            {
                final Object value = entry.getValue().metricValue();
                return value instanceof Number ? ((Number)value).longValue() : 0;
            }
        }
        return 0;
    }

    private static boolean isPermanent(final Exception cause)
    {
        return cause instanceof AuthorizationException ||
            cause instanceof AuthenticationException ||
            cause instanceof RecordTooLargeException ||
            cause instanceof RecordBatchTooLargeException ||
            cause instanceof InvalidTopicException ||
            cause instanceof SerializationException ||
            cause instanceof UnsupportedVersionException ||
            cause instanceof UnsupportedCompressionTypeException ||
            cause instanceof InvalidConfigurationException ||
            cause instanceof ConfigException;
    }

    static Map<String, Object> producerConfig(final KafkaFeedContext context)
    {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "paycore-feed-kafka");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        config.putAll(context.producerProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    private final class Stager implements LedgerChangeListener
    {
        public void onChange(final LedgerChange change)
        {
            final long timestampNanos = change.timestampNanos();
            if (timestampNanos < startTimestampNanos)
            {
                skipped++;
                return;
            }
            if (timestampNanos <= lastStagedTimestampNanos)
            {
                throw new IllegalStateException("the feed's timestamps went back: " + timestampNanos + " after " +
                    lastStagedTimestampNanos);
            }
            lastStagedTimestampNanos = timestampNanos;
            staged.addLast(encoder.encode(change, new KafkaFeedMessage()));
        }
    }

    private final class Acknowledgement implements Callback
    {
        private final int slot;
        private final long expected;

        private Acknowledgement(final int slot, final long expected)
        {
            this.slot = slot;
            this.expected = expected;
        }

        public void onCompletion(final RecordMetadata metadata, final Exception exception)
        {
            if (null == exception)
            {
                slotStates.compareAndSet(slot, expected, (expected & ~STATE_MASK) | ACKED);
            }
            else if (slotStates.compareAndSet(slot, expected, (expected & ~STATE_MASK) | FAILED))
            {
                failure.compareAndSet(null, exception);
            }
        }
    }
}
