package io.paycore.transport;

import io.aeron.driver.status.DutyCycleStallTracker;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * An agent whose duty cycles are timed, as the media driver times its own: the longest cycle and the number of
 * cycles over a threshold go to counters, so a latency tail can be laid beside what the transport thread was doing.
 * A cycle is the time from one {@code doWork} to the next, idling included.
 */
final class DutyCycleMeasuredAgent implements Agent
{
    private final Agent delegate;
    private final DutyCycleStallTracker tracker;
    private final NanoClock clock;

    DutyCycleMeasuredAgent(final Agent delegate, final DutyCycleStallTracker tracker, final NanoClock clock)
    {
        this.delegate = delegate;
        this.tracker = tracker;
        this.clock = clock;
    }

    public void onStart()
    {
        delegate.onStart();
        tracker.update(clock.nanoTime());
    }

    public int doWork() throws Exception
    {
        tracker.measureAndUpdate(clock.nanoTime());
        return delegate.doWork();
    }

    public void onClose()
    {
        delegate.onClose();
    }

    public String roleName()
    {
        return delegate.roleName();
    }
}
