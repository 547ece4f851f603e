package io.paycore.core.cold;

import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.UInt128;
import org.agrona.concurrent.Agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link ColdTier} in LMDB whose writer is an {@link Agent} of its own: the ledger only publishes how far it has
 * sealed, and the agent, on another thread, copies the sealed records out of the ledger's ring and writes them in
 * transactions of at most {@code maxRecordsPerWrite}. The ledger keeps every record the agent has not written in
 * its ring and index, so nothing is lost while it lags; the ledger's ring has room for only
 * {@code maxColdLagRecords} records beyond the hot window, so whatever feeds the ledger must wait, before each
 * command, until the records the agent has not written leave room for that command's (the pipeline's
 * {@code ColdTierGate}).
 * <p>
 * <b>Prefetch</b>: a stage ahead of the ledger (the pipeline's gate) reads, for each record, the stored values of
 * the ids it names into a bounded pool ({@link #prefetch}), and hands the ledger's thread the record's share of it
 * with the tier's written count as it saw it; the ledger's thread opens that share before it applies the record
 * ({@link #beginRecord}) and closes it after ({@link #endRecord}). Within a record, {@link #find} answers from the
 * share alone, so the ledger's thread reads no disk, and {@link #writtenRecords()} answers the count the prefetch
 * saw, so the ledger never drops from its index a record the prefetch could not have read. Outside a record (a
 * ledger fed without the gate) {@link #find} reads the store, and counts it ({@link #storeReadsOnLedgerThread()}).
 * <p>
 * A failed write (a full map) stops the agent; {@link #failure()} says why, and the ledger, finding the tier no
 * further on, stops trimming its window.
 * <p>
 * Threads: {@link #onSealed}, {@link #find}, {@link #writtenRecords()}, {@link #beginRecord} and {@link #endRecord}
 * on the ledger's thread; {@link #doWork()} on the agent's; {@link #prefetch}, {@link #hasPrefetchRoom} and
 * {@link #prefetchPosition()} on the prefetching stage's; {@link #writtenRecordsNow()} and {@link #failure()} from
 * any.
 */
public final class AsyncLmdbColdTier implements ColdTier, Agent, AutoCloseable
{
    private final Path directory;
    private final LmdbColdStore store;
    private final LmdbColdStore.Reader reader;
    private final int maxRecordsPerWrite;
    private final int minRecordsPerWrite;
    private final long maxWriteDelayNanos;
    private long firstWaitingNanos;
    private volatile Ledger ledger;
    private volatile long writtenRecords;
    private volatile ColdTierException failure;
    private long finds;
    private boolean closed;
    private boolean synchronous;
    private final List<LmdbColdStore.Reader> followerReaders = new ArrayList<>();

    private final int prefetchCapacity;
    private final long[] prefetchIdHis;
    private final long[] prefetchIdLos;
    private final long[] prefetchValues;
    private final LmdbColdStore.Reader prefetchReader;
    private long prefetchHead;
    private final long[] prefetchHighestId = new long[2];
    private boolean prefetchBatchOpen;
    private volatile long prefetchTail;

    private final long[] recordIdHis;
    private final long[] recordIdLos;
    private final int[] recordPositions;
    private final int[] recordStamps;
    private final int recordMask;
    private int recordStamp;
    private boolean inRecord;
    private long recordWrittenRecords;
    private long recordPoolStart;
    private int recordPoolCount;
    private long storeReadsOnLedgerThread;

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
        this(directory, mapSizeBytes, maxRecordsPerWrite, DEFAULT_PREFETCH_ENTRIES, 1, 0);
    }

    /**
     * Open the tier in a directory, creating both if absent. Its agent must be started by the caller.
     *
     * @param directory          of the tier's files.
     * @param mapSizeBytes       the most the tier may take on disk; a sparse file of that size is mapped.
     * @param maxRecordsPerWrite the most records in one transaction.
     * @param prefetchEntries    the most ids the prefetch pool holds at once (about 200 bytes each): at least the
     *                           ids one record names, twice the events of a batch.
     * @param minRecordsPerWrite the fewest records worth a transaction: fewer wait for more, up to
     *                           {@code maxWriteDelayNanos}. A transaction costs tens of microseconds of CPU whatever
     *                           it holds, which on a machine with few cores the stages feel.
     * @param maxWriteDelayNanos how long fewer than {@code minRecordsPerWrite} sealed records may wait.
     * @throws ColdTierException if the directory cannot be created or the environment cannot be opened.
     */
    public AsyncLmdbColdTier(
        final Path directory,
        final long mapSizeBytes,
        final int maxRecordsPerWrite,
        final int prefetchEntries,
        final int minRecordsPerWrite,
        final long maxWriteDelayNanos)
    {
        this(directory, mapSizeBytes, maxRecordsPerWrite, prefetchEntries, minRecordsPerWrite, maxWriteDelayNanos,
            false);
    }

    /**
     * Open the tier in a directory, creating both if absent. Its agent must be started by the caller.
     *
     * @param directory          of the tier's files.
     * @param mapSizeBytes       the most the tier may take on disk; a sparse file of that size is mapped.
     * @param maxRecordsPerWrite the most records in one transaction.
     * @param prefetchEntries    the most ids the prefetch pool holds at once.
     * @param minRecordsPerWrite the fewest records worth a transaction.
     * @param maxWriteDelayNanos how long fewer than {@code minRecordsPerWrite} sealed records may wait.
     * @param durable            force the data of each write, so a power loss may undo the last writes but never
     *                           damage the store; otherwise only {@link #force()} forces, and a power loss may
     *                           damage what was written since.
     * @throws ColdTierException if the directory cannot be created or the environment cannot be opened.
     */
    public AsyncLmdbColdTier(
        final Path directory,
        final long mapSizeBytes,
        final int maxRecordsPerWrite,
        final int prefetchEntries,
        final int minRecordsPerWrite,
        final long maxWriteDelayNanos,
        final boolean durable)
    {
        if (minRecordsPerWrite < 1 || minRecordsPerWrite > maxRecordsPerWrite)
        {
            throw new IllegalArgumentException("minRecordsPerWrite must be in [1, maxRecordsPerWrite = " +
                maxRecordsPerWrite + "] but was " + minRecordsPerWrite);
        }
        this.minRecordsPerWrite = minRecordsPerWrite;
        this.maxWriteDelayNanos = maxWriteDelayNanos;
        if (maxRecordsPerWrite < 1)
        {
            throw new IllegalArgumentException("maxRecordsPerWrite must be at least 1 but was " + maxRecordsPerWrite);
        }
        if (prefetchEntries < 1)
        {
            throw new IllegalArgumentException("prefetchEntries must be at least 1 but was " + prefetchEntries);
        }
        this.maxRecordsPerWrite = maxRecordsPerWrite;
        prefetchCapacity = prefetchEntries;
        prefetchIdHis = new long[prefetchEntries];
        prefetchIdLos = new long[prefetchEntries];
        prefetchValues = new long[prefetchEntries * LmdbColdStore.VALUE_LONGS];
        final int indexSlots = prefetchIndexSlots(prefetchEntries);
        recordIdHis = new long[indexSlots];
        recordIdLos = new long[indexSlots];
        recordPositions = new int[indexSlots];
        recordStamps = new int[indexSlots];
        recordMask = indexSlots - 1;
        this.directory = directory;
        store = new LmdbColdStore(directory, mapSizeBytes, durable, false);
        reader = store.reader();
        prefetchReader = store.reader();
        writtenRecords = store.openedWithRecords();
    }

    /**
     * Default size of the prefetch pool, in ids: enough for 32 full batches of 1,024 transfers.
     */
    public static final int DEFAULT_PREFETCH_ENTRIES = 1 << 16;

    /**
     * The heap a prefetch pool of this many ids takes: each id's value (its record and two longs more) and the
     * id itself, and an index of at least twice as many slots (id, position and stamp each).
     *
     * @param prefetchEntries the most ids the pool holds at once.
     * @return its arrays' bytes, allocated when the tier is made.
     */
    public static long prefetchHeapBytes(final int prefetchEntries)
    {
        return (long)prefetchEntries * (2 + LmdbColdStore.VALUE_LONGS) * Long.BYTES +
            (long)prefetchIndexSlots(prefetchEntries) * (2 * Long.BYTES + 2 * Integer.BYTES);
    }

    private static int prefetchIndexSlots(final int prefetchEntries)
    {
        return Integer.highestOneBit(Math.max(4, prefetchEntries) * 2 - 1) << 1;
    }

    public boolean find(
        final long idHi, final long idLo, final long beforeRecord, final long[] into, final int offset)
    {
        finds++;
        if (inRecord)
        {
            int slot = (int)mix(idHi, idLo) & recordMask;
            while (recordStamps[slot] == recordStamp)
            {
                if (recordIdLos[slot] == idLo && recordIdHis[slot] == idHi)
                {
                    final int position = recordPositions[slot];
                    return LmdbColdStore.copyVisible(
                        prefetchValues, position * LmdbColdStore.VALUE_LONGS, beforeRecord, into, offset);
                }
                slot = (slot + 1) & recordMask;
            }
            // The prefetch read every id the record names; this one is not stored.
            return false;
        }
        storeReadsOnLedgerThread++;
        return reader.find(idHi, idLo, beforeRecord, into, offset);
    }

    public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        if (synchronous)
        {
            writeNow(ledger, fromRecord, toRecord);
        }
        else if (this.ledger != ledger)
        {
            // The first seal, or a ledger restored from a snapshot in place of the one before: the records the
            // agent has not written are the same in both.
            this.ledger = ledger;
        }
    }

    /**
     * Write sealed records on the ledger's own thread as it seals them, instead of by the agent: how recovery
     * replays a journal before the pipeline (and the agent) start. Records the store holds already (it is ahead of
     * a ledger restored from an older snapshot) are checked against the ledger's rather than written again, so a
     * store of another history is refused. Switch off before the agent runs.
     *
     * @param synchronous true to write on the ledger's thread.
     * @return this.
     */
    public AsyncLmdbColdTier synchronous(final boolean synchronous)
    {
        this.synchronous = synchronous;
        return this;
    }

    /**
     * Check the hot window of the ledger about to use this tier against the one its records were numbered by, and
     * record it if the tier has none yet or holds no record. Ledger's thread, before any record is sealed.
     *
     * @param hotWindow the ledger's hot window (its {@code maxTransfers}).
     * @throws ColdTierException if the tier holds records numbered with another window (the message names it).
     */
    public void useHotWindow(final long hotWindow)
    {
        store.useHotWindow(hotWindow, writtenRecords, directory);
    }

    /**
     * Forget every record from {@code records} on, after a recovery whose journal ends before what this tier holds
     * (a power loss took the journal's tail, not the tier's): see {@link #recordsAhead(long)}. Ledger's thread,
     * before the agent runs.
     *
     * @param records the recovered ledger's {@link Ledger#sealedRecords()}: a record the ledger holds in memory
     *                that the tier holds too was sealed by the lost history, in its state.
     * @return the transfers deleted plus the resolutions undone.
     */
    public long discardFrom(final long records)
    {
        final long changed = store.truncate(records);
        if (writtenRecords > records)
        {
            writtenRecords = records;
        }
        return changed;
    }

    /**
     * @param records a recovered ledger's {@link Ledger#sealedRecords()}.
     * @return how many records this tier holds beyond it.
     */
    public long recordsAhead(final long records)
    {
        return Math.max(0, writtenRecords - records);
    }

    private void writeNow(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        writtenRecords = store.seal(ledger, fromRecord, toRecord, writtenRecords, reader, null);
    }

    public long writtenRecords()
    {
        return inRecord ? recordWrittenRecords : writtenRecords;
    }

    public void copyHighestId(final long[] into)
    {
        store.copyHighestIdNow(into);
    }

    /**
     * @return how many records the agent has written, now. Any thread.
     */
    public long writtenRecordsNow()
    {
        return writtenRecords;
    }

    /**
     * @param entries ids a record names.
     * @return true if the pool has room for that many more (prefetching stage's thread).
     * @throws IllegalArgumentException if the pool could never hold that many.
     */
    public boolean hasPrefetchRoom(final int entries)
    {
        if (entries > prefetchCapacity)
        {
            throw new IllegalArgumentException("a record names " + entries + " ids but the prefetch pool holds " +
                prefetchCapacity);
        }
        return prefetchHead - prefetchTail + entries <= prefetchCapacity;
    }

    /**
     * @return the most ids the prefetch pool holds at once.
     */
    public int prefetchCapacity()
    {
        return prefetchCapacity;
    }

    /**
     * @return where the next prefetched value goes in the pool: the start of the next record's share.
     */
    public long prefetchPosition()
    {
        return prefetchHead;
    }

    /**
     * Begin reading one record's ids, after reading the written count they go with: the reads until
     * {@link #endPrefetch()} share one read transaction (prefetching stage's thread).
     */
    public void beginPrefetch()
    {
        // Read after the caller read the written count its record goes with: no id above this one was among the
        // transfers written by then, so such ids are not read at all (new ids that only grow cost no read).
        store.copyHighestIdNow(prefetchHighestId);
        prefetchBatchOpen = false;
    }

    /**
     * End what {@link #beginPrefetch()} began (prefetching stage's thread).
     */
    public void endPrefetch()
    {
        if (prefetchBatchOpen)
        {
            prefetchBatchOpen = false;
            prefetchReader.endBatch();
        }
    }

    /**
     * Read the stored value of an id into the pool, if the store holds it (prefetching stage's thread), between
     * {@link #beginPrefetch()} and {@link #endPrefetch()}. Check {@link #hasPrefetchRoom} first.
     *
     * @param idHi high half of the id of a transfer a record names.
     * @param idLo low half of that id.
     */
    public void prefetch(final long idHi, final long idLo)
    {
        if (UInt128.compare(idHi, idLo, prefetchHighestId[0], prefetchHighestId[1]) > 0)
        {
            return;
        }
        if (!prefetchBatchOpen)
        {
            prefetchBatchOpen = true;
            prefetchReader.beginBatch();
        }
        final int position = (int)(prefetchHead % prefetchCapacity);
        if (prefetchReader.findRaw(idHi, idLo, prefetchValues, position * LmdbColdStore.VALUE_LONGS))
        {
            prefetchIdHis[position] = idHi;
            prefetchIdLos[position] = idLo;
            prefetchHead++;
        }
    }

    /**
     * Open a record's share of the pool before the ledger applies it (ledger's thread).
     *
     * @param writtenRecords the tier's written count when the share was read.
     * @param poolStart      {@link #prefetchPosition()} before the share was read.
     * @param poolCount      values in the share.
     */
    public void beginRecord(final long writtenRecords, final long poolStart, final int poolCount)
    {
        inRecord = true;
        recordWrittenRecords = writtenRecords;
        recordPoolStart = poolStart;
        recordPoolCount = poolCount;
        if (++recordStamp == 0)
        {
            Arrays.fill(recordStamps, 0);
            recordStamp = 1;
        }
        for (int i = 0; i < poolCount; i++)
        {
            final int position = (int)((poolStart + i) % prefetchCapacity);
            final long idHi = prefetchIdHis[position];
            final long idLo = prefetchIdLos[position];
            int slot = (int)mix(idHi, idLo) & recordMask;
            while (recordStamps[slot] == recordStamp && (recordIdLos[slot] != idLo || recordIdHis[slot] != idHi))
            {
                slot = (slot + 1) & recordMask;
            }
            recordStamps[slot] = recordStamp;
            recordIdHis[slot] = idHi;
            recordIdLos[slot] = idLo;
            recordPositions[slot] = position;
        }
    }

    /**
     * Close the record's share, freeing it for the prefetch (ledger's thread).
     */
    public void endRecord()
    {
        inRecord = false;
        prefetchTail = recordPoolStart + recordPoolCount;
    }

    /**
     * @return lookups that read the store on the ledger's thread, because no prefetched share was open.
     */
    public long storeReadsOnLedgerThread()
    {
        return storeReadsOnLedgerThread;
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
        if (sealed - written < minRecordsPerWrite)
        {
            final long nowNanos = System.nanoTime();
            if (0 == firstWaitingNanos)
            {
                firstWaitingNanos = nowNanos;
            }
            if (nowNanos - firstWaitingNanos < maxWriteDelayNanos)
            {
                return 0;
            }
        }
        firstWaitingNanos = 0;
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
     * A view of this tier for a second ledger that replays the same history behind the first (the snapshot agent's
     * copy): it finds transfers by reading the store, with a reader of its own, on the thread of that ledger; it
     * writes nothing, since the records that ledger seals are the first one's, which this tier's agent writes; and
     * its written count is the agent's. A ledger using it must never get ahead of the ledger this tier was made
     * for, or it could seal records faster than the agent writes them. Make it before the agent starts; it is
     * closed with this tier.
     *
     * @return the view.
     */
    public ColdTier follower()
    {
        final LmdbColdStore.Reader followerReader = store.reader();
        followerReaders.add(followerReader);
        return new FollowerColdTier(store, followerReader, () -> writtenRecords);
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
            prefetchReader.close();
            followerReaders.forEach(LmdbColdStore.Reader::close);
            store.close();
        }
    }

    private static long mix(final long idHi, final long idLo)
    {
        return (idLo * 0x9E37_79B9_7F4A_7C15L + idHi * 0xC2B2_AE3D_27D4_EB4FL) >>> 20;
    }
}
