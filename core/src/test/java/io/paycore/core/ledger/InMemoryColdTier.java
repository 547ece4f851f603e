package io.paycore.core.ledger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A synchronous {@link ColdTier} in plain maps, for tests: it stores sealed records as the ledger seals them and
 * answers lookups with the version a ledger at a given record would see.
 */
final class InMemoryColdTier implements ColdTier
{
    /** By id, as the pair (hi, lo). */
    private final Map<List<Long>, long[]> creations = new HashMap<>();
    private final Map<List<Long>, long[]> resolutions = new HashMap<>();
    private long written;
    private long finds;

    public boolean find(final long idHi, final long idLo, final long beforeRecord, final long[] into, final int offset)
    {
        finds++;
        final List<Long> id = List.of(idHi, idLo);
        final long[] creation = creations.get(id);
        if (null == creation || creation[Ledger.R_CREATION_RECORD] >= beforeRecord)
        {
            return false;
        }
        System.arraycopy(creation, 0, into, offset, Ledger.RECORD_LONGS);
        final long[] resolution = resolutions.get(id);
        if (null != resolution && resolution[0] < beforeRecord)
        {
            final long extra = into[offset + Ledger.R_EXTRA];
            into[offset + Ledger.R_EXTRA] = (extra & ~(0xFFL << 32)) | ((resolution[1] & 0xFFL) << 32);
        }
        return true;
    }

    public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        if (fromRecord != written)
        {
            throw new IllegalStateException("sealed from " + fromRecord + " but " + written + " were written");
        }
        for (long number = fromRecord; number < toRecord; number++)
        {
            final long[] record = new long[Ledger.RECORD_LONGS];
            ledger.copySealedRecord(number, record, 0);
            final List<Long> id = List.of(record[Ledger.R_ID_HI], record[Ledger.R_ID_LO]);
            final long extra = record[Ledger.R_EXTRA];
            if (((extra >>> 40) & 0xFF) != Ledger.KIND_STATE)
            {
                if (null != creations.put(id, record))
                {
                    throw new IllegalStateException("transfer " + id + " created twice, again at record " + number);
                }
            }
            else
            {
                resolutions.put(id, new long[]{ number, (extra >>> 32) & 0xFF });
            }
        }
        written = toRecord;
    }

    public long writtenRecords()
    {
        return written;
    }

    public void copyHighestId(final long[] into)
    {
        into[0] = 0;
        into[1] = 0;
        for (final List<Long> id : creations.keySet())
        {
            if (UInt128.compare(id.get(0), id.get(1), into[0], into[1]) > 0)
            {
                into[0] = id.get(0);
                into[1] = id.get(1);
            }
        }
    }

    /**
     * @return how many lookups reached this tier.
     */
    long finds()
    {
        return finds;
    }
}
