package io.paycore.core.cold;

import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;

import java.nio.file.Path;

/**
 * A {@link ColdTier} in LMDB that writes synchronously, in {@link #onSealed}, on the ledger's thread, and reads
 * from the store in {@link #find}: for offline tools and tests. See {@link LmdbColdStore} for what it stores, and
 * {@link AsyncLmdbColdTier} for the tier whose writer runs on a thread of its own.
 * <p>
 * Not thread safe: one ledger's thread.
 */
public final class LmdbColdTier implements ColdTier, AutoCloseable
{
    private final LmdbColdStore store;
    private final LmdbColdStore.Reader reader;
    private long writtenRecords;
    private long finds;
    private boolean closed;

    /**
     * Open the tier in a directory, creating both if absent.
     *
     * @param directory    of the tier's files.
     * @param mapSizeBytes the most the tier may take on disk; a sparse file of that size is mapped.
     * @throws ColdTierException if the directory cannot be created or the environment cannot be opened.
     */
    public LmdbColdTier(final Path directory, final long mapSizeBytes)
    {
        store = new LmdbColdStore(directory, mapSizeBytes);
        reader = store.reader();
        writtenRecords = store.openedWithRecords();
    }

    public boolean find(final long id, final long beforeRecord, final long[] into, final int offset)
    {
        finds++;
        return reader.find(id, beforeRecord, into, offset);
    }

    public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        if (fromRecord != writtenRecords)
        {
            throw new ColdTierException("the ledger sealed records from " + fromRecord + " but this cold tier holds " +
                writtenRecords + ": it belongs to another ledger or history");
        }
        store.write(ledger, fromRecord, toRecord);
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
        store.force();
    }

    /**
     * Force and close; a second call does nothing.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            reader.close();
            store.close();
        }
    }
}
