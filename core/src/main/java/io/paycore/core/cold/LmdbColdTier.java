package io.paycore.core.cold;

import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link ColdTier} in an LMDB environment (lmdbjava) in a directory of its own: every transfer the ledger sealed,
 * under its id, with the state it was sealed in and its later resolution, if any; and how many records it holds.
 * <p>
 * This tier writes synchronously, in {@link #onSealed}, on the ledger's thread, and reads from the store in
 * {@link #find}: for offline tools and tests. The service's tier writes from an agent of its own and reads what a
 * prefetch stage loaded; that is not built yet.
 * <p>
 * Each value is {@value #VALUE_LONGS} longs: the record as sealed ({@link Ledger#RECORD_LONGS} longs), then the
 * number of the record that resolved a pending transfer after it was sealed (-1 for none) and the state it
 * resolved to. Commits are not forced ({@code MDB_NOSYNC}); {@link #force()} forces everything written, which must
 * happen before a snapshot names this tier's records as written. The environment's map size bounds its size on
 * disk: when it is full a write fails with {@link ColdTierFullException} and nothing of that write is kept.
 * <p>
 * Not thread safe: one ledger's thread.
 */
public final class LmdbColdTier implements ColdTier, AutoCloseable
{
    /**
     * Longs per stored value.
     */
    public static final int VALUE_LONGS = Ledger.RECORD_LONGS + 2;

    private static final int RESOLVED_AT = Ledger.RECORD_LONGS;
    private static final int RESOLVED_STATE = Ledger.RECORD_LONGS + 1;
    private static final long WRITTEN_KEY = 1;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> transfers;
    private final Dbi<ByteBuffer> meta;
    private final Txn<ByteBuffer> readTxn;
    private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer value = ByteBuffer.allocateDirect(VALUE_LONGS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final long[] record = new long[Ledger.RECORD_LONGS];
    private final long mapSizeBytes;
    private long writtenRecords;
    private long finds;

    /**
     * Open the tier in a directory, creating both if absent.
     *
     * @param directory    of the tier's files.
     * @param mapSizeBytes the most the tier may take on disk; a sparse file of that size is mapped.
     * @throws ColdTierException if the directory cannot be created or the environment cannot be opened.
     */
    public LmdbColdTier(final Path directory, final long mapSizeBytes)
    {
        this.mapSizeBytes = mapSizeBytes;
        try
        {
            Files.createDirectories(directory);
            env = Env.create()
                .setMapSize(mapSizeBytes)
                .setMaxDbs(2)
                .setMaxReaders(8)
                .open(directory.toFile(), EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NORDAHEAD, EnvFlags.MDB_NOTLS);
        }
        catch (final java.io.IOException | LmdbException ex)
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
            writtenRecords = null == found ? 0 : found.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        }
        readTxn = env.txnRead();
        readTxn.reset();
    }

    public boolean find(final long id, final long beforeRecord, final long[] into, final int offset)
    {
        finds++;
        readTxn.renew();
        try
        {
            key.clear();
            key.putLong(0, id);
            final ByteBuffer found = transfers.get(readTxn, key);
            if (null == found)
            {
                return false;
            }
            found.order(ByteOrder.LITTLE_ENDIAN);
            if (found.getLong(Ledger.R_CREATION_RECORD * Long.BYTES) >= beforeRecord)
            {
                // Created by a record this ledger has not reached (a tier left ahead of it).
                return false;
            }
            for (int k = 0; k < Ledger.RECORD_LONGS; k++)
            {
                into[offset + k] = found.getLong(k * Long.BYTES);
            }
            final long resolvedAt = found.getLong(RESOLVED_AT * Long.BYTES);
            if (resolvedAt >= 0 && resolvedAt < beforeRecord)
            {
                final long extra = into[offset + Ledger.R_EXTRA];
                into[offset + Ledger.R_EXTRA] = (extra & ~(0xFFL << 32)) |
                    ((found.getLong(RESOLVED_STATE * Long.BYTES) & 0xFF) << 32);
            }
            return true;
        }
        finally
        {
            readTxn.reset();
        }
    }

    public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        if (fromRecord != writtenRecords)
        {
            throw new ColdTierException("the ledger sealed records from " + fromRecord + " but this cold tier holds " +
                writtenRecords + ": it belongs to another ledger or history");
        }
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
                            record[Ledger.R_ID] + ", which this cold tier does not hold");
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
        writtenRecords = toRecord;
    }

    public long writtenRecords()
    {
        return writtenRecords;
    }

    /**
     * @return lookups made of this tier since it was opened.
     */
    public long finds()
    {
        return finds;
    }

    /**
     * Force everything written to disk.
     */
    public void force()
    {
        env.sync(true);
    }

    /**
     * Force and close; a second call does nothing.
     */
    public void close()
    {
        if (!env.isClosed())
        {
            readTxn.close();
            env.sync(true);
            env.close();
        }
    }
}
