package io.paycore.replay.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.journal.Journal;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditRuns;
import io.paycore.replay.feed.ChangeFeedContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random command streams (accounts with and without the history flag, imported accounts, single-phase, pending,
 * closing and balancing transfers, posts, voids, linked chains that fail, imported transfers, ticks that expire
 * pendings) are journaled and applied to a live ledger; the {@link QueryEngine} that replays the journal must answer
 * random filters exactly as a plain model built from the live ledger's change events and accounts does.
 */
class QueryEnginePropertyTest
{
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final long RECORD_STEP_NANOS = 1_000_000L;
    private static final int INITIAL_ACCOUNTS = 4;

    record Op(int kind, int a, int b, int c, int d, int e)
    {
    }

    record Change(
        ChangeType type, long timestamp, long id, long debit, long credit, long amount, long pendingId,
        long ud128Hi, long ud128Lo, long ud64, long ud32, long ledger, int code, int flags,
        String debitBalances, String creditBalances, boolean debitHistory, boolean creditHistory)
    {
        String transfer()
        {
            return "transfer " + id + " @" + timestamp + " " + debit + "->" + credit + " amount " + amount +
                " pending " + pendingId + " ud " + ud128Hi + "/" + ud128Lo + "/" + ud64 + "/" + ud32 + " ledger " +
                ledger + " code " + code + " flags " + flags;
        }
    }

    private final List<Path> directories = new ArrayList<>();

    @AfterProperty
    void deleteDirectories()
    {
        for (final Path directory : directories)
        {
            IoUtil.delete(directory.toFile(), true);
        }
        directories.clear();
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        final Arbitrary<Integer> small = Arbitraries.integers().between(0, 9);
        final Arbitrary<Op> op = Combinators.combine(
            Arbitraries.integers().between(0, 11), small, small, small, small, small).as(Op::new);
        return op.list().ofMinSize(10).ofMaxSize(80);
    }

    @Property(tries = 300)
    void shouldAnswerAsTheModel(
        @ForAll("ops") final List<Op> ops,
        @ForAll final long querySeed) throws Exception
    {
        final Path root = Files.createTempDirectory("query-property");
        directories.add(root);
        final DataDirectory directory = new DataDirectory(root.resolve("data"));
        final Ledger live = new Ledger(AuditRuns.limits());
        final List<Change> changes = new ArrayList<>();
        live.changeListener(change ->
        {
            final int d = live.accountIndex(change.debitAccountIdHi(), change.debitAccountIdLo());
            final int c = live.accountIndex(change.creditAccountIdHi(), change.creditAccountIdLo());
            changes.add(new Change(change.type(), change.timestampNanos(), change.transferIdLo(),
                change.debitAccountIdLo(), change.creditAccountIdLo(), change.amountLo(), change.pendingIdLo(),
                change.userData128Hi(), change.userData128Lo(), change.userData64(), change.userData32(),
                change.ledger(), change.code(), change.flags(),
                balances(change.debitAccountDebitsPendingLo(), change.debitAccountDebitsPostedLo(),
                change.debitAccountCreditsPendingLo(), change.debitAccountCreditsPostedLo()),
                balances(change.creditAccountDebitsPendingLo(), change.creditAccountDebitsPostedLo(),
                change.creditAccountCreditsPendingLo(), change.creditAccountCreditsPostedLo()),
                0 != (live.accountFlags(d) & AccountFlags.HISTORY),
                0 != (live.accountFlags(c) & AccountFlags.HISTORY)));
        });
        write(directory, live, ops);

        try (QueryEngine engine = QueryEngine.open(new ChangeFeedContext().directory(directory)
            .limits(AuditRuns.limits()).coldTierSizeBytes(0), root.resolve("store")))
        {
            while (engine.poll(16) > 0)
            {
                // to the end
            }
            assertEquals(live.lastTimestampNanos(), engine.lastTimestampNanos());
            final SplittableRandom random = new SplittableRandom(querySeed);
            for (int q = 0; q < 40; q++)
            {
                checkAccountTransfers(engine, live, changes, random);
                checkAccountBalances(engine, live, changes, random);
                checkQueryTransfers(engine, changes, random);
                checkQueryAccounts(engine, live, changes, random);
            }
            checkLastBalances(engine, live);
        }
    }

    private static void write(final DataDirectory directory, final Ledger live, final List<Op> ops)
    {
        final CommandProcessor processor = new CommandProcessor(live);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[16 * 1024]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        final RequestEncoder encoder = new RequestEncoder();
        final AccountEventArray accounts = new AccountEventArray(64);
        final TransferEventArray transfers = new TransferEventArray(64);
        final List<Long> pendings = new ArrayList<>();
        long timestamp = START_NANOS;
        long correlationId = 0;
        long transferId = 1000;
        long accountCount = 0;

        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            accounts.reset();
            for (int i = 0; i < INITIAL_ACCOUNTS; i++)
            {
                final long id = ++accountCount;
                accounts.add().id(0, id).userData64(id % 2).userData32(id % 3).ledger(1).code(1 + (int)(id % 2))
                    .flags(id % 2 == 1 ? AccountFlags.HISTORY : 0);
            }
            timestamp += RECORD_STEP_NANOS;
            int length = encoder.createAccounts(message, 0, ++correlationId, accounts);
            journal.append(RecordTypes.MESSAGE, timestamp, message, 0, length);
            processor.apply(RecordTypes.MESSAGE, timestamp, message, 0, length, answer, 0);

            for (final Op op : ops)
            {
                final long debit = 1 + op.a() % accountCount;
                final long credit = 1 + op.b() % accountCount;
                final long amount = 1 + op.c() * 7L;
                final long code = 1 + op.e() % 2;
                accounts.reset();
                transfers.reset();
                switch (op.kind())
                {
                    case 0, 1:
                    {
                        final long id = ++accountCount;
                        final boolean imported = op.kind() == 1;
                        final int flags = (op.a() % 2 == 0 ? AccountFlags.HISTORY : 0) |
                            (op.b() % 4 == 0 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : 0) |
                            (op.b() % 4 == 1 ? AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS : 0) |
                            (imported ? AccountFlags.IMPORTED : 0);
                        accounts.add().id(0, id).userData128(op.d() % 2, op.c() % 3).userData64(op.c() % 3)
                            .userData32(op.d() % 3).ledger(1 + op.e() / 8).code((int)code).flags(flags)
                            .timestamp(imported ? live.lastTimestampNanos() + 1 + op.d() : 0);
                        break;
                    }
                    case 2, 3:
                    {
                        transfers.add().id(0, ++transferId).debitAccountId(0, debit).creditAccountId(0, credit)
                            .amount(0, amount).userData128(op.d() % 2, op.c() % 3).userData64(op.d() % 3)
                            .userData32(op.e() % 3).ledger(1).code((int)code)
                            .flags(op.kind() == 3 ? (op.d() % 2 == 0 ? TransferFlags.BALANCING_DEBIT :
                            TransferFlags.BALANCING_CREDIT) : 0);
                        break;
                    }
                    case 4, 5:
                    {
                        final long id = ++transferId;
                        pendings.add(id);
                        final int closing = op.kind() == 5 && op.c() == 0 ?
                            (op.d() % 2 == 0 ? TransferFlags.CLOSING_DEBIT : TransferFlags.CLOSING_CREDIT) : 0;
                        transfers.add().id(0, id).debitAccountId(0, debit).creditAccountId(0, credit)
                            .amount(0, amount).userData64(op.d() % 3).userData32(op.e() % 3).ledger(1).code((int)code)
                            .timeoutSeconds(op.e() % 3).flags(TransferFlags.PENDING | closing);
                        break;
                    }
                    case 6, 7:
                    {
                        final long pendingId = pendings.isEmpty() ? 999 : pendings.get(op.a() % pendings.size());
                        final boolean post = op.kind() == 6;
                        final boolean all = op.c() % 2 == 0;
                        transfers.add().id(0, ++transferId).pendingId(0, pendingId)
                            .amount(post && all ? Ledger.AMOUNT_MAX_HI : 0, post && all ? Ledger.AMOUNT_MAX_LO :
                            post ? op.c() : 0)
                            .userData64(op.d() % 3).userData32(op.e() % 3).code(op.b() % 3 == 0 ? (int)code : 0)
                            .flags(post ? TransferFlags.POST_PENDING : TransferFlags.VOID_PENDING);
                        break;
                    }
                    case 8:
                    {
                        final int links = 2 + op.d() % 3;
                        for (int i = 0; i < links; i++)
                        {
                            final boolean breaks = i == links - 1 && op.e() % 2 == 0;
                            transfers.add().id(0, ++transferId).debitAccountId(0, 1 + (op.a() + i) % accountCount)
                                .creditAccountId(0, breaks ? 1 + (op.a() + i) % accountCount :
                                1 + (op.a() + i + 1) % accountCount)
                                .amount(0, amount).userData64(i % 3).userData32(op.c() % 3).ledger(1).code(1 + i % 2)
                                .flags(i < links - 1 ? TransferFlags.LINKED : 0);
                        }
                        if (op.b() % 3 == 0)
                        {
                            transfers.add().id(0, ++transferId).debitAccountId(0, debit).creditAccountId(0, credit)
                                .amount(0, amount).userData64(2).ledger(1).code(1);
                        }
                        break;
                    }
                    case 9:
                    {
                        final int events = 1 + op.d() % 3;
                        long imported = live.lastTimestampNanos() + 1 + op.e();
                        for (int i = 0; i < events; i++)
                        {
                            transfers.add().id(0, ++transferId).debitAccountId(0, 1 + (op.a() + i) % accountCount)
                                .creditAccountId(0, 1 + (op.b() + i + 1) % accountCount).amount(0, amount)
                                .userData64(i % 3).userData32(op.c() % 3).ledger(1).code((int)code)
                                .timestamp(imported).flags(TransferFlags.IMPORTED);
                            imported += 1 + op.c();
                        }
                        break;
                    }
                    default:
                    {
                        timestamp += op.a() * 400_000_000L;
                        break;
                    }
                }
                timestamp += RECORD_STEP_NANOS;
                if (accounts.count() > 0)
                {
                    length = encoder.createAccounts(message, 0, ++correlationId, accounts);
                }
                else if (transfers.count() > 0)
                {
                    length = encoder.createTransfers(message, 0, ++correlationId, transfers);
                }
                else
                {
                    journal.append(RecordTypes.TICK, timestamp, message, 0, 0);
                    processor.apply(RecordTypes.TICK, timestamp, message, 0, 0, answer, 0);
                    continue;
                }
                journal.append(RecordTypes.MESSAGE, timestamp, message, 0, length);
                processor.apply(RecordTypes.MESSAGE, timestamp, message, 0, length, answer, 0);
            }
        }
    }

    private static long randomTimestamp(final List<Change> changes, final Ledger live, final SplittableRandom random)
    {
        final int kind = random.nextInt(10);
        if (kind < 2 || changes.isEmpty())
        {
            return 0;
        }
        if (kind == 2)
        {
            return random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE + random.nextInt(2);
        }
        if (kind == 3 && live.accountCount() > 0)
        {
            return live.accountTimestamp(random.nextInt(live.accountCount())) + random.nextInt(3) - 1;
        }
        return changes.get(random.nextInt(changes.size())).timestamp() + random.nextInt(3) - 1;
    }

    private static boolean inRange(final long timestamp, final long min, final long max)
    {
        return Long.compareUnsigned(timestamp, min) >= 0 && (0 == max || Long.compareUnsigned(timestamp, max) <= 0);
    }

    private static boolean validRange(final long min, final long max)
    {
        return min != -1 && max != -1 && (0 == max || Long.compareUnsigned(min, max) <= 0);
    }

    private static <T> List<T> page(final List<T> all, final boolean reversed, final long limit)
    {
        final List<T> ordered = new ArrayList<>(all);
        if (reversed)
        {
            java.util.Collections.reverse(ordered);
        }
        return new ArrayList<>(ordered.subList(0, (int)Math.min(limit, ordered.size())));
    }

    private static AccountFilter randomAccountFilter(
        final Ledger live, final List<Change> changes, final SplittableRandom random)
    {
        final AccountFilter filter = new AccountFilter().reset();
        final long account = 1 + random.nextInt(live.accountCount() + 1);
        filter.accountId(0, account);
        long min = randomTimestamp(changes, live, random);
        long max = randomTimestamp(changes, live, random);
        if (random.nextInt(4) > 0 && max != 0 && Long.compareUnsigned(min, max) > 0)
        {
            final long t = min;
            min = max;
            max = t;
        }
        filter.timestamps(min, max);
        filter.limit(random.nextInt(8) == 0 ? 1024 : 1 + random.nextInt(changes.size() + 2));
        final int sides = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(3);
        filter.flags(sides | (random.nextBoolean() ? AccountFilter.REVERSED : 0));
        if (random.nextInt(4) == 0)
        {
            filter.userData64(random.nextInt(3));
        }
        if (random.nextInt(4) == 0)
        {
            filter.userData32(random.nextInt(3));
        }
        if (random.nextInt(4) == 0)
        {
            filter.code(random.nextInt(3));
        }
        if (random.nextInt(6) == 0)
        {
            filter.userData128(random.nextInt(2), random.nextInt(3));
        }
        return filter;
    }

    private static boolean sideMatches(final AccountFilter filter, final Change change, final long account)
    {
        return (change.debit() == account && 0 != (filter.flags() & AccountFilter.DEBITS)) ||
            (change.credit() == account && 0 != (filter.flags() & AccountFilter.CREDITS));
    }

    private static boolean dataMatches(
        final long ud128Hi, final long ud128Lo, final long ud64, final long ud32, final int code, final Change change)
    {
        return ((0 == ud128Hi && 0 == ud128Lo) || (ud128Hi == change.ud128Hi() && ud128Lo == change.ud128Lo())) &&
            (0 == ud64 || ud64 == change.ud64()) && (0 == ud32 || ud32 == change.ud32()) &&
            (0 == code || code == change.code());
    }

    private static boolean accountFilterValid(final AccountFilter filter)
    {
        return filter.accountIdLo() != 0 && validRange(filter.timestampMin(), filter.timestampMax()) &&
            filter.limit() != 0 && 0 != (filter.flags() & (AccountFilter.DEBITS | AccountFilter.CREDITS));
    }

    private static void checkAccountTransfers(
        final QueryEngine engine, final Ledger live, final List<Change> changes, final SplittableRandom random)
    {
        final AccountFilter filter = randomAccountFilter(live, changes, random);
        final long account = filter.accountIdLo();
        final List<String> matching = new ArrayList<>();
        if (accountFilterValid(filter))
        {
            for (final Change change : changes)
            {
                if (ChangeType.TWO_PHASE_EXPIRED != change.type() && sideMatches(filter, change, account) &&
                    inRange(change.timestamp(), filter.timestampMin(), filter.timestampMax()) &&
                    dataMatches(filter.userData128Hi(), filter.userData128Lo(), filter.userData64(),
                    filter.userData32(), filter.code(), change))
                {
                    matching.add(change.transfer());
                }
            }
        }
        final List<String> expected = page(matching, 0 != (filter.flags() & AccountFilter.REVERSED), filter.limit());
        final List<String> actual = new ArrayList<>();
        engine.getAccountTransfers(filter, t -> actual.add(transfer(t)));
        assertEquals(expected, actual, "get_account_transfers " + describe(filter));
    }

    private static void checkAccountBalances(
        final QueryEngine engine, final Ledger live, final List<Change> changes, final SplittableRandom random)
    {
        final AccountFilter filter = randomAccountFilter(live, changes, random);
        final long account = filter.accountIdLo();
        final int index = live.accountIndex(0, account);
        final List<String> matching = new ArrayList<>();
        if (accountFilterValid(filter) && index >= 0 && 0 != (live.accountFlags(index) & AccountFlags.HISTORY))
        {
            for (final Change change : changes)
            {
                if (sideMatches(filter, change, account) &&
                    inRange(change.timestamp(), filter.timestampMin(), filter.timestampMax()) &&
                    dataMatches(filter.userData128Hi(), filter.userData128Lo(), filter.userData64(),
                    filter.userData32(), filter.code(), change))
                {
                    matching.add(change.timestamp() + " " +
                        (change.debit() == account ? change.debitBalances() : change.creditBalances()));
                }
            }
        }
        final List<String> expected = page(matching, 0 != (filter.flags() & AccountFilter.REVERSED), filter.limit());
        final List<String> actual = new ArrayList<>();
        engine.getAccountBalances(filter, b -> actual.add(b.timestamp() + " " +
            balances(b.debitsPendingLo(), b.debitsPostedLo(), b.creditsPendingLo(), b.creditsPostedLo())));
        assertEquals(expected, actual, "get_account_balances " + describe(filter));
    }

    private static QueryFilter randomQueryFilter(
        final Ledger live, final List<Change> changes, final SplittableRandom random)
    {
        final QueryFilter filter = new QueryFilter();
        long min = randomTimestamp(changes, live, random);
        long max = randomTimestamp(changes, live, random);
        if (random.nextInt(4) > 0 && max != 0 && Long.compareUnsigned(min, max) > 0)
        {
            final long t = min;
            min = max;
            max = t;
        }
        filter.timestamps(min, max);
        filter.limit(random.nextInt(8) == 0 ? 1024 : 1 + random.nextInt(changes.size() + live.accountCount() + 2));
        filter.flags(random.nextBoolean() ? QueryFilter.REVERSED : 0);
        filter.userData64(random.nextInt(3) == 0 ? random.nextInt(3) : 0);
        filter.userData32(random.nextInt(3) == 0 ? random.nextInt(3) : 0);
        filter.code(random.nextInt(3) == 0 ? random.nextInt(3) : 0);
        filter.ledger(random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        if (random.nextInt(6) == 0)
        {
            filter.userData128(random.nextInt(2), random.nextInt(3));
        }
        else
        {
            filter.userData128(0, 0);
        }
        return filter;
    }

    private static void checkQueryTransfers(
        final QueryEngine engine, final List<Change> changes, final SplittableRandom random)
    {
        final QueryFilter filter = randomQueryFilter(engine.ledger(), changes, random);
        final List<String> matching = new ArrayList<>();
        if (validRange(filter.timestampMin(), filter.timestampMax()))
        {
            for (final Change change : changes)
            {
                if (ChangeType.TWO_PHASE_EXPIRED != change.type() &&
                    inRange(change.timestamp(), filter.timestampMin(), filter.timestampMax()) &&
                    (0 == filter.ledger() || filter.ledger() == change.ledger()) &&
                    dataMatches(filter.userData128Hi(), filter.userData128Lo(), filter.userData64(),
                    filter.userData32(), filter.code(), change))
                {
                    matching.add(change.transfer());
                }
            }
        }
        final List<String> expected = page(matching, 0 != (filter.flags() & QueryFilter.REVERSED), filter.limit());
        final List<String> actual = new ArrayList<>();
        engine.queryTransfers(filter, t -> actual.add(transfer(t)));
        assertEquals(expected, actual, "query_transfers " + describe(filter));
    }

    private static void checkQueryAccounts(
        final QueryEngine engine, final Ledger live, final List<Change> changes, final SplittableRandom random)
    {
        final QueryFilter filter = randomQueryFilter(live, changes, random);
        final List<Integer> all = new ArrayList<>();
        for (int i = 0; i < live.accountCount(); i++)
        {
            all.add(i);
        }
        all.sort(Comparator.comparingLong(live::accountTimestamp));
        final List<String> matching = new ArrayList<>();
        if (validRange(filter.timestampMin(), filter.timestampMax()))
        {
            for (final int i : all)
            {
                final boolean ud128 = (0 == filter.userData128Hi() && 0 == filter.userData128Lo()) ||
                    (filter.userData128Hi() == live.accountUserData128Hi(i) &&
                    filter.userData128Lo() == live.accountUserData128Lo(i));
                if (ud128 && inRange(live.accountTimestamp(i), filter.timestampMin(), filter.timestampMax()) &&
                    (0 == filter.userData64() || filter.userData64() == live.accountUserData64(i)) &&
                    (0 == filter.userData32() || filter.userData32() == live.accountUserData32(i)) &&
                    (0 == filter.ledger() || filter.ledger() == live.accountLedger(i)) &&
                    (0 == filter.code() || filter.code() == live.accountCode(i)))
                {
                    matching.add("account " + live.accountIdLo(i) + " @" + live.accountTimestamp(i));
                }
            }
        }
        final List<String> expected = page(matching, 0 != (filter.flags() & QueryFilter.REVERSED), filter.limit());
        final List<String> actual = new ArrayList<>();
        engine.queryAccounts(filter, (ledger, i) -> actual.add(
            "account " + ledger.accountIdLo(i) + " @" + ledger.accountTimestamp(i)));
        assertEquals(expected, actual, "query_accounts " + describe(filter));
    }

    /**
     * An account with the history flag: its last balances are the ledger's.
     */
    private static void checkLastBalances(final QueryEngine engine, final Ledger live)
    {
        final AccountFilter filter = new AccountFilter();
        for (int i = 0; i < live.accountCount(); i++)
        {
            final List<String> last = new ArrayList<>();
            filter.reset().accountId(0, live.accountIdLo(i)).limit(1)
                .flags(AccountFilter.DEBITS | AccountFilter.CREDITS | AccountFilter.REVERSED);
            engine.getAccountBalances(filter, b -> last.add(
                balances(b.debitsPendingLo(), b.debitsPostedLo(), b.creditsPendingLo(), b.creditsPostedLo())));
            if (0 != (live.accountFlags(i) & AccountFlags.HISTORY) && !last.isEmpty())
            {
                assertEquals(balances(live.debitsPendingLo(i), live.debitsPostedLo(i), live.creditsPendingLo(i),
                    live.creditsPostedLo(i)), last.get(0), "last balances of account " + live.accountIdLo(i));
            }
            else if (0 == (live.accountFlags(i) & AccountFlags.HISTORY))
            {
                assertEquals(List.of(), last, "balances of account " + live.accountIdLo(i) + " without history");
            }
        }
    }

    private static String transfer(final StoredTransfer t)
    {
        return "transfer " + t.idLo() + " @" + t.timestamp() + " " + t.debitAccountIdLo() + "->" +
            t.creditAccountIdLo() + " amount " + t.amountLo() + " pending " + t.pendingIdLo() + " ud " +
            t.userData128Hi() + "/" + t.userData128Lo() + "/" + t.userData64() + "/" + t.userData32() + " ledger " +
            t.ledger() + " code " + t.code() + " flags " + t.flags();
    }

    private static String balances(
        final long debitsPending, final long debitsPosted, final long creditsPending, final long creditsPosted)
    {
        return "dp " + debitsPending + " dP " + debitsPosted + " cp " + creditsPending + " cP " + creditsPosted;
    }

    private static String describe(final AccountFilter f)
    {
        return "account " + f.accountIdLo() + " ts " + f.timestampMin() + ".." + f.timestampMax() + " limit " +
            f.limit() + " flags " + f.flags() + " ud " + f.userData128Hi() + "/" + f.userData128Lo() + "/" +
            f.userData64() + "/" + f.userData32() + " code " + f.code();
    }

    private static String describe(final QueryFilter f)
    {
        return "ts " + f.timestampMin() + ".." + f.timestampMax() + " limit " + f.limit() + " flags " + f.flags() +
            " ud " + f.userData128Hi() + "/" + f.userData128Lo() + "/" + f.userData64() + "/" + f.userData32() +
            " ledger " + f.ledger() + " code " + f.code();
    }
}
