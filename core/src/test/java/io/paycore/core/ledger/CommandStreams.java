package io.paycore.core.ledger;

import io.paycore.core.ledger.LedgerModel.AccountEvent;
import io.paycore.core.ledger.LedgerModel.TransferEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random streams of concrete ledger commands over a small account set for the property tests: batches of accounts
 * and transfers with linked chains, pending / post / void aimed at recently created pending transfers, ticks with
 * advancing time, repeated ids (exact and altered) for idempotency, imported batches with past timestamps, and a
 * sprinkling of every kind of invalid field.
 * <p>
 * Values are 128-bit where TigerBeetle's are: some account and transfer ids have high halves (and some share their
 * low half with another id, so that an index that looked at one half only would confuse them), amounts reach
 * across the 64-bit boundary and up to 2<sup>128</sup> - 1, and user data of 128, 64 and 32 bits is set now and then.
 * Account {@code k} (1..n) is on ledger 1 when {@code k} is even, 2 when odd.
 * <p>
 * A stream is built in one pass from a jqwik-supplied {@link Random}, remembering what it has submitted so far
 * (not what the ledger answered), so it is the same whatever it is later applied to.
 */
final class CommandStreams
{
    enum Kind
    {
        ACCOUNTS, TRANSFERS, TICK
    }

    record Command(Kind kind, long recordTimestampNanos, List<AccountEvent> accounts, List<TransferEvent> transfers)
    {
        int size()
        {
            return kind == Kind.ACCOUNTS ? accounts.size() : kind == Kind.TRANSFERS ? transfers.size() : 0;
        }
    }

    /**
     * Far enough in the future that the largest timeout overflows the expiry time (2<sup>63</sup> - 1).
     */
    static final long START_NANOS = 5_000_000_000_000_000_000L;
    static final int MAX_BATCH_EVENTS = 24;

    private static final BigInteger MAX_128 = LedgerModel.MAX_128;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final int ACCOUNT_HISTORY = 8;
    private static final int ACCOUNT_IMPORTED = 16;
    private static final int TRANSFER_IMPORTED = 256;

    private final Random random;
    private final int accountCount;
    private final List<BigInteger> recentTransferIds = new ArrayList<>();
    private final List<BigInteger> recentPendingIds = new ArrayList<>();
    private final Map<BigInteger, TransferEvent> submittedTransfers = new HashMap<>();
    private final Map<BigInteger, AccountEvent> submittedAccounts = new HashMap<>();
    private long nextTransferId = 1000;
    private long nextImportedAccount = 1;
    private long timeNanos = START_NANOS;

    private final boolean ascendingIds;

    private CommandStreams(final Random random, final int accountCount, final boolean ascendingIds)
    {
        this.random = random;
        this.accountCount = accountCount;
        this.ascendingIds = ascendingIds;
    }

    /**
     * @param commands    length of each stream.
     * @param minAccounts least number of account ids used.
     * @param maxAccounts most number of account ids used.
     * @return streams of concrete commands.
     */
    static Arbitrary<List<Command>> streams(final int commands, final int minAccounts, final int maxAccounts)
    {
        return streams(commands, minAccounts, maxAccounts, false);
    }

    /**
     * @param commands     length of each stream.
     * @param minAccounts  least number of account ids used.
     * @param maxAccounts  most number of account ids used.
     * @param ascendingIds new transfer ids from a counter that only grows, by 1 or 2 (so with gaps), and one in 50 a
     *                     recent id below it (a gap, new and out of order, or an id in use): long runs in the
     *                     ledger's ascending index, searched for ids inside them; else ids of every shape
     *                     ({@link #newTransferId()}), which seldom run in order for long.
     * @return streams of concrete commands.
     */
    static Arbitrary<List<Command>> streams(
        final int commands, final int minAccounts, final int maxAccounts, final boolean ascendingIds)
    {
        return Arbitraries.randomValue((random) ->
        {
            final int accountCount = minAccounts + random.nextInt(maxAccounts - minAccounts + 1);
            return new CommandStreams(random, accountCount, ascendingIds).generate(commands);
        });
    }

    /**
     * @param seed     of the stream's {@link Random}: the same seed gives the same stream, on every run and JVM.
     * @param accounts number of account ids used.
     * @param commands length of the stream.
     * @return one fixed stream of concrete commands.
     */
    static List<Command> fixed(final long seed, final int accounts, final int commands)
    {
        return fixed(seed, accounts, commands, false);
    }

    /**
     * @param seed         of the stream's {@link Random}.
     * @param accounts     number of account ids used.
     * @param commands     length of the stream.
     * @param ascendingIds as {@link #streams(int, int, int, boolean)}.
     * @return one fixed stream of concrete commands.
     */
    static List<Command> fixed(final long seed, final int accounts, final int commands, final boolean ascendingIds)
    {
        return new CommandStreams(new Random(seed), accounts, ascendingIds).generate(commands);
    }

    /**
     * Account {@code k}'s id: {@code k}, or for every third {@code k} one with a high half ({@code k << 64 | k}).
     */
    static BigInteger accountId(final long k)
    {
        final BigInteger low = BigInteger.valueOf(k);
        return k % 3 == 0 ? low.shiftLeft(64).or(low) : low;
    }

    private static long ledgerOf(final long k)
    {
        return k % 2 == 0 ? 1 : 2;
    }

    private List<Command> generate(final int count)
    {
        final List<Command> commands = new ArrayList<>(count);
        commands.add(initialAccounts());
        while (commands.size() < count)
        {
            final int kind = random.nextInt(100);
            if (kind < 10)
            {
                commands.add(new Command(Kind.ACCOUNTS, advance(), accountBatch(), List.of()));
            }
            else if (kind < 12)
            {
                commands.add(importedAccounts());
            }
            else if (kind < 15)
            {
                commands.add(importedTransfers());
            }
            else if (kind < 90)
            {
                commands.add(new Command(Kind.TRANSFERS, advance(), List.of(), transferBatch()));
            }
            else
            {
                timeNanos += random.nextInt(4_000_000) * 1_000L;
                commands.add(new Command(Kind.TICK, timeNanos, List.of(), List.of()));
            }
        }
        return commands;
    }

    private long advance()
    {
        final int choice = random.nextInt(4);
        if (choice == 0)
        {
            return timeNanos;
        }
        if (choice == 1)
        {
            return timeNanos - random.nextInt(1000);
        }
        timeNanos += random.nextInt(1_500_000) * 1_000L;
        return timeNanos;
    }

    private Command initialAccounts()
    {
        final List<AccountEvent> events = new ArrayList<>();
        for (long k = 1; k <= accountCount - 2; k++)
        {
            final int flags = k % 5 == 0 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS :
                k % 7 == 0 ? AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS : k % 11 == 0 ? ACCOUNT_HISTORY : 0;
            final AccountEvent event = AccountEvent.of(accountId(k), BigInteger.ZERO, 0, 0, ledgerOf(k), 1, flags);
            submittedAccounts.put(event.id(), event);
            events.add(event);
        }
        return new Command(Kind.ACCOUNTS, timeNanos, events, List.of());
    }

    private int batchSize()
    {
        return random.nextInt(10) == 0 ? 1 + random.nextInt(MAX_BATCH_EVENTS) : 1 + random.nextInt(6);
    }

    private List<AccountEvent> accountBatch()
    {
        final int size = batchSize();
        final List<AccountEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            events.add(accountEvent());
        }
        return events;
    }

    private AccountEvent accountEvent()
    {
        final int idChoice = random.nextInt(100);
        final long k = 1 + random.nextInt(accountCount);
        final BigInteger id = idChoice < 3 ? BigInteger.ZERO : idChoice < 6 ? MAX_128 : accountId(k);
        final boolean linked = random.nextInt(5) == 0;
        final AccountEvent previous = submittedAccounts.get(id);
        if (previous != null && random.nextInt(3) == 0)
        {
            final int alter = random.nextInt(8);
            return new AccountEvent(
                id, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
                alter == 0 ? previous.userData128().add(TWO_TO_64).and(MAX_128) : previous.userData128(),
                alter == 1 ? previous.userData64() + 1 : previous.userData64(),
                alter == 2 ? previous.userData32() ^ 0x8000_0000L : previous.userData32(),
                0, previous.ledger(), previous.code(),
                linked ? previous.flags() | AccountFlags.LINKED : previous.flags() & ~AccountFlags.LINKED, 0);
        }

        final int ledgerChoice = random.nextInt(100);
        final long ledger = ledgerChoice < 85 ? ledgerOf(k) : ledgerChoice < 95 ? 3 - ledgerOf(k) : 0;
        final int codeChoice = random.nextInt(100);
        final int code = codeChoice < 90 ? 1 : codeChoice < 97 ? 2 : 0;
        final int flagChoice = random.nextInt(100);
        int flags = flagChoice < 70 ? 0 : flagChoice < 82 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS :
            flagChoice < 94 ? AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS : AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS |
            AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS;
        if (random.nextInt(40) == 0)
        {
            flags |= AccountFlags.CLOSED;
        }
        if (random.nextInt(20) == 0)
        {
            flags |= ACCOUNT_HISTORY;
        }
        if (linked)
        {
            flags |= AccountFlags.LINKED;
        }
        if (random.nextInt(50) == 0)
        {
            flags |= random.nextBoolean() ? 0x40 : 0x8000;
        }
        final BigInteger userData128 = random.nextInt(10) == 0 ? userData128() : BigInteger.ZERO;
        final long userData64 = random.nextInt(10) == 0 ? random.nextLong() : 0;
        final long userData32 = random.nextInt(10) == 0 ? random.nextInt() & 0xFFFF_FFFFL : 0;
        // Now and then a field TigerBeetle wants zero on a new account: a balance, the reserved field, a timestamp.
        final int invalid = random.nextInt(60);
        final BigInteger balance = invalid < 4 ? BigInteger.ONE.shiftLeft(random.nextInt(128)) : BigInteger.ZERO;
        final AccountEvent event = new AccountEvent(
            id, invalid == 0 ? balance : BigInteger.ZERO, invalid == 1 ? balance : BigInteger.ZERO,
            invalid == 2 ? balance : BigInteger.ZERO, invalid == 3 ? balance : BigInteger.ZERO,
            userData128, userData64, userData32, invalid == 4 ? 1 + random.nextInt(5) : 0, ledger, code, flags,
            invalid == 5 ? timeNanos - 1 : 0);
        submittedAccounts.putIfAbsent(id, event);
        return event;
    }

    /**
     * A batch of imported accounts, new ids far above the others', with timestamps in the past of the record time
     * and increasing; now and then one out of line (0, in the future, repeated, or not imported).
     */
    private Command importedAccounts()
    {
        timeNanos += 2_000_000 + random.nextInt(1_000_000);
        final int size = 1 + random.nextInt(4);
        final List<AccountEvent> events = new ArrayList<>(size);
        long timestamp = timeNanos - 1_000_000;
        for (int i = 0; i < size; i++)
        {
            final long k = 1_000_000 + nextImportedAccount++;
            final BigInteger id = random.nextInt(10) == 0 && !submittedAccounts.isEmpty() ?
                accountId(1 + random.nextInt(accountCount)) : BigInteger.valueOf(k).shiftLeft(64).or(BigInteger.ONE);
            final int oddity = random.nextInt(30);
            final long eventTimestamp = oddity == 0 ? 0 : oddity == 1 ? timeNanos + 1_000_000 : oddity == 2 ?
                timestamp - 1 : timestamp;
            final int flags = ACCOUNT_IMPORTED | (random.nextInt(6) == 0 ? AccountFlags.LINKED : 0);
            final AccountEvent event = new AccountEvent(
                id, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, 0, 0, 0,
                1 + random.nextInt(2), 1, oddity == 3 && i > 0 ? flags & ~ACCOUNT_IMPORTED : flags,
                eventTimestamp);
            submittedAccounts.putIfAbsent(id, event);
            events.add(event);
            timestamp += 1 + random.nextInt(1000);
        }
        return new Command(Kind.ACCOUNTS, timeNanos, events, List.of());
    }

    /**
     * A batch of imported transfers between the first accounts (created at the start, so older than any import),
     * timestamps in the past of the record time and increasing; now and then one out of line.
     */
    private Command importedTransfers()
    {
        timeNanos += 2_000_000 + random.nextInt(1_000_000);
        final int size = 1 + random.nextInt(4);
        final List<TransferEvent> events = new ArrayList<>(size);
        long timestamp = timeNanos - 1_000_000;
        for (int i = 0; i < size; i++)
        {
            final long k = 2 + 2 * random.nextInt(Math.max(1, (accountCount - 2) / 2 - 1));
            final BigInteger debit = accountId(k);
            final BigInteger credit = accountId(k == 2 ? 4 : 2);
            final int oddity = random.nextInt(30);
            final long eventTimestamp = oddity == 0 ? 0 : oddity == 1 ? timeNanos + 1_000_000 : oddity == 2 ?
                timestamp - 1 : oddity == 3 ? START_NANOS - 1 : timestamp;
            int flags = TRANSFER_IMPORTED | (random.nextInt(4) == 0 ? TransferFlags.PENDING : 0);
            if (oddity == 4 && i > 0)
            {
                flags &= ~TRANSFER_IMPORTED;
            }
            if (random.nextInt(6) == 0)
            {
                flags |= TransferFlags.LINKED;
            }
            final TransferEvent event = new TransferEvent(
                BigInteger.valueOf(nextTransferId++), debit, credit, BigInteger.valueOf(random.nextInt(100)),
                BigInteger.ZERO, BigInteger.ZERO, 0, 0,
                (flags & TransferFlags.PENDING) != 0 && oddity == 5 ? 1 : 0, 1, 1, flags, eventTimestamp);
            events.add(remember(event));
            timestamp += 1 + random.nextInt(1000);
        }
        return new Command(Kind.TRANSFERS, timeNanos, List.of(), events);
    }

    private List<TransferEvent> transferBatch()
    {
        final int size = batchSize();
        final List<TransferEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            events.add(transferEvent());
        }
        return events;
    }

    private BigInteger newTransferId()
    {
        if (ascendingIds)
        {
            if (random.nextInt(50) == 0 && nextTransferId > 1_300)
            {
                return BigInteger.valueOf(nextTransferId - 1 - random.nextInt(300));
            }
            final long id = nextTransferId;
            nextTransferId += 1 + random.nextInt(2);
            return BigInteger.valueOf(id);
        }
        final long n = nextTransferId++;
        final int shape = (int)(n % 8);
        // Some ids only have a high half; some share their low half with an earlier plain id.
        return shape == 3 ? BigInteger.valueOf(n).shiftLeft(64) :
            shape == 5 ? BigInteger.ONE.shiftLeft(64).or(BigInteger.valueOf(n - 1)) : BigInteger.valueOf(n);
    }

    private TransferEvent transferEvent()
    {
        final boolean linked = random.nextInt(5) == 0;
        final int idChoice = random.nextInt(100);
        final BigInteger id;
        if (idChoice < 86 || recentTransferIds.isEmpty())
        {
            id = newTransferId();
        }
        else if (idChoice < 97)
        {
            id = pick(recentTransferIds);
            final TransferEvent previous = submittedTransfers.get(id);
            if (previous != null && random.nextInt(3) != 0)
            {
                return remember(alter(previous, linked));
            }
        }
        else
        {
            id = random.nextBoolean() ? BigInteger.ZERO : MAX_128;
        }

        final int kindChoice = random.nextInt(100);
        int flags;
        if (kindChoice < 48)
        {
            flags = 0;
        }
        else if (kindChoice < 70)
        {
            flags = TransferFlags.PENDING;
        }
        else if (kindChoice < 84)
        {
            flags = TransferFlags.POST_PENDING;
        }
        else if (kindChoice < 95)
        {
            flags = TransferFlags.VOID_PENDING;
        }
        else
        {
            flags = random.nextInt(16) & ~TransferFlags.LINKED;
        }
        if (random.nextInt(8) == 0)
        {
            // Balancing, mostly on single-phase and pending transfers; now and then with a post or void (refused).
            flags |= random.nextBoolean() ? TransferFlags.BALANCING_DEBIT :
                random.nextBoolean() ? TransferFlags.BALANCING_CREDIT :
                TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT;
        }
        if (random.nextInt(12) == 0)
        {
            // Closing, mostly on pending transfers (which then close accounts until voided or expired).
            flags |= random.nextBoolean() ? TransferFlags.CLOSING_DEBIT : TransferFlags.CLOSING_CREDIT;
        }
        if (linked)
        {
            flags |= TransferFlags.LINKED;
        }
        if (random.nextInt(80) == 0)
        {
            flags |= random.nextBoolean() ? 0x200 : 0x4000;
        }
        if (random.nextInt(100) == 0)
        {
            // Imported in a batch that is not (or the first of a batch that then is not).
            flags |= TRANSFER_IMPORTED;
        }

        final TransferEvent event;
        if ((flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0)
        {
            event = postOrVoidEvent(id, flags);
        }
        else
        {
            event = singleOrPendingEvent(id, flags);
        }
        return remember(event);
    }

    /**
     * One more, within 128 bits (the largest value becomes the one below it).
     */
    private static BigInteger plusOne(final BigInteger value)
    {
        return value.equals(MAX_128) ? value.subtract(BigInteger.ONE) : value.add(BigInteger.ONE);
    }

    /**
     * The same event again, exactly (but for LINKED) or with one field changed.
     */
    private TransferEvent alter(final TransferEvent p, final boolean linked)
    {
        final int flags = linked ? p.flags() | TransferFlags.LINKED : p.flags() & ~TransferFlags.LINKED;
        if (random.nextBoolean())
        {
            return new TransferEvent(p.id(), p.debitAccountId(), p.creditAccountId(), p.amount(), p.pendingId(),
                p.userData128(), p.userData64(), p.userData32(), p.timeoutSeconds(), p.ledger(), p.code(), flags,
                p.timestamp());
        }
        final int field = random.nextInt(9);
        return new TransferEvent(
            p.id(),
            field == 0 ? plusOne(p.debitAccountId()) : p.debitAccountId(),
            field == 1 ? plusOne(p.creditAccountId()) : p.creditAccountId(),
            field == 2 ? plusOne(p.amount()) : p.amount(),
            field == 3 ? plusOne(p.pendingId()) : p.pendingId(),
            field == 4 ? p.userData128().add(TWO_TO_64).and(MAX_128) : p.userData128(),
            field == 5 ? p.userData64() + 1 : p.userData64(),
            field == 6 ? p.userData32() ^ 1 : p.userData32(),
            field == 7 ? (p.timeoutSeconds() + 1) % 6 : p.timeoutSeconds(),
            p.ledger(),
            field == 8 ? 1 + (p.code() % 2) : p.code(),
            flags,
            p.timestamp());
    }

    private TransferEvent singleOrPendingEvent(final BigInteger id, final int flags)
    {
        final long ledger = 1 + random.nextInt(2);
        final BigInteger debit = accountIdIn(ledger);
        BigInteger credit = accountIdIn(ledger);
        if (credit.equals(debit) && random.nextInt(4) != 0)
        {
            credit = accountIdIn(ledger);
        }
        final int ledgerChoice = random.nextInt(100);
        final long transferLedger = ledgerChoice < 90 ? ledger : ledgerChoice < 94 ? 3 - ledger :
            ledgerChoice < 97 ? 0 : 3;
        final boolean pending = (flags & TransferFlags.PENDING) != 0;
        long timeoutSeconds = 0;
        if (pending)
        {
            final int timeoutChoice = random.nextInt(100);
            timeoutSeconds = timeoutChoice < 40 ? 0 : timeoutChoice < 97 ? 1 + random.nextInt(5) : 0xFFFF_FFFFL;
        }
        else if (random.nextInt(40) == 0)
        {
            timeoutSeconds = 1 + random.nextInt(5);
        }
        final BigInteger pendingId = random.nextInt(40) == 0 ? BigInteger.valueOf(1 + random.nextInt(2000)) :
            BigInteger.ZERO;
        return new TransferEvent(
            id, debit, credit, amount(), pendingId, userData128(10), userData64(10), userData32(10),
            timeoutSeconds, transferLedger, code(), flags, strayTimestamp());
    }

    private TransferEvent postOrVoidEvent(final BigInteger id, final int flags)
    {
        final int pendingChoice = random.nextInt(100);
        final BigInteger pendingId;
        if (pendingChoice < 78 && !recentPendingIds.isEmpty())
        {
            pendingId = pick(recentPendingIds);
        }
        else if (pendingChoice < 88 && !recentTransferIds.isEmpty())
        {
            pendingId = pick(recentTransferIds);
        }
        else if (pendingChoice < 93)
        {
            pendingId = BigInteger.valueOf(999_999_999L).shiftLeft(random.nextBoolean() ? 0 : 64);
        }
        else if (pendingChoice < 96)
        {
            pendingId = BigInteger.ZERO;
        }
        else if (pendingChoice < 98)
        {
            pendingId = MAX_128;
        }
        else
        {
            pendingId = id;
        }

        final TransferEvent pending = submittedTransfers.get(pendingId);
        BigInteger debit = BigInteger.ZERO;
        BigInteger credit = BigInteger.ZERO;
        long ledger = 0;
        int code = 0;
        if (random.nextInt(5) == 0)
        {
            debit = pending != null && random.nextBoolean() ? pending.debitAccountId() : accountIdIn(1);
            credit = pending != null && random.nextBoolean() ? pending.creditAccountId() : accountIdIn(2);
            ledger = pending != null && random.nextBoolean() ? pending.ledger() : 1 + random.nextInt(2);
            code = code();
        }

        final int amountChoice = random.nextInt(100);
        final BigInteger amount;
        if (amountChoice < 30)
        {
            // A void's "the pending amount"; a post of nothing.
            amount = BigInteger.ZERO;
        }
        else if (amountChoice < 55)
        {
            // A post's "the pending amount"; a void's too much.
            amount = MAX_128;
        }
        else if (amountChoice < 80 && pending != null)
        {
            amount = pending.amount().subtract(BigInteger.valueOf(random.nextBoolean() ? 0 : random.nextInt(3)))
                .max(BigInteger.ZERO);
        }
        else
        {
            amount = amount();
        }
        final long timeoutSeconds = random.nextInt(50) == 0 ? 1 : 0;
        return new TransferEvent(
            id, debit, credit, amount, pendingId, userData128(6), userData64(6), userData32(6), timeoutSeconds,
            ledger, code, flags, strayTimestamp());
    }

    /**
     * 0, as a non-imported event must have; now and then not.
     */
    private long strayTimestamp()
    {
        return random.nextInt(150) == 0 ? timeNanos - 1 : 0;
    }

    private BigInteger userData128()
    {
        return new BigInteger(128, random).max(BigInteger.ONE);
    }

    private BigInteger userData128(final int oneIn)
    {
        return random.nextInt(oneIn) == 0 ? BigInteger.valueOf(1 + random.nextInt(3)).shiftLeft(random.nextInt(
            2) * 64) : BigInteger.ZERO;
    }

    private long userData64(final int oneIn)
    {
        return random.nextInt(oneIn) == 0 ? 1 + random.nextInt(3) : 0;
    }

    private long userData32(final int oneIn)
    {
        return random.nextInt(oneIn) == 0 ? 1 + random.nextInt(3) : 0;
    }

    private TransferEvent remember(final TransferEvent event)
    {
        submittedTransfers.putIfAbsent(event.id(), event);
        remember(recentTransferIds, event.id(), 64);
        if ((event.flags() & TransferFlags.PENDING) != 0)
        {
            remember(recentPendingIds, event.id(), 24);
        }
        return event;
    }

    private static void remember(final List<BigInteger> recent, final BigInteger id, final int bound)
    {
        recent.add(id);
        if (recent.size() > bound)
        {
            recent.remove(0);
        }
    }

    private BigInteger pick(final List<BigInteger> ids)
    {
        return ids.get(random.nextInt(ids.size()));
    }

    private BigInteger accountIdIn(final long ledger)
    {
        final int choice = random.nextInt(100);
        if (choice < 2)
        {
            return BigInteger.ZERO;
        }
        if (choice < 4)
        {
            return MAX_128;
        }
        if (choice < 7)
        {
            // Not an account: the high half of account 3's id alone, or a stranger.
            return random.nextBoolean() ? BigInteger.valueOf(3).shiftLeft(64) : BigInteger.valueOf(424_242);
        }
        if (choice < 12)
        {
            return accountId(1 + random.nextInt(accountCount));
        }
        final int sameLedger = accountCount / 2;
        final long k = 1 + random.nextInt(sameLedger);
        return accountId(ledger == 1 ? 2 * k : 2 * k - 1);
    }

    /**
     * Mostly small; now and then across the 64-bit boundary (so balances carry into the high half), huge, or
     * AMOUNT_MAX and its neighbours.
     */
    private BigInteger amount()
    {
        final int choice = random.nextInt(100);
        if (choice < 70)
        {
            return BigInteger.valueOf(random.nextInt(101));
        }
        if (choice < 85)
        {
            return BigInteger.valueOf(101 + random.nextInt(900));
        }
        if (choice < 90)
        {
            return TWO_TO_64.subtract(BigInteger.valueOf(random.nextInt(50)));
        }
        if (choice < 95)
        {
            return MAX_128.shiftRight(1).add(BigInteger.valueOf(random.nextInt(1000)));
        }
        return MAX_128.subtract(BigInteger.valueOf(random.nextInt(3)));
    }

    private int code()
    {
        final int choice = random.nextInt(100);
        return choice < 92 ? 1 : choice < 97 ? 2 : 0;
    }
}
