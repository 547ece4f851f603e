package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateTransfersDecoder;
import org.agrona.DirectBuffer;

/**
 * {@link TransferEvents} read in place from an SBE {@code CreateTransfers} message (schema version 2): field {@code i}
 * is read at its computed offset, using the root and group block lengths found in the message, so nothing is copied or
 * allocated. A {@code uint128} is its low 64 bits then its high 64 bits, little-endian. A flyweight: wrap, read, wrap
 * again. The frame must already have been validated (schema, template, version, lengths) by ingress.
 */
public final class SbeTransferEvents extends SbeGroupEntries implements TransferEvents
{
    private static final int ID_OFFSET = CreateTransfersDecoder.TransfersDecoder.idEncodingOffset();
    private static final int DEBIT_ACCOUNT_ID_OFFSET =
        CreateTransfersDecoder.TransfersDecoder.debitAccountIdEncodingOffset();
    private static final int CREDIT_ACCOUNT_ID_OFFSET =
        CreateTransfersDecoder.TransfersDecoder.creditAccountIdEncodingOffset();
    private static final int AMOUNT_OFFSET = CreateTransfersDecoder.TransfersDecoder.amountEncodingOffset();
    private static final int PENDING_ID_OFFSET = CreateTransfersDecoder.TransfersDecoder.pendingIdEncodingOffset();
    private static final int USER_DATA128_OFFSET = CreateTransfersDecoder.TransfersDecoder.userData128EncodingOffset();
    private static final int USER_DATA64_OFFSET = CreateTransfersDecoder.TransfersDecoder.userData64EncodingOffset();
    private static final int USER_DATA32_OFFSET = CreateTransfersDecoder.TransfersDecoder.userData32EncodingOffset();
    private static final int TIMEOUT_SECONDS_OFFSET =
        CreateTransfersDecoder.TransfersDecoder.timeoutSecondsEncodingOffset();
    private static final int LEDGER_OFFSET = CreateTransfersDecoder.TransfersDecoder.ledgerEncodingOffset();
    private static final int TIMESTAMP_OFFSET = CreateTransfersDecoder.TransfersDecoder.timestampEncodingOffset();
    private static final int CODE_OFFSET = CreateTransfersDecoder.TransfersDecoder.codeEncodingOffset();
    private static final int FLAGS_OFFSET = CreateTransfersDecoder.TransfersDecoder.flagsEncodingOffset();

    /**
     * Wrap a {@code CreateTransfers} message.
     *
     * @param buffer        holding the message.
     * @param messageOffset where its message header starts.
     * @return this for a fluent API.
     */
    public SbeTransferEvents wrap(final DirectBuffer buffer, final int messageOffset)
    {
        wrapGroup(buffer, messageOffset, CreateTransfersDecoder.TransfersDecoder.HEADER_SIZE);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public long idHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + ID_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long idLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + ID_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long debitAccountIdHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBIT_ACCOUNT_ID_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long debitAccountIdLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBIT_ACCOUNT_ID_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditAccountIdHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDIT_ACCOUNT_ID_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditAccountIdLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDIT_ACCOUNT_ID_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long amountHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + AMOUNT_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long amountLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + AMOUNT_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long pendingIdHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + PENDING_ID_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long pendingIdLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + PENDING_ID_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long userData128Hi(final int index)
    {
        return buffer.getLong(entryOffset(index) + USER_DATA128_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long userData128Lo(final int index)
    {
        return buffer.getLong(entryOffset(index) + USER_DATA128_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long userData64(final int index)
    {
        return buffer.getLong(entryOffset(index) + USER_DATA64_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long userData32(final int index)
    {
        return buffer.getInt(entryOffset(index) + USER_DATA32_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * {@inheritDoc}
     */
    public long timeoutSeconds(final int index)
    {
        return buffer.getInt(entryOffset(index) + TIMEOUT_SECONDS_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * {@inheritDoc}
     */
    public long ledger(final int index)
    {
        return buffer.getInt(entryOffset(index) + LEDGER_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * {@inheritDoc}
     */
    public long timestamp(final int index)
    {
        return buffer.getLong(entryOffset(index) + TIMESTAMP_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public int code(final int index)
    {
        return buffer.getShort(entryOffset(index) + CODE_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * {@inheritDoc}
     */
    public int flags(final int index)
    {
        return buffer.getShort(entryOffset(index) + FLAGS_OFFSET, ORDER) & 0xFFFF;
    }
}
