package io.paycore.core.cold;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.PendingState;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.ledger.TransferResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restart over an existing {@code DIR/cold}, done as {@code Recovery.open} does it with a tier: the hot window
 * checked, the tier switched to synchronous writes, the journal replayed into a new ledger, what the tier holds past
 * the ledger's sealed records forgotten, then the tier handed back to its agent (here
 * {@link AsyncLmdbColdTier#doWork()} called by hand after each command, as a writer that keeps up).
 */
class ColdTierRestartTest
{
    private static final long T0 = 1_000_000_000_000L;

    @TempDir
    Path directory;

    /** One journaled transfer command of one event. */
    private record Step(long nowNanos, long id, long pendingId, long amount, int flags)
    {
    }

    private final AccountEventArray accounts = new AccountEventArray(8);
    private final AccountResults accountResults = new AccountResults(8);
    private final TransferEventArray transfers = new TransferEventArray(8);
    private final TransferResults transferResults = new TransferResults(8);

    private static LedgerLimits window(final int hotTransfers)
    {
        return new LedgerLimits().maxAccounts(4).maxTransfers(hotTransfers).maxPendingTransfers(4)
            .maxBatchEvents(8).maxColdLagRecords(64);
    }

    private AsyncLmdbColdTier tier()
    {
        return new AsyncLmdbColdTier(directory, 64L << 20, 64, 256, 1, 0, false);
    }

    private void replay(final Ledger ledger, final List<Step> journal)
    {
        accounts.reset().add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0);
        ledger.createAccounts(accounts, T0, accountResults);
        assertEquals(CreateAccountResult.OK, accountResults.result(1));
        for (final Step step : journal)
        {
            apply(ledger, step);
        }
    }

    private CreateTransferResult apply(final Ledger ledger, final Step step)
    {
        final boolean resolves = (step.flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0;
        transfers.reset().add(step.id, resolves ? 0 : 1, resolves ? 0 : 2, step.amount, step.pendingId, 0,
            resolves ? 0 : 1, 0, resolves ? 0 : 1, step.flags);
        ledger.createTransfers(transfers, step.nowNanos, transferResults);
        return transferResults.result(0);
    }

    private static Step single(final long nowNanos, final long id)
    {
        return new Step(nowNanos, id, 0, 1, 0);
    }

    /**
     * The record numbers the tier counts by depend on the ledger's hot window: a post of a pending transfer whose
     * record was sealed writes a re-record (a second record), one of an unsealed pending transfer does not. Restarted
     * with a larger window, a replay numbers the same history with fewer records, and a transfer could go unwritten
     * and, once out of the window, be created a second time by a re-send. So a tier that holds records refuses a
     * ledger with another window, naming the one to use, as {@code Recovery} asks it before replaying.
     */
    @Test
    void shouldRefuseAnotherHotWindowOnceTheTierHoldsRecordsAndAcceptItBefore()
    {
        final List<Step> journal = postOfASealedPendingTransfer();

        try (AsyncLmdbColdTier cold = tier())
        {
            cold.useHotWindow(4);
            cold.useHotWindow(1);
            cold.synchronous(true);
            final Ledger live = new Ledger(window(1), cold);
            replay(live, journal);
            // Pending transfer 10 is sealed (pooled) before it is posted, so the post re-records it: records 10,
            // 20, 10 (POSTED), 11, 21, 22; the tier holds the first 5.
            assertEquals(6, live.recordCount());
            assertEquals(5, cold.writtenRecordsNow());
        }

        try (AsyncLmdbColdTier cold = tier())
        {
            final ColdTierException refused = assertThrows(ColdTierException.class, () -> cold.useHotWindow(8));
            assertTrue(refused.getMessage().contains("holds 5 records of a ledger with a hot window of 1 " +
                "transfers, and this one's is 8") && refused.getMessage().contains("--hot-transfers 1"),
                refused.getMessage());
            cold.useHotWindow(1);
        }
    }

    /**
     * With the same window, a restart whose replay seals nothing the tier holds (here a tier written ahead of a
     * ledger that starts over from its journal) forgets what the tier holds past the ledger's sealed records, and
     * writes them again as the ledger seals them: no transfer is lost, none is created twice.
     */
    @Test
    void shouldWriteAgainWhatTheTierHeldPastTheRecoveredLedgersSealedRecords()
    {
        final List<Step> journal = postOfASealedPendingTransfer();

        try (AsyncLmdbColdTier cold = tier())
        {
            cold.synchronous(true);
            replay(new Ledger(window(1), cold), journal);
            assertEquals(5, cold.writtenRecordsNow());
        }

        try (AsyncLmdbColdTier cold = tier())
        {
            cold.synchronous(true);
            final Ledger ledger = new Ledger(window(1), cold);
            replay(ledger, journal.subList(0, 2));
            recover(cold, ledger);

            long now = T0 + 10_000;
            for (final Step step : journal.subList(2, journal.size()))
            {
                assertEquals(CreateTransferResult.OK, apply(ledger, step));
                cold.doWork();
            }
            for (long id = 30; id < 46; id++)
            {
                now += 1_000;
                assertEquals(CreateTransferResult.OK, apply(ledger, single(now, id)));
                cold.doWork();
            }
            assertTrue(ledger.oldestHotRecord() > 5, "transfer 22 left the window");
            assertEquals(null, cold.failure());

            final long resentAt = now + 1_000;
            assertAll(
                () -> assertTrue(ledger.transferIndex(0, 22) >= 0, "transfer 22 is found"),
                () -> assertEquals(CreateTransferResult.EXISTS, apply(ledger, single(resentAt, 22))),
                () -> assertEquals(PendingState.POSTED, ledger.transferPendingState(ledger.transferIndex(0, 10))),
                () -> assertEquals(21, ledger.transferCount(), "transfers created"));
        }
    }

    /**
     * Pending transfer 10, transfer 20, the post of 10, transfers 21 and 22: with a hot window of 1, transfer 10 is
     * sealed before its post, so the post writes a second record for it.
     */
    private static List<Step> postOfASealedPendingTransfer()
    {
        return List.of(
            new Step(T0 + 1_000, 10, 0, 100, TransferFlags.PENDING),
            single(T0 + 2_000, 20),
            new Step(T0 + 3_000, 11, 10, 100, TransferFlags.POST_PENDING),
            single(T0 + 4_000, 21),
            single(T0 + 5_000, 22));
    }

    /**
     * What {@code Recovery.open} does after its replay with a tier.
     */
    private static void recover(final AsyncLmdbColdTier cold, final Ledger ledger)
    {
        if (cold.recordsAhead(ledger.sealedRecords()) > 0)
        {
            cold.discardFrom(ledger.sealedRecords());
        }
        cold.synchronous(false);
    }

    /**
     * At {@code --flush none} a power loss may take the journal's tail and leave the tier's writes (README: "A tier
     * found ahead of the journal ... forgets what the journal does not have"). Recovery forgets only the records at
     * or past the recovered ledger's record count. But a record below that count and at or past its sealed count
     * was sealed by the lost history, in the state the lost history gave it: the recovered ledger seals it again
     * later, perhaps in another state, and its agent does not write it again (the tier's count is past it). Here
     * pending transfer 10 was sealed PENDING by the lost history; the recovered history posts it while it is still
     * hot, and once it leaves the window the tier's copy, PENDING and not in the pool, reads as EXPIRED.
     */
    @Test
    void shouldNotKeepTheStateALostJournalTailSealedARecordIn()
    {
        final List<Step> kept = List.of(
            new Step(T0 + 1_000, 10, 0, 100, TransferFlags.PENDING),
            single(T0 + 2_000, 20));
        final Step lost = single(T0 + 3_000, 21);

        // Before the power loss: hot window 2; the third command seals pending transfer 10 (PENDING, pooled) and the
        // tier writes it.
        try (AsyncLmdbColdTier cold = tier())
        {
            cold.synchronous(true);
            final Ledger live = new Ledger(window(2), cold);
            replay(live, kept);
            assertEquals(CreateTransferResult.OK, apply(live, lost));
            assertEquals(1, cold.writtenRecordsNow());
        }

        // The journal kept only the first two transfer commands; the tier kept its write.
        final Ledger reference = new Ledger(window(1_000));
        try (AsyncLmdbColdTier cold = tier())
        {
            cold.synchronous(true);
            final Ledger ledger = new Ledger(window(2), cold);
            replay(ledger, kept);
            replay(reference, kept);
            recover(cold, ledger);

            // The recovered history goes on: transfer 10 is posted while it is hot, then leaves the window.
            final Step post = new Step(T0 + 10_000, 11, 10, 100, TransferFlags.POST_PENDING);
            assertEquals(CreateTransferResult.OK, apply(ledger, post));
            assertEquals(CreateTransferResult.OK, apply(reference, post));
            long now = T0 + 10_000;
            for (long id = 30; id < 36; id++)
            {
                now += 1_000;
                assertEquals(CreateTransferResult.OK, apply(ledger, single(now, id)));
                assertEquals(CreateTransferResult.OK, apply(reference, single(now, id)));
                cold.doWork();
            }
            assertTrue(ledger.oldestHotRecord() > 0, "transfer 10 left the window");
            assertEquals(null, cold.failure());

            assertEquals(PendingState.POSTED,
                reference.transferPendingState(reference.transferIndex(0, 10)), "the reference");
            final Step voidIt = new Step(now + 1_000, 12, 10, 0, TransferFlags.VOID_PENDING);
            assertAll(
                () -> assertEquals(PendingState.POSTED, ledger.transferPendingState(ledger.transferIndex(0, 10)),
                    "transfer 10 was posted"),
                () -> assertEquals(apply(reference, voidIt), apply(ledger, voidIt), "a void of transfer 10"));
        }
    }
}
