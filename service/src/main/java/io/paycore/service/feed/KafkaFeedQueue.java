package io.paycore.service.feed;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue between a {@link KafkaFeedPublisher}'s two threads, and its window of changes in flight: one ring
 * of reusable {@link KafkaFeedMessage} slots and three positions, each written by one thread. The stager (replay and
 * encode) fills the slot at {@code staged}; the sender sends from {@code sent} and frees slots up to
 * {@code acknowledged} as the broker acknowledges them, keeping those between {@code acknowledged} and {@code sent}
 * to send again after a failure.
 * <p>
 * The stager claims a slot only while it is fewer than {@code maxQueued} ahead of {@code sent}, and the sender keeps
 * at most {@code maxInFlight} between {@code acknowledged} and {@code sent}: so with {@code maxQueued + maxInFlight}
 * slots no slot is filled again before the change it held was acknowledged, even when the sender moves {@code sent}
 * back to {@code acknowledged} to re-send.
 * <p>
 * <b>Threading</b>: {@link #claim} and {@link #commit} on the stager's thread only; the rest on the sender's.
 */
final class KafkaFeedQueue
{
    private final KafkaFeedMessage[] slots;
    private final int maxQueued;
    private final int maxInFlight;
    private final AtomicLong staged = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private long stagedByStager;
    private long sentSeenByStager;

    /**
     * @param maxQueued   changes staged and not yet sent, at most (the queue's capacity).
     * @param maxInFlight changes sent and not yet acknowledged, at most.
     */
    KafkaFeedQueue(final int maxQueued, final int maxInFlight)
    {
        if (maxQueued < 1 || maxInFlight < 1)
        {
            throw new IllegalArgumentException("maxQueued and maxInFlight must be positive: " + maxQueued + ", " +
                maxInFlight);
        }
        this.maxQueued = maxQueued;
        this.maxInFlight = maxInFlight;
        this.slots = new KafkaFeedMessage[maxQueued + maxInFlight];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new KafkaFeedMessage();
        }
    }

    /**
     * @return slots in the ring: {@code maxQueued + maxInFlight}.
     */
    int capacity()
    {
        return slots.length;
    }

    /**
     * @return changes sent and not yet acknowledged, at most.
     */
    int maxInFlight()
    {
        return maxInFlight;
    }

    /**
     * The stager's next slot, to fill and then {@link #commit}.
     *
     * @return the slot, or null while the queue is full ({@code maxQueued} changes staged and not sent).
     */
    KafkaFeedMessage claim()
    {
        final long position = stagedByStager;
        if (position - sentSeenByStager >= maxQueued)
        {
            sentSeenByStager = sent.getAcquire();
            if (position - sentSeenByStager >= maxQueued)
            {
                return null;
            }
        }
        assert position - acknowledged.getAcquire() < slots.length : "a slot not yet acknowledged would be refilled";
        return slots[index(position)];
    }

    /**
     * Hand the slot last {@link #claim}ed, now filled, to the sender.
     */
    void commit()
    {
        stagedByStager++;
        staged.setRelease(stagedByStager);
    }

    /**
     * @return the position after the last change staged: the sender may read every slot before it.
     */
    long staged()
    {
        return staged.getAcquire();
    }

    /**
     * @param position of a change staged and not yet acknowledged.
     * @return its slot's index in the ring.
     */
    int index(final long position)
    {
        return (int)(position % slots.length);
    }

    /**
     * @param index a slot's index.
     * @return the slot.
     */
    KafkaFeedMessage slot(final int index)
    {
        return slots[index];
    }

    /**
     * @param position the position after the last change handed to the producer; moves back to
     *                 {@link #acknowledged(long)}'s when the sender re-sends.
     */
    void sent(final long position)
    {
        sent.setRelease(position);
    }

    /**
     * @param position the position after the last change acknowledged: the stager may fill the slots before it.
     */
    void acknowledged(final long position)
    {
        acknowledged.setRelease(position);
    }
}
