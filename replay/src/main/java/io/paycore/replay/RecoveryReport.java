package io.paycore.replay;

import io.paycore.journal.OpenReport;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Recovery} did: the journal it opened (and any torn tail it truncated), the snapshot it started
 * from, the snapshots it skipped and why, how many records it replayed, and how long it took.
 * <p>
 * Immutable.
 */
public final class RecoveryReport
{
    private final DataDirectory directory;
    private final OpenReport journalReport;
    private final Path snapshotFile;
    private final long snapshotSequence;
    private final List<String> skippedSnapshots;
    private final long recordsReplayed;
    private final long invalidRecords;
    private final long lastSequence;
    private final long durationNanos;
    private final String coldTier;

    RecoveryReport(
        final DataDirectory directory,
        final OpenReport journalReport,
        final Path snapshotFile,
        final long snapshotSequence,
        final List<String> skippedSnapshots,
        final long recordsReplayed,
        final long invalidRecords,
        final long lastSequence,
        final long durationNanos,
        final String coldTier)
    {
        this.coldTier = coldTier;
        this.directory = directory;
        this.journalReport = journalReport;
        this.snapshotFile = snapshotFile;
        this.snapshotSequence = snapshotSequence;
        this.skippedSnapshots = Collections.unmodifiableList(skippedSnapshots);
        this.recordsReplayed = recordsReplayed;
        this.invalidRecords = invalidRecords;
        this.lastSequence = lastSequence;
        this.durationNanos = durationNanos;
    }

    /**
     * @return the data directory recovered.
     */
    public DataDirectory directory()
    {
        return directory;
    }

    /**
     * @return what opening the journal found (segments verified, torn tail).
     */
    public OpenReport journalReport()
    {
        return journalReport;
    }

    /**
     * @return true if the journal had a torn tail, now truncated.
     */
    public boolean hasTornTail()
    {
        return journalReport.hasTornTail();
    }

    /**
     * @return the snapshot file the ledger was loaded from, or null if it was rebuilt from the journal alone.
     */
    public Path snapshotFile()
    {
        return snapshotFile;
    }

    /**
     * @return the journal sequence the snapshot used covers, 0 if none was used.
     */
    public long snapshotSequence()
    {
        return snapshotSequence;
    }

    /**
     * @return one line per snapshot skipped (damaged, unreadable, or ahead of the journal): its file and why.
     */
    public List<String> skippedSnapshots()
    {
        return skippedSnapshots;
    }

    /**
     * @return journal records applied after the snapshot (all of them if none was used).
     */
    public long recordsReplayed()
    {
        return recordsReplayed;
    }

    /**
     * @return records replayed that were not valid messages and so changed nothing (should be 0).
     */
    public long invalidRecords()
    {
        return invalidRecords;
    }

    /**
     * @return sequence of the last journal record, which the recovered ledger has applied; 0 for an empty journal.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return wall time the recovery took, in nanoseconds.
     */
    public long durationNanos()
    {
        return durationNanos;
    }

    /**
     * @return what recovery found in the cold tier, or null for a ledger without one.
     */
    public String coldTier()
    {
        return coldTier;
    }

    /**
     * A human description, one fact per line, for the service's start-up output.
     *
     * @return the lines, without a trailing newline.
     */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("recovery of ").append(directory).append(String.format(Locale.ROOT, " in %.3f s",
            durationNanos / 1e9));
        sb.append(String.format(Locale.ROOT, "%n  journal     %d segment(s), last sequence %d",
            journalReport.segments(), lastSequence));
        if (journalReport.hasTornTail())
        {
            sb.append(String.format(Locale.ROOT, "%n  torn tail   truncated %d byte(s) at offset %d of %s",
                journalReport.tornTailBytes(), journalReport.tornTailOffset(), journalReport.tornTailFile()));
        }
        else
        {
            sb.append(String.format(Locale.ROOT, "%n  torn tail   none"));
        }
        if (journalReport.deletedTempFiles() > 0)
        {
            sb.append(String.format(Locale.ROOT, "%n  temp files  %d left-over segment file(s) deleted",
                journalReport.deletedTempFiles()));
        }
        if (null != snapshotFile)
        {
            sb.append(String.format(Locale.ROOT, "%n  snapshot    %s (sequence %d)", snapshotFile,
                snapshotSequence));
        }
        else
        {
            sb.append(String.format(Locale.ROOT, "%n  snapshot    none used: replayed the journal from the start"));
        }
        for (final String skipped : skippedSnapshots)
        {
            sb.append(String.format(Locale.ROOT, "%n  skipped     %s", skipped));
        }
        sb.append(String.format(Locale.ROOT, "%n  replayed    %d record(s)", recordsReplayed));
        if (recordsReplayed > 0)
        {
            sb.append(String.format(Locale.ROOT, ", sequences %d..%d", snapshotSequence + 1, lastSequence));
        }
        if (invalidRecords > 0)
        {
            sb.append(String.format(Locale.ROOT, "%n  invalid     %d record(s) were not valid messages",
                invalidRecords));
        }
        if (null != coldTier)
        {
            sb.append(String.format(Locale.ROOT, "%n  cold tier   %s", coldTier));
        }

        return sb.toString();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "RecoveryReport{directory=" + directory + ", journal=" + journalReport +
            ", snapshotFile=" + snapshotFile + ", snapshotSequence=" + snapshotSequence +
            ", skippedSnapshots=" + skippedSnapshots + ", recordsReplayed=" + recordsReplayed +
            ", invalidRecords=" + invalidRecords + ", lastSequence=" + lastSequence +
            ", durationNanos=" + durationNanos + '}';
    }
}
