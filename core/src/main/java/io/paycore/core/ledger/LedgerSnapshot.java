package io.paycore.core.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * The ledger snapshot format, little-endian:
 * <pre>
 *   header (64 bytes)
 *     0  magic                      int64  {@link #MAGIC} ("PAYLEDGR")
 *     8  format version             int32  {@link #FORMAT_VERSION}
 *    12  maxAccounts                int32  limits of the writer, for information
 *    16  maxTransfers               int32
 *    20  maxPendingTransfers        int32
 *    24  maxBatchEvents             int32
 *    28  accountCount               int32  the reader's limits must hold these
 *    32  transferCount              int32
 *    36  pendingCount               int32
 *    40  heapSize                   int32  pending transfers with a timeout
 *    44  lastTimestampNanos         int64
 *    52  clockNanos                 int64
 *    60  header CRC32C              int32  over bytes 0..59
 *   accounts   accountCount x 64 bytes   8 int64 each, in creation order
 *   transfers  transferCount x 69 bytes  8 int64, timeoutSeconds int32, pending state int8; creation order
 *   heap       heapSize x 4 bytes        transfer index of each expiry-heap slot, in heap order
 *   CRC32C     int32                     over every byte before it
 * </pre>
 */
final class LedgerSnapshot
{
    static final long MAGIC = 0x524744454C594150L;
    static final int FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 64;
    static final int VERSION_OFFSET = 8;
    private static final int HEADER_CRC_OFFSET = 60;
    private static final int BUFFER_LENGTH = 64 * 1024;

    private LedgerSnapshot()
    {
    }

    static void checkCount(final String what, final int count, final int max, final String limitName)
    {
        if (count < 0 || count > max)
        {
            throw new LedgerSnapshotException(
                "ledger snapshot holds " + count + " " + what + " but " + limitName + " allows " + max);
        }
    }

    static final class Writer
    {
        private final WritableByteChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        Writer(final WritableByteChannel channel)
        {
            this.channel = channel;
        }

        void header(
            final LedgerLimits limits,
            final int accountCount,
            final int transferCount,
            final int pendingCount,
            final int heapSize,
            final long lastTimestampNanos,
            final long clockNanos)
        {
            buffer.putLong(MAGIC)
                .putInt(FORMAT_VERSION)
                .putInt(limits.maxAccounts())
                .putInt(limits.maxTransfers())
                .putInt(limits.maxPendingTransfers())
                .putInt(limits.maxBatchEvents())
                .putInt(accountCount)
                .putInt(transferCount)
                .putInt(pendingCount)
                .putInt(heapSize)
                .putLong(lastTimestampNanos)
                .putLong(clockNanos);
            final CRC32C headerCrc = new CRC32C();
            headerCrc.update(buffer.array(), 0, HEADER_CRC_OFFSET);
            buffer.putInt((int)headerCrc.getValue());
        }

        void putLong(final long value) throws IOException
        {
            ensure(8);
            buffer.putLong(value);
        }

        void putInt(final int value) throws IOException
        {
            ensure(4);
            buffer.putInt(value);
        }

        void putByte(final byte value) throws IOException
        {
            ensure(1);
            buffer.put(value);
        }

        void finish() throws IOException
        {
            flush();
            buffer.putInt((int)crc.getValue());
            buffer.flip();
            writeFully();
        }

        private void ensure(final int length) throws IOException
        {
            if (buffer.remaining() < length)
            {
                flush();
            }
        }

        private void flush() throws IOException
        {
            crc.update(buffer.array(), 0, buffer.position());
            buffer.flip();
            writeFully();
        }

        private void writeFully() throws IOException
        {
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }

    static final class Reader
    {
        private final ReadableByteChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private int crcPosition;
        private long consumedBeforeBuffer;
        private long expectedLength = HEADER_LENGTH;

        private int accountCount;
        private int transferCount;
        private int pendingCount;
        private int heapSize;
        private long lastTimestampNanos;
        private long clockNanos;

        Reader(final ReadableByteChannel channel)
        {
            this.channel = channel;
            buffer.limit(0);
        }

        void readHeader() throws IOException
        {
            ensure(VERSION_OFFSET + 4);
            final int start = buffer.position();
            final long magic = buffer.getLong(start);
            if (magic != MAGIC)
            {
                throw new LedgerSnapshotException(String.format(
                    "not a ledger snapshot: magic expected 0x%016x, found 0x%016x", MAGIC, magic));
            }
            final int version = buffer.getInt(start + VERSION_OFFSET);
            if (version != FORMAT_VERSION)
            {
                throw new LedgerSnapshotException(
                    "unsupported ledger snapshot format version: expected " + FORMAT_VERSION + ", found " + version);
            }
            ensure(HEADER_LENGTH);
            final CRC32C headerCrc = new CRC32C();
            headerCrc.update(buffer.array(), buffer.position(), HEADER_CRC_OFFSET);
            final int storedHeaderCrc = buffer.getInt(buffer.position() + HEADER_CRC_OFFSET);
            if (storedHeaderCrc != (int)headerCrc.getValue())
            {
                throw new LedgerSnapshotException(String.format(
                    "ledger snapshot header is damaged: CRC32C stored 0x%08x, computed 0x%08x",
                    storedHeaderCrc, (int)headerCrc.getValue()));
            }

            buffer.getLong();
            buffer.getInt();
            buffer.getInt();
            buffer.getInt();
            buffer.getInt();
            buffer.getInt();
            accountCount = buffer.getInt();
            transferCount = buffer.getInt();
            pendingCount = buffer.getInt();
            heapSize = buffer.getInt();
            lastTimestampNanos = buffer.getLong();
            clockNanos = buffer.getLong();
            buffer.getInt();
        }

        void expectBodyLength(final long bodyLength)
        {
            expectedLength = HEADER_LENGTH + bodyLength + 4;
        }

        int accountCount()
        {
            return accountCount;
        }

        int transferCount()
        {
            return transferCount;
        }

        int pendingCount()
        {
            return pendingCount;
        }

        int heapSize()
        {
            return heapSize;
        }

        long lastTimestampNanos()
        {
            return lastTimestampNanos;
        }

        long clockNanos()
        {
            return clockNanos;
        }

        long getLong() throws IOException
        {
            ensure(8);
            return buffer.getLong();
        }

        int getInt() throws IOException
        {
            ensure(4);
            return buffer.getInt();
        }

        byte getByte() throws IOException
        {
            ensure(1);
            return buffer.get();
        }

        void finish() throws IOException
        {
            crc.update(buffer.array(), crcPosition, buffer.position() - crcPosition);
            crcPosition = buffer.position();
            ensure(4);
            final int stored = buffer.getInt();
            final int computed = (int)crc.getValue();
            if (stored != computed)
            {
                throw new LedgerSnapshotException(String.format(
                    "ledger snapshot is damaged: CRC32C stored 0x%08x, computed 0x%08x over %d bytes",
                    stored, computed, expectedLength - 4));
            }
        }

        private void ensure(final int length) throws IOException
        {
            if (buffer.remaining() >= length)
            {
                return;
            }

            crc.update(buffer.array(), crcPosition, buffer.position() - crcPosition);
            consumedBeforeBuffer += buffer.position();
            buffer.compact();
            while (buffer.position() < length)
            {
                if (channel.read(buffer) < 0)
                {
                    final long found = consumedBeforeBuffer + buffer.position();
                    throw new LedgerSnapshotException("ledger snapshot is truncated: expected " +
                        (expectedLength == HEADER_LENGTH ? "at least " : "") + expectedLength + " bytes, found only " +
                        found);
                }
            }
            buffer.flip();
            crcPosition = 0;
        }
    }
}
