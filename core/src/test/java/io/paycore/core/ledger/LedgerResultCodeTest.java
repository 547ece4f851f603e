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
 * Values that need 128 bits (2<sup>128</sup> - 1, high halves) use the event arrays' fluent setters.
 */
class LedgerResultCodeTest
{
    /** Both halves of 2^128 - 1: AMOUNT_MAX, and an id no event may have. */
    private static final long ONES = -1L;
    private static final long HALF_HI = Long.MAX_VALUE;

    private final LedgerFixture f = new LedgerFixture();

    @ParameterizedTest
    @EnumSource(value = CreateAccountResult.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void shouldAnswerEveryAccountResult(final CreateAccountResult expected)
    {
        f.accounts(new LedgerLimits().maxAccounts(2).maxBatchEvents(8).maxTransfers(8).maxPendingTransfers(8));
        f.account(1, 1, 1, 0, 7);
        final int dmnec = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
        final int cmned = AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS;
        final int imported = AccountFlags.IMPORTED;
        // In the past of the next batch, after account 1.
        final long past = f.ledger.lastTimestampNanos() + 1;
        f.nowNanos = past + 1_000;

        final CreateAccountResult actual;
        switch (expected)
        {
            case OK -> actual = f.account(2, 1, 1, 0, 0);
            case LINKED_EVENT_FAILED ->
            {
                f.accountEvents.reset().add(2, 0, 1, 1, AccountFlags.LINKED).add(0, 0, 1, 1, 0);
                f.applyAccounts();
                assertEquals(CreateAccountResult.ID_MUST_NOT_BE_ZERO, f.accountResults.result(1));
                assertEquals(-1, f.ledger.accountIndex(0, 2));
                actual = f.accountResults.result(0);
            }
            case LINKED_EVENT_CHAIN_OPEN -> actual = f.account(2, 1, 1, AccountFlags.LINKED, 0);
            case TIMESTAMP_MUST_BE_ZERO -> actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).timestamp(5));
            case RESERVED_FIELD -> actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).reserved(1));
            case RESERVED_FLAG -> actual = f.account(2, 1, 1, 64, 0);
            case ID_MUST_NOT_BE_ZERO -> actual = f.account(0, 1, 1, 0, 0);
            case ID_MUST_NOT_BE_INT_MAX -> actual = f.account((e) -> e.id(ONES, ONES).ledger(1).code(1));
            case FLAGS_ARE_MUTUALLY_EXCLUSIVE -> actual = f.account(2, 1, 1, dmnec | cmned, 0);
            case DEBITS_PENDING_MUST_BE_ZERO ->
                actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).debitsPending(0, 1));
            case DEBITS_POSTED_MUST_BE_ZERO ->
                actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).debitsPosted(1, 0));
            case CREDITS_PENDING_MUST_BE_ZERO ->
                actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).creditsPending(0, 1));
            case CREDITS_POSTED_MUST_BE_ZERO ->
                actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).creditsPosted(ONES, ONES));
            case LEDGER_MUST_NOT_BE_ZERO -> actual = f.account(2, 0, 1, 0, 0);
            case CODE_MUST_NOT_BE_ZERO -> actual = f.account(2, 1, 0, 0, 0);
            case EXISTS_WITH_DIFFERENT_FLAGS -> actual = f.account(1, 1, 1, dmnec, 7);
            case EXISTS_WITH_DIFFERENT_USER_DATA_128 ->
                actual = f.account((e) -> e.id(0, 1).ledger(1).code(1).userData64(7).userData128(1, 0));
            case EXISTS_WITH_DIFFERENT_USER_DATA_64 -> actual = f.account(1, 1, 1, 0, 8);
            case EXISTS_WITH_DIFFERENT_USER_DATA_32 ->
                actual = f.account((e) -> e.id(0, 1).ledger(1).code(1).userData64(7).userData32(1));
            case EXISTS_WITH_DIFFERENT_LEDGER -> actual = f.account(1, 2, 1, 0, 7);
            case EXISTS_WITH_DIFFERENT_CODE -> actual = f.account(1, 1, 2, 0, 7);
            case EXISTS ->
            {
                actual = f.account(1, 1, 1, 0, 7);
                assertEquals(f.ledger.accountTimestamp(0), f.accountResults.timestamp(0));
            }
            case IMPORTED_EVENT_EXPECTED ->
            {
                f.accountEvents.reset().add().id(0, 2).ledger(1).code(1).flags(imported).timestamp(past)
                    .add().id(0, 3).ledger(1).code(1);
                f.applyAccounts();
                assertEquals(CreateAccountResult.OK, f.accountResults.result(0));
                assertEquals(past, f.accountResults.timestamp(0), "an imported account keeps its timestamp");
                actual = f.accountResults.result(1);
            }
            case IMPORTED_EVENT_NOT_EXPECTED ->
            {
                f.accountEvents.reset().add().id(0, 2).ledger(1).code(1)
                    .add().id(0, 3).ledger(1).code(1).flags(imported).timestamp(past);
                f.applyAccounts();
                actual = f.accountResults.result(1);
            }
            case IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE ->
                actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).flags(imported).timestamp(0));
            case IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE ->
                actual = f.account((e) -> e.id(0, 2).ledger(1).code(1).flags(imported).timestamp(f.nowNanos + 1));
            case IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS -> actual = f.account(
                (e) -> e.id(0, 2).ledger(1).code(1).flags(imported).timestamp(f.ledger.accountTimestamp(0)));
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
        final int imported = TransferFlags.IMPORTED;
        // In the past of the next batch, after every account.
        final long past = f.ledger.lastTimestampNanos() + 1;
        f.nowNanos = past + 1_000;

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
            case TIMESTAMP_MUST_BE_ZERO ->
                actual = f.transfer((e) -> e.id(0, 10).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5)
                    .ledger(1).code(1).timestamp(past));
            case RESERVED_FLAG -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 1, 0x200);
            case ID_MUST_NOT_BE_ZERO -> actual = f.single(0, 1, 2, 5);
            case ID_MUST_NOT_BE_INT_MAX ->
                actual = f.transfer((e) -> e.id(ONES, ONES).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5)
                    .ledger(1).code(1));
            case FLAGS_ARE_MUTUALLY_EXCLUSIVE -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 1, PENDING | VOID_PENDING);
            case DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO -> actual = f.single(10, 0, 2, 5);
            case DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX ->
                actual = f.transfer((e) -> e.id(0, 10).debitAccountId(ONES, ONES).creditAccountId(0, 2).amount(0, 5)
                    .ledger(1).code(1));
            case CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO -> actual = f.single(10, 1, 0, 5);
            case CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX ->
                actual = f.transfer((e) -> e.id(0, 10).debitAccountId(0, 1).creditAccountId(ONES, ONES).amount(0, 5)
                    .ledger(1).code(1));
            case ACCOUNTS_MUST_BE_DIFFERENT -> actual = f.single(10, 1, 1, 5);
            case PENDING_ID_MUST_BE_ZERO -> actual = f.transfer(10, 1, 2, 5, 9, 0, 1, 0, 1, 0);
            case PENDING_ID_MUST_NOT_BE_ZERO -> actual = f.post(10, 0, 0);
            case PENDING_ID_MUST_NOT_BE_INT_MAX ->
                actual = f.transfer((e) -> e.id(0, 10).pendingId(ONES, ONES).flags(POST_PENDING));
            case PENDING_ID_MUST_BE_DIFFERENT -> actual = f.post(10, 10, 0);
            case TIMEOUT_RESERVED_FOR_PENDING_TRANSFER -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 5, 1, 0);
            case LEDGER_MUST_NOT_BE_ZERO -> actual = f.transfer(10, 1, 2, 5, 0, 0, 0, 0, 1, 0);
            case CODE_MUST_NOT_BE_ZERO -> actual = f.transfer(10, 1, 2, 5, 0, 0, 1, 0, 0, 0);
            case DEBIT_ACCOUNT_NOT_FOUND -> actual = f.single(10, 99, 2, 5);
            case CREDIT_ACCOUNT_NOT_FOUND ->
                // The low half of an account's id with a high half of its own is another id.
                actual = f.transfer((e) -> e.id(0, 10).debitAccountId(0, 1).creditAccountId(1, 2).amount(0, 5)
                    .ledger(1).code(1));
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
                f.expectOk(f.post(10, 9, 5));
                actual = f.post(11, 9, 5);
            }
            case PENDING_TRANSFER_ALREADY_VOIDED ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                f.expectOk(f.voidPending(10, 9, 0));
                actual = f.voidPending(11, 9, 0);
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
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.single(9, 1, 2, 6);
            }
            case EXISTS_WITH_DIFFERENT_PENDING_ID ->
            {
                f.expectOk(f.pending(8, 1, 2, 5, 0));
                f.expectOk(f.post(9, 8, 5));
                actual = f.post(9, 7, 5);
            }
            case EXISTS_WITH_DIFFERENT_USER_DATA_128 ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.transfer((e) -> e.id(0, 9).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5)
                    .ledger(1).code(1).userData128(1, 0));
            }
            case EXISTS_WITH_DIFFERENT_USER_DATA_64 ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.transfer(9, 1, 2, 5, 0, 3, 1, 0, 1, 0);
            }
            case EXISTS_WITH_DIFFERENT_USER_DATA_32 ->
            {
                f.expectOk(f.single(9, 1, 2, 5));
                actual = f.transfer((e) -> e.id(0, 9).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5)
                    .ledger(1).code(1).userData32(4));
            }
            case EXISTS_WITH_DIFFERENT_TIMEOUT ->
            {
                f.expectOk(f.pending(9, 1, 2, 5, 0));
                actual = f.pending(9, 1, 2, 5, 3);
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
                f.expectOk(max(9, 1, 2, PENDING));
                actual = f.pending(10, 1, 7, 1, 0);
            }
            case OVERFLOWS_CREDITS_PENDING ->
            {
                f.expectOk(max(9, 1, 2, PENDING));
                actual = f.pending(10, 7, 2, 1, 0);
            }
            case OVERFLOWS_DEBITS_POSTED ->
            {
                f.expectOk(max(9, 1, 2, 0));
                actual = f.single(10, 1, 7, 1);
            }
            case OVERFLOWS_CREDITS_POSTED ->
            {
                f.expectOk(max(9, 1, 2, 0));
                actual = f.single(10, 7, 2, 1);
            }
            case OVERFLOWS_DEBITS ->
            {
                // Half of 2^128 pending and half posted, each within its own balance: the sum overflows.
                f.expectOk(half(9, 1, 2, PENDING));
                f.expectOk(half(10, 1, 7, 0));
                f.expectOk(f.single(11, 1, 8, 1));
                actual = f.single(12, 1, 8, 1);
            }
            case OVERFLOWS_CREDITS ->
            {
                f.expectOk(half(9, 1, 2, PENDING));
                f.expectOk(half(10, 7, 2, 0));
                f.expectOk(f.single(11, 8, 2, 1));
                actual = f.single(12, 8, 2, 1);
            }
            case OVERFLOWS_TIMEOUT ->
            {
                f.nowNanos = Long.MAX_VALUE - 1_000_000_000L;
                actual = f.pending(10, 1, 2, 5, 2);
            }
            case EXCEEDS_CREDITS -> actual = f.single(10, 4, 2, 1);
            case EXCEEDS_DEBITS -> actual = f.single(10, 1, 5, 1);
            case IMPORTED_EVENT_EXPECTED ->
            {
                f.transferEvents.reset()
                    .add().id(0, 10).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5).ledger(1).code(1)
                    .flags(imported).timestamp(past)
                    .add().id(0, 11).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5).ledger(1).code(1);
                f.applyTransfers();
                assertEquals(CreateTransferResult.OK, f.transferResults.result(0));
                assertEquals(past, f.transferResults.timestamp(0), "an imported transfer keeps its timestamp");
                actual = f.transferResults.result(1);
            }
            case IMPORTED_EVENT_NOT_EXPECTED ->
            {
                f.transferEvents.reset()
                    .add().id(0, 10).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5).ledger(1).code(1)
                    .add().id(0, 11).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5).ledger(1).code(1)
                    .flags(imported).timestamp(past);
                f.applyTransfers();
                actual = f.transferResults.result(1);
            }
            case IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE -> actual = imported(10, 1, 2, 0, Long.MIN_VALUE);
            case IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE -> actual = imported(10, 1, 2, 0, f.nowNanos);
            case IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS ->
            {
                assertEquals(CreateTransferResult.OK, imported(10, 1, 2, 0, past + 1));
                actual = imported(11, 1, 2, 0, past);
            }
            case IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT ->
            {
                // Account 9, imported after the others, then a transfer from it dated before it.
                assertEquals(CreateAccountResult.OK, f.account((e) -> e.id(0, 9).ledger(1).code(1)
                    .flags(AccountFlags.IMPORTED).timestamp(past + 10)));
                f.nowNanos += 1_000;
                actual = imported(10, 9, 2, 0, past + 5);
            }
            case IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT ->
            {
                assertEquals(CreateAccountResult.OK, f.account((e) -> e.id(0, 9).ledger(1).code(1)
                    .flags(AccountFlags.IMPORTED).timestamp(past + 10)));
                f.nowNanos += 1_000;
                actual = imported(10, 2, 9, 0, past + 5);
            }
            case IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO -> actual = imported(10, 1, 2, 3, past);
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

    /**
     * A transfer of 2^128 - 1 on ledger 1.
     */
    private CreateTransferResult max(final long id, final long debit, final long credit, final int flags)
    {
        return f.transfer((e) -> e.id(0, id).debitAccountId(0, debit).creditAccountId(0, credit).amount(ONES, ONES)
            .ledger(1).code(1).flags(flags));
    }

    /**
     * A transfer of 2^127 - 1 on ledger 1: two of them and a little more overflow a sum of balances.
     */
    private CreateTransferResult half(final long id, final long debit, final long credit, final int flags)
    {
        return f.transfer((e) -> e.id(0, id).debitAccountId(0, debit).creditAccountId(0, credit)
            .amount(HALF_HI, ONES).ledger(1).code(1).flags(flags));
    }

    /**
     * An imported transfer of 5 on ledger 1 (pending if it has a timeout), dated {@code timestamp}.
     */
    private CreateTransferResult imported(
        final long id, final long debit, final long credit, final long timeoutSeconds, final long timestamp)
    {
        return f.transfer((e) -> e.id(0, id).debitAccountId(0, debit).creditAccountId(0, credit).amount(0, 5)
            .ledger(1).code(1).timeoutSeconds(timeoutSeconds)
            .flags(TransferFlags.IMPORTED | (0 == timeoutSeconds ? 0 : PENDING)).timestamp(timestamp));
    }
}
