package io.paycore.core.ledger;

import io.paycore.core.ledger.LedgerModel.AccountEvent;
import io.paycore.core.ledger.LedgerModel.TransferEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random streams of concrete ledger commands over a small account set (ids 1..n, ledger 1 for even ids and 2 for
 * odd ones) for the property tests: batches of accounts and transfers with linked chains, pending / post / void
 * aimed at recently created pending transfers, ticks with advancing time, repeated ids (exact and altered) for
 * idempotency, and a sprinkling of every kind of invalid field.
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
     * Far enough in the future that the largest timeout overflows the expiry time.
     */
    static final long START_NANOS = 5_000_000_000_000_000_000L;
    static final int MAX_BATCH_EVENTS = 24;

    private final Random random;
    private final int accountIds;
    private final List<Long> recentTransferIds = new ArrayList<>();
    private final List<Long> recentPendingIds = new ArrayList<>();
    private final Map<Long, TransferEvent> submittedTransfers = new HashMap<>();
    private final Map<Long, AccountEvent> submittedAccounts = new HashMap<>();
    private long nextTransferId = 1000;
    private long timeNanos = START_NANOS;

    private CommandStreams(final Random random, final int accountIds)
    {
        this.random = random;
        this.accountIds = accountIds;
    }

    /**
     * @param commands    length of each stream.
     * @param minAccounts least number of account ids used.
     * @param maxAccounts most number of account ids used.
     * @return streams of concrete commands.
     */
    static Arbitrary<List<Command>> streams(final int commands, final int minAccounts, final int maxAccounts)
    {
        return Arbitraries.randomValue((random) ->
        {
            final int accountIds = minAccounts + random.nextInt(maxAccounts - minAccounts + 1);
            return new CommandStreams(random, accountIds).generate(commands);
        });
    }

    private List<Command> generate(final int count)
    {
        final List<Command> commands = new ArrayList<>(count);
        commands.add(initialAccounts());
        while (commands.size() < count)
        {
            final int kind = random.nextInt(100);
            if (kind < 12)
            {
                commands.add(new Command(Kind.ACCOUNTS, advance(), accountBatch(), List.of()));
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
        for (long id = 1; id <= accountIds - 2; id++)
        {
            final int flags = id % 5 == 0 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS :
                id % 7 == 0 ? AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS : 0;
            final AccountEvent event = new AccountEvent(id, 0, ledgerOf(id), 1, flags);
            submittedAccounts.put(id, event);
            events.add(event);
        }
        return new Command(Kind.ACCOUNTS, timeNanos, events, List.of());
    }

    private static long ledgerOf(final long id)
    {
        return id % 2 == 0 ? 1 : 2;
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
        final long id = idChoice < 3 ? 0 : idChoice < 6 ? Long.MAX_VALUE : 1 + random.nextInt(accountIds);
        final boolean linked = random.nextInt(5) == 0;
        final AccountEvent previous = submittedAccounts.get(id);
        if (previous != null && random.nextInt(3) == 0)
        {
            return new AccountEvent(
                id, previous.userData(), previous.ledger(), previous.code(),
                linked ? previous.flags() | AccountFlags.LINKED : previous.flags() & ~AccountFlags.LINKED);
        }

        final int ledgerChoice = random.nextInt(100);
        final long ledger = ledgerChoice < 85 ? ledgerOf(id) : ledgerChoice < 95 ? 3 - ledgerOf(id) : 0;
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
        if (linked)
        {
            flags |= AccountFlags.LINKED;
        }
        if (random.nextInt(50) == 0)
        {
            flags |= random.nextBoolean() ? 0x10 : 0x8000;
        }
        final long userData = random.nextInt(10) == 0 ? 1 : 0;
        final AccountEvent event = new AccountEvent(id, userData, ledger, code, flags);
        submittedAccounts.putIfAbsent(id, event);
        return event;
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

    private TransferEvent transferEvent()
    {
        final boolean linked = random.nextInt(5) == 0;
        final int idChoice = random.nextInt(100);
        final long id;
        if (idChoice < 86 || recentTransferIds.isEmpty())
        {
            id = nextTransferId++;
        }
        else if (idChoice < 97)
        {
            id = pick(recentTransferIds);
            final TransferEvent previous = submittedTransfers.get(id);
            if (previous != null && random.nextInt(3) != 0)
            {
                final long[] fields =
                {
                    previous.debitAccountId(), previous.creditAccountId(), previous.amount(), previous.pendingId(),
                    previous.userData(), previous.ledger(), previous.timeoutSeconds(), previous.code()
                };
                if (random.nextBoolean())
                {
                    final int field = random.nextInt(fields.length);
                    fields[field] = field == 7 ? 1 + (fields[field] % 2) :
                        field == 6 ? (fields[field] + 1) % 6 : fields[field] + 1;
                }
                return remember(new TransferEvent(
                    previous.id(), fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6],
                    (int)fields[7], linked ? previous.flags() | TransferFlags.LINKED :
                    previous.flags() & ~TransferFlags.LINKED));
            }
        }
        else
        {
            id = random.nextBoolean() ? 0 : Long.MAX_VALUE;
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
        final long userData = random.nextInt(10) == 0 ? 1 + random.nextInt(3) : 0;

        final TransferEvent event;
        if ((flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0)
        {
            event = postOrVoidEvent(id, flags, userData);
        }
        else
        {
            event = singleOrPendingEvent(id, flags, userData);
        }
        return remember(event);
    }

    private TransferEvent singleOrPendingEvent(final long id, final int flags, final long userData)
    {
        final long ledger = 1 + random.nextInt(2);
        final long debit = accountIdIn(ledger);
        long credit = accountIdIn(ledger);
        if (credit == debit && random.nextInt(4) != 0)
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
        final long pendingId = random.nextInt(40) == 0 ? 1 + random.nextInt(2000) : 0;
        return new TransferEvent(
            id, debit, credit, amount(), pendingId, userData, transferLedger, timeoutSeconds, code(), flags);
    }

    private TransferEvent postOrVoidEvent(final long id, final int flags, final long userData)
    {
        final int pendingChoice = random.nextInt(100);
        final long pendingId;
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
            pendingId = 999_999_999L;
        }
        else if (pendingChoice < 96)
        {
            pendingId = 0;
        }
        else if (pendingChoice < 98)
        {
            pendingId = Long.MAX_VALUE;
        }
        else
        {
            pendingId = id;
        }

        final TransferEvent pending = submittedTransfers.get(pendingId);
        long debit = 0;
        long credit = 0;
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
        final long amount;
        if (amountChoice < 30)
        {
            // A void's "the pending amount"; a post of nothing.
            amount = 0;
        }
        else if (amountChoice < 55)
        {
            // A post's "the pending amount"; a void's too much.
            amount = Long.MAX_VALUE;
        }
        else if (amountChoice < 80 && pending != null)
        {
            amount = Math.max(0, pending.amount() - (random.nextBoolean() ? 0 : random.nextInt(3)));
        }
        else
        {
            amount = amount();
        }
        final long timeoutSeconds = random.nextInt(50) == 0 ? 1 : 0;
        return new TransferEvent(
            id, debit, credit, amount, pendingId, userData, ledger, timeoutSeconds, code, flags);
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

    private static void remember(final List<Long> recent, final long id, final int bound)
    {
        recent.add(id);
        if (recent.size() > bound)
        {
            recent.remove(0);
        }
    }

    private long pick(final List<Long> ids)
    {
        return ids.get(random.nextInt(ids.size()));
    }

    private long accountIdIn(final long ledger)
    {
        final int choice = random.nextInt(100);
        if (choice < 2)
        {
            return 0;
        }
        if (choice < 4)
        {
            return Long.MAX_VALUE;
        }
        if (choice < 7)
        {
            return 424_242;
        }
        if (choice < 12)
        {
            return 1 + random.nextInt(accountIds);
        }
        final int sameLedger = accountIds / 2;
        final long k = 1 + random.nextInt(sameLedger);
        return ledger == 1 ? 2 * k : 2 * k - 1;
    }

    private long amount()
    {
        final int choice = random.nextInt(100);
        if (choice < 70)
        {
            return random.nextInt(101);
        }
        if (choice < 85)
        {
            return 101 + random.nextInt(900);
        }
        if (choice < 90)
        {
            return random.nextBoolean() ? -1 : Long.MIN_VALUE;
        }
        if (choice < 95)
        {
            return Long.MAX_VALUE / 2 + random.nextInt(1000);
        }
        return Long.MAX_VALUE - random.nextInt(3);
    }

    private int code()
    {
        final int choice = random.nextInt(100);
        return choice < 92 ? 1 : choice < 97 ? 2 : 0;
    }
}
