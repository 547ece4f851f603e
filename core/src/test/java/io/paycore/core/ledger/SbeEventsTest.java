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
            group.next()
                .id(100 + i)
                .debitAccountId(-2 - i)
                .creditAccountId(Long.MAX_VALUE - i)
                .amount(Long.MIN_VALUE + i)
                .pendingId(7 * i)
                .userData(0xDEAD_BEEF_0000_0000L + i)
                .ledger(0xFFFF_FFFFL - i)
                .timeoutSeconds(0x8000_0000L + i)
                .code(0xFFFF - i)
                .flags(0x8000 + i);
        }

        final SbeTransferEvents events = new SbeTransferEvents().wrap(buffer, OFFSET);

        assertEquals(3, events.count());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(100 + i, events.id(i));
            assertEquals(-2 - i, events.debitAccountId(i));
            assertEquals(Long.MAX_VALUE - i, events.creditAccountId(i));
            assertEquals(Long.MIN_VALUE + i, events.amount(i));
            assertEquals(7L * i, events.pendingId(i));
            assertEquals(0xDEAD_BEEF_0000_0000L + i, events.userData(i));
            assertEquals(0xFFFF_FFFFL - i, events.ledger(i));
            assertEquals(0x8000_0000L + i, events.timeoutSeconds(i));
            assertEquals(0xFFFF - i, events.code(i));
            assertEquals(0x8000 + i, events.flags(i));
        }
        assertEquals(CreateTransfersDecoder.TEMPLATE_ID, buffer.getShort(OFFSET + 2));
    }

    @Test
    void shouldReadAccountsEncodedByGeneratedEncoder()
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, header)
            .correlationId(5);
        final CreateAccountsEncoder.AccountsEncoder group = encoder.accountsCount(2);
        group.next().id(1).userData(-1).ledger(0xFFFF_FFFFL).code(0xFFFF).flags(0xFFFF);
        group.next().id(Long.MIN_VALUE).userData(42).ledger(1).code(2).flags(4);

        final SbeAccountEvents events = new SbeAccountEvents().wrap(buffer, OFFSET);

        assertEquals(2, events.count());
        assertEquals(1, events.id(0));
        assertEquals(-1, events.userData(0));
        assertEquals(0xFFFF_FFFFL, events.ledger(0));
        assertEquals(0xFFFF, events.code(0));
        assertEquals(0xFFFF, events.flags(0));
        assertEquals(Long.MIN_VALUE, events.id(1));
        assertEquals(42, events.userData(1));
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
        accountGroup.next().id(1).ledger(1).code(1);
        accountGroup.next().id(2).ledger(1).code(1).flags(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS);
        final Ledger sbeLedger = new Ledger(new LedgerLimits().maxAccounts(4).maxTransfers(8).maxPendingTransfers(4));
        final AccountResults accountResults = new AccountResults(1024);
        sbeLedger.createAccounts(new SbeAccountEvents().wrap(buffer, 0), 1_000, accountResults);

        final CreateTransfersEncoder transfers = new CreateTransfersEncoder().wrapAndApplyHeader(buffer, 4096, header);
        final CreateTransfersEncoder.TransfersEncoder transferGroup = transfers.transfersCount(2);
        transferGroup.next().id(10).debitAccountId(2).creditAccountId(1).amount(9).ledger(1).code(1);
        transferGroup.next().id(11).debitAccountId(1).creditAccountId(2).amount(10).ledger(1).code(1);
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
}
