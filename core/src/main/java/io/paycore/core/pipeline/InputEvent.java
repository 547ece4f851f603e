package io.paycore.core.pipeline;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the input ring: one record on its way to the journal and the ledger. Pre-allocated and reused; written
 * only by ingress, read by the stages behind it.
 */
public final class InputEvent
{
    final UnsafeBuffer buffer;
    int type;
    int length;
    long sessionId;
    long sequence;
    long timestampNanos;
    boolean journaled;
    /** Set by the cold-tier gate: the tier's written count its prefetch saw, and the record's share of the pool. */
    long coldWrittenRecords;
    long coldPoolStart;
    int coldPoolCount;

    InputEvent(final int capacityBytes)
    {
        buffer = new UnsafeBuffer(new byte[capacityBytes]);
    }

    /** @return the journal record type. */
    public int type()
    {
        return type;
    }

    /** @return the session that sent it, or {@link Pipeline#NO_SESSION} for a tick. */
    public long sessionId()
    {
        return sessionId;
    }

    /** @return the journal sequence ingress assigned. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the timestamp ingress stamped. */
    public long timestampNanos()
    {
        return timestampNanos;
    }

    /** @return the payload, from offset 0. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** @return the payload length in bytes. */
    public int length()
    {
        return length;
    }
}
