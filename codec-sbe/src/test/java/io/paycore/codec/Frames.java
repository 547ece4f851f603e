package io.paycore.codec;

import io.paycore.codec.sbe.AccountsEncoder;
import io.paycore.codec.sbe.ConnectEncoder;
import io.paycore.codec.sbe.ConnectResultEncoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsEncoder;
import io.paycore.codec.sbe.CreateAccountsResultEncoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersEncoder;
import io.paycore.codec.sbe.CreateTransfersResultEncoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.LookupTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedEncoder;
import io.paycore.codec.sbe.TransfersEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Valid frames of every template, encoded with the generated encoders, as exact-length byte arrays.
 */
final class Frames
{
    static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;
    static final int[] INGRESS_TEMPLATE_IDS = {
        ConnectEncoder.TEMPLATE_ID,
        CreateAccountsEncoder.TEMPLATE_ID,
        CreateTransfersEncoder.TEMPLATE_ID,
        LookupAccountsEncoder.TEMPLATE_ID,
        LookupTransfersEncoder.TEMPLATE_ID,
    };
    static final int[] EGRESS_TEMPLATE_IDS = {
        ConnectResultEncoder.TEMPLATE_ID,
        CreateAccountsResultEncoder.TEMPLATE_ID,
        CreateTransfersResultEncoder.TEMPLATE_ID,
        AccountsEncoder.TEMPLATE_ID,
        TransfersEncoder.TEMPLATE_ID,
        RejectedEncoder.TEMPLATE_ID,
    };

    private static final UnsafeBuffer SCRATCH = new UnsafeBuffer(new byte[128 * 1024]);
    private static final MessageHeaderEncoder HEADER = new MessageHeaderEncoder();

    private Frames()
    {
    }

    /**
     * A valid frame of any template: {@code size} is the number of group entries for templates with a group and the
     * length of every var data field for templates with var data.
     */
    static byte[] frame(final int templateId, final long correlationId, final int size)
    {
        switch (templateId)
        {
            case ConnectEncoder.TEMPLATE_ID:
                return connect(correlationId, ascii(size, 'c'), ascii(size, 'r'));
            case CreateAccountsEncoder.TEMPLATE_ID:
                return createAccounts(correlationId, size);
            case CreateTransfersEncoder.TEMPLATE_ID:
                return createTransfers(correlationId, size);
            case LookupAccountsEncoder.TEMPLATE_ID:
                return lookupAccounts(correlationId, size);
            case LookupTransfersEncoder.TEMPLATE_ID:
                return lookupTransfers(correlationId, size);
            case ConnectResultEncoder.TEMPLATE_ID:
                return connectResult(correlationId, ascii(size, 'd'));
            case CreateAccountsResultEncoder.TEMPLATE_ID:
                return createAccountsResult(correlationId, size);
            case CreateTransfersResultEncoder.TEMPLATE_ID:
                return createTransfersResult(correlationId, size);
            case AccountsEncoder.TEMPLATE_ID:
                return accounts(correlationId, size);
            case TransfersEncoder.TEMPLATE_ID:
                return transfers(correlationId, size);
            case RejectedEncoder.TEMPLATE_ID:
                return rejected(correlationId, ascii(size, 'x'));
            default:
                throw new IllegalArgumentException("no such template: " + templateId);
        }
    }

    static boolean hasGroup(final int templateId)
    {
        return templateId != ConnectEncoder.TEMPLATE_ID &&
            templateId != ConnectResultEncoder.TEMPLATE_ID &&
            templateId != RejectedEncoder.TEMPLATE_ID;
    }

    static byte[] connect(final long correlationId, final String credential, final String responseChannel)
    {
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId)
            .clientId(7)
            .responseStreamId(1001)
            .credential(credential)
            .responseChannel(responseChannel);

        return copy(encoder.encodedLength());
    }

    static byte[] createAccounts(final long correlationId, final int count)
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateAccountsEncoder.AccountsEncoder accounts = encoder.accountsCount(count);
        for (int i = 0; i < count; i++)
        {
            accounts.next().id(i + 1).userData(~i).ledger(840).code(1).flags(i & 7);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] createTransfers(final long correlationId, final int count)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateTransfersEncoder.TransfersEncoder transfers = encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            transfers.next().id(i + 1).debitAccountId(1).creditAccountId(2).amount(100L * i).pendingId(0)
                .userData(-1).ledger(840).timeoutSeconds(i).code(1).flags(i & 15);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] lookupAccounts(final long correlationId, final int count)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final LookupAccountsEncoder.IdsEncoder ids = encoder.idsCount(count);
        for (int i = 0; i < count; i++)
        {
            ids.next().id(i + 1);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] lookupTransfers(final long correlationId, final int count)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final LookupTransfersEncoder.IdsEncoder ids = encoder.idsCount(count);
        for (int i = 0; i < count; i++)
        {
            ids.next().id(Long.MAX_VALUE - i);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] connectResult(final long correlationId, final String detail)
    {
        final ConnectResultEncoder encoder = new ConnectResultEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId)
            .clientId(7)
            .status(ConnectStatus.OK)
            .detail(detail);

        return copy(encoder.encodedLength());
    }

    static byte[] createAccountsResult(final long correlationId, final int count)
    {
        final CreateAccountsResultEncoder encoder = new CreateAccountsResultEncoder()
            .wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateAccountsResultEncoder.ResultsEncoder results = encoder.resultsCount(count);
        for (int i = 0; i < count; i++)
        {
            results.next().timestamp(i).result(CreateAccountResult.OK);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] createTransfersResult(final long correlationId, final int count)
    {
        final CreateTransfersResultEncoder encoder = new CreateTransfersResultEncoder()
            .wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateTransfersResultEncoder.ResultsEncoder results = encoder.resultsCount(count);
        for (int i = 0; i < count; i++)
        {
            results.next().timestamp(i).result(CreateTransferResult.EXCEEDS_CREDITS);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] accounts(final long correlationId, final int count)
    {
        final AccountsEncoder encoder = new AccountsEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final AccountsEncoder.AccountEncoder account = encoder.accountCount(count);
        for (int i = 0; i < count; i++)
        {
            account.next().id(i + 1).debitsPending(1).debitsPosted(2).creditsPending(3).creditsPosted(4)
                .userData(5).timestamp(6).ledger(840).code(1).flags(0);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] transfers(final long correlationId, final int count)
    {
        final TransfersEncoder encoder = new TransfersEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final TransfersEncoder.TransferEncoder transfer = encoder.transferCount(count);
        for (int i = 0; i < count; i++)
        {
            transfer.next().id(i + 1).debitAccountId(1).creditAccountId(2).amount(3).pendingId(0).userData(5)
                .timestamp(6).ledger(840).timeoutSeconds(0).code(1).flags(0);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] rejected(final long correlationId, final String detail)
    {
        final RejectedEncoder encoder = new RejectedEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId)
            .templateId(3)
            .reason(RejectReason.TRUNCATED)
            .detail(detail);

        return copy(encoder.encodedLength());
    }

    static String ascii(final int length, final char c)
    {
        final char[] chars = new char[length];
        Arrays.fill(chars, c);

        return new String(chars);
    }

    static int uint16(final byte[] frame, final int index)
    {
        return (frame[index] & 0xFF) | (frame[index + 1] & 0xFF) << 8;
    }

    static void putUint16(final byte[] frame, final int index, final int value)
    {
        frame[index] = (byte)value;
        frame[index + 1] = (byte)(value >>> 8);
    }

    private static byte[] copy(final int bodyLength)
    {
        final byte[] frame = new byte[HEADER_LENGTH + bodyLength];
        SCRATCH.getBytes(0, frame);

        return frame;
    }
}
