package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateTransfersDecoder;
import org.agrona.DirectBuffer;

/**
 * {@link TransferEvents} read in place from an SBE {@code CreateTransfers} message: field {@code i} is read at its
 * computed offset, using the root and group block lengths found in the message, so nothing is copied or
 * allocated. A flyweight: wrap, read, wrap again. The frame must already have been validated (schema, template,
 * lengths) by ingress.
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
    private static final int USER_DATA_OFFSET = CreateTransfersDecoder.TransfersDecoder.userDataEncodingOffset();
    private static final int LEDGER_OFFSET = CreateTransfersDecoder.TransfersDecoder.ledgerEncodingOffset();
    private static final int TIMEOUT_SECONDS_OFFSET =
        CreateTransfersDecoder.TransfersDecoder.timeoutSecondsEncodingOffset();
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
    public long id(final int index)
    {
        return buffer.getLong(entryOffset(index) + ID_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long debitAccountId(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBIT_ACCOUNT_ID_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditAccountId(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDIT_ACCOUNT_ID_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long amount(final int index)
    {
        return buffer.getLong(entryOffset(index) + AMOUNT_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long pendingId(final int index)
    {
        return buffer.getLong(entryOffset(index) + PENDING_ID_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long userData(final int index)
    {
        return buffer.getLong(entryOffset(index) + USER_DATA_OFFSET, ORDER);
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
    public long timeoutSeconds(final int index)
    {
        return buffer.getInt(entryOffset(index) + TIMEOUT_SECONDS_OFFSET, ORDER) & 0xFFFF_FFFFL;
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
