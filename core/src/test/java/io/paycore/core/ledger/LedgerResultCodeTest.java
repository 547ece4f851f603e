package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.paycore.core.ledger.TransferFlags.LINKED;
import static io.paycore.core.ledger.TransferFlags.PENDING;
import static io.paycore.core.ledger.TransferFlags.POST_PENDING;
import static io.paycore.core.ledger.TransferFlags.VOID_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every result code of the schema's {@code CreateAccountResult} and {@code CreateTransferResult} enums (except
 * SBE's {@code NULL_VAL}) is produced by a scenario here; a code added to the schema without a scenario fails.
 */
class LedgerResultCodeTest
{
    private static final long MAX = Long.MAX_VALUE;
    private static final long HALF = Long.MAX_VALUE / 2;

    private final LedgerFixture f = new LedgerFixture();

    @ParameterizedTest
    @EnumSource(value = CreateAccountResult.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void shouldAnswerEveryAccountResult(final CreateAccountResult expected)
    {
        f.accounts(new LedgerLimits().maxAccounts(2).maxBatchEvents(8).maxTransfers(8).maxPendingTransfers(8));
        f.account(1, 1, 1, 0, 7);
        final int dmnec = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
        final int cmned = AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS;

        final CreateAccountResult actual;
        switch (expected)
        {
            case OK -> actual = f.account(2, 1, 1, 0, 0);
            case LINKED_EVENT_FAILED ->
            {
                f.accountEvents.reset().add(2, 0, 1, 1, AccountFlags.LINKED).add(0, 0, 1, 1, 0);
                f.applyAccounts();
                assertEquals(CreateAccountResult.ID_MUST_NOT_BE_ZERO, f.accountResults.result(1));
                assertEquals(-1, f.ledger.accountIndex(2));
                actual = f.accountResults.result(0);
            }
            case LINKED_EVENT_CHAIN_OPEN -> actual = f.account(2, 1, 1, AccountFlags.LINKED, 0);
            case RESERVED_FLAG -> actual = f.account(2, 1, 1, 8, 0);
            case ID_MUST_NOT_BE_ZERO -> actual = f.account(0, 1, 1, 0, 0);
            case ID_MUST_NOT_BE_INT_MAX -> actual = f.account(MAX, 1, 1, 0, 0);
            case FLAGS_ARE_MUTUALLY_EXCLUSIVE -> actual = f.account(2, 1, 1, dmnec | cmned, 0);
            case LEDGER_MUST_NOT_BE_ZERO -> actual = f.account(2, 0, 1, 0, 0);
            case CODE_MUST_NOT_BE_ZERO -> actual = f.account(2, 1, 0, 0, 0);
            case EXISTS_WITH_DIFFERENT_FLAGS -> actual = f.account(1, 1, 1, dmnec, 7);
            case EXISTS_WITH_DIFFERENT_USER_DATA -> actual = f.account(1, 1, 1, 0, 8);
            case EXISTS_WITH_DIFFERENT_LEDGER -> actual = f.account(1, 2, 1, 0, 7);
            case EXISTS_WITH_DIFFERENT_CODE -> actual = f.account(1, 1, 2, 0, 7);
            case EXISTS ->
            {
                actual = f.account(1, 1, 1, 0, 7);
                assertEquals(f.ledger.accountTimestamp(0), f.accountResults.timestamp(0));
            }
            case ACCOUNTS_FULL ->
            {
                assertEquals(CreateAccountResult.OK, f.account(2, 1, 1, 0, 0));
                actual = f.account(3, 1, 1, 0, 0);
            }
            default -> throw new AssertionError("no scenario for " + expected);
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @EnumSource(value = CreateTransferResult.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void shouldAnswerEveryTransferResult(final CreateTransferResult expected)
    {
        final boolean tiny = expected == CreateTransferResult.TRANSFERS_FULL ||
            expected == CreateTransferResult.PENDING_TRANSFERS_FULL;
        f.accounts(new LedgerLimits().maxAccounts(16).maxBatchEvents(8)
            .maxTransfers(tiny ? 2 : 64).maxPendingTransfers(tiny ? 1 : 16));
        f.standardAccounts();

        final CreateTransferResult actual;
        switch (expected)
        {
            case OK -> actual = f.single(10, 1, 2, 5);
            case LINKED_EVENT_FAILED ->
            {
                f.transferEvents.reset()
                    .add(10, 1, 2, 5, 0, 0, 1, 0, 1, LINKED)
                    .add(11, 1, 1, 5, 0, 0, 1, 0, 1, 0);
                f.applyTransfers();
                assertEquals(CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT, f.transferResults.result(1));
                actual = f.transferResults.result(0);
            }
            case LINKED_EVENT_CHAIN_OPEN -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 1, LINKED);
            case RESERVED_FLAG -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 1, 0x200);
            case ID_MUST_NOT_BE_ZERO -> actual = f.single(0, 1, 2, 5);
            case ID_MUST_NOT_BE_INT_MAX -> actual = f.single(MAX, 1, 2, 5);
            case FLAGS_ARE_MUTUALLY_EXCLUSIVE -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 1, PENDING | VOID_PENDING);
            case DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO -> actual = f.single(10, 0, 2, 5);
            case DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX -> actual = f.single(10, MAX, 2, 5);
            case CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO -> actual = f.single(10, 1, 0, 5);
            case CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX -> actual = f.single(10, 1, MAX, 5);
            case ACCOUNTS_MUST_BE_DIFFERENT -> actual = f.single(10, 1, 1, 5);
            case PENDING_ID_MUST_BE_ZERO -> actual = f.transfer(10, 1, 2, 5, 9, 0, 1, 0, 1, 0);
            case PENDING_ID_MUST_NOT_BE_ZERO -> actual = f.post(10, 0, 0);
            case PENDING_ID_MUST_NOT_BE_INT_MAX -> actual = f.post(10, MAX, 0);
            case PENDING_ID_MUST_BE_DIFFERENT -> actual = f.post(10, 10, 0);
            case TIMEOUT_RESERVED_FOR_PENDING_TRANSFER -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 5, 1, 0);
            case AMOUNT_MUST_NOT_BE_NEGATIVE -> actual = f.single(10, 1, 2, -1);
            case LEDGER_MUST_NOT_BE_ZERO -> actual = f.transfer(10, 1, 2, 5, 0, 0, 0, 0, 1, 0);
            case CODE_MUST_NOT_BE_ZERO -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 0, 0);
            case DEBIT_ACCOUNT_NOT_FOUND -> actual = f.single(10, 99, 2, 5);
            case CREDIT_ACCOUNT_NOT_FOUND -> actual = f.single(10, 1, 99, 5);
            case ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER -> actual = f.single(10, 1, 3, 5);
            case TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS -> actual = f.transfer(10, 1, 2, 5, 0, 0, 2, 0, 1, 0);
            case PENDING_TRANSFER_NOT_FOUND -> actual = f.post(10, 77, 0);
            case PENDING_TRANSFER_NOT_PENDING ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.post(10, 9, 0);
            }
            case PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.transfer(10, 7, 0, 0, 9, 0, 0, 0, 0, POST_PENDING);
            }
            case PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.transfer(10, 1, 7, 0, 9, 0, 0, 0, 0, VOID_PENDING);
            }
            case PENDING_TRANSFER_HAS_DIFFERENT_LEDGER ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.transfer(10, 0, 0, 0, 9, 0, 2, 0, 0, POST_PENDING);
            }
            case PENDING_TRANSFER_HAS_DIFFERENT_CODE ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.transfer(10, 0, 0, 0, 9, 0, 0, 0, 2, POST_PENDING);
            }
            case EXCEEDS_PENDING_TRANSFER_AMOUNT ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.post(10, 9, 6);
            }
            case PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.voidPending(10, 9, 4);
            }
            case PENDING_TRANSFER_ALREADY_POSTED ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                f.expectOk(f.post(10, 9, 0));
                actual = f.voidPending(11, 9, 0);
            }
            case PENDING_TRANSFER_ALREADY_VOIDED ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                f.expectOk(f.voidPending(10, 9, 5));
                actual = f.post(11, 9, 0);
            }
            case PENDING_TRANSFER_EXPIRED ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 1));
                f.nowNanos = f.transferResults.timestamp(0) + 1_000_000_000L;
                actual = f.post(10, 9, 0);
            }
            case EXISTS_WITH_DIFFERENT_FLAGS ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.pending(9, 1, 2, 5, 0);
            }
            case EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.single(9, 7, 2, 5);
            }
            case EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.single(9, 1, 7, 5);
            }
            case EXISTS_WITH_DIFFERENT_AMOUNT ->
            {
                f.expectOk(f.pending(8, 1, 2, 5, 0));
                f.expectOk(f.post(9, 8, Ledger.AMOUNT_MAX));
                assertEquals(CreateTransferResult.EXISTS, f.post(9, 8, 5));
                actual = f.post(9, 8, 4);
            }
            case EXISTS_WITH_DIFFERENT_PENDING_ID ->
            {
                f.expectOk(f.pending(8, 1, 2, 5, 0));
                f.expectOk(f.post(9, 8, 0));
                actual = f.post(9, 7, 0);
            }
            case EXISTS_WITH_DIFFERENT_USER_DATA ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.transfer(9, 1, 2, 5, 0, 1, 1, 0, 1, 0);
            }
            case EXISTS_WITH_DIFFERENT_TIMEOUT ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 5));
                actual = f.pending(9, 1, 2, 5, 6);
            }
            case EXISTS_WITH_DIFFERENT_CODE ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.transfer(9, 1, 2, 5, 0, 0, 1, 0, 2, 0);
            }
            case EXISTS_WITH_DIFFERENT_LEDGER ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.transfer(9, 1, 2, 5, 0, 0, 2, 0, 1, 0);
            }
            case EXISTS ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                final long originalNanos = f.transferResults.timestamp(0);
                actual = f.single(9, 1, 2, 5);
                assertEquals(originalNanos, f.transferResults.timestamp(0));
            }
            case OVERFLOWS_DEBITS_PENDING ->
            {
                f.expectOk(f.pending(9, 1, 2, MAX, 0));
                actual = f.pending(10, 1, 7, 1, 0);
            }
            case OVERFLOWS_CREDITS_PENDING ->
            {
                f.expectOk(f.pending(9, 1, 2, MAX, 0));
                actual = f.pending(10, 7, 2, 1, 0);
            }
            case OVERFLOWS_DEBITS_POSTED ->
            {
                f.expectOk(f.single(9, 1, 2, MAX));
                actual = f.single(10, 1, 7, 1);
            }
            case OVERFLOWS_CREDITS_POSTED ->
            {
                f.expectOk(f.single(9, 1, 2, MAX));
                actual = f.single(10, 7, 2, 1);
            }
            case OVERFLOWS_DEBITS ->
            {
                f.expectOk(f.pending(9, 1, 2, HALF + 1, 0));
                f.expectOk(f.single(10, 1, 7, HALF));
                actual = f.single(11, 1, 8, 1);
            }
            case OVERFLOWS_CREDITS ->
            {
                f.expectOk(f.pending(9, 1, 2, HALF + 1, 0));
                f.expectOk(f.single(10, 7, 2, HALF));
                actual = f.single(11, 8, 2, 1);
            }
            case OVERFLOWS_TIMEOUT ->
            {
                f.nowNanos = MAX - 1_000_000_000L;
                actual = f.pending(10, 1, 2, 5, 2);
            }
            case EXCEEDS_CREDITS -> actual = f.single(10, 4, 2, 1);
            case EXCEEDS_DEBITS -> actual = f.single(10, 1, 5, 1);
            case TRANSFERS_FULL ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                f.expectOk(f.single(10, 1, 2, 5));
                actual = f.single(11, 1, 2, 5);
            }
            case PENDING_TRANSFERS_FULL ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.pending(10, 1, 2, 5, 0);
            }
            case CLOSING_TRANSFER_MUST_BE_PENDING ->
                actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 1, TransferFlags.CLOSING_DEBIT);
            case DEBIT_ACCOUNT_ALREADY_CLOSED ->
            {
                f.expectOk(f.transfer(9, 1, 2, 5, 0, 0, 1, 0, 1, PENDING | TransferFlags.CLOSING_DEBIT));
                actual = f.single(10, 1, 2, 5);
            }
            case CREDIT_ACCOUNT_ALREADY_CLOSED ->
            {
                f.expectOk(f.transfer(9, 1, 2, 5, 0, 0, 1, 0, 1, PENDING | TransferFlags.CLOSING_CREDIT));
                actual = f.single(10, 1, 2, 5);
            }
            case ID_ALREADY_FAILED ->
            {
                assertEquals(CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND, f.single(10, 99, 2, 5));
                // The same id can never succeed, even once the transfer would.
                actual = f.single(10, 1, 2, 5);
            }
            default -> throw new AssertionError("no scenario for " + expected);
        }
        assertEquals(expected, actual);
        assertTrue(f.ledger.isBalanced());
    }
}
