package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateTransferResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transfers whose ids only grow are kept out of the hash index, in the ascending index: each is still found when it
 * is re-sent, looked up, undone by its chain, trimmed into the cold tier and read back from a snapshot, and ids out
 * of order, pending transfers and failed ids still go into the hash index.
 */
class LedgerAscendingIndexTest
{
    private final LedgerFixture f = new LedgerFixture();

    private void singles(final LedgerFixture fixture, final long firstId, final long lastId)
    {
        for (long id = firstId; id <= lastId; id++)
        {
            fixture.nowNanos += 1_000;
            fixture.expectOk(fixture.single(id, 1, 2, id));
        }
    }

    @Test
    void shouldFindEveryAscendingIdWithoutTheHashIndex()
    {
        f.standardAccounts();
        singles(f, 1, 40);
        assertEquals(0, f.ledger.hashIndexedTransferIds());
        assertEquals(40, f.ledger.ascendingIndexedTransferIds());

        for (long id = 1; id <= 40; id++)
        {
            final long timestamp = f.ledger.transferTimestamp(f.ledger.transferIndex(0, id));
            assertEquals(CreateTransferResult.EXISTS, f.single(id, 1, 2, id), "id " + id);
            assertEquals(timestamp, f.transferResults.timestamp(0), "id " + id);
            assertEquals(id, f.ledger.transferAmountLo(f.ledger.transferIndex(0, id)));
        }
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT, f.single(17, 1, 2, 18));
        assertEquals(-1, f.ledger.transferIndex(0, 41));
        assertEquals(-1, f.ledger.transferIndex(1, 17), "the high half is compared too");
        assertEquals(40, f.ledger.transferCount());
    }

    @Test
    void shouldPutPendingOutOfOrderAndFailedIdsIntoTheHashIndex()
    {
        f.accounts(new LedgerLimits().maxAccounts(16).maxTransfers(256).maxPendingTransfers(16)
            .maxBatchEvents(LedgerFixture.BATCH));
        f.standardAccounts();
        singles(f, 1_001, 1_100);
        f.expectOk(f.pending(1_200, 1, 2, 100, 0));
        f.expectOk(f.single(5, 1, 2, 1));
        assertEquals(CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND, f.single(1_300, 99, 2, 1));
        f.expectOk(f.single(1_301, 1, 2, 1));
        f.expectOk(f.post(1_302, 1_200, 60));

        assertEquals(3, f.ledger.hashIndexedTransferIds(), "pending 1200, out-of-order 5, failed 1300");
        assertEquals(102, f.ledger.ascendingIndexedTransferIds(), "1001 to 1100, 1301 and the post 1302");
        assertEquals(CreateTransferResult.EXISTS, f.single(5, 1, 2, 1));
        assertEquals(CreateTransferResult.ID_ALREADY_FAILED, f.single(1_300, 1, 2, 1));
        assertEquals(CreateTransferResult.EXISTS, f.single(1_011, 1, 2, 1_011));
        assertEquals(CreateTransferResult.EXISTS, f.post(1_302, 1_200, 60));
        assertEquals(PendingState.POSTED, f.ledger.transferPendingState(f.ledger.transferIndex(0, 1_200)));
        f.expectOk(f.single(1_250, 1, 2, 1));
        assertEquals(4, f.ledger.hashIndexedTransferIds(), "1250, below the id ceiling (1302)");
        assertEquals(102, f.ledger.ascendingIndexedTransferIds(), "a long run stays");
    }

    @Test
    void shouldMoveAShortRunToTheHashIndexWhenAnIdArrivesOutOfOrder()
    {
        f.standardAccounts();
        singles(f, 10, 12);
        assertEquals(3, f.ledger.ascendingIndexedTransferIds());
        f.expectOk(f.single(5, 1, 2, 5));
        assertEquals(0, f.ledger.ascendingIndexedTransferIds());
        assertEquals(4, f.ledger.hashIndexedTransferIds());
        for (final long id : new long[]{ 5, 10, 11, 12 })
        {
            assertEquals(CreateTransferResult.EXISTS, f.single(id, 1, 2, id), "id " + id);
        }
        f.expectOk(f.single(13, 1, 2, 13));
        assertEquals(1, f.ledger.ascendingIndexedTransferIds(), "a new run");
        assertEquals("0/51/0/0", f.balances(1));
    }

    @Test
    void shouldFindIdsSpreadUnevenlyAsWellAsEvenly()
    {
        f.accounts(new LedgerLimits().maxAccounts(16).maxTransfers(4096).maxPendingTransfers(16)
            .maxBatchEvents(LedgerFixture.BATCH));
        f.standardAccounts();
        // Dense runs, gaps of every size up to 2^99 and ids that differ only in their low half: interpolation
        // places its probes badly here, and the halving after it must still find every id.
        final List<long[]> ids = new ArrayList<>();
        long hi = 0;
        long lo = 1;
        for (int i = 0; i < 3000; i++)
        {
            ids.add(new long[]{ hi, lo });
            if (i % 500 == 499)
            {
                hi += 1L << (i / 500 * 7);
                lo = 1;
            }
            else
            {
                lo += i % 7 == 0 ? (1L << (i % 50)) : 1;
            }
        }
        final Set<String> created = new HashSet<>();
        for (final long[] id : ids)
        {
            created.add(id[0] + "/" + id[1]);
            f.expectOk(f.transfer((e) -> e.id(id[0], id[1]).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 1)
                .ledger(1).code(1)));
        }
        assertEquals(0, f.ledger.hashIndexedTransferIds());
        assertEquals(3000, f.ledger.ascendingIndexedTransferIds());

        for (final long[] id : ids)
        {
            final int index = f.ledger.transferIndex(id[0], id[1]);
            assertTrue(index >= 0, () -> UInt128.toString(id[0], id[1]));
            assertEquals(id[1], f.ledger.transferIdLo(index));
            assertEquals(id[0], f.ledger.transferIdHi(index));
            // Just above and below an id: found exactly when created.
            for (final long next : new long[]{ id[1] + 1, id[1] - 1 })
            {
                assertEquals(created.contains(id[0] + "/" + next), f.ledger.transferIndex(id[0], next) >= 0,
                    () -> id[0] + "/" + next);
            }
        }
        assertEquals(-1, f.ledger.transferIndex(0, 0x7FFF_FFFF_FFFF_FFFFL));
        assertEquals(-1, f.ledger.transferIndex(-1, -2));
    }

    @Test
    void shouldRunLongRunsAndIdsOutOfOrderInThePropertyTestsAscendingStreams()
    {
        // What the property tests' streams of ids that mostly only grow are there to exercise.
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(64).maxTransfers(100_000)
            .maxPendingTransfers(4_096).maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS));
        final LedgerDriver driver = new LedgerDriver(ledger);
        int longestRun = 0;
        for (final CommandStreams.Command command : CommandStreams.fixed(7, 12, 3_000, true))
        {
            driver.apply(command);
            longestRun = Math.max(longestRun, ledger.ascendingIndexedTransferIds());
        }
        assertTrue(longestRun > 200, "longest run " + longestRun);
        assertTrue(ledger.hashIndexedTransferIds() > 100, "hashed " + ledger.hashIndexedTransferIds());
    }

    @Test
    void shouldForgetAnAscendingIdItsChainUndid()
    {
        f.standardAccounts();
        singles(f, 1, 3);
        f.transferEvents.reset()
            .add(4, 1, 2, 1, 0, 0, 1, 0, 1, TransferFlags.LINKED)
            .add(5, 1, 2, 1, 0, 0, 1, 0, 1, TransferFlags.LINKED)
            .add(6, 1, 2, 1, 0, 0, 1, 0, 0, 0);
        f.applyTransfers();
        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(0));
        assertEquals(CreateTransferResult.CODE_MUST_NOT_BE_ZERO, f.transferResults.result(2));
        assertEquals(3, f.ledger.ascendingIndexedTransferIds());
        assertEquals(-1, f.ledger.transferIndex(0, 4));

        // At or below the id ceiling the chain raised: looked up, not found, and into the hash index, with the
        // short run before them.
        f.expectOk(f.single(5, 1, 2, 5));
        f.expectOk(f.single(4, 1, 2, 4));
        assertEquals(0, f.ledger.ascendingIndexedTransferIds());
        assertEquals(5, f.ledger.hashIndexedTransferIds());
        f.expectOk(f.single(6, 1, 2, 6));
        assertEquals(1, f.ledger.ascendingIndexedTransferIds(), "6, above the ceiling");
        assertEquals(CreateTransferResult.EXISTS, f.single(4, 1, 2, 4));
        assertEquals(CreateTransferResult.EXISTS, f.single(5, 1, 2, 5));
        assertEquals("0/21/0/0", f.balances(1));
    }

    @Test
    void shouldTrimAscendingIdsIntoTheColdTierAndStillAnswerThem() throws IOException
    {
        final InMemoryColdTier cold = new InMemoryColdTier();
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(16).maxTransfers(2).maxPendingTransfers(16).maxBatchEvents(LedgerFixture.BATCH);
        f.ledger = new Ledger(limits, cold);
        f.standardAccounts();
        singles(f, 1, 10);
        f.expectOk(f.pending(11, 1, 2, 100, 0));
        singles(f, 12, 20);
        assertTrue(f.ledger.oldestHotRecord() > 10, "most records left the window");
        assertTrue(f.ledger.ascendingIndexedTransferIds() <= 2, "trimmed with the ring");
        assertEquals(0, f.ledger.hashIndexedTransferIds(), "pending 11 was trimmed too");

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.ledger.writeSnapshot(Channels.newChannel(bytes));
        final Ledger restored = Ledger.readSnapshot(
            Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), limits, cold);
        assertEquals(f.ledger.digestHex(), restored.digestHex());
        assertEquals(f.ledger.ascendingIndexedTransferIds(), restored.ascendingIndexedTransferIds());

        for (final Ledger ledger : new Ledger[]{ f.ledger, restored })
        {
            f.ledger = ledger;
            assertEquals(CreateTransferResult.EXISTS, f.single(3, 1, 2, 3), "cold");
            assertEquals(CreateTransferResult.EXISTS, f.single(20, 1, 2, 20), "hot");
            assertEquals(CreateTransferResult.EXISTS, f.pending(11, 1, 2, 100, 0), "pooled");
        }
        // Only the restored ledger goes on: the two share one tier. Its id ceiling came from the tier's highest
        // id, so a new id above it needs no lookup and is not put into the hash index.
        f.expectOk(f.single(30, 1, 2, 1));
        assertEquals(0, restored.hashIndexedTransferIds());
        assertTrue(restored.ascendingIndexedTransferIds() >= 1);
        assertEquals(CreateTransferResult.EXISTS, f.single(30, 1, 2, 1));
        f.expectOk(f.post(31, 11, 100));
        f.expectOk(f.single(32, 1, 2, 1));
        assertEquals(CreateTransferResult.EXISTS, f.post(31, 11, 100), "the post, by id");
        assertEquals(CreateTransferResult.EXISTS, f.single(3, 1, 2, 3), "cold, after the restore");
        assertEquals("0/301/0/0", f.balances(1));
    }

    @Test
    void shouldReadTheSameIndexesBackFromASnapshot() throws IOException
    {
        f.standardAccounts();
        singles(f, 1, 5);
        f.expectOk(f.pending(50, 1, 2, 100, 0));
        f.expectOk(f.single(40, 1, 2, 1));
        singles(f, 60, 62);

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.ledger.writeSnapshot(Channels.newChannel(bytes));
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(16).maxTransfers(64).maxPendingTransfers(16).maxBatchEvents(LedgerFixture.BATCH);
        final Ledger restored = Ledger.readSnapshot(
            Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), limits);
        assertEquals(f.ledger.hashIndexedTransferIds(), restored.hashIndexedTransferIds());
        assertEquals(f.ledger.ascendingIndexedTransferIds(), restored.ascendingIndexedTransferIds());

        f.ledger = restored;
        for (final long id : new long[]{ 1, 3, 5, 40, 60, 62 })
        {
            assertTrue(restored.transferIndex(0, id) >= 0, "id " + id);
        }
        assertEquals(CreateTransferResult.EXISTS, f.single(61, 1, 2, 61));
        assertEquals(CreateTransferResult.EXISTS, f.single(40, 1, 2, 1));
        f.expectOk(f.postAll(63, 50));
        f.expectOk(f.single(64, 1, 2, 1));
        assertEquals(-1, restored.transferIndex(0, 65));
    }
}
