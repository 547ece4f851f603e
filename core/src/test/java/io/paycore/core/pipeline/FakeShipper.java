package io.paycore.core.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;

/**
 * A {@link RecordShipper} that records what it is given and acknowledges what a test says.
 */
final class FakeShipper implements RecordShipper
{
    final List<Long> shipped = new CopyOnWriteArrayList<>();
    final List<Long> batchEnds = new CopyOnWriteArrayList<>();
    final AtomicLong acknowledged = new AtomicLong();
    final boolean synchronous;
    volatile boolean fenced;

    FakeShipper(final boolean synchronous)
    {
        this.synchronous = synchronous;
    }

    public void ship(
        final int type,
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        shipped.add(sequence);
    }

    public void endOfBatch(final long lastSequence)
    {
        batchEnds.add(lastSequence);
    }

    public boolean isSynchronous()
    {
        return synchronous;
    }

    public long acknowledgedSequence()
    {
        return acknowledged.get();
    }

    public boolean isFenced()
    {
        return fenced;
    }
}
