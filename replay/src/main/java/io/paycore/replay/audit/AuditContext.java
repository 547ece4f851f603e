package io.paycore.replay.audit;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.DataDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What an {@link Auditor} audits and how: the data directory, the ledger limits to replay with, the end point,
 * the start (the journal's beginning or the newest valid snapshot), and the optional outputs (account history,
 * export, snapshot checks, progress). Fluent setters; {@link #conclude()} checks the combination.
 */
public final class AuditContext
{
    /**
     * Default interval between progress reports.
     */
    public static final long PROGRESS_INTERVAL_NANOS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(200);

    private DataDirectory directory;
    private LedgerLimits limits = new LedgerLimits();
    private long coldTierSizeBytes;
    private Path coldTierParent;
    private long untilSequence = Long.MAX_VALUE;
    private long untilTimestampNanos = Long.MAX_VALUE;
    private boolean fromSnapshot;
    private boolean verifySnapshots;
    private BigInteger accountId = BigInteger.ZERO;
    private PrintStream historyOut = System.out;
    private Path exportFile;
    private ExportFormat exportFormat = ExportFormat.CSV;
    private AuditProgress progress;
    private long progressIntervalNanos = PROGRESS_INTERVAL_NANOS_DEFAULT;

    /**
     * Check the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting at fault.
     */
    public AuditContext conclude()
    {
        if (null == directory)
        {
            throw new IllegalArgumentException("the data directory must be given");
        }
        limits.validate();
        if (untilSequence < 0)
        {
            throw new IllegalArgumentException("until-sequence must be >= 0: " + untilSequence);
        }
        if (fromSnapshot && verifySnapshots)
        {
            throw new IllegalArgumentException("verify-snapshot replays from the start; it cannot be combined with " +
                "from-snapshot");
        }
        if (coldTierSizeBytes < 0)
        {
            throw new IllegalArgumentException("cold tier size must be >= 0: " + coldTierSizeBytes);
        }
        if (null != exportFile && isInside(exportFile, directory.root()))
        {
            // Renamed into place at the end, it would replace what it names there: a segment, a snapshot, the lock.
            throw new IllegalArgumentException("the export file " + exportFile + " is inside the data directory " +
                directory.root() + ", which the audit never changes: give a file outside it");
        }
        final String heapShortfall = limits.heapShortfall(coldTierSizeBytes > 0, 1, LedgerLimits.longLivedHeapBytes());
        if (null != heapShortfall)
        {
            throw new IllegalArgumentException(heapShortfall + ": " + LedgerLimits.HEAP_SHORTFALL_ADVICE);
        }
        if (progressIntervalNanos <= 0)
        {
            throw new IllegalArgumentException("progress interval must be > 0: " + progressIntervalNanos);
        }
        return this;
    }

    /**
     * @param directory the data directory to audit; read only, never locked or changed.
     * @return this.
     */
    public AuditContext directory(final DataDirectory directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * @return the data directory to audit.
     */
    public DataDirectory directory()
    {
        return directory;
    }

    /**
     * @param limits of the ledger to replay into: those the service ran with, or larger (smaller ones answer
     *               {@code *_FULL} where the service did not). Default: {@link LedgerLimits}' defaults, as
     *               {@code serve}'s.
     * @return this.
     */
    public AuditContext limits(final LedgerLimits limits)
    {
        this.limits = limits;
        return this;
    }

    /**
     * @return the ledger limits of the replay.
     */
    public LedgerLimits limits()
    {
        return limits;
    }

    /**
     * @param coldTierSizeBytes replay into a ledger with a cold tier of this many bytes at most, in a temporary
     *                          directory deleted at the end: {@code limits.maxTransfers} is then the hot window and
     *                          the history replayed is unbounded. 0 (the default) keeps every transfer in memory.
     *                          Starting from a snapshot of a ledger with a cold tier, the data directory's tier
     *                          ({@code DIR/cold}) is read beneath the temporary one, never written.
     * @return this.
     */
    public AuditContext coldTierSizeBytes(final long coldTierSizeBytes)
    {
        this.coldTierSizeBytes = coldTierSizeBytes;
        return this;
    }

    /**
     * @return the most the replay's cold tier may take, 0 for none.
     */
    public long coldTierSizeBytes()
    {
        return coldTierSizeBytes;
    }

    /**
     * @param coldTierParent where the replay's temporary cold tier is made; null (the default) for the system's
     *                       temporary directory.
     * @return this.
     */
    public AuditContext coldTierParent(final Path coldTierParent)
    {
        this.coldTierParent = coldTierParent;
        return this;
    }

    /**
     * @return where the replay's temporary cold tier is made, or null for the system's temporary directory.
     */
    public Path coldTierParent()
    {
        return coldTierParent;
    }

    /**
     * @param untilSequence last record to apply; later records are still verified. Default: all.
     * @return this.
     */
    public AuditContext untilSequence(final long untilSequence)
    {
        this.untilSequence = untilSequence;
        return this;
    }

    /**
     * @return last record to apply, {@link Long#MAX_VALUE} for all.
     */
    public long untilSequence()
    {
        return untilSequence;
    }

    /**
     * @param untilTimestampNanos apply only records stamped at or before this epoch-nanosecond time; later records
     *                            are still verified. Default: all.
     * @return this.
     */
    public AuditContext untilTimestampNanos(final long untilTimestampNanos)
    {
        this.untilTimestampNanos = untilTimestampNanos;
        return this;
    }

    /**
     * @return the latest record timestamp applied, {@link Long#MAX_VALUE} for all.
     */
    public long untilTimestampNanos()
    {
        return untilTimestampNanos;
    }

    /**
     * @param fromSnapshot true to start from the newest valid snapshot at or before the end point instead of the
     *                     journal's beginning; the journal before it is then neither replayed nor verified.
     * @return this.
     */
    public AuditContext fromSnapshot(final boolean fromSnapshot)
    {
        this.fromSnapshot = fromSnapshot;
        return this;
    }

    /**
     * @return true to start from the newest valid snapshot.
     */
    public boolean fromSnapshot()
    {
        return fromSnapshot;
    }

    /**
     * @param verifySnapshots true to compare every snapshot with the replayed state at its sequence.
     * @return this.
     */
    public AuditContext verifySnapshots(final boolean verifySnapshots)
    {
        this.verifySnapshots = verifySnapshots;
        return this;
    }

    /**
     * @return true to compare every snapshot with the replay.
     */
    public boolean verifySnapshots()
    {
        return verifySnapshots;
    }

    /**
     * @param accountId whose history to print ({@link AccountHistory}), unsigned 128-bit; 0 for none (the
     *                  default).
     * @return this.
     */
    public AuditContext accountId(final BigInteger accountId)
    {
        this.accountId = accountId;
        return this;
    }

    /**
     * @return whose history to print, 0 for none.
     */
    public BigInteger accountId()
    {
        return accountId;
    }

    /**
     * @param historyOut where the account history goes (default {@link System#out}).
     * @return this.
     */
    public AuditContext historyOut(final PrintStream historyOut)
    {
        this.historyOut = historyOut;
        return this;
    }

    /**
     * @return where the account history goes.
     */
    public PrintStream historyOut()
    {
        return historyOut;
    }

    /**
     * @param exportFile where to export every command event ({@link EventExporter}), or null for no export (the
     *                   default). Written under a temporary name and renamed into place only when the audit found
     *                   no damage. Refused inside the data directory, which the audit never changes.
     * @return this.
     */
    public AuditContext exportFile(final Path exportFile)
    {
        this.exportFile = exportFile;
        return this;
    }

    /**
     * @return the export file, or null.
     */
    public Path exportFile()
    {
        return exportFile;
    }

    /**
     * @param exportFormat of the export (default CSV).
     * @return this.
     */
    public AuditContext exportFormat(final ExportFormat exportFormat)
    {
        this.exportFormat = exportFormat;
        return this;
    }

    /**
     * @return the export format.
     */
    public ExportFormat exportFormat()
    {
        return exportFormat;
    }

    /**
     * @param progress told how the audit goes, or null (the default) for nothing.
     * @return this.
     */
    public AuditContext progress(final AuditProgress progress)
    {
        this.progress = progress;
        return this;
    }

    /**
     * @return the progress listener, or null.
     */
    public AuditProgress progress()
    {
        return progress;
    }

    /**
     * @param progressIntervalNanos least time between progress reports.
     * @return this.
     */
    public AuditContext progressIntervalNanos(final long progressIntervalNanos)
    {
        this.progressIntervalNanos = progressIntervalNanos;
        return this;
    }

    /**
     * @return least time between progress reports, in nanoseconds.
     */
    public long progressIntervalNanos()
    {
        return progressIntervalNanos;
    }

    /**
     * Whether a file (it may not exist yet) lies in a directory or beneath it, symbolic links to either followed; a
     * link in the file's own name is not, since the export replaces the link rather than what it points to.
     */
    private static boolean isInside(final Path file, final Path directory)
    {
        final Path absolute = file.toAbsolutePath().normalize();
        final Path parent = absolute.getParent();
        if (null == parent)
        {
            return false;
        }
        return realPath(parent).resolve(absolute.getFileName()).startsWith(realPath(directory));
    }

    /**
     * The real path of the nearest ancestor that exists, with the rest of the path after it.
     */
    private static Path realPath(final Path path)
    {
        final Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (null != existing && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (null == existing)
        {
            return absolute;
        }
        try
        {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        }
        catch (final IOException ex)
        {
            return absolute;
        }
    }
}
