package io.paycore.perf.harness;

import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeasurementWindowTest
{
    /**
     * A recorder beside the load (the feed-lag bench) must count a change stamped while the window was open even
     * when it arrives after the window closed: those are the window's slowest. Before 2026-12-07 only isOpen() at
     * arrival was there, which left them out.
     */
    @Test
    void shouldCoverTheTimesTheWindowWasOpenAfterItClosed() throws InterruptedException
    {
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final long before = clock.nanoTime();
        final MeasurementWindow window = new MeasurementWindow(0, 1);
        while (!window.isOpen())
        {
            Thread.sleep(1);
        }
        final long during = clock.nanoTime();
        window.awaitClosed();
        final long after = clock.nanoTime();

        assertFalse(window.isOpen());
        assertTrue(window.covers(during), "stamped while open, looked at after it closed");
        assertFalse(window.covers(before - 1), "before it opened");
        assertFalse(window.covers(after), "after it closed");
    }
}
