package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.GroupSizeEncodingDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * {@link AccountEvents} read in place from an SBE {@code CreateAccounts} message: field {@code i} is read at its
 * computed offset, using the root and group block lengths found in the message, so nothing is copied or
 * allocated. A flyweight: wrap, read, wrap again. The frame must already have been validated (schema, template,
 * lengths) by ingress.
 */
public final class SbeAccountEvents implements AccountEvents
{
    private static final ByteOrder ORDER = CreateAccountsDecoder.BYTE_ORDER;
    private static final int ID_OFFSET = CreateAccountsDecoder.AccountsDecoder.idEncodingOffset();
    private static final int USER_DATA_OFFSET = CreateAccountsDecoder.AccountsDecoder.userDataEncodingOffset();
    private static final int LEDGER_OFFSET = CreateAccountsDecoder.AccountsDecoder.ledgerEncodingOffset();
    private static final int CODE_OFFSET = CreateAccountsDecoder.AccountsDecoder.codeEncodingOffset();
    private static final int FLAGS_OFFSET = CreateAccountsDecoder.AccountsDecoder.flagsEncodingOffset();

    private DirectBuffer buffer;
    private int entriesOffset;
    private int entryLength;
    private int count;

    /**
     * Wrap a {@code CreateAccounts} message.
     *
     * @param buffer        holding the message.
     * @param messageOffset where its message header starts.
     * @return this for a fluent API.
     */
    public SbeAccountEvents wrap(final DirectBuffer buffer, final int messageOffset)
    {
        final int rootBlockLength = buffer.getShort(
            messageOffset + MessageHeaderDecoder.blockLengthEncodingOffset(), ORDER) & 0xFFFF;
        final int groupHeaderOffset = messageOffset + MessageHeaderDecoder.ENCODED_LENGTH + rootBlockLength;

        this.buffer = buffer;
        entryLength = buffer.getShort(
            groupHeaderOffset + GroupSizeEncodingDecoder.blockLengthEncodingOffset(), ORDER) & 0xFFFF;
        count = buffer.getShort(
            groupHeaderOffset + GroupSizeEncodingDecoder.numInGroupEncodingOffset(), ORDER) & 0xFFFF;
        entriesOffset = groupHeaderOffset + CreateAccountsDecoder.AccountsDecoder.HEADER_SIZE;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public int count()
    {
        return count;
    }

    /**
     * {@inheritDoc}
     */
    public long id(final int index)
    {
        return buffer.getLong(entriesOffset + index * entryLength + ID_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long userData(final int index)
    {
        return buffer.getLong(entriesOffset + index * entryLength + USER_DATA_OFFSET, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long ledger(final int index)
    {
        return buffer.getInt(entriesOffset + index * entryLength + LEDGER_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * {@inheritDoc}
     */
    public int code(final int index)
    {
        return buffer.getShort(entriesOffset + index * entryLength + CODE_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * {@inheritDoc}
     */
    public int flags(final int index)
    {
        return buffer.getShort(entriesOffset + index * entryLength + FLAGS_OFFSET, ORDER) & 0xFFFF;
    }
}
