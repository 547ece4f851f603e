package io.paycore.journal;

import org.agrona.DirectBuffer;

/**
 * Receives records from {@link JournalReader#poll(RecordHandler, int)}. The buffer is a view of the mapped
 * segment, valid only for the duration of the call: copy what must be kept.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * Called once per complete, verified record, in sequence order, on the polling thread.
     *
     * @param type           the record type given to {@link Journal#append}.
     * @param sequence       the record sequence, contiguous from 1.
     * @param timestampNanos the timestamp given to {@link Journal#append}.
     * @param buffer         holding the payload.
     * @param offset         of the payload in the buffer.
     * @param length         of the payload in bytes.
     */
    void onRecord(int type, long sequence, long timestampNanos, DirectBuffer buffer, int offset, int length);
}
