package io.paycore.replay.query;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.UInt128;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.AuditRuns;
import io.paycore.replay.audit.Auditor;
import io.paycore.replay.feed.ChangeFeedContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryEngineTest
{
    @TempDir
    static Path temp;

    private static AuditRuns.Run run;
    private static QueryEngine engine;
    /** Every transfer the ledger created, in order, as the model sees it. */
    private static final List<Created> CREATED = new ArrayList<>();
    /** Every change's timestamp, with the accounts it touched and their balances after it. */
    private static final List<Change> CHANGES = new ArrayList<>();

    record Created(long timestamp, long id, long debit, long credit, long userData64, long ledger, int code) { }

    record Change(long timestamp, long debit, long credit, String debitBalances, String creditBalances, long ud64,
        boolean history) { }

    @BeforeAll
    static void replay()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        run = AuditRuns.write(directory, 300, 11);
        final Ledger model = new Ledger(AuditRuns.limits());
        model.changeListener(change ->
        {
            if (ChangeType.TWO_PHASE_EXPIRED != change.type())
            {
                CREATED.add(new Created(change.timestampNanos(), change.transferIdLo(), change.debitAccountIdLo(),
                    change.creditAccountIdLo(), change.userData64(), change.ledger(), change.code()));
            }
            CHANGES.add(new Change(change.timestampNanos(), change.debitAccountIdLo(), change.creditAccountIdLo(),
                balances(change.debitAccountDebitsPendingLo(), change.debitAccountDebitsPostedLo(),
                change.debitAccountCreditsPendingLo(), change.debitAccountCreditsPostedLo()),
                balances(change.creditAccountDebitsPendingLo(), change.creditAccountDebitsPostedLo(),
                change.creditAccountCreditsPendingLo(), change.creditAccountCreditsPostedLo()), change.userData64(),
                false));
        });
        final LedgerRecordHandler applier = new LedgerRecordHandler(new CommandProcessor(model));
        for (final AuditRuns.Record record : run.records)
        {
            applier.onRecord(record.type, record.sequence, record.timestampNanos, new UnsafeBuffer(record.payload), 0,
                record.payload.length);
        }

        engine = QueryEngine.open(new ChangeFeedContext().directory(directory).limits(AuditRuns.limits())
            .coldTierSizeBytes(0), temp.resolve("store"));
        while (engine.poll(7) > 0)
        {
            // to the end
        }
    }

    @AfterAll
    static void close()
    {
        engine.close();
    }

    @Test
    void shouldBeCaughtUpWithEveryWrite()
    {
        assertEquals(run.lastSequence, engine.asOfSequence());
        assertEquals(run.ledger.lastTimestampNanos(), engine.lastTimestampNanos(), "read your writes");
        assertEquals(CREATED.size(), engine.transferCount());
    }

    @Test
    void shouldGetAnAccountsTransfersAsTigerBeetleDefinesThem()
    {
        final AccountFilter filter = new AccountFilter();
        for (long account = 1; account <= AuditRuns.ACCOUNTS_A + AuditRuns.ACCOUNTS_B; account += 3)
        {
            final long a = account;
            assertTrue(check(filter.reset().accountId(0, a).limit(1024)
                .flags(AccountFilter.DEBITS | AccountFilter.CREDITS), t -> t.debit == a || t.credit == a) > 5);
            check(filter.reset().accountId(0, a).limit(1024).flags(AccountFilter.DEBITS), t -> t.debit == a);
            check(filter.reset().accountId(0, a).limit(1024).flags(AccountFilter.CREDITS | AccountFilter.REVERSED),
                t -> t.credit == a);
            check(filter.reset().accountId(0, a).limit(5).flags(AccountFilter.DEBITS | AccountFilter.CREDITS),
                t -> t.debit == a || t.credit == a);
        }

        final long middle = CREATED.get(CREATED.size() / 2).timestamp;
        final long late = CREATED.get(CREATED.size() * 3 / 4).timestamp;
        assertTrue(check(filter.reset().accountId(0, 2).timestamps(middle, late).limit(1024)
            .flags(AccountFilter.DEBITS | AccountFilter.CREDITS | AccountFilter.REVERSED),
            t -> (t.debit == 2 || t.credit == 2) && t.timestamp >= middle && t.timestamp <= late) > 0);
        filter.reset().accountId(0, 2).limit(1024).flags(AccountFilter.DEBITS | AccountFilter.CREDITS);
        filter.userData64(CREATED.stream().filter(t -> t.debit == 2).findFirst().orElseThrow().userData64);
        assertTrue(check(filter, t -> (t.debit == 2 || t.credit == 2) && t.userData64 == filter.userData64()) > 0);

        // TigerBeetle's invalid filters match nothing.
        assertEquals(0, engine.getAccountTransfers(filter.reset().accountId(0, 2).limit(1024), t -> { }),
            "neither debits nor credits");
        assertEquals(0, engine.getAccountTransfers(filter.reset().accountId(0, 0).limit(10).flags(3), t -> { }));
        assertEquals(0, engine.getAccountTransfers(filter.reset().accountId(0, 2).limit(0).flags(3), t -> { }));
        assertEquals(0, engine.getAccountTransfers(filter.reset().accountId(0, 2).limit(10).flags(3)
            .timestamps(late, middle), t -> { }), "min above max");
        assertEquals(0, engine.getAccountTransfers(filter.reset().accountId(0, 999).limit(10).flags(3), t -> { }),
            "no such account");
    }

    @Test
    void shouldGetTheBalancesOfAHistoryAccountAfterEveryChange()
    {
        final AccountFilter filter = new AccountFilter();
        for (long account = 5; account <= AuditRuns.ACCOUNTS_A + AuditRuns.ACCOUNTS_B; account += 5)
        {
            final long a = account;
            final List<String> expected = CHANGES.stream().filter(c -> c.debit == a || c.credit == a)
                .map(c -> c.timestamp + " " + (c.debit == a ? c.debitBalances : c.creditBalances))
                .collect(Collectors.toList());
            final List<String> got = new ArrayList<>();
            engine.getAccountBalances(filter.reset().accountId(0, a).limit(1024).flags(3), b -> got.add(
                b.timestamp() + " " + balances(b.debitsPendingLo(), b.debitsPostedLo(), b.creditsPendingLo(),
                b.creditsPostedLo())));
            assertEquals(expected.subList(0, Math.min(1024, expected.size())), got, "account " + a);
            assertTrue(got.size() > 10, "account " + a + " has a history");
        }
        assertEquals(0, engine.getAccountBalances(filter.reset().accountId(0, 2).limit(1024).flags(3), b -> { }),
            "no history flag, no history");
    }

    @Test
    void shouldQueryTransfersAndAccountsByTheirFields()
    {
        final QueryFilter filter = new QueryFilter();
        filter.reset().limit(1024).ledger(AuditRuns.LEDGER_B);
        assertEquals(ids(CREATED.stream().filter(t -> t.ledger == AuditRuns.LEDGER_B), 1024), query(filter));

        final long middle = CREATED.get(CREATED.size() / 2).timestamp;
        filter.reset().timestamps(middle, 0).limit(50).flags(QueryFilter.REVERSED);
        final List<Long> newest = ids(CREATED.stream().filter(t -> t.timestamp >= middle), Integer.MAX_VALUE);
        final List<Long> reversed = new ArrayList<>(newest.subList(newest.size() - 50, newest.size()));
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, query(filter));

        filter.reset().limit(1024).userData64(42);
        filter.code(1);
        final List<Long> matching = ids(CREATED.stream().filter(t -> t.userData64 == 42 && t.code == 1), 1024);
        assertTrue(!matching.isEmpty());
        assertEquals(matching, query(filter));

        final List<Long> accounts = new ArrayList<>();
        filter.reset().limit(1024).ledger(AuditRuns.LEDGER_A);
        engine.queryAccounts(filter, (ledger, index) -> accounts.add(ledger.accountIdLo(index)));
        assertEquals(AuditRuns.ACCOUNTS_A, accounts.size());
        for (int i = 0; i < accounts.size(); i++)
        {
            assertEquals(i + 1, accounts.get(i), "creation order");
        }
        accounts.clear();
        filter.reset().limit(3).flags(QueryFilter.REVERSED);
        engine.queryAccounts(filter, (ledger, index) -> accounts.add(ledger.accountIdLo(index)));
        assertEquals(List.of(50L, 49L, 48L), accounts);
        assertEquals(0, engine.queryAccounts(filter.reset(), (ledger, index) -> { }), "limit 0 matches nothing");
    }

    /**
     * Timestamp bounds are uint64 on the wire: a bound at or above 2^63 (negative as a Java long), or a maximum of
     * 2^63 - 1, must bound as the unsigned number it is. Every ledger timestamp is below 2^63, so such a maximum is no
     * bound and such a minimum matches nothing.
     */
    @Test
    void shouldReadTimestampBoundsAsUnsigned()
    {
        final long[] noBound = { Long.MAX_VALUE, Long.MIN_VALUE, -2L };
        final long account = 10; // a history account
        final AccountFilter all = new AccountFilter().accountId(0, account).limit(1024).flags(3);
        final int transfers = engine.getAccountTransfers(all, t -> { });
        final int balances = engine.getAccountBalances(all, b -> { });
        final QueryFilter any = new QueryFilter().limit(1024);
        final int queried = engine.queryTransfers(any, t -> { });
        final int accounts = engine.queryAccounts(any, (l, i) -> { });
        assertTrue(transfers > 0 && balances > 0 && queried > 0 && accounts > 0);

        for (final long max : noBound)
        {
            final String bound = "timestamp max " + Long.toUnsignedString(max);
            final AccountFilter filter = new AccountFilter().accountId(0, account).limit(1024).flags(3)
                .timestamps(0, max);
            assertEquals(transfers, engine.getAccountTransfers(filter, t -> { }), bound);
            assertEquals(balances, engine.getAccountBalances(filter, b -> { }), bound);
            final QueryFilter query = new QueryFilter().limit(1024).timestamps(0, max);
            assertEquals(queried, engine.queryTransfers(query, t -> { }), bound);
            assertEquals(accounts, engine.queryAccounts(query, (l, i) -> { }), bound);
            query.flags(QueryFilter.REVERSED);
            assertEquals(queried, engine.queryTransfers(query, t -> { }), bound + ", reversed");
        }

        for (final long min : new long[]{ Long.MIN_VALUE, -2L })
        {
            final String bound = "timestamp min " + Long.toUnsignedString(min);
            final AccountFilter filter = new AccountFilter().accountId(0, account).limit(1024).flags(3)
                .timestamps(min, 0);
            assertEquals(0, engine.getAccountTransfers(filter, t -> { }), bound);
            assertEquals(0, engine.getAccountBalances(filter, b -> { }), bound);
            final QueryFilter query = new QueryFilter().limit(1024).timestamps(min, 0);
            assertEquals(0, engine.queryTransfers(query, t -> { }), bound);
            assertEquals(0, engine.queryAccounts(query, (l, i) -> { }), bound);
            query.flags(QueryFilter.REVERSED);
            assertEquals(0, engine.queryTransfers(query, t -> { }), bound + ", reversed");
        }
    }

    @Test
    void shouldGiveTheHistoryTheAuditGivesForTheSameAccount()
    {
        final long account = 10; // a history account
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final AuditReport report = Auditor.run(new AuditContext().directory(new DataDirectory(temp.resolve("data")))
            .limits(AuditRuns.limits()).accountId(BigInteger.valueOf(account))
            .historyOut(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        assertNull(report.damage());
        final List<String[]> lines = printed.toString(StandardCharsets.UTF_8).lines()
            .map(String::trim).map(line -> line.split("\\s+"))
            .filter(words -> words.length >= 14 && words[0].matches("\\d+"))
            .collect(Collectors.toList());

        final List<String> auditTransfers = lines.stream()
            .filter(w -> "OK".equals(w[9]) && !"ACCOUNT".equals(w[2]) && !"EXPIRE".equals(w[2]))
            .map(w -> w[3]).collect(Collectors.toList());
        final List<String> queried = new ArrayList<>();
        engine.getAccountTransfers(new AccountFilter().accountId(0, account).limit(1024).flags(3),
            t -> queried.add(UInt128.toString(t.idHi(), t.idLo())));
        assertEquals(auditTransfers, queried, "audit --account and GetAccountTransfers: the same transfers");
        assertTrue(queried.size() > 10, "account " + account + " took part in transfers: " + queried.size());

        final List<String> auditBalances = lines.stream()
            .filter(w -> ("OK".equals(w[9]) || "EXPIRED".equals(w[9])) && !"ACCOUNT".equals(w[2]))
            .map(w -> w[10] + "/" + w[11] + "/" + w[12] + "/" + w[13]).collect(Collectors.toList());
        final List<String> balances = new ArrayList<>();
        engine.getAccountBalances(new AccountFilter().accountId(0, account).limit(1024).flags(3),
            b -> balances.add(UInt128.toString(b.debitsPendingHi(), b.debitsPendingLo()) + "/" +
            UInt128.toString(b.debitsPostedHi(), b.debitsPostedLo()) + "/" +
            UInt128.toString(b.creditsPendingHi(), b.creditsPendingLo()) + "/" +
            UInt128.toString(b.creditsPostedHi(), b.creditsPostedLo())));
        assertEquals(auditBalances, balances, "audit --account's running balances and GetAccountBalances");
        assertTrue(balances.size() > queried.size(), "expiries change balances too: " + balances.size());
        assertTrue(0 != (run.ledger.accountFlags(run.ledger.accountIndex(0, account)) & AccountFlags.HISTORY));
    }

    @Test
    void shouldStopAQueryAtItsMostEntriesAndNameWhere()
    {
        try
        {
            final QueryFilter none = new QueryFilter();
            none.reset().limit(10).userData64(987_654_321);
            engine.maxScan(100);
            assertEquals(List.of(), query(none));
            assertTrue(engine.scanCut(), "more to read, limit not reached");
            assertEquals(100, engine.scanned());
            final long cut = CREATED.get(99).timestamp;
            assertEquals(cut, engine.scanCutTimestamp(), "the last transfer read");

            // Up to where it stopped: the same 100 transfers, all of them, so not cut.
            none.timestamps(0, cut);
            assertEquals(List.of(), query(none));
            assertFalse(engine.scanCut());
            assertEquals(100, engine.scanned());
            assertEquals(0, engine.scanCutTimestamp());
            none.timestamps(cut + 1, 0);
            query(none);
            assertTrue(engine.scanCut());
            assertEquals(CREATED.get(199).timestamp, engine.scanCutTimestamp(), "on from there");

            none.timestamps(0, 0).flags(QueryFilter.REVERSED);
            query(none);
            assertTrue(engine.scanCut());
            assertEquals(CREATED.get(CREATED.size() - 100).timestamp, engine.scanCutTimestamp(), "newest first");

            // A limit reached within the budget is not a cut.
            final QueryFilter all = new QueryFilter();
            all.reset().limit(5);
            engine.maxScan(5);
            assertEquals(5, query(all).size());
            assertFalse(engine.scanCut());

            final List<Long> paged = new ArrayList<>();
            engine.maxScan(37);
            long from = 0;
            final QueryFilter some = new QueryFilter();
            while (true)
            {
                some.reset().limit(1024).userData64(42);
                some.timestamps(from, 0);
                final List<Long> page = query(some);
                if (!engine.scanCut())
                {
                    paged.addAll(page);
                    break;
                }
                final long at = engine.scanCutTimestamp();
                some.timestamps(from, at);
                paged.addAll(query(some));
                assertFalse(engine.scanCut(), "up to the cut is within the budget");
                from = at + 1;
            }
            assertEquals(ids(CREATED.stream().filter(t -> t.userData64 == 42), Integer.MAX_VALUE), paged,
                "paging by where each query stopped loses nothing and repeats nothing");

            engine.maxScan(10);
            assertEquals(0, engine.queryAccounts(new QueryFilter().limit(10).ledger(999), (ledger, index) -> { }));
            assertTrue(engine.scanCut());
            assertEquals(run.ledger.accountTimestamp(9), engine.scanCutTimestamp(), "the tenth account");

            final long account = 10; // a history account
            final AccountFilter filter = new AccountFilter();
            engine.maxScan(3);
            filter.reset().accountId(0, account).limit(10).flags(3).userData64(987_654_321);
            assertEquals(0, engine.getAccountTransfers(filter, t -> { }));
            assertTrue(engine.scanCut());
            assertEquals(CREATED.stream().filter(t -> t.debit == account || t.credit == account).skip(2)
                .findFirst().orElseThrow().timestamp, engine.scanCutTimestamp(), "its third transfer");

            engine.maxScan(4);
            filter.reset().accountId(0, account).limit(10).flags(3).code(999);
            assertEquals(0, engine.getAccountBalances(filter, b -> { }));
            assertTrue(engine.scanCut());
            assertEquals(CHANGES.stream().filter(c -> c.debit == account || c.credit == account).skip(3)
                .findFirst().orElseThrow().timestamp, engine.scanCutTimestamp(), "its fourth change");

            assertThrows(IllegalArgumentException.class, () -> engine.maxScan(0));
        }
        finally
        {
            engine.maxScan(QueryEngine.MAX_SCAN_DEFAULT);
        }
    }

    private static int check(final AccountFilter filter, final Predicate<Created> expected)
    {
        final boolean reversed = 0 != (filter.flags() & AccountFilter.REVERSED);
        List<Long> want = ids(CREATED.stream().filter(expected), Integer.MAX_VALUE);
        if (reversed)
        {
            want = new ArrayList<>(want);
            java.util.Collections.reverse(want);
        }
        want = want.subList(0, (int)Math.min(filter.limit(), want.size()));
        final List<Long> got = new ArrayList<>();
        engine.getAccountTransfers(filter, t -> got.add(t.idLo()));
        assertEquals(want, got, "account " + filter.accountIdLo() + " flags " + filter.flags());
        return got.size();
    }

    private static List<Long> query(final QueryFilter filter)
    {
        final List<Long> got = new ArrayList<>();
        engine.queryTransfers(filter, t -> got.add(t.idLo()));
        return got;
    }

    private static List<Long> ids(final java.util.stream.Stream<Created> transfers, final int limit)
    {
        return transfers.map(Created::id).limit(limit).collect(Collectors.toList());
    }

    private static String balances(final long dp, final long dpo, final long cp, final long cpo)
    {
        return dp + "/" + dpo + "/" + cp + "/" + cpo;
    }
}
