package io.paycore.transport;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * How many refused requests are answered: at most a number a second, counted in windows of one second from the
 * first answer after the last window ended. An answer to a refusal opens a publication to a channel the caller named,
 * so a flood of bad requests must not get one each. Not thread safe: one thread asks.
 */
final class RefusalRation
{
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final NanoClock clock;
    private long windowStartNanos;
    private int answeredInWindow;

    /**
     * @param perSecond most answers a second, at least 0.
     * @param clock     for the windows.
     */
    RefusalRation(final int perSecond, final NanoClock clock)
    {
        this.perSecond = perSecond;
        this.clock = clock;
        this.windowStartNanos = clock.nanoTime();
    }

    /**
     * @return true if one more refusal may be answered now, counting it; false to leave it unanswered.
     */
    boolean tryAnswer()
    {
        final long nowNanos = clock.nanoTime();
        if (nowNanos - windowStartNanos >= WINDOW_NANOS)
        {
            windowStartNanos = nowNanos;
            answeredInWindow = 0;
        }
        if (answeredInWindow >= perSecond)
        {
            return false;
        }
        answeredInWindow++;
        return true;
    }
}
