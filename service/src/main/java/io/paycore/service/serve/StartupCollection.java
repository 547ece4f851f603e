package io.paycore.service.serve;

import io.paycore.core.ledger.LedgerLimits;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.TimeUnit;

/**
 * One full collection after a process has allocated what it keeps for life (the ledger's records, accounts and
 * indexes, a snapshotter's copy of them) and before it takes traffic.
 * <p>
 * Why: the ledger's arrays smaller than the young generation are born there. Nothing on the hot path allocates, so
 * the first young collection comes whenever something else has filled the rest of it, maybe hours later, under
 * load, and it then copies every one of those arrays. With {@code bin/paycore}'s heap settings and the default
 * limits, {@code serve} started with 455 MiB of its 514 MiB eden in use, nearly all of it live ledger; a young
 * collection of that size took 0.4-0.5 s on this project's 2-core machine. Done here, the pause is part of
 * start-up, and the old generation holds the ledger from then on, as far as it has room: with the default heap of
 * {@code bin/paycore} and the default limits 75-80 MB stay young (the line returned says how much; the README has a
 * setting that leaves 5 MB).
 * <p>
 * Used by {@code serve} before its pipeline starts, and by a cluster member ({@code paycore node}) once its service
 * has built the ledger, before the member can join an election.
 * <p>
 * {@code -XX:+DisableExplicitGC} turns it into a no-op, for an operator who would rather not have it.
 */
public final class StartupCollection
{
    /**
     * Below this share of the maximum heap left free after the collection, the line warns: the limits fit the
     * heap's check at start ({@code LedgerLimits.heapShortfall}), which does not count everything else the process
     * allocates, and a service that runs out of heap later stops.
     */
    public static final int LOW_HEAP_PERCENT = 10;

    private StartupCollection()
    {
    }

    /**
     * Collect the whole heap now.
     *
     * @return a line for the operator: how long it took and how much of the heap is in use after it.
     */
    public static String collect()
    {
        final long startNanos = System.nanoTime();
        System.gc();
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        final long usedBytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        final long maxHeapBytes = Runtime.getRuntime().maxMemory();
        final long youngUsedBytes = youngUsedBytes();
        // With fixed generations the old one's maximum is what LedgerLimits counts the ledgers against, and the rest
        // of the heap is the young generation; with G1 the two are the same and there is no young share to compare.
        final long oldMaxBytes = LedgerLimits.longLivedHeapBytes();
        return line(usedBytes, maxHeapBytes, millis, youngUsedBytes) +
            youngOverOldWarning(oldMaxBytes - (usedBytes - youngUsedBytes), maxHeapBytes - oldMaxBytes);
    }

    /**
     * With a collector of fixed generations (ParallelGC, bin/paycore's, or SerialGC), a young collection that might
     * promote more than the old generation has free runs as a full collection instead. The start-up collection
     * promotes the ledger, which likely makes the collector expect a young collection to promote as much as the young
     * generation holds (not verified in the JVM's code): with less free in the old generation, the service's first
     * young collection, whenever its rare allocations fill the young generation, is then a full one, a pause over
     * every ledger array. Seen 2026-12-06: with {@code bin/paycore}'s heap of then and the default limits, 208 MB
     * free against a young generation of 910 MB (the heap's maximum less the old generation's); the same proportions
     * in a test program ran every later collection as {@code Pause Full (Ergonomics)}, and with {@code -Xmn256m} as
     * young collections of 3-15 ms.
     *
     * @param oldFreeBytes       the old generation's room left, at its maximum size.
     * @param youngCapacityBytes the young generation's maximum size; 0 for a collector without fixed generations.
     * @return a warning to end the start-up line with, or an empty string.
     */
    static String youngOverOldWarning(final long oldFreeBytes, final long youngCapacityBytes)
    {
        if (youngCapacityBytes <= 0 || oldFreeBytes >= youngCapacityBytes)
        {
            return "";
        }
        return "; warning: the old generation has " + (Math.max(0, oldFreeBytes) >> 20) + " MB free, less than the " +
            "young generation's " + (youngCapacityBytes >> 20) + " MB, so this collector will run the first young " +
            "collection as a full one, a pause over the whole ledger, whenever it comes: give the young generation " +
            "less (-Xmn256m in PAYCORE_JAVA_OPTS, as bin/paycore gives serve and node) or the ledger smaller limits";
    }

    /**
     * @param usedBytes      heap in use after the collection.
     * @param maxHeapBytes   the JVM's maximum heap.
     * @param millis         how long the collection took.
     * @param youngUsedBytes heap in use in the young generation after it.
     * @return the line {@link #collect()} returns: with a warning at its end when less than
     * {@value #LOW_HEAP_PERCENT}% of the maximum heap is left.
     */
    static String line(final long usedBytes, final long maxHeapBytes, final long millis, final long youngUsedBytes)
    {
        final String line = "heap        " + (usedBytes >> 20) + " MB in use after a full collection at start (" +
            millis + " ms), young generation " + (youngUsedBytes >> 20) + " MB";
        final long freeBytes = maxHeapBytes - usedBytes;
        if (freeBytes * 100 >= maxHeapBytes * LOW_HEAP_PERCENT)
        {
            return line;
        }
        return line + "; warning: only " + (Math.max(0, freeBytes) >> 20) + " MB of this JVM's maximum heap of " +
            (maxHeapBytes >> 20) + " MB left for everything else, less than " + LOW_HEAP_PERCENT + "%: give it a " +
            "larger -Xmx (PAYCORE_JAVA_OPTS) or smaller limits before it runs out under load";
    }

    /**
     * @return bytes in use in the heap's young-generation pools (eden and survivor spaces), as the JVM names them.
     */
    static long youngUsedBytes()
    {
        long used = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Eden") || name.contains("Survivor")))
            {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
