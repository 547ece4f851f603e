package io.paycore.service.serve;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupCollectionTest
{
    private static final int ARRAYS = 768;
    private static final int LONGS = 8 * 1024;
    private static final long LIVE_BYTES = (long)ARRAYS * LONGS * Long.BYTES;

    @Test
    void shouldLeaveWhatIsKeptForLifeOutOfTheYoungGeneration()
    {
        // 48 MiB in 64 KiB arrays, each small enough to be born in the young generation, as a ledger's are.
        final long[][] keptForLife = new long[ARRAYS][];
        for (int i = 0; i < ARRAYS; i++)
        {
            keptForLife[i] = new long[LONGS];
            keptForLife[i][LONGS - 1] = i;
        }

        final String line = StartupCollection.collect();

        assertTrue(StartupCollection.youngUsedBytes() < LIVE_BYTES / 2,
            () -> "young generation still holds " + StartupCollection.youngUsedBytes() + " bytes: " + line);
        assertTrue(line.matches("heap {8}\\d+ MB in use after a full collection at start \\(\\d+ ms\\), " +
            "young generation \\d+ MB"), line);
        long sum = 0;
        for (final long[] array : keptForLife)
        {
            sum += array[LONGS - 1];
        }
        assertEquals((long)ARRAYS * (ARRAYS - 1) / 2, sum);
    }

    @Test
    void shouldWarnWhenTheOldGenerationHasLessRoomThanTheYoungGenerationHolds()
    {
        assertEquals("", StartupCollection.youngOverOldWarning(1200L << 20, 256L << 20));
        assertEquals("", StartupCollection.youngOverOldWarning(Long.MAX_VALUE, 0));
        assertEquals("; warning: the old generation has 208 MB free, less than the young generation's 1194 MB, " +
            "so this collector will run the first young collection as a full one, a pause over the whole ledger, " +
            "whenever it comes: give the young generation less (-Xmn256m in PAYCORE_JAVA_OPTS, as bin/paycore gives " +
            "serve and node) or the ledger smaller limits",
            StartupCollection.youngOverOldWarning(208L << 20, 1194L << 20));
    }

    @Test
    void shouldWarnWhenLessThanATenthOfTheHeapIsLeft()
    {
        final long maxHeapBytes = 4000L << 20;

        assertEquals("heap        3600 MB in use after a full collection at start (12 ms), young generation 5 MB",
            StartupCollection.line(3600L << 20, maxHeapBytes, 12, 5L << 20));
        assertEquals("heap        3700 MB in use after a full collection at start (12 ms), young generation 5 MB; " +
            "warning: only 300 MB of this JVM's maximum heap of 4000 MB left for everything else, less than 10%: " +
            "give it a larger -Xmx (PAYCORE_JAVA_OPTS) or smaller limits before it runs out under load",
            StartupCollection.line(3700L << 20, maxHeapBytes, 12, 5L << 20));
    }
}
