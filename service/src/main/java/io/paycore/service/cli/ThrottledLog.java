package io.paycore.service.cli;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server's log that passes at most a number of lines a second, so that a flood of bad requests (each refused with a
 * line of its own) cannot grow the server's output without bound. Lines past the number are left out and counted; the
 * first line after the second ends is preceded by one that says how many were left out. The servers' counters count
 * every refusal whatever the log shows. Not thread safe: one thread logs.
 */
public final class ThrottledLog implements Consumer<String>
{
    /**
     * Lines a second a server's log passes by default.
     */
    public static final int LINES_PER_SECOND_DEFAULT = 100;

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Consumer<String> out;
    private final int linesPerSecond;
    private final NanoClock clock;
    private long windowStartNanos;
    private int linesInWindow;
    private long leftOut;

    /**
     * @param out            where the lines go.
     * @param linesPerSecond most lines a second, at least 1.
     * @param clock          for the seconds.
     */
    public ThrottledLog(final Consumer<String> out, final int linesPerSecond, final NanoClock clock)
    {
        if (linesPerSecond < 1)
        {
            throw new IllegalArgumentException("linesPerSecond must be at least 1: " + linesPerSecond);
        }
        this.out = out;
        this.linesPerSecond = linesPerSecond;
        this.clock = clock;
        this.windowStartNanos = clock.nanoTime();
    }

    /**
     * Log a line, or leave it out if this second has had its lines.
     *
     * @param line the line.
     */
    public void accept(final String line)
    {
        final long nowNanos = clock.nanoTime();
        if (nowNanos - windowStartNanos >= WINDOW_NANOS)
        {
            windowStartNanos = nowNanos;
            linesInWindow = 0;
            if (leftOut > 0)
            {
                out.accept(leftOut + " log line(s) left out: more than " + linesPerSecond + " a second");
                leftOut = 0;
            }
        }
        if (linesInWindow < linesPerSecond)
        {
            linesInWindow++;
            out.accept(line);
        }
        else
        {
            leftOut++;
        }
    }

    /**
     * @return lines left out and not yet reported.
     */
    public long leftOut()
    {
        return leftOut;
    }
}
