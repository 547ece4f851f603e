package io.paycore.codec;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import org.agrona.DirectBuffer;

/**
 * An independent opinion on a frame: how many bytes SBE's own generated decoders walk over (header, block, groups and
 * var data), as a cross-check of the validator.
 */
final class SbeWalk
{
    private static final MessageHeaderDecoder HEADER = new MessageHeaderDecoder();

    private SbeWalk()
    {
    }

    /**
     * The length in bytes the generated decoders say the message at offset 0 of {@code buffer} has; throws
     * {@link IndexOutOfBoundsException} if the walk leaves the buffer (bounds checks are on in tests).
     */
    static int decodedLength(final DirectBuffer buffer)
    {
        HEADER.wrap(buffer, 0);
        final int bodyLength;
        switch (HEADER.templateId())
        {
            case ConnectDecoder.TEMPLATE_ID:
                bodyLength = new ConnectDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case CreateAccountsDecoder.TEMPLATE_ID:
                bodyLength = new CreateAccountsDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case CreateTransfersDecoder.TEMPLATE_ID:
                bodyLength = new CreateTransfersDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case LookupAccountsDecoder.TEMPLATE_ID:
                bodyLength = new LookupAccountsDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case LookupTransfersDecoder.TEMPLATE_ID:
                bodyLength = new LookupTransfersDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case ConnectResultDecoder.TEMPLATE_ID:
                bodyLength = new ConnectResultDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case CreateAccountsResultDecoder.TEMPLATE_ID:
                bodyLength = new CreateAccountsResultDecoder().wrapAndApplyHeader(buffer, 0, HEADER)
                    .sbeDecodedLength();
                break;
            case CreateTransfersResultDecoder.TEMPLATE_ID:
                bodyLength = new CreateTransfersResultDecoder().wrapAndApplyHeader(buffer, 0, HEADER)
                    .sbeDecodedLength();
                break;
            case AccountsDecoder.TEMPLATE_ID:
                bodyLength = new AccountsDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case TransfersDecoder.TEMPLATE_ID:
                bodyLength = new TransfersDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            case RejectedDecoder.TEMPLATE_ID:
                bodyLength = new RejectedDecoder().wrapAndApplyHeader(buffer, 0, HEADER).sbeDecodedLength();
                break;
            default:
                throw new IllegalArgumentException("no such template: " + HEADER.templateId());
        }

        return MessageHeaderDecoder.ENCODED_LENGTH + bodyLength;
    }
}
