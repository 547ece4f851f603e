package io.paycore.codec;

import io.paycore.codec.sbe.GroupSizeEncodingDecoder;
import io.paycore.codec.sbe.VarAsciiEncodingDecoder;

/**
 * The hard limits of the paycore wire protocol (schema id 1, version 2). They come from the schema through the
 * generated codecs, so they cannot drift from it; components may configure lower limits, never higher.
 */
public final class ProtocolLimits
{
    /**
     * Most events (entries of a repeating group) one message may carry: the schema's {@code maxValue} of
     * {@code groupSizeEncoding.numInGroup}, currently 1024. A batch of 0 events is valid.
     */
    public static final int MAX_BATCH_EVENTS = GroupSizeEncodingDecoder.numInGroupMaxValue();

    /**
     * Most bytes one var data field (for example {@code Connect.credential}) may hold, length prefix excluded: the
     * schema's {@code maxValue} of {@code varAsciiEncoding.length}, currently 1024.
     */
    public static final int MAX_VAR_DATA_LENGTH = VarAsciiEncodingDecoder.lengthMaxValue();

    /**
     * Length in bytes of the longest valid ingress message (client to service), header included, with
     * {@link #MAX_BATCH_EVENTS} events: currently a {@code CreateTransfers} of 1024 transfers (or a
     * {@code CreateAccounts} of 1024 accounts, as long), 8 + 8 + 4 + 1024 &times; 128 = 131,092 bytes. Size ingress
     * buffers, ring slots and journal records to hold it. Note that it is larger than 128 KiB, so an Aeron term of
     * 1 MiB (whose longest message is an eighth of it) is too short for it.
     */
    public static final int MAX_MESSAGE_LENGTH = MessageLayout.maxEncodedLengthBytes(
        MessageLayout.INGRESS, MAX_BATCH_EVENTS);

    /**
     * Length in bytes of the longest valid egress message (service to client), header included, with
     * {@link #MAX_BATCH_EVENTS} entries: currently a {@code Transfers} of 1024 transfers (or an {@code Accounts} of
     * 1024 accounts, as long), 8 + 8 + 4 + 1024 &times; 128 = 131,092 bytes. Note that it is larger than 128 KiB.
     */
    public static final int MAX_EGRESS_MESSAGE_LENGTH = MessageLayout.maxEncodedLengthBytes(
        MessageLayout.EGRESS, MAX_BATCH_EVENTS);

    private ProtocolLimits()
    {
    }

    /**
     * Length in bytes of the longest valid ingress message when batches are limited to {@code maxBatchEvents}
     * events, for sizing buffers to a configured limit lower than {@link #MAX_BATCH_EVENTS}.
     *
     * @param maxBatchEvents the configured limit, in 1..{@link #MAX_BATCH_EVENTS}.
     * @return the length in bytes, header included.
     * @throws IllegalArgumentException if {@code maxBatchEvents} is outside 1..{@link #MAX_BATCH_EVENTS}.
     */
    public static int maxMessageLength(final int maxBatchEvents)
    {
        checkMaxBatchEvents(maxBatchEvents);

        return MessageLayout.maxEncodedLengthBytes(MessageLayout.INGRESS, maxBatchEvents);
    }

    static void checkMaxBatchEvents(final int maxBatchEvents)
    {
        if (maxBatchEvents < 1 || maxBatchEvents > MAX_BATCH_EVENTS)
        {
            throw new IllegalArgumentException(
                "maxBatchEvents must be in 1.." + MAX_BATCH_EVENTS + ": " + maxBatchEvents);
        }
    }
}
