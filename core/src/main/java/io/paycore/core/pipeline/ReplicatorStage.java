package io.paycore.core.pipeline;

import com.lmax.disruptor.EventHandler;

/**
 * The replicator slot, in parallel with the journaler. A pass-through until replication exists: it exists now so
 * that the ring's shape (journaler and replicator both gating the BLP) is the one replication will run in.
 */
final class ReplicatorStage implements EventHandler<InputEvent>
{
    private long records;

    public void onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        records++;
    }

    long records()
    {
        return records;
    }
}
