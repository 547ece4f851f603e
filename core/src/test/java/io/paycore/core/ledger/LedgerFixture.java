package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A ledger with one-event-batch helpers for example tests. The record timestamp is {@link #nowNanos}, moved only
 * by the test.
 */
final class LedgerFixture
{
    static final int BATCH = 32;

    Ledger ledger;
    final AccountEventArray accountEvents = new AccountEventArray(BATCH);
    final TransferEventArray transferEvents = new TransferEventArray(BATCH);
    final AccountResults accountResults = new AccountResults(BATCH);
    final TransferResults transferResults = new TransferResults(BATCH);
    long nowNanos = 1_000_000_000_000L;

    LedgerFixture()
    {
        accounts(new LedgerLimits().maxAccounts(16).maxTransfers(64).maxPendingTransfers(16).maxBatchEvents(BATCH));
    }

    LedgerFixture accounts(final LedgerLimits limits)
    {
        ledger = new Ledger(limits);
        return this;
    }

    /**
     * Accounts 1, 2, 7, 8 on ledger 1 without flags; 3 and 6 on ledger 2; 4 on ledger 1 with
     * DEBITS_MUST_NOT_EXCEED_CREDITS; 5 on ledger 1 with CREDITS_MUST_NOT_EXCEED_DEBITS.
     */
    void standardAccounts()
    {
        accountEvents.reset()
            .add(1, 0, 1, 1, 0)
            .add(2, 0, 1, 1, 0)
            .add(3, 0, 2, 1, 0)
            .add(4, 0, 1, 1, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
            .add(5, 0, 1, 1, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)
            .add(6, 0, 2, 1, 0)
            .add(7, 0, 1, 1, 0)
            .add(8, 0, 1, 1, 0);
        applyAccounts();
        for (int i = 0; i < accountResults.count(); i++)
        {
            assertEquals(CreateAccountResult.OK, accountResults.result(i));
        }
    }

    void applyAccounts()
    {
        ledger.createAccounts(accountEvents, nowNanos, accountResults);
    }

    void applyTransfers()
    {
        ledger.createTransfers(transferEvents, nowNanos, transferResults);
    }

    CreateAccountResult account(final long id, final long ledger, final int code, final int flags, final long userData)
    {
        accountEvents.reset().add(id, userData, ledger, code, flags);
        applyAccounts();
        return accountResults.result(0);
    }

    CreateTransferResult transfer(
        final long id,
        final long debitAccountId,
        final long creditAccountId,
        final long amount,
        final long pendingId,
        final long userData,
        final long ledger,
        final long timeoutSeconds,
        final int code,
        final int flags)
    {
        transferEvents.reset().add(
            id, debitAccountId, creditAccountId, amount, pendingId, userData, ledger, timeoutSeconds, code, flags);
        applyTransfers();
        return transferResults.result(0);
    }

    CreateTransferResult single(final long id, final long debitAccountId, final long creditAccountId, final long amount)
    {
        return transfer(id, debitAccountId, creditAccountId, amount, 0, 0, 1, 0, 1, 0);
    }

    CreateTransferResult pending(
        final long id, final long debitAccountId, final long creditAccountId, final long amount, final long timeoutSeconds)
    {
        return transfer(id, debitAccountId, creditAccountId, amount, 0, 0, 1, timeoutSeconds, 1, TransferFlags.PENDING);
    }

    CreateTransferResult post(final long id, final long pendingId, final long amount)
    {
        return transfer(id, 0, 0, amount, pendingId, 0, 0, 0, 0, TransferFlags.POST_PENDING);
    }

    /**
     * A post of {@code AMOUNT_MAX} (2^128 - 1): the whole pending amount.
     */
    CreateTransferResult postAll(final long id, final long pendingId)
    {
        return transfer((e) -> e.id(0, id).pendingId(0, pendingId)
            .amount(Ledger.AMOUNT_MAX_HI, Ledger.AMOUNT_MAX_LO).flags(TransferFlags.POST_PENDING));
    }

    CreateTransferResult voidPending(final long id, final long pendingId, final long amount)
    {
        return transfer(id, 0, 0, amount, pendingId, 0, 0, 0, 0, TransferFlags.VOID_PENDING);
    }

    void expectOk(final CreateTransferResult result)
    {
        assertEquals(CreateTransferResult.OK, result);
    }

    /**
     * A one-event account batch built with the event array's fluent setters, for 128-bit values and the fields the
     * 64-bit helpers leave 0.
     */
    CreateAccountResult account(final Consumer<AccountEventArray.Event> event)
    {
        accountEvents.reset();
        event.accept(accountEvents.add());
        applyAccounts();
        return accountResults.result(0);
    }

    /**
     * A one-event transfer batch built with the event array's fluent setters.
     */
    CreateTransferResult transfer(final Consumer<TransferEventArray.Event> event)
    {
        transferEvents.reset();
        event.accept(transferEvents.add());
        applyTransfers();
        return transferResults.result(0);
    }

    /**
     * @return debitsPending, debitsPosted, creditsPending, creditsPosted of an account (id below 2^64), e.g.
     * "0/5/0/0", each as the unsigned 128-bit number it is.
     */
    String balances(final long accountId)
    {
        final int i = ledger.accountIndex(0, accountId);
        return LedgerDriver.of(ledger.debitsPendingHi(i), ledger.debitsPendingLo(i)) + "/" +
            LedgerDriver.of(ledger.debitsPostedHi(i), ledger.debitsPostedLo(i)) + "/" +
            LedgerDriver.of(ledger.creditsPendingHi(i), ledger.creditsPendingLo(i)) + "/" +
            LedgerDriver.of(ledger.creditsPostedHi(i), ledger.creditsPostedLo(i));
    }

    PendingState state(final long transferId)
    {
        return ledger.transferPendingState(ledger.transferIndex(0, transferId));
    }
}
