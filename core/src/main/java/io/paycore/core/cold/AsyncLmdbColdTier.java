package io.paycore.core.cold;

import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import org.agrona.concurrent.Agent;

import java.nio.file.Path;

/**
 * A {@link ColdTier} in LMDB whose writer is an {@link Agent} of its own: the ledger only publishes how far it has
 * sealed, and the agent, on another thread, copies the sealed records out of the ledger's ring and writes them in
 * transactions of at most {@code maxRecordsPerWrite}. The ledger keeps every record the agent has not written in
 * its ring and index, so nothing is lost while it lags; the ledger's ring has room for only
 * {@code 2 * maxBatchEvents} records beyond the hot window, so whatever feeds the ledger must wait, before each
 * command, until {@link #writtenRecords()} has reached the ledger's {@link Ledger#sealedRecords()}.
 * <p>
 * Lookups read the store on the ledger's thread for now: a stage that loads them ahead of the ledger is still to
 * come. A failed write (a full map) stops the agent; {@link #failure()} says why, and the ledger, finding the tier
 * no further on, stops trimming its window.
 * <p>
 * Threads: {@link #onSealed}, {@link #find} and {@link #writtenRecords()} on the ledger's thread; {@link #doWork()}
 * on the agent's; {@link #writtenRecords()} and {@link #failure()} from any.
 */
public final class AsyncLmdbColdTier implements ColdTier, Agent, AutoCloseable
{
    private final LmdbColdStore store;
    private final LmdbColdStore.Reader reader;
    private final int maxRecordsPerWrite;
    private volatile Ledger ledger;
    private volatile long writtenRecords;
    private volatile ColdTierException failure;
    private long finds;
    private boolean closed;

    /**
     * Open the tier in a directory, creating both if absent. Its agent must be started by the caller.
     *
     * @param directory          of the tier's files.
     * @param mapSizeBytes       the most the tier may take on disk; a sparse file of that size is mapped.
     * @param maxRecordsPerWrite the most records in one transaction.
     * @throws ColdTierException if the directory cannot be created or the environment cannot be opened.
     */
    public AsyncLmdbColdTier(final Path directory, final long mapSizeBytes, final int maxRecordsPerWrite)
    {
        if (maxRecordsPerWrite < 1)
        {
            throw new IllegalArgumentException("maxRecordsPerWrite must be at least 1 but was " + maxRecordsPerWrite);
        }
        this.maxRecordsPerWrite = maxRecordsPerWrite;
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
        if (this.ledger != ledger)
        {
            // The first seal, or a ledger restored from a snapshot in place of the one before: the records the
            // agent has not written are the same in both.
            this.ledger = ledger;
        }
    }

    public long writtenRecords()
    {
        return writtenRecords;
    }

    /**
     * @return why the agent stopped writing, or null while it has not.
     */
    public ColdTierException failure()
    {
        return failure;
    }

    /**
     * @return lookups made of this tier since it was opened (ledger's thread).
     */
    public long finds()
    {
        return finds;
    }

    public int doWork()
    {
        final Ledger ledger = this.ledger;
        if (null == ledger || null != failure)
        {
            return 0;
        }
        final long written = writtenRecords;
        final long sealed = ledger.sealedRecords();
        if (written >= sealed)
        {
            return 0;
        }
        final long to = Math.min(sealed, written + maxRecordsPerWrite);
        try
        {
            store.write(ledger, written, to);
        }
        catch (final ColdTierException ex)
        {
            failure = ex;
            return 0;
        }
        writtenRecords = to;
        return (int)(to - written);
    }

    public String roleName()
    {
        return "paycore-cold-writer";
    }

    /**
     * Force everything written to disk. Any thread.
     */
    public void force()
    {
        store.force();
    }

    /**
     * Force and close, after the agent has stopped; a second call does nothing.
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
