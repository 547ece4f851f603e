package io.paycore.core.ledger;

import io.paycore.codec.sbe.GroupSizeEncodingDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.Uint128Decoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The one repeating group of an SBE request (the accounts of {@code CreateAccounts}, the transfers of
 * {@code CreateTransfers}) located in place: where its entries start, how long each is (the group's block length as
 * found in the message) and how many there are. The views read their fields at {@link #entryOffset(int)} plus the
 * field's offset; nothing is copied or allocated.
 */
abstract class SbeGroupEntries
{
    /**
     * Byte order of every paycore message.
     */
    static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;

    /**
     * Offset of a {@code uint128}'s low half within it.
     */
    static final int LO = Uint128Decoder.loEncodingOffset();

    /**
     * Offset of a {@code uint128}'s high half within it.
     */
    static final int HI = Uint128Decoder.hiEncodingOffset();

    DirectBuffer buffer;
    private int entriesOffset;
    private int entryLength;
    private int count;

    /**
     * Locate the group of the message at {@code messageOffset}, which follows the root block.
     *
     * @param buffer          holding the message.
     * @param messageOffset   where its message header starts.
     * @param groupHeaderSize length of the group's size header.
     */
    final void wrapGroup(final DirectBuffer buffer, final int messageOffset, final int groupHeaderSize)
    {
        final int rootBlockLength = buffer.getShort(
            messageOffset + MessageHeaderDecoder.blockLengthEncodingOffset(), ORDER) & 0xFFFF;
        final int groupHeaderOffset = messageOffset + MessageHeaderDecoder.ENCODED_LENGTH + rootBlockLength;

        this.buffer = buffer;
        entryLength = buffer.getShort(
            groupHeaderOffset + GroupSizeEncodingDecoder.blockLengthEncodingOffset(), ORDER) & 0xFFFF;
        count = buffer.getShort(
            groupHeaderOffset + GroupSizeEncodingDecoder.numInGroupEncodingOffset(), ORDER) & 0xFFFF;
        entriesOffset = groupHeaderOffset + groupHeaderSize;
    }

    /**
     * @return entries in the group.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index of the entry.
     * @return where the entry starts in {@link #buffer}.
     */
    final int entryOffset(final int index)
    {
        return entriesOffset + index * entryLength;
    }
}
