package io.paycore.replay;

import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.Auditor;
import io.paycore.replay.audit.SnapshotCheck;
import io.paycore.core.cold.ColdTierException;
import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.ledger.TransferResults;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalException;
import io.paycore.journal.SnapshotStore;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery of a ledger whose older transfers live in a cold tier ({@code DIR/cold}): from a snapshot, the tier and
 * the journal after the snapshot; from the journal alone when the tier cannot back a snapshot; and with a tier left
 * ahead of its journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColdRecoveryTest
{
    private static final int HOT_WINDOW = 64;
    private static final long SEED = 7;
    private static final long TIER_BYTES = 64L << 20;

    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();
    private final ErrorHandler errorHandler = errors::add;

    @Test
    void shouldRecoverFromSnapshotColdTierAndJournal()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = writeTieredDay(dir, 60, 16);
        assertTrue(live.oldestHotRecord() > 500, "most transfers should be cold: " + live.oldestHotRecord());
        final Ledger reference = journalOnly(dir);
        assertEquals(live.digestHex(), reference.digestHex());

        try (AsyncLmdbColdTier cold = tier(dir);
            Recovery recovery = Recovery.open(DataDirectoryLock.acquire(dir), hotLimits(), TestDays.journalContext(),
                true, cold))
        {
            final RecoveryReport report = recovery.report();
            assertTrue(report.snapshotSequence() > 0, report.describe());
            assertTrue(report.recordsReplayed() > 0, report.describe());
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), report.describe());
            assertTrue(report.coldTier().contains("out of memory"), report.describe());
            assertEquals(0, cold.recordsAhead(recovery.ledger().recordCount()));

            final Ledger ledger = recovery.ledger();
            final long firstId = SEED * 1_000_000 + 1;
            assertEquals(reference.transferAmountLo(reference.transferIndex(0, firstId)),
                ledger.transferAmountLo(ledger.transferIndex(0, firstId)), "the first transfer comes from the tier");
            assertEquals(CreateTransferResult.EXISTS, resend(ledger, reference, firstId, 0));
            assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT, resend(ledger, reference, firstId, 1));
        }
    }

    @Test
    void shouldReplayTheWholeJournalIntoAnEmptyTierWhenTheTierCannotBackASnapshot() throws IOException
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = writeTieredDay(dir, 60, 16);
        IoUtil.delete(dir.coldDirectory().toFile(), false);

        try (AsyncLmdbColdTier cold = tier(dir);
            Recovery recovery = Recovery.open(DataDirectoryLock.acquire(dir), hotLimits(), TestDays.journalContext(),
                true, cold))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(0, report.snapshotSequence(), report.describe());
            assertTrue(report.skippedSnapshots().stream().allMatch(s -> s.contains("the cold tier holds 0 records")),
                report.describe());
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), report.describe());
            assertEquals(recovery.ledger().sealedRecords(), cold.writtenRecordsNow(), "the tier is rebuilt");
        }
    }

    @Test
    void shouldForgetWhatTheTierHoldsBeyondTheJournal() throws IOException
    {
        // The same day twice: in full with its tier, and its first half alone; then the half's journal with the
        // full day's tier, as a power loss at flush level none could leave them.
        final DataDirectory full = new DataDirectory(temp.resolve("full"));
        writeTieredDay(full, 60, 0);
        final Ledger fullLedger = journalOnly(full);
        final DataDirectory half = new DataDirectory(temp.resolve("half"));
        final Ledger halfLedger = TestDays.writeDay(half, 30, null, 0, SEED);
        copyDirectory(full.coldDirectory(), half.coldDirectory());
        final long lostId = SEED * 1_000_000 + 30 * TestDays.EVENTS_PER_MESSAGE + 1;
        assertTrue(fullLedger.transferIndex(0, lostId) >= 0, "the full day created the transfer the half lost");

        try (AsyncLmdbColdTier cold = tier(half);
            Recovery recovery = Recovery.open(DataDirectoryLock.acquire(half), hotLimits(),
                TestDays.journalContext(), true, cold))
        {
            final RecoveryReport report = recovery.report();
            final Ledger ledger = recovery.ledger();
            assertEquals(halfLedger.digestHex(), ledger.digestHex(), report.describe());
            assertTrue(report.coldTier().contains("ahead of the journal forgotten"), report.describe());
            assertEquals(ledger.sealedRecords(), cold.writtenRecordsNow(),
                "past what the ledger sealed: what it holds in memory the lost history sealed in its own state");
            assertTrue(ledger.transferIndex(0, lostId) < 0, "a transfer only the tier had is forgotten");
            assertEquals(CreateTransferResult.OK,
                transfer(ledger, lostId, 1, 2, 5, 0, TestDays.LEDGER, 1, 0, 0));
        }
    }

    @Test
    void shouldAuditFromTheStartAndFromASnapshotIntoATemporaryTierWithoutWritingTheServices() throws IOException
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = writeTieredDay(dir, 60, 16);
        final Path tierFile = dir.coldDirectory().resolve("data.mdb");
        final byte[] tierBefore = Files.readAllBytes(tierFile);

        for (final boolean fromSnapshot : new boolean[]{ false, true })
        {
            final Path work = temp.resolve("audit-work-" + fromSnapshot);
            final AuditReport report = Auditor.run(new AuditContext()
                .directory(dir)
                .limits(hotLimits())
                .coldTierSizeBytes(TIER_BYTES)
                .coldTierParent(work)
                .fromSnapshot(fromSnapshot));
            assertEquals(null, report.damage());
            assertEquals(live.digestHex(), report.digest(), "from snapshot " + fromSnapshot);
            assertEquals(fromSnapshot, report.snapshotSequence() > 0);
            try (Stream<Path> left = Files.list(work))
            {
                assertEquals(0, left.count(), "the temporary tier is deleted");
            }
        }
        final AuditReport verified = Auditor.run(new AuditContext()
            .directory(dir)
            .limits(hotLimits())
            .coldTierSizeBytes(TIER_BYTES)
            .coldTierParent(temp.resolve("audit-work-verify"))
            .verifySnapshots(true));
        assertEquals(3, verified.snapshotChecks().size(), verified.snapshotChecks().toString());
        assertTrue(verified.snapshotChecks().stream().allMatch((c) -> SnapshotCheck.Status.MATCH == c.status()),
            verified.snapshotChecks().toString());
        assertArrayEquals(tierBefore, Files.readAllBytes(tierFile), "the service's tier is never written");
    }

    /**
     * The audit is read only ("it takes no lock and changes nothing"), but from a snapshot it opened the data
     * directory's cold tier with LMDB's lock file: on a copy or backup of the directory without {@code lock.mdb}
     * (what {@code mdb_copy} or a backup that leaves out lock files gives) it created {@code DIR/cold/lock.mdb}, so
     * auditing changed the directory audited (and on a directory the auditor may not write, it could not audit).
     */
    @Test
    void shouldNotCreateAnythingInTheDataDirectoryWhenAuditingACopyFromASnapshot() throws IOException
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = writeTieredDay(dir, 60, 16);
        Files.deleteIfExists(dir.coldDirectory().resolve("lock.mdb")); // a copy: data.mdb alone
        final List<String> before = listing(dir.root());

        final AuditReport report = Auditor.run(new AuditContext()
            .directory(dir)
            .limits(hotLimits())
            .coldTierSizeBytes(TIER_BYTES)
            .coldTierParent(temp.resolve("work"))
            .fromSnapshot(true));

        assertEquals(null, report.damage());
        assertTrue(report.snapshotSequence() > 0);
        assertEquals(live.digestHex(), report.digest());
        assertEquals(before, listing(dir.root()), "the audit left files in the data directory it audited");
    }

    private static List<String> listing(final Path root) throws IOException
    {
        try (Stream<Path> files = Files.walk(root))
        {
            return files.map((p) -> root.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void shouldRecoverAndAuditFromASnapshotOnceTheJournalBeforeItIsArchived() throws IOException
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = writeTieredDay(dir, 300, 50);
        final long newest = new SnapshotStore(dir.snapshotDirectory()).sequences()[2];
        final JournalArchive.Result archived =
            JournalArchive.archive(dir.journalDirectory(), temp.resolve("archive"), newest + 1);
        assertTrue(archived.segmentsMoved() > 0, archived.toString());

        try (AsyncLmdbColdTier cold = tier(dir);
            Recovery recovery = Recovery.open(DataDirectoryLock.acquire(dir), hotLimits(), TestDays.journalContext(),
                true, cold))
        {
            assertEquals(newest, recovery.report().snapshotSequence(), recovery.report().describe());
            assertEquals(live.digestHex(), recovery.ledger().digestHex());
        }
        final AuditReport fromSnapshot = Auditor.run(new AuditContext().directory(dir).limits(hotLimits())
            .coldTierSizeBytes(TIER_BYTES).coldTierParent(temp.resolve("work")).fromSnapshot(true));
        assertEquals(live.digestHex(), fromSnapshot.digest());
        final IllegalStateException fromStart = assertThrows(IllegalStateException.class, () -> Auditor.run(
            new AuditContext().directory(dir).limits(hotLimits()).coldTierSizeBytes(TIER_BYTES)
            .coldTierParent(temp.resolve("work"))));
        assertTrue(fromStart.getMessage().contains("--from-snapshot"), fromStart.getMessage());

        IoUtil.delete(dir.snapshotDirectory().toFile(), false);
        final JournalException noSnapshot = assertThrows(JournalException.class, () ->
        {
            try (AsyncLmdbColdTier cold = tier(dir);
                Recovery ignored = Recovery.open(DataDirectoryLock.acquire(dir), hotLimits(),
                    TestDays.journalContext(), true, cold))
            {
                // refused before this
            }
        });
        assertTrue(noSnapshot.getMessage().contains("move the archived segments back"), noSnapshot.getMessage());
    }

    @Test
    void shouldRefuseATierOfAnotherHistory()
    {
        final DataDirectory first = new DataDirectory(temp.resolve("first"));
        writeTieredDay(first, 40, 0);
        final DataDirectory other = new DataDirectory(temp.resolve("other"));
        TestDays.writeDay(other, 40, null, 0, SEED + 1);
        assertThrows(ColdTierException.class, () ->
        {
            copyDirectory(first.coldDirectory(), other.coldDirectory());
            try (AsyncLmdbColdTier cold = tier(other);
                Recovery ignored = Recovery.open(DataDirectoryLock.acquire(other), hotLimits(),
                    TestDays.journalContext(), true, cold))
            {
                // refused before this
            }
        });
    }

    private Ledger writeTieredDay(final DataDirectory dir, final int messages, final long snapshotEvery)
    {
        final SnapshotTaker taker = 0 == snapshotEvery ? null :
            new SnapshotTaker(dir.snapshotDirectory(), 3, errorHandler);
        try (LmdbColdTier cold = new LmdbColdTier(dir.coldDirectory(), TIER_BYTES))
        {
            final Ledger live = TestDays.writeDay(dir, messages, taker, snapshotEvery, SEED, hotLimits(), cold);
            assertTrue(errors.isEmpty(), errors::toString);
            assertTrue(null == taker || taker.snapshotsTaken() > 2);
            return live;
        }
    }

    private static AsyncLmdbColdTier tier(final DataDirectory dir)
    {
        return new AsyncLmdbColdTier(dir.coldDirectory(), TIER_BYTES, 64, 256, 1, 0, false);
    }

    private static LedgerLimits hotLimits()
    {
        return TestDays.limits().maxTransfers(HOT_WINDOW);
    }

    private static Ledger journalOnly(final DataDirectory dir)
    {
        try (Recovery journalOnly = Recovery.open(dir, TestDays.limits(), TestDays.journalContext(), false))
        {
            return journalOnly.ledger();
        }
    }

    private static CreateTransferResult resend(
        final Ledger ledger, final Ledger live, final long id, final long extraAmount)
    {
        final int index = live.transferIndex(0, id);
        // The days' ids, accounts and amounts fit in the low half.
        return transfer(ledger, id, live.transferDebitAccountIdLo(index), live.transferCreditAccountIdLo(index),
            live.transferAmountLo(index) + extraAmount, live.transferUserData64(index), live.transferLedger(index),
            live.transferCode(index), live.transferFlags(index) & TransferFlags.PENDING,
            live.transferTimeoutSeconds(index));
    }

    private static CreateTransferResult transfer(
        final Ledger ledger,
        final long id,
        final long debit,
        final long credit,
        final long amount,
        final long userData,
        final long ledgerId,
        final int code,
        final int flags,
        final long timeoutSeconds)
    {
        final TransferEventArray events = new TransferEventArray(1)
            .add(id, debit, credit, amount, 0, userData, ledgerId, timeoutSeconds, code, flags);
        final TransferResults results = new TransferResults(1);
        ledger.createTransfers(events, ledger.lastTimestampNanos() + 1_000, results);
        return results.result(0);
    }

    private static void copyDirectory(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
