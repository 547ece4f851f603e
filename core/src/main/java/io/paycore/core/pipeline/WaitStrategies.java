package io.paycore.core.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * The Disruptor wait strategies paycore can be configured with, by name.
 */
public final class WaitStrategies
{
    /**
     * Lock and condition on the ring's cursor: no CPU while idle, tens of microseconds to wake. Beware: a stage
     * waiting on other stages (the BLP behind the journaler) spins on their sequences, which costs a core.
     */
    public static final String BLOCKING = "blocking";
    /**
     * Spin, then yield, then sleep in short naps, whether waiting on the ring or on other stages: low CPU while
     * idle. The {@code shared} default: on 2 cores it gave about a tenth of blocking's p99 (see the README).
     */
    public static final String SLEEPING = "sleeping";
    /** Spin, then yield: low latency, a core's worth of CPU while idle. */
    public static final String YIELDING = "yielding";
    /** Spin only: lowest latency, needs a core of its own. The {@code dedicated} default. */
    public static final String BUSY_SPIN = "busy-spin";

    private WaitStrategies()
    {
    }

    /**
     * A new wait strategy of the given name.
     *
     * @param name one of {@link #BLOCKING}, {@link #SLEEPING}, {@link #YIELDING}, {@link #BUSY_SPIN}.
     * @return a new instance (strategies hold state; do not share one between rings).
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static WaitStrategy newInstance(final String name)
    {
        switch (name)
        {
            case BLOCKING:
                return new BlockingWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("unknown wait strategy '" + name +
                    "': use " + BLOCKING + ", " + SLEEPING + ", " + YIELDING + " or " + BUSY_SPIN);
        }
    }

    /**
     * The default wait strategy of a profile.
     *
     * @param profile threading profile.
     * @return the strategy name.
     */
    public static String defaultFor(final ThreadingProfile profile)
    {
        return ThreadingProfile.DEDICATED == profile ? BUSY_SPIN : SLEEPING;
    }
}
