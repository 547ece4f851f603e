package io.paycore.perf.harness;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;

/**
 * A flag that is true during a load phase's measurement, after its warm-up, for a recorder that runs beside the
 * {@link LoadGenerator} (a feed subscriber, a query client) and records only what the phase measures. A recorder
 * decides by when a thing was meant to start ({@link #isOpen()} then, or {@link #covers(long)} for a change's
 * timestamp), never by when its answer came: the slowest answers of the window come after it closes.
 */
public final class MeasurementWindow
{
    private final AtomicBoolean open = new AtomicBoolean();
    private final Thread timer;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private volatile long openedEpochNanos = Long.MAX_VALUE;
    private volatile long closedEpochNanos = Long.MAX_VALUE;

    /**
     * Start timing now: the window opens after the warm-up and closes after the measurement.
     *
     * @param warmupSeconds   before it opens.
     * @param durationSeconds it stays open.
     */
    public MeasurementWindow(final int warmupSeconds, final int durationSeconds)
    {
        timer = new Thread(() ->
        {
            try
            {
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
                openedEpochNanos = clock.nanoTime();
                open.set(true);
                Thread.sleep(TimeUnit.SECONDS.toMillis(durationSeconds));
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
            finally
            {
                closedEpochNanos = clock.nanoTime();
                open.set(false);
            }
        }, "paycore-bench-window");
        timer.setDaemon(true);
        timer.start();
    }

    /**
     * @return true while the measurement runs.
     */
    public boolean isOpen()
    {
        return open.get();
    }

    /**
     * @param epochNanos a time, in epoch nanoseconds (a ledger change's timestamp).
     * @return true if the window was open at that time (once it has closed; before, up to now).
     */
    public boolean covers(final long epochNanos)
    {
        return epochNanos >= openedEpochNanos && epochNanos < closedEpochNanos;
    }

    /**
     * Wait for the window to close.
     *
     * @throws InterruptedException if interrupted.
     */
    public void awaitClosed() throws InterruptedException
    {
        timer.join();
    }
}
