package io.paycore.core.command;

import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.journal.RecordHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one {@link RecordHandler} that applies journal records to a ledger with a {@link CommandProcessor}, exactly as
 * the BLP applied them: what recovery, audit, replay benchmarks and tests hand to a
 * {@link io.paycore.journal.JournalReader}. The answers are written to a scratch buffer of its own and dropped (a
 * replay answers nobody); {@link #lastAnswerLength()} and {@link #answer()} show the last one.
 * <p>
 * Not thread safe: one reader thread. Allocation-free once built.
 */
public final class LedgerRecordHandler implements RecordHandler
{
    private final CommandProcessor processor;
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
    private int lastAnswerLength;
    private long records;

    /**
     * @param processor applies each record to its ledger.
     */
    public LedgerRecordHandler(final CommandProcessor processor)
    {
        this.processor = processor;
    }

    /**
     * Apply one record.
     *
     * {@inheritDoc}
     *
     * @throws IllegalStateException     naming the record if it holds a message of a protocol version before
     *                                   {@link FrameValidator#MIN_VERSION} (see {@link #checkProtocolVersion}).
     * @throws LedgerCapacityException naming the record if the ledger is too small to apply it as the original
     *                                   did.
     */
    public void onRecord(
        final int type,
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        checkProtocolVersion(type, sequence, buffer, offset, length);
        try
        {
            lastAnswerLength = processor.apply(type, timestampNanos, buffer, offset, length, answer, 0);
        }
        catch (final LedgerCapacityException ex)
        {
            throw new LedgerCapacityException("journal record " + sequence + ": " + ex.getMessage());
        }
        records++;
    }

    /**
     * Refuse a journal record that holds a message of a protocol version before {@link FrameValidator#MIN_VERSION}:
     * a journal an older paycore wrote. Ingress journals only frames it validated, so such a record cannot come
     * from this version, and applying it would reject it and silently leave the ledger short. A journal is written
     * by one version, so its first message record is enough to tell.
     *
     * @param type     of the record; only {@link RecordTypes#MESSAGE} records are checked.
     * @param sequence of the record, for the refusal.
     * @param buffer   holding the record's payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @throws IllegalStateException naming the record and the version it holds, and what to do.
     */
    public static void checkProtocolVersion(
        final int type, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (RecordTypes.MESSAGE == type && length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            final int version = buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(),
                MessageHeaderDecoder.BYTE_ORDER) & 0xFFFF;
            if (version < FrameValidator.MIN_VERSION)
            {
                throw new IllegalStateException("journal record " + sequence + " holds a message of protocol version " +
                    version + ": this paycore applies version " + FrameValidator.MIN_VERSION + " and later (128-bit " +
                    "ids and amounts), so it cannot replay a journal an older paycore wrote; read it with the " +
                    "release that wrote it, and start this one on a new data directory");
            }
        }
    }

    /**
     * @return the processor the records are applied with.
     */
    public CommandProcessor processor()
    {
        return processor;
    }

    /**
     * @return records applied so far.
     */
    public long records()
    {
        return records;
    }

    /**
     * @return the length of the last record's answer, 0 if it had none.
     */
    public int lastAnswerLength()
    {
        return lastAnswerLength;
    }

    /**
     * @return the buffer holding the last record's answer, valid until the next record.
     */
    public DirectBuffer answer()
    {
        return answer;
    }
}
