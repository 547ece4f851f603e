package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plainly written reference model of the {@link Ledger}: hash maps, lists, objects, an undo list of lambdas and
 * a sort for expiry. It mirrors the documented check order and nothing else; the property test runs it beside the
 * ledger and compares.
 */
final class LedgerModel
{
    record AccountEvent(long id, long userData, long ledger, int code, int flags)
    {
    }

    record TransferEvent(
        long id, long debitAccountId, long creditAccountId, long amount, long pendingId, long userData,
        long ledger, long timeoutSeconds, int code, int flags)
    {
    }

    static final class Account
    {
        long id;
        long userData;
        long ledger;
        int code;
        int flags;
        long timestamp;
        long debitsPending;
        long debitsPosted;
        long creditsPending;
        long creditsPosted;
    }

    static final class Transfer
    {
        long id;
        long debitAccountId;
        long creditAccountId;
        long amount;
        long pendingId;
        long userData;
        long ledger;
        long timeoutSeconds;
        int code;
        int flags;
        long timestamp;
        PendingState state = PendingState.NONE;
        long expiresAt;
    }

    final int maxAccounts;
    final int maxTransfers;
    final int maxPendingTransfers;
    final Map<Long, Account> accounts = new HashMap<>();
    final List<Account> accountList = new ArrayList<>();
    final Map<Long, Transfer> transfers = new HashMap<>();
    /** Ids of transfers that failed on a transient error: never to succeed (each takes a record in the ledger). */
    final Set<Long> failedIds = new HashSet<>();
    final List<Transfer> transferList = new ArrayList<>();
    long lastTimestamp;
    long clock;
    long[] resultTimestamps;
    private long existsTimestamp;

    LedgerModel(final int maxAccounts, final int maxTransfers, final int maxPendingTransfers)
    {
        this.maxAccounts = maxAccounts;
        this.maxTransfers = maxTransfers;
        this.maxPendingTransfers = maxPendingTransfers;
    }

    final List<Transfer> holding = new ArrayList<>();

    int pendingCount()
    {
        return holding.size();
    }

    void tick(final long recordTimestamp)
    {
        expire(recordTimestamp);
        clock = Math.max(clock, Math.max(recordTimestamp, lastTimestamp));
    }

    /**
     * Close, or re-open, the accounts a pending transfer's closing flags name.
     */
    private void closeAccounts(final Transfer t, final boolean closed)
    {
        if ((t.flags & TransferFlags.CLOSING_DEBIT) != 0)
        {
            final Account dr = accounts.get(t.debitAccountId);
            dr.flags = closed ? dr.flags | AccountFlags.CLOSED : dr.flags & ~AccountFlags.CLOSED;
        }
        if ((t.flags & TransferFlags.CLOSING_CREDIT) != 0)
        {
            final Account cr = accounts.get(t.creditAccountId);
            cr.flags = closed ? cr.flags | AccountFlags.CLOSED : cr.flags & ~AccountFlags.CLOSED;
        }
    }

    private void expire(final long recordTimestamp)
    {
        final List<Transfer> due = new ArrayList<>();
        for (final Transfer t : holding)
        {
            if (t.timeoutSeconds != 0 && t.expiresAt <= recordTimestamp)
            {
                due.add(t);
            }
        }
        due.sort(Comparator.comparingLong((Transfer t) -> t.expiresAt).thenComparingLong(t -> t.timestamp));
        for (final Transfer t : due)
        {
            accounts.get(t.debitAccountId).debitsPending -= t.amount;
            accounts.get(t.creditAccountId).creditsPending -= t.amount;
            closeAccounts(t, false);
            t.state = PendingState.EXPIRED;
            holding.remove(t);
            // Each expiry takes a timestamp of its own.
            lastTimestamp = Math.max(recordTimestamp, lastTimestamp + 1);
        }
    }

    private void endBatch(final long recordTimestamp, final long base, final int count)
    {
        if (count > 0)
        {
            lastTimestamp = base + count - 1;
        }
        clock = Math.max(clock, Math.max(recordTimestamp, lastTimestamp));
    }

    CreateAccountResult[] createAccounts(final List<AccountEvent> events, final long recordTimestamp)
    {
        expire(recordTimestamp);
        final int n = events.size();
        final long base = Math.max(recordTimestamp, lastTimestamp + 1);
        final CreateAccountResult[] results = new CreateAccountResult[n];
        resultTimestamps = new long[n];

        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end < n - 1 && (events.get(end).flags() & AccountFlags.LINKED) != 0)
            {
                end++;
            }
            final boolean open = (events.get(end).flags() & AccountFlags.LINKED) != 0;
            final List<Runnable> undo = new ArrayList<>();
            for (int k = start; k <= end; k++)
            {
                final CreateAccountResult r = open && k == end ?
                    CreateAccountResult.LINKED_EVENT_CHAIN_OPEN : createAccount(events.get(k), base + k, undo);
                if (r == CreateAccountResult.OK)
                {
                    results[k] = r;
                    resultTimestamps[k] = base + k;
                    continue;
                }
                for (int u = undo.size() - 1; u >= 0; u--)
                {
                    undo.get(u).run();
                }
                for (int m = start; m <= end; m++)
                {
                    results[m] = open && m == end ?
                        CreateAccountResult.LINKED_EVENT_CHAIN_OPEN : CreateAccountResult.LINKED_EVENT_FAILED;
                    resultTimestamps[m] = base + m;
                }
                results[k] = r;
                resultTimestamps[k] = r == CreateAccountResult.EXISTS ? existsTimestamp : base + k;
                break;
            }
            start = end + 1;
        }

        endBatch(recordTimestamp, base, n);
        return results;
    }

    private CreateAccountResult createAccount(final AccountEvent e, final long timestamp, final List<Runnable> undo)
    {
        if ((e.flags() & ~(7 | AccountFlags.CLOSED)) != 0)
        {
            return CreateAccountResult.RESERVED_FLAG;
        }
        if (e.id() == 0)
        {
            return CreateAccountResult.ID_MUST_NOT_BE_ZERO;
        }
        if (e.id() == Long.MAX_VALUE)
        {
            return CreateAccountResult.ID_MUST_NOT_BE_INT_MAX;
        }
        final Account existing = accounts.get(e.id());
        if (existing != null)
        {
            if (existing.flags != e.flags())
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (existing.userData != e.userData())
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA;
            }
            if (existing.ledger != e.ledger())
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_LEDGER;
            }
            if (existing.code != e.code())
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_CODE;
            }
            existsTimestamp = existing.timestamp;
            return CreateAccountResult.EXISTS;
        }
        if ((e.flags() & 2) != 0 && (e.flags() & 4) != 0)
        {
            return CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (e.ledger() == 0)
        {
            return CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (e.code() == 0)
        {
            return CreateAccountResult.CODE_MUST_NOT_BE_ZERO;
        }
        if (accounts.size() >= maxAccounts)
        {
            return CreateAccountResult.ACCOUNTS_FULL;
        }
        final Account a = new Account();
        a.id = e.id();
        a.userData = e.userData();
        a.ledger = e.ledger();
        a.code = e.code();
        a.flags = e.flags();
        a.timestamp = timestamp;
        accounts.put(a.id, a);
        accountList.add(a);
        undo.add(() ->
        {
            accounts.remove(a.id);
            accountList.remove(accountList.size() - 1);
        });
        return CreateAccountResult.OK;
    }

    CreateTransferResult[] createTransfers(final List<TransferEvent> events, final long recordTimestamp)
    {
        expire(recordTimestamp);
        final int n = events.size();
        final long base = Math.max(recordTimestamp, lastTimestamp + 1);
        final CreateTransferResult[] results = new CreateTransferResult[n];
        resultTimestamps = new long[n];

        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end < n - 1 && (events.get(end).flags() & TransferFlags.LINKED) != 0)
            {
                end++;
            }
            final boolean open = (events.get(end).flags() & TransferFlags.LINKED) != 0;
            final List<Runnable> undo = new ArrayList<>();
            for (int k = start; k <= end; k++)
            {
                final CreateTransferResult r = open && k == end ?
                    CreateTransferResult.LINKED_EVENT_CHAIN_OPEN : createTransfer(events.get(k), base + k, undo);
                if (r == CreateTransferResult.OK)
                {
                    results[k] = r;
                    resultTimestamps[k] = base + k;
                    continue;
                }
                for (int u = undo.size() - 1; u >= 0; u--)
                {
                    undo.get(u).run();
                }
                for (int m = start; m <= end; m++)
                {
                    results[m] = open && m == end ?
                        CreateTransferResult.LINKED_EVENT_CHAIN_OPEN : CreateTransferResult.LINKED_EVENT_FAILED;
                    resultTimestamps[m] = base + m;
                }
                results[k] = isTransient(r) ? fail(events.get(k).id(), r) : r;
                resultTimestamps[k] = r == CreateTransferResult.EXISTS ? existsTimestamp : base + k;
                break;
            }
            start = end + 1;
        }

        endBatch(recordTimestamp, base, n);
        return results;
    }

    /**
     * TigerBeetle's transient errors: they depend on the state at the time, so the id is kept as failed.
     */
    static boolean isTransient(final CreateTransferResult r)
    {
        return r == CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND || r == CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND ||
            r == CreateTransferResult.PENDING_TRANSFER_NOT_FOUND || r == CreateTransferResult.EXCEEDS_CREDITS ||
            r == CreateTransferResult.EXCEEDS_DEBITS || r == CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED ||
            r == CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
    }

    private CreateTransferResult fail(final long id, final CreateTransferResult r)
    {
        if (transfers.size() + failedIds.size() >= maxTransfers)
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }
        failedIds.add(id);
        return r;
    }

    private CreateTransferResult createTransfer(
        final TransferEvent e, final long timestamp, final List<Runnable> undo)
    {
        final int flags = e.flags();
        if ((flags & ~255) != 0)
        {
            return CreateTransferResult.RESERVED_FLAG;
        }
        if (e.id() == 0)
        {
            return CreateTransferResult.ID_MUST_NOT_BE_ZERO;
        }
        if (e.id() == Long.MAX_VALUE)
        {
            return CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
        }
        final boolean pending = (flags & TransferFlags.PENDING) != 0;
        final boolean post = (flags & TransferFlags.POST_PENDING) != 0;
        final boolean isVoid = (flags & TransferFlags.VOID_PENDING) != 0;
        if (failedIds.contains(e.id()))
        {
            return CreateTransferResult.ID_ALREADY_FAILED;
        }
        final Transfer existing = transfers.get(e.id());
        if (existing != null)
        {
            return exists(existing, e, post || isVoid);
        }
        final boolean balancingDebit = (flags & TransferFlags.BALANCING_DEBIT) != 0;
        final boolean balancingCredit = (flags & TransferFlags.BALANCING_CREDIT) != 0;
        final boolean closingDebit = (flags & TransferFlags.CLOSING_DEBIT) != 0;
        final boolean closingCredit = (flags & TransferFlags.CLOSING_CREDIT) != 0;
        if ((pending ? 1 : 0) + (post ? 1 : 0) + (isVoid ? 1 : 0) > 1 ||
            ((balancingDebit || balancingCredit || closingDebit || closingCredit) && (post || isVoid)))
        {
            return CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (post || isVoid)
        {
            return postOrVoid(e, timestamp, post, undo);
        }

        if (e.debitAccountId() == 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (e.debitAccountId() == Long.MAX_VALUE)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (e.creditAccountId() == 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (e.creditAccountId() == Long.MAX_VALUE)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (e.debitAccountId() == e.creditAccountId())
        {
            return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (e.pendingId() != 0)
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
        }
        if (e.timeoutSeconds() != 0 && !pending)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if ((closingDebit || closingCredit) && !pending)
        {
            return CreateTransferResult.CLOSING_TRANSFER_MUST_BE_PENDING;
        }
        if (e.amount() < 0)
        {
            return CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        if (e.ledger() == 0)
        {
            return CreateTransferResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (e.code() == 0)
        {
            return CreateTransferResult.CODE_MUST_NOT_BE_ZERO;
        }
        final Account dr = accounts.get(e.debitAccountId());
        if (dr == null)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND;
        }
        final Account cr = accounts.get(e.creditAccountId());
        if (cr == null)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (dr.ledger != cr.ledger)
        {
            return CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
        }
        if (e.ledger() != dr.ledger)
        {
            return CreateTransferResult.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
        }
        if ((dr.flags & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if ((cr.flags & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        // Balancing: as much of the amount asked as keeps the limited side within its balance, in BigInteger so
        // that no shortcut of the ledger's is repeated here.
        BigInteger most = BigInteger.valueOf(e.amount());
        if (balancingDebit)
        {
            most = most.min(BigInteger.valueOf(dr.creditsPosted)
                .subtract(BigInteger.valueOf(dr.debitsPending)).subtract(BigInteger.valueOf(dr.debitsPosted))
                .max(BigInteger.ZERO));
        }
        if (balancingCredit)
        {
            most = most.min(BigInteger.valueOf(cr.debitsPosted)
                .subtract(BigInteger.valueOf(cr.creditsPending)).subtract(BigInteger.valueOf(cr.creditsPosted))
                .max(BigInteger.ZERO));
        }
        final long amount = most.longValueExact();
        if (pending)
        {
            if (overflows(dr.debitsPending, amount))
            {
                return CreateTransferResult.OVERFLOWS_DEBITS_PENDING;
            }
            if (overflows(cr.creditsPending, amount))
            {
                return CreateTransferResult.OVERFLOWS_CREDITS_PENDING;
            }
        }
        if (overflows(dr.debitsPosted, amount))
        {
            return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
        }
        if (overflows(cr.creditsPosted, amount))
        {
            return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
        }
        if (overflows(dr.debitsPending + dr.debitsPosted, amount))
        {
            return CreateTransferResult.OVERFLOWS_DEBITS;
        }
        if (overflows(cr.creditsPending + cr.creditsPosted, amount))
        {
            return CreateTransferResult.OVERFLOWS_CREDITS;
        }
        long expiresAt = 0;
        if (pending && e.timeoutSeconds() != 0)
        {
            try
            {
                expiresAt = Math.addExact(timestamp, Math.multiplyExact(e.timeoutSeconds(), 1_000_000_000L));
            }
            catch (final ArithmeticException ex)
            {
                return CreateTransferResult.OVERFLOWS_TIMEOUT;
            }
        }
        if ((dr.flags & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            dr.debitsPending + dr.debitsPosted + amount > dr.creditsPosted)
        {
            return CreateTransferResult.EXCEEDS_CREDITS;
        }
        if ((cr.flags & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            cr.creditsPending + cr.creditsPosted + amount > cr.debitsPosted)
        {
            return CreateTransferResult.EXCEEDS_DEBITS;
        }
        if (transfers.size() + failedIds.size() >= maxTransfers)
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }
        if (pending && pendingCount() >= maxPendingTransfers)
        {
            return CreateTransferResult.PENDING_TRANSFERS_FULL;
        }

        final Transfer t = new Transfer();
        t.id = e.id();
        t.debitAccountId = e.debitAccountId();
        t.creditAccountId = e.creditAccountId();
        t.amount = amount;
        t.pendingId = 0;
        t.userData = e.userData();
        t.ledger = e.ledger();
        t.timeoutSeconds = e.timeoutSeconds();
        t.code = e.code();
        t.flags = flags;
        t.timestamp = timestamp;
        t.expiresAt = expiresAt;
        if (pending)
        {
            t.state = PendingState.PENDING;
            dr.debitsPending += amount;
            cr.creditsPending += amount;
            holding.add(t);
            closeAccounts(t, true);
            undo.add(() ->
            {
                dr.debitsPending -= amount;
                cr.creditsPending -= amount;
                holding.remove(t);
                closeAccounts(t, false);
            });
        }
        else
        {
            dr.debitsPosted += amount;
            cr.creditsPosted += amount;
            undo.add(() ->
            {
                dr.debitsPosted -= amount;
                cr.creditsPosted -= amount;
            });
        }
        store(t, undo);
        return CreateTransferResult.OK;
    }

    private CreateTransferResult postOrVoid(
        final TransferEvent e, final long timestamp, final boolean post, final List<Runnable> undo)
    {
        if (e.pendingId() == 0)
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (e.pendingId() == Long.MAX_VALUE)
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
        }
        if (e.pendingId() == e.id())
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (e.timeoutSeconds() != 0)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (e.amount() < 0)
        {
            return CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        final Transfer p = transfers.get(e.pendingId());
        if (p == null)
        {
            return CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
        }
        if ((p.flags & TransferFlags.PENDING) == 0)
        {
            return CreateTransferResult.PENDING_TRANSFER_NOT_PENDING;
        }
        if (e.debitAccountId() != 0 && e.debitAccountId() != p.debitAccountId)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (e.creditAccountId() != 0 && e.creditAccountId() != p.creditAccountId)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (e.ledger() != 0 && e.ledger() != p.ledger)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
        }
        if (e.code() != 0 && e.code() != p.code)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
        }
        // A post of AMOUNT_MAX posts all, of 0 nothing; a void of 0 is of the pending amount.
        final long actual = post ? (e.amount() == Long.MAX_VALUE ? p.amount : e.amount()) :
            (e.amount() == 0 ? p.amount : e.amount());
        if (actual > p.amount)
        {
            return CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (!post && actual < p.amount)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        if (p.state == PendingState.POSTED)
        {
            return CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
        }
        if (p.state == PendingState.VOIDED)
        {
            return CreateTransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
        }
        if (p.state == PendingState.EXPIRED || (p.timeoutSeconds != 0 && p.expiresAt <= timestamp))
        {
            return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
        }
        final Account dr = accounts.get(p.debitAccountId);
        final Account cr = accounts.get(p.creditAccountId);
        if (post && (dr.flags & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if (post && (cr.flags & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        if (transfers.size() + failedIds.size() >= maxTransfers)
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }

        final long posted = post ? actual : 0;
        dr.debitsPending -= p.amount;
        cr.creditsPending -= p.amount;
        dr.debitsPosted += posted;
        cr.creditsPosted += posted;
        p.state = post ? PendingState.POSTED : PendingState.VOIDED;
        holding.remove(p);
        if (!post)
        {
            closeAccounts(p, false);
        }
        undo.add(() ->
        {
            if (!post)
            {
                closeAccounts(p, true);
            }
            holding.add(p);
            dr.debitsPending += p.amount;
            cr.creditsPending += p.amount;
            dr.debitsPosted -= posted;
            cr.creditsPosted -= posted;
            p.state = PendingState.PENDING;
        });

        final Transfer t = new Transfer();
        t.id = e.id();
        t.debitAccountId = p.debitAccountId;
        t.creditAccountId = p.creditAccountId;
        t.amount = post ? posted : p.amount;
        t.pendingId = e.pendingId();
        t.userData = e.userData() != 0 ? e.userData() : p.userData;
        t.ledger = p.ledger;
        t.timeoutSeconds = 0;
        t.code = p.code;
        t.flags = e.flags();
        t.timestamp = timestamp;
        store(t, undo);
        return CreateTransferResult.OK;
    }

    private void store(final Transfer t, final List<Runnable> undo)
    {
        transfers.put(t.id, t);
        transferList.add(t);
        undo.add(() ->
        {
            transfers.remove(t.id);
            transferList.remove(transferList.size() - 1);
        });
    }

    private CreateTransferResult exists(final Transfer s, final TransferEvent e, final boolean inherits)
    {
        if (s.flags != e.flags())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (s.pendingId != e.pendingId())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (s.timeoutSeconds != e.timeoutSeconds())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        if (differs(inherits, e.debitAccountId(), s.debitAccountId))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (differs(inherits, e.creditAccountId(), s.creditAccountId))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        final boolean balancing = (s.flags & (TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT)) != 0;
        final boolean asPending = inherits &&
            e.amount() == ((e.flags() & TransferFlags.POST_PENDING) != 0 ? Long.MAX_VALUE : 0);
        if (balancing ? e.amount() < s.amount :
            asPending ? s.amount != transfers.get(e.pendingId()).amount : e.amount() != s.amount)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        final long expectedUserData = inherits && e.userData() == 0 ?
            transfers.get(e.pendingId()).userData : e.userData();
        if (s.userData != expectedUserData)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA;
        }
        if (differs(inherits, e.ledger(), s.ledger))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if (differs(inherits, e.code(), s.code))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
        }
        existsTimestamp = s.timestamp;
        return CreateTransferResult.EXISTS;
    }

    private static boolean differs(final boolean inherits, final long given, final long stored)
    {
        return !(inherits && given == 0) && given != stored;
    }

    private static boolean overflows(final long balance, final long amount)
    {
        try
        {
            Math.addExact(balance, amount);
            return false;
        }
        catch (final ArithmeticException ex)
        {
            return true;
        }
    }
}
