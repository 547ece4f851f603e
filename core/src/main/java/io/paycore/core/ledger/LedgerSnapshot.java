package io.paycore.core.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * The ledger snapshot format, version 5 (protocol v2: 128-bit ids, amounts and balances), little-endian. It holds what
 * the ledger keeps in memory; transfer records older than {@code oldestHotRecord} belong to the cold tier, which must
 * be written at least that far for the snapshot to be whole (a ledger without a cold tier writes every record).
 * <pre>
 *   header (128 bytes)
 *     0  magic                      int64  {@link #MAGIC} ("PAYLEDGR")
 *     8  format version             int32  {@link #FORMAT_VERSION}
 *    12  maxAccounts                int32  the limits in force (Ledger#applyLimits): accounts,
 *    16  maxTransfers               int32  transfer records (0: no bound, a history with a cold tier)
 *    20  maxPendingTransfers        int32  and pending transfers
 *    24  maxBatchEvents             int32  the writer's, for information
 *    28  accountCount               int32  the reader's limits must hold these
 *    32  pendingCount               int32
 *    36  cold tier                  int32  1 if the ledger had one
 *    40  lastTimestampNanos         int64
 *    48  clockNanos                 int64
 *    56  transferCount              int64  transfers ever created
 *    64  recordCount                int64  transfer records ever written
 *    72  sealedRecords              int64  records below are sealed
 *    80  oldestHotRecord            int64  first record held in memory
 *    88  historyHash0               int64  the running history hash
 *    96  historyHash1               int64
 *   104  poolCount                  int32  pending transfers whose records are sealed
 *   108  lastTransferTimestampNanos int64  of the last transfer or expiry (imported transfers must pass it)
 *   116  stateRecords               int64  records that re-record a sealed pending transfer (0 in a snapshot
 *                                          written before 2026-12-08, when these bytes were reserved and zero)
 *   124  header CRC32C              int32  over bytes 0..123
 *   accounts   accountCount x 128 bytes                16 int64 each (Ledger.ACCOUNT_LONGS), in creation order
 *   records    (recordCount - oldestHotRecord) x 144   18 int64 each (Ledger.RECORD_LONGS), in record order
 *   pool       poolCount x 144 bytes                   copies of the sealed pending transfers, in pool order
 *   CRC32C     int32                                  over every byte before it
 * </pre>
 * Every 128-bit value of an account or record is two int64, low half first: a record's at the offsets of the
 * ledger's layout ({@code Ledger.R_*}), an account's in the canonical order of version 4 ({@code
 * Ledger.CANONICAL_ACCOUNT_ORDER}), whatever the ledger's own layout in memory. Version 4 is read too: it is version 5 with the writer's own limits at
 * 12..27, which were the limits in force, and its maxTransfers the hot window when it had a cold tier (no bound
 * then). Other versions are not read: a snapshot of another version is refused
 * with its version named, and the ledger is rebuilt by replaying the journal. Version 2 was the 64-bit ledger's
 * (64-byte accounts, 80-byte records); version 3 had version 4's fields with an account's balances after its id
 * (version 4 puts the four balances and the ledger, code and flags first, the part a transfer reads).
 * <p>
 * The expiry heap is rebuilt on reading; its order is that of (expiry, timestamp), whatever the slots.
 */
final class LedgerSnapshot
{
    static final long MAGIC = 0x524744454C594150L;
    static final int FORMAT_VERSION = 5;
    static final int PREVIOUS_FORMAT_VERSION = 4;
    static final int HEADER_LENGTH = 128;
    static final int VERSION_OFFSET = 8;
    private static final int HEADER_CRC_OFFSET = 124;
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
            final int accountLimit,
            final long transferLimit,
            final int pendingLimit,
            final int maxBatchEvents,
            final boolean coldTier,
            final int accountCount,
            final int pendingCount,
            final int poolCount,
            final long lastTimestampNanos,
            final long clockNanos,
            final long transferCount,
            final long recordCount,
            final long sealedRecords,
            final long oldestIndexedRecord,
            final long historyHash0,
            final long historyHash1,
            final long lastTransferTimestampNanos,
            final long stateRecords)
        {
            buffer.putLong(MAGIC)
                .putInt(FORMAT_VERSION)
                .putInt(accountLimit)
                .putInt(Ledger.UNBOUNDED_TRANSFERS == transferLimit ? 0 : (int)transferLimit)
                .putInt(pendingLimit)
                .putInt(maxBatchEvents)
                .putInt(accountCount)
                .putInt(pendingCount)
                .putInt(coldTier ? 1 : 0)
                .putLong(lastTimestampNanos)
                .putLong(clockNanos)
                .putLong(transferCount)
                .putLong(recordCount)
                .putLong(sealedRecords)
                .putLong(oldestIndexedRecord)
                .putLong(historyHash0)
                .putLong(historyHash1)
                .putInt(poolCount)
                .putLong(lastTransferTimestampNanos)
                .putLong(stateRecords);
            while (buffer.position() < HEADER_CRC_OFFSET)
            {
                buffer.put((byte)0);
            }
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
        private int pendingCount;
        private boolean hadColdTier;
        private long lastTimestampNanos;
        private long lastTransferTimestampNanos;
        private long clockNanos;
        private long transferCount;
        private long recordCount;
        private long sealedRecords;
        private long oldestIndexedRecord;
        private long historyHash0;
        private long historyHash1;
        private int poolCount;
        private long stateRecords;
        private int accountLimit;
        private long transferLimit;
        private int pendingLimit;

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
            if (version != FORMAT_VERSION && version != PREVIOUS_FORMAT_VERSION)
            {
                throw new LedgerSnapshotException(
                    "unsupported ledger snapshot format version: expected " + FORMAT_VERSION + " (or " +
                    PREVIOUS_FORMAT_VERSION + "), found " + version);
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

            final int header = buffer.position();
            accountCount = buffer.getInt(header + 28);
            pendingCount = buffer.getInt(header + 32);
            hadColdTier = buffer.getInt(header + 36) != 0;
            accountLimit = buffer.getInt(header + 12);
            final int transfers = buffer.getInt(header + 16);
            transferLimit = 0 == transfers || (PREVIOUS_FORMAT_VERSION == version && hadColdTier) ?
                Ledger.UNBOUNDED_TRANSFERS : transfers;
            pendingLimit = buffer.getInt(header + 20);
            lastTimestampNanos = buffer.getLong(header + 40);
            clockNanos = buffer.getLong(header + 48);
            transferCount = buffer.getLong(header + 56);
            recordCount = buffer.getLong(header + 64);
            sealedRecords = buffer.getLong(header + 72);
            oldestIndexedRecord = buffer.getLong(header + 80);
            historyHash0 = buffer.getLong(header + 88);
            historyHash1 = buffer.getLong(header + 96);
            poolCount = buffer.getInt(header + 104);
            lastTransferTimestampNanos = buffer.getLong(header + 108);
            stateRecords = buffer.getLong(header + 116);
            buffer.position(header + HEADER_LENGTH);
        }

        void expectBodyLength(final long bodyLength)
        {
            expectedLength = HEADER_LENGTH + bodyLength + 4;
        }

        int accountCount()
        {
            return accountCount;
        }

        long stateRecords()
        {
            return stateRecords;
        }

        int accountLimit()
        {
            return accountLimit;
        }

        long transferLimit()
        {
            return transferLimit;
        }

        int pendingLimit()
        {
            return pendingLimit;
        }

        int pendingCount()
        {
            return pendingCount;
        }

        boolean hadColdTier()
        {
            return hadColdTier;
        }

        long lastTimestampNanos()
        {
            return lastTimestampNanos;
        }

        long lastTransferTimestampNanos()
        {
            return lastTransferTimestampNanos;
        }

        long clockNanos()
        {
            return clockNanos;
        }

        long transferCount()
        {
            return transferCount;
        }

        long recordCount()
        {
            return recordCount;
        }

        long sealedRecords()
        {
            return sealedRecords;
        }

        long oldestIndexedRecord()
        {
            return oldestIndexedRecord;
        }

        long historyHash0()
        {
            return historyHash0;
        }

        long historyHash1()
        {
            return historyHash1;
        }

        int poolCount()
        {
            return poolCount;
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
