package io.paycore.core.ledger;

import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.LookupTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The business logic must never throw on input that passed validation: a record that throws while applied stops
 * the service, and throws again at every restart's replay. This runs short random streams of commands, encoded
 * as a client would send them (so they pass the {@link FrameValidator}), through the {@link CommandProcessor} the
 * service applies journal records with, on ledgers with tiny limits (so every {@code *_FULL} path runs), with and
 * without a cold tier. Every field is drawn from an edge-heavy distribution: ids 0, 1, 2<sup>64</sup> - 1,
 * 2<sup>128</sup> - 2 and 2<sup>128</sup> - 1 and small pools so that collisions, {@code EXISTS} and
 * {@code ID_ALREADY_FAILED} are common; amounts 0, 1, near 2<sup>64</sup>, 2<sup>127</sup> and AMOUNT_MAX; every
 * flag combination and reserved flags; imported timestamps 0, 1, past, equal, future, Long.MAX_VALUE and negative
 * (as unsigned, beyond it); timeouts up to 2<sup>32</sup> - 1; ledger, code and user data at their maxima;
 * non-zero reserved fields and balances; lookups; ticks; record timestamps that repeat, go backwards, and jump by
 * days.
 * <p>
 * After every command: nothing was thrown, the frame was valid, every result decodes to a defined code, no
 * capacity shortfall, and Σ debits = Σ credits, posted and pending, per ledger and over all. At the end the same
 * journaled records, replayed into a fresh ledger, must give the same answers byte for byte and the same digests;
 * and without a cold tier, so must a ledger restored from a snapshot taken half way, fed the records after it.
 */
class CommandProcessorRobustnessPropertyTest
{
    private static final long MAX_32 = 0xFFFF_FFFFL;
    private static final U128 ZERO = new U128(0, 0);
    private static final U128 MAX = new U128(-1, -1);

    record U128(long hi, long lo)
    {
        static U128 of(final long lo)
        {
            return new U128(0, lo);
        }

        BigInteger value()
        {
            return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64)
                .or(new BigInteger(Long.toUnsignedString(lo)));
        }

        public String toString()
        {
            return hi == 0 ? Long.toUnsignedString(lo) : "0x" + value().toString(16);
        }
    }

    enum Kind
    {
        ACCOUNTS, TRANSFERS, LOOKUP_ACCOUNTS, LOOKUP_TRANSFERS, TICK,
        /**
         * The last batch of accounts or transfers again, as a client that did not get its answer would.
         */
        REPEAT
    }

    /**
     * How an event's timestamp is set, relative to the record's timestamp {@code r} and the ledger's last one.
     */
    enum Ts
    {
        ZERO, ONE, MINUS_ONE, LONG_MAX, LONG_MIN, RECORD_MINUS_ONE, RECORD, RECORD_PLUS_ONE, HOUR_AGO, FUTURE,
        LAST, LAST_PLUS_ONE, PREVIOUS_EVENT
    }

    record Account(
        U128 id, int balanceField, U128 balance, U128 userData128, long userData64, long userData32, long reserved,
        long ledger, int code, int flags, Ts ts)
    {
    }

    record Transfer(
        U128 id, U128 debit, U128 credit, U128 amount, U128 pendingId, U128 userData128, long userData64,
        long userData32, long timeout, long ledger, int code, int flags, Ts ts)
    {
    }

    record Command(Kind kind, long timeDeltaNanos, List<Account> accounts, List<Transfer> transfers, List<U128> ids)
    {
    }

    record Setup(
        int maxAccounts, int maxTransfers, int maxPending, int maxBatch, boolean cold, long startNanos, boolean seeded)
    {
    }

    record Frame(int type, long timestampNanos, byte[] bytes)
    {
    }

    // -------------------------------------------------------------------------------------------------------------
    // Properties
    // -------------------------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void shouldNeverThrowAndAlwaysBalance(
        @ForAll("setups") final Setup setup, @ForAll("commands") final List<Command> commands)
    {
        run(setup, commands);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Generators
    // -------------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Setup> setups()
    {
        final Arbitrary<Long> start = Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(1_700_000_000_000_000_000L)),
            Tuple.of(1, Arbitraries.just(0L)),
            Tuple.of(1, Arbitraries.just(1L)));
        return Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, 3)), Tuple.of(3, Arbitraries.integers().between(4, 8))),
            Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, 8)), Tuple.of(2, Arbitraries.integers().between(9, 256))),
            Arbitraries.integers().between(1, 6),
            Arbitraries.integers().between(1, 8),
            Arbitraries.of(false, true),
            start,
            Arbitraries.of(false, true, true, true)).as(Setup::new);
    }

    @Provide
    Arbitrary<List<Command>> commands()
    {
        return command().list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<Command> command()
    {
        final Arbitrary<Kind> kind = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(Kind.ACCOUNTS)),
            Tuple.of(9, Arbitraries.just(Kind.TRANSFERS)),
            Tuple.of(1, Arbitraries.just(Kind.LOOKUP_ACCOUNTS)),
            Tuple.of(1, Arbitraries.just(Kind.LOOKUP_TRANSFERS)),
            Tuple.of(2, Arbitraries.just(Kind.TICK)),
            Tuple.of(2, Arbitraries.just(Kind.REPEAT)));
        final Arbitrary<List<Account>> accounts = account().list().ofMinSize(1).ofMaxSize(8);
        final Arbitrary<List<Transfer>> transfers = transfer().list().ofMinSize(1).ofMaxSize(8);
        final Arbitrary<List<U128>> ids = Arbitraries.oneOf(accountId(), transferId()).list().ofMinSize(1)
            .ofMaxSize(8);
        return Combinators.combine(kind, timeDelta(), accounts, transfers, ids).as(
            (k, delta, a, t, i) -> new Command(k, delta,
                k == Kind.ACCOUNTS ? a : List.of(),
                k == Kind.TRANSFERS ? t : List.of(),
                k == Kind.LOOKUP_ACCOUNTS || k == Kind.LOOKUP_TRANSFERS ? i : List.of()));
    }

    private static Arbitrary<Long> timeDelta()
    {
        final long second = 1_000_000_000L;
        return Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(0L)),
            Tuple.of(2, Arbitraries.of(-1L, -1_000L, -second, -3_600 * second)),
            Tuple.of(4, Arbitraries.of(1L, 1_000L, second, 2 * second, 60 * second)),
            Tuple.of(2, Arbitraries.of(3_600 * second, 86_400 * second, 3 * 86_400 * second)),
            Tuple.of(1, Arbitraries.longs().between(0, 3 * 86_400 * second)));
    }

    private static Arbitrary<U128> edgeId()
    {
        return Arbitraries.of(ZERO, MAX, new U128(-1, -2), U128.of(-1), new U128(1, 0), new U128(Long.MIN_VALUE, 0));
    }

    private static Arbitrary<U128> accountId()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.longs().between(1, 4).map(U128::of)),
            Tuple.of(2, Arbitraries.of(new U128(1, 1), new U128(0x7FFF_FFFF_FFFF_FFFFL, -1))),
            Tuple.of(2, edgeId()));
    }

    private static Arbitrary<U128> transferId()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(8, pendingPoolId()),
            Tuple.of(8, Arbitraries.longs().between(13, 1_000_000).map(U128::of)),
            Tuple.of(1, edgeId()));
    }

    private static Arbitrary<U128> pendingPoolId()
    {
        return Arbitraries.longs().between(1, 12).map(U128::of);
    }

    private static Arbitrary<U128> amount()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.longs().between(0, 100).map(U128::of)),
            Tuple.of(4, Arbitraries.of(
                U128.of(-1), new U128(1, 0), new U128(1, 1), new U128(0x7FFF_FFFF_FFFF_FFFFL, -1),
                new U128(Long.MIN_VALUE, 0), new U128(-1, -2), MAX, new U128(-1, 0))),
            Tuple.of(1, Arbitraries.longs().tuple2().map((t) -> new U128(t.get1(), t.get2()))));
    }

    private static Arbitrary<U128> userData128()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(ZERO)),
            Tuple.of(1, Arbitraries.of(MAX, U128.of(1), new U128(1, 0))));
    }

    private static Arbitrary<Long> userData64()
    {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.of(1L, -1L)));
    }

    private static Arbitrary<Long> u32()
    {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.of(1L, MAX_32)));
    }

    private static Arbitrary<Long> ledger()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just(1L)),
            Tuple.of(3, Arbitraries.just(2L)),
            Tuple.of(1, Arbitraries.of(0L, MAX_32)));
    }

    private static Arbitrary<Integer> code()
    {
        return Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just(1)), Tuple.of(1, Arbitraries.of(0, 0xFFFF)));
    }

    private static Arbitrary<Ts> timestamp()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(Ts.ZERO)),
            Tuple.of(6, Arbitraries.of(Ts.class)));
    }

    private static Arbitrary<Account> account()
    {
        final Arbitrary<Integer> flags = Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(0)),
            Tuple.of(3, Arbitraries.just(AccountFlags.LINKED)),
            Tuple.of(2, Arbitraries.just(AccountFlags.IMPORTED)),
            Tuple.of(4, Arbitraries.integers().between(0, AccountFlags.ALL)),
            Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)));
        final Arbitrary<Integer> balanceField = Arbitraries.frequencyOf(
            Tuple.of(20, Arbitraries.just(-1)), Tuple.of(1, Arbitraries.integers().between(0, 3)));
        final Arbitrary<Long> reserved = Arbitraries.frequencyOf(
            Tuple.of(15, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.of(1L, MAX_32)));
        final Arbitrary<Tuple.Tuple4<U128, Long, Long, Long>> userData = Combinators.combine(
            userData128(), userData64(), u32(), reserved).as(Tuple::of);
        final Arbitrary<Account> raw = Combinators.combine(
            accountId(), balanceField, amount(), userData, ledger(), code(), flags, timestamp())
            .as((id, field, balance, u, ledger, code, f, ts) -> new Account(
                id, field, field < 0 ? ZERO : balance, u.get1(), u.get2(), u.get3(), u.get4(), ledger, code, f, ts));
        return Combinators.combine(raw, Arbitraries.integers().between(0, 9)).as(
            (a, noise) -> noise < 3 ? a : new Account(a.id(), -1, ZERO, a.userData128(), a.userData64(),
                a.userData32(), 0, a.ledger() == 0 ? 1 : a.ledger(), a.code() == 0 ? 1 : a.code(),
                // Not both balance limits (mutually exclusive).
                a.flags() & AccountFlags.ALL & ~AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS,
                (a.flags() & AccountFlags.IMPORTED) == 0 ? Ts.ZERO : a.ts() == Ts.ZERO ? Ts.HOUR_AGO : a.ts()));
    }

    private static Arbitrary<Transfer> transfer()
    {
        final Arbitrary<Integer> kind = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(0)),
            Tuple.of(3, Arbitraries.just(TransferFlags.PENDING)),
            Tuple.of(3, Arbitraries.just(TransferFlags.POST_PENDING)),
            Tuple.of(3, Arbitraries.just(TransferFlags.VOID_PENDING)),
            Tuple.of(1, Arbitraries.just(TransferFlags.IMPORTED)),
            Tuple.of(1, Arbitraries.just(TransferFlags.IMPORTED | TransferFlags.PENDING)),
            Tuple.of(4, Arbitraries.integers().between(0, TransferFlags.ALL)),
            Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)));
        final Arbitrary<Integer> extra = Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(0)),
            Tuple.of(2, Arbitraries.just(TransferFlags.LINKED)),
            Tuple.of(2, Arbitraries.of(
                TransferFlags.BALANCING_DEBIT, TransferFlags.BALANCING_CREDIT,
                TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT,
                TransferFlags.CLOSING_DEBIT, TransferFlags.CLOSING_CREDIT,
                TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT)));
        final Arbitrary<Integer> flags = Combinators.combine(kind, extra).as((k, e) -> k | e);
        final Arbitrary<U128> pendingId = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(ZERO)), Tuple.of(8, pendingPoolId()), Tuple.of(1, transferId()));
        final Arbitrary<Long> timeout = Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(0L)),
            Tuple.of(4, Arbitraries.of(1L, 2L, 60L, 3_600L, 86_400L, 0x7FFF_FFFFL, MAX_32)),
            Tuple.of(1, Arbitraries.longs().between(0, MAX_32)));
        final Arbitrary<Tuple.Tuple3<U128, Long, Long>> userData = Combinators.combine(
            userData128(), userData64(), u32()).as(Tuple::of);
        final Arbitrary<Tuple.Tuple5<Long, Long, Integer, Integer, Ts>> rest = Combinators.combine(
            timeout, ledger(), code(), flags, timestamp()).as(Tuple::of);
        final Arbitrary<Transfer> raw = Combinators.combine(
            transferId(), accountId(), accountId(), amount(), pendingId, userData, rest)
            .as((id, debit, credit, amount, pending, u, r) -> new Transfer(
                id, debit, credit, amount, pending, u.get1(), u.get2(), u.get3(), r.get1(), r.get2(), r.get3(),
                r.get4(), r.get5()));
        return Combinators.combine(raw, Arbitraries.integers().between(0, 9)).as(
            (t, noise) -> noise < 3 ? t : plausible(t));
    }

    /**
     * The transfer with the fields its flags want zero set so, and a past timestamp if it is imported: so that
     * streams get past validation to the balances, pending transfers and limits as often as they fail early.
     */
    private static Transfer plausible(final Transfer t)
    {
        int flags = t.flags() & TransferFlags.ALL;
        final int phase = flags & (TransferFlags.PENDING | TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING);
        flags = (flags & ~phase) | Integer.lowestOneBit(phase);
        final boolean postOrVoid = (flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0;
        final boolean pending = (flags & TransferFlags.PENDING) != 0;
        final boolean imported = (flags & TransferFlags.IMPORTED) != 0;
        if (postOrVoid)
        {
            flags &= ~(TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT);
        }
        if (!pending)
        {
            flags &= ~(TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT);
        }
        final Ts ts = !imported ? Ts.ZERO : t.ts() == Ts.ZERO ? Ts.HOUR_AGO : t.ts();
        // Accounts 1 and 2 are on ledger 1, 3 and 4 on ledger 2 (when the stream is seeded).
        final long ledger = (t.ledger() & 1) + 1;
        final long first = ledger == 1 ? 1 : 3;
        final long side = t.debit().lo() & 1;
        final boolean bare = postOrVoid && (t.code() & 1) == 0;
        // Posts and voids mostly get ids of their own, so that they are not refused as the pending ones they name.
        final boolean pooled = t.id().hi() == 0 && t.id().lo() >= 1 && t.id().lo() <= 12;
        final U128 id = postOrVoid && pooled && (t.userData64() & 1) == 0 ? U128.of(100 + t.id().lo()) :
            pending && !pooled && (t.code() & 1) == 1 ? U128.of(1 + Long.remainderUnsigned(t.id().lo(), 12)) : t.id();
        return new Transfer(id,
            bare ? ZERO : U128.of(first + side),
            bare ? ZERO : U128.of(first + 1 - side),
            t.amount(),
            postOrVoid ? t.pendingId() : ZERO,
            t.userData128(), t.userData64(), t.userData32(),
            pending && !imported ? t.timeout() : 0,
            bare ? 0 : ledger,
            bare ? 0 : t.code() == 0 ? 1 : t.code(),
            flags, ts);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Running
    // -------------------------------------------------------------------------------------------------------------

    static Ledger newLedger(final Setup setup)
    {
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(setup.maxAccounts())
            .maxTransfers(setup.maxTransfers())
            .maxPendingTransfers(setup.maxPending())
            .maxBatchEvents(setup.maxBatch())
            .maxColdLagRecords(Math.max(64, 2 * setup.maxBatch()));
        return setup.cold() ? new Ledger(limits, new InMemoryColdTier()) : new Ledger(limits);
    }

    /**
     * Apply the commands, checking every answer; then replay the journaled records into a fresh ledger.
     *
     * @return the records as journaled.
     */
    static List<Frame> run(final Setup setup, final List<Command> commands)
    {
        final Ledger ledger = newLedger(setup);
        final CommandProcessor processor = new CommandProcessor(ledger);
        final UnsafeBuffer request = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        final List<Frame> frames = new ArrayList<>();
        final List<byte[]> answers = new ArrayList<>();
        final List<String> digests = new ArrayList<>();
        byte[] snapshot = null;
        int snapshotAfter = -1;

        long recordNanos = setup.startNanos();
        final List<Command> stream = new ArrayList<>();
        if (setup.seeded())
        {
            // Accounts 1 and 2 on ledger 1, 3 and 4 on ledger 2, 1 and 3 limited by their credits.
            final List<Account> seed = new ArrayList<>();
            for (long k = 1; k <= 4; k++)
            {
                seed.add(new Account(U128.of(k), -1, ZERO, ZERO, 0, 0, 0, k <= 2 ? 1 : 2, 1,
                    k % 2 == 1 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : 0, Ts.ZERO));
            }
            for (int i = 0; i < 4; i += setup.maxBatch())
            {
                stream.add(new Command(Kind.ACCOUNTS, 0, seed.subList(i, Math.min(4, i + setup.maxBatch())),
                    List.of(), List.of()));
            }
        }
        Command lastBatch = null;
        for (final Command command : commands)
        {
            final boolean repeat = command.kind() == Kind.REPEAT;
            stream.add(repeat && null != lastBatch ? new Command(
                lastBatch.kind(), command.timeDeltaNanos(), lastBatch.accounts(), lastBatch.transfers(), List.of()) :
                repeat ? new Command(Kind.TICK, command.timeDeltaNanos(), List.of(), List.of(), List.of()) : command);
            if (command.kind() == Kind.ACCOUNTS || command.kind() == Kind.TRANSFERS)
            {
                lastBatch = command;
            }
        }
        for (int c = 0; c < stream.size(); c++)
        {
            final Command command = stream.get(c);
            recordNanos = Math.max(0, saturatedAdd(recordNanos, command.timeDeltaNanos()));
            final String where = "command " + c + " at " + recordNanos + ": " + command;
            final Frame frame = encode(command, setup.maxBatch(), recordNanos, ledger.lastTimestampNanos(), request);
            frames.add(frame);

            final int answerLength;
            try
            {
                answerLength = apply(processor, frame, answer);
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw new AssertionError("threw on " + where, ex);
            }

            assertEquals(0, processor.invalidRecords(), "frame not valid: " + where);
            assertNull(ledger.capacityShortfall(), where);
            checkAnswer(command, frame, answer, answerLength, where);
            checkBalanced(ledger, where);
            answers.add(Arrays.copyOf(answer.byteArray(), answerLength));
            digests.add(ledger.digestHex());
            if (c == stream.size() / 2 && !setup.cold())
            {
                snapshot = snapshot(ledger);
                snapshotAfter = c;
            }
        }

        final Ledger replayed = newLedger(setup);
        final CommandProcessor replayProcessor = new CommandProcessor(replayed);
        for (int c = 0; c < frames.size(); c++)
        {
            final int answerLength = apply(replayProcessor, frames.get(c), answer);
            final String where = "replay of command " + c + ": " + stream.get(c);
            assertArrayEquals(answers.get(c), Arrays.copyOf(answer.byteArray(), answerLength), where);
            assertEquals(digests.get(c), replayed.digestHex(), where);
        }

        if (null != snapshot)
        {
            // A restart: the snapshot, then the records journaled after it.
            final Ledger restored = restore(snapshot, newLedger(setup).limits());
            final CommandProcessor restoredProcessor = new CommandProcessor(restored);
            assertEquals(digests.get(snapshotAfter), restored.digestHex(), "restored snapshot");
            for (int c = snapshotAfter + 1; c < frames.size(); c++)
            {
                final int answerLength = apply(restoredProcessor, frames.get(c), answer);
                final String where = "command " + c + " after a restart: " + stream.get(c);
                assertArrayEquals(answers.get(c), Arrays.copyOf(answer.byteArray(), answerLength), where);
                assertEquals(digests.get(c), restored.digestHex(), where);
            }
        }
        return frames;
    }

    private static byte[] snapshot(final Ledger ledger)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try
        {
            ledger.writeSnapshot(Channels.newChannel(bytes));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static Ledger restore(final byte[] snapshot, final LedgerLimits limits)
    {
        try
        {
            return Ledger.readSnapshot(Channels.newChannel(new ByteArrayInputStream(snapshot)), limits);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static int apply(final CommandProcessor processor, final Frame frame, final UnsafeBuffer answer)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.bytes());
        return processor.apply(frame.type(), frame.timestampNanos(), buffer, 0, frame.bytes().length, answer, 0);
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private static long resolve(final Ts ts, final long recordNanos, final long lastNanos, final long previous)
    {
        return switch (ts)
        {
            case ZERO -> 0;
            case ONE -> 1;
            case MINUS_ONE -> -1;
            case LONG_MAX -> Long.MAX_VALUE;
            case LONG_MIN -> Long.MIN_VALUE;
            case RECORD_MINUS_ONE -> recordNanos - 1;
            case RECORD -> recordNanos;
            case RECORD_PLUS_ONE -> recordNanos + 1;
            case HOUR_AGO -> recordNanos - 3_600_000_000_000L;
            case FUTURE -> saturatedAdd(recordNanos, 1_000_000_000_000L);
            case LAST -> lastNanos;
            case LAST_PLUS_ONE -> lastNanos + 1;
            case PREVIOUS_EVENT -> previous;
        };
    }

    static Frame encode(
        final Command command, final int maxBatch, final long recordNanos, final long lastNanos,
        final UnsafeBuffer request)
    {
        final RequestEncoder encoder = new RequestEncoder();
        final int length;
        switch (command.kind())
        {
            case ACCOUNTS ->
            {
                final int count = Math.min(maxBatch, command.accounts().size());
                final AccountEventArray events = new AccountEventArray(count);
                long previous = 0;
                for (int i = 0; i < count; i++)
                {
                    final Account a = command.accounts().get(i);
                    final long timestamp = resolve(a.ts(), recordNanos, lastNanos, previous);
                    previous = timestamp;
                    final AccountEventArray.Event e = events.add()
                        .id(a.id().hi(), a.id().lo())
                        .userData128(a.userData128().hi(), a.userData128().lo())
                        .userData64(a.userData64())
                        .userData32(a.userData32())
                        .reserved(a.reserved())
                        .ledger(a.ledger())
                        .code(a.code())
                        .flags(a.flags())
                        .timestamp(timestamp);
                    final U128 b = a.balance();
                    switch (a.balanceField())
                    {
                        case 0 -> e.debitsPending(b.hi(), b.lo());
                        case 1 -> e.debitsPosted(b.hi(), b.lo());
                        case 2 -> e.creditsPending(b.hi(), b.lo());
                        case 3 -> e.creditsPosted(b.hi(), b.lo());
                        default -> { }
                    }
                }
                length = encoder.createAccounts(request, 0, 1, events);
            }
            case TRANSFERS ->
            {
                final int count = Math.min(maxBatch, command.transfers().size());
                final TransferEventArray events = new TransferEventArray(count);
                long previous = 0;
                for (int i = 0; i < count; i++)
                {
                    final Transfer t = command.transfers().get(i);
                    final long timestamp = resolve(t.ts(), recordNanos, lastNanos, previous);
                    previous = timestamp;
                    events.add()
                        .id(t.id().hi(), t.id().lo())
                        .debitAccountId(t.debit().hi(), t.debit().lo())
                        .creditAccountId(t.credit().hi(), t.credit().lo())
                        .amount(t.amount().hi(), t.amount().lo())
                        .pendingId(t.pendingId().hi(), t.pendingId().lo())
                        .userData128(t.userData128().hi(), t.userData128().lo())
                        .userData64(t.userData64())
                        .userData32(t.userData32())
                        .timeoutSeconds(t.timeout())
                        .ledger(t.ledger())
                        .code(t.code())
                        .flags(t.flags())
                        .timestamp(timestamp);
                }
                length = encoder.createTransfers(request, 0, 2, events);
            }
            case LOOKUP_ACCOUNTS ->
            {
                final LookupAccountsEncoder lookup = new LookupAccountsEncoder();
                final int count = Math.min(maxBatch, command.ids().size());
                final LookupAccountsEncoder.IdsEncoder ids = lookup
                    .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
                    .correlationId(3)
                    .idsCount(count);
                for (int i = 0; i < count; i++)
                {
                    ids.next().id().lo(command.ids().get(i).lo()).hi(command.ids().get(i).hi());
                }
                length = MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength();
            }
            case LOOKUP_TRANSFERS ->
            {
                final LookupTransfersEncoder lookup = new LookupTransfersEncoder();
                final int count = Math.min(maxBatch, command.ids().size());
                final LookupTransfersEncoder.IdsEncoder ids = lookup
                    .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
                    .correlationId(4)
                    .idsCount(count);
                for (int i = 0; i < count; i++)
                {
                    ids.next().id().lo(command.ids().get(i).lo()).hi(command.ids().get(i).hi());
                }
                length = MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength();
            }
            default ->
            {
                return new Frame(RecordTypes.TICK, recordNanos, new byte[0]);
            }
        }
        final byte[] bytes = Arrays.copyOf(request.byteArray(), length);
        final FrameValidator validator = FrameValidator.forIngress(maxBatch);
        assertTrue(validator.validate(new UnsafeBuffer(bytes), 0, length), () -> "invalid frame: " +
            validator.reason() + " " + command);
        return new Frame(RecordTypes.MESSAGE, recordNanos, bytes);
    }

    private static void checkAnswer(
        final Command command, final Frame frame, final UnsafeBuffer answer, final int answerLength, final String where)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        if (command.kind() == Kind.ACCOUNTS)
        {
            final CreateAccountsResultDecoder decoder = new CreateAccountsResultDecoder();
            decoder.wrapAndApplyHeader(answer, 0, header);
            final CreateAccountsResultDecoder.ResultsDecoder results = decoder.results();
            assertEquals(groupCount(frame), results.count(), where);
            while (results.hasNext())
            {
                final CreateAccountResult result = results.next().result();
                assertNotNull(result, where);
                assertNotEquals(CreateAccountResult.NULL_VAL, result, where);
            }
            assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + decoder.encodedLength(), answerLength, where);
        }
        else if (command.kind() == Kind.TRANSFERS)
        {
            final CreateTransfersResultDecoder decoder = new CreateTransfersResultDecoder();
            decoder.wrapAndApplyHeader(answer, 0, header);
            final CreateTransfersResultDecoder.ResultsDecoder results = decoder.results();
            assertEquals(groupCount(frame), results.count(), where);
            while (results.hasNext())
            {
                final CreateTransferResult result = results.next().result();
                assertNotNull(result, where);
                assertNotEquals(CreateTransferResult.NULL_VAL, result, where);
            }
            assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + decoder.encodedLength(), answerLength, where);
        }
        else if (command.kind() == Kind.TICK)
        {
            assertEquals(0, answerLength, where);
        }
        else
        {
            assertTrue(answerLength > 0, where);
        }
    }

    private static int groupCount(final Frame frame)
    {
        final FrameValidator validator = FrameValidator.forIngress();
        assertTrue(validator.validate(new UnsafeBuffer(frame.bytes()), 0, frame.bytes().length));
        return validator.groupCount();
    }

    private static BigInteger unsigned(final long hi, final long lo)
    {
        return new U128(hi, lo).value();
    }

    static void checkBalanced(final Ledger ledger, final String where)
    {
        BigInteger debitsPending = BigInteger.ZERO;
        BigInteger creditsPending = BigInteger.ZERO;
        BigInteger debitsPosted = BigInteger.ZERO;
        BigInteger creditsPosted = BigInteger.ZERO;
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            debitsPending = debitsPending.add(unsigned(ledger.debitsPendingHi(i), ledger.debitsPendingLo(i)));
            creditsPending = creditsPending.add(unsigned(ledger.creditsPendingHi(i), ledger.creditsPendingLo(i)));
            debitsPosted = debitsPosted.add(unsigned(ledger.debitsPostedHi(i), ledger.debitsPostedLo(i)));
            creditsPosted = creditsPosted.add(unsigned(ledger.creditsPostedHi(i), ledger.creditsPostedLo(i)));
        }
        assertEquals(debitsPending, creditsPending, "pending, " + where);
        assertEquals(debitsPosted, creditsPosted, "posted, " + where);
        assertTrue(ledger.isBalanced(), where);
        assertTrue(ledger.highBalanceBitsHold(), where);
        assertTrue(ledger.pendingCount() <= ledger.pendingLimit(), where);
        assertTrue(ledger.accountCount() <= ledger.accountLimit(), where);
    }
}
