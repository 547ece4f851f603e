package io.paycore.perf.harness;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A flag that is true during a load phase's measurement, after its warm-up, for a recorder that runs beside the
 * {@link LoadGenerator} (a feed subscriber, a query client) and records only what the phase measures.
 */
public final class MeasurementWindow
{
    private final AtomicBoolean open = new AtomicBoolean();
    private final Thread timer;

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
                open.set(true);
                Thread.sleep(TimeUnit.SECONDS.toMillis(durationSeconds));
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
            finally
            {
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
     * Wait for the window to close.
     *
     * @throws InterruptedException if interrupted.
     */
    public void awaitClosed() throws InterruptedException
    {
        timer.join();
    }
}
