package io.paycore.perf;

import io.paycore.codec.FrameValidator;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.AccountsEncoder;
import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.ConnectEncoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.ConnectResultEncoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsEncoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateAccountsResultEncoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersEncoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.CreateTransfersResultEncoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.LookupTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.RejectedEncoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.codec.sbe.TransfersEncoder;
import io.paycore.codec.sbe.Uint128Decoder;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of the SBE codecs, per message kind: {@code encodeX} writes one whole message (header, fields, every group
 * entry, var data) into a direct buffer; {@code decodeX} reads every field of every entry back from one, summing them
 * so nothing is eliminated; {@code validateCreateTransfers} is the ingress {@link FrameValidator} over one
 * {@code CreateTransfers} (what ingress does to every frame before the ring). Score in ns per message; {@code
 * events} is the number of group entries (transfers, accounts, ids, results) for the kinds that have a group.
 * <p>
 * Run with {@code -prof gc}: every method should allocate 0 B/op.
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar CodecBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dsbe.enable.precedence.checks=false" })
@State(Scope.Thread)
public class CodecBenchmark
{
    private static final String CREDENTIAL = "0123456789abcdef0123456789abcdef";
    private static final String RESPONSE_CHANNEL = "aeron:udp?endpoint=10.0.0.7:40124";
    private static final String DETAIL = "group count 2000 over the limit of 1024";

    /**
     * Entries in each message's repeating group.
     */
    @Param({ "1", "100" })
    public int events;

    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        BitUtil.align(ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH, 64), 64));
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ProtocolLimits.MAX_VAR_DATA_LENGTH]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final CreateAccountsEncoder createAccountsEncoder = new CreateAccountsEncoder();
    private final CreateTransfersEncoder createTransfersEncoder = new CreateTransfersEncoder();
    private final LookupAccountsEncoder lookupAccountsEncoder = new LookupAccountsEncoder();
    private final LookupTransfersEncoder lookupTransfersEncoder = new LookupTransfersEncoder();
    private final ConnectResultEncoder connectResultEncoder = new ConnectResultEncoder();
    private final CreateAccountsResultEncoder createAccountsResultEncoder = new CreateAccountsResultEncoder();
    private final CreateTransfersResultEncoder createTransfersResultEncoder = new CreateTransfersResultEncoder();
    private final AccountsEncoder accountsEncoder = new AccountsEncoder();
    private final TransfersEncoder transfersEncoder = new TransfersEncoder();
    private final RejectedEncoder rejectedEncoder = new RejectedEncoder();

    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final CreateAccountsDecoder createAccountsDecoder = new CreateAccountsDecoder();
    private final CreateTransfersDecoder createTransfersDecoder = new CreateTransfersDecoder();
    private final LookupAccountsDecoder lookupAccountsDecoder = new LookupAccountsDecoder();
    private final LookupTransfersDecoder lookupTransfersDecoder = new LookupTransfersDecoder();
    private final ConnectResultDecoder connectResultDecoder = new ConnectResultDecoder();
    private final CreateAccountsResultDecoder createAccountsResultDecoder = new CreateAccountsResultDecoder();
    private final CreateTransfersResultDecoder createTransfersResultDecoder = new CreateTransfersResultDecoder();
    private final AccountsDecoder accountsDecoder = new AccountsDecoder();
    private final TransfersDecoder transfersDecoder = new TransfersDecoder();
    private final RejectedDecoder rejectedDecoder = new RejectedDecoder();

    private final UnsafeBuffer[] encoded = new UnsafeBuffer[11];
    private FrameValidator validator;
    private int createTransfersLength;
    private long correlationId;

    /**
     * Encode one message of each kind for the decode benchmarks.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        validator = FrameValidator.forIngress();
        encodeConnect();
        keep(0);
        encodeCreateAccounts();
        keep(1);
        createTransfersLength = encodeCreateTransfers();
        keep(2);
        encodeLookupAccounts();
        keep(3);
        encodeLookupTransfers();
        keep(4);
        encodeConnectResult();
        keep(5);
        encodeCreateAccountsResult();
        keep(6);
        encodeCreateTransfersResult();
        keep(7);
        encodeAccounts();
        keep(8);
        encodeTransfers();
        keep(9);
        encodeRejected();
        keep(10);
    }

    private void keep(final int index)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(BufferUtil.allocateDirectAligned(buffer.capacity(), 64));
        copy.putBytes(0, buffer, 0, buffer.capacity());
        encoded[index] = copy;
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeConnect()
    {
        connectEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .clientId(7)
            .responseStreamId(1002)
            .credential(CREDENTIAL)
            .responseChannel(RESPONSE_CHANNEL);
        return MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeCreateAccounts()
    {
        final CreateAccountsEncoder.AccountsEncoder group = createAccountsEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .accountsCount(events);
        for (int i = 0; i < events; i++)
        {
            final CreateAccountsEncoder.AccountsEncoder account = group.next();
            account.id().lo(1000 + i).hi(0);
            account.debitsPending().lo(0).hi(0);
            account.debitsPosted().lo(0).hi(0);
            account.creditsPending().lo(0).hi(0);
            account.creditsPosted().lo(0).hi(0);
            account.userData128().lo(i).hi(0);
            account.userData64(i).userData32(i).reserved(0).ledger(840).code(1).flags(0).timestamp(0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createAccountsEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeCreateTransfers()
    {
        final CreateTransfersEncoder.TransfersEncoder group = createTransfersEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .transfersCount(events);
        for (int i = 0; i < events; i++)
        {
            final CreateTransfersEncoder.TransfersEncoder transfer = group.next();
            transfer.id().lo(correlationId * 1024 + i).hi(0);
            transfer.debitAccountId().lo(1000 + i).hi(0);
            transfer.creditAccountId().lo(2000 + i).hi(0);
            transfer.amount().lo(100 + i).hi(0);
            transfer.pendingId().lo(0).hi(0);
            transfer.userData128().lo(i).hi(0);
            transfer.userData64(i).userData32(i).timeoutSeconds(0).ledger(840).code(1).flags(0).timestamp(0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createTransfersEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeLookupAccounts()
    {
        final LookupAccountsEncoder.IdsEncoder group = lookupAccountsEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .idsCount(events);
        for (int i = 0; i < events; i++)
        {
            group.next().id().lo(1000 + i).hi(0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + lookupAccountsEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeLookupTransfers()
    {
        final LookupTransfersEncoder.IdsEncoder group = lookupTransfersEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .idsCount(events);
        for (int i = 0; i < events; i++)
        {
            group.next().id().lo(5000 + i).hi(0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + lookupTransfersEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeConnectResult()
    {
        connectResultEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .clientId(7)
            .status(ConnectStatus.OK)
            .detail("");
        return MessageHeaderEncoder.ENCODED_LENGTH + connectResultEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeCreateAccountsResult()
    {
        final CreateAccountsResultEncoder.ResultsEncoder group = createAccountsResultEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .resultsCount(events);
        for (int i = 0; i < events; i++)
        {
            group.next().timestamp(1_700_000_000_000_000_000L + i).result(CreateAccountResult.OK);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createAccountsResultEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeCreateTransfersResult()
    {
        final CreateTransfersResultEncoder.ResultsEncoder group = createTransfersResultEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .resultsCount(events);
        for (int i = 0; i < events; i++)
        {
            group.next().timestamp(1_700_000_000_000_000_000L + i).result(CreateTransferResult.OK);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + createTransfersResultEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeAccounts()
    {
        final AccountsEncoder.AccountEncoder group = accountsEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .accountCount(events);
        for (int i = 0; i < events; i++)
        {
            final AccountsEncoder.AccountEncoder account = group.next();
            account.id().lo(1000 + i).hi(0);
            account.debitsPending().lo(i).hi(0);
            account.debitsPosted().lo(10L * i).hi(0);
            account.creditsPending().lo(i + 1).hi(0);
            account.creditsPosted().lo(20L * i).hi(0);
            account.userData128().lo(i).hi(0);
            account.userData64(i).userData32(i).reserved(0).ledger(840).code(1).flags(0)
                .timestamp(1_700_000_000_000_000_000L + i);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + accountsEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeTransfers()
    {
        final TransfersEncoder.TransferEncoder group = transfersEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .transferCount(events);
        for (int i = 0; i < events; i++)
        {
            final TransfersEncoder.TransferEncoder transfer = group.next();
            transfer.id().lo(5000 + i).hi(0);
            transfer.debitAccountId().lo(1000 + i).hi(0);
            transfer.creditAccountId().lo(2000 + i).hi(0);
            transfer.amount().lo(100 + i).hi(0);
            transfer.pendingId().lo(0).hi(0);
            transfer.userData128().lo(i).hi(0);
            transfer.userData64(i).userData32(i).timeoutSeconds(0).ledger(840).code(1).flags(0)
                .timestamp(1_700_000_000_000_000_000L + i);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + transfersEncoder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeRejected()
    {
        rejectedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(++correlationId)
            .templateId(3)
            .reason(RejectReason.GROUP_COUNT_OVER_LIMIT)
            .detail(DETAIL);
        return MessageHeaderEncoder.ENCODED_LENGTH + rejectedEncoder.encodedLength();
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeConnect()
    {
        final ConnectDecoder decoder = connectDecoder.wrapAndApplyHeader(encoded[0], 0, headerDecoder);
        long sum = decoder.correlationId() + decoder.clientId() + decoder.responseStreamId();
        sum += decoder.getCredential(scratch, 0, scratch.capacity());
        sum += decoder.getResponseChannel(scratch, 0, scratch.capacity());
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeCreateAccounts()
    {
        final CreateAccountsDecoder decoder = createAccountsDecoder.wrapAndApplyHeader(encoded[1], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final CreateAccountsDecoder.AccountsDecoder account : decoder.accounts())
        {
            sum += sum(account.id()) + sum(account.debitsPending()) + sum(account.debitsPosted()) +
                sum(account.creditsPending()) + sum(account.creditsPosted()) + sum(account.userData128()) +
                account.userData64() + account.userData32() + account.reserved() + account.ledger() + account.code() +
                account.flags() + account.timestamp();
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeCreateTransfers()
    {
        final CreateTransfersDecoder decoder = createTransfersDecoder.wrapAndApplyHeader(
            encoded[2], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final CreateTransfersDecoder.TransfersDecoder transfer : decoder.transfers())
        {
            sum += sum(transfer.id()) + sum(transfer.debitAccountId()) + sum(transfer.creditAccountId()) +
                sum(transfer.amount()) + sum(transfer.pendingId()) + sum(transfer.userData128()) +
                transfer.userData64() + transfer.userData32() + transfer.timeoutSeconds() + transfer.ledger() +
                transfer.code() + transfer.flags() + transfer.timestamp();
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeLookupAccounts()
    {
        final LookupAccountsDecoder decoder = lookupAccountsDecoder.wrapAndApplyHeader(encoded[3], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final LookupAccountsDecoder.IdsDecoder id : decoder.ids())
        {
            sum += sum(id.id());
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeLookupTransfers()
    {
        final LookupTransfersDecoder decoder = lookupTransfersDecoder.wrapAndApplyHeader(
            encoded[4], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final LookupTransfersDecoder.IdsDecoder id : decoder.ids())
        {
            sum += sum(id.id());
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeConnectResult()
    {
        final ConnectResultDecoder decoder = connectResultDecoder.wrapAndApplyHeader(encoded[5], 0, headerDecoder);
        return decoder.correlationId() + decoder.clientId() + decoder.statusRaw() +
            decoder.getDetail(scratch, 0, scratch.capacity());
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeCreateAccountsResult()
    {
        final CreateAccountsResultDecoder decoder = createAccountsResultDecoder.wrapAndApplyHeader(
            encoded[6], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final CreateAccountsResultDecoder.ResultsDecoder result : decoder.results())
        {
            sum += result.timestamp() + result.resultRaw();
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeCreateTransfersResult()
    {
        final CreateTransfersResultDecoder decoder = createTransfersResultDecoder.wrapAndApplyHeader(
            encoded[7], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final CreateTransfersResultDecoder.ResultsDecoder result : decoder.results())
        {
            sum += result.timestamp() + result.resultRaw();
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeAccounts()
    {
        final AccountsDecoder decoder = accountsDecoder.wrapAndApplyHeader(encoded[8], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final AccountsDecoder.AccountDecoder account : decoder.account())
        {
            sum += sum(account.id()) + sum(account.debitsPending()) + sum(account.debitsPosted()) +
                sum(account.creditsPending()) + sum(account.creditsPosted()) + sum(account.userData128()) +
                account.userData64() + account.userData32() + account.reserved() + account.ledger() + account.code() +
                account.flags() + account.timestamp();
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeTransfers()
    {
        final TransfersDecoder decoder = transfersDecoder.wrapAndApplyHeader(encoded[9], 0, headerDecoder);
        long sum = decoder.correlationId();
        for (final TransfersDecoder.TransferDecoder transfer : decoder.transfer())
        {
            sum += sum(transfer.id()) + sum(transfer.debitAccountId()) + sum(transfer.creditAccountId()) +
                sum(transfer.amount()) + sum(transfer.pendingId()) + sum(transfer.userData128()) +
                transfer.userData64() + transfer.userData32() + transfer.timeoutSeconds() + transfer.ledger() +
                transfer.code() + transfer.flags() + transfer.timestamp();
        }
        return sum;
    }

    /** @return a sum of the fields. */
    @Benchmark
    public long decodeRejected()
    {
        final RejectedDecoder decoder = rejectedDecoder.wrapAndApplyHeader(encoded[10], 0, headerDecoder);
        return decoder.correlationId() + decoder.templateId() + decoder.reasonRaw() +
            decoder.getDetail(scratch, 0, scratch.capacity());
    }

    private static long sum(final Uint128Decoder value)
    {
        return value.hi() + value.lo();
    }

    /**
     * The ingress frame check over one {@code CreateTransfers}.
     *
     * @return true if valid (always, here).
     */
    @Benchmark
    public boolean validateCreateTransfers()
    {
        return validator.validate(encoded[2], 0, createTransfersLength);
    }
}
