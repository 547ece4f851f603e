package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsEncoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The views over journaled SBE batches read every field of protocol version 2 as the generated encoders wrote it:
 * both halves of each 128-bit field, user data of 128, 64 and 32 bits, and unsigned values at their extremes; and
 * a batch applied through them leaves the ledger exactly as the same batch through the event arrays.
 */
class SbeEventsTest
{
    private static final int OFFSET = 24;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @Test
    void shouldReadTransfersEncodedByGeneratedEncoder()
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header)
            .correlationId(77);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(3);
        for (int i = 0; i < 3; i++)
        {
            group.next();
            group.id().lo(100 + i).hi(-1L - i);
            group.debitAccountId().lo(-2 - i).hi(i);
            group.creditAccountId().lo(Long.MAX_VALUE - i).hi(Long.MIN_VALUE + i);
            group.amount().lo(Long.MIN_VALUE + i).hi(Long.MAX_VALUE - i);
            group.pendingId().lo(7 * i).hi(3 * i);
            group.userData128().lo(0xDEAD_BEEF_0000_0000L + i).hi(0x1234_5678L + i);
            group.userData64(-5 - i)
                .userData32(0xFFFF_FFFFL - i)
                .timeoutSeconds(0x8000_0000L + i)
                .ledger(0xFFFF_FFFFL - i)
                .code(0xFFFF - i)
                .flags(0x8000 + i)
                .timestamp(Long.MAX_VALUE - i);
        }

        final SbeTransferEvents events = new SbeTransferEvents().wrap(buffer, OFFSET);

        assertEquals(3, events.count());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(100 + i, events.idLo(i));
            assertEquals(-1L - i, events.idHi(i));
            assertEquals(-2 - i, events.debitAccountIdLo(i));
            assertEquals(i, events.debitAccountIdHi(i));
            assertEquals(Long.MAX_VALUE - i, events.creditAccountIdLo(i));
            assertEquals(Long.MIN_VALUE + i, events.creditAccountIdHi(i));
            assertEquals(Long.MIN_VALUE + i, events.amountLo(i));
            assertEquals(Long.MAX_VALUE - i, events.amountHi(i));
            assertEquals(7L * i, events.pendingIdLo(i));
            assertEquals(3L * i, events.pendingIdHi(i));
            assertEquals(0xDEAD_BEEF_0000_0000L + i, events.userData128Lo(i));
            assertEquals(0x1234_5678L + i, events.userData128Hi(i));
            assertEquals(-5 - i, events.userData64(i));
            assertEquals(0xFFFF_FFFFL - i, events.userData32(i));
            assertEquals(0x8000_0000L + i, events.timeoutSeconds(i));
            assertEquals(0xFFFF_FFFFL - i, events.ledger(i));
            assertEquals(0xFFFF - i, events.code(i));
            assertEquals(0x8000 + i, events.flags(i));
            assertEquals(Long.MAX_VALUE - i, events.timestamp(i));
        }
        assertEquals(CreateTransfersDecoder.TEMPLATE_ID, buffer.getShort(OFFSET + 2));
        assertEquals(CreateTransfersDecoder.SCHEMA_VERSION, buffer.getShort(OFFSET + 6));
    }

    @Test
    void shouldReadAccountsEncodedByGeneratedEncoder()
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header)
            .correlationId(5);
        final CreateAccountsEncoder.AccountsEncoder group = encoder.accountsCount(2);
        group.next();
        group.id().lo(1).hi(-1);
        group.debitsPending().lo(2).hi(3);
        group.debitsPosted().lo(4).hi(5);
        group.creditsPending().lo(6).hi(7);
        group.creditsPosted().lo(8).hi(9);
        group.userData128().lo(-1).hi(-2);
        group.userData64(-3).userData32(0xFFFF_FFFFL).reserved(0xFFFF_FFFFL).ledger(0xFFFF_FFFFL).code(0xFFFF)
            .flags(0xFFFF).timestamp(-4);
        group.next();
        group.id().lo(Long.MIN_VALUE).hi(0);
        group.debitsPending().lo(0).hi(0);
        group.debitsPosted().lo(0).hi(0);
        group.creditsPending().lo(0).hi(0);
        group.creditsPosted().lo(0).hi(0);
        group.userData128().lo(42).hi(0);
        group.userData64(0).userData32(0).reserved(0).ledger(1).code(2).flags(4).timestamp(0);

        final SbeAccountEvents events = new SbeAccountEvents().wrap(buffer, OFFSET);

        assertEquals(2, events.count());
        assertEquals(1, events.idLo(0));
        assertEquals(-1, events.idHi(0));
        assertEquals(2, events.debitsPendingLo(0));
        assertEquals(3, events.debitsPendingHi(0));
        assertEquals(4, events.debitsPostedLo(0));
        assertEquals(5, events.debitsPostedHi(0));
        assertEquals(6, events.creditsPendingLo(0));
        assertEquals(7, events.creditsPendingHi(0));
        assertEquals(8, events.creditsPostedLo(0));
        assertEquals(9, events.creditsPostedHi(0));
        assertEquals(-1, events.userData128Lo(0));
        assertEquals(-2, events.userData128Hi(0));
        assertEquals(-3, events.userData64(0));
        assertEquals(0xFFFF_FFFFL, events.userData32(0));
        assertEquals(0xFFFF_FFFFL, events.reserved(0));
        assertEquals(0xFFFF_FFFFL, events.ledger(0));
        assertEquals(0xFFFF, events.code(0));
        assertEquals(0xFFFF, events.flags(0));
        assertEquals(-4, events.timestamp(0));
        assertEquals(Long.MIN_VALUE, events.idLo(1));
        assertEquals(0, events.idHi(1));
        assertEquals(42, events.userData128Lo(1));
        assertEquals(1, events.ledger(1));
        assertEquals(2, events.code(1));
        assertEquals(4, events.flags(1));
        assertEquals(CreateAccountsDecoder.TEMPLATE_ID, buffer.getShort(OFFSET + 2));
    }

    @Test
    void shouldApplySbeBatchLikeTheSameEventArray()
    {
        final CreateAccountsEncoder accounts = new CreateAccountsEncoder().wrapAndApplyHeader(buffer, 0, header);
        final CreateAccountsEncoder.AccountsEncoder accountGroup = accounts.accountsCount(2);
        account(accountGroup.next(), 1, 0);
        account(accountGroup.next(), 2, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS);
        final Ledger sbeLedger = new Ledger(new LedgerLimits().maxAccounts(4).maxTransfers(8).maxPendingTransfers(4));
        final AccountResults accountResults = new AccountResults(1024);
        sbeLedger.createAccounts(new SbeAccountEvents().wrap(buffer, 0), 1_000, accountResults);

        final CreateTransfersEncoder transfers = new CreateTransfersEncoder().wrapAndApplyHeader(buffer, 4096, header);
        final CreateTransfersEncoder.TransfersEncoder transferGroup = transfers.transfersCount(2);
        transfer(transferGroup.next(), 10, 2, 1, 9);
        transfer(transferGroup.next(), 11, 1, 2, 10);
        final TransferResults transferResults = new TransferResults(1024);
        sbeLedger.createTransfers(new SbeTransferEvents().wrap(buffer, 4096), 2_000, transferResults);

        final LedgerFixture f = new LedgerFixture();
        f.nowNanos = 1_000;
        f.accountEvents.reset().add(1, 0, 1, 1, 0).add(2, 0, 1, 1, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS);
        f.applyAccounts();
        f.nowNanos = 2_000;
        f.transferEvents.reset().add(10, 2, 1, 9, 0, 0, 1, 0, 1, 0).add(11, 1, 2, 10, 0, 0, 1, 0, 1, 0);
        f.applyTransfers();

        assertEquals(f.transferResults.result(1), transferResults.result(1));
        assertEquals(io.paycore.codec.sbe.CreateTransferResult.EXCEEDS_DEBITS, transferResults.result(1));
        assertEquals(f.ledger.digestHex(), sbeLedger.digestHex());
    }

    private static void account(final CreateAccountsEncoder.AccountsEncoder entry, final long id, final int flags)
    {
        entry.id().lo(id).hi(0);
        entry.debitsPending().lo(0).hi(0);
        entry.debitsPosted().lo(0).hi(0);
        entry.creditsPending().lo(0).hi(0);
        entry.creditsPosted().lo(0).hi(0);
        entry.userData128().lo(0).hi(0);
        entry.userData64(0).userData32(0).reserved(0).ledger(1).code(1).flags(flags).timestamp(0);
    }

    private static void transfer(
        final CreateTransfersEncoder.TransfersEncoder entry, final long id, final long debit, final long credit,
        final long amount)
    {
        entry.id().lo(id).hi(0);
        entry.debitAccountId().lo(debit).hi(0);
        entry.creditAccountId().lo(credit).hi(0);
        entry.amount().lo(amount).hi(0);
        entry.pendingId().lo(0).hi(0);
        entry.userData128().lo(0).hi(0);
        entry.userData64(0).userData32(0).timeoutSeconds(0).ledger(1).code(1).flags(0).timestamp(0);
    }
}
