package io.paycore.service.cli;

import io.paycore.transport.PerSecondRation;
import org.agrona.concurrent.NanoClock;

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

    private final Consumer<String> out;
    private final PerSecondRation lines;
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
        this.lines = new PerSecondRation(linesPerSecond, clock);
    }

    /**
     * Log a line, or leave it out if this second has had its lines.
     *
     * @param line the line.
     */
    public void accept(final String line)
    {
        if (!lines.tryTake())
        {
            leftOut++;
            return;
        }
        if (leftOut > 0)
        {
            out.accept(leftOut + " log line(s) left out: more than " + lines.perSecond() + " a second");
            leftOut = 0;
        }
        out.accept(line);
    }

    /**
     * @return lines left out and not yet reported.
     */
    public long leftOut()
    {
        return leftOut;
    }
}
