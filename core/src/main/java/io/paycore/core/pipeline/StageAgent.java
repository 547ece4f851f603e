package io.paycore.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

/**
 * One pipeline stage as an Agrona {@link Agent}: each duty cycle polls the input ring with a Disruptor
 * {@link EventPoller} (behind the stages it must follow) and hands the records to the stage, at most the stage batch
 * limit of them, the last one flagged as the end of the batch (where the journaler forces at flush {@code batch}).
 * <p>
 * A stage that answers (the BLP) takes no more records in a cycle than the output ring has free slots, so it never
 * waits for an output slot: a thread that also drains the output ring (the {@code inline} layout) would wait for
 * itself. With no slot free the cycle does nothing and the agent's idle strategy backs off.
 * <p>
 * A stage that throws does not stop the pipeline's order: the error is handed to the error handler (the pipeline then
 * refuses input) and the next record is taken, as the Disruptor's own processors do. Allocation-free, lock-free.
 */
final class StageAgent implements Agent, EventPoller.Handler<InputEvent>
{
    private final String roleName;
    private final EventPoller<InputEvent> poller;
    private final EventHandler<InputEvent> stage;
    private final RingBuffer<OutputEvent> output;
    private final int maxBatch;
    private final ErrorHandler errorHandler;
    private int limit;
    private int count;

    /**
     * @param roleName     the agent's name, and its thread's when it runs alone.
     * @param poller       polls the input ring behind the stages this one follows.
     * @param stage        handles each record.
     * @param output       the ring the stage answers on, to cap a batch by its free slots; null if it answers nothing.
     * @param maxBatch     most records in one cycle.
     * @param errorHandler told what a stage threw.
     */
    StageAgent(
        final String roleName,
        final EventPoller<InputEvent> poller,
        final EventHandler<InputEvent> stage,
        final RingBuffer<OutputEvent> output,
        final int maxBatch,
        final ErrorHandler errorHandler)
    {
        this.roleName = roleName;
        this.poller = poller;
        this.stage = stage;
        this.output = output;
        this.maxBatch = maxBatch;
        this.errorHandler = errorHandler;
    }

    public int doWork()
    {
        int limit = maxBatch;
        if (null != output)
        {
            final long freeOutputSlots = output.remainingCapacity();
            if (freeOutputSlots <= 0)
            {
                return 0;
            }
            limit = (int)Math.min(limit, freeOutputSlots);
        }
        this.limit = limit;
        count = 0;
        try
        {
            poller.poll(this);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
        return count;
    }

    public boolean onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        count++;
        final boolean last = endOfBatch || count >= limit;
        try
        {
            stage.onEvent(event, sequence, last);
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
        }
        return !last;
    }

    public String roleName()
    {
        return roleName;
    }

    /**
     * @return the sequence of the last record this stage has finished with; stages behind it gate on it.
     */
    Sequence sequence()
    {
        return poller.getSequence();
    }
}
