package io.paycore.core.command;

import io.paycore.codec.sbe.CreateAccountsEncoder;
import io.paycore.codec.sbe.CreateTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.ledger.AccountEvents;
import io.paycore.core.ledger.TransferEvents;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes batches of account and transfer events as the SBE ingress messages a client sends, for tools and tests
 * that write requests or journals directly. Reusable and allocation-free; not thread safe.
 */
public final class RequestEncoder
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CreateAccountsEncoder createAccountsEncoder = new CreateAccountsEncoder();
    private final CreateTransfersEncoder createTransfersEncoder = new CreateTransfersEncoder();

    /**
     * Encode a {@code CreateAccounts} message.
     *
     * @param buffer        to encode into.
     * @param offset        where the message header goes.
     * @param correlationId of the request.
     * @param events        the accounts.
     * @return the encoded length in bytes, header included.
     */
    public int createAccounts(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final AccountEvents events)
    {
        final int count = events.count();
        final CreateAccountsEncoder.AccountsEncoder group = createAccountsEncoder
            .wrapAndApplyHeader(buffer, offset, headerEncoder)
            .correlationId(correlationId)
            .accountsCount(count);
        for (int i = 0; i < count; i++)
        {
            final CreateAccountsEncoder.AccountsEncoder account = group.next();
            account.id().lo(events.idLo(i)).hi(events.idHi(i));
            account.debitsPending().lo(events.debitsPendingLo(i)).hi(events.debitsPendingHi(i));
            account.debitsPosted().lo(events.debitsPostedLo(i)).hi(events.debitsPostedHi(i));
            account.creditsPending().lo(events.creditsPendingLo(i)).hi(events.creditsPendingHi(i));
            account.creditsPosted().lo(events.creditsPostedLo(i)).hi(events.creditsPostedHi(i));
            account.userData128().lo(events.userData128Lo(i)).hi(events.userData128Hi(i));
            account
                .userData64(events.userData64(i))
                .userData32(events.userData32(i))
                .reserved(events.reserved(i))
                .ledger(events.ledger(i))
                .code(events.code(i))
                .flags(events.flags(i))
                .timestamp(events.timestamp(i));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createAccountsEncoder.encodedLength();
    }

    /**
     * Encode a {@code CreateTransfers} message.
     *
     * @param buffer        to encode into.
     * @param offset        where the message header goes.
     * @param correlationId of the request.
     * @param events        the transfers.
     * @return the encoded length in bytes, header included.
     */
    public int createTransfers(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final TransferEvents events)
    {
        final int count = events.count();
        final CreateTransfersEncoder.TransfersEncoder group = createTransfersEncoder
            .wrapAndApplyHeader(buffer, offset, headerEncoder)
            .correlationId(correlationId)
            .transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            final CreateTransfersEncoder.TransfersEncoder transfer = group.next();
            transfer.id().lo(events.idLo(i)).hi(events.idHi(i));
            transfer.debitAccountId().lo(events.debitAccountIdLo(i)).hi(events.debitAccountIdHi(i));
            transfer.creditAccountId().lo(events.creditAccountIdLo(i)).hi(events.creditAccountIdHi(i));
            transfer.amount().lo(events.amountLo(i)).hi(events.amountHi(i));
            transfer.pendingId().lo(events.pendingIdLo(i)).hi(events.pendingIdHi(i));
            transfer.userData128().lo(events.userData128Lo(i)).hi(events.userData128Hi(i));
            transfer
                .userData64(events.userData64(i))
                .userData32(events.userData32(i))
                .timeoutSeconds(events.timeoutSeconds(i))
                .ledger(events.ledger(i))
                .code(events.code(i))
                .flags(events.flags(i))
                .timestamp(events.timestamp(i));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createTransfersEncoder.encodedLength();
    }
}
