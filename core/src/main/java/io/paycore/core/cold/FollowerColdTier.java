package io.paycore.core.cold;

import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;

import java.util.function.LongSupplier;

/**
 * A read-only view of a tier's store for a second ledger that applies the same history behind the tier's own (a
 * snapshotter's copy): it finds transfers with a reader of its own, on that ledger's thread; it writes nothing,
 * since the records that ledger seals are the first one's, which the tier writes; and it counts as written what the
 * tier has written. The ledger using it must never get ahead of the tier's, or it could seal records the tier has
 * not written yet.
 */
final class FollowerColdTier implements ColdTier
{
    private final LmdbColdStore store;
    private final LmdbColdStore.Reader reader;
    private final LongSupplier writtenRecords;

    /**
     * @param store          of the tier, forced by {@link #force()}.
     * @param reader         of the store for this view alone; closed by the tier.
     * @param writtenRecords the tier's written count, safe to read from the view's thread.
     */
    FollowerColdTier(final LmdbColdStore store, final LmdbColdStore.Reader reader, final LongSupplier writtenRecords)
    {
        this.store = store;
        this.reader = reader;
        this.writtenRecords = writtenRecords;
    }

    public boolean find(final long idHi, final long idLo, final long beforeRecord, final long[] into, final int offset)
    {
        return reader.find(idHi, idLo, beforeRecord, into, offset);
    }

    public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
    {
    }

    public void copyHighestId(final long[] into)
    {
        store.copyHighestIdNow(into);
    }

    public long writtenRecords()
    {
        return writtenRecords.getAsLong();
    }

    public void force()
    {
        store.force();
    }
}
