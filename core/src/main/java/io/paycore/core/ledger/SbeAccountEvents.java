package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountsDecoder;
import org.agrona.DirectBuffer;

/**
 * {@link AccountEvents} read in place from an SBE {@code CreateAccounts} message: field {@code i} is read at its
 * computed offset, using the root and group block lengths found in the message, so nothing is copied or
 * allocated. A flyweight: wrap, read, wrap again. The frame must already have been validated (schema, template,
 * lengths) by ingress.
 */
public final class SbeAccountEvents extends SbeGroupEntries implements AccountEvents
{
    private static final int ID_OFFSET = CreateAccountsDecoder.AccountsDecoder.idEncodingOffset();
    private static final int USER_DATA_OFFSET = CreateAccountsDecoder.AccountsDecoder.userDataEncodingOffset();
    private static final int LEDGER_OFFSET = CreateAccountsDecoder.AccountsDecoder.ledgerEncodingOffset();
    private static final int CODE_OFFSET = CreateAccountsDecoder.AccountsDecoder.codeEncodingOffset();
    private static final int FLAGS_OFFSET = CreateAccountsDecoder.AccountsDecoder.flagsEncodingOffset();

    /**
     * Wrap a {@code CreateAccounts} message.
     *
     * @param buffer        holding the message.
     * @param messageOffset where its message header starts.
     * @return this for a fluent API.
     */
    public SbeAccountEvents wrap(final DirectBuffer buffer, final int messageOffset)
    {
        wrapGroup(buffer, messageOffset, CreateAccountsDecoder.AccountsDecoder.HEADER_SIZE);
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
