package io.paycore.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;

/**
 * The journaler and the BLP as one stage on one thread, for small machines: every record of a ring batch is appended
 * to the journal as it comes, and at the end of the batch (after the group commit at flush {@code batch}) the batch
 * is applied in order. Same order, same durability rule as the two stages on their own threads (nothing is applied
 * or answered before it is journaled at the flush level), one thread hand-off fewer.
 * <p>
 * The ring slots of a batch stay valid until this stage's sequence moves past them, which the
 * {@link com.lmax.disruptor.BatchEventProcessor} does only after the batch.
 */
final class JournalThenApplyStage implements EventHandler<InputEvent>
{
    private static final long NONE = -1;

    private final RingBuffer<InputEvent> ring;
    private final JournalStage journalStage;
    private final BusinessLogicStage businessLogicStage;
    private final ExceptionHandler<InputEvent> exceptionHandler;
    private long firstUnapplied = NONE;

    JournalThenApplyStage(
        final RingBuffer<InputEvent> ring,
        final JournalStage journalStage,
        final BusinessLogicStage businessLogicStage,
        final ExceptionHandler<InputEvent> exceptionHandler)
    {
        this.ring = ring;
        this.journalStage = journalStage;
        this.businessLogicStage = businessLogicStage;
        this.exceptionHandler = exceptionHandler;
    }

    public void onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        if (NONE == firstUnapplied)
        {
            firstUnapplied = sequence;
        }
        try
        {
            journalStage.onEvent(event, sequence, endOfBatch);
        }
        catch (final Throwable ex)
        {
            event.journaled = false;
            exceptionHandler.handleEventException(ex, sequence, event);
        }
        if (endOfBatch)
        {
            final long first = firstUnapplied;
            firstUnapplied = NONE;
            for (long applying = first; applying <= sequence; applying++)
            {
                final InputEvent applied = ring.get(applying);
                try
                {
                    businessLogicStage.onEvent(applied, applying, applying == sequence);
                }
                catch (final Throwable ex)
                {
                    exceptionHandler.handleEventException(ex, applying, applied);
                }
            }
        }
    }
}
