package io.paycore.core.pipeline;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the output ring: one answer on its way to a client. Pre-allocated and reused; written only by the BLP,
 * read by egress.
 */
public final class OutputEvent
{
    final UnsafeBuffer buffer;
    long sessionId;
    long sequence;
    int length;

    OutputEvent(final int capacityBytes)
    {
        buffer = new UnsafeBuffer(new byte[capacityBytes]);
    }
}
