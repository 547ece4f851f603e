package io.paycore.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * The replicator, in parallel with the journaler: hands every record ingress stamped to the {@link RecordShipper}
 * (if replication is configured), in ring order, and tells it where each ring batch ends.
 * <p>
 * In sync replication it then waits, once per ring batch, until the standby has acknowledged the batch's last
 * record: the BLP is gated behind this stage, so no record is applied or answered before it is on the standby.
 * If the shipper reports that a standby of a newer epoch fenced this node, or the pipeline stops while waiting,
 * every record of the batch is marked not replicated and the BLP answers each with {@code Rejected(UNAVAILABLE)}.
 * <p>
 * Records that came from replication (a standby's pipeline) or that are served locally and never journaled
 * (read-only lookups) are not shipped. Allocation-free, lock-free, logs nothing.
 */
final class ReplicatorStage implements EventHandler<InputEvent>
{
    private final RingBuffer<InputEvent> ring;
    private final RecordShipper shipper;
    private final boolean synchronous;
    private final IdleStrategy idleStrategy;
    private volatile boolean halted;
    private long batchStartRingSequence = -1;
    private long lastShippedSequence = -1;
    private long records;

    ReplicatorStage(final RingBuffer<InputEvent> ring, final RecordShipper shipper, final IdleStrategy idleStrategy)
    {
        this.ring = ring;
        this.shipper = shipper;
        this.synchronous = null != shipper && shipper.isSynchronous();
        this.idleStrategy = idleStrategy;
    }

    public void onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        records++;
        final RecordShipper shipper = this.shipper;
        if (null == shipper)
        {
            return;
        }

        if (batchStartRingSequence < 0)
        {
            batchStartRingSequence = sequence;
        }
        if (InputEvent.ORIGIN_INGRESS == event.origin)
        {
            shipper.ship(event.type, event.sequence, event.timestampNanos, event.buffer, 0, event.length);
            lastShippedSequence = event.sequence;
        }

        if (endOfBatch)
        {
            final long batchStart = batchStartRingSequence;
            batchStartRingSequence = -1;
            if (lastShippedSequence < 0)
            {
                return;
            }
            shipper.endOfBatch(lastShippedSequence);
            if (synchronous && !awaitAcknowledgement(lastShippedSequence))
            {
                for (long s = batchStart; s <= sequence; s++)
                {
                    ring.get(s).replicated = false;
                }
            }
            lastShippedSequence = -1;
        }
    }

    private boolean awaitAcknowledgement(final long lastSequence)
    {
        final RecordShipper shipper = this.shipper;
        final IdleStrategy idleStrategy = this.idleStrategy;
        idleStrategy.reset();
        while (shipper.acknowledgedSequence() < lastSequence)
        {
            if (shipper.isFenced() || halted)
            {
                return false;
            }
            idleStrategy.idle();
        }

        return !shipper.isFenced();
    }

    /**
     * Stop waiting for acknowledgements: the batch waited on, and every later one, is not replicated. Any thread.
     */
    void halt()
    {
        halted = true;
    }

    long records()
    {
        return records;
    }
}
