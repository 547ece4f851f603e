package io.paycore.core.pipeline;

import org.agrona.DirectBuffer;

/**
 * What the replicator stage hands each record to, so that it reaches a standby exactly as it is journaled. The
 * implementation (shipping over Aeron, catch-up, acknowledgements) lives outside core; core only decides when the
 * BLP may go on.
 * <p>
 * <b>Threading</b>: {@link #ship} and {@link #endOfBatch} on the replicator thread only, in journal order, and they
 * must neither allocate, lock, log nor block; {@link #acknowledgedSequence()} and {@link #isFenced()} from any
 * thread.
 */
public interface RecordShipper
{
    /**
     * Ship one record as the journaler appends it: same type, sequence, timestamp and payload. Must not block: a
     * record that cannot be sent now is for the implementation to send later (from the journal).
     *
     * @param type           journal record type.
     * @param sequence       journal sequence.
     * @param timestampNanos the record's timestamp.
     * @param buffer         holding the payload.
     * @param offset         of the payload.
     * @param length         of the payload.
     */
    void ship(int type, long sequence, long timestampNanos, DirectBuffer buffer, int offset, int length);

    /**
     * The ring batch ended with this record.
     *
     * @param lastSequence journal sequence of the batch's last record.
     */
    void endOfBatch(long lastSequence);

    /**
     * @return true if the BLP may apply a record only once the standby has {@link #acknowledgedSequence()
     * acknowledged} it (sync replication); false if it never waits (async).
     */
    boolean isSynchronous();

    /**
     * @return the highest journal sequence the standby has acknowledged as durable. Any thread.
     */
    long acknowledgedSequence();

    /**
     * @return true once a standby of a newer epoch has refused this primary's records: this node is no longer the
     * primary and must not answer another write. Any thread.
     */
    boolean isFenced();
}
