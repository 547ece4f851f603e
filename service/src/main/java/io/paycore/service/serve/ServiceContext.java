package io.paycore.service.serve;

import io.paycore.codec.ProtocolLimits;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.JournalContext;
import io.paycore.journal.PropertyValues;
import io.paycore.journal.SnapshotWriter;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.pinning.AllowedCpus;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ServicePinning;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.transport.TransportContext;
import org.agrona.ErrorHandler;
import org.agrona.SystemUtil;

import java.io.PrintStream;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * Configuration of a {@link PaycoreService}: where its data lives and the contexts of the parts it wires together.
 * Each part's own context defaults from its system properties; the settings here default from theirs
 * ({@code *_PROP_NAME} beside {@code *_DEFAULT}).
 * <p>
 * Not thread safe; configure on one thread, then launch.
 */
public final class ServiceContext
{
    /**
     * Take a snapshot at a clean shutdown, so the next start replays nothing.
     */
    public static final String SNAPSHOT_ON_SHUTDOWN_PROP_NAME = "paycore.snapshot.on.shutdown";

    /**
     * Default for {@link #SNAPSHOT_ON_SHUTDOWN_PROP_NAME}.
     */
    public static final boolean SNAPSHOT_ON_SHUTDOWN_DEFAULT = true;

    /**
     * The most the cold tier may take on disk, in bytes; 0 for no cold tier (every transfer stays in memory, up to
     * {@code maxTransfers}).
     */
    public static final String COLD_TIER_SIZE_PROP_NAME = "paycore.cold.tier.size.bytes";

    /**
     * Default for {@link #COLD_TIER_SIZE_PROP_NAME}: 256 GiB, about 1.5 billion transfers. The file is sparse:
     * only what is written takes disk.
     */
    public static final long COLD_TIER_SIZE_DEFAULT = 256L << 30;

    /**
     * Most transfer ids the cold tier's prefetch pool holds at once (about 230 bytes each): what the stage ahead of
     * the BLP has read from the tier for the records it released and the BLP has not applied yet. When it is full,
     * that stage holds records back (back-pressure). At least twice the events of one message.
     */
    public static final String COLD_PREFETCH_ENTRIES_PROP_NAME = "paycore.cold.prefetch.entries";

    /**
     * Fewest bytes a cold tier may be given: 1 MiB.
     */
    public static final long COLD_TIER_SIZE_MIN = 1L << 20;

    /**
     * Whether the periodic snapshots are taken by a snapshotter thread with a ledger of its own ({@code true}, the
     * default: the BLP never stalls for one) or by the BLP itself ({@code false}: half the memory, a stall per
     * snapshot).
     */
    public static final String SNAPSHOTS_OFF_BLP_PROP_NAME = "paycore.snapshots.off.blp";

    private DataDirectory dataDirectory;
    private boolean snapshotsOffBlp = PropertyValues.booleanValue(SNAPSHOTS_OFF_BLP_PROP_NAME, true);
    private long coldTierSizeBytes = PropertyValues.longValue(COLD_TIER_SIZE_PROP_NAME, COLD_TIER_SIZE_DEFAULT);
    private LedgerLimits ledgerLimits = new LedgerLimits();
    private JournalContext journalContext = new JournalContext();
    private PipelineContext pipelineContext = new PipelineContext();
    private TransportContext transportContext = new TransportContext();
    private int snapshotsKept = PropertyValues.intValue(
        SnapshotTaker.SNAPSHOTS_KEPT_PROP_NAME, SnapshotTaker.SNAPSHOTS_KEPT_DEFAULT);
    private long snapshotWriteRate = SystemUtil.getSizeAsLong(
        SnapshotTaker.WRITE_RATE_PROP_NAME, SnapshotTaker.WRITE_RATE_DEFAULT);
    private boolean snapshotOnShutdown =
        PropertyValues.booleanValue(SNAPSHOT_ON_SHUTDOWN_PROP_NAME, SNAPSHOT_ON_SHUTDOWN_DEFAULT);
    private String cpus;
    private CpuPlan cpuPlan = CpuPlan.NONE;
    private ThreadPinning threadPinning;
    private boolean pinningWarned;
    private PrintStream out = System.out;
    private ErrorHandler errorHandler;
    private int errorLogLengthBytes = PaycoreMarkFile.errorLogLengthBytesFromProperty();
    private String heapAdvice;

    /**
     * Check what must be set, and every part's settings, before anything is created on disk; fill in defaults
     * that depend on other settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming what is missing or wrong.
     */
    public ServiceContext conclude()
    {
        if (null == dataDirectory)
        {
            throw new IllegalArgumentException("the data directory must be set (--data DIR)");
        }
        if (snapshotsKept < 1 || snapshotsKept > SnapshotTaker.SNAPSHOTS_KEPT_MAX)
        {
            throw new IllegalArgumentException("snapshots kept (" + SnapshotTaker.SNAPSHOTS_KEPT_PROP_NAME +
                ", --snapshots-kept) must be in 1.." + SnapshotTaker.SNAPSHOTS_KEPT_MAX + ": " + snapshotsKept);
        }
        if (snapshotWriteRate < 0)
        {
            throw new IllegalArgumentException("the snapshot write rate (" + SnapshotTaker.WRITE_RATE_PROP_NAME +
                ", --snapshot-rate) must be 0 (unpaced) or a number of bytes a second: " + snapshotWriteRate);
        }
        // Read by every snapshot as it is written: a bad value is a usage error now, not a failed snapshot later.
        SnapshotWriter.forceEveryBytes();
        PaycoreMarkFile.checkErrorLogLength(errorLogLengthBytes);
        ledgerLimits.validate();
        if (0 != coldTierSizeBytes && coldTierSizeBytes < COLD_TIER_SIZE_MIN)
        {
            throw new IllegalArgumentException("the cold tier's size (" + COLD_TIER_SIZE_PROP_NAME +
                ", --cold-tier-size) must be 0 (none) or at least " + COLD_TIER_SIZE_MIN + " bytes: " +
                coldTierSizeBytes);
        }
        // Before the heap is weighed: a ring size out of range is that, not a reason to give the JVM more heap.
        new PipelineContext()
            .inputRingSize(pipelineContext.inputRingSize())
            .outputRingSize(pipelineContext.outputRingSize())
            .maxStageBatch(pipelineContext.maxStageBatch())
            .profile(pipelineContext.profile())
            .idleStrategy(pipelineContext.idleStrategy())
            .snapshotEveryRecords(Math.min(0, pipelineContext.snapshotEveryRecords()))
            .conclude();
        final boolean cold = 0 != coldTierSizeBytes;
        if (cold && coldPrefetchEntries() < 2 * ledgerLimits.maxBatchEvents())
        {
            // Else refused only once the data directory is made and recovered, by the pipeline, naming no property.
            throw new IllegalArgumentException("the cold tier's prefetch pool (" + COLD_PREFETCH_ENTRIES_PROP_NAME +
                ") must hold at least 2 ids per event of a message (2 x --max-batch), so at least " +
                2 * ledgerLimits.maxBatchEvents() + ": " + coldPrefetchEntries());
        }
        final String heapShortfall = ledgerLimits.heapShortfall(cold, ledgerCopies(),
            pipelineRingBytes() + (cold ? AsyncLmdbColdTier.prefetchHeapBytes(coldPrefetchEntries()) : 0),
            "the pipeline's rings (" + pipelineContext.inputRingSize() + " + " + pipelineContext.outputRingSize() +
            " slots)" + (cold ? String.format(Locale.ROOT, " and the cold tier's prefetch pool (%,d ids, %s)",
            coldPrefetchEntries(), COLD_PREFETCH_ENTRIES_PROP_NAME) : ""), LedgerLimits.longLivedHeapBytes());
        if (null != heapShortfall)
        {
            throw new IllegalArgumentException(heapShortfall + (null != heapAdvice ? ": " + heapAdvice :
                (2 == ledgerCopies() ? " (the snapshotter thread keeps the second copy; --snapshot-thread blp " +
                "does not)" : "") + ": " + LedgerLimits.HEAP_SHORTFALL_ADVICE +
                " (or, for the rings, --input-ring-size, --output-ring-size or --max-batch)"));
        }
        checkSegmentHoldsLargestMessage(journalContext, ledgerLimits, "--segment-length");
        journalContext.conclude();
        final int cores = Runtime.getRuntime().availableProcessors();
        if (cores < pipelineContext.profile().minCores())
        {
            throw new IllegalArgumentException("the " + pipelineContext.profile().name().toLowerCase(Locale.ROOT) +
                " profile needs at least " + pipelineContext.profile().minCores() + " cores, one for each hot " +
                "thread, and this machine has " + cores + ": use --profile shared here");
        }
        if (null == errorHandler)
        {
            final PrintStream err = System.err;
            errorHandler = (ex) -> err.println("paycore: " + ex);
        }
        if (null == transportContext)
        {
            throw new IllegalArgumentException("the transport context must be set");
        }
        if (transportContext.isEmbeddedDriver() && null == transportContext.embeddedAeronDirectoryName())
        {
            transportContext.embeddedAeronDirectoryName(dataDirectory.aeronDirectory().toString());
        }
        transportContext.profile(pipelineContext.profile()).conclude();
        PipelineContext.checkLayout(pipelineContext.layout(), pipelineContext.profile());
        if (null == pipelineContext.layout() && ThreadingProfile.SHARED == pipelineContext.profile())
        {
            // One thread takes a message in, journals it, applies it and answers: on a small machine every thread
            // hand-off is a wake-up and a core another thread wants.
            pipelineContext.layout(StageLayout.INLINE);
        }

        final BitSet allowedCpus = AllowedCpus.ofThisProcess();
        if (null == threadPinning)
        {
            cpuPlan = ServicePinning.plan(cpus, pipelineContext.profile(), allowedCpus);
            final PrintStream pinnedOut = out;
            threadPinning = new ThreadPinning(cpuPlan, (line) -> pinnedOut.println("pinned: " + line));
        }
        else
        {
            cpuPlan = threadPinning.plan();
        }
        if (!pinningWarned)
        {
            // Once, though a context may be concluded twice (by its command, then by the service it launches).
            pinningWarned = true;
            for (final String warning : ServicePinning.warnings(cpuPlan, pipelineContext.profile(),
                pipelineContext.layout(), pipelineContext.idleStrategy(), transportContext.isEmbeddedDriver(),
                allowedCpus))
            {
                out.println("warning: " + warning);
            }
        }
        // Every thread the service runs comes from a factory of the pinning: pinned as it starts, if the plan says.
        final ThreadFactory threads = threadPinning.threadFactory();
        journalContext.threadFactory(threads);
        pipelineContext.threadFactory(threads);
        transportContext.threadFactory(threads).driverThreadFactory(threadPinning.threadFactory(CpuPlan.Role.DRIVER));

        return this;
    }

    /** @param dataDirectory where the journal, snapshots and embedded Aeron directory live. @return this. */
    public ServiceContext dataDirectory(final DataDirectory dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        return this;
    }

    /** @return where the journal, snapshots and embedded Aeron directory live. */
    public DataDirectory dataDirectory()
    {
        return dataDirectory;
    }

    /** @param ledgerLimits bounds of the ledger; must match those the journal was written with. @return this. */
    public ServiceContext ledgerLimits(final LedgerLimits ledgerLimits)
    {
        this.ledgerLimits = ledgerLimits;
        return this;
    }

    /** @return bounds of the ledger. */
    public LedgerLimits ledgerLimits()
    {
        return ledgerLimits;
    }

    /** @param journalContext flush level and sizes; its directory is set from the data directory. @return this. */
    public ServiceContext journalContext(final JournalContext journalContext)
    {
        this.journalContext = journalContext;
        return this;
    }

    /** @return the journal's context. */
    public JournalContext journalContext()
    {
        return journalContext;
    }

    /** @param pipelineContext rings, idle strategy, profile, snapshot interval. @return this. */
    public ServiceContext pipelineContext(final PipelineContext pipelineContext)
    {
        this.pipelineContext = pipelineContext;
        return this;
    }

    /**
     * Every message the limits let in is journaled as one record, and a record must fit one segment: checked with the
     * settings' names before the data directory is touched. The journal would refuse it only when it opens, after
     * the lock and the cold tier, in words that read like damage (recovery raises its largest record to the
     * largest message as it opens it).
     *
     * @param journal the journal's settings.
     * @param limits  the ledger's limits, for the events a message holds at most.
     * @param option  the command's option for the segment length, or null if it has none (only the property).
     * @throws IllegalArgumentException if a segment of the journal's length cannot hold the largest message.
     */
    public static void checkSegmentHoldsLargestMessage(
        final JournalContext journal, final LedgerLimits limits, final String option)
    {
        final int largestMessage = ProtocolLimits.maxMessageLength(limits.maxBatchEvents());
        final long least = JournalContext.minSegmentLength(Math.max(journal.maxRecordLength(), largestMessage));
        final int segmentLength = journal.segmentLength();
        // Out of the journal's own bounds is for its own check to say.
        if (segmentLength >= JournalContext.SEGMENT_LENGTH_MIN && segmentLength <= JournalContext.SEGMENT_LENGTH_MAX &&
            segmentLength < least)
        {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a journal segment of %,d bytes (%s%s) " +
                "cannot hold the largest message of %,d events (--max-batch): %,d bytes; use %s%dk or more, or a " +
                "smaller --max-batch", segmentLength, null == option ? "" : option + ", ",
                JournalContext.SEGMENT_LENGTH_PROP_NAME, limits.maxBatchEvents(), largestMessage,
                null == option ? "-D" + JournalContext.SEGMENT_LENGTH_PROP_NAME + "=" : option + " ", least / 1024));
        }
    }

    /**
     * @return the heap the service's ledger takes ({@link LedgerLimits#heapBytesEstimate}), twice over when the
     * snapshotter thread keeps a copy of it; checked against the JVM's heap by {@link #conclude()}
     * ({@link LedgerLimits#longLivedHeapBytes()}).
     */
    public long ledgerHeapBytes()
    {
        return ledgerCopies() * ledgerLimits.heapBytesEstimate(0 != coldTierSizeBytes);
    }

    /**
     * @return the heap the pipeline's two rings take, allocated when the service starts: each input slot holds the
     * longest request {@code --max-batch} allows, each output slot the longest answer. Checked with the ledger's by
     * {@link #conclude()}.
     */
    public long pipelineRingBytes()
    {
        return (long)pipelineContext.inputRingSize() * ProtocolLimits.maxMessageLength(ledgerLimits.maxBatchEvents()) +
            (long)pipelineContext.outputRingSize() * CommandProcessor.MAX_ANSWER_LENGTH;
    }

    /**
     * @return the most ids the cold tier's prefetch pool holds: {@link #COLD_PREFETCH_ENTRIES_PROP_NAME}, by default
     * {@link AsyncLmdbColdTier#DEFAULT_PREFETCH_ENTRIES} or twice the events of one message if that is more.
     */
    public int coldPrefetchEntries()
    {
        return PropertyValues.intValue(COLD_PREFETCH_ENTRIES_PROP_NAME,
            Math.max(AsyncLmdbColdTier.DEFAULT_PREFETCH_ENTRIES, 2 * ledgerLimits.maxBatchEvents()));
    }

    private int ledgerCopies()
    {
        return pipelineContext.snapshotEveryRecords() > 0 && snapshotsOffBlp ? 2 : 1;
    }

    /** @return the pipeline's context; its snapshot handler is set by the service. */
    public PipelineContext pipelineContext()
    {
        return pipelineContext;
    }

    /**
     * @param transportContext the Aeron transport's settings; its embedded driver directory defaults to
     *                         {@code DIR/aeron}, its profile is the pipeline's; the service adds its mark file's
     *                         error log to its error handler (this context's error handler if it has none).
     * @return this.
     */
    public ServiceContext transportContext(final TransportContext transportContext)
    {
        this.transportContext = transportContext;
        return this;
    }

    /** @return the Aeron transport's settings. */
    public TransportContext transportContext()
    {
        return transportContext;
    }

    /** @param snapshotsKept newest snapshots kept, 1..{@link SnapshotTaker#SNAPSHOTS_KEPT_MAX}. @return this. */
    public ServiceContext snapshotsKept(final int snapshotsKept)
    {
        this.snapshotsKept = snapshotsKept;
        return this;
    }

    /** @return newest snapshots kept. */
    public int snapshotsKept()
    {
        return snapshotsKept;
    }

    /**
     * @param snapshotWriteRate the average rate, in bytes a second, at which the snapshotter thread writes each
     *                          periodic snapshot; 0 for as fast as the disk takes it. Not used when the BLP takes
     *                          them ({@link #snapshotsOffBlp(boolean)} false), nor for the shutdown snapshot.
     * @return this.
     */
    public ServiceContext snapshotWriteRate(final long snapshotWriteRate)
    {
        this.snapshotWriteRate = snapshotWriteRate;
        return this;
    }

    /** @return the snapshotter's write rate in bytes a second; 0 for unpaced. */
    public long snapshotWriteRate()
    {
        return snapshotWriteRate;
    }

    /**
     * @param snapshotsOffBlp true to take the periodic snapshots on a snapshotter thread that applies the journal
     *                        to a copy of the ledger behind the BLP (the BLP never stalls for a snapshot; the
     *                        hot state is held twice); false to take them on the BLP thread.
     * @return this.
     */
    public ServiceContext snapshotsOffBlp(final boolean snapshotsOffBlp)
    {
        this.snapshotsOffBlp = snapshotsOffBlp;
        return this;
    }

    /** @return true when a snapshotter thread, not the BLP, takes the periodic snapshots. */
    public boolean snapshotsOffBlp()
    {
        return snapshotsOffBlp;
    }

    /**
     * What to change when the ledger's limits do not fit the heap, in the options of the command that launches the
     * service: the end of the message {@link #conclude()} refuses such limits with.
     *
     * @param heapAdvice the advice, or null (the default) for {@code serve}'s options.
     * @return this.
     */
    public ServiceContext heapAdvice(final String heapAdvice)
    {
        this.heapAdvice = heapAdvice;
        return this;
    }

    /** @return the advice for limits too large for the heap, or null for {@code serve}'s. */
    public String heapAdvice()
    {
        return heapAdvice;
    }

    /** @param snapshotOnShutdown take a snapshot at a clean shutdown. @return this. */
    public ServiceContext snapshotOnShutdown(final boolean snapshotOnShutdown)
    {
        this.snapshotOnShutdown = snapshotOnShutdown;
        return this;
    }

    /** @return true if a clean shutdown takes a snapshot. */
    public boolean snapshotOnShutdown()
    {
        return snapshotOnShutdown;
    }

    /**
     * @param coldTierSizeBytes the most the cold tier in {@code DIR/cold} may take on disk; 0 for none, so the
     *                          ledger keeps every transfer in memory and answers {@code TRANSFERS_FULL} beyond
     *                          {@code maxTransfers}. With a tier, {@code maxTransfers} is the hot window.
     * @return this.
     */
    public ServiceContext coldTierSizeBytes(final long coldTierSizeBytes)
    {
        this.coldTierSizeBytes = coldTierSizeBytes;
        return this;
    }

    /** @return the most the cold tier may take on disk, 0 for no cold tier. */
    public long coldTierSizeBytes()
    {
        return coldTierSizeBytes;
    }

    /** @param out where the recovery report, ready line and shutdown summary are printed. @return this. */
    public ServiceContext out(final PrintStream out)
    {
        this.out = out;
        return this;
    }

    /** @return where the service prints its reports. */
    public PrintStream out()
    {
        return out;
    }

    /** @param errorHandler told of errors that do not stop the service (a failed snapshot). @return this. */
    public ServiceContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return told of errors that do not stop the service. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorLogLengthBytes length of the distinct error log in the data directory's mark file,
     *                            {@link PaycoreMarkFile#ERROR_LOG_LENGTH_MIN_BYTES}..
     *                            {@link PaycoreMarkFile#ERROR_LOG_LENGTH_MAX_BYTES}; default
     *                            {@link PaycoreMarkFile#ERROR_LOG_LENGTH_PROP_NAME} or 1 MiB.
     * @return this.
     */
    public ServiceContext errorLogLengthBytes(final int errorLogLengthBytes)
    {
        this.errorLogLengthBytes = errorLogLengthBytes;
        return this;
    }

    /** @return length of the mark file's error log in bytes. */
    public int errorLogLengthBytes()
    {
        return errorLogLengthBytes;
    }

    /**
     * @param cpus {@code role=cpu[+cpu],...}: which core each hot thread runs on; null for the profile's default
     *             (none in shared, one core each in dedicated).
     * @return this.
     */
    public ServiceContext cpus(final String cpus)
    {
        this.cpus = cpus;
        return this;
    }

    /**
     * @param threadPinning pins the service's threads, from the factories it hands out; null (the default) for one
     *                      made by {@link #conclude()} from {@link #cpus} and the profile, that prints a
     *                      {@code pinned:} line for each thread it pins. A benchmark passes its own, to collect the
     *                      lines.
     * @return this.
     */
    public ServiceContext threadPinning(final ThreadPinning threadPinning)
    {
        this.threadPinning = threadPinning;
        return this;
    }

    /**
     * @return pins the service's threads; set by {@link #conclude()}.
     */
    public ThreadPinning threadPinning()
    {
        return threadPinning;
    }

    /**
     * @return the pinning plan, worked out by {@link #conclude()}.
     */
    public CpuPlan cpuPlan()
    {
        return cpuPlan;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "ServiceContext{dataDirectory=" + dataDirectory + ", ledgerLimits=" + ledgerLimits +
            ", journalContext=" + journalContext + ", pipelineContext=" + pipelineContext +
            ", transportContext=" + transportContext + ", snapshotsKept=" + snapshotsKept +
            ", snapshotWriteRate=" + snapshotWriteRate +
            ", snapshotOnShutdown=" + snapshotOnShutdown + ", errorLogLengthBytes=" + errorLogLengthBytes +
            '}';
    }
}
