package io.paycore.core.pipeline;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The idle strategies the pipeline's stage agents can be configured with, by name: what a stage thread does in a
 * duty cycle that found no work.
 */
public final class IdleStrategies
{
    /**
     * Spin once, yield up to 100 times, then park from 1 µs doubling to 100 µs: next to no CPU while idle, a wake-up
     * within 100 µs. The {@code shared} default. It yields before it spins because on a shared core the stage it
     * feeds may be waiting for that very core: spinning first (100 spins) made a {@code split} round trip on 2 cores
     * 1.6 times slower than the Disruptor's sleeping wait strategy did; yielding at once matched it.
     */
    public static final String BACKOFF = "backoff";
    /** Spin, then yield: low latency, a core's worth of CPU while idle when the core is not wanted elsewhere. */
    public static final String YIELDING = "yielding";
    /** Spin only: lowest latency, needs a core of its own. The {@code dedicated} default. */
    public static final String BUSY_SPIN = "busy-spin";

    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private IdleStrategies()
    {
    }

    /**
     * A new idle strategy of the given name. The Disruptor wait strategies' names of earlier releases,
     * {@code blocking} and {@code sleeping}, are read as {@link #BACKOFF}: the stages no longer wait on the ring.
     *
     * @param name one of {@link #BACKOFF}, {@link #YIELDING}, {@link #BUSY_SPIN}.
     * @return a new instance (strategies hold state; do not share one between threads).
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static IdleStrategy newInstance(final String name)
    {
        switch (canonical(name))
        {
            case BACKOFF:
                return new BackoffIdleStrategy(1, 100, MIN_PARK_NANOS, MAX_PARK_NANOS);
            case YIELDING:
                return new YieldingIdleStrategy();
            default:
                return new BusySpinIdleStrategy();
        }
    }

    /**
     * @param name a strategy's name, or a former wait strategy's.
     * @return the strategy's name as paycore spells it now.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static String canonical(final String name)
    {
        switch (name)
        {
            case BACKOFF:
            case "blocking":
            case "sleeping":
                return BACKOFF;
            case YIELDING:
                return YIELDING;
            case BUSY_SPIN:
                return BUSY_SPIN;
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "': use " + BACKOFF + ", " +
                    YIELDING + " or " + BUSY_SPIN);
        }
    }

    /**
     * The default idle strategy of a profile.
     *
     * @param profile threading profile.
     * @return the strategy name.
     */
    public static String defaultFor(final ThreadingProfile profile)
    {
        return ThreadingProfile.DEDICATED == profile ? BUSY_SPIN : BACKOFF;
    }
}
