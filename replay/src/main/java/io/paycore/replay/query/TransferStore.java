package io.paycore.replay.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.paycore.core.ledger.LedgerChange;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Every transfer the ledger created, in timestamp order, 128 bytes each in TigerBeetle's layout, in files of
 * {@link #CHUNK_TRANSFERS} transfers mapped from a directory of the query engine's own: the history a query reads,
 * hot and cold alike, on disk rather than on the heap. A transfer's ordinal (its place in the order) names it.
 */
final class TransferStore implements AutoCloseable
{
    static final int LENGTH = 128;
    static final int ID = 0;
    static final int DEBIT_ACCOUNT_ID = 16;
    static final int CREDIT_ACCOUNT_ID = 32;
    static final int AMOUNT = 48;
    static final int PENDING_ID = 64;
    static final int USER_DATA_128 = 80;
    static final int USER_DATA_64 = 96;
    static final int USER_DATA_32 = 104;
    static final int TIMEOUT = 108;
    static final int LEDGER = 112;
    static final int CODE = 116;
    static final int FLAGS = 118;
    static final int TIMESTAMP = 120;

    static final int CHUNK_SHIFT = 19;
    static final int CHUNK_TRANSFERS = 1 << CHUNK_SHIFT;
    static final int CHUNK_MASK = CHUNK_TRANSFERS - 1;

    private final Path directory;
    private final List<MappedByteBuffer> mapped = new ArrayList<>();
    private final List<UnsafeBuffer> chunks = new ArrayList<>();
    private long count;

    TransferStore(final Path directory)
    {
        this.directory = directory;
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make the query store's directory " + directory + ": " + ex, ex);
        }
    }

    long count()
    {
        return count;
    }

    long append(final LedgerChange change)
    {
        final long ordinal = count;
        final int chunk = (int)(ordinal >>> CHUNK_SHIFT);
        if (chunk == chunks.size())
        {
            final Path file = directory.resolve(String.format("transfers-%05d.dat", chunk));
            final MappedByteBuffer buffer = IoUtil.mapNewFile(file.toFile(), (long)CHUNK_TRANSFERS * LENGTH, false);
            mapped.add(buffer);
            chunks.add(new UnsafeBuffer(buffer));
        }
        final UnsafeBuffer buffer = chunks.get(chunk);
        final int o = (int)(ordinal & CHUNK_MASK) * LENGTH;
        buffer.putLong(o + ID, change.transferIdLo(), LITTLE_ENDIAN);
        buffer.putLong(o + ID + 8, change.transferIdHi(), LITTLE_ENDIAN);
        buffer.putLong(o + DEBIT_ACCOUNT_ID, change.debitAccountIdLo(), LITTLE_ENDIAN);
        buffer.putLong(o + DEBIT_ACCOUNT_ID + 8, change.debitAccountIdHi(), LITTLE_ENDIAN);
        buffer.putLong(o + CREDIT_ACCOUNT_ID, change.creditAccountIdLo(), LITTLE_ENDIAN);
        buffer.putLong(o + CREDIT_ACCOUNT_ID + 8, change.creditAccountIdHi(), LITTLE_ENDIAN);
        buffer.putLong(o + AMOUNT, change.amountLo(), LITTLE_ENDIAN);
        buffer.putLong(o + AMOUNT + 8, change.amountHi(), LITTLE_ENDIAN);
        buffer.putLong(o + PENDING_ID, change.pendingIdLo(), LITTLE_ENDIAN);
        buffer.putLong(o + PENDING_ID + 8, change.pendingIdHi(), LITTLE_ENDIAN);
        buffer.putLong(o + USER_DATA_128, change.userData128Lo(), LITTLE_ENDIAN);
        buffer.putLong(o + USER_DATA_128 + 8, change.userData128Hi(), LITTLE_ENDIAN);
        buffer.putLong(o + USER_DATA_64, change.userData64(), LITTLE_ENDIAN);
        buffer.putInt(o + USER_DATA_32, (int)change.userData32(), LITTLE_ENDIAN);
        buffer.putInt(o + TIMEOUT, (int)change.timeoutSeconds(), LITTLE_ENDIAN);
        buffer.putInt(o + LEDGER, (int)change.ledger(), LITTLE_ENDIAN);
        buffer.putShort(o + CODE, (short)change.code(), LITTLE_ENDIAN);
        buffer.putShort(o + FLAGS, (short)change.flags(), LITTLE_ENDIAN);
        buffer.putLong(o + TIMESTAMP, change.transferTimestampNanos(), LITTLE_ENDIAN);
        count++;
        return ordinal;
    }

    /**
     * @param ordinal of a stored transfer.
     * @return the buffer holding it, for {@link #offset}.
     */
    UnsafeBuffer buffer(final long ordinal)
    {
        return chunks.get((int)(ordinal >>> CHUNK_SHIFT));
    }

    static int offset(final long ordinal)
    {
        return (int)(ordinal & CHUNK_MASK) * LENGTH;
    }

    long timestamp(final long ordinal)
    {
        return buffer(ordinal).getLong(offset(ordinal) + TIMESTAMP, LITTLE_ENDIAN);
    }

    long getLong(final long ordinal, final int field)
    {
        return buffer(ordinal).getLong(offset(ordinal) + field, LITTLE_ENDIAN);
    }

    long getUnsignedInt(final long ordinal, final int field)
    {
        return buffer(ordinal).getInt(offset(ordinal) + field, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    int getUnsignedShort(final long ordinal, final int field)
    {
        return buffer(ordinal).getShort(offset(ordinal) + field, LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * The first ordinal whose timestamp is at or above {@code timestamp}, or {@link #count()} if none.
     */
    long firstAtOrAfter(final long timestamp)
    {
        long low = 0;
        long high = count;
        while (low < high)
        {
            final long mid = (low + high) >>> 1;
            if (timestamp(mid) < timestamp)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    public void close()
    {
        for (final MappedByteBuffer buffer : mapped)
        {
            IoUtil.unmap(buffer);
        }
        mapped.clear();
        chunks.clear();
        IoUtil.delete(directory.toFile(), true);
    }
}
