package io.paycore.replay.feed;

import java.nio.file.Path;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;

/**
 * What a {@link ChangeFeed} follows, with what limits, and from when.
 */
public final class ChangeFeedContext
{
    /** Default size bound of the feed's temporary cold tier: a sparse map, only what is written takes disk. */
    public static final long COLD_TIER_SIZE_DEFAULT = 256L << 30;

    private DataDirectory directory;
    private LedgerLimits limits = new LedgerLimits();
    private long coldTierSizeBytes = COLD_TIER_SIZE_DEFAULT;
    private Path coldTierParent;
    private long fromTimestampNanos;

    /**
     * Check the context; fill in defaults.
     *
     * @return this.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public ChangeFeedContext conclude()
    {
        if (null == directory)
        {
            throw new IllegalArgumentException("no data directory given");
        }
        if (null == limits)
        {
            throw new IllegalArgumentException("no ledger limits given");
        }
        limits.validate();
        if (coldTierSizeBytes < 0)
        {
            throw new IllegalArgumentException("cold tier size must be >= 0: " + coldTierSizeBytes);
        }
        final String heapShortfall = limits.heapShortfall(coldTierSizeBytes > 0, 1, LedgerLimits.longLivedHeapBytes());
        if (null != heapShortfall)
        {
            throw new IllegalArgumentException(heapShortfall + ": " + LedgerLimits.HEAP_SHORTFALL_ADVICE);
        }
        if (fromTimestampNanos < 0)
        {
            throw new IllegalArgumentException("the start timestamp must be >= 0: " + fromTimestampNanos);
        }
        return this;
    }

    /**
     * @param directory whose journal to follow.
     * @return this.
     */
    public ChangeFeedContext directory(final DataDirectory directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * @return the data directory whose journal is followed.
     */
    public DataDirectory directory()
    {
        return directory;
    }

    /**
     * @param limits the ledger limits the service that wrote the journal runs with (default: the defaults).
     * @return this.
     */
    public ChangeFeedContext limits(final LedgerLimits limits)
    {
        this.limits = limits;
        return this;
    }

    /**
     * @return the ledger limits the journal is replayed with.
     */
    public LedgerLimits limits()
    {
        return limits;
    }

    /**
     * @param coldTierSizeBytes replay into a ledger that keeps the limits' hot window in memory and the rest in a
     *                          temporary cold tier of at most this many bytes, deleted on close, as the service does;
     *                          0 keeps every transfer in memory.
     * @return this.
     */
    public ChangeFeedContext coldTierSizeBytes(final long coldTierSizeBytes)
    {
        this.coldTierSizeBytes = coldTierSizeBytes;
        return this;
    }

    /**
     * @return the size bound of the temporary cold tier; 0 for none.
     */
    public long coldTierSizeBytes()
    {
        return coldTierSizeBytes;
    }

    /**
     * @param coldTierParent where the temporary cold tier is made; null (the default) for the system's temporary
     *                       directory.
     * @return this.
     */
    public ChangeFeedContext coldTierParent(final Path coldTierParent)
    {
        this.coldTierParent = coldTierParent;
        return this;
    }

    /**
     * @return where the temporary cold tier is made, or null.
     */
    public Path coldTierParent()
    {
        return coldTierParent;
    }

    /**
     * @param fromTimestampNanos hand on changes with this timestamp or a later one (default 0: every change). To
     *                           resume after a change already seen, pass its timestamp + 1.
     * @return this.
     */
    public ChangeFeedContext fromTimestampNanos(final long fromTimestampNanos)
    {
        this.fromTimestampNanos = fromTimestampNanos;
        return this;
    }

    /**
     * @return the first timestamp handed on.
     */
    public long fromTimestampNanos()
    {
        return fromTimestampNanos;
    }
}
