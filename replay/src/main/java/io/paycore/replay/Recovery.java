package io.paycore.replay;

import io.paycore.codec.ProtocolLimits;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.LedgerSnapshotException;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.Snapshot;
import io.paycore.journal.SnapshotStore;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the ledger of a {@link DataDirectory} from what is on disk, and keeps the journal open for appending:
 * <ol>
 *     <li>takes the directory's lock ({@link DataDirectoryLock}), so no other process writes or repairs it;</li>
 *     <li>opens the journal in {@code DIR/journal}, which verifies every record: a torn tail is truncated and
 *     reported; any other damage fails with the journal's {@link JournalException} naming file, offset and
 *     sequence, and nothing is recovered;</li>
 *     <li>loads the newest snapshot in {@code DIR/snapshots} that verifies, loads, and does not run ahead of the
 *     journal; each one skipped is reported with the reason;</li>
 *     <li>replays every journal record after that snapshot through a {@link CommandProcessor}, answers discarded,
 *     so the ledger has applied exactly the records 1..{@link Journal#lastSequence()}.</li>
 * </ol>
 * With a cold tier ({@code DIR/cold}, see {@link #open(DataDirectoryLock, LedgerLimits, JournalContext, boolean,
 * AsyncLmdbColdTier)}) a snapshot is only used if the tier holds every record the snapshot left to it; replay writes
 * the records it seals into the tier on this thread, checking those the tier holds already against its own (a tier
 * of another history fails the recovery); and a tier found ahead of the journal (a power loss took the journal's
 * tail but not the tier's, possible only at flush level {@code none}) forgets what the journal does not have.
 * The result holds the open journal (ready for the pipeline to append to), the recovered ledger and a
 * {@link RecoveryReport}. Close it to close the journal and release the lock; the ledger stays usable.
 * <p>
 * Replay is deterministic: the same journal gives the same ledger, digest for digest, whatever snapshot it starts
 * from. {@link #open(DataDirectory, LedgerLimits, JournalContext, boolean)} with {@code useSnapshots} false
 * replays the journal alone, which is the offline check that a snapshot-based recovery is right.
 * <p>
 * <b>Threading</b>: one thread. Allocates; not on any hot path.
 */
public final class Recovery implements AutoCloseable
{
    private static final int REPLAY_POLL_LIMIT = 4096;

    private final DataDirectoryLock lock;
    private final Journal journal;
    private final Ledger ledger;
    private final RecoveryReport report;

    private Recovery(
        final DataDirectoryLock lock, final Journal journal, final Ledger ledger, final RecoveryReport report)
    {
        this.lock = lock;
        this.journal = journal;
        this.ledger = ledger;
        this.report = report;
    }

    /**
     * Recover from the newest valid snapshot and the journal after it.
     *
     * @param directory      the data directory; created if missing (an empty one recovers an empty ledger).
     * @param limits         of the ledger to build; must be those the journal was written with, or replay may
     *                       answer differently (a snapshot too big for them is skipped and reported).
     * @param journalContext flush level, segment length, record length; its directory is set to
     *                       {@code DIR/journal} and its maximum record length raised to hold the largest message
     *                       {@code limits} allow.
     * @return the open recovery: journal, ledger and report.
     * @throws JournalException      if the journal is damaged other than by a torn tail (naming file, offset and
     *                               sequence) or cannot be read.
     * @throws IllegalStateException if another process holds the data directory.
     */
    public static Recovery open(
        final DataDirectory directory, final LedgerLimits limits, final JournalContext journalContext)
    {
        return open(directory, limits, journalContext, true);
    }

    /**
     * Recover, from the newest valid snapshot and the journal after it or, with {@code useSnapshots} false, from
     * the journal alone.
     *
     * @param directory      the data directory; created if missing.
     * @param limits         of the ledger to build.
     * @param journalContext flush level and sizes; its directory is set to {@code DIR/journal}.
     * @param useSnapshots   false to ignore snapshots and replay the whole journal.
     * @return the open recovery: journal, ledger and report.
     * @throws JournalException      if the journal is damaged other than by a torn tail, or cannot be read.
     * @throws IllegalStateException if another process holds the data directory.
     */
    public static Recovery open(
        final DataDirectory directory,
        final LedgerLimits limits,
        final JournalContext journalContext,
        final boolean useSnapshots)
    {
        limits.validate();
        return open(DataDirectoryLock.acquire(directory), limits, journalContext, useSnapshots);
    }

    /**
     * Recover a data directory already owned, as {@link #open(DataDirectory, LedgerLimits, JournalContext, boolean)}
     * does: for a caller that wants its mark file (and so its error log) before recovery starts.
     *
     * @param lock           the held data directory; owned by the recovery from now on, released by
     *                       {@link #close()} or when this fails.
     * @param limits         of the ledger to build.
     * @param journalContext flush level and sizes; its directory is set to {@code DIR/journal}.
     * @param useSnapshots   false to ignore snapshots and replay the whole journal.
     * @return the open recovery: journal, ledger and report.
     * @throws JournalException if the journal is damaged other than by a torn tail, or cannot be read.
     */
    public static Recovery open(
        final DataDirectoryLock lock,
        final LedgerLimits limits,
        final JournalContext journalContext,
        final boolean useSnapshots)
    {
        return open(lock, limits, journalContext, useSnapshots, null);
    }

    /**
     * Recover a data directory already owned into a ledger whose older transfers live in a cold tier.
     *
     * @param lock           the held data directory; owned by the recovery from now on.
     * @param limits         of the ledger to build; with a tier, {@code maxTransfers} is the hot window.
     * @param journalContext flush level and sizes; its directory is set to {@code DIR/journal}.
     * @param useSnapshots   false to ignore snapshots and replay the whole journal.
     * @param cold           the tier, open and its agent not started; left written up to the recovered ledger and
     *                       switched to writing by its agent; owned by the caller. Null for no tier.
     * @return the open recovery: journal, ledger and report.
     * @throws JournalException                          if the journal is damaged other than by a torn tail.
     * @throws io.paycore.core.cold.ColdTierException if the tier belongs to another history or fails.
     */
    public static Recovery open(
        final DataDirectoryLock lock,
        final LedgerLimits limits,
        final JournalContext journalContext,
        final boolean useSnapshots,
        final AsyncLmdbColdTier cold)
    {
        final long startNanos = System.nanoTime();
        final DataDirectory directory = lock.directory();
        Journal journal = null;
        boolean recovered = false;
        try
        {
            limits.validate();
            if (null != cold)
            {
                cold.useHotWindow(limits.maxTransfers());
            }
            journalContext
                .directory(directory.journalDirectory())
                .maxRecordLength(Math.max(
                    journalContext.maxRecordLength(), ProtocolLimits.maxMessageLength(limits.maxBatchEvents())));
            journal = Journal.open(journalContext);
            final long lastSequence = journal.lastSequence();
            final long firstSequence = JournalArchive.firstSequence(directory.journalDirectory());

            final List<String> skipped = new ArrayList<>();
            Ledger ledger = null;
            Path snapshotFile = null;
            long snapshotSequence = 0;
            if (useSnapshots)
            {
                final SnapshotStore store = new SnapshotStore(directory.snapshotDirectory());
                final long[] sequences = store.sequences();
                for (int i = sequences.length - 1; i >= 0 && null == ledger; i--)
                {
                    final Path file = store.directory().resolve(SnapshotStore.fileName(sequences[i]));
                    if (sequences[i] + 1 < firstSequence)
                    {
                        skipped.add(file + ": the journal after it was archived (the journal starts at " +
                            firstSequence + ")");
                        continue;
                    }
                    if (sequences[i] > lastSequence)
                    {
                        // A power cut took records it covers (flush none); new ones will take their sequences.
                        skipped.add(file + ": covers sequence " + sequences[i] + " but the journal ends at " +
                            lastSequence + "; set aside as " + store.setAside(sequences[i]).getFileName());
                        continue;
                    }
                    ledger = loadSnapshot(file, limits, cold, skipped);
                    if (null != ledger)
                    {
                        snapshotFile = file;
                        snapshotSequence = sequences[i];
                    }
                }
            }
            if (null == ledger)
            {
                if (firstSequence > 1)
                {
                    final JournalArchive.Marker marker = JournalArchive.readMarker(directory.journalDirectory());
                    throw new JournalException("the journal starts at sequence " + firstSequence + " (the " +
                        "segments before were archived to " + (null == marker ? "?" : marker.archive()) + ") and " +
                        "no usable snapshot covers sequence " + (firstSequence - 1) + " or later" +
                        (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")") + ": move the archived " +
                        "segments back into " + directory.journalDirectory(), directory.journalDirectory(),
                        JournalException.UNKNOWN, 1, null);
                }
                ledger = new Ledger(limits, cold);
            }

            String coldReport = null;
            final LedgerRecordHandler replayer = new LedgerRecordHandler(new CommandProcessor(ledger));
            if (null != cold)
            {
                final long heldBefore = cold.writtenRecordsNow();
                cold.synchronous(true);
                replay(directory.journalDirectory(), snapshotSequence + 1, lastSequence, replayer);
                // Past what the recovered ledger has sealed, not only past its last record: a record it holds in
                // memory but that the tier holds too was sealed by a history the journal lost (a power cut at
                // flush none), in that history's state; sealed again later, it would not be written again.
                final long ahead = cold.recordsAhead(ledger.sealedRecords());
                final long forgotten = ahead > 0 ? cold.discardFrom(ledger.sealedRecords()) : 0;
                cold.synchronous(false);
                coldReport = "held " + heldBefore + " record(s), now " + cold.writtenRecordsNow() + " of the " +
                    "ledger's " + ledger.recordCount() + "; " + ledger.oldestHotRecord() + " out of memory" +
                    (ahead > 0 ? "; " + ahead + " record(s) ahead of the journal forgotten (" + forgotten +
                    " transfer(s) deleted or resolutions undone)" : "");
            }
            else
            {
                replay(directory.journalDirectory(), snapshotSequence + 1, lastSequence, replayer);
            }

            final RecoveryReport report = new RecoveryReport(directory, journal.openReport(), snapshotFile,
                snapshotSequence, skipped, replayer.records(), replayer.processor().invalidRecords(), lastSequence,
                System.nanoTime() - startNanos, coldReport);
            final Recovery recovery = new Recovery(lock, journal, ledger, report);
            recovered = true;
            return recovery;
        }
        catch (final RuntimeException ex)
        {
            // In the mark file's error log too, before the lock lets it go: why the service did not start stays
            // readable with 'paycore errors' (and is saved aside by the next start) when its output is gone.
            lock.markFile().errorHandler().onError(ex);
            throw ex;
        }
        finally
        {
            if (!recovered)
            {
                CloseHelper.quietCloseAll(journal, lock);
            }
        }
    }

    /**
     * @return the held data directory, with its mark file.
     */
    public DataDirectoryLock lock()
    {
        return lock;
    }

    /**
     * @return the journal, open and positioned after its last record; owned by this recovery, closed by
     * {@link #close()}.
     */
    public Journal journal()
    {
        return journal;
    }

    /**
     * @return the recovered ledger: it has applied every journal record, 1..{@link RecoveryReport#lastSequence()}.
     */
    public Ledger ledger()
    {
        return ledger;
    }

    /**
     * @return what the recovery did.
     */
    public RecoveryReport report()
    {
        return report;
    }

    /**
     * Close the journal (forcing it at flush levels {@code batch} and {@code every}) and release the data
     * directory. The ledger stays usable. Safe to call more than once.
     */
    public void close()
    {
        CloseHelper.closeAll(journal, lock);
    }

    private static Ledger loadSnapshot(
        final Path file,
        final LedgerLimits limits,
        final AsyncLmdbColdTier cold,
        final List<String> skipped)
    {
        try (Snapshot snapshot = SnapshotStore.open(file))
        {
            final Ledger ledger = Ledger.readSnapshot(snapshot.channel(), limits, cold);
            if (null != cold && Ledger.UNBOUNDED_TRANSFERS != ledger.transferLimit())
            {
                // Its records were never sealed: going on from it would fill the tier otherwise than a replay
                // of the journal with the tier does, and the next recovery from the journal would refuse the tier.
                skipped.add(file + ": taken without a cold tier (transfers " + ledger.transferLimit() + " in " +
                    "force); with the tier now on, the journal is replayed from an older snapshot or the start");
                return null;
            }
            return ledger;
        }
        catch (final JournalException | LedgerSnapshotException ex)
        {
            skipped.add(file + ": " + ex.getMessage());
        }
        catch (final IOException ex)
        {
            skipped.add(file + ": cannot read: " + ex);
        }

        return null;
    }

    /**
     * Apply a journal's records {@code fromSequence..lastSequence} through a handler, answers discarded; none after
     * {@code lastSequence}, whatever the journal holds.
     *
     * @param journalDirectory of the journal.
     * @param fromSequence     first record to apply; nothing is applied if it is after {@code lastSequence}.
     * @param lastSequence     last record to apply.
     * @param replayer         applies each record.
     * @throws JournalException if the journal ends before {@code lastSequence} or cannot be read.
     */
    public static void replay(
        final Path journalDirectory, final long fromSequence, final long lastSequence, final LedgerRecordHandler replayer)
    {
        if (fromSequence > lastSequence)
        {
            return;
        }

        try (JournalReader reader = JournalReader.open(journalDirectory, fromSequence))
        {
            while (reader.nextSequence() <= lastSequence)
            {
                // Until its first poll a reader opened inside a segment is at the segment's first record, which
                // it skips: count what is left from the first record it delivers.
                final long left = lastSequence - Math.max(reader.nextSequence(), fromSequence) + 1;
                if (0 == reader.poll(replayer, (int)Math.min(REPLAY_POLL_LIMIT, left)))
                {
                    throw new JournalException("journal ended at sequence " + (reader.nextSequence() - 1) +
                        " during replay, before its last record " + lastSequence, journalDirectory,
                        JournalException.UNKNOWN, reader.nextSequence(), null);
                }
            }
        }
    }
}
