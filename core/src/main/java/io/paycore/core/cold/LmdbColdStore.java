package io.paycore.core.cold;

import io.paycore.core.ledger.Ledger;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cold tier's store: an LMDB environment (lmdbjava) in a directory of its own, holding every transfer a ledger
 * sealed, under its id, with the state it was sealed in and its later resolution, if any; and how many records it
 * holds.
 * <p>
 * Each value is {@value #VALUE_LONGS} longs: the record as sealed ({@link Ledger#RECORD_LONGS} longs), then the
 * number of the record that resolved a pending transfer after it was sealed (-1 for none) and the state it
 * resolved to. Commits are not forced ({@code MDB_NOSYNC}); {@link #force()} forces everything written, which must
 * happen before a snapshot names the store's records as written. The environment's map size bounds its size on
 * disk: a write that finds it full fails with {@link ColdTierFullException} and keeps nothing; any other failure
 * of the store fails with a {@link ColdTierException}, and keeps nothing either.
 * <p>
 * One thread writes ({@link #write}); one thread reads through {@link Reader}s of its own: LMDB readers do not
 * block the writer.
 */
final class LmdbColdStore implements AutoCloseable
{
    static final int VALUE_LONGS = Ledger.RECORD_LONGS + 2;

    private static final int RESOLVED_AT = Ledger.RECORD_LONGS;
    private static final int RESOLVED_STATE = Ledger.RECORD_LONGS + 1;
    private static final long WRITTEN_KEY = 1;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> transfers;
    private final Dbi<ByteBuffer> meta;
    private final long mapSizeBytes;
    private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer value = ByteBuffer.allocateDirect(VALUE_LONGS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final long[] record = new long[Ledger.RECORD_LONGS];
    private final long openedWithRecords;

    LmdbColdStore(final Path directory, final long mapSizeBytes)
    {
        this.mapSizeBytes = mapSizeBytes;
        try
        {
            Files.createDirectories(directory);
            env = Env.create()
                .setMapSize(mapSizeBytes)
                .setMaxDbs(2)
                .setMaxReaders(16)
                .open(directory.toFile(), EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NORDAHEAD, EnvFlags.MDB_NOTLS);
        }
        catch (final IOException | LmdbException ex)
        {
            throw new ColdTierException("cannot open the cold tier in " + directory + ": " + ex.getMessage(), ex);
        }
        transfers = env.openDbi("transfers", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
        meta = env.openDbi("meta", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
        try (Txn<ByteBuffer> txn = env.txnRead())
        {
            key.clear();
            key.putLong(0, WRITTEN_KEY);
            final ByteBuffer found = meta.get(txn, key);
            openedWithRecords = null == found ? 0 : found.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        }
    }

    /**
     * @return the number of records the store held when it was opened.
     */
    long openedWithRecords()
    {
        return openedWithRecords;
    }

    /**
     * Store sealed records {@code [fromRecord, toRecord)} of a ledger in one transaction, and the new count.
     *
     * @throws ColdTierFullException if the map is full; nothing of the write is kept.
     * @throws ColdTierException     if a record resolves a transfer the store does not hold.
     */
    void write(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        try (Txn<ByteBuffer> txn = env.txnWrite())
        {
            for (long number = fromRecord; number < toRecord; number++)
            {
                ledger.copySealedRecord(number, record, 0);
                key.clear();
                key.putLong(0, record[Ledger.R_ID]);
                final int kind = (int)(record[Ledger.R_EXTRA] >>> 40) & 0xFF;
                value.clear();
                if (Ledger.KIND_CREATION == kind)
                {
                    for (int k = 0; k < Ledger.RECORD_LONGS; k++)
                    {
                        value.putLong(k * Long.BYTES, record[k]);
                    }
                    value.putLong(RESOLVED_AT * Long.BYTES, -1);
                    value.putLong(RESOLVED_STATE * Long.BYTES, 0);
                }
                else
                {
                    final ByteBuffer found = transfers.get(txn, key);
                    if (null == found)
                    {
                        throw new ColdTierException("record " + number + " resolves transfer " +
                            record[Ledger.R_ID] + ", which the cold tier does not hold");
                    }
                    found.order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < Ledger.RECORD_LONGS; k++)
                    {
                        value.putLong(k * Long.BYTES, found.getLong(k * Long.BYTES));
                    }
                    value.putLong(RESOLVED_AT * Long.BYTES, number);
                    value.putLong(RESOLVED_STATE * Long.BYTES, (record[Ledger.R_EXTRA] >>> 32) & 0xFF);
                }
                transfers.put(txn, key, value);
            }
            key.clear();
            key.putLong(0, WRITTEN_KEY);
            value.clear();
            value.putLong(0, toRecord);
            value.limit(Long.BYTES);
            meta.put(txn, key, value);
            txn.commit();
        }
        catch (final Env.MapFullException ex)
        {
            throw new ColdTierFullException("the cold tier is full (" + mapSizeBytes + " bytes): records " +
                fromRecord + " to " + (toRecord - 1) + " were not written", ex);
        }
        catch (final LmdbException ex)
        {
            throw new ColdTierException("the cold tier could not write records " + fromRecord + " to " +
                (toRecord - 1) + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Copy a transfer's record out of its stored value as a ledger whose own records start at {@code beforeRecord}
     * sees it: not at all if it was created at or after that record (a store left ahead of the ledger), and with
     * the state of a later resolution only if that came before it.
     *
     * @return false if the transfer is not visible to such a ledger.
     */
    static boolean copyVisible(
        final long[] value, final int valueOffset, final long beforeRecord, final long[] into, final int offset)
    {
        if (value[valueOffset + Ledger.R_CREATION_RECORD] >= beforeRecord)
        {
            return false;
        }
        System.arraycopy(value, valueOffset, into, offset, Ledger.RECORD_LONGS);
        final long resolvedAt = value[valueOffset + RESOLVED_AT];
        if (resolvedAt >= 0 && resolvedAt < beforeRecord)
        {
            final long extra = into[offset + Ledger.R_EXTRA];
            into[offset + Ledger.R_EXTRA] = (extra & ~(0xFFL << 32)) | ((value[valueOffset + RESOLVED_STATE] & 0xFF) << 32);
        }
        return true;
    }

    /**
     * @return a reader for one thread.
     */
    Reader reader()
    {
        return new Reader();
    }

    /**
     * Force everything written to disk.
     */
    void force()
    {
        env.sync(true);
    }

    public void close()
    {
        if (!env.isClosed())
        {
            env.sync(true);
            env.close();
        }
    }

    /**
     * Reads of the store by one thread, in a read transaction renewed per lookup.
     */
    final class Reader implements AutoCloseable
    {
        private final Txn<ByteBuffer> txn = env.txnRead();
        private final ByteBuffer readKey = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        private final long[] value = new long[VALUE_LONGS];

        private Reader()
        {
            txn.reset();
        }

        /**
         * @see io.paycore.core.ledger.ColdTier#find(long, long, long[], int)
         */
        boolean find(final long id, final long beforeRecord, final long[] into, final int offset)
        {
            return findRaw(id, value, 0) && copyVisible(value, 0, beforeRecord, into, offset);
        }

        /**
         * Copy the stored value of a transfer, {@link #VALUE_LONGS} longs, whatever record numbers it names.
         *
         * @return false if the store holds no transfer with that id.
         */
        boolean findRaw(final long id, final long[] into, final int offset)
        {
            txn.renew();
            try
            {
                readKey.clear();
                readKey.putLong(0, id);
                final ByteBuffer found = transfers.get(txn, readKey);
                if (null == found)
                {
                    return false;
                }
                found.order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < VALUE_LONGS; k++)
                {
                    into[offset + k] = found.getLong(k * Long.BYTES);
                }
                return true;
            }
            finally
            {
                txn.reset();
            }
        }

        public void close()
        {
            txn.close();
        }
    }
}
