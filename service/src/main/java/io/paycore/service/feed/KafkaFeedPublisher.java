package io.paycore.service.feed;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
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
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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
 * <b>Publishing</b> runs on two threads, so that its rate is the slower of the two halves' rather than what one
 * thread doing both would reach. The stager ({@link KafkaFeedStager}, a thread the publisher starts once it knows
 * where to start) replays the journal and encodes each change into one message (key: {@link FeedKey}; body:
 * {@link ChangeJson}; headers: {@link KafkaFeedHeaders}) in the next slot of a bounded queue
 * ({@link KafkaFeedQueue}: at most {@link KafkaFeedContext#maxQueued()} changes wait to be sent; the stager waits
 * while it is full). This agent takes them in order and hands them to an idempotent producer with
 * {@code acks=all}, unlimited retries and no delivery timeout, so a broker that is down or restarting only delays
 * acknowledgements. At most {@link KafkaFeedContext#maxInFlight()} changes are unacknowledged at once; the journal is
 * read no faster than the broker acknowledges. The watermark is the timestamp through which every change has been
 * acknowledged, and every message carries the watermark as it was when the message was sent.
 * <p>
 * <b>Failures</b>: a send that fails anyway is counted; if retrying can help, the producer is closed without
 * waiting and a new one re-sends, in order, every change after the watermark, after a pause that doubles up to
 * {@link KafkaFeedContext#retryBackoffMaxMs()}. A refusal that retrying cannot cure (authorization, a message too
 * large for the topic, ...) stops the publisher ({@link Stop#REFUSED}); nothing is lost, since a restart resumes
 * after the watermark.
 * <p>
 * <b>Threading</b>: one thread runs the agent; the stager's thread only replays, encodes and stops the publisher
 * when the journal cannot be read; the producer's I/O thread only marks acknowledgements. {@link #stop()},
 * {@link #stopMessage()} and {@link #lastRecordTimestampNanos()} may be read from any thread, the rest from the
 * agent's.
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
    private final Map<String, Object> producerConfig;
    private final KafkaFeedQueue queue;
    private final KafkaFeedStager stager;
    private final AgentRunner stagerRunner;
    private final AtomicLongArray slotStates;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Object stopLock = new Object();
    private KafkaProducer<byte[], byte[]> producer;
    private volatile Runnable onStop;
    private volatile Stop stop = Stop.NONE;
    private volatile String stopMessage;
    private boolean resumed;
    private boolean closed;
    private long watermark;
    private long head;
    private long tail;
    private long generation;
    private long retryAtNanos;
    private long backoffMs = RETRY_BACKOFF_MIN_MS;
    private long housekeepingAtNanos;
    private long published;
    private long confirmed;
    private long ownErrors;
    private long retriesOfClosedProducers;
    private String topicId;
    private long savedWatermark = -1;
    private Header watermarkHeader;
    private long watermarkHeaderNanos;
    private Admin admin;
    private KafkaFuture<TopicDescription> topicCheck;

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
        this.queue = new KafkaFeedQueue(context.maxQueued(), context.maxInFlight());
        this.slotStates = new AtomicLongArray(queue.capacity());
        this.stager = new KafkaFeedStager(feed, queue, new KafkaFeedEncoder(context.key()), counters, this);
        this.stagerRunner = new AgentRunner(
            new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            (throwable) -> stop(Stop.JOURNAL, "cannot replay the journal: " + throwable), null, stager);
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
        ChangeFeed feed = null;
        try
        {
            counters = new FeedCounters(context.stateDirectory(), "kafka");
            feed = ChangeFeed.open(new ChangeFeedContext()
                .directory(context.dataDirectory())
                .limits(context.limits())
                .coldTierSizeBytes(context.coldTierSizeBytes())
                .coldTierParent(context.coldTierParent()));
            return new KafkaFeedPublisher(context, producerConfig, lock, counters, feed);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(feed, counters, lock);
            throw ex;
        }
    }

    /**
     * @param onStop run when the publisher stops on its own, on the thread that stops it (the agent's, or the
     *               stager's for the journal), e.g. to wake whoever waits on it; null for nothing.
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
     * One duty cycle: until resumed, one attempt to read the topic's watermark, then the stager's thread starts;
     * after, collect acknowledgements, recover from a failed send, and hand the changes the stager queued to the
     * producer while fewer than {@link KafkaFeedContext#maxInFlight()} are unacknowledged.
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

        final long nowNs = System.nanoTime();
        if (nowNs - housekeepingAtNanos >= 0)
        {
            housekeepingAtNanos = nowNs + HOUSEKEEPING_INTERVAL_NS;
            updateErrors();
            saveProgress();
            checkTopic();
        }
        return work;
    }

    /**
     * On a clean stop: stop the stager's thread (which closes the feed), wait up to
     * {@link KafkaFeedContext#closeTimeoutMs()} for the broker to acknowledge what is in flight, then release the
     * counters and the lock. Closing twice is safe.
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
            stager.requestStop();
            stagerRunner.close();
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
                stager.skipped() + ", errors " + counters.errors().get());
        }
        finally
        {
            // the stager writes the lag counter: its thread must be gone before the counters are unmapped
            CloseHelper.quietCloseAll(admin, stagerRunner, counters, lock);
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
     * @return the timestamp of the last journal record the stager read, or 0 before the first: how far the
     * publisher has read, by the service's clock. Any thread.
     */
    public long lastRecordTimestampNanos()
    {
        return stager.lastRecordTimestampNanos();
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
            final boolean remade = null != progress && !topicId.equals(progress.topicId());
            final long stateWatermark = null != progress && topicId.equals(progress.topicId()) ?
                progress.watermark() : 0;
            // The state directory's watermark was saved for another topic id: the topic was deleted and made
            // again since. Messages the last run sent into the new topic before it saw that carry watermarks of
            // the old one, which say nothing of the new topic: publish it from the start.
            final long topicWatermark = remade ? 0 : resume.watermark();
            if (remade)
            {
                out.println("paycore feed-kafka: the topic " + context.topic() + " has the id " + topicId +
                    ", the state directory's watermark was saved for " + progress.topicId() + ": it was made " +
                    "again, so it is published from the start, its messages' watermarks ignored");
            }
            final long startTimestampNanos = Math.max(context.fromTimestampNanos(),
                Math.max(topicWatermark, stateWatermark) + 1);
            watermark = startTimestampNanos - 1;
            counters.lastConfirmedTimestamp().setRelease(watermark);
            resumed = true;
            backoffMs = RETRY_BACKOFF_MIN_MS;
            out.println("ready: topic " + context.topic() + " partitions " + resume.partitions() + " key " +
                context.key().optionName() + " topic-watermark " + resume.watermark() + " saved-watermark " +
                stateWatermark + " resume-from " +
                startTimestampNanos + " state " + context.stateDirectory().toAbsolutePath());
            saveProgress(); // with this topic's id at once: a restart then knows if the topic was made again
            stager.startTimestampNanos(startTimestampNanos);
            AgentRunner.startOnThread(stagerRunner);
            return 1;
        }
        catch (final KafkaFeedResume.TopicUnusableException ex)
        {
            stop(Stop.TOPIC_UNUSABLE, ex.getMessage());
        }
        catch (final KafkaFeedResume.ClientRefusedException ex)
        {
            stop(Stop.REFUSED, ex.getMessage());
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
        int acknowledged = 0;
        while (head < tail)
        {
            final int slot = queue.index(head);
            if (ACKED != (slotStates.get(slot) & STATE_MASK))
            {
                break;
            }
            final long timestampNanos = queue.slot(slot).timestampNanos;
            if (timestampNanos <= watermark)
            {
                throw new IllegalStateException("acknowledged out of order: " + timestampNanos + " after the " +
                    "watermark " + watermark);
            }
            watermark = timestampNanos;
            head++;
            acknowledged++;
        }
        if (acknowledged > 0)
        {
            queue.acknowledged(head);
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
        final int maxInFlight = queue.maxInFlight();
        final long staged = queue.staged();
        final String topic = context.topic();
        int sent = 0;
        while (tail < staged && tail - head < maxInFlight && sent < SEND_LIMIT && null == failure.get())
        {
            final int slot = queue.index(tail);
            final KafkaFeedMessage message = queue.slot(slot);
            final long expected = (generation << 2) | PENDING;
            slotStates.set(slot, expected);
            final RecordHeaders headers = new RecordHeaders(message.headers);
            headers.add(watermarkHeader());
            try
            {
                producer.send(new ProducerRecord<>(topic, null, null, message.key, message.value, headers),
                    new Acknowledgement(slot, expected));
            }
            catch (final KafkaException ex)
            {
                failure.compareAndSet(null, ex);
                break;
            }
            tail++;
            sent++;
        }
        if (sent > 0)
        {
            queue.sent(tail);
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
        final long fresh = (generation << 2) | PENDING;
        for (long position = head; position < tail; position++)
        {
            slotStates.set(queue.index(position), fresh);
        }
        tail = head; // the queue keeps every change not yet acknowledged: send them again, in order
        queue.sent(tail);
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

    /**
     * Once a second: whether the topic is still the one resumed from. A topic deleted (and made again under the same
     * name) while the publisher runs no longer holds what it acknowledged, and the producer would carry on into the
     * new one after the watermark: stop, so that a restart publishes the new topic from the start. If nothing was
     * acknowledged yet, nothing is missing: carry on (into the new topic once made).
     */
    private void checkTopic()
    {
        if (null == topicId)
        {
            return;
        }
        if (null != topicCheck)
        {
            if (!topicCheck.isDone())
            {
                return;
            }
            String currentId = null;
            boolean gone = false;
            try
            {
                currentId = topicCheck.get().topicId().toString();
            }
            catch (final ExecutionException ex)
            {
                gone = ex.getCause() instanceof UnknownTopicOrPartitionException;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            topicCheck = null;
            if (gone || (null != currentId && !currentId.equals(topicId)))
            {
                if (watermark >= Math.max(1, context.fromTimestampNanos()))
                {
                    abandonProducer(); // what it holds would go to the new topic after the watermark
                    saveProgress();
                    stop(Stop.TOPIC_UNUSABLE, "the topic " + context.topic() + " (id " + topicId + ") was deleted" +
                        (gone ? "" : " and made again (id " + currentId + ")") + " while it was published: the " +
                        "changes through timestamp " + watermark + " it acknowledged are not in it; start again to " +
                        "publish the topic from the start");
                    return;
                }
                if (null != currentId)
                {
                    topicId = currentId; // nothing was acknowledged: nothing is missing from the new topic
                    savedWatermark = -1;
                    saveProgress();
                }
            }
        }
        try
        {
            if (null == admin)
            {
                admin = Admin.create(KafkaFeedResume.adminProperties(context.bootstrapServers(),
                    context.producerProperties(), context.resumeAttemptTimeoutMs()));
            }
            topicCheck = admin.describeTopics(List.of(context.topic())).topicNameValues().get(context.topic());
        }
        catch (final KafkaException ex)
        {
            ownErrors++;
        }
    }

    private void abandonProducer()
    {
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
            producer = null;
        }
        collectAcknowledgements();
        updateErrors();
    }

    private void scheduleRetry()
    {
        retryAtNanos = System.nanoTime() + backoffMs * 1_000_000L;
        backoffMs = Math.min(backoffMs * 2, context.retryBackoffMaxMs());
    }

    /**
     * Stop on its own, for the first reason given: the agent's thread or the stager's.
     */
    void stop(final Stop why, final String message)
    {
        synchronized (stopLock)
        {
            if (Stop.NONE != stop)
            {
                return;
            }
            stopMessage = message;
            stop = why;
        }
        stager.requestStop();
        out.println("paycore feed-kafka: stopping: " + message);
        final Runnable onStop = this.onStop;
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

    static boolean isPermanent(final Exception cause)
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
