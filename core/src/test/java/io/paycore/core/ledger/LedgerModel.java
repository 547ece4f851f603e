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
 * A plainly written reference model of the {@link Ledger}: hash maps, lists, objects, {@link BigInteger} for every
 * 128-bit value, an undo list of lambdas and a sort for expiry. It follows TigerBeetle's state machine (execute,
 * create_account, create_transfer, post_or_void_pending_transfer and their idempotency checks, in that order of
 * checks) plus what paycore adds (capacity results, the failed-id record's room), and nothing of the ledger's own
 * code; the property test runs it beside the ledger and compares.
 */
final class LedgerModel
{
    /** 2<sup>128</sup> - 1: an id no event may have, and the amount that means "all" or "as much as possible". */
    static final BigInteger MAX_128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private static final int ACCOUNT_FLAGS = AccountFlags.LINKED | AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS |
        AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS | 8 | 16 | AccountFlags.CLOSED;
    private static final int ACCOUNT_IMPORTED = 16;
    private static final int TRANSFER_FLAGS = 0x1FF;
    private static final int TRANSFER_IMPORTED = 256;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    record AccountEvent(
        BigInteger id, BigInteger debitsPending, BigInteger debitsPosted, BigInteger creditsPending,
        BigInteger creditsPosted, BigInteger userData128, long userData64, long userData32, long reserved,
        long ledger, int code, int flags, long timestamp)
    {
        /**
         * An account event with every balance, the reserved field and the timestamp 0.
         */
        static AccountEvent of(
            final BigInteger id, final BigInteger userData128, final long userData64, final long userData32,
            final long ledger, final int code, final int flags)
        {
            return new AccountEvent(id, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
                userData128, userData64, userData32, 0, ledger, code, flags, 0);
        }
    }

    record TransferEvent(
        BigInteger id, BigInteger debitAccountId, BigInteger creditAccountId, BigInteger amount, BigInteger pendingId,
        BigInteger userData128, long userData64, long userData32, long timeoutSeconds, long ledger, int code,
        int flags, long timestamp)
    {
    }

    static final class Account
    {
        BigInteger id;
        BigInteger userData128;
        long userData64;
        long userData32;
        long ledger;
        int code;
        int flags;
        long timestamp;
        BigInteger debitsPending = BigInteger.ZERO;
        BigInteger debitsPosted = BigInteger.ZERO;
        BigInteger creditsPending = BigInteger.ZERO;
        BigInteger creditsPosted = BigInteger.ZERO;
    }

    static final class Transfer
    {
        BigInteger id;
        BigInteger debitAccountId;
        BigInteger creditAccountId;
        BigInteger amount;
        BigInteger pendingId;
        BigInteger userData128;
        long userData64;
        long userData32;
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
    final Map<BigInteger, Account> accounts = new HashMap<>();
    final List<Account> accountList = new ArrayList<>();
    final Map<BigInteger, Transfer> transfers = new HashMap<>();
    /** Ids of transfers that failed on a transient error: never to succeed (each takes a record in the ledger). */
    final Set<BigInteger> failedIds = new HashSet<>();
    final List<Transfer> transferList = new ArrayList<>();
    final List<Transfer> holding = new ArrayList<>();
    long lastTimestamp;
    /**
     * The timestamp of the last transfer created or expired: an imported transfer must come after it (TigerBeetle:
     * after the last transfer; paycore also after the last expiry, whose change event the timestamp identifies),
     * and so must an imported account (TigerBeetle only refuses a transfer's exact timestamp, which paycore cannot
     * look up once the transfer is in the cold tier: the one rule where paycore is stricter).
     */
    long lastTransferTimestamp;
    long clock;
    long[] resultTimestamps;
    private long existsTimestamp;

    LedgerModel(final int maxAccounts, final int maxTransfers, final int maxPendingTransfers)
    {
        this.maxAccounts = maxAccounts;
        this.maxTransfers = maxTransfers;
        this.maxPendingTransfers = maxPendingTransfers;
    }

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
            final Account dr = accounts.get(t.debitAccountId);
            final Account cr = accounts.get(t.creditAccountId);
            dr.debitsPending = dr.debitsPending.subtract(t.amount);
            cr.creditsPending = cr.creditsPending.subtract(t.amount);
            closeAccounts(t, false);
            t.state = PendingState.EXPIRED;
            holding.remove(t);
            // Each expiry takes a timestamp of its own.
            lastTimestamp = Math.max(recordTimestamp, lastTimestamp + 1);
            lastTransferTimestamp = lastTimestamp;
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

    /**
     * TigerBeetle's batch-level checks of an event, before the object's own: whether it is imported as the batch's
     * first event is, and its timestamp (in range and in the past for an imported event, else 0). "In the past" is
     * paycore's stricter reading: below the timestamp the event itself would be assigned, where TigerBeetle compares
     * every event with the batch's (its last event's); the two agree for the last event.
     *
     * @param eventTimestamp the timestamp the event would be assigned, {@code base + k}.
     * @return the failure's name, or null.
     */
    private static String batchCheck(
        final boolean batchImported, final boolean imported, final long timestamp, final long eventTimestamp)
    {
        if (batchImported != imported)
        {
            return imported ? "IMPORTED_EVENT_NOT_EXPECTED" : "IMPORTED_EVENT_EXPECTED";
        }
        if (imported)
        {
            // TigerBeetle's valid timestamps are 1 to 2^63 - 1; a u64 above that reads negative here.
            if (timestamp <= 0)
            {
                return "IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE";
            }
            if (timestamp >= eventTimestamp)
            {
                return "IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE";
            }
        }
        else if (timestamp != 0)
        {
            return "TIMESTAMP_MUST_BE_ZERO";
        }
        return null;
    }

    /**
     * @return whether an account has exactly this timestamp (no two objects may share one).
     */
    private boolean accountHasTimestamp(final long timestamp)
    {
        for (final Account a : accountList)
        {
            if (a.timestamp == timestamp)
            {
                return true;
            }
        }
        return false;
    }

    private long maxAccountTimestamp()
    {
        long max = 0;
        for (final Account a : accountList)
        {
            max = Math.max(max, a.timestamp);
        }
        return max;
    }

    CreateAccountResult[] createAccounts(final List<AccountEvent> events, final long recordTimestamp)
    {
        expire(recordTimestamp);
        final int n = events.size();
        final long base = Math.max(recordTimestamp, lastTimestamp + 1);
        final boolean batchImported = n > 0 && (events.get(0).flags() & ACCOUNT_IMPORTED) != 0;
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
                final AccountEvent e = events.get(k);
                final String batchFailure = batchCheck(
                    batchImported, (e.flags() & ACCOUNT_IMPORTED) != 0, e.timestamp(), base + k);
                final CreateAccountResult r = open && k == end ? CreateAccountResult.LINKED_EVENT_CHAIN_OPEN :
                    null != batchFailure ? CreateAccountResult.valueOf(batchFailure) :
                    createAccount(e, base + k, undo);
                if (r == CreateAccountResult.OK)
                {
                    results[k] = r;
                    resultTimestamps[k] = existsTimestamp;
                    continue;
                }
                for (int u = undo.size() - 1; u >= 0; u--)
                {
                    undo.get(u).run();
                }
                // As TigerBeetle: the events before the failure keep the timestamps they were created with (an
                // imported one's own), those after it take their event's.
                for (int m = start; m <= end; m++)
                {
                    results[m] = open && m == end ?
                        CreateAccountResult.LINKED_EVENT_CHAIN_OPEN : CreateAccountResult.LINKED_EVENT_FAILED;
                    if (m > k)
                    {
                        resultTimestamps[m] = base + m;
                    }
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

    /**
     * On {@code OK} and {@code EXISTS}, {@link #existsTimestamp} is the object's timestamp.
     */
    private CreateAccountResult createAccount(final AccountEvent e, final long timestamp, final List<Runnable> undo)
    {
        if (e.reserved() != 0)
        {
            return CreateAccountResult.RESERVED_FIELD;
        }
        if ((e.flags() & ~ACCOUNT_FLAGS) != 0)
        {
            return CreateAccountResult.RESERVED_FLAG;
        }
        if (e.id().signum() == 0)
        {
            return CreateAccountResult.ID_MUST_NOT_BE_ZERO;
        }
        if (e.id().equals(MAX_128))
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
            if (!existing.userData128.equals(e.userData128()))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
            }
            if (existing.userData64 != e.userData64())
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
            }
            if (existing.userData32 != e.userData32())
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
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
        if ((e.flags() & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            (e.flags() & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0)
        {
            return CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (e.debitsPending().signum() != 0)
        {
            return CreateAccountResult.DEBITS_PENDING_MUST_BE_ZERO;
        }
        if (e.debitsPosted().signum() != 0)
        {
            return CreateAccountResult.DEBITS_POSTED_MUST_BE_ZERO;
        }
        if (e.creditsPending().signum() != 0)
        {
            return CreateAccountResult.CREDITS_PENDING_MUST_BE_ZERO;
        }
        if (e.creditsPosted().signum() != 0)
        {
            return CreateAccountResult.CREDITS_POSTED_MUST_BE_ZERO;
        }
        if (e.ledger() == 0)
        {
            return CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (e.code() == 0)
        {
            return CreateAccountResult.CODE_MUST_NOT_BE_ZERO;
        }
        long actual = timestamp;
        if ((e.flags() & ACCOUNT_IMPORTED) != 0)
        {
            // After the idempotency checks, so that a re-sent import still answers EXISTS.
            if (e.timestamp() <= maxAccountTimestamp() || e.timestamp() <= lastTransferTimestamp)
            {
                return CreateAccountResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
            }
            actual = e.timestamp();
        }
        if (accounts.size() >= maxAccounts)
        {
            return CreateAccountResult.ACCOUNTS_FULL;
        }
        final Account a = new Account();
        a.id = e.id();
        a.userData128 = e.userData128();
        a.userData64 = e.userData64();
        a.userData32 = e.userData32();
        a.ledger = e.ledger();
        a.code = e.code();
        a.flags = e.flags();
        a.timestamp = actual;
        accounts.put(a.id, a);
        accountList.add(a);
        undo.add(() ->
        {
            accounts.remove(a.id);
            accountList.remove(accountList.size() - 1);
        });
        existsTimestamp = actual;
        return CreateAccountResult.OK;
    }

    CreateTransferResult[] createTransfers(final List<TransferEvent> events, final long recordTimestamp)
    {
        expire(recordTimestamp);
        final int n = events.size();
        final long base = Math.max(recordTimestamp, lastTimestamp + 1);
        final boolean batchImported = n > 0 && (events.get(0).flags() & TRANSFER_IMPORTED) != 0;
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
                final TransferEvent e = events.get(k);
                final String batchFailure = batchCheck(
                    batchImported, (e.flags() & TRANSFER_IMPORTED) != 0, e.timestamp(), base + k);
                final CreateTransferResult r = open && k == end ? CreateTransferResult.LINKED_EVENT_CHAIN_OPEN :
                    null != batchFailure ? CreateTransferResult.valueOf(batchFailure) :
                    createTransfer(e, base + k, undo);
                if (r == CreateTransferResult.OK)
                {
                    results[k] = r;
                    resultTimestamps[k] = existsTimestamp;
                    continue;
                }
                for (int u = undo.size() - 1; u >= 0; u--)
                {
                    undo.get(u).run();
                }
                // As TigerBeetle: the events before the failure keep the timestamps they were created with (an
                // imported one's own), those after it take their event's.
                for (int m = start; m <= end; m++)
                {
                    results[m] = open && m == end ?
                        CreateTransferResult.LINKED_EVENT_CHAIN_OPEN : CreateTransferResult.LINKED_EVENT_FAILED;
                    if (m > k)
                    {
                        resultTimestamps[m] = base + m;
                    }
                }
                results[k] = isTransient(r) ? fail(e.id(), r) : r;
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

    private CreateTransferResult fail(final BigInteger id, final CreateTransferResult r)
    {
        if (transfers.size() + failedIds.size() >= maxTransfers)
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }
        failedIds.add(id);
        return r;
    }

    /**
     * On {@code OK} and {@code EXISTS}, {@link #existsTimestamp} is the transfer's timestamp.
     */
    private CreateTransferResult createTransfer(
        final TransferEvent e, final long timestamp, final List<Runnable> undo)
    {
        final int flags = e.flags();
        if ((flags & ~TRANSFER_FLAGS) != 0)
        {
            return CreateTransferResult.RESERVED_FLAG;
        }
        if (e.id().signum() == 0)
        {
            return CreateTransferResult.ID_MUST_NOT_BE_ZERO;
        }
        if (e.id().equals(MAX_128))
        {
            return CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
        }
        if (failedIds.contains(e.id()))
        {
            return CreateTransferResult.ID_ALREADY_FAILED;
        }
        final Transfer existing = transfers.get(e.id());
        if (existing != null)
        {
            return exists(existing, e);
        }
        if ((flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0)
        {
            return postOrVoid(e, timestamp, undo);
        }

        final boolean pending = (flags & TransferFlags.PENDING) != 0;
        final boolean imported = (flags & TRANSFER_IMPORTED) != 0;
        if (e.debitAccountId().signum() == 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (e.debitAccountId().equals(MAX_128))
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (e.creditAccountId().signum() == 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (e.creditAccountId().equals(MAX_128))
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (e.debitAccountId().equals(e.creditAccountId()))
        {
            return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (e.pendingId().signum() != 0)
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
        }
        if (!pending)
        {
            if (e.timeoutSeconds() != 0)
            {
                return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
            }
            if ((flags & (TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT)) != 0)
            {
                return CreateTransferResult.CLOSING_TRANSFER_MUST_BE_PENDING;
            }
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
        long actualTimestamp = timestamp;
        if (imported)
        {
            if (e.timestamp() <= lastTransferTimestamp || accountHasTimestamp(e.timestamp()))
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
            }
            if (e.timestamp() <= dr.timestamp)
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT;
            }
            if (e.timestamp() <= cr.timestamp)
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT;
            }
            if (e.timeoutSeconds() != 0)
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO;
            }
            actualTimestamp = e.timestamp();
        }
        if ((dr.flags & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if ((cr.flags & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        // Balancing: as much of the amount asked as keeps the limited side within its balance (a saturating
        // subtraction, as TigerBeetle's -|).
        BigInteger amount = e.amount();
        if ((flags & TransferFlags.BALANCING_DEBIT) != 0)
        {
            amount = amount.min(dr.creditsPosted.subtract(dr.debitsPosted.add(dr.debitsPending)).max(BigInteger.ZERO));
        }
        if ((flags & TransferFlags.BALANCING_CREDIT) != 0)
        {
            amount = amount.min(cr.debitsPosted.subtract(cr.creditsPosted.add(cr.creditsPending)).max(BigInteger.ZERO));
        }
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
        if (overflows(dr.debitsPending.add(dr.debitsPosted), amount))
        {
            return CreateTransferResult.OVERFLOWS_DEBITS;
        }
        if (overflows(cr.creditsPending.add(cr.creditsPosted), amount))
        {
            return CreateTransferResult.OVERFLOWS_CREDITS;
        }
        // The expiry must fit TigerBeetle's 63-bit timestamps.
        final BigInteger expiresAt = BigInteger.valueOf(actualTimestamp)
            .add(BigInteger.valueOf(e.timeoutSeconds()).multiply(BigInteger.valueOf(NANOS_PER_SECOND)));
        if (expiresAt.bitLength() > 63)
        {
            return CreateTransferResult.OVERFLOWS_TIMEOUT;
        }
        if ((dr.flags & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            dr.debitsPending.add(dr.debitsPosted).add(amount).compareTo(dr.creditsPosted) > 0)
        {
            return CreateTransferResult.EXCEEDS_CREDITS;
        }
        if ((cr.flags & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            cr.creditsPending.add(cr.creditsPosted).add(amount).compareTo(cr.debitsPosted) > 0)
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
        t.pendingId = BigInteger.ZERO;
        t.userData128 = e.userData128();
        t.userData64 = e.userData64();
        t.userData32 = e.userData32();
        t.ledger = e.ledger();
        t.timeoutSeconds = e.timeoutSeconds();
        t.code = e.code();
        t.flags = flags;
        t.timestamp = actualTimestamp;
        t.expiresAt = expiresAt.longValueExact();
        final BigInteger moved = amount;
        if (pending)
        {
            t.state = PendingState.PENDING;
            dr.debitsPending = dr.debitsPending.add(moved);
            cr.creditsPending = cr.creditsPending.add(moved);
            holding.add(t);
            closeAccounts(t, true);
            undo.add(() ->
            {
                dr.debitsPending = dr.debitsPending.subtract(moved);
                cr.creditsPending = cr.creditsPending.subtract(moved);
                holding.remove(t);
                closeAccounts(t, false);
            });
        }
        else
        {
            dr.debitsPosted = dr.debitsPosted.add(moved);
            cr.creditsPosted = cr.creditsPosted.add(moved);
            undo.add(() ->
            {
                dr.debitsPosted = dr.debitsPosted.subtract(moved);
                cr.creditsPosted = cr.creditsPosted.subtract(moved);
            });
        }
        store(t, undo);
        existsTimestamp = actualTimestamp;
        return CreateTransferResult.OK;
    }

    private CreateTransferResult postOrVoid(final TransferEvent e, final long timestamp, final List<Runnable> undo)
    {
        final int flags = e.flags();
        final boolean post = (flags & TransferFlags.POST_PENDING) != 0;
        final boolean isVoid = (flags & TransferFlags.VOID_PENDING) != 0;
        if ((post && isVoid) || (flags & (TransferFlags.PENDING | TransferFlags.BALANCING_DEBIT |
            TransferFlags.BALANCING_CREDIT | TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT)) != 0)
        {
            return CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (e.pendingId().signum() == 0)
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (e.pendingId().equals(MAX_128))
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
        }
        if (e.pendingId().equals(e.id()))
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (e.timeoutSeconds() != 0)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
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
        if (e.debitAccountId().signum() != 0 && !e.debitAccountId().equals(p.debitAccountId))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (e.creditAccountId().signum() != 0 && !e.creditAccountId().equals(p.creditAccountId))
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
        final BigInteger actual = post ? (e.amount().equals(MAX_128) ? p.amount : e.amount()) :
            (e.amount().signum() == 0 ? p.amount : e.amount());
        if (actual.compareTo(p.amount) > 0)
        {
            return CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (isVoid && actual.compareTo(p.amount) < 0)
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
        long actualTimestamp = timestamp;
        if ((flags & TRANSFER_IMPORTED) != 0)
        {
            if (e.timestamp() <= lastTransferTimestamp || accountHasTimestamp(e.timestamp()))
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
            }
            actualTimestamp = e.timestamp();
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

        final BigInteger posted = post ? actual : BigInteger.ZERO;
        dr.debitsPending = dr.debitsPending.subtract(p.amount);
        cr.creditsPending = cr.creditsPending.subtract(p.amount);
        dr.debitsPosted = dr.debitsPosted.add(posted);
        cr.creditsPosted = cr.creditsPosted.add(posted);
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
            dr.debitsPending = dr.debitsPending.add(p.amount);
            cr.creditsPending = cr.creditsPending.add(p.amount);
            dr.debitsPosted = dr.debitsPosted.subtract(posted);
            cr.creditsPosted = cr.creditsPosted.subtract(posted);
            p.state = PendingState.PENDING;
        });

        final Transfer t = new Transfer();
        t.id = e.id();
        t.debitAccountId = p.debitAccountId;
        t.creditAccountId = p.creditAccountId;
        t.amount = actual;
        t.pendingId = e.pendingId();
        t.userData128 = e.userData128().signum() != 0 ? e.userData128() : p.userData128;
        t.userData64 = e.userData64() != 0 ? e.userData64() : p.userData64;
        t.userData32 = e.userData32() != 0 ? e.userData32() : p.userData32;
        t.ledger = p.ledger;
        t.timeoutSeconds = 0;
        t.code = p.code;
        t.flags = flags;
        t.timestamp = actualTimestamp;
        store(t, undo);
        existsTimestamp = actualTimestamp;
        return CreateTransferResult.OK;
    }

    private void store(final Transfer t, final List<Runnable> undo)
    {
        final long lastTransferBefore = lastTransferTimestamp;
        transfers.put(t.id, t);
        transferList.add(t);
        lastTransferTimestamp = t.timestamp;
        undo.add(() ->
        {
            transfers.remove(t.id);
            transferList.remove(transferList.size() - 1);
            lastTransferTimestamp = lastTransferBefore;
        });
    }

    private CreateTransferResult exists(final Transfer s, final TransferEvent e)
    {
        if (s.flags != e.flags())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (!s.pendingId.equals(e.pendingId()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (s.timeoutSeconds != e.timeoutSeconds())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        final boolean resolves = (s.flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0;
        if (resolves)
        {
            return postOrVoidExists(s, e, transfers.get(s.pendingId));
        }
        if (!s.debitAccountId.equals(e.debitAccountId()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!s.creditAccountId.equals(e.creditAccountId()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        // A balancing transfer's amount is an upper limit: a re-send differs only if it asks for less than moved.
        final boolean balancing = (s.flags & (TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT)) != 0;
        if (balancing ? e.amount().compareTo(s.amount) < 0 : !e.amount().equals(s.amount))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        if (!s.userData128.equals(e.userData128()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (s.userData64 != e.userData64())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (s.userData32 != e.userData32())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if (s.ledger != e.ledger())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if (s.code != e.code())
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
        }
        existsTimestamp = s.timestamp;
        return CreateTransferResult.EXISTS;
    }

    /**
     * A re-sent post or void: a 0 account id, ledger or code matches anything, a 0 user data field stands for the
     * pending transfer's, and a post's AMOUNT_MAX or a void's 0 for the pending amount.
     */
    private CreateTransferResult postOrVoidExists(final Transfer s, final TransferEvent e, final Transfer p)
    {
        if (e.debitAccountId().signum() != 0 && !e.debitAccountId().equals(s.debitAccountId))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (e.creditAccountId().signum() != 0 && !e.creditAccountId().equals(s.creditAccountId))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        final boolean post = (s.flags & TransferFlags.POST_PENDING) != 0;
        final boolean asPending = post ? e.amount().equals(MAX_128) : e.amount().signum() == 0;
        if (asPending ? !s.amount.equals(p.amount) : !e.amount().equals(s.amount))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        if (!s.userData128.equals(e.userData128().signum() == 0 ? p.userData128 : e.userData128()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (s.userData64 != (e.userData64() == 0 ? p.userData64 : e.userData64()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (s.userData32 != (e.userData32() == 0 ? p.userData32 : e.userData32()))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if (e.ledger() != 0 && e.ledger() != s.ledger)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if (e.code() != 0 && e.code() != s.code)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
        }
        existsTimestamp = s.timestamp;
        return CreateTransferResult.EXISTS;
    }

    private static boolean overflows(final BigInteger balance, final BigInteger amount)
    {
        return balance.add(amount).compareTo(MAX_128) > 0;
    }
}
