package io.paycore.transport;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * At most a number of things a second, counted in windows of one second from the first one after the last window
 * ended: the answers to refused logins and requests (each opens a publication to a channel the caller named, so a
 * flood of bad requests must not get one each), and a server's log lines. Not thread safe: one thread asks.
 */
public final class PerSecondRation
{
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final NanoClock clock;
    private long windowStartNanos;
    private int takenInWindow;

    /**
     * @param perSecond most a second, at least 0.
     * @param clock     for the windows.
     */
    public PerSecondRation(final int perSecond, final NanoClock clock)
    {
        if (perSecond < 0)
        {
            throw new IllegalArgumentException("perSecond must be at least 0: " + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
        this.windowStartNanos = clock.nanoTime();
    }

    /**
     * @return true if one more may be had now, counting it; false if this second has had its number.
     */
    public boolean tryTake()
    {
        final long nowNanos = clock.nanoTime();
        if (nowNanos - windowStartNanos >= WINDOW_NANOS)
        {
            windowStartNanos = nowNanos;
            takenInWindow = 0;
        }
        if (takenInWindow >= perSecond)
        {
            return false;
        }
        takenInWindow++;
        return true;
    }

    /**
     * @return the most a second.
     */
    public int perSecond()
    {
        return perSecond;
    }
}
