package io.paycore.service.feed;

import com.rabbitmq.client.AMQP;

/**
 * The changes published and not yet confirmed, in order, at most {@code capacity}: what a publisher sends again on a
 * new channel after a broker or connection failure, and where its confirmed prefix ends. Positions are absolute (the
 * n-th change the publisher put in the window since it started); on each channel the broker numbers what it
 * receives from 1 (the delivery tag), and the channel's first tag is the window's head when the channel began, as
 * the publisher sends the whole window again, in order, on every new channel.
 * <p>
 * <b>Threading</b>: the publisher's thread adds and reads entries; the client's connection thread confirms. The
 * counters of the window are guarded by its monitor, which also wakes a publisher waiting for room.
 */
final class ConfirmWindow
{
    /**
     * One message, kept until the broker confirms it: mutated in place when its slot is reused.
     */
    static final class Entry
    {
        long timestampNanos;
        String routingKey;
        AMQP.BasicProperties properties;
        byte[] body;
    }

    private final int capacity;
    private final Entry[] entries;
    private final boolean[] confirmed;
    private long head;
    private long tail;
    private long channelBase;
    private int generation;
    private boolean nacked;
    private long nackedFrom = Long.MAX_VALUE;
    private long confirmedCount;
    private long lastConfirmedTimestampNanos;

    ConfirmWindow(final int capacity, final long lastConfirmedTimestampNanos)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new Entry[capacity];
        this.confirmed = new boolean[capacity];
        for (int i = 0; i < capacity; i++)
        {
            entries[i] = new Entry();
        }
        this.lastConfirmedTimestampNanos = lastConfirmedTimestampNanos;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * @return the slot of the next change; the caller has seen the window is not full, fills it and commits.
     */
    Entry next()
    {
        return entries[index(tail)];
    }

    /**
     * Add the entry {@link #next()} returned.
     *
     * @return its absolute position.
     */
    synchronized long commit()
    {
        if (tail - head >= capacity)
        {
            throw new IllegalStateException("window full: head=" + head + " tail=" + tail);
        }
        confirmed[index(tail)] = false;
        return tail++;
    }

    /**
     * @param position absolute position, {@link #head()} to {@link #tail()} - 1.
     * @return the entry there.
     */
    Entry entry(final long position)
    {
        return entries[index(position)];
    }

    synchronized long head()
    {
        return head;
    }

    synchronized long tail()
    {
        return tail;
    }

    synchronized boolean isEmpty()
    {
        return head == tail;
    }

    synchronized boolean isFull()
    {
        return tail - head >= capacity;
    }

    synchronized int size()
    {
        return (int)(tail - head);
    }

    /**
     * @return whether the broker refused a message on the current channel: the publisher sends the window again on a
     * new one.
     */
    synchronized boolean nacked()
    {
        return nacked;
    }

    /**
     * @return changes confirmed since the publisher started.
     */
    synchronized long confirmedCount()
    {
        return confirmedCount;
    }

    /**
     * @return the timestamp of the last change of the confirmed prefix (or what the state's progress said).
     */
    synchronized long lastConfirmedTimestampNanos()
    {
        return lastConfirmedTimestampNanos;
    }

    /**
     * A new channel starts: its delivery tag 1 is the window's head, and confirms of older channels are ignored.
     *
     * @return the channel's generation, to pass to {@link #onConfirm}.
     */
    synchronized int beginChannel()
    {
        generation++;
        channelBase = head;
        nacked = false;
        nackedFrom = Long.MAX_VALUE;
        notifyAll();
        return generation;
    }

    /**
     * The position a delivery tag of the current channel stands for.
     *
     * @param deliveryTag the tag, from 1.
     * @return the absolute position.
     */
    synchronized long position(final long deliveryTag)
    {
        return channelBase + deliveryTag - 1;
    }

    /**
     * A confirm from the broker (on the client's connection thread). A multiple ack covers the tags still
     * outstanding up to it, and a tag the broker nacked is no longer outstanding: a later multiple ack does not
     * confirm it (nor anything after it, which is sent again on the next channel anyway).
     *
     * @param channelGeneration what {@link #beginChannel()} returned for the channel it came on.
     * @param deliveryTag       the tag confirmed.
     * @param multiple          whether every tag up to it is confirmed.
     * @param ack               true for an ack, false for a nack.
     */
    synchronized void onConfirm(
        final int channelGeneration, final long deliveryTag, final boolean multiple, final boolean ack)
    {
        if (channelGeneration != generation)
        {
            return;
        }
        final long position = channelBase + deliveryTag - 1;
        if (!ack)
        {
            nacked = true;
            nackedFrom = Math.min(nackedFrom, multiple ? head : position);
            notifyAll();
            return;
        }

        if (multiple)
        {
            for (long p = head, last = Math.min(Math.min(position, tail - 1), nackedFrom - 1); p <= last; p++)
            {
                confirmed[index(p)] = true;
            }
        }
        else if (position >= head && position < tail)
        {
            confirmed[index(position)] = true;
        }

        boolean advanced = false;
        while (head < tail && confirmed[index(head)])
        {
            lastConfirmedTimestampNanos = entries[index(head)].timestampNanos;
            confirmed[index(head)] = false;
            head++;
            confirmedCount++;
            advanced = true;
        }
        if (advanced)
        {
            notifyAll();
        }
    }

    /**
     * Wait until the window has room, the broker nacks, or the timeout passes.
     *
     * @param timeoutMs the longest wait.
     * @return true if there is room.
     * @throws InterruptedException if the thread is interrupted.
     */
    synchronized boolean awaitRoom(final long timeoutMs) throws InterruptedException
    {
        if (tail - head >= capacity && !nacked)
        {
            wait(timeoutMs);
        }
        return tail - head < capacity;
    }

    /**
     * Wait until everything is confirmed, the broker nacks, or the timeout passes.
     *
     * @param timeoutMs the longest wait.
     * @return true if everything is confirmed.
     * @throws InterruptedException if the thread is interrupted.
     */
    synchronized boolean awaitEmpty(final long timeoutMs) throws InterruptedException
    {
        if (head != tail && !nacked)
        {
            wait(timeoutMs);
        }
        return head == tail;
    }

    private int index(final long position)
    {
        return (int)(position % capacity);
    }
}
