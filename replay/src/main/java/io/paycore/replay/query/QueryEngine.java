package io.paycore.replay.query;

import java.nio.file.Path;
import java.util.Arrays;

import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import org.agrona.CloseHelper;

/**
 * Answers TigerBeetle's four history queries ({@code get_account_transfers}, {@code get_account_balances},
 * {@code query_accounts}, {@code query_transfers}) over the whole history of a data directory, off the service: it
 * follows the journal through a {@link ChangeFeed} of its own and indexes every change as it is applied.
 * <ul>
 *     <li>Every transfer created, in timestamp order, 128 bytes each in files of its own ({@link TransferStore}):
 *     the hot and the cold history alike, read by {@link #queryTransfers} over a timestamp range.</li>
 *     <li>Per account, the ordinals of the transfers it took part in (4 bytes each, on the heap): what
 *     {@link #getAccountTransfers} walks, from a timestamp found by binary search.</li>
 *     <li>Per account with the {@code history} flag, its balances after every change to it, expiries included
 *     ({@link #BALANCE_LONGS} longs each): what {@link #getAccountBalances} walks.</li>
 *     <li>Accounts are the replayed ledger's own, in creation (timestamp) order: what {@link #queryAccounts} scans.
 *     </li>
 * </ul>
 * A query sees the state as of {@link #asOfSequence()}: everything up to that journal record. Results come in
 * timestamp order (newest first when reversed), at most the filter's limit; an invalid filter matches nothing, as
 * in TigerBeetle.
 * <p>
 * Bounds: at most 2<sup>31</sup> - 1 transfers (the ordinal is an int); the heap holds 8 bytes per transfer for the
 * per-account lists and {@value #BALANCE_LONGS} longs per change to a history account; the store takes 128 bytes
 * a transfer on disk. A query over a timestamp range reads the range: its cost grows with the range, not the result.
 * So that one query cannot hold the thread for as long as a whole history takes to read, a query reads at most
 * {@link #maxScan(long)} entries (transfers, an account's transfers or balances, or accounts) in its range; when it
 * stops there with more to read and fewer results than its limit, {@link #scanCut()} says so and
 * {@link #scanCutTimestamp()} names the timestamp of the last entry it read, from which the asker can go on.
 * <p>
 * <b>Threading</b>: one thread polls and queries.
 */
public final class QueryEngine implements AutoCloseable
{
    /** Default most entries one query reads: some tens of milliseconds of the thread (see the README). */
    public static final long MAX_SCAN_DEFAULT = 1_000_000;

    /** Longs per balance entry: timestamp, the four balances (lo, hi), user data 128 (lo, hi), 64, and packed. */
    public static final int BALANCE_LONGS = 13;
    private static final int B_TIMESTAMP = 0;
    private static final int B_BALANCES = 1;
    private static final int B_USER_DATA_128 = 9;
    private static final int B_USER_DATA_64 = 11;
    /** User data 32 (bits 0-31), code (32-47), 1 if the account is the credit side (bit 48). */
    private static final int B_PACKED = 12;
    private static final long CREDIT_SIDE = 1L << 48;

    private final ChangeFeed feed;
    private final Ledger ledger;
    private final TransferStore store;
    private final Indexer indexer = new Indexer();
    private final StoredTransfer transfer;
    private final AccountBalance balance = new AccountBalance();
    private int[][] postings = new int[16][];
    private int[] postingCounts = new int[16];
    private long[][] balances = new long[16][];
    private int[] balanceCounts = new int[16];
    private long maxScan = MAX_SCAN_DEFAULT;
    private long scanned;
    private boolean scanCut;
    private long scanCutTimestamp;

    private QueryEngine(final ChangeFeed feed, final Path storeDirectory)
    {
        this.feed = feed;
        this.ledger = feed.ledger();
        this.store = new TransferStore(storeDirectory);
        this.transfer = new StoredTransfer(store);
    }

    /**
     * Open an engine over a data directory's journal, from its first record.
     *
     * @param context        the journal and the limits the service runs with; its start timestamp is ignored.
     * @param storeDirectory where the transfer store's files are made (and deleted on close).
     * @return the engine, with nothing applied yet: {@link #poll} it.
     */
    public static QueryEngine open(final ChangeFeedContext context, final Path storeDirectory)
    {
        final ChangeFeed feed = ChangeFeed.open(context.fromTimestampNanos(0));
        try
        {
            return new QueryEngine(feed, storeDirectory);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(feed);
            throw ex;
        }
    }

    /**
     * Apply and index up to {@code recordLimit} journal records.
     *
     * @param recordLimit most records.
     * @return records applied; 0 when the engine has everything written so far.
     */
    public int poll(final int recordLimit)
    {
        return feed.poll(indexer, recordLimit);
    }

    /**
     * @param maxScan the most entries one query reads, at least 1.
     * @return this.
     * @throws IllegalArgumentException if it is below 1.
     */
    public QueryEngine maxScan(final long maxScan)
    {
        if (maxScan < 1)
        {
            throw new IllegalArgumentException("the most entries a query reads must be at least 1: " + maxScan);
        }
        this.maxScan = maxScan;
        return this;
    }

    /**
     * @return the most entries one query reads.
     */
    public long maxScan()
    {
        return maxScan;
    }

    /**
     * @return entries the last query read.
     */
    public long scanned()
    {
        return scanned;
    }

    /**
     * @return true if the last query stopped after {@link #maxScan()} entries with more in its range to read and
     * fewer results than its limit: its results are then not all there are.
     */
    public boolean scanCut()
    {
        return scanCut;
    }

    /**
     * @return when {@link #scanCut()}, the timestamp of the last entry the query read (its results are all those up
     * to it, or down to it when reversed); else 0.
     */
    public long scanCutTimestamp()
    {
        return scanCutTimestamp;
    }

    /**
     * @return the last journal record applied: every query answers as of it.
     */
    public long asOfSequence()
    {
        return feed.nextSequence() - 1;
    }

    /**
     * @return the greatest timestamp the ledger has assigned so far: a write with this timestamp or an earlier one is
     * visible to queries (read your writes).
     */
    public long lastTimestampNanos()
    {
        return ledger.lastTimestampNanos();
    }

    /**
     * @return the timestamp of the last journal record applied.
     */
    public long lastRecordTimestampNanos()
    {
        return feed.lastRecordTimestampNanos();
    }

    /**
     * @return transfers stored.
     */
    public long transferCount()
    {
        return store.count();
    }

    /**
     * The transfers an account took part in, as TigerBeetle's {@code get_account_transfers}.
     *
     * @param filter  which; an invalid one matches nothing.
     * @param visitor told of each, in order; the view is valid only during the call.
     * @return transfers visited.
     */
    public int getAccountTransfers(final AccountFilter filter, final TransferVisitor visitor)
    {
        beginScan();
        final int account = filteredAccount(filter);
        if (account < 0)
        {
            return 0;
        }
        final int[] list = postings[account];
        final int count = postingCounts[account];
        final int from = isAfterEvery(filter.timestampMin()) ? count :
            firstPostingAtOrAfter(list, count, filter.timestampMin());
        final int to = isNoUpperBound(filter.timestampMax()) ? count :
            firstPostingAtOrAfter(list, count, filter.timestampMax() + 1);
        final boolean reversed = 0 != (filter.flags() & AccountFilter.REVERSED);
        int visited = 0;
        final int step = reversed ? -1 : 1;
        for (int i = reversed ? to - 1 : from; reversed ? i >= from : i < to; i += step)
        {
            if (scanned == maxScan)
            {
                cutAt(store.timestamp(list[i - step]));
                break;
            }
            scanned++;
            transfer.ordinal(list[i]);
            if (matches(filter, transfer))
            {
                visitor.onTransfer(transfer);
                if (++visited == filter.limit())
                {
                    break;
                }
            }
        }
        return visited;
    }

    /**
     * An account's balances after each change to it, as TigerBeetle's {@code get_account_balances}: only for an
     * account with the {@code history} flag. The filter's user data, code and sides apply to the change's transfer
     * (for an expiry, the pending transfer that expired).
     *
     * @param filter  which; an invalid one matches nothing.
     * @param visitor told of each, in order; the view is valid only during the call.
     * @return balances visited.
     */
    public int getAccountBalances(final AccountFilter filter, final BalanceVisitor visitor)
    {
        beginScan();
        final int account = filteredAccount(filter);
        if (account < 0 || null == balances[account])
        {
            return 0;
        }
        final long[] list = balances[account];
        final int count = balanceCounts[account];
        final int from = isAfterEvery(filter.timestampMin()) ? count :
            firstBalanceAtOrAfter(list, count, filter.timestampMin());
        final int to = isNoUpperBound(filter.timestampMax()) ? count :
            firstBalanceAtOrAfter(list, count, filter.timestampMax() + 1);
        final boolean reversed = 0 != (filter.flags() & AccountFilter.REVERSED);
        int visited = 0;
        final int step = reversed ? -1 : 1;
        for (int i = reversed ? to - 1 : from; reversed ? i >= from : i < to; i += step)
        {
            if (scanned == maxScan)
            {
                cutAt(list[(i - step) * BALANCE_LONGS + B_TIMESTAMP]);
                break;
            }
            scanned++;
            final int o = i * BALANCE_LONGS;
            final long packed = list[o + B_PACKED];
            final boolean credit = 0 != (packed & CREDIT_SIDE);
            if (0 == (filter.flags() & (credit ? AccountFilter.CREDITS : AccountFilter.DEBITS)) ||
                !userDataMatches(filter.userData128Hi(), filter.userData128Lo(), list[o + B_USER_DATA_128 + 1],
                list[o + B_USER_DATA_128]) ||
                (0 != filter.userData64() && filter.userData64() != list[o + B_USER_DATA_64]) ||
                (0 != filter.userData32() && filter.userData32() != (packed & 0xFFFF_FFFFL)) ||
                (0 != filter.code() && filter.code() != (int)((packed >>> 32) & 0xFFFF)))
            {
                continue;
            }
            visitor.onBalance(balance.wrap(list, o));
            if (++visited == filter.limit())
            {
                break;
            }
        }
        return visited;
    }

    /**
     * Transfers matching every non-zero field of the filter, as TigerBeetle's {@code query_transfers}.
     *
     * @param filter  which; an invalid one matches nothing.
     * @param visitor told of each, in order; the view is valid only during the call.
     * @return transfers visited.
     */
    public int queryTransfers(final QueryFilter filter, final TransferVisitor visitor)
    {
        beginScan();
        if (!filter.isValid())
        {
            return 0;
        }
        final long from = isAfterEvery(filter.timestampMin()) ? store.count() :
            store.firstAtOrAfter(filter.timestampMin());
        final long to = isNoUpperBound(filter.timestampMax()) ? store.count() :
            store.firstAtOrAfter(filter.timestampMax() + 1);
        final boolean reversed = 0 != (filter.flags() & QueryFilter.REVERSED);
        int visited = 0;
        final int step = reversed ? -1 : 1;
        for (long i = reversed ? to - 1 : from; reversed ? i >= from : i < to; i += step)
        {
            if (scanned == maxScan)
            {
                cutAt(store.timestamp(i - step));
                break;
            }
            scanned++;
            transfer.ordinal(i);
            if (userDataMatches(filter.userData128Hi(), filter.userData128Lo(), transfer.userData128Hi(),
                transfer.userData128Lo()) &&
                (0 == filter.userData64() || filter.userData64() == transfer.userData64()) &&
                (0 == filter.userData32() || filter.userData32() == transfer.userData32()) &&
                (0 == filter.ledger() || filter.ledger() == transfer.ledger()) &&
                (0 == filter.code() || filter.code() == transfer.code()))
            {
                visitor.onTransfer(transfer);
                if (++visited == filter.limit())
                {
                    break;
                }
            }
        }
        return visited;
    }

    /**
     * Accounts matching every non-zero field of the filter, as TigerBeetle's {@code query_accounts}.
     *
     * @param filter  which; an invalid one matches nothing.
     * @param visitor told of each account's index in {@link #ledger()}, in order.
     * @return accounts visited.
     */
    public int queryAccounts(final QueryFilter filter, final AccountVisitor visitor)
    {
        beginScan();
        if (!filter.isValid())
        {
            return 0;
        }
        final int count = ledger.accountCount();
        final int from = isAfterEvery(filter.timestampMin()) ? count :
            firstAccountAtOrAfter(count, filter.timestampMin());
        final int to = isNoUpperBound(filter.timestampMax()) ? count :
            firstAccountAtOrAfter(count, filter.timestampMax() + 1);
        final boolean reversed = 0 != (filter.flags() & QueryFilter.REVERSED);
        int visited = 0;
        final int step = reversed ? -1 : 1;
        for (int i = reversed ? to - 1 : from; reversed ? i >= from : i < to; i += step)
        {
            if (scanned == maxScan)
            {
                cutAt(ledger.accountTimestamp(i - step));
                break;
            }
            scanned++;
            if (userDataMatches(filter.userData128Hi(), filter.userData128Lo(), ledger.accountUserData128Hi(i),
                ledger.accountUserData128Lo(i)) &&
                (0 == filter.userData64() || filter.userData64() == ledger.accountUserData64(i)) &&
                (0 == filter.userData32() || filter.userData32() == ledger.accountUserData32(i)) &&
                (0 == filter.ledger() || filter.ledger() == ledger.accountLedger(i)) &&
                (0 == filter.code() || filter.code() == ledger.accountCode(i)))
            {
                visitor.onAccount(ledger, i);
                if (++visited == filter.limit())
                {
                    break;
                }
            }
        }
        return visited;
    }

    /**
     * @return the replayed ledger, for the accounts {@link #queryAccounts} names; read it, never change it.
     */
    public Ledger ledger()
    {
        return ledger;
    }

    /**
     * Close the journal reader and delete the store.
     */
    public void close()
    {
        CloseHelper.closeAll(feed, store);
    }

    private void beginScan()
    {
        scanned = 0;
        scanCut = false;
        scanCutTimestamp = 0;
    }

    private void cutAt(final long lastReadTimestamp)
    {
        scanCut = true;
        scanCutTimestamp = lastReadTimestamp;
    }

    private int filteredAccount(final AccountFilter filter)
    {
        if (!filter.isValid())
        {
            return -1;
        }
        final int account = ledger.accountIndex(filter.accountIdHi(), filter.accountIdLo());
        return account >= 0 && account < postings.length ? account : -1;
    }

    private boolean matches(final AccountFilter filter, final StoredTransfer transfer)
    {
        final boolean debit = transfer.debitAccountIdHi() == filter.accountIdHi() &&
            transfer.debitAccountIdLo() == filter.accountIdLo();
        return 0 != (filter.flags() & (debit ? AccountFilter.DEBITS : AccountFilter.CREDITS)) &&
            userDataMatches(filter.userData128Hi(), filter.userData128Lo(), transfer.userData128Hi(),
            transfer.userData128Lo()) &&
            (0 == filter.userData64() || filter.userData64() == transfer.userData64()) &&
            (0 == filter.userData32() || filter.userData32() == transfer.userData32()) &&
            (0 == filter.code() || filter.code() == transfer.code());
    }

    /**
     * A filter's timestamps are uint64; every timestamp the ledger gives is below 2^63.
     *
     * @param timestampMin inclusive lower bound, unsigned.
     * @return true if no timestamp is at or after it: 2^63 or more, negative as a long.
     */
    private static boolean isAfterEvery(final long timestampMin)
    {
        return timestampMin < 0;
    }

    /**
     * @param timestampMax inclusive upper bound, unsigned; 0 for none.
     * @return true if every timestamp is at or before it: 0 (no bound), 2^63 - 1 (whose successor overflows a long),
     * or 2^63 and more (negative as a long).
     */
    private static boolean isNoUpperBound(final long timestampMax)
    {
        return 0 == timestampMax || timestampMax < 0 || Long.MAX_VALUE == timestampMax;
    }

    private static boolean userDataMatches(
        final long wantHi, final long wantLo, final long haveHi, final long haveLo)
    {
        return (0 == wantHi && 0 == wantLo) || (wantHi == haveHi && wantLo == haveLo);
    }

    private int firstPostingAtOrAfter(final int[] list, final int count, final long timestamp)
    {
        int low = 0;
        int high = count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (store.timestamp(list[mid]) < timestamp)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private static int firstBalanceAtOrAfter(final long[] list, final int count, final long timestamp)
    {
        int low = 0;
        int high = count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (list[mid * BALANCE_LONGS + B_TIMESTAMP] < timestamp)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private int firstAccountAtOrAfter(final int count, final long timestamp)
    {
        int low = 0;
        int high = count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (ledger.accountTimestamp(mid) < timestamp)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private void ensureAccount(final int account)
    {
        if (account >= postings.length)
        {
            final int length = Math.max(account + 1, postings.length * 2);
            postings = Arrays.copyOf(postings, length);
            postingCounts = Arrays.copyOf(postingCounts, length);
            balances = Arrays.copyOf(balances, length);
            balanceCounts = Arrays.copyOf(balanceCounts, length);
        }
    }

    private void addPosting(final int account, final int ordinal)
    {
        ensureAccount(account);
        int[] list = postings[account];
        final int count = postingCounts[account];
        if (null == list)
        {
            list = new int[4];
            postings[account] = list;
        }
        else if (count == list.length)
        {
            list = Arrays.copyOf(list, count * 2);
            postings[account] = list;
        }
        list[count] = ordinal;
        postingCounts[account] = count + 1;
    }

    private void addBalance(final int account, final LedgerChange change, final boolean credit)
    {
        ensureAccount(account);
        long[] list = balances[account];
        final int count = balanceCounts[account];
        if (null == list)
        {
            list = new long[4 * BALANCE_LONGS];
            balances[account] = list;
        }
        else if ((count + 1) * BALANCE_LONGS > list.length)
        {
            list = Arrays.copyOf(list, list.length * 2);
            balances[account] = list;
        }
        final int o = count * BALANCE_LONGS;
        list[o + B_TIMESTAMP] = change.timestampNanos();
        if (credit)
        {
            list[o + B_BALANCES] = change.creditAccountDebitsPendingLo();
            list[o + B_BALANCES + 1] = change.creditAccountDebitsPendingHi();
            list[o + B_BALANCES + 2] = change.creditAccountDebitsPostedLo();
            list[o + B_BALANCES + 3] = change.creditAccountDebitsPostedHi();
            list[o + B_BALANCES + 4] = change.creditAccountCreditsPendingLo();
            list[o + B_BALANCES + 5] = change.creditAccountCreditsPendingHi();
            list[o + B_BALANCES + 6] = change.creditAccountCreditsPostedLo();
            list[o + B_BALANCES + 7] = change.creditAccountCreditsPostedHi();
        }
        else
        {
            list[o + B_BALANCES] = change.debitAccountDebitsPendingLo();
            list[o + B_BALANCES + 1] = change.debitAccountDebitsPendingHi();
            list[o + B_BALANCES + 2] = change.debitAccountDebitsPostedLo();
            list[o + B_BALANCES + 3] = change.debitAccountDebitsPostedHi();
            list[o + B_BALANCES + 4] = change.debitAccountCreditsPendingLo();
            list[o + B_BALANCES + 5] = change.debitAccountCreditsPendingHi();
            list[o + B_BALANCES + 6] = change.debitAccountCreditsPostedLo();
            list[o + B_BALANCES + 7] = change.debitAccountCreditsPostedHi();
        }
        list[o + B_USER_DATA_128] = change.userData128Lo();
        list[o + B_USER_DATA_128 + 1] = change.userData128Hi();
        list[o + B_USER_DATA_64] = change.userData64();
        list[o + B_PACKED] = change.userData32() | ((long)change.code() << 32) | (credit ? CREDIT_SIDE : 0);
        balanceCounts[account] = count + 1;
    }

    private final class Indexer implements LedgerChangeListener
    {
        public void onChange(final LedgerChange change)
        {
            final int debit = ledger.accountIndex(change.debitAccountIdHi(), change.debitAccountIdLo());
            final int credit = ledger.accountIndex(change.creditAccountIdHi(), change.creditAccountIdLo());
            if (ChangeType.TWO_PHASE_EXPIRED != change.type())
            {
                if (store.count() == Integer.MAX_VALUE)
                {
                    throw new IllegalStateException("the query store holds " + Integer.MAX_VALUE +
                        " transfers, its most");
                }
                final int ordinal = (int)store.append(change);
                addPosting(debit, ordinal);
                addPosting(credit, ordinal);
            }
            if (0 != (change.debitAccountFlags() & AccountFlags.HISTORY))
            {
                addBalance(debit, change, false);
            }
            if (0 != (change.creditAccountFlags() & AccountFlags.HISTORY))
            {
                addBalance(credit, change, true);
            }
        }
    }
}
