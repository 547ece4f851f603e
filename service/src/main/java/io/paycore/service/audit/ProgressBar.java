package io.paycore.service.audit;

import io.paycore.replay.audit.AuditProgress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for a terminal: percentage of the journal replayed, records, rate and time to go,
 * redrawn in place with a carriage return. {@link #clear()} erases it so that other output can be printed on the
 * line; the next report draws it again.
 * <p>
 * <b>Threading</b>: the auditing thread only.
 */
final class ProgressBar implements AuditProgress
{
    private static final int WIDTH = 30;

    private final PrintStream out;
    private int drawnLength;

    /**
     * @param out the terminal, normally standard error so that standard output stays the report.
     */
    ProgressBar(final PrintStream out)
    {
        this.out = out;
    }

    public void onProgress(
        final long sequence,
        final long lastSequence,
        final long firstSequence,
        final long transferEvents,
        final long elapsedNanos)
    {
        final long total = Math.max(1, lastSequence - firstSequence + 1);
        final long done = Math.max(0, Math.min(total, sequence - firstSequence + 1));
        final double fraction = (double)done / total;
        final double seconds = Math.max(elapsedNanos / 1e9, 1e-9);
        final double recordsPerSecond = done / seconds;
        final double transfersPerSecond = transferEvents / seconds;
        final long etaSeconds = recordsPerSecond > 0 ? (long)((total - done) / recordsPerSecond) : 0;
        final int filled = (int)(fraction * WIDTH);

        final StringBuilder sb = new StringBuilder(120).append('\r').append('[');
        for (int i = 0; i < WIDTH; i++)
        {
            sb.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        sb.append(String.format(Locale.ROOT, "] %5.1f%%  %d/%d records  %s records/s  %s transfers/s  ETA %d:%02d:%02d",
            fraction * 100, done, total, human(recordsPerSecond), human(transfersPerSecond),
            etaSeconds / 3600, (etaSeconds / 60) % 60, etaSeconds % 60));
        final int length = sb.length() - 1;
        for (int i = length; i < drawnLength; i++)
        {
            sb.append(' ');
        }
        drawnLength = length;
        out.print(sb);
        out.flush();
    }

    /**
     * Erase the bar, if drawn, leaving the cursor at the start of the line.
     */
    void clear()
    {
        if (drawnLength > 0)
        {
            out.print('\r' + " ".repeat(drawnLength) + '\r');
            out.flush();
            drawnLength = 0;
        }
    }

    private static String human(final double perSecond)
    {
        if (perSecond >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3)
        {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }
}
