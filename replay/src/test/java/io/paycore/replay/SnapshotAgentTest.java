package io.paycore.replay;

import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapshotAgentTest
{
    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void shouldApplyTheJournalBehindTheBlpAndSnapshotAtEveryMultiple()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = TestDays.writeDay(dir, 60, null, 0, 3);
        final long last = lastSequence(dir);
        assertTrue(last > 60);

        final Ledger copy = SnapshotAgent.copyOf(new Ledger(TestDays.limits()), null);
        final AtomicLong appliedByBlp = new AtomicLong();
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 100, errors::add);
        final SnapshotAgent agent = new SnapshotAgent(
            copy, dir.journalDirectory(), 0, appliedByBlp::get, 10, taker, errors::add);

        // The BLP a few records ahead at a time: the agent keeps up, so it takes every point.
        advance(agent, appliedByBlp, 25);
        assertEquals(25, agent.appliedSequence(), "never past what the BLP applied");
        assertEquals(2, taker.snapshotsTaken());
        assertEquals(20, taker.lastSequence());

        advance(agent, appliedByBlp, last);
        drain(agent);
        agent.onClose();
        assertEquals(last, agent.appliedSequence());
        assertEquals(live.digestHex(), copy.digestHex());
        assertEquals(last / 10, taker.snapshotsTaken());
        assertEquals(0, agent.snapshotsSkipped());
        assertFalse(agent.isFailed());
        assertTrue(errors.isEmpty(), errors::toString);

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertEquals(last / 10 * 10, recovery.report().snapshotSequence());
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), recovery.report().describe());
        }
    }

    @Test
    void shouldSkipAPointTheBlpHasPassedByAWholeInterval()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = TestDays.writeDay(dir, 60, null, 0, 3);
        final long last = lastSequence(dir);

        // As after a snapshot that took longer than an interval: the BLP is far ahead of every point but the last.
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 100, errors::add);
        final SnapshotAgent agent = new SnapshotAgent(SnapshotAgent.copyOf(new Ledger(TestDays.limits()), null),
            dir.journalDirectory(), 0, () -> last, 10, taker, errors::add);
        drain(agent);
        agent.onClose();
        assertEquals(1, taker.snapshotsTaken());
        assertEquals(last / 10 * 10, taker.lastSequence());
        assertEquals(last / 10 - 1, agent.snapshotsSkipped());
        assertTrue(errors.isEmpty(), errors::toString);
        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertEquals(last / 10 * 10, recovery.report().snapshotSequence());
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), recovery.report().describe());
        }
    }

    @Test
    void shouldSnapshotOnlyAtThePointsAskedForAndNeverPastOne()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger live = TestDays.writeDay(dir, 60, null, 0, 3);
        final long last = lastSequence(dir);
        assertTrue(last > 50);

        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 100, errors::add);
        final SnapshotAgent agent = new SnapshotAgent(SnapshotAgent.copyOf(new Ledger(TestDays.limits()), null),
            dir.journalDirectory(), 0, () -> last, 0, taker, errors::add);

        // No point asked for: the agent follows the BLP and writes nothing.
        drain(agent);
        assertEquals(last, agent.appliedSequence());
        assertEquals(0, taker.snapshotsTaken());
        agent.onClose();

        // From the start again, as a member does after a restart. The BLP asks for a point where it is, then goes
        // on before the agent starts: the agent stops there and takes it.
        final AtomicLong appliedByBlp = new AtomicLong(17);
        final SnapshotAgent behind = new SnapshotAgent(SnapshotAgent.copyOf(new Ledger(TestDays.limits()), null),
            dir.journalDirectory(), 0, appliedByBlp::get, 0, taker, errors::add);
        behind.requestPoint(17);
        appliedByBlp.set(40);
        drain(behind);
        assertEquals(1, taker.snapshotsTaken());
        assertEquals(17, taker.lastSequence(), "taken at the point, not where the BLP is");
        assertEquals(40, behind.appliedSequence());

        // Two points asked for before the agent reaches the first: only the second is taken.
        appliedByBlp.set(45);
        behind.requestPoint(45);
        appliedByBlp.set(50);
        behind.requestPoint(50);
        assertEquals(1, behind.snapshotsSkipped());
        drain(behind);
        assertEquals(2, taker.snapshotsTaken());
        assertEquals(50, taker.lastSequence());

        // A point the agent is at already is taken where it is, once.
        appliedByBlp.set(last);
        drain(behind);
        behind.requestPoint(last);
        drain(behind);
        behind.requestPoint(last);
        drain(behind);
        behind.onClose();
        assertEquals(3, taker.snapshotsTaken());
        assertEquals(last, taker.lastSequence());
        assertThrows(IllegalArgumentException.class, () -> behind.requestPoint(last - 1));
        assertTrue(errors.isEmpty(), errors::toString);

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertEquals(last, recovery.report().snapshotSequence());
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), recovery.report().describe());
        }
    }

    @Test
    void shouldReportACopyItCannotReadWithoutWaitingOnTheThreadThatWritesIt()
    {
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(4).maxTransfers(4).maxPendingTransfers(4).maxBatchEvents(64).maxColdLagRecords(128);
        try (LmdbColdTier cold = new LmdbColdTier(temp.resolve("cold"), 64L << 20);
            LmdbColdTier empty = new LmdbColdTier(temp.resolve("empty"), 64L << 20))
        {
            final Ledger ledger = new Ledger(limits, cold);
            ledger.createAccounts(
                new AccountEventArray(2).add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0), 1_000, new AccountResults(2));
            final TransferEventArray transfers = new TransferEventArray(64);
            for (long id = 1; id <= 64; id++)
            {
                transfers.add(id, 1, 2, id, 0, 0, 1, 0, 1, 0);
            }
            ledger.createTransfers(transfers, 2_000, new TransferResults(64));
            assertEquals(64, ledger.transferCount());

            // Copied onto a tier that lacks what the ledger left to its own: refused part-way through the stream.
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> SnapshotAgent.copyOf(ledger, empty));
            assertTrue(ex.getMessage().startsWith("cannot copy the ledger: the cold tier holds 0"), ex.getMessage());
            assertEquals(ledger.digestHex(), SnapshotAgent.copyOf(ledger, cold.follower()).digestHex());
        }
    }

    @Test
    void shouldStopAndReportWhenTheJournalCannotBeRead()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("none"));
        final SnapshotAgent agent = new SnapshotAgent(SnapshotAgent.copyOf(new Ledger(TestDays.limits()), null),
            dir.journalDirectory(), 0, () -> 5, 10, new SnapshotTaker(dir.snapshotDirectory(), 3, errors::add),
            errors::add);
        assertEquals(0, agent.doWork());
        assertTrue(agent.isFailed());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains("snapshots stop"), errors.get(0).getMessage());
    }

    private static long lastSequence(final DataDirectory dir)
    {
        try (Recovery journalOnly = Recovery.open(dir, TestDays.limits(), TestDays.journalContext(), false))
        {
            return journalOnly.report().lastSequence();
        }
    }

    private static void advance(final SnapshotAgent agent, final AtomicLong appliedByBlp, final long to)
    {
        while (appliedByBlp.get() < to)
        {
            appliedByBlp.set(Math.min(to, appliedByBlp.get() + 5));
            drain(agent);
        }
    }

    private static void drain(final SnapshotAgent agent)
    {
        while (agent.doWork() > 0)
        {
            // apply what the BLP has
        }
    }
}
