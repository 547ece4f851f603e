package io.paycore.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalException;

/**
 * The journaler: appends every input record to the journal, in ring order, and at the end of each ring batch
 * forces the journal at the configured flush level (group commit). The BLP is gated behind this stage, and
 * this stage publishes its sequence only after the batch's flush, so nothing is applied or answered before it is
 * durable.
 * <p>
 * An I/O failure fails the journal once and for all: this and every later record is marked not journaled, and the
 * BLP answers each with {@code Rejected(UNAVAILABLE)} instead of applying it. When the force that ends a batch
 * fails, the records before it in that batch were appended but are not durable either: the BLP applies only what
 * the journal's durable sequence covers, so they are refused the same way.
 */
final class JournalStage implements EventHandler<InputEvent>
{
    private final Journal journal;
    private final boolean flushAtEndOfBatch;
    private volatile JournalException failure;

    JournalStage(final Journal journal)
    {
        this.journal = journal;
        this.flushAtEndOfBatch = FlushLevel.BATCH == journal.flushLevel();
    }

    public void onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        if (null == failure)
        {
            try
            {
                final long journalSequence = journal.append(
                    event.type, event.timestampNanos, event.buffer, 0, event.length);
                if (journalSequence != event.sequence)
                {
                    throw new IllegalStateException(
                        "journal sequence " + journalSequence + " != ingress sequence " + event.sequence);
                }
                if (endOfBatch && flushAtEndOfBatch)
                {
                    journal.flush();
                }
                event.journaled = true;
            }
            catch (final JournalException ex)
            {
                failure = ex;
                event.journaled = false;
            }
        }
        else
        {
            event.journaled = false;
        }
    }

    JournalException failure()
    {
        return failure;
    }
}
