package io.paycore.service.audit;

import io.paycore.core.cold.ColdTierFullException;
import io.paycore.core.command.LedgerCapacityException;
import io.paycore.journal.JournalException;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.Auditor;
import io.paycore.replay.audit.ExportFormat;
import io.paycore.replay.audit.SnapshotCheck;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.InstantNanosConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.LongByteSizeConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code paycore audit --data DIR [options]}: verify a data directory's journal and replay it offline, read only,
 * and print what it holds. See {@link Auditor} for what is checked and {@link AuditReport#print(PrintStream)} for
 * the report's lines.
 * <p>
 * Exit status: 0 when the journal verified, every ledger balances and every snapshot checked matched; 1 when the
 * journal verified but a check failed (unbalanced ledger, snapshot mismatch or unreadable, history not
 * reconciled); 2 for a usage error, also limits smaller than those the journal was written with, or a temporary
 * cold tier too small for its history; 3 when the journal is damaged (the report names file, offset and sequence);
 * 4 when there is nothing to audit or an I/O error stopped it.
 */
@Command(
    name = "audit",
    header = "Verify a journal offline, replay it, and report counts, totals and the digest.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Verify every journal record and the checksum chain of a data directory, replay the journal into a fresh",
        "ledger (or from the newest valid snapshot) and report: counts per message type and result code, totals per",
        "ledger and whether debits = credits, the replay rate, and the final 'digest: <hex>' line (the digest serve",
        "and demo print). Read only: takes no lock and changes nothing, so it can audit a copy or a directory a",
        "running service holds. A progress bar is drawn on standard error when it is a terminal.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the journal verified; every ledger balances; every snapshot checked matched",
        "1:the journal verified but a check failed (unbalanced, snapshot mismatch, history not reconciled)",
        "2:usage error, or limits or --cold-tier-size too small to replay the journal (the message names the one)",
        "3:the journal is damaged: the report names file, offset and sequence",
        "4:nothing to audit (no journal, or its first segments archived: see --from-snapshot), or an I/O error"
    })
public final class AuditCommand implements Callable<Integer>
{
    /** Exit status: everything verified and every check passed. */
    public static final int EXIT_OK = 0;
    /** Exit status: the journal verified but a check failed. */
    public static final int EXIT_CHECK_FAILED = 1;
    /** Exit status: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: the journal is damaged. */
    public static final int EXIT_DAMAGED = 3;

    /** The largest id an account can have, 2<sup>128</sup> - 2 (2<sup>128</sup> - 1 is refused as an id). */
    private static final BigInteger ACCOUNT_ID_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.TWO);
    /** Exit status: nothing to audit, or an I/O error. */
    public static final int EXIT_CANNOT_AUDIT = 4;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--cold-tier-size", paramLabel = "BYTES", defaultValue = "256g",
        converter = LongByteSizeConverter.class,
        description = "Replay into a ledger that keeps --hot-transfers transfers in memory and the rest in a " +
            "temporary cold tier of at most this many bytes, deleted at the end, as serve does; from a snapshot " +
            "the data directory's own tier (DIR/cold) is read beneath it, never written. 0 keeps every transfer " +
            "in memory (default: ${DEFAULT-VALUE}).")
    private long coldTierSizeBytes;

    @Option(names = "--cold-tier-dir", paramLabel = "DIR",
        description = "Where the temporary cold tier is made (default: the system's temporary directory).")
    private Path coldTierParent;

    @Option(names = "--until-sequence", paramLabel = "N",
        description = "Report the state as of record N (later records are still verified, not applied). " +
            "Default: the journal's end.")
    private Long untilSequence;

    @Option(names = "--until-time", paramLabel = "T",
        description = "Report the state as of time T: an ISO-8601 instant (2026-11-22T09:30:00Z) or epoch " +
            "nanoseconds; records stamped after T are verified, not applied. Default: the journal's end.")
    private String untilTime;

    @Option(names = "--from-snapshot",
        description = "Start from the newest valid snapshot (at or before the end point) instead of the journal's " +
            "beginning; the journal before it is then neither replayed nor verified. Default: from the beginning.")
    private boolean fromSnapshot;

    @Option(names = "--verify-snapshot",
        description = "Replay from the beginning and compare each snapshot with the replayed state at its " +
            "sequence, by digest. Default: off.")
    private boolean verifySnapshot;

    @Option(names = "--account", paramLabel = "ID",
        description = "Print the full history of this account: every transfer event touching it, with result and " +
            "running balances. An unsigned 128-bit decimal, 1 to 2^128 - 2 (the ids an account can have). " +
            "Default: none.")
    private BigInteger account;

    @Option(names = "--export", paramLabel = "FILE",
        description = "Stream every command event (sequence, timestamp, fields, result) to FILE, outside the data " +
            "directory; written under FILE.tmp and renamed only if the journal verified. Default: none.")
    private Path export;

    @Option(names = "--format", paramLabel = "csv|jsonl", defaultValue = "csv",
        description = "Format of --export; refused without it (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "auto",
        description = "Progress bar on standard error: auto draws it only on a terminal (default: ${DEFAULT-VALUE}).")
    private String progress;

    @Mixin
    private LedgerLimitOptions ledgerLimits;

    /**
     * Run the audit.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final Path data = dataDirectory.data();
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final AuditContext context;
        final ProgressBar bar;
        try
        {
            bar = progressBar(err);
            context = new AuditContext()
                .directory(new DataDirectory(data))
                .limits(ledgerLimits.limits())
                .coldTierSizeBytes(coldTierSizeBytes)
                .coldTierParent(coldTierParent)
                .untilSequence(null != untilSequence ? untilSequence : Long.MAX_VALUE)
                .untilTimestampNanos(null != untilTime ? InstantNanosConverter.parse(untilTime) : Long.MAX_VALUE)
                .fromSnapshot(fromSnapshot)
                .verifySnapshots(verifySnapshot)
                .accountId(null != account ? account : BigInteger.ZERO)
                .historyOut(null != bar ? clearingFirst(out, bar) : out)
                .exportFile(export)
                .exportFormat(ExportFormat.parse(format))
                .progress(bar)
                .conclude();
            if (null != account && (account.signum() <= 0 || account.compareTo(ACCOUNT_ID_MAX) > 0))
            {
                throw new IllegalArgumentException("--account must be between 1 and 2^128 - 2: " + account);
            }
            if (null == export && spec.commandLine().getParseResult().hasMatchedOption("--format"))
            {
                throw new IllegalArgumentException("--format applies to --export");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore audit: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(data))
        {
            err.println("paycore audit: no data directory " + data.toAbsolutePath());
            return EXIT_CANNOT_AUDIT;
        }

        final AuditReport report;
        try
        {
            report = Auditor.run(context);
        }
        catch (final LedgerCapacityException ex)
        {
            // The limits given are smaller than the journal's: a usage error, fixed by giving larger ones.
            clear(bar);
            err.println("paycore audit: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final ColdTierFullException ex)
        {
            // A limit of the audit's own, too small for the history: a usage error, with the audit's options to give.
            clear(bar);
            err.println("paycore audit: the audit's temporary cold tier (--cold-tier-size " + coldTierSizeBytes +
                " bytes) is too small for the journal's history: give a larger --cold-tier-size, 0 to keep every " +
                "transfer in memory, or more --hot-transfers");
            return EXIT_USAGE;
        }
        catch (final JournalException ex)
        {
            // Damage found outside the replay (the auditor reports what it finds there in its report): still damage.
            clear(bar);
            err.println("paycore audit: the journal is damaged: " + ex.getMessage());
            return EXIT_DAMAGED;
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            clear(bar);
            err.println("paycore audit: " + ex.getMessage());
            return EXIT_CANNOT_AUDIT;
        }
        clear(bar);
        if (null != bar)
        {
            err.println();
        }

        report.print(out);
        out.flush();
        if (null != untilSequence && !report.stoppedEarly() && null == report.damage() &&
            untilSequence > report.lastVerifiedSequence())
        {
            err.println("paycore audit: the journal ends before sequence " + untilSequence + ", at sequence " +
                report.lastVerifiedSequence() + ": the state reported is its end");
        }
        if (null != report.damage())
        {
            err.println("paycore audit: the journal is damaged: " + report.damage().getMessage());
            return EXIT_DAMAGED;
        }
        if (!report.isClean())
        {
            err.println("paycore audit: a check failed: " + failedChecks(report));
            return EXIT_CHECK_FAILED;
        }

        return EXIT_OK;
    }

    private ProgressBar progressBar(final PrintStream err)
    {
        switch (progress.toLowerCase(Locale.ROOT))
        {
            case "auto":
                return null != System.console() ? new ProgressBar(err) : null;
            case "always":
                return new ProgressBar(err);
            case "never":
                return null;
            default:
                throw new IllegalArgumentException("--progress must be auto, always or never: " + progress);
        }
    }

    private static void clear(final ProgressBar bar)
    {
        if (null != bar)
        {
            bar.clear();
        }
    }

    /**
     * History lines go to standard output; on a terminal the bar is erased before each so they do not mix.
     */
    private static PrintStream clearingFirst(final PrintStream out, final ProgressBar bar)
    {
        return new PrintStream(new OutputStream()
        {
            public void write(final int b)
            {
                bar.clear();
                out.write(b);
            }

            public void write(final byte[] b, final int off, final int len)
            {
                bar.clear();
                out.write(b, off, len);
            }

            public void flush()
            {
                out.flush();
            }
        }, true);
    }

    private static String failedChecks(final AuditReport report)
    {
        final StringBuilder sb = new StringBuilder();
        if (!report.isBalanced())
        {
            sb.append("a ledger does not balance");
        }
        if (!report.snapshotsMatch())
        {
            appendSnapshotFailures(sb, report);
        }
        if (report.historyUnreconciled() > 0)
        {
            sb.append(sb.length() > 0 ? "; " : "").append("the account history did not reconcile");
        }
        return sb.toString();
    }

    private static void appendSnapshotFailures(final StringBuilder sb, final AuditReport report)
    {
        boolean mismatch = false;
        boolean unreadable = false;
        boolean pastEnd = false;
        for (final SnapshotCheck check : report.snapshotChecks())
        {
            mismatch |= SnapshotCheck.Status.MISMATCH == check.status();
            unreadable |= SnapshotCheck.Status.UNREADABLE == check.status();
            pastEnd |= SnapshotCheck.Status.PAST_JOURNAL_END == check.status();
        }
        if (mismatch)
        {
            sb.append(sb.length() > 0 ? "; " : "").append("a snapshot does not match the replay");
        }
        if (unreadable)
        {
            sb.append(sb.length() > 0 ? "; " : "").append("a snapshot is unreadable");
        }
        if (pastEnd)
        {
            sb.append(sb.length() > 0 ? "; " : "")
                .append("a snapshot is past the journal's end (records it covers are missing)");
        }
    }
}
