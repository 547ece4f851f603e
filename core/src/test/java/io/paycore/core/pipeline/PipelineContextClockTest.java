package io.paycore.core.pipeline;

import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineContextClockTest
{
    // Few enough to run before the JIT compiles the loop: compiled code may or may not remove an allocation (escape
    // analysis), and the service's ingress loop was seen not to.
    private static final int READINGS = 1_000;

    @Test
    void shouldReadTheDefaultClockWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final EpochNanoClock clock = new PipelineContext().clock();
        final long threadId = Thread.currentThread().getId();
        long sum = clock.nanoTime();

        final long before = threads.getThreadAllocatedBytes(threadId);
        sum += readAll(clock);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        // Agrona's SystemEpochNanoClock allocated an Instant a reading here: 24,000 bytes for these readings.
        assertTrue(allocated < 1024, () -> allocated + " bytes allocated by " + READINGS + " readings");
        final long wallNanos = System.currentTimeMillis() * 1_000_000L;
        final long reading = clock.nanoTime();
        assertTrue(Math.abs(reading - wallNanos) < 1_000_000_000L, () -> "reading " + reading + " vs " + wallNanos);
        assertTrue(sum != 0);
    }

    private static long readAll(final EpochNanoClock clock)
    {
        long sum = 0;
        for (int i = 0; i < READINGS; i++)
        {
            sum += clock.nanoTime();
        }
        return sum;
    }
}
