package io.paycore.perf.harness;

/**
 * When each message of an open-loop load is meant to be sent: message {@code i} at
 * {@code startNanos + i * 1e9 / ratePerSecond}, whatever happened to the messages before it. A sender that falls
 * behind (a stall, back-pressure) sends the overdue messages as soon as it can, and their latency is measured from
 * these intended times, so the stall counts against the system under test instead of being omitted
 * (coordinated omission).
 * <p>
 * Computed from the index, never accumulated, so there is no drift. Immutable; any thread.
 */
public final class OpenLoopSchedule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long ratePerSecond;

    /**
     * @param startNanos    {@link System#nanoTime()} at which message 0 is due.
     * @param ratePerSecond messages per second, 1..{@value #NANOS_PER_SECOND}.
     */
    public OpenLoopSchedule(final long startNanos, final long ratePerSecond)
    {
        if (ratePerSecond < 1 || ratePerSecond > NANOS_PER_SECOND)
        {
            throw new IllegalArgumentException("rate must be 1.." + NANOS_PER_SECOND + " msg/s: " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * @return when message 0 is due.
     */
    public long startNanos()
    {
        return startNanos;
    }

    /**
     * @return messages per second.
     */
    public long ratePerSecond()
    {
        return ratePerSecond;
    }

    /**
     * @param index of the message, from 0.
     * @return the time it is due, in {@link System#nanoTime()} terms.
     */
    public long intendedSendNanos(final long index)
    {
        // Whole seconds apart from the rest, so that index * 1e9 never overflows (it would from index 9.2e9 on).
        return startNanos + (index / ratePerSecond) * NANOS_PER_SECOND +
            ((index % ratePerSecond) * NANOS_PER_SECOND) / ratePerSecond;
    }

    /**
     * @param nowNanos a time.
     * @return how many messages are due by then (those with an intended time at or before it).
     */
    public long dueCount(final long nowNanos)
    {
        final long elapsedNanos = nowNanos - startNanos;
        if (elapsedNanos < 0)
        {
            return 0;
        }
        final long elapsedPlusOne = elapsedNanos + 1;
        final long remainder = elapsedPlusOne % NANOS_PER_SECOND;
        return (elapsedPlusOne / NANOS_PER_SECOND) * ratePerSecond +
            (remainder * ratePerSecond + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
