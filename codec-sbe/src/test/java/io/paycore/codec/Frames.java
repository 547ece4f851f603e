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
import io.paycore.codec.sbe.Uint128Encoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Valid frames of every template in the schema's current version, encoded with the generated encoders, as
 * exact-length byte arrays.
 * <p>
 * Every field value is drawn from a {@link LongSupplier}, one draw per 64 bits (two per {@code uint128}: low half,
 * then high), narrower fields masked to their width and enums picked by the draw; so a caller chooses the values,
 * for example the extremes of {@code uint128}, and the same supplier state gives the same frame.
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

    private static final long UINT32_MASK = 0xFFFF_FFFFL;
    private static final int UINT16_MASK = 0xFFFF;
    private static final UnsafeBuffer SCRATCH = new UnsafeBuffer(new byte[256 * 1024]);
    private static final MessageHeaderEncoder HEADER = new MessageHeaderEncoder();
    private static final ConnectStatus[] CONNECT_STATUSES = valid(ConnectStatus.values());
    private static final CreateAccountResult[] ACCOUNT_RESULTS = valid(CreateAccountResult.values());
    private static final CreateTransferResult[] TRANSFER_RESULTS = valid(CreateTransferResult.values());
    private static final RejectReason[] REJECT_REASONS = valid(RejectReason.values());

    private Frames()
    {
    }

    /**
     * Field values from a fixed seed: the same frame every time for the same arguments.
     */
    static LongSupplier values(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);

        return random::nextLong;
    }

    /**
     * A valid frame of any template: {@code size} is the number of group entries for templates with a group and the
     * length of every var data field for templates with var data.
     */
    static byte[] frame(final int templateId, final long correlationId, final int size)
    {
        return frame(templateId, correlationId, size, values(templateId * 1031L + size));
    }

    /**
     * As {@link #frame(int, long, int)}, with field values drawn from {@code values}.
     */
    static byte[] frame(final int templateId, final long correlationId, final int size, final LongSupplier values)
    {
        switch (templateId)
        {
            case ConnectEncoder.TEMPLATE_ID:
                return connect(correlationId, ascii(size, 'c'), ascii(size, 'r'), values);
            case CreateAccountsEncoder.TEMPLATE_ID:
                return createAccounts(correlationId, size, values);
            case CreateTransfersEncoder.TEMPLATE_ID:
                return createTransfers(correlationId, size, values);
            case LookupAccountsEncoder.TEMPLATE_ID:
                return lookupAccounts(correlationId, size, values);
            case LookupTransfersEncoder.TEMPLATE_ID:
                return lookupTransfers(correlationId, size, values);
            case ConnectResultEncoder.TEMPLATE_ID:
                return connectResult(correlationId, ascii(size, 'd'), values);
            case CreateAccountsResultEncoder.TEMPLATE_ID:
                return createAccountsResult(correlationId, size, values);
            case CreateTransfersResultEncoder.TEMPLATE_ID:
                return createTransfersResult(correlationId, size, values);
            case AccountsEncoder.TEMPLATE_ID:
                return accounts(correlationId, size, values);
            case TransfersEncoder.TEMPLATE_ID:
                return transfers(correlationId, size, values);
            case RejectedEncoder.TEMPLATE_ID:
                return rejected(correlationId, ascii(size, 'x'), values);
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
        return connect(correlationId, credential, responseChannel, values(correlationId));
    }

    static byte[] connect(
        final long correlationId, final String credential, final String responseChannel, final LongSupplier values)
    {
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId)
            .clientId(values.getAsLong())
            .responseStreamId((int)values.getAsLong())
            .credential(credential)
            .responseChannel(responseChannel);

        return copy(encoder.encodedLength());
    }

    static byte[] createAccounts(final long correlationId, final int count)
    {
        return createAccounts(correlationId, count, values(count));
    }

    static byte[] createAccounts(final long correlationId, final int count, final LongSupplier values)
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateAccountsEncoder.AccountsEncoder accounts = encoder.accountsCount(count);
        for (int i = 0; i < count; i++)
        {
            accounts.next();
            uint128(accounts.id(), values);
            uint128(accounts.debitsPending(), values);
            uint128(accounts.debitsPosted(), values);
            uint128(accounts.creditsPending(), values);
            uint128(accounts.creditsPosted(), values);
            uint128(accounts.userData128(), values);
            accounts
                .userData64(values.getAsLong())
                .userData32(values.getAsLong() & UINT32_MASK)
                .reserved(values.getAsLong() & UINT32_MASK)
                .ledger(values.getAsLong() & UINT32_MASK)
                .code((int)values.getAsLong() & UINT16_MASK)
                .flags((int)values.getAsLong() & UINT16_MASK)
                .timestamp(values.getAsLong());
        }

        return copy(encoder.encodedLength());
    }

    static byte[] createTransfers(final long correlationId, final int count)
    {
        return createTransfers(correlationId, count, values(count));
    }

    static byte[] createTransfers(final long correlationId, final int count, final LongSupplier values)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateTransfersEncoder.TransfersEncoder transfers = encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            transfers.next();
            uint128(transfers.id(), values);
            uint128(transfers.debitAccountId(), values);
            uint128(transfers.creditAccountId(), values);
            uint128(transfers.amount(), values);
            uint128(transfers.pendingId(), values);
            uint128(transfers.userData128(), values);
            transfers
                .userData64(values.getAsLong())
                .userData32(values.getAsLong() & UINT32_MASK)
                .timeoutSeconds(values.getAsLong() & UINT32_MASK)
                .ledger(values.getAsLong() & UINT32_MASK)
                .code((int)values.getAsLong() & UINT16_MASK)
                .flags((int)values.getAsLong() & UINT16_MASK)
                .timestamp(values.getAsLong());
        }

        return copy(encoder.encodedLength());
    }

    static byte[] lookupAccounts(final long correlationId, final int count)
    {
        return lookupAccounts(correlationId, count, values(count));
    }

    static byte[] lookupAccounts(final long correlationId, final int count, final LongSupplier values)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final LookupAccountsEncoder.IdsEncoder ids = encoder.idsCount(count);
        for (int i = 0; i < count; i++)
        {
            uint128(ids.next().id(), values);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] lookupTransfers(final long correlationId, final int count)
    {
        return lookupTransfers(correlationId, count, values(count));
    }

    static byte[] lookupTransfers(final long correlationId, final int count, final LongSupplier values)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final LookupTransfersEncoder.IdsEncoder ids = encoder.idsCount(count);
        for (int i = 0; i < count; i++)
        {
            uint128(ids.next().id(), values);
        }

        return copy(encoder.encodedLength());
    }

    static byte[] connectResult(final long correlationId, final String detail, final LongSupplier values)
    {
        final ConnectResultEncoder encoder = new ConnectResultEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId)
            .clientId(values.getAsLong())
            .status(pick(CONNECT_STATUSES, values))
            .detail(detail);

        return copy(encoder.encodedLength());
    }

    static byte[] createAccountsResult(final long correlationId, final int count, final LongSupplier values)
    {
        final CreateAccountsResultEncoder encoder = new CreateAccountsResultEncoder()
            .wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateAccountsResultEncoder.ResultsEncoder results = encoder.resultsCount(count);
        for (int i = 0; i < count; i++)
        {
            results.next().timestamp(values.getAsLong()).result(pick(ACCOUNT_RESULTS, values));
        }

        return copy(encoder.encodedLength());
    }

    static byte[] createTransfersResult(final long correlationId, final int count, final LongSupplier values)
    {
        final CreateTransfersResultEncoder encoder = new CreateTransfersResultEncoder()
            .wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final CreateTransfersResultEncoder.ResultsEncoder results = encoder.resultsCount(count);
        for (int i = 0; i < count; i++)
        {
            results.next().timestamp(values.getAsLong()).result(pick(TRANSFER_RESULTS, values));
        }

        return copy(encoder.encodedLength());
    }

    static byte[] accounts(final long correlationId, final int count, final LongSupplier values)
    {
        final AccountsEncoder encoder = new AccountsEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final AccountsEncoder.AccountEncoder account = encoder.accountCount(count);
        for (int i = 0; i < count; i++)
        {
            account.next();
            uint128(account.id(), values);
            uint128(account.debitsPending(), values);
            uint128(account.debitsPosted(), values);
            uint128(account.creditsPending(), values);
            uint128(account.creditsPosted(), values);
            uint128(account.userData128(), values);
            account
                .userData64(values.getAsLong())
                .userData32(values.getAsLong() & UINT32_MASK)
                .reserved(values.getAsLong() & UINT32_MASK)
                .ledger(values.getAsLong() & UINT32_MASK)
                .code((int)values.getAsLong() & UINT16_MASK)
                .flags((int)values.getAsLong() & UINT16_MASK)
                .timestamp(values.getAsLong());
        }

        return copy(encoder.encodedLength());
    }

    static byte[] transfers(final long correlationId, final int count)
    {
        return transfers(correlationId, count, values(count));
    }

    static byte[] transfers(final long correlationId, final int count, final LongSupplier values)
    {
        final TransfersEncoder encoder = new TransfersEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId);
        final TransfersEncoder.TransferEncoder transfer = encoder.transferCount(count);
        for (int i = 0; i < count; i++)
        {
            transfer.next();
            uint128(transfer.id(), values);
            uint128(transfer.debitAccountId(), values);
            uint128(transfer.creditAccountId(), values);
            uint128(transfer.amount(), values);
            uint128(transfer.pendingId(), values);
            uint128(transfer.userData128(), values);
            transfer
                .userData64(values.getAsLong())
                .userData32(values.getAsLong() & UINT32_MASK)
                .timeoutSeconds(values.getAsLong() & UINT32_MASK)
                .ledger(values.getAsLong() & UINT32_MASK)
                .code((int)values.getAsLong() & UINT16_MASK)
                .flags((int)values.getAsLong() & UINT16_MASK)
                .timestamp(values.getAsLong());
        }

        return copy(encoder.encodedLength());
    }

    static byte[] rejected(final long correlationId, final String detail)
    {
        return rejected(correlationId, detail, values(correlationId));
    }

    static byte[] rejected(final long correlationId, final String detail, final LongSupplier values)
    {
        final RejectedEncoder encoder = new RejectedEncoder().wrapAndApplyHeader(SCRATCH, 0, HEADER)
            .correlationId(correlationId)
            .templateId((int)values.getAsLong() & UINT16_MASK)
            .reason(pick(REJECT_REASONS, values))
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

    private static void uint128(final Uint128Encoder field, final LongSupplier values)
    {
        field.lo(values.getAsLong()).hi(values.getAsLong());
    }

    private static <E extends Enum<E>> E pick(final E[] choices, final LongSupplier values)
    {
        return choices[(int)Long.remainderUnsigned(values.getAsLong(), choices.length)];
    }

    /**
     * The constants of a generated enum without its last, {@code NULL_VAL}, which is no value to send.
     */
    private static <E extends Enum<E>> E[] valid(final E[] constants)
    {
        if (!"NULL_VAL".equals(constants[constants.length - 1].name()))
        {
            throw new IllegalStateException("generated enums end with NULL_VAL: " + Arrays.toString(constants));
        }

        return Arrays.copyOf(constants, constants.length - 1);
    }

    private static byte[] copy(final int bodyLength)
    {
        final byte[] frame = new byte[HEADER_LENGTH + bodyLength];
        SCRATCH.getBytes(0, frame);

        return frame;
    }
}
