package io.paycore.core.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.Sequencer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

/**
 * The replicator stage, in parallel with the journaler: hands every record ingress stamped to the
 * {@link RecordShipper}, in ring order, and tells it where each batch ends. The BLP follows this agent's
 * {@link #released() released} sequence, not the records it has shipped.
 * <p>
 * Async replication releases each batch as soon as it is shipped. Sync replication releases a batch only once the
 * standby has acknowledged its last record, so that no record is applied or answered before it is on the standby;
 * while it waits, the agent takes nothing new and its idle strategy backs off, the Agent way, never blocking in a
 * duty cycle. If the shipper reports that a standby of a newer epoch fenced this node, or the pipeline stops
 * ({@link #halt()}), every record of the batch waited on is marked not replicated and released: the BLP answers each
 * with {@code Rejected(UNAVAILABLE)}.
 * <p>
 * Records that came from replication (a standby's pipeline) or that are served locally and never journaled
 * (read-only lookups) are not shipped. Allocation-free, lock-free, logs nothing.
 */
final class ReplicatorAgent implements Agent, EventPoller.Handler<InputEvent>
{
    private static final long NONE = -1;

    private final RingBuffer<InputEvent> ring;
    private final EventPoller<InputEvent> poller;
    private final RecordShipper shipper;
    private final boolean synchronous;
    private final int maxBatch;
    private final ErrorHandler errorHandler;
    private final Sequence released = new Sequence(Sequencer.INITIAL_CURSOR_VALUE);
    private volatile boolean halted;
    private boolean awaiting;
    private long batchStartRingSequence = NONE;
    private long batchEndRingSequence = NONE;
    private long lastShippedSequence = NONE;
    private int count;

    ReplicatorAgent(
        final RingBuffer<InputEvent> ring,
        final EventPoller<InputEvent> poller,
        final RecordShipper shipper,
        final int maxBatch,
        final ErrorHandler errorHandler)
    {
        this.ring = ring;
        this.poller = poller;
        this.shipper = shipper;
        this.synchronous = shipper.isSynchronous();
        this.maxBatch = maxBatch;
        this.errorHandler = errorHandler;
    }

    public int doWork()
    {
        if (awaiting)
        {
            return checkAcknowledgement();
        }

        count = 0;
        batchStartRingSequence = NONE;
        lastShippedSequence = NONE;
        try
        {
            poller.poll(this);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
        if (0 == count)
        {
            return 0;
        }

        if (NONE != lastShippedSequence)
        {
            shipper.endOfBatch(lastShippedSequence);
            if (synchronous)
            {
                awaiting = true;
                return count + checkAcknowledgement();
            }
        }
        released.set(batchEndRingSequence);
        return count;
    }

    public boolean onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        if (NONE == batchStartRingSequence)
        {
            batchStartRingSequence = sequence;
        }
        batchEndRingSequence = sequence;
        if (InputEvent.ORIGIN_INGRESS == event.origin)
        {
            try
            {
                shipper.ship(event.type, event.sequence, event.timestampNanos, event.buffer, 0, event.length);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
            lastShippedSequence = event.sequence;
        }
        return ++count < maxBatch;
    }

    public String roleName()
    {
        return Pipeline.REPLICATOR_THREAD_NAME;
    }

    private int checkAcknowledgement()
    {
        final boolean acknowledged = shipper.acknowledgedSequence() >= lastShippedSequence;
        if (acknowledged && !shipper.isFenced())
        {
            awaiting = false;
            released.set(batchEndRingSequence);
            return 1;
        }
        if (shipper.isFenced() || halted)
        {
            for (long s = batchStartRingSequence; s <= batchEndRingSequence; s++)
            {
                ring.get(s).replicated = false;
            }
            awaiting = false;
            released.set(batchEndRingSequence);
            return 1;
        }
        return 0;
    }

    /**
     * Stop waiting for acknowledgements: the batch waited on, and every later one, is not replicated. Any thread.
     */
    void halt()
    {
        halted = true;
    }

    /**
     * @return the sequence up to which the BLP may take records: shipped, and in sync mode acknowledged (or marked
     * not replicated).
     */
    Sequence released()
    {
        return released;
    }
}
