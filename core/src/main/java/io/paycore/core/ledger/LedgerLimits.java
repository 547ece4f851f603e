package io.paycore.core.ledger;

import io.paycore.codec.ProtocolLimits;
import io.paycore.journal.PropertyValues;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * The bounds of a {@link Ledger}. All of the ledger's storage is allocated from these at construction and never
 * grows, so a command never allocates and a full ledger answers a result code ({@code ACCOUNTS_FULL},
 * {@code TRANSFERS_FULL}, {@code PENDING_TRANSFERS_FULL}) instead of resizing.
 * <p>
 * Each limit defaults from a system property ({@code *_PROP_NAME}) and then from a constant ({@code *_DEFAULT}).
 * Memory, on the Java heap, is about:
 * <ul>
 *     <li>{@value Ledger#ACCOUNT_BYTES} bytes per account (two cache lines, TigerBeetle's Account) plus 27 to 53
 *     bytes of id index (8-byte slots, a power of two of them, at most 30% in use);</li>
 *     <li>{@value Ledger#TRANSFER_BYTES} bytes per transfer record kept in memory, plus 27 to 53 bytes of id index
 *     4 of expiry-heap position and 4 of ascending index; with a cold tier, {@code maxTransfers +
 *     maxColdLagRecords} records;</li>
 *     <li>12 bytes per pending transfer (expiry heap);</li>
 *     <li>a few bytes per batch event (results).</li>
 * </ul>
 * With the defaults and no cold tier that is about 160 MiB for accounts, 736 MiB for transfers and 12 MiB for
 * pending transfers.
 * <p>
 * Not thread safe; configure before handing to {@link Ledger#Ledger(LedgerLimits)}.
 */
public final class LedgerLimits
{
    /**
     * System property naming the maximum number of accounts.
     */
    public static final String MAX_ACCOUNTS_PROP_NAME = "paycore.ledger.max.accounts";

    /**
     * Default maximum number of accounts.
     */
    public static final int MAX_ACCOUNTS_DEFAULT = 1 << 20;

    /**
     * System property naming the maximum number of retained transfers (all kinds, including posts and voids).
     */
    public static final String MAX_TRANSFERS_PROP_NAME = "paycore.ledger.max.transfers";

    /**
     * Default maximum number of retained transfers.
     */
    public static final int MAX_TRANSFERS_DEFAULT = 1 << 22;

    /**
     * System property naming the maximum number of transfers holding a pending amount at the same time.
     */
    public static final String MAX_PENDING_TRANSFERS_PROP_NAME = "paycore.ledger.max.pending.transfers";

    /**
     * Default maximum number of transfers pending at the same time.
     */
    public static final int MAX_PENDING_TRANSFERS_DEFAULT = 1 << 20;

    /**
     * System property naming the maximum number of events in one batch (the protocol's group limit).
     */
    public static final String MAX_BATCH_EVENTS_PROP_NAME = "paycore.ledger.max.batch.events";

    /**
     * Default maximum number of events in one batch: the protocol's group limit.
     */
    public static final int MAX_BATCH_EVENTS_DEFAULT = 1024;

    /**
     * System property naming how many sealed transfer records a ledger with a cold tier may hold beyond its hot
     * window while the tier has not written them yet.
     */
    public static final String MAX_COLD_LAG_RECORDS_PROP_NAME = "paycore.ledger.max.cold.lag.records";

    /**
     * Default cold lag: 262,144 records, 36 MiB; at least twice {@code maxBatchEvents}.
     */
    public static final int MAX_COLD_LAG_RECORDS_DEFAULT = 1 << 18;

    /**
     * Upper bound of the account and transfer limits: the records must fit a Java array.
     */
    public static final int MAX_RECORDS_BOUND = 1 << 27;

    private int maxAccounts = PropertyValues.intValue(MAX_ACCOUNTS_PROP_NAME, MAX_ACCOUNTS_DEFAULT);
    private int maxTransfers = PropertyValues.intValue(MAX_TRANSFERS_PROP_NAME, MAX_TRANSFERS_DEFAULT);
    private int maxPendingTransfers =
        PropertyValues.intValue(MAX_PENDING_TRANSFERS_PROP_NAME, MAX_PENDING_TRANSFERS_DEFAULT);
    private int maxBatchEvents = PropertyValues.intValue(MAX_BATCH_EVENTS_PROP_NAME, MAX_BATCH_EVENTS_DEFAULT);
    private int maxColdLagRecords =
        PropertyValues.intValue(MAX_COLD_LAG_RECORDS_PROP_NAME, MAX_COLD_LAG_RECORDS_DEFAULT);

    /**
     * @return the maximum number of accounts.
     */
    public int maxAccounts()
    {
        return maxAccounts;
    }

    /**
     * @param maxAccounts the maximum number of accounts, 1 to {@link #MAX_RECORDS_BOUND}.
     * @return this for a fluent API.
     */
    public LedgerLimits maxAccounts(final int maxAccounts)
    {
        this.maxAccounts = maxAccounts;
        return this;
    }

    /**
     * @return the maximum number of retained transfers.
     */
    public int maxTransfers()
    {
        return maxTransfers;
    }

    /**
     * @param maxTransfers the most transfers kept in memory, 1 to {@link #MAX_RECORDS_BOUND}: all of them without a
     *                     cold tier, the hot window with one.
     * @return this for a fluent API.
     */
    public LedgerLimits maxTransfers(final int maxTransfers)
    {
        this.maxTransfers = maxTransfers;
        return this;
    }

    /**
     * @return the maximum number of transfers pending at the same time.
     */
    public int maxPendingTransfers()
    {
        return maxPendingTransfers;
    }

    /**
     * @param maxPendingTransfers the maximum number of transfers pending at once, 1 to {@link #MAX_RECORDS_BOUND};
     *                            they stay in memory, apart from the hot window.
     * @return this for a fluent API.
     */
    public LedgerLimits maxPendingTransfers(final int maxPendingTransfers)
    {
        this.maxPendingTransfers = maxPendingTransfers;
        return this;
    }

    /**
     * @return the maximum number of events in one batch.
     */
    public int maxBatchEvents()
    {
        return maxBatchEvents;
    }

    /**
     * @param maxBatchEvents the maximum number of events in one batch, at least 1.
     * @return this for a fluent API.
     */
    public LedgerLimits maxBatchEvents(final int maxBatchEvents)
    {
        this.maxBatchEvents = maxBatchEvents;
        return this;
    }

    /**
     * Check that every limit is in range.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the limit that is out of range.
     */
    /**
     * @return how many sealed records a ledger with a cold tier may hold beyond its hot window, unwritten.
     */
    public int maxColdLagRecords()
    {
        return maxColdLagRecords;
    }

    /**
     * The heap a ledger of these limits takes: the arrays its constructor allocates, sized as it sizes them (array
     * headers and the few small objects aside). For a reader that must decide whether another replay fits, and for
     * the ledger's own check that it fits the JVM's heap at all.
     *
     * @param coldTier whether the ledger has a cold tier (then it also holds the records not yet written to it, and
     *                 a pool of sealed pending transfers).
     * @return bytes.
     */
    public long heapBytesEstimate(final boolean coldTier)
    {
        final long ring = (long)maxTransfers + (coldTier ? maxColdLagRecords : 0);
        final long pool = coldTier ? maxPendingTransfers : 0;
        final long records = ring + pool + 1;
        return (long)maxAccounts * Ledger.ACCOUNT_BYTES +
            8L * IdIndex.slotsFor(maxAccounts) +
            records * Ledger.TRANSFER_BYTES +
            8L * IdIndex.slotsFor(ring) +
            8L * IdIndex.slotsFor(pool) +
            (coldTier ? 4L * ring : 0) +
            4L * ring +
            4L * (ring + pool) +
            12L * maxPendingTransfers +
            32L * maxBatchEvents;
    }

    /**
     * What to change when {@link #heapShortfall} finds that the limits do not fit: the command-line options that set
     * them, or the heap.
     */
    public static final String HEAP_SHORTFALL_ADVICE = "lower --max-accounts, --hot-transfers or --max-pending, or " +
        "give the JVM more heap (-Xmx; bin/paycore takes it from PAYCORE_JAVA_OPTS)";

    /**
     * The heap this JVM's ledgers can be kept in: its maximum heap, or, with a collector that gives the old
     * generation a fixed share of the heap (ParallelGC, SerialGC), that generation's maximum. A ledger's large
     * arrays are born in the old generation, and the startup collection moves the rest there, so a ledger that fits
     * the heap but not its old generation fails part way through: {@code serve} with the default limits under
     * {@code -Xmx2850m} and ParallelGC (2,731 MiB of heap, 1,900 of them old generation) passed a check against the
     * whole heap and then died of an {@link OutOfMemoryError} building the snapshotter's copy.
     *
     * @return the bytes to pass to {@link #heapShortfall} as this JVM's heap.
     */
    public static long longLivedHeapBytes()
    {
        long bytes = Runtime.getRuntime().maxMemory();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final String name = pool.getName();
            final MemoryUsage usage = pool.getUsage();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Old Gen") || name.contains("Tenured")) &&
                null != usage && usage.getMax() > 0)
            {
                bytes = Math.min(bytes, usage.getMax());
            }
        }
        return bytes;
    }

    /**
     * @param heapBytes the heap the ledgers must fit, as {@link #longLivedHeapBytes()} gives it.
     * @return how a refusal names that heap: this JVM's maximum heap, or its old generation when that is less.
     */
    public static String heapDescription(final long heapBytes)
    {
        final long maxHeapBytes = Runtime.getRuntime().maxMemory();
        if (heapBytes >= maxHeapBytes)
        {
            return String.format(Locale.ROOT, "this JVM's maximum heap of %,d MiB", heapBytes >> 20);
        }
        return String.format(Locale.ROOT, "this JVM's old generation of %,d MiB (of a %,d MiB heap; -Xmn or " +
            "-XX:NewRatio sizes the young generation beside it)", heapBytes >> 20, maxHeapBytes >> 20);
    }

    /**
     * Whether {@code copies} ledgers of these limits fit a heap: checked before anything is allocated, so that a
     * command refuses limits too large for its JVM with a reason, not an {@link OutOfMemoryError} part way through.
     *
     * @param coldTier     whether the ledgers have a cold tier.
     * @param copies       how many such ledgers the process holds at once.
     * @param maxHeapBytes the heap they must fit, {@link #longLivedHeapBytes()} for this JVM's.
     * @return null when they fit; else why not, with the limits and both sizes, for the caller to add its advice to.
     */
    public String heapShortfall(final boolean coldTier, final int copies, final long maxHeapBytes)
    {
        return heapShortfall(coldTier, copies, 0, null, maxHeapBytes);
    }

    /**
     * Whether {@code copies} ledgers of these limits and {@code otherBytes} of the caller's own fit a heap; as
     * {@link #heapShortfall(boolean, int, long)}, naming the other bytes too when there are any.
     *
     * @param coldTier     whether the ledgers have a cold tier.
     * @param copies       how many such ledgers the process holds at once.
     * @param otherBytes   heap the caller allocates besides the ledgers, 0 for none.
     * @param otherWhat    what those bytes are, for the reason (with the options that size them); unused when 0.
     * @param maxHeapBytes the heap the ledgers must fit, {@link #longLivedHeapBytes()} for this JVM's; the other
     *                     bytes must fit beside them in the JVM's whole heap.
     * @return null when they fit; else why not, with the limits and the sizes, for the caller to add its advice to.
     */
    public String heapShortfall(
        final boolean coldTier, final int copies, final long otherBytes, final String otherWhat, final long maxHeapBytes)
    {
        final long ledgerBytes = copies * heapBytesEstimate(coldTier);
        // The ledgers' large arrays must fit the bound given (the old generation, where the collector fixes it);
        // the caller's other bytes, many small objects, may stay in the young generation beside them.
        final long wholeHeapBytes = Math.max(maxHeapBytes, Runtime.getRuntime().maxMemory());
        if (ledgerBytes <= maxHeapBytes && ledgerBytes + otherBytes <= wholeHeapBytes)
        {
            return null;
        }
        final String bound = heapDescription(ledgerBytes > maxHeapBytes ? maxHeapBytes : wholeHeapBytes);
        final String ledgers = String.format(Locale.ROOT, "%s of %,d accounts, %,d transfers in memory%s and %,d " +
            "pending transfers take%s about %,d MiB of heap",
            1 == copies ? "a ledger" : copies + " copies of a ledger", maxAccounts, maxTransfers,
            coldTier ? " (with a cold tier)" : "", maxPendingTransfers, 1 == copies ? "s" : "", ledgerBytes >> 20);
        if (0 == otherBytes)
        {
            return String.format(Locale.ROOT, "%s, more than %s", ledgers, bound);
        }
        return String.format(Locale.ROOT, "%s and %s %,d MiB: %,d MiB, more than %s",
            ledgers, otherWhat, otherBytes >> 20, (ledgerBytes + otherBytes) >> 20, bound);
    }

    /**
     * @param maxColdLagRecords how many sealed records a ledger with a cold tier may hold beyond its hot window
     *                          while the tier has not written them: the room its tier's writer has to fall behind
     *                          before the command stream waits for it. At least {@code 2 * maxBatchEvents} (a
     *                          command writes at most two records an event), at most {@link #MAX_RECORDS_BOUND}.
     *                          Unused without a cold tier.
     * @return this for a fluent API.
     */
    public LedgerLimits maxColdLagRecords(final int maxColdLagRecords)
    {
        this.maxColdLagRecords = maxColdLagRecords;
        return this;
    }

    public LedgerLimits validate()
    {
        // Named by the option every command takes, and by the property, so that either way of giving it is found.
        check("--max-accounts", MAX_ACCOUNTS_PROP_NAME, maxAccounts, MAX_RECORDS_BOUND);
        check("--hot-transfers", MAX_TRANSFERS_PROP_NAME, maxTransfers, MAX_RECORDS_BOUND);
        check("--max-pending", MAX_PENDING_TRANSFERS_PROP_NAME, maxPendingTransfers, MAX_RECORDS_BOUND);
        // Bounded by what one message carries, as the help and README say; the replays (audit, the feeds) met the
        // protocol's bound only mid-replay, as a stack trace.
        if (maxBatchEvents < 1 || maxBatchEvents > ProtocolLimits.MAX_BATCH_EVENTS)
        {
            throw new IllegalArgumentException("events per message (" + MAX_BATCH_EVENTS_PROP_NAME +
                ", --max-batch) must be in 1.." + ProtocolLimits.MAX_BATCH_EVENTS +
                (maxBatchEvents > ProtocolLimits.MAX_BATCH_EVENTS ? ", the protocol's most: " : ": ") + maxBatchEvents);
        }
        if (maxColdLagRecords < 2L * maxBatchEvents || maxColdLagRecords > MAX_RECORDS_BOUND)
        {
            throw new IllegalArgumentException(MAX_COLD_LAG_RECORDS_PROP_NAME + " must be in [2 * " +
                MAX_BATCH_EVENTS_PROP_NAME + " = " + 2L * maxBatchEvents + ", " + MAX_RECORDS_BOUND + "] but was " +
                maxColdLagRecords);
        }
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "LedgerLimits{maxAccounts=" + maxAccounts +
            ", maxTransfers=" + maxTransfers +
            ", maxPendingTransfers=" + maxPendingTransfers +
            ", maxBatchEvents=" + maxBatchEvents +
            ", maxColdLagRecords=" + maxColdLagRecords + '}';
    }

    private static void check(final String option, final String property, final int value, final int max)
    {
        if (value < 1 || value > max)
        {
            throw new IllegalArgumentException(option + " (" + property + ") must be in [1, " + max + "] but was " +
                value);
        }
    }
}
