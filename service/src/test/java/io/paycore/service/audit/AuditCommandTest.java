package io.paycore.service.audit;

import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.SnapshotStore;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.cli.InstantNanosConverter;
import io.paycore.service.demo.DemoWorkload;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditCommandTest
{
    private static final int SEGMENT_HEADER_LENGTH = 64;
    private static final int RECORD_HEADER_LENGTH = 32;
    private static final String[] SMALL_LIMITS = {
        "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096" };

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldPrintTheDigestTheDemoPrintedForTheSameDirectory()
    {
        final Path data = temp.resolve("data");
        assertEquals(0, PaycoreMain.execute("demo", "--data", data.toString(), "--accounts", "200",
            "--transfers", "20000", "--batch", "100"), console.err());
        // Read the audit's output after the demo's rather than reset: stderr is checked across both runs below.
        final String demoPrinted = console.out();
        final String demoDigest = line(demoPrinted, "digest: ");

        final int status = PaycoreMain.execute(audit(data, "--progress", "never"));

        final String printed = console.out().substring(demoPrinted.length());
        assertEquals(AuditCommand.EXIT_OK, status, printed + console.err());
        final List<String> lines = printed.lines().collect(Collectors.toList());
        assertEquals("digest: " + demoDigest, lines.get(lines.size() - 1), "the digest line comes last");
        assertTrue(printed.contains("message CreateTransfers: 200 record(s), 20000 event(s)"), printed);
        assertTrue(printed.contains("balanced: yes"), printed);
        assertTrue(printed.matches("(?s).*replay: \\d+ records in [0-9.]+ s: \\d+ records/s, \\d+ transfers/s.*"),
            printed);
        assertEquals("", console.err(), "quiet when not on a terminal");
    }

    @Test
    void shouldExitDamagedAndNameFileOffsetAndSequence() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 400);
        final Path first = segments(data).get(0);
        flipByte(first, SEGMENT_HEADER_LENGTH + RECORD_HEADER_LENGTH + 9);

        final int status = PaycoreMain.execute(audit(data.root()));

        assertEquals(AuditCommand.EXIT_DAMAGED, status);
        final String message = console.err();
        assertTrue(message.contains("the journal is damaged"), message);
        assertTrue(message.contains("file=" + first), message);
        assertTrue(message.contains("offset=" + SEGMENT_HEADER_LENGTH), message);
        assertTrue(message.contains("sequence=1"), message);
        final String printed = console.out();
        assertTrue(printed.contains("damage at: file=" + first + " offset=" + SEGMENT_HEADER_LENGTH + " sequence=1"),
            printed);
        assertFalse(printed.contains("digest:"), printed);
    }

    /**
     * A file in the journal directory named like a segment but not one ({@code Journal.open} refuses it: "unexpected
     * file name in journal directory") escaped the audit as an uncaught exception: a stack trace and exit status 1,
     * which the README reserves for "a check failed (balance, snapshot, history)", with no {@code damage at:} line.
     * A script that tells a damaged journal (3) from an unbalanced ledger (1) by the status is misled.
     */
    @Test
    void shouldExitDamagedForAFileNamedLikeASegmentThatIsNotOne() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);
        final Path stray = Files.writeString(data.journalDirectory().resolve("notes.seg"), "not a segment");

        final int status = PaycoreMain.execute(audit(data.root(), "--progress", "never"));

        assertEquals(AuditCommand.EXIT_DAMAGED, status, console.out() + console.err());
        assertTrue(console.out().contains("damage at: file=" + stray), console.out());
        assertFalse(console.err().contains("\tat io.paycore"), "no stack trace: " + console.err());
    }

    /**
     * A journal whose first segment was deleted (no archive marker) is damaged, as {@code Journal.open} and the
     * README say ("a journal whose first segment starts after sequence 1 without that marker ... is refused as
     * damaged"). The audit exited 4 ("nothing to audit, or an I/O error") saying "the segments before were
     * archived", which is not true, and printed no {@code damage at:} line.
     */
    @Test
    void shouldExitDamagedWhenTheFirstSegmentIsMissing() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 4000);
        final List<Path> segments = segments(data);
        assertTrue(segments.size() > 1, "the journal should span segments");
        Files.delete(segments.get(0));

        final int status = PaycoreMain.execute(audit(data.root(), "--progress", "never"));

        assertEquals(AuditCommand.EXIT_DAMAGED, status, console.out() + console.err());
        assertTrue(console.out().contains("damage at: file=" + segments.get(1)), console.out());
        assertTrue(console.err().contains("missing"), console.err());
        assertFalse(console.err().contains("before were archived"), console.err());
    }

    @Test
    void shouldExportAndPrintAHistoryFromTheCommandLine() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        final long transfers = writeJournal(data, 400);
        final Path export = temp.resolve("events.jsonl");

        final int status = PaycoreMain.execute(audit(data.root(), "--export", export.toString(), "--format", "jsonl",
            "--account", "3", "--until-sequence", "1000000"));

        assertEquals(AuditCommand.EXIT_OK, status, console.err());
        final List<String> rows = Files.readAllLines(export);
        assertEquals(10 + transfers, rows.size());
        assertTrue(rows.get(0).startsWith("{\"sequence\":1,"), rows.get(0));
        final String printed = console.out();
        assertTrue(printed.startsWith("history of account 3:"), printed);
        assertTrue(printed.contains("history: account 3, "), printed);
        assertTrue(printed.contains("export: " + rows.size() + " event(s) to " + export + " (jsonl)"), printed);
    }

    @Test
    void shouldDrawAProgressBarWhenAsked() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 400);

        assertEquals(AuditCommand.EXIT_OK, PaycoreMain.execute(audit(data.root(), "--progress", "always")));

        final String bar = console.err();
        assertTrue(bar.contains("100.0%") && bar.contains("ETA") && bar.contains("transfers/s"), bar);
    }

    @Test
    void shouldRefuseBadUsageAndSayWhy() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);

        assertEquals(AuditCommand.EXIT_USAGE,
            PaycoreMain.execute(audit(data.root(), "--from-snapshot", "--verify-snapshot")));
        assertEquals(AuditCommand.EXIT_USAGE, PaycoreMain.execute(audit(data.root(), "--format", "xml")));
        assertEquals(AuditCommand.EXIT_USAGE, PaycoreMain.execute(audit(data.root(), "--until-time", "yesterday")));
        assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, PaycoreMain.execute(audit(temp.resolve("missing"))));
        Files.createDirectories(temp.resolve("empty"));
        assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, PaycoreMain.execute(audit(temp.resolve("empty"))));
        final String message = console.err();
        assertTrue(message.contains("cannot be combined"), message);
        assertTrue(message.contains("csv or jsonl"), message);
        assertTrue(message.contains("ISO-8601"), message);
        assertTrue(message.contains("no journal to audit"), message);
        assertFalse(message.contains("holds segment files itself"), message);

        console.reset();
        assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, PaycoreMain.execute(audit(data.journalDirectory())));
        assertTrue(console.err().contains("holds segment files itself: it is a journal directory, so give its " +
            "parent, the data directory, instead"), console.err());
    }

    /**
     * {@code --max-batch 2000} passed the ledger's check ([1, 2^27]) and was refused only by the protocol's in the
     * replay: a stack trace and exit status 1 ("a check failed"); {@code --max-batch 0} named [1, 134217728] though
     * the help and README say 1..1024.
     */
    @Test
    void shouldRefuseAMaxBatchOutsideTheProtocolsRangeAsAOneLineUsageError() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);

        assertEquals(AuditCommand.EXIT_USAGE, PaycoreMain.execute(audit(data.root(), "--max-batch", "2000")),
            console.out() + console.err());
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("paycore audit: ") && console.err().contains("--max-batch") &&
            console.err().contains("1..1024") && console.err().contains("2000"), console.err());

        console.reset();
        assertEquals(AuditCommand.EXIT_USAGE, PaycoreMain.execute(audit(data.root(), "--max-batch", "0")));
        assertTrue(console.err().contains("1..1024") && !console.err().contains("134217728"), console.err());
    }

    /**
     * A temporary cold tier too small for the history: a {@code ColdTierFullException} stack trace, exit status 1,
     * and serve's advice ("start again with a larger one") where the auditor needs the audit's own options.
     */
    @Test
    void shouldSayWhatToGiveWhenTheTemporaryColdTierIsTooSmall() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 20_000);

        final int status = PaycoreMain.execute("audit", "--data", data.root().toString(), "--max-accounts", "1024",
            "--max-pending", "4096", "--hot-transfers", "2000", "--cold-tier-size", "1m", "--progress", "never");

        assertEquals(AuditCommand.EXIT_USAGE, status, console.out() + console.err());
        final String message = console.err();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("paycore audit: "), message);
        assertTrue(message.contains("--cold-tier-size") && message.contains("--hot-transfers") &&
            message.contains("0"), message);
        assertFalse(message.contains("start again"), message);
    }

    /**
     * An id the journal never names printed "0 line(s), reconciled" and nothing more: a mistyped id reads as an
     * account with a clean, empty history.
     */
    @Test
    void shouldSayWhenNoEventNamesTheAccount() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);

        final int status = PaycoreMain.execute(audit(data.root(), "--account", "999999", "--progress", "never"));

        assertEquals(AuditCommand.EXIT_OK, status, console.out() + console.err());
        final String history = line(console.out(), "history: ");
        assertTrue(history.startsWith("account 999999, 0 line(s), reconciled") &&
            history.contains("no event names the account"), history);
    }

    /**
     * An end point past the journal's last record reported "(end of journal)" and nothing more, as if it had been
     * reached.
     */
    @Test
    void shouldSayWhenTheJournalEndsBeforeTheUntilSequence() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);
        assertEquals(AuditCommand.EXIT_OK, PaycoreMain.execute(audit(data.root(), "--progress", "never")));
        final String last = line(console.out(), "state as of: sequence ");
        final long lastSequence = Long.parseLong(last.substring(0, last.indexOf(',')));
        console.reset();

        final int status = PaycoreMain.execute(audit(data.root(), "--until-sequence", "1000000", "--progress",
            "never"));

        assertEquals(AuditCommand.EXIT_OK, status, console.out() + console.err());
        final String said = console.out() + console.err();
        assertTrue(said.contains("the journal ends before sequence 1000000, at sequence " + lastSequence), said);

        console.reset();
        assertEquals(AuditCommand.EXIT_OK, PaycoreMain.execute(audit(data.root(), "--until-sequence",
            Long.toString(lastSequence), "--progress", "never")));
        assertFalse((console.out() + console.err()).contains("the journal ends before"), console.err());
    }

    /**
     * {@code --format} without {@code --export} was silently ignored.
     */
    @Test
    void shouldRefuseAFormatWithoutAnExport() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);

        assertEquals(AuditCommand.EXIT_USAGE, PaycoreMain.execute(audit(data.root(), "--format", "jsonl")),
            console.out());
        assertEquals("paycore audit: --format applies to --export", console.err().strip());
        assertEquals("", console.out());
    }

    /**
     * A snapshot past the journal's end, or one that cannot be read, is reported right on its own line, but the
     * summary on standard error said "a snapshot does not match the replay" for either: not what failed.
     */
    @Test
    void shouldNameWhatFailedWhenASnapshotIsPastTheJournalsEndOrUnreadable() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);
        final List<Throwable> errors = new ArrayList<>();
        final SnapshotTaker taker = new SnapshotTaker(data.snapshotDirectory(), 3, errors::add);
        taker.take(new Ledger(new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(4096)
            .validate()), 1_000_000);
        assertTrue(errors.isEmpty(), errors::toString);

        assertEquals(AuditCommand.EXIT_CHECK_FAILED, PaycoreMain.execute(audit(data.root(), "--verify-snapshot",
            "--progress", "never")), console.out() + console.err());
        assertTrue(console.out().contains("(sequence 1000000): PAST_JOURNAL_END"), console.out());
        String summary = console.err();
        assertEquals(1, summary.lines().count(), summary);
        assertTrue(summary.contains("past the journal's end"), summary);
        assertFalse(summary.contains("does not match"), summary);

        Files.writeString(data.snapshotDirectory().resolve(SnapshotStore.fileName(1_000_000)), "not a snapshot");
        console.reset();
        assertEquals(AuditCommand.EXIT_CHECK_FAILED, PaycoreMain.execute(audit(data.root(), "--verify-snapshot",
            "--progress", "never")), console.out() + console.err());
        assertTrue(console.out().contains("(sequence 1000000): UNREADABLE"), console.out());
        summary = console.err();
        assertTrue(summary.contains("unreadable"), summary);
        assertFalse(summary.contains("does not match"), summary);
    }

    /**
     * An export to a directory that does not exist said "cannot create export file DIR/x.csv.tmp: DIR/x.csv.tmp":
     * the cause repeated the path (a NoSuchFileException's message is the file) instead of saying why.
     */
    @Test
    void shouldSayWhyTheExportFileCannotBeCreated() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);
        final Path missing = temp.resolve("nonexistent").resolve("dir");

        final int status = PaycoreMain.execute(audit(data.root(), "--export", missing.resolve("x.csv").toString(),
            "--progress", "never"));

        assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, status, console.out() + console.err());
        final String message = console.err();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("no such directory " + missing), message);
        assertFalse(message.contains("x.csv.tmp: " + missing.resolve("x.csv.tmp")), message);
    }

    /**
     * An export named as a file of the data directory replaced it: {@code --export DIR/journal/<first segment>}
     * replayed the journal, then renamed the export over the segment and exited 0, so the read-only audit destroyed
     * the journal it had just verified (the next audit found it damaged). The audit changes nothing in the data
     * directory: an export there is a usage error, and the journal stays as it was.
     */
    @Test
    void shouldRefuseAnExportInsideTheDataDirectoryAndLeaveTheJournalAlone() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 40);
        final Path segment = segments(data).get(0);
        final byte[] before = Files.readAllBytes(segment);

        final int status = PaycoreMain.execute(audit(data.root(), "--export", segment.toString(),
            "--progress", "never"));

        assertEquals(AuditCommand.EXIT_USAGE, status, console.out() + console.err());
        assertArrayEquals(before, Files.readAllBytes(segment), "the segment was overwritten");
        final String message = console.err();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("export file " + segment) && message.contains("inside the data directory"),
            message);

        console.reset();
        final Path viaLink = Files.createSymbolicLink(temp.resolve("link"), data.root());
        assertEquals(AuditCommand.EXIT_USAGE, PaycoreMain.execute(audit(data.root(), "--export",
            viaLink.resolve("events.csv").toString(), "--progress", "never")), console.out() + console.err());
        assertFalse(Files.exists(data.root().resolve("events.csv")));

        console.reset();
        assertEquals(AuditCommand.EXIT_OK, PaycoreMain.execute(audit(data.root(), "--progress", "never")),
            console.out() + console.err());
    }

    /**
     * An export that fails part-way (a full disk) exited 4 but left {@code FILE.tmp}, as large as the disk let it
     * be, on the full disk: closing the exporter failed again on its last buffer, and that skipped the delete.
     * Writes to {@code /dev/full} fail with ENOSPC as a full disk's do.
     */
    @Test
    void shouldDeleteThePartialExportWhenTheDiskIsFull() throws Exception
    {
        final Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 4_000);
        final Path export = temp.resolve("events.csv");
        final Path partial = temp.resolve("events.csv.tmp");
        Files.createSymbolicLink(partial, full);

        final int status = PaycoreMain.execute(audit(data.root(), "--export", export.toString(),
            "--progress", "never"));

        assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, status, console.out() + console.err());
        final String message = console.err();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("No space left on device"), message);
        assertFalse(Files.exists(partial, LinkOption.NOFOLLOW_LINKS), "the partial export was left behind");
        assertFalse(Files.exists(export));
    }

    /**
     * An export named as an existing directory (a slip: {@code --export /backups/}) was found out only when the
     * finished export was renamed over it, after the whole replay: on a large journal, hours for an error that was
     * there before the first record. It is refused before the replay starts, exit status 4 as any export file that
     * cannot be created.
     */
    @Test
    void shouldRefuseAnExportThatIsADirectoryBeforeReplaying() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeJournal(data, 400);
        final Path directory = Files.createDirectories(temp.resolve("exports"));

        final int status = PaycoreMain.execute(audit(data.root(), "--export", directory.toString(),
            "--progress", "always"));

        assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, status, console.out() + console.err());
        final String message = console.err();
        assertFalse(message.contains("records/s"), "the journal was replayed first: " + message);
        assertTrue(message.contains("export file " + directory) && message.contains("is a directory"), message);
        assertTrue(Files.isDirectory(directory));
    }

    @Test
    void shouldReadUntilTimeAsAnInstantOrEpochNanos()
    {
        assertEquals(1_700_000_000_123_456_789L, InstantNanosConverter.parse("1700000000123456789"));
        assertEquals(1_700_000_000_123_456_789L, InstantNanosConverter.parse("2023-11-14T22:13:20.123456789Z"));
        assertEquals(1_700_000_000_000_000_000L, InstantNanosConverter.parse("2023-11-14T23:13:20+01:00"));
        assertThrows(IllegalArgumentException.class, () -> InstantNanosConverter.parse("99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> InstantNanosConverter.parse("2023-11-14"));
    }

    private static String[] audit(final Path data, final String... options)
    {
        final String[] args = new String[3 + SMALL_LIMITS.length + options.length];
        args[0] = "audit";
        args[1] = "--data";
        args[2] = data.toString();
        System.arraycopy(SMALL_LIMITS, 0, args, 3, SMALL_LIMITS.length);
        System.arraycopy(options, 0, args, 3 + SMALL_LIMITS.length, options.length);
        return args;
    }

    private static String line(final String text, final String prefix)
    {
        return text.lines().filter((l) -> l.startsWith(prefix)).map((l) -> l.substring(prefix.length()))
            .findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + text));
    }

    private static List<Path> segments(final DataDirectory data) throws Exception
    {
        try (var files = Files.list(data.journalDirectory()))
        {
            return files.filter((p) -> p.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    /**
     * Demo traffic written straight to a journal, as ServeCommandTest does: 10 accounts, then transfers.
     *
     * @return transfer events written.
     */
    private static long writeJournal(final DataDirectory data, final int transfers)
    {
        final DemoWorkload workload = new DemoWorkload(10, transfers, 4, 1);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        long timestamp = 1_700_000_000_000_000_000L;
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE)))
        {
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeAccounts(message, 0));
            }
            while (workload.hasMoreTransfers())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeTransfers(message, 0));
            }
        }
        return workload.transfersMade();
    }

    private static void flipByte(final Path file, final long offset) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x20);
        }
    }
}
