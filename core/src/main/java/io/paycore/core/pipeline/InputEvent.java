package io.paycore.core.pipeline;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the input ring: one record on its way to the journal and the ledger. Pre-allocated and reused; written
 * only by ingress, read by the stages behind it.
 */
public final class InputEvent
{
    /** From a client through ingress: journaled, shipped to a standby, applied, answered. */
    static final int ORIGIN_INGRESS = 0;
    /** From the primary through replication (a standby's pipeline): journaled and applied, never answered. */
    static final int ORIGIN_REPLICATED = 1;
    /** From a client of a read-only standby: never journaled; a lookup is answered, a write refused. */
    static final int ORIGIN_LOCAL = 2;

    final UnsafeBuffer buffer;
    int origin;
    boolean replicated;
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
