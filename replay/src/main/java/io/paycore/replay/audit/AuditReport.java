package io.paycore.replay.audit;

import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.journal.JournalException;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.JournalComparison;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What an {@link Auditor} found: how much of the journal it verified and any damage (file, offset, sequence), what
 * it replayed (from where, to where), counts per record and message type and per result code, per-ledger totals
 * and whether they balance, snapshot checks, the account history's and the export's outcome, the replay rate and
 * the final digest. {@link #print(PrintStream)} writes the report as documented there.
 * <p>
 * Effectively immutable once returned by {@link Auditor#run(AuditContext)}.
 */
public final class AuditReport
{
    /**
     * Template ids counted by name; others are counted as "other".
     */
    static final int MAX_TEMPLATE_ID = 7;

    private static final CreateAccountResult[] ACCOUNT_RESULTS = CreateAccountResult.values();
    private static final CreateTransferResult[] TRANSFER_RESULTS = CreateTransferResult.values();

    final DataDirectory directory;
    int segments;
    long firstSequence;
    long lastVerifiedSequence;
    long recordsVerified;
    int lastChecksum;
    JournalException damage;
    long previousSequence;
    long previousOffset = -1;
    Path previousFile;

    Path snapshotFile;
    long snapshotSequence;
    final List<String> skippedSnapshots = new ArrayList<>();

    boolean stoppedEarly;
    long lastAppliedSequence;
    long lastAppliedTimestampNanos;
    long recordsApplied;
    long ticks;
    long epochRecords;
    static final int LIMITS_LINES = 64;
    long limitsRecords;
    boolean limitsFromFirstRecord;
    /**
     * The limits records applied, each as its report line's text, the newest {@link #LIMITS_LINES} of them.
     */
    final ArrayDeque<String> limits = new ArrayDeque<>();
    long lastEpoch;
    long lastEpochSequence;
    long invalidRecords;
    final long[] messageRecords = new long[MAX_TEMPLATE_ID + 1];
    final long[] messageEvents = new long[MAX_TEMPLATE_ID + 1];
    final long[] accountResults = new long[ACCOUNT_RESULTS.length];
    final long[] transferResults = new long[TRANSFER_RESULTS.length];
    long transferEvents;

    LedgerTotals totals;
    int accountCount;
    long transferCount;
    int pendingCount;
    String digest;

    final List<SnapshotCheck> snapshotChecks = new ArrayList<>();
    BigInteger historyAccountId = BigInteger.ZERO;
    long historyLines;
    long historyUnreconciled;
    Path exportFile;
    ExportFormat exportFormat;
    long exportedEvents;

    long replayNanos;

    AuditReport(final DataDirectory directory)
    {
        this.directory = directory;
    }

    /**
     * @return the data directory audited.
     */
    public DataDirectory directory()
    {
        return directory;
    }

    /**
     * @return the damage found, naming file, offset and sequence, or null if every record read verified.
     */
    public JournalException damage()
    {
        return damage;
    }

    /**
     * @return true if the journal verified and, when asked, every snapshot matched, every ledger balances, and the
     * account history reconciled.
     */
    public boolean isClean()
    {
        return null == damage && isBalanced() && snapshotsMatch() && 0 == historyUnreconciled;
    }

    /**
     * @return first sequence verified and replayed: 1, or the one after the snapshot started from.
     */
    public long firstSequence()
    {
        return firstSequence;
    }

    /**
     * @return the last sequence that verified (the journal's last when there is no damage).
     */
    public long lastVerifiedSequence()
    {
        return lastVerifiedSequence;
    }

    /**
     * @return records verified (read through the checksum chain).
     */
    public long recordsVerified()
    {
        return recordsVerified;
    }

    /**
     * @return the checksum of the last verified record: the head of the chain, to compare with a copy kept
     * elsewhere (it is the only defence against an edit of the last record with its checksum recomputed).
     */
    public int lastChecksum()
    {
        return lastChecksum;
    }

    /**
     * @return the snapshot the replay started from, or null if it started from the journal's beginning.
     */
    public Path snapshotFile()
    {
        return snapshotFile;
    }

    /**
     * @return the sequence of the snapshot the replay started from, 0 if none.
     */
    public long snapshotSequence()
    {
        return snapshotSequence;
    }

    /**
     * @return snapshots passed over when looking for one to start from, each with its reason.
     */
    public List<String> skippedSnapshots()
    {
        return Collections.unmodifiableList(skippedSnapshots);
    }

    /**
     * @return the last sequence applied: the state reported is the state as of this record.
     */
    public long lastAppliedSequence()
    {
        return lastAppliedSequence;
    }

    /**
     * @return the timestamp of the last record applied, epoch nanoseconds; 0 if none.
     */
    public long lastAppliedTimestampNanos()
    {
        return lastAppliedTimestampNanos;
    }

    /**
     * @return true if the replay stopped before the journal's end ({@code --until-*}).
     */
    public boolean stoppedEarly()
    {
        return stoppedEarly;
    }

    /**
     * @return records applied.
     */
    public long recordsApplied()
    {
        return recordsApplied;
    }

    /**
     * @return tick records applied.
     */
    public long ticks()
    {
        return ticks;
    }

    /**
     * @return epoch records applied (promotions of a standby, journaled by versions with the retired home-made
     * replication); they change no ledger state.
     */
    public long epochRecords()
    {
        return epochRecords;
    }

    /**
     * @return limits records applied (the ledger limits a service ran with, journaled when it started).
     */
    public long limitsRecords()
    {
        return limitsRecords;
    }

    /**
     * @return the epoch of the last epoch record applied, 0 if none.
     */
    public long lastEpoch()
    {
        return lastEpoch;
    }

    /**
     * @return records that were not valid messages (or of an unknown type) and changed nothing.
     */
    public long invalidRecords()
    {
        return invalidRecords;
    }

    /**
     * @param templateId of an ingress message, e.g. {@link CreateTransfersDecoder#TEMPLATE_ID}.
     * @return records of that message applied.
     */
    public long messageRecords(final int templateId)
    {
        return messageRecords[Math.min(templateId, MAX_TEMPLATE_ID)];
    }

    /**
     * @param templateId of an ingress message.
     * @return events (accounts, transfers or ids looked up) in those records.
     */
    public long messageEvents(final int templateId)
    {
        return messageEvents[Math.min(templateId, MAX_TEMPLATE_ID)];
    }

    /**
     * @param result an account result code.
     * @return how many account events got it.
     */
    public long accountResults(final CreateAccountResult result)
    {
        return accountResults[result.ordinal()];
    }

    /**
     * @param result a transfer result code.
     * @return how many transfer events got it.
     */
    public long transferResults(final CreateTransferResult result)
    {
        return transferResults[result.ordinal()];
    }

    /**
     * @return transfer events applied, whatever their result.
     */
    public long transferEvents()
    {
        return transferEvents;
    }

    /**
     * @return per-ledger totals of the final state, or null if damage stopped the audit.
     */
    public LedgerTotals totals()
    {
        return totals;
    }

    /**
     * @return true if every ledger balances (false if damage stopped the audit).
     */
    public boolean isBalanced()
    {
        return null != totals && totals.isBalanced();
    }

    /**
     * @return the digest of the final state, as {@code serve} and {@code demo} print it; null if damage stopped the
     * audit.
     */
    public String digest()
    {
        return digest;
    }

    /**
     * @return the snapshot checks, in sequence order; empty unless asked for.
     */
    public List<SnapshotCheck> snapshotChecks()
    {
        return Collections.unmodifiableList(snapshotChecks);
    }

    /**
     * @return true if every snapshot checked matched (or none was checked).
     */
    public boolean snapshotsMatch()
    {
        for (final SnapshotCheck check : snapshotChecks)
        {
            if (SnapshotCheck.Status.MATCH != check.status() && SnapshotCheck.Status.NOT_REACHED != check.status())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return records after which the account history's running balances did not match the ledger's.
     */
    public long historyUnreconciled()
    {
        return historyUnreconciled;
    }

    /**
     * @return events exported.
     */
    public long exportedEvents()
    {
        return exportedEvents;
    }

    /**
     * @return the export file, written only if there was no damage; null if none was asked for.
     */
    public Path exportFile()
    {
        return exportFile;
    }

    /**
     * @return wall time of the replay loop (reading, verifying, applying, exporting), nanoseconds.
     */
    public long replayNanos()
    {
        return replayNanos;
    }

    /**
     * @return records applied per second of {@link #replayNanos()}.
     */
    public double recordsPerSecond()
    {
        return replayNanos > 0 ? recordsApplied * 1e9 / replayNanos : 0;
    }

    /**
     * @return transfer events applied per second of {@link #replayNanos()}.
     */
    public double transfersPerSecond()
    {
        return replayNanos > 0 ? transferEvents * 1e9 / replayNanos : 0;
    }

    /**
     * Print the report, one fact per line:
     * <pre>
     * audit of DIR
     * journal: N record(s) verified, sequences A..B, S segment(s), checksum chain intact, last checksum 0xXXXXXXXX
     *                                                  ('..., no checksum read' when no record was read)
     * start: journal beginning | start: snapshot FILE (sequence S); the journal before it was not verified
     * state as of: sequence N, ISO-TIME (end of journal | records after it verified, not applied)
     *                                                  (sequence 0: 'before the first record' for the time)
     * records: N applied (messages M, ticks T, limits L, epochs E, invalid I)
     * limits: LIMITS in force from sequence S           one per limits record (a service start that changed
     *                                                  them), the newest 64
     * epoch: E (last epoch record at sequence S)       only if the journal has epoch records (old promotions)
     * message NAME: R record(s), E event(s)            one per message type seen
     * account result CODE: N                           one per code seen
     * transfer result CODE: N                          one per code seen
     * ledger L: accounts N, debits pending X, debits posted Y, credits pending X, credits posted Y
     * balanced: yes | balanced: NO (ledger L: ...)
     * snapshot check FILE (sequence S): MATCH|MISMATCH|UNREADABLE|NOT_REACHED|PAST_JOURNAL_END ...
     * history: account ID, N line(s), reconciled | NOT reconciled after K record(s) [; no event names the account]
     * export: N event(s) to FILE (csv|jsonl)
     * warning: ...                                     if a *_FULL result may come from smaller limits than the
     *                                                  service's (no LIMITS record from the start)
     * warning: ...                                     if records are not valid messages (they changed nothing)
     * state: A account(s), T transfer(s), P pending
     * replay: N records in S s: R records/s, T transfers/s
     * digest: HEX
     * </pre>
     * After damage, instead of everything from "state as of" on:
     * <pre>
     * DAMAGED: MESSAGE
     * damage at: file=FILE offset=O sequence=S
     * previous record: sequence S-1 at offset O' in NAME (the segment file holding it; the chain covers it too)
     * </pre>
     *
     * @param out where to print.
     */
    public void print(final PrintStream out)
    {
        out.println("audit of " + directory);
        if (null == damage && 0 == recordsVerified)
        {
            // No record read (none after the snapshot it started from): no checksum to give; 0x00000000 would read
            // as the chain's head.
            out.printf(Locale.ROOT, "journal: 0 record(s) verified, sequences none, %d segment(s), no checksum read%n",
                segments);
        }
        else if (null == damage)
        {
            out.printf(Locale.ROOT, "journal: %d record(s) verified, sequences %s, %d segment(s), checksum chain " +
                "intact, last checksum 0x%08x%n", recordsVerified, range(), segments, lastChecksum);
        }
        else
        {
            out.printf(Locale.ROOT, "journal: %d record(s) verified, sequences %s, then damage%n", recordsVerified,
                range());
        }
        if (null == snapshotFile)
        {
            out.println("start: journal beginning");
        }
        else
        {
            out.printf(Locale.ROOT, "start: snapshot %s (sequence %d); the journal before it was not verified%n",
                snapshotFile, snapshotSequence);
        }
        for (final String skipped : skippedSnapshots)
        {
            out.println("skipped snapshot: " + skipped);
        }

        if (null != damage)
        {
            out.println("DAMAGED: " + damage.getMessage());
            out.printf(Locale.ROOT, "damage at: file=%s offset=%d sequence=%d%n", damage.file(), damage.offset(),
                damage.sequence());
            if (previousOffset >= 0)
            {
                out.printf(Locale.ROOT, "previous record: sequence %d at offset %d in %s (the chain covers it " +
                    "too: an edit there with its checksum recomputed shows at the next record)%n", previousSequence,
                    previousOffset, null != previousFile ? previousFile.getFileName() : "?");
            }
            return;
        }

        // Nothing applied (an end point before the first record): the empty ledger, which has no time.
        out.printf(Locale.ROOT, "state as of: sequence %d, %s (%s)%n", lastAppliedSequence,
            0 == lastAppliedSequence ? "before the first record" : AccountHistory.time(lastAppliedTimestampNanos),
            stoppedEarly ? "records after it verified, not applied" : "end of journal");
        long messages = 0;
        for (final long n : messageRecords)
        {
            messages += n;
        }
        out.printf(Locale.ROOT, "records: %d applied (messages %d, ticks %d, limits %d, epochs %d, invalid %d)%n",
            recordsApplied, messages, ticks, limitsRecords, epochRecords, invalidRecords);
        if (limitsRecords > limits.size())
        {
            out.printf(Locale.ROOT, "limits: %d earlier limits record(s) not listed%n", limitsRecords - limits.size());
        }
        for (final String line : limits)
        {
            out.println("limits: " + line);
        }
        if (epochRecords > 0)
        {
            out.printf(Locale.ROOT, "epoch: %d (last epoch record at sequence %d)%n", lastEpoch, lastEpochSequence);
        }
        for (int t = 0; t <= MAX_TEMPLATE_ID; t++)
        {
            if (messageRecords[t] > 0)
            {
                out.printf(Locale.ROOT, "message %s: %d record(s), %d event(s)%n", templateName(t), messageRecords[t],
                    messageEvents[t]);
            }
        }
        for (int i = 0; i < accountResults.length; i++)
        {
            if (accountResults[i] > 0)
            {
                out.printf(Locale.ROOT, "account result %s: %d%n", ACCOUNT_RESULTS[i].name(), accountResults[i]);
            }
        }
        for (int i = 0; i < transferResults.length; i++)
        {
            if (transferResults[i] > 0)
            {
                out.printf(Locale.ROOT, "transfer result %s: %d%n", TRANSFER_RESULTS[i].name(), transferResults[i]);
            }
        }
        final StringBuilder unbalanced = new StringBuilder();
        for (final LedgerTotals.Entry e : totals.entries())
        {
            out.printf(Locale.ROOT, "ledger %d: accounts %d, debits pending %s, debits posted %s, credits pending " +
                "%s, credits posted %s%n", e.ledger(), e.accounts(), e.debitsPending(), e.debitsPosted(),
                e.creditsPending(), e.creditsPosted());
            if (!e.isBalanced())
            {
                unbalanced.append(unbalanced.length() > 0 ? "; " : "").append("ledger ").append(e.ledger())
                    .append(": debits pending ").append(e.debitsPending()).append(" vs credits pending ")
                    .append(e.creditsPending()).append(", debits posted ").append(e.debitsPosted())
                    .append(" vs credits posted ").append(e.creditsPosted());
            }
        }
        out.println(totals.isBalanced() ?
            "balanced: yes (every ledger: debits pending = credits pending, debits posted = credits posted)" :
            "balanced: NO (" + unbalanced + ")");
        for (final SnapshotCheck check : snapshotChecks)
        {
            switch (check.status())
            {
                case MATCH:
                    out.printf(Locale.ROOT, "snapshot check %s (sequence %d): MATCH digest %s%n", check.file(),
                        check.sequence(), check.snapshotDigest());
                    break;
                case MISMATCH:
                    out.printf(Locale.ROOT, "snapshot check %s (sequence %d): MISMATCH snapshot digest %s, " +
                        "replayed digest %s%n", check.file(), check.sequence(), check.snapshotDigest(),
                        check.replayedDigest());
                    break;
                default:
                    out.printf(Locale.ROOT, "snapshot check %s (sequence %d): %s %s%n", check.file(),
                        check.sequence(), check.status(), check.detail());
                    break;
            }
        }
        if (0 != historyAccountId.signum())
        {
            // 0 lines is also what a mistyped id gives: said, so that it does not read as a clean, empty history.
            out.printf(Locale.ROOT, "history: account %s, %d line(s), %s%s%n", historyAccountId, historyLines,
                0 == historyUnreconciled ? "reconciled" :
                "NOT reconciled after " + historyUnreconciled + " record(s)",
                0 != historyLines ? "" : snapshotSequence > 0 ?
                "; no event after the snapshot names the account" : "; no event names the account");
        }
        if (null != exportFile)
        {
            out.printf(Locale.ROOT, "export: %d event(s) to %s (%s)%n", exportedEvents, exportFile,
                exportFormat.name().toLowerCase(Locale.ROOT));
        }
        final long full = accountResults[CreateAccountResult.ACCOUNTS_FULL.ordinal()] +
            transferResults[CreateTransferResult.TRANSFERS_FULL.ordinal()] +
            transferResults[CreateTransferResult.PENDING_TRANSFERS_FULL.ordinal()];
        // Answered at the limits the service ran with when they were in force from the start: its journal's first
        // record says so, or the snapshot the audit started from (every snapshot holds the limits in force).
        final boolean limitsKnown = limitsFromFirstRecord || null != snapshotFile;
        if (full > 0 && !limitsKnown)
        {
            out.printf(Locale.ROOT, "warning: %d event(s) answered ACCOUNTS_FULL, TRANSFERS_FULL or " +
                "PENDING_TRANSFERS_FULL: unless the service answered the same, give audit the --max-* limits it " +
                "ran with%n", full);
        }
        if (invalidRecords > 0)
        {
            out.printf(Locale.ROOT, "warning: %d record(s) are not valid messages of a known type and changed " +
                "nothing; ingress journals only valid frames, so something else wrote them%n", invalidRecords);
        }
        out.printf(Locale.ROOT, "state: %d account(s), %d transfer(s), %d pending%n", accountCount, transferCount,
            pendingCount);
        out.printf(Locale.ROOT, "replay: %d records in %.3f s: %.0f records/s, %.0f transfers/s%n", recordsApplied,
            replayNanos / 1e9, recordsPerSecond(), transfersPerSecond());
        out.println("digest: " + digest);
    }

    private String range()
    {
        return recordsVerified > 0 ? firstSequence + ".." + lastVerifiedSequence : "none";
    }

    static String templateName(final int templateId)
    {
        // The last slot counts every template without one of its own.
        return templateId >= MAX_TEMPLATE_ID ? "other" : JournalComparison.templateName(templateId);
    }
}
