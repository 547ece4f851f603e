package io.paycore.replay.audit;

import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerCapacityException;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.LimitsRecord;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.UInt128;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.LedgerSnapshotException;
import io.paycore.core.ledger.TransferResults;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.JournalVerifier;
import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.RecordHandler;
import io.paycore.journal.Snapshot;
import io.paycore.journal.SnapshotStore;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.ScratchDirectory;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Audits a data directory offline: reads its journal through a {@link JournalReader} (which verifies each record's
 * length, its sequence's contiguity and the checksum chain, segment to segment), checks that nothing follows the
 * last valid record (no unverifiable bytes, no later segment), and replays every record through a
 * {@link CommandProcessor} into a fresh ledger, or one loaded from the newest valid snapshot. It counts records per
 * type and message, events per result code, sums balances per ledger, and computes the final digest, the one
 * {@code serve} and {@code demo} print. On request it stops applying at a sequence or time (still verifying the
 * rest), prints an account's history ({@link AccountHistory}), streams every command event to a file
 * ({@link EventExporter}), and compares every snapshot with the replayed state at its sequence.
 * <p>
 * <b>Read only</b>: the auditor takes no lock and changes nothing in the directory (segments and snapshots are
 * mapped or opened read only; no torn tail is truncated), so it can audit a copy, or a directory a running service
 * holds. On a live directory it audits the records published when it reaches the end; a record being written
 * at that instant is waited for briefly rather than reported as a torn tail.
 * <p>
 * <b>Memory</b>: the ledger (sized by the limits), one more while a snapshot is loaded, and constant buffers;
 * nothing grows with the journal's length.
 * <p>
 * <b>Threading</b>: runs on the calling thread.
 */
public final class Auditor
{
    /**
     * Records delivered per {@link JournalReader#poll} call.
     */
    static final int POLL_LIMIT = 1024;

    private static final int END_RETRIES = 5;
    private static final long END_RETRY_PAUSE_NANOS = 10_000_000L;

    /**
     * A tier for loading a snapshot only to read its digest: it claims every record, so a snapshot of a ledger with
     * a cold tier loads, and is never asked for one.
     */
    private static final ColdTier DIGEST_ONLY = new ColdTier()
    {
        public boolean find(
            final long idHi, final long idLo, final long beforeRecord, final long[] into, final int offset)
        {
            throw new IllegalStateException("a snapshot loaded for its digest looked up transfer " +
                UInt128.toString(idHi, idLo));
        }

        public void onSealed(final Ledger ledger, final long fromRecord, final long toRecord)
        {
        }

        public long writtenRecords()
        {
            return Long.MAX_VALUE;
        }
    };

    private Auditor()
    {
    }

    /**
     * Audit a data directory.
     *
     * @param context what to audit and how; concluded here.
     * @return the report; {@link AuditReport#damage()} is set if the journal is damaged, in which case the
     * state is not reported and no export file is left.
     * @throws IllegalArgumentException if the context is not valid.
     * @throws IllegalStateException    if there is no journal to audit.
     * @throws UncheckedIOException     on an I/O error other than damage (reading a segment, writing the export).
     */
    public static AuditReport run(final AuditContext context)
    {
        context.conclude();
        if (0 == context.coldTierSizeBytes())
        {
            return run(context, null);
        }
        final ScratchDirectory coldDirectory;
        try
        {
            coldDirectory = ScratchDirectory.create(context.coldTierParent(), "paycore-audit-cold-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make the audit's temporary cold tier: " + ex, ex);
        }
        try (coldDirectory)
        {
            final Path serviceTier = context.directory().coldDirectory();
            final boolean readServiceTier = context.fromSnapshot() && Files.isRegularFile(serviceTier.resolve(
                "data.mdb"));
            try (LmdbColdTier cold = new LmdbColdTier(
                coldDirectory.path(), context.coldTierSizeBytes(), readServiceTier ? serviceTier : null))
            {
                return run(context, cold);
            }
        }
    }

    private static AuditReport run(final AuditContext context, final ColdTier cold)
    {
        final DataDirectory directory = context.directory();
        final Path journalDirectory = directory.journalDirectory();
        final Path[] segments = JournalVerifier.segments(journalDirectory);
        if (0 == segments.length)
        {
            throw new IllegalStateException("no journal to audit: no segment files in " + journalDirectory +
                directory.journalDirectoryGivenHint());
        }
        final long lastSequenceEstimate = JournalVerifier.lastSequenceEstimate(segments[segments.length - 1]);
        final LedgerLimits limits = context.limits();
        final AuditReport report = new AuditReport(directory);
        report.segments = segments.length;
        final long firstSequence;
        final JournalArchive.Marker marker;
        try
        {
            firstSequence = JournalArchive.firstSequence(journalDirectory);
            marker = firstSequence > 1 ? JournalArchive.readMarker(journalDirectory) : null;
        }
        catch (final JournalException ex)
        {
            // What Journal.open refuses as damage (a file named like a segment that is not one, a malformed archive
            // marker) is damage here too, not a failed check.
            report.damage = ex;
            return report;
        }
        if (firstSequence > 1 && (null == marker || firstSequence > marker.firstSequence()))
        {
            // As Journal.open: only an archive marker explains a journal that starts after sequence 1.
            final long missingFrom = null == marker ? 1 : marker.firstSequence();
            report.damage = new JournalException("first segment does not start at sequence " + missingFrom + " but " +
                "at " + firstSequence + (null == marker ? " and no segments were archived (" +
                JournalArchive.MARKER_FILE_NAME + ")" : ", after the first the archive marker keeps") + ": sequences " +
                missingFrom + ".." + (firstSequence - 1) + " are missing", segments[0], 0, missingFrom, null);
            return report;
        }
        if (firstSequence > 1 && !context.fromSnapshot())
        {
            throw new IllegalStateException("the journal starts at sequence " + firstSequence + ": the segments " +
                "before were archived to " + marker.archive() + "; audit from the newest snapshot " +
                "(--from-snapshot), or move the archived segments back to audit from the start");
        }

        final long[] snapshotSequences = snapshotSequences(directory.snapshotDirectory());
        Ledger ledger = null;
        if (context.fromSnapshot())
        {
            ledger = newestUsableSnapshot(
                context, snapshotSequences, firstSequence, lastSequenceEstimate, cold, report);
            if (null == ledger && firstSequence > 1)
            {
                throw new IllegalStateException("the journal starts at sequence " + firstSequence + " (the segments " +
                    "before were archived) and no usable snapshot covers sequence " + (firstSequence - 1) +
                    " or later: " + report.skippedSnapshots);
            }
        }
        if (null == ledger)
        {
            ledger = new Ledger(limits, cold);
        }

        final Replayer replayer = new Replayer(context, ledger, report);
        if (context.verifySnapshots())
        {
            replayer.loadSnapshotDigests(directory.snapshotDirectory(), snapshotSequences, limits);
        }
        report.firstSequence = report.snapshotSequence + 1;
        report.lastVerifiedSequence = report.snapshotSequence;
        if (report.snapshotSequence > 0)
        {
            // Until a record after it is applied, the state reported is the snapshot's.
            report.lastAppliedSequence = report.snapshotSequence;
            report.lastAppliedTimestampNanos =
                recordTimestampNanos(journalDirectory, report.snapshotSequence, firstSequence, ledger.clockNanos());
        }
        EventExporter exporter = null;
        Path exportTemp = null;
        if (null != context.exportFile())
        {
            if (Files.isDirectory(context.exportFile()))
            {
                // Found out only by the rename at the end otherwise, after the whole replay.
                throw new UncheckedIOException("cannot create export file " + context.exportFile() + ": it is a " +
                    "directory", new FileAlreadyExistsException(context.exportFile().toString()));
            }
            report.exportFile = context.exportFile();
            report.exportFormat = context.exportFormat();
            exportTemp = context.exportFile().resolveSibling(context.exportFile().getFileName() + ".tmp");
            exporter = new EventExporter(exportTemp, context.exportFormat());
            replayer.exporter = exporter;
        }
        if (0 != context.accountId().signum())
        {
            replayer.history = new AccountHistory(context.accountId(), ledger, context.historyOut());
            replayer.history.start();
            report.historyAccountId = context.accountId();
        }

        boolean exported = false;
        try
        {
            replayer.checkSnapshotsAt(report.snapshotSequence);
            replay(context, journalDirectory, lastSequenceEstimate, replayer, report);
            if (null != exporter)
            {
                exporter.close();
                report.exportedEvents = exporter.eventsWritten();
                if (null == report.damage)
                {
                    Files.move(exportTemp, context.exportFile(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                    exported = true;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write export file " + context.exportFile() + ": " + ex, ex);
        }
        catch (final LedgerCapacityException ex)
        {
            if (context.fromSnapshot() && 0 == report.snapshotSequence && !report.skippedSnapshots.isEmpty())
            {
                // Asked to start from a snapshot, it started from the beginning: say why, or the record named is a
                // puzzle (a snapshot these limits cannot hold is one of the reasons).
                throw new LedgerCapacityException(ex.getMessage() + " (--from-snapshot: no snapshot could be " +
                    "used, so the replay started from the journal's beginning: " +
                    String.join("; ", report.skippedSnapshots) + ")");
            }
            throw ex;
        }
        finally
        {
            if (null != exporter && !exported)
            {
                deleteExport(exporter, exportTemp);
            }
        }
        if (!exported)
        {
            report.exportFile = null;
        }

        if (null == report.damage)
        {
            replayer.notReached();
            report.totals = LedgerTotals.of(ledger);
            report.digest = ledger.digestHex();
            report.accountCount = ledger.accountCount();
            report.transferCount = ledger.transferCount();
            report.pendingCount = ledger.pendingCount();
        }
        if (null != replayer.history)
        {
            report.historyLines = replayer.history.linesPrinted();
            report.historyUnreconciled = replayer.history.unreconciledRecords();
        }
        report.invalidRecords = replayer.processor.invalidRecords(); // unknown record types included

        return report;
    }

    /**
     * Close and delete an export not renamed into place; the close fails again when writing it failed (a full disk),
     * and the file must go all the same.
     */
    private static void deleteExport(final EventExporter exporter, final Path exportTemp)
    {
        try
        {
            exporter.close();
        }
        catch (final UncheckedIOException ignore)
        {
            // the failure being reported matters more than this one
        }
        try
        {
            Files.deleteIfExists(exportTemp);
        }
        catch (final IOException ignore)
        {
            // the failure being reported matters more than a left-over temporary file
        }
    }

    private static void replay(
        final AuditContext context,
        final Path journalDirectory,
        final long lastSequenceEstimate,
        final Replayer replayer,
        final AuditReport report)
    {
        final AuditProgress progress = context.progress();
        final long intervalNanos = context.progressIntervalNanos();
        final long startNanos = System.nanoTime();
        long lastProgressNanos = startNanos;
        try (JournalReader reader = JournalReader.open(journalDirectory, report.snapshotSequence + 1))
        {
            replayer.reader = reader;
            int retries = 0;
            while (true)
            {
                if (reader.poll(replayer, POLL_LIMIT) > 0)
                {
                    retries = 0;
                    if (null != progress)
                    {
                        final long nowNanos = System.nanoTime();
                        if (nowNanos - lastProgressNanos >= intervalNanos)
                        {
                            lastProgressNanos = nowNanos;
                            progress.onProgress(report.lastVerifiedSequence, lastSequenceEstimate,
                                report.firstSequence, report.transferEvents, nowNanos - startNanos);
                        }
                    }
                    continue;
                }

                final JournalException problem = JournalVerifier.checkEnd(journalDirectory, reader.nextSequence());
                if (null == problem)
                {
                    break;
                }
                if (++retries > END_RETRIES)
                {
                    throw problem;
                }
                LockSupport.parkNanos(END_RETRY_PAUSE_NANOS); // a live writer may be publishing that record
            }
        }
        catch (final JournalException ex)
        {
            if (ex.getCause() instanceof IOException)
            {
                // A segment that cannot be opened or read (permissions, an I/O error) is not damage: nothing was read.
                throw new UncheckedIOException("cannot read the journal: " + ex.getMessage(),
                    (IOException)ex.getCause());
            }
            report.damage = ex;
        }
        report.replayNanos = System.nanoTime() - startNanos;
        if (null != progress && null == report.damage)
        {
            progress.onProgress(report.lastVerifiedSequence, Math.max(lastSequenceEstimate,
                report.lastVerifiedSequence), report.firstSequence, report.transferEvents, report.replayNanos);
        }
    }

    private static Ledger newestUsableSnapshot(
        final AuditContext context,
        final long[] sequences,
        final long firstSequence,
        final long lastSequenceEstimate,
        final ColdTier cold,
        final AuditReport report)
    {
        final Path snapshotDirectory = context.directory().snapshotDirectory();
        for (int i = sequences.length - 1; i >= 0; i--)
        {
            final long sequence = sequences[i];
            final Path file = snapshotDirectory.resolve(SnapshotStore.fileName(sequence));
            if (sequence > context.untilSequence())
            {
                report.skippedSnapshots.add(file + ": after the end point (sequence " + context.untilSequence() + ")");
                continue;
            }
            if (sequence + 1 < firstSequence)
            {
                report.skippedSnapshots.add(file + ": the journal after it was archived (the journal starts at " +
                    firstSequence + ")");
                continue;
            }
            if (sequence > lastSequenceEstimate)
            {
                report.skippedSnapshots.add(file + ": covers sequence " + sequence + " but the journal ends at " +
                    lastSequenceEstimate);
                continue;
            }
            final Ledger ledger;
            try
            {
                ledger = load(file, context.limits(), cold);
            }
            catch (final JournalException | LedgerSnapshotException | UncheckedIOException ex)
            {
                report.skippedSnapshots.add(file + ": " + ex.getMessage());
                continue;
            }
            if (ledger.clockNanos() > context.untilTimestampNanos())
            {
                report.skippedSnapshots.add(file + ": after the end point (its clock is " +
                    AccountHistory.time(ledger.clockNanos()) + ")");
                continue;
            }
            report.snapshotFile = file;
            report.snapshotSequence = sequence;
            return ledger;
        }

        return null;
    }

    /**
     * The timestamp of a journal record, for the time of a snapshot taken at it.
     *
     * @param journalDirectory the journal.
     * @param sequence         the record.
     * @param firstSequence    the journal's first record (earlier ones archived).
     * @param otherwise        when the record was archived or cannot be read (the replay reports damage itself).
     * @return its timestamp, or otherwise.
     */
    static long recordTimestampNanos(
        final Path journalDirectory, final long sequence, final long firstSequence, final long otherwise)
    {
        if (sequence < firstSequence)
        {
            return otherwise;
        }
        final long[] timestamp = { otherwise };
        try (JournalReader reader = JournalReader.open(journalDirectory, sequence))
        {
            reader.poll((type, recordSequence, timestampNanos, buffer, offset, length) ->
            {
                if (recordSequence == sequence)
                {
                    timestamp[0] = timestampNanos;
                }
            }, 1);
        }
        catch (final JournalException ex)
        {
            return otherwise;
        }
        return timestamp[0];
    }

    static Ledger load(final Path file, final LedgerLimits limits, final ColdTier cold)
    {
        try (Snapshot snapshot = SnapshotStore.open(file))
        {
            return Ledger.readSnapshot(snapshot.channel(), limits, cold);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex, ex);
        }
    }

    /**
     * Sequences of the snapshot files present, ascending, without creating the directory.
     */
    static long[] snapshotSequences(final Path snapshotDirectory)
    {
        if (!Files.isDirectory(snapshotDirectory))
        {
            return new long[0];
        }
        return new SnapshotStore(snapshotDirectory).sequences();
    }

    /**
     * The record handler of the replay: verifies nothing itself (the reader does), applies records up to the end
     * point and tallies them; the allocation-free path unless a history or an export is asked for.
     */
    static final class Replayer implements RecordHandler
    {
        final CommandProcessor processor;
        final Ledger ledger;
        final AuditReport report;
        final long untilSequence;
        final long untilTimestampNanos;
        final LedgerRecordHandler applier;
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final LookupAccountsDecoder lookupAccountsDecoder = new LookupAccountsDecoder();
        final LookupTransfersDecoder lookupTransfersDecoder = new LookupTransfersDecoder();
        EventExporter exporter;
        AccountHistory history;
        JournalReader reader;
        boolean stopped;

        long[] checkSequences = new long[0];
        Path[] checkFiles = new Path[0];
        String[] checkDigests = new String[0];
        String[] checkProblems = new String[0];
        int nextCheck;
        long nextCheckSequence = Long.MAX_VALUE;

        Replayer(final AuditContext context, final Ledger ledger, final AuditReport report)
        {
            this.ledger = ledger;
            this.processor = new CommandProcessor(ledger);
            this.applier = new LedgerRecordHandler(processor);
            this.report = report;
            this.untilSequence = context.untilSequence();
            this.untilTimestampNanos = context.untilTimestampNanos();
        }

        public void onRecord(
            final int type,
            final long sequence,
            final long timestampNanos,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            final AuditReport report = this.report;
            final int recordOffset = offset - RecordDescriptor.HEADER_LENGTH;
            report.previousSequence = sequence;
            report.previousOffset = recordOffset;
            report.previousFile = reader.segmentFile();
            report.lastVerifiedSequence = sequence;
            report.recordsVerified++;
            report.lastChecksum = buffer.getInt(recordOffset + RecordDescriptor.CHECKSUM_OFFSET);
            if (stopped)
            {
                return;
            }
            if (sequence > untilSequence || timestampNanos > untilTimestampNanos)
            {
                stopped = true;
                report.stoppedEarly = true;
                return;
            }

            report.recordsApplied++;
            report.lastAppliedSequence = sequence;
            report.lastAppliedTimestampNanos = timestampNanos;
            if (RecordTypes.EPOCH == type)
            {
                // a promotion under the retired home-made replication, in an old journal: no ledger state
                report.epochRecords++;
                report.lastEpochSequence = sequence;
                report.lastEpoch = RecordTypes.EPOCH_PAYLOAD_LENGTH == length ?
                    buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : -1;
                return;
            }
            final CommandProcessor processor = this.processor;
            applier.onRecord(type, sequence, timestampNanos, buffer, offset, length);
            if (RecordTypes.TICK == type)
            {
                report.ticks++;
            }
            else if (RecordTypes.LIMITS == type && LimitsRecord.isValid(buffer, offset, length))
            {
                if (0 == report.limitsRecords)
                {
                    report.limitsFromFirstRecord = 1 == report.recordsApplied;
                }
                report.limitsRecords++;
                if (report.limits.size() == AuditReport.LIMITS_LINES)
                {
                    report.limits.removeFirst();
                }
                report.limits.addLast(LimitsRecord.describe(buffer, offset) + " in force from sequence " + sequence);
            }
            else if (RecordTypes.MESSAGE == type)
            {
                tally(processor.lastTemplateId(), buffer, offset);
            }

            if (null != exporter)
            {
                exporter.onApplied(sequence, timestampNanos, buffer, offset, processor);
            }
            if (null != history)
            {
                history.onApplied(sequence, timestampNanos, buffer, offset, processor);
            }
            if (sequence == nextCheckSequence)
            {
                checkSnapshotsAt(sequence);
            }
        }

        private void tally(final int templateId, final DirectBuffer buffer, final int offset)
        {
            final AuditReport report = this.report;
            switch (templateId)
            {
                case CreateTransfersDecoder.TEMPLATE_ID:
                {
                    final TransferResults results = processor.transferResults();
                    final int count = results.count();
                    final long[] counts = report.transferResults;
                    for (int i = 0; i < count; i++)
                    {
                        counts[results.result(i).ordinal()]++;
                    }
                    report.transferEvents += count;
                    report.messageRecords[templateId]++;
                    report.messageEvents[templateId] += count;
                    break;
                }

                case CreateAccountsDecoder.TEMPLATE_ID:
                {
                    final AccountResults results = processor.accountResults();
                    final int count = results.count();
                    final long[] counts = report.accountResults;
                    for (int i = 0; i < count; i++)
                    {
                        counts[results.result(i).ordinal()]++;
                    }
                    report.messageRecords[templateId]++;
                    report.messageEvents[templateId] += count;
                    break;
                }

                case LookupAccountsDecoder.TEMPLATE_ID:
                    headerDecoder.wrap(buffer, offset);
                    lookupAccountsDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    report.messageRecords[templateId]++;
                    report.messageEvents[templateId] += lookupAccountsDecoder.ids().count();
                    break;

                case LookupTransfersDecoder.TEMPLATE_ID:
                    headerDecoder.wrap(buffer, offset);
                    lookupTransfersDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    report.messageRecords[templateId]++;
                    report.messageEvents[templateId] += lookupTransfersDecoder.ids().count();
                    break;

                case 0:
                    break; // not a valid message: counted by the processor

                default:
                    report.messageRecords[Math.min(templateId, AuditReport.MAX_TEMPLATE_ID)]++;
                    break;
            }
        }

        /**
         * Load each snapshot in turn, keep its digest, and drop it: one extra ledger in memory at a time.
         */
        void loadSnapshotDigests(final Path snapshotDirectory, final long[] sequences, final LedgerLimits limits)
        {
            final int n = sequences.length;
            checkSequences = sequences.clone();
            checkFiles = new Path[n];
            checkDigests = new String[n];
            checkProblems = new String[n];
            for (int i = 0; i < n; i++)
            {
                checkFiles[i] = snapshotDirectory.resolve(SnapshotStore.fileName(sequences[i]));
                try
                {
                    checkDigests[i] = load(checkFiles[i], limits, DIGEST_ONLY).digestHex();
                }
                catch (final JournalException | LedgerSnapshotException | UncheckedIOException ex)
                {
                    checkProblems[i] = ex.getMessage();
                }
            }
            nextCheck = 0;
            nextCheckSequence = n > 0 ? sequences[0] : Long.MAX_VALUE;
        }

        /**
         * Compare every snapshot of this sequence with the ledger now (call after applying the record).
         */
        void checkSnapshotsAt(final long sequence)
        {
            while (nextCheck < checkSequences.length && checkSequences[nextCheck] <= sequence)
            {
                final int i = nextCheck++;
                if (checkSequences[i] < sequence)
                {
                    report.snapshotChecks.add(new SnapshotCheck(checkFiles[i], checkSequences[i],
                        SnapshotCheck.Status.NOT_REACHED, checkDigests[i], null,
                        "before the replay's first record"));
                }
                else if (null != checkProblems[i])
                {
                    report.snapshotChecks.add(new SnapshotCheck(checkFiles[i], checkSequences[i],
                        SnapshotCheck.Status.UNREADABLE, null, null, checkProblems[i]));
                }
                else
                {
                    final String replayed = ledger.digestHex();
                    report.snapshotChecks.add(new SnapshotCheck(checkFiles[i], checkSequences[i],
                        replayed.equals(checkDigests[i]) ? SnapshotCheck.Status.MATCH :
                        SnapshotCheck.Status.MISMATCH, checkDigests[i], replayed, null));
                }
            }
            nextCheckSequence = nextCheck < checkSequences.length ? checkSequences[nextCheck] : Long.MAX_VALUE;
        }

        /**
         * Report the snapshots the replay did not reach.
         */
        void notReached()
        {
            while (nextCheck < checkSequences.length)
            {
                final int i = nextCheck++;
                if (null != checkProblems[i])
                {
                    report.snapshotChecks.add(new SnapshotCheck(checkFiles[i], checkSequences[i],
                        SnapshotCheck.Status.UNREADABLE, checkDigests[i], null, checkProblems[i]));
                }
                else if (!report.stoppedEarly && checkSequences[i] > report.lastVerifiedSequence)
                {
                    // Not an end point: the journal ends before it.
                    report.snapshotChecks.add(new SnapshotCheck(checkFiles[i], checkSequences[i],
                        SnapshotCheck.Status.PAST_JOURNAL_END, checkDigests[i], null, "the journal ends at sequence " +
                        report.lastVerifiedSequence + ": records the snapshot covers are missing, or it is of " +
                        "another history"));
                }
                else
                {
                    report.snapshotChecks.add(new SnapshotCheck(checkFiles[i], checkSequences[i],
                        SnapshotCheck.Status.NOT_REACHED, checkDigests[i], null,
                        "the replay ended at sequence " + report.lastAppliedSequence));
                }
            }
            nextCheckSequence = Long.MAX_VALUE;
        }
    }
}
