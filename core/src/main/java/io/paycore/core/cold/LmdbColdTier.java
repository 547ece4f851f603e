package io.paycore.core.cold;

import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.UInt128;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ColdTier} in LMDB that writes synchronously, in {@link #onSealed}, on the ledger's thread, and reads
 * from the store in {@link #find}: for offline tools and tests. See {@link LmdbColdStore} for what it stores, and
 * {@link AsyncLmdbColdTier} for the tier whose writer runs on a thread of its own.
 * <p>
 * A tier may lie over a <em>base</em>: another tier's directory, opened read only. The base answers for what this
 * tier does not hold, and counts as written as far as it goes (the tier itself starts empty): how an audit replays from
 * a service's snapshot, which needs the service's tier, without writing into it. Records the tier (or its base) holds
 * already, because it is ahead of a ledger restored from an older snapshot, are checked against the ledger's as it
 * seals them rather than written again, so a tier of another history is refused.
 * <p>
 * Not thread safe: one ledger's thread, but for {@link #follower()} views, each of which one other thread may use.
 */
public final class LmdbColdTier implements ColdTier, AutoCloseable
{
    private final Path directory;
    private final LmdbColdStore store;
    private final LmdbColdStore.Reader reader;
    private final LmdbColdStore base;
    private final LmdbColdStore.Reader baseReader;
    private final long[] value = new long[LmdbColdStore.VALUE_LONGS];
    private final List<LmdbColdStore.Reader> followerReaders = new ArrayList<>();
    private volatile long writtenRecords;
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
        this(directory, mapSizeBytes, null);
    }

    /**
     * Open the tier in a directory, creating both if absent, over a base tier opened read only.
     *
     * @param directory     of the tier's files.
     * @param mapSizeBytes  the most the tier may take on disk; a sparse file of that size is mapped.
     * @param baseDirectory of another tier to read beneath this one, never written; or null for none.
     * @throws ColdTierException if a directory cannot be created or an environment cannot be opened, or the base
     *                           holds no tier.
     */
    public LmdbColdTier(final Path directory, final long mapSizeBytes, final Path baseDirectory)
    {
        this(directory, mapSizeBytes, baseDirectory, false);
    }

    /**
     * Open the tier in a directory, creating both if absent, over a base tier opened read only.
     *
     * @param directory     of the tier's files.
     * @param mapSizeBytes  the most the tier may take on disk; a sparse file of that size is mapped.
     * @param baseDirectory of another tier to read beneath this one, never written; or null for none.
     * @param durable       force the data of each write, so a power loss may undo the last writes but never damage
     *                      the store; otherwise only {@link #force()} forces.
     * @throws ColdTierException if a directory cannot be created or an environment cannot be opened, or the base
     *                           holds no tier.
     */
    public LmdbColdTier(
        final Path directory, final long mapSizeBytes, final Path baseDirectory, final boolean durable)
    {
        this.directory = directory;
        base = null == baseDirectory ? null : LmdbColdStore.openReadOnly(baseDirectory);
        try
        {
            store = new LmdbColdStore(directory, mapSizeBytes, durable, false);
        }
        catch (final RuntimeException ex)
        {
            if (null != base)
            {
                base.close();
            }
            throw ex;
        }
        if (null != base && store.openedWithRecords() > 0)
        {
            store.close();
            base.close();
            throw new ColdTierException("a cold tier over a base must start empty, but " + directory + " holds " +
                store.openedWithRecords() + " records");
        }
        reader = store.reader();
        baseReader = null == base ? null : base.reader();
        writtenRecords = Math.max(store.openedWithRecords(), null == base ? 0 : base.openedWithRecords());
    }

    public boolean find(
        final long idHi, final long idLo, final long beforeRecord, final long[] into, final int offset)
    {
        finds++;
        if (reader.findRaw(idHi, idLo, value, 0))
        {
            return LmdbColdStore.copyVisible(value, 0, beforeRecord, into, offset);
        }
        return null != baseReader && baseReader.find(idHi, idLo, beforeRecord, into, offset);
    }

    public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        writtenRecords = store.seal(
            ledger, fromRecord, toRecord, writtenRecords, null == base ? reader : baseReader, baseReader);
    }

    public long writtenRecords()
    {
        return writtenRecords;
    }

    public void copyHighestId(final long[] into)
    {
        store.copyHighestIdNow(into);
        if (null != base)
        {
            final long hi = into[0];
            final long lo = into[1];
            base.copyHighestIdNow(into);
            if (UInt128.compare(hi, lo, into[0], into[1]) > 0)
            {
                into[0] = hi;
                into[1] = lo;
            }
        }
    }

    /**
     * Check the hot window of the ledger about to use this tier against the one its records were numbered by, and
     * record it if the tier has none yet or holds no record; see {@link AsyncLmdbColdTier#useHotWindow(long)}.
     *
     * @param hotWindow the ledger's hot window (its {@code maxTransfers}).
     * @throws ColdTierException if the tier holds records numbered with another window (the message names it).
     */
    public void useHotWindow(final long hotWindow)
    {
        store.useHotWindow(hotWindow, writtenRecords, directory);
    }

    /**
     * @return lookups made of this tier since it was opened.
     */
    public long finds()
    {
        return finds;
    }

    /**
     * A read-only view of this tier for a copy of the ledger on another thread that applies the same records behind
     * this tier's ledger, as a snapshotter's does: it finds what this tier holds, writes nothing (this tier's
     * ledger has written what the copy seals by the time the copy seals it), and counts as written what this tier
     * has. Make it on the ledger's thread; it is closed with this tier. Not for a tier over a base.
     *
     * @return the view, for one thread.
     */
    public ColdTier follower()
    {
        if (null != base)
        {
            throw new IllegalStateException("a tier over a base has no follower view");
        }
        final LmdbColdStore.Reader followerReader = store.reader();
        followerReaders.add(followerReader);
        return new FollowerColdTier(store, followerReader, () -> writtenRecords);
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
            followerReaders.forEach(LmdbColdStore.Reader::close);
            store.close();
            if (null != base)
            {
                baseReader.close();
                base.close();
            }
        }
    }
}
