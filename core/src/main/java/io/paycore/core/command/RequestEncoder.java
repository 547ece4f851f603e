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
            group.next()
                .id(events.id(i))
                .userData(events.userData(i))
                .ledger(events.ledger(i))
                .code(events.code(i))
                .flags(events.flags(i));
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
            group.next()
                .id(events.id(i))
                .debitAccountId(events.debitAccountId(i))
                .creditAccountId(events.creditAccountId(i))
                .amount(events.amount(i))
                .pendingId(events.pendingId(i))
                .userData(events.userData(i))
                .ledger(events.ledger(i))
                .timeoutSeconds(events.timeoutSeconds(i))
                .code(events.code(i))
                .flags(events.flags(i));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createTransfersEncoder.encodedLength();
    }
}
