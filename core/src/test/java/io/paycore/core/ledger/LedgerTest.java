package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.paycore.core.ledger.TransferFlags.LINKED;
import static io.paycore.core.ledger.TransferFlags.PENDING;
import static io.paycore.core.ledger.TransferFlags.POST_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerTest
{
    private static final long SECOND = 1_000_000_000L;

    private final LedgerFixture f = new LedgerFixture();

    @Test
    void shouldMovePostedBalancesOnSingleTransfer()
    {
        f.standardAccounts();
        f.expectOk(f.single(10, 1, 2, 25));

        assertEquals("0/25/0/0", f.balances(1));
        assertEquals("0/0/0/25", f.balances(2));
        assertEquals(PendingState.NONE, f.state(10));
        assertTrue(f.ledger.isBalanced());
    }

    @Test
    void shouldHoldPendingAndPostFullAmountWhenPostAmountIsAmountMax()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 0));
        assertEquals("100/0/0/0", f.balances(1));
        assertEquals("0/0/100/0", f.balances(2));
        assertEquals(1, f.ledger.pendingCount());

        f.expectOk(f.postAll(11, 10));

        assertEquals("0/100/0/0", f.balances(1));
        assertEquals("0/0/0/100", f.balances(2));
        assertEquals(PendingState.POSTED, f.state(10));
        assertEquals(0, f.ledger.pendingCount());
        final int post = f.ledger.transferIndex(0, 11);
        assertEquals(100, f.ledger.transferAmountLo(post));
        assertEquals(1, f.ledger.transferDebitAccountIdLo(post));
        assertEquals(2, f.ledger.transferCreditAccountIdLo(post));
        assertEquals(1, f.ledger.transferLedger(post));
        assertEquals(1, f.ledger.transferCode(post));
        assertEquals(10, f.ledger.transferPendingIdLo(post));
        assertEquals(POST_PENDING, f.ledger.transferFlags(post));
    }

    @Test
    void shouldPostPartOfPendingAndReleaseTheRest()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 0));

        f.expectOk(f.transfer(11, 1, 2, 30, 10, 0, 1, 0, 1, POST_PENDING));

        assertEquals("0/30/0/0", f.balances(1));
        assertEquals("0/0/0/30", f.balances(2));
        assertEquals(30, f.ledger.transferAmountLo(f.ledger.transferIndex(0, 11)));
        assertEquals(CreateTransferResult.EXISTS, f.post(11, 10, 30));
        // Not the whole pending amount, and not nothing.
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT, f.postAll(11, 10));
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT, f.post(11, 10, 0));
    }

    @Test
    void shouldVoidPendingAndReleaseAll()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 0));

        f.expectOk(f.voidPending(11, 10, 0));

        assertEquals("0/0/0/0", f.balances(1));
        assertEquals("0/0/0/0", f.balances(2));
        assertEquals(PendingState.VOIDED, f.state(10));
        assertEquals(100, f.ledger.transferAmountLo(f.ledger.transferIndex(0, 11)));
    }

    @Test
    void shouldExpirePendingOnTickAtItsTimeoutAndNotBefore()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 2));
        final long expiresAtNanos = f.transferResults.timestamp(0) + 2 * SECOND;

        f.ledger.tick(expiresAtNanos - 1);
        assertEquals(PendingState.PENDING, f.state(10));
        assertEquals("100/0/0/0", f.balances(1));

        f.ledger.tick(expiresAtNanos);
        assertEquals(PendingState.EXPIRED, f.state(10));
        assertEquals("0/0/0/0", f.balances(1));
        assertEquals("0/0/0/0", f.balances(2));
        assertEquals(0, f.ledger.pendingCount());
        assertEquals(expiresAtNanos, f.ledger.clockNanos());
    }

    @Test
    void shouldExpireBeforeNextCommandOfAnyKind()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 1));
        final long firstNanos = f.transferResults.timestamp(0);
        f.expectOk(f.pending(11, 1, 2, 50, 1));
        assertEquals(firstNanos + 1, f.transferResults.timestamp(0));
        f.nowNanos = firstNanos + SECOND;

        assertEquals(CreateAccountResult.OK, f.account(20, 1, 1, 0, 0));
        assertEquals(PendingState.EXPIRED, f.state(10));
        assertEquals(PendingState.PENDING, f.state(11));

        f.nowNanos += 1;
        assertEquals(CreateTransferResult.PENDING_TRANSFER_EXPIRED, f.post(12, 11, 0));
        assertEquals("0/0/0/0", f.balances(1));
    }

    @Test
    void shouldNeverExpirePendingWithoutTimeout()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 0));

        f.ledger.tick(Long.MAX_VALUE);

        assertEquals(PendingState.PENDING, f.state(10));
        f.expectOk(f.post(11, 10, 0));
    }

    @Test
    void shouldExpireInOrderOfExpiryAsTimeAdvances()
    {
        f.accounts(new LedgerLimits().maxAccounts(16).maxTransfers(64).maxPendingTransfers(32).maxBatchEvents(32));
        f.standardAccounts();
        final long[] timeoutsSeconds = { 5, 1, 3, 1, 4, 2, 6, 2, 3, 5, 1, 4 };
        f.transferEvents.reset();
        for (int i = 0; i < timeoutsSeconds.length; i++)
        {
            f.transferEvents.add(100 + i, 1, 2, 1 + i, 0, 0, 1, timeoutsSeconds[i], 1, PENDING);
        }
        f.applyTransfers();
        final long baseNanos = f.transferResults.timestamp(0);
        f.expectOk(f.post(200, 104, 0));
        f.expectOk(f.voidPending(201, 102, 0));

        for (int second = 1; second <= 6; second++)
        {
            final long tickNanos = baseNanos + second * SECOND + timeoutsSeconds.length;
            f.ledger.tick(tickNanos);
            long heldAmount = 0;
            for (int i = 0; i < timeoutsSeconds.length; i++)
            {
                final long id = 100 + i;
                final PendingState expected = id == 104 ? PendingState.POSTED : id == 102 ? PendingState.VOIDED :
                    baseNanos + i + timeoutsSeconds[i] * SECOND <= tickNanos ? PendingState.EXPIRED :
                    PendingState.PENDING;
                assertEquals(expected, f.state(id), "transfer " + id + " at second " + second);
                if (expected == PendingState.PENDING)
                {
                    heldAmount += 1 + i;
                }
            }
            assertEquals(heldAmount, f.ledger.debitsPendingLo(f.ledger.accountIndex(0, 1)));
        }
        assertEquals(0, f.ledger.pendingCount());
    }

    @Test
    void shouldUndoWholeChainWhenOneEventFails()
    {
        f.standardAccounts();
        f.transferEvents.reset()
            .add(10, 1, 2, 100, 0, 0, 1, 5, 1, PENDING | LINKED)
            .add(11, 0, 0, 40, 10, 0, 0, 0, 0, POST_PENDING | LINKED)
            .add(12, 7, 8, 9, 0, 0, 1, 0, 1, LINKED)
            .add(13, 4, 2, 1, 0, 0, 1, 0, 1, 0)
            .add(14, 7, 8, 3, 0, 0, 1, 0, 1, 0);

        f.applyTransfers();

        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(0));
        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(1));
        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(2));
        assertEquals(CreateTransferResult.EXCEEDS_CREDITS, f.transferResults.result(3));
        assertEquals(CreateTransferResult.OK, f.transferResults.result(4));
        // Every result has a timestamp: the event's own, consecutive through the batch, failures included.
        for (int i = 0; i < 5; i++)
        {
            assertEquals(f.transferResults.timestamp(4) - 4 + i, f.transferResults.timestamp(i));
        }
        assertEquals(-1, f.ledger.transferIndex(0, 10));
        assertEquals(-1, f.ledger.transferIndex(0, 11));
        assertEquals(-1, f.ledger.transferIndex(0, 12));
        assertEquals(1, f.ledger.transferCount());
        assertEquals(0, f.ledger.pendingCount());
        assertEquals("0/0/0/0", f.balances(1));
        assertEquals("0/3/0/0", f.balances(7));
        assertEquals("0/0/0/3", f.balances(8));

        f.nowNanos += 10 * SECOND;
        f.expectOk(f.pending(10, 1, 2, 100, 5));
    }

    @Test
    void shouldRestorePendingTransferWhenChainThatPostedItFails()
    {
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 3));
        final long expiresAtNanos = f.transferResults.timestamp(0) + 3 * SECOND;
        f.transferEvents.reset()
            .add(11, 0, 0, 0, 10, 0, 0, 0, 0, POST_PENDING | LINKED)
            .add(12, 1, 1, 1, 0, 0, 1, 0, 1, 0);

        f.applyTransfers();

        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(0));
        assertEquals(CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT, f.transferResults.result(1));
        assertEquals(PendingState.PENDING, f.state(10));
        assertEquals("100/0/0/0", f.balances(1));
        assertEquals(1, f.ledger.pendingCount());

        f.ledger.tick(expiresAtNanos);
        assertEquals(PendingState.EXPIRED, f.state(10));
        assertEquals("0/0/0/0", f.balances(1));
    }

    @Test
    void shouldFailOpenChainAtEndOfBatch()
    {
        f.standardAccounts();
        f.transferEvents.reset()
            .add(9, 7, 8, 1, 0, 0, 1, 0, 1, 0)
            .add(10, 1, 2, 5, 0, 0, 1, 0, 1, LINKED)
            .add(11, 1, 2, 5, 0, 0, 1, 0, 1, LINKED);

        f.applyTransfers();

        assertEquals(CreateTransferResult.OK, f.transferResults.result(0));
        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(1));
        assertEquals(CreateTransferResult.LINKED_EVENT_CHAIN_OPEN, f.transferResults.result(2));
        assertEquals("0/0/0/0", f.balances(1));
    }

    @Test
    void shouldSkipRestOfFailedChainAndMarkOpenTailAsChainOpen()
    {
        f.standardAccounts();
        f.transferEvents.reset()
            .add(10, 1, 2, 5, 0, 0, 1, 0, 1, LINKED)
            .add(11, 1, 99, 5, 0, 0, 1, 0, 1, LINKED)
            .add(12, 1, 2, 5, 0, 0, 1, 0, 1, LINKED)
            .add(13, 1, 2, 5, 0, 0, 1, 0, 1, LINKED);

        f.applyTransfers();

        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(0));
        assertEquals(CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND, f.transferResults.result(1));
        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(2));
        assertEquals(CreateTransferResult.LINKED_EVENT_CHAIN_OPEN, f.transferResults.result(3));
        assertEquals(0, f.ledger.transferCount());
    }

    @Test
    void shouldCommitChainWhenEveryEventSucceeds()
    {
        f.standardAccounts();
        f.transferEvents.reset()
            .add(10, 1, 2, 5, 0, 0, 1, 0, 1, LINKED)
            .add(11, 2, 7, 5, 0, 0, 1, 0, 1, LINKED)
            .add(12, 7, 8, 5, 0, 0, 1, 0, 1, 0);

        f.applyTransfers();

        for (int i = 0; i < 3; i++)
        {
            assertEquals(CreateTransferResult.OK, f.transferResults.result(i));
        }
        assertEquals("0/5/0/5", f.balances(2));
        assertEquals("0/0/0/5", f.balances(8));
    }

    @Test
    void shouldUndoLinkedAccountsWhenOneFails()
    {
        f.accountEvents.reset()
            .add(1, 0, 1, 1, AccountFlags.LINKED)
            .add(2, 0, 1, 1, AccountFlags.LINKED)
            .add(3, 0, 0, 1, 0)
            .add(4, 0, 1, 1, 0);

        f.applyAccounts();

        assertEquals(CreateAccountResult.LINKED_EVENT_FAILED, f.accountResults.result(0));
        assertEquals(CreateAccountResult.LINKED_EVENT_FAILED, f.accountResults.result(1));
        assertEquals(CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO, f.accountResults.result(2));
        assertEquals(CreateAccountResult.OK, f.accountResults.result(3));
        assertEquals(1, f.ledger.accountCount());
        assertEquals(-1, f.ledger.accountIndex(0, 1));
        assertEquals(0, f.ledger.accountIndex(0, 4));
    }

    @Test
    void shouldLetDebitOnlyUpToPostedCreditsIncludingPendingDebits()
    {
        f.standardAccounts();
        f.expectOk(f.single(10, 1, 4, 100));
        f.expectOk(f.pending(11, 4, 2, 60, 0));

        assertEquals(CreateTransferResult.EXCEEDS_CREDITS, f.single(12, 4, 2, 41));
        f.expectOk(f.single(13, 4, 2, 40));
        assertEquals(CreateTransferResult.EXCEEDS_CREDITS, f.pending(14, 4, 2, 1, 0));
        f.expectOk(f.voidPending(15, 11, 0));
        f.expectOk(f.single(16, 4, 2, 60));
        assertEquals("0/100/0/100", f.balances(4));
    }

    @Test
    void shouldLetCreditOnlyUpToPostedDebitsIncludingPendingCredits()
    {
        f.standardAccounts();
        f.expectOk(f.single(10, 5, 1, 100));
        f.expectOk(f.pending(11, 2, 5, 70, 0));

        assertEquals(CreateTransferResult.EXCEEDS_DEBITS, f.single(12, 2, 5, 31));
        f.expectOk(f.single(13, 2, 5, 30));
        f.expectOk(f.postAll(14, 11));
        assertEquals("0/100/0/100", f.balances(5));
    }

    @Test
    void shouldCheckBothAccountsFlagsInOneTransfer()
    {
        f.standardAccounts();
        f.expectOk(f.single(10, 5, 4, 10));
        assertEquals("0/10/0/0", f.balances(5));
        assertEquals("0/0/0/10", f.balances(4));

        assertEquals(CreateTransferResult.EXCEEDS_CREDITS, f.single(11, 4, 5, 11));
        f.expectOk(f.single(12, 4, 5, 10));
    }

    @Test
    void shouldAssignConsecutiveTimestampsFromRecordTimeOrLastPlusOne()
    {
        f.nowNanos = 5_000;
        f.accountEvents.reset().add(1, 0, 1, 1, 0).add(0, 0, 1, 1, 0).add(2, 0, 1, 1, 0);
        f.applyAccounts();
        assertEquals(5_000, f.accountResults.timestamp(0));
        assertEquals(5_001, f.accountResults.timestamp(1), "a failure carries the time it was validated");
        assertEquals(5_002, f.accountResults.timestamp(2));
        assertEquals(5_002, f.ledger.lastTimestampNanos());

        f.nowNanos = 4_000;
        f.expectOk(f.single(10, 1, 2, 1));
        assertEquals(5_003, f.transferResults.timestamp(0));

        f.nowNanos = 9_000;
        assertEquals(CreateTransferResult.EXISTS, f.single(10, 1, 2, 1));
        assertEquals(5_003, f.transferResults.timestamp(0));
        assertEquals(9_000, f.ledger.lastTimestampNanos());
        assertEquals(9_000, f.ledger.clockNanos());
    }

    @Test
    void shouldAnswerFirstFailingCheckInDocumentedOrder()
    {
        f.standardAccounts();
        f.expectOk(f.single(9, 1, 2, 5));

        // TigerBeetle's order: a reserved flag, then the id, then an id that exists, before any other check.
        assertEquals(CreateTransferResult.RESERVED_FLAG, f.transfer(0, 0, 0, -1, 0, 0, 0, 0, 0, 0x200 | PENDING));
        assertEquals(CreateTransferResult.ID_MUST_NOT_BE_ZERO, f.transfer(0, 0, 0, -1, 0, 0, 0, 0, 0, 0x10));
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID, f.single(9, 0, 2, 5));
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS,
            f.transfer(9, 1, 2, 5, 0, 0, 1, 0, 1, PENDING | POST_PENDING));
        assertEquals(CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT, f.transfer(10, 1, 1, -1, 7, 0, 0, 3, 0, 0));
        assertEquals(CreateTransferResult.PENDING_ID_MUST_BE_ZERO, f.transfer(10, 1, 2, -1, 7, 0, 0, 3, 0, 0));
        assertEquals(CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO, f.single(10, 0, 2, 5));
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID, f.single(9, 99, 2, 5));
        assertEquals(CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND, f.single(10, 99, 3, 5));
        // A transient failure leaves its id failed, answered before anything else about the event.
        assertEquals(CreateTransferResult.ID_ALREADY_FAILED, f.single(10, 1, 1, 5));
        assertEquals(CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER, f.single(11, 4, 3, Long.MAX_VALUE));
        assertEquals(CreateTransferResult.EXCEEDS_CREDITS, f.single(11, 4, 5, 1));
        assertEquals(CreateTransferResult.PENDING_TRANSFER_NOT_FOUND, f.transfer(12, 7, 8, 0, 99, 0, 5, 0, 9, POST_PENDING));
        assertEquals(CreateAccountResult.RESERVED_FLAG, f.account(0, 0, 0, 0x40, 0));
        assertEquals(CreateAccountResult.ID_MUST_NOT_BE_ZERO, f.account(0, 0, 0, 6, 0));
        assertEquals(CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS, f.account(1, 0, 0, 6, 0));
        assertEquals(CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE, f.account(20, 0, 0, 6, 0));
        assertEquals(CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO, f.account(20, 0, 0, 2, 0));
        assertEquals(CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS, f.account(1, 2, 2, 2, 1));
    }

    @Test
    void shouldRefuseBatchOverLimit()
    {
        f.accounts(new LedgerLimits().maxAccounts(4).maxTransfers(4).maxPendingTransfers(4).maxBatchEvents(2));
        f.accountEvents.reset().add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0).add(3, 0, 1, 1, 0);

        assertThrows(IllegalArgumentException.class, f::applyAccounts);
    }

    @Test
    void shouldNotAllocateWhenApplyingTransfers()
    {
        f.accounts(new LedgerLimits().maxAccounts(16).maxTransfers(200_000).maxPendingTransfers(1024)
            .maxBatchEvents(32));
        f.standardAccounts();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        long id = 1000;
        for (int round = 0; round < 2_000; round++)
        {
            id = applyMixedBatch(id);
        }
        // A window of batches must allocate nothing; allow a one-off of the JVM's own (seen: 176 bytes once) by
        // taking the best of three windows, while any per-batch allocation would show in every window.
        long leastBytes = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++)
        {
            final long beforeBytes = threads.getThreadAllocatedBytes(threadId);
            for (int round = 0; round < 1_000; round++)
            {
                id = applyMixedBatch(id);
            }
            leastBytes = Math.min(leastBytes, threads.getThreadAllocatedBytes(threadId) - beforeBytes);
        }

        assertEquals(0, leastBytes);
        assertTrue(f.ledger.isBalanced());
    }

    private long applyMixedBatch(final long firstId)
    {
        long id = firstId;
        f.nowNanos += SECOND / 2;
        f.transferEvents.reset()
            .add(id, 1, 2, 5, 0, 0, 1, 0, 1, 0)
            .add(id + 1, 2, 7, 5, 0, 0, 1, 1, 1, PENDING)
            .add(id + 2, 0, 0, 0, id + 1, 0, 0, 0, 0, POST_PENDING)
            .add(id + 3, 7, 8, 5, 0, 0, 1, 1, 1, PENDING | LINKED)
            .add(id + 4, 7, 7, 5, 0, 0, 1, 0, 1, 0)
            .add(id + 5, 8, 1, 5, 0, 0, 1, 1, 1, PENDING)
            .add(id, 1, 2, 5, 0, 0, 1, 0, 1, 0);
        id += 6;
        f.applyTransfers();
        return id;
    }
}
