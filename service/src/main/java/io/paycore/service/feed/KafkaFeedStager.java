package io.paycore.service.feed;

import java.util.concurrent.TimeUnit;

import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.JournalException;
import io.paycore.replay.feed.ChangeFeed;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;

/**
 * The first of a {@link KafkaFeedPublisher}'s two threads: follows the journal ({@link ChangeFeed}: replay into a
 * ledger of its own) and encodes every change from the start on into the next slot of the {@link KafkaFeedQueue}
 * ({@link KafkaFeedEncoder}), waiting while the queue is full. It also sets the lag counter, and stops the publisher
 * ({@link KafkaFeedPublisher.Stop#JOURNAL}) when the journal is damaged or cannot be replayed.
 * <p>
 * <b>Threading</b>: run by an agent runner of its own, which the publisher starts once it knows where to start and
 * closes before it closes its producer; {@link #requestStop} from any thread.
 */
final class KafkaFeedStager implements Agent
{
    /** Journal records read per poll of the feed. */
    static final int POLL_RECORD_LIMIT = 64;

    private static final long CHECK_END_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final ChangeFeed feed;
    private final KafkaFeedQueue queue;
    private final KafkaFeedEncoder encoder;
    private final FeedCounters counters;
    private final KafkaFeedPublisher publisher;
    private final LedgerChangeListener listener = this::onChange;
    private final IdleStrategy waitForRoom = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1),
        TimeUnit.MILLISECONDS.toNanos(1));
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private volatile boolean stopRequested;
    private volatile long lastRecordTimestampNanos;
    private long startTimestampNanos = Long.MAX_VALUE;
    private long lastStagedTimestampNanos;
    private long skipped;
    private long checkEndAtNanos;
    private boolean damageSeen;

    KafkaFeedStager(
        final ChangeFeed feed,
        final KafkaFeedQueue queue,
        final KafkaFeedEncoder encoder,
        final FeedCounters counters,
        final KafkaFeedPublisher publisher)
    {
        this.feed = feed;
        this.queue = queue;
        this.encoder = encoder;
        this.counters = counters;
        this.publisher = publisher;
    }

    /**
     * Set where to start, before the stager's thread starts.
     *
     * @param startTimestampNanos the first timestamp staged; earlier changes are replayed and skipped.
     */
    void startTimestampNanos(final long startTimestampNanos)
    {
        this.startTimestampNanos = startTimestampNanos;
    }

    /**
     * Stop staging, also while waiting for room in the queue, e.g. because the publisher stops. Any thread.
     */
    void requestStop()
    {
        stopRequested = true;
    }

    /**
     * @return the timestamp of the last journal record read, or 0 before the first. Any thread.
     */
    long lastRecordTimestampNanos()
    {
        return lastRecordTimestampNanos;
    }

    /**
     * @return changes before the start, replayed and not staged; read after the stager's thread stopped.
     */
    long skipped()
    {
        return skipped;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "paycore-feed-kafka-stager";
    }

    /**
     * Read up to {@link #POLL_RECORD_LIMIT} journal records and stage their changes.
     *
     * @return records read; 0 lets the idle strategy back off.
     */
    public int doWork()
    {
        if (stopRequested)
        {
            return 0;
        }
        final int records;
        try
        {
            records = feed.poll(listener, POLL_RECORD_LIMIT);
        }
        catch (final JournalException | IllegalStateException ex)
        {
            publisher.stop(KafkaFeedPublisher.Stop.JOURNAL, "cannot read the journal: " + ex.getMessage());
            return 0;
        }
        lastRecordTimestampNanos = feed.lastRecordTimestampNanos();
        counters.onPoll(records, feed.lastRecordTimestampNanos(), clock.nanoTime());
        if (0 == records)
        {
            checkJournalEnd();
        }
        return records;
    }

    /**
     * Close the feed (its journal reader and temporary cold tier), quietly: the publisher is stopping.
     */
    public void onClose()
    {
        CloseHelper.quietClose(feed);
    }

    private void onChange(final LedgerChange change)
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

        KafkaFeedMessage slot;
        while (null == (slot = queue.claim()))
        {
            if (stopRequested)
            {
                return; // the publisher stops: nothing after its watermark counts as published, so nothing is lost
            }
            waitForRoom.idle();
        }
        waitForRoom.reset();
        encoder.encode(change, slot);
        queue.commit();
    }

    private void checkJournalEnd()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - checkEndAtNanos < 0)
        {
            return;
        }
        checkEndAtNanos = nowNs + CHECK_END_INTERVAL_NS;
        final JournalException damage = feed.checkEnd();
        if (null == damage)
        {
            damageSeen = false;
        }
        else if (damageSeen)
        {
            publisher.stop(KafkaFeedPublisher.Stop.JOURNAL, "the journal is damaged where the feed reads next: " +
                damage.getMessage());
        }
        else
        {
            damageSeen = true;
        }
    }
}
