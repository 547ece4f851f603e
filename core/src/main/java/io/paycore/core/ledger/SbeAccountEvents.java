package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountsDecoder;
import org.agrona.DirectBuffer;

/**
 * {@link AccountEvents} read in place from an SBE {@code CreateAccounts} message (schema version 2): field {@code i} is
 * read at its computed offset, using the root and group block lengths found in the message, so nothing is copied or
 * allocated. A {@code uint128} is its low 64 bits then its high 64 bits, little-endian. A flyweight: wrap, read, wrap
 * again. The frame must already have been validated (schema, template, version, lengths) by ingress.
 */
public final class SbeAccountEvents extends SbeGroupEntries implements AccountEvents
{
    private static final int ID_OFFSET = CreateAccountsDecoder.AccountsDecoder.idEncodingOffset();
    private static final int DEBITS_PENDING_OFFSET =
        CreateAccountsDecoder.AccountsDecoder.debitsPendingEncodingOffset();
    private static final int DEBITS_POSTED_OFFSET = CreateAccountsDecoder.AccountsDecoder.debitsPostedEncodingOffset();
    private static final int CREDITS_PENDING_OFFSET =
        CreateAccountsDecoder.AccountsDecoder.creditsPendingEncodingOffset();
    private static final int CREDITS_POSTED_OFFSET =
        CreateAccountsDecoder.AccountsDecoder.creditsPostedEncodingOffset();
    private static final int USER_DATA128_OFFSET = CreateAccountsDecoder.AccountsDecoder.userData128EncodingOffset();
    private static final int USER_DATA64_OFFSET = CreateAccountsDecoder.AccountsDecoder.userData64EncodingOffset();
    private static final int USER_DATA32_OFFSET = CreateAccountsDecoder.AccountsDecoder.userData32EncodingOffset();
    private static final int RESERVED_OFFSET = CreateAccountsDecoder.AccountsDecoder.reservedEncodingOffset();
    private static final int LEDGER_OFFSET = CreateAccountsDecoder.AccountsDecoder.ledgerEncodingOffset();
    private static final int TIMESTAMP_OFFSET = CreateAccountsDecoder.AccountsDecoder.timestampEncodingOffset();
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
    public long debitsPendingHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBITS_PENDING_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long debitsPendingLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBITS_PENDING_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long debitsPostedHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBITS_POSTED_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long debitsPostedLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + DEBITS_POSTED_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPendingHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDITS_PENDING_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPendingLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDITS_PENDING_OFFSET + LO, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPostedHi(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDITS_POSTED_OFFSET + HI, ORDER);
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPostedLo(final int index)
    {
        return buffer.getLong(entryOffset(index) + CREDITS_POSTED_OFFSET + LO, ORDER);
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
    public long reserved(final int index)
    {
        return buffer.getInt(entryOffset(index) + RESERVED_OFFSET, ORDER) & 0xFFFF_FFFFL;
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
