package io.paycore.codec;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.function.LongSupplier;

/**
 * Well-formed frames of the retired schema version 1, written byte by byte to its layout (the generated codecs know
 * only version 2): what a client on an old paycore library sends, and an old service answers. Version 1 had 64-bit
 * ids, amounts and balances and a single 64-bit user data field; the header, the group header and the var data were
 * as in version 2.
 */
final class VersionOneFrames
{
    static final int VERSION = 1;
    static final int SCHEMA_ID = 1;

    static final int CONNECT_TEMPLATE_ID = 1;
    static final int CREATE_ACCOUNTS_TEMPLATE_ID = 2;
    static final int CREATE_TRANSFERS_TEMPLATE_ID = 3;
    static final int LOOKUP_ACCOUNTS_TEMPLATE_ID = 4;
    static final int LOOKUP_TRANSFERS_TEMPLATE_ID = 5;
    static final int CREATE_TRANSFERS_RESULT_TEMPLATE_ID = 103;
    static final int TRANSFERS_TEMPLATE_ID = 105;

    /**
     * correlationId int64, clientId int64, responseStreamId int32.
     */
    static final int CONNECT_BLOCK_LENGTH = 20;

    /**
     * correlationId int64: the root block of every batch message.
     */
    static final int BATCH_BLOCK_LENGTH = 8;

    /**
     * id, userData int64; ledger uint32; code, flags uint16.
     */
    static final int CREATE_ACCOUNTS_ENTRY_LENGTH = 24;

    /**
     * id, debitAccountId, creditAccountId, amount, pendingId, userData int64; ledger, timeoutSeconds uint32; code,
     * flags uint16.
     */
    static final int CREATE_TRANSFERS_ENTRY_LENGTH = 60;

    /**
     * id int64.
     */
    static final int LOOKUP_ENTRY_LENGTH = 8;

    /**
     * timestamp int64, result uint16.
     */
    static final int CREATE_RESULT_ENTRY_LENGTH = 10;

    /**
     * id, debitAccountId, creditAccountId, amount, pendingId, userData, timestamp int64; ledger, timeoutSeconds
     * uint32; code, flags uint16.
     */
    static final int TRANSFERS_ENTRY_LENGTH = 68;

    static final int[] INGRESS_TEMPLATE_IDS = {
        CONNECT_TEMPLATE_ID,
        CREATE_ACCOUNTS_TEMPLATE_ID,
        CREATE_TRANSFERS_TEMPLATE_ID,
        LOOKUP_ACCOUNTS_TEMPLATE_ID,
        LOOKUP_TRANSFERS_TEMPLATE_ID,
    };

    private static final ByteOrder LITTLE_ENDIAN = ByteOrder.LITTLE_ENDIAN;
    private static final int GROUP_HEADER_LENGTH = 4;
    private static final int VAR_DATA_HEADER_LENGTH = 2;

    private VersionOneFrames()
    {
    }

    /**
     * A version 1 ingress frame: {@code size} is the number of entries of a batch, or the length of both var data
     * fields of a Connect.
     */
    static byte[] ingress(final int templateId, final long correlationId, final int size, final LongSupplier values)
    {
        switch (templateId)
        {
            case CONNECT_TEMPLATE_ID:
                return connect(correlationId, Frames.ascii(size, 'c'), Frames.ascii(size, 'r'), values);
            case CREATE_ACCOUNTS_TEMPLATE_ID:
                return createAccounts(correlationId, size, values);
            case CREATE_TRANSFERS_TEMPLATE_ID:
                return createTransfers(correlationId, size, values);
            case LOOKUP_ACCOUNTS_TEMPLATE_ID:
            case LOOKUP_TRANSFERS_TEMPLATE_ID:
                return lookup(templateId, correlationId, size, values);
            default:
                throw new IllegalArgumentException("no such version 1 ingress template: " + templateId);
        }
    }

    static byte[] connect(
        final long correlationId, final String credential, final String responseChannel, final LongSupplier values)
    {
        final int length = Frames.HEADER_LENGTH + CONNECT_BLOCK_LENGTH +
            VAR_DATA_HEADER_LENGTH + credential.length() + VAR_DATA_HEADER_LENGTH + responseChannel.length();
        final Writer writer = new Writer(length)
            .header(CONNECT_BLOCK_LENGTH, CONNECT_TEMPLATE_ID)
            .int64(correlationId)
            .int64(values.getAsLong())
            .int32((int)values.getAsLong())
            .varAscii(credential)
            .varAscii(responseChannel);

        return writer.complete();
    }

    static byte[] createAccounts(final long correlationId, final int count, final LongSupplier values)
    {
        final Writer writer = batch(CREATE_ACCOUNTS_TEMPLATE_ID, correlationId, CREATE_ACCOUNTS_ENTRY_LENGTH, count);
        for (int i = 0; i < count; i++)
        {
            writer
                .int64(values.getAsLong())
                .int64(values.getAsLong())
                .int32((int)values.getAsLong())
                .int16((short)values.getAsLong())
                .int16((short)values.getAsLong());
        }

        return writer.complete();
    }

    static byte[] createTransfers(final long correlationId, final int count, final LongSupplier values)
    {
        final Writer writer = batch(
            CREATE_TRANSFERS_TEMPLATE_ID, correlationId, CREATE_TRANSFERS_ENTRY_LENGTH, count);
        for (int i = 0; i < count; i++)
        {
            writer
                .int64(values.getAsLong())
                .int64(values.getAsLong())
                .int64(values.getAsLong())
                .int64(values.getAsLong())
                .int64(values.getAsLong())
                .int64(values.getAsLong())
                .int32((int)values.getAsLong())
                .int32((int)values.getAsLong())
                .int16((short)values.getAsLong())
                .int16((short)values.getAsLong());
        }

        return writer.complete();
    }

    static byte[] lookup(final int templateId, final long correlationId, final int count, final LongSupplier values)
    {
        final Writer writer = batch(templateId, correlationId, LOOKUP_ENTRY_LENGTH, count);
        for (int i = 0; i < count; i++)
        {
            writer.int64(values.getAsLong());
        }

        return writer.complete();
    }

    static byte[] createTransfersResult(final long correlationId, final int count, final LongSupplier values)
    {
        final Writer writer = batch(
            CREATE_TRANSFERS_RESULT_TEMPLATE_ID, correlationId, CREATE_RESULT_ENTRY_LENGTH, count);
        for (int i = 0; i < count; i++)
        {
            writer.int64(values.getAsLong()).int16((short)(values.getAsLong() & 0x3F));
        }

        return writer.complete();
    }

    static byte[] transfers(final long correlationId, final int count, final LongSupplier values)
    {
        final Writer writer = batch(TRANSFERS_TEMPLATE_ID, correlationId, TRANSFERS_ENTRY_LENGTH, count);
        for (int i = 0; i < count; i++)
        {
            for (int field = 0; field < 7; field++)
            {
                writer.int64(values.getAsLong());
            }
            writer
                .int32((int)values.getAsLong())
                .int32((int)values.getAsLong())
                .int16((short)values.getAsLong())
                .int16((short)values.getAsLong());
        }

        return writer.complete();
    }

    private static Writer batch(
        final int templateId, final long correlationId, final int entryLength, final int count)
    {
        final int length = Frames.HEADER_LENGTH + BATCH_BLOCK_LENGTH + GROUP_HEADER_LENGTH + count * entryLength;

        return new Writer(length)
            .header(BATCH_BLOCK_LENGTH, templateId)
            .int64(correlationId)
            .int16((short)entryLength)
            .int16((short)count);
    }

    /**
     * Writes little-endian fields one after the other and checks that they fill the frame exactly.
     */
    private static final class Writer
    {
        private final UnsafeBuffer buffer;
        private int position;

        Writer(final int length)
        {
            buffer = new UnsafeBuffer(new byte[length]);
        }

        Writer header(final int blockLength, final int templateId)
        {
            return int16((short)blockLength).int16((short)templateId).int16((short)SCHEMA_ID).int16((short)VERSION);
        }

        Writer int64(final long value)
        {
            buffer.putLong(position, value, LITTLE_ENDIAN);
            position += Long.BYTES;
            return this;
        }

        Writer int32(final int value)
        {
            buffer.putInt(position, value, LITTLE_ENDIAN);
            position += Integer.BYTES;
            return this;
        }

        Writer int16(final short value)
        {
            buffer.putShort(position, value, LITTLE_ENDIAN);
            position += Short.BYTES;
            return this;
        }

        Writer varAscii(final String text)
        {
            int16((short)text.length());
            position += buffer.putStringWithoutLengthAscii(position, text);
            return this;
        }

        byte[] complete()
        {
            if (position != buffer.capacity())
            {
                throw new IllegalStateException("wrote " + position + " bytes of a " + buffer.capacity() + " frame");
            }

            return buffer.byteArray();
        }
    }
}
