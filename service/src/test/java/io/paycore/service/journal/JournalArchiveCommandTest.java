package io.paycore.service.journal;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalVerifier;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.Recovery;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalArchiveCommandTest
{
    private static final int RECORDS = 10_000;

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final List<Throwable> errors = new ArrayList<>();

    /**
     * {@code journal archive --before-snapshot} cuts at the newest snapshot whose checksums verify, even when that
     * snapshot covers more of the journal than the journal holds: at flush {@code none} a power cut takes the
     * journal's unforced tail but not a snapshot already written past it. Recovery sets such a snapshot aside
     * ({@code .snap.ahead}) and falls back on an older one, but the archive has already moved every segment but the
     * newest, including the records after that older snapshot: the service does not start again until an operator
     * moves the archived segments back. The README promises archiving moves only what "the newest valid snapshot"
     * leaves behind and that recovery "needs only what is kept"; a snapshot past the journal's end is not one
     * recovery can use, so the archive must not cut at it (the journal's last record bounds the cut).
     */
    @Test
    void shouldNotArchivePastTheJournalsEndForASnapshotAheadOfIt()
    {
        final Path data = temp.resolve("data");
        final DataDirectory directory = new DataDirectory(data);
        TestJournals.ticks(data, RECORDS, RECORDS + 1, 0);
        assertTrue(JournalVerifier.segments(directory.journalDirectory()).length > 3, "the journal spans segments");

        // A good snapshot at 3,000, and one named 12,000: the journal lost its last 2,000 records (flush none).
        final Ledger ledger = new Ledger(limits());
        final LedgerRecordHandler replayer = new LedgerRecordHandler(new CommandProcessor(ledger));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 3, errors::add);
        Recovery.replay(directory.journalDirectory(), 1, 3_000, replayer);
        taker.take(ledger, 3_000);
        Recovery.replay(directory.journalDirectory(), 3_001, RECORDS, replayer);
        taker.take(ledger, RECORDS + 2_000);
        assertTrue(errors.isEmpty(), errors::toString);

        console.reset();
        final int status = PaycoreMain.execute("journal", "archive", "--data", data.toString(), "--before-snapshot");
        assertTrue(JournalArchiveCommand.EXIT_OK == status || JournalArchiveCommand.EXIT_FAILED == status,
            console.err());

        // Whatever the archive did, the directory must still recover without the archived segments.
        final long firstKept = JournalArchive.firstSequence(directory.journalDirectory());
        assertTrue(firstKept <= 3_001, "segments the only usable snapshot (3,000) needs were archived: the " +
            "journal now starts at " + firstKept + "; " + console.out() + console.err());
        try (Recovery recovery = Recovery.open(directory, limits(), new JournalContext()
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE)))
        {
            assertEquals(3_000, recovery.report().snapshotSequence(), recovery.report().describe());
            assertEquals(RECORDS, recovery.report().lastSequence());
        }
    }

    /**
     * Two data directories archived to one {@code --archive} directory (the README's {@code /mnt/cold/...}: two
     * services, or a data directory started afresh) both have a segment {@code 00000000000000000001.seg}: the second
     * archive replaced the first's archived segment without a word and exited 0, so the only copy of that history
     * was gone. An archived segment is never replaced by a different one; nothing is archived then, and it says why.
     */
    @Test
    void shouldNotReplaceADifferentSegmentAlreadyInTheArchive() throws Exception
    {
        final Path archive = temp.resolve("archive");
        final Path one = temp.resolve("one");
        final Path two = temp.resolve("two");
        journalWithSnapshot(one, 0);
        journalWithSnapshot(two, 5);
        final Path firstSegment = JournalVerifier.segments(new DataDirectory(one).journalDirectory())[0];
        final byte[] archivedBytes = Files.readAllBytes(firstSegment);

        assertEquals(JournalArchiveCommand.EXIT_OK, PaycoreMain.execute("journal", "archive", "--data",
            one.toString(), "--before-snapshot", "--archive", archive.toString()), console.err());
        final Path archived = archive.resolve(firstSegment.getFileName());
        assertArrayEquals(archivedBytes, Files.readAllBytes(archived));

        console.reset();
        final DataDirectory second = new DataDirectory(two);
        final Path[] before = JournalVerifier.segments(second.journalDirectory());
        final int status = PaycoreMain.execute("journal", "archive", "--data", two.toString(), "--before-snapshot",
            "--archive", archive.toString());

        assertEquals(JournalArchiveCommand.EXIT_FAILED, status, console.out() + console.err());
        assertArrayEquals(archivedBytes, Files.readAllBytes(archived), "the first journal's archived segment " +
            "was replaced by the second's");
        assertTrue(console.err().contains(archived.toString()), console.err());
        assertArrayEquals(before, JournalVerifier.segments(second.journalDirectory()), "nothing is moved");
        assertEquals(1, JournalArchive.firstSequence(second.journalDirectory()));
    }

    /**
     * {@code --archive DIR/journal}, the journal directory itself: every segment was "moved" onto itself, the
     * command printed {@code archived N segment(s)} and exited 0, and nothing had left the journal.
     */
    @Test
    void shouldRefuseTheJournalDirectoryAsTheArchive() throws Exception
    {
        final Path data = temp.resolve("data");
        journalWithSnapshot(data, 0);
        final DataDirectory directory = new DataDirectory(data);

        final int status = PaycoreMain.execute("journal", "archive", "--data", data.toString(), "--before-snapshot",
            "--archive", directory.journalDirectory().toString());

        assertEquals(JournalArchiveCommand.EXIT_FAILED, status, console.out() + console.err());
        assertFalse(console.out().contains("archived"), console.out());
        assertTrue(console.err().contains("journal directory"), console.err());
        assertFalse(Files.exists(directory.journalDirectory().resolve(JournalArchive.MARKER_FILE_NAME)));
    }

    /**
     * A journal of {@link #RECORDS} ticks spanning segments and a snapshot at sequence 5,000.
     */
    private void journalWithSnapshot(final Path data, final long later)
    {
        final DataDirectory directory = new DataDirectory(data);
        TestJournals.ticks(data, RECORDS, 1, later);
        assertTrue(JournalVerifier.segments(directory.journalDirectory()).length > 3, "the journal spans segments");
        final Ledger ledger = new Ledger(limits());
        Recovery.replay(directory.journalDirectory(), 1, 5_000,
            new LedgerRecordHandler(new CommandProcessor(ledger)));
        new SnapshotTaker(directory.snapshotDirectory(), 3, errors::add).take(ledger, 5_000);
        assertTrue(errors.isEmpty(), errors::toString);
    }

    private static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(1 << 14).maxPendingTransfers(1 << 12)
            .maxBatchEvents(64).validate();
    }
}
