package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The double-entry ledger: a single-threaded, allocation-free, deterministic state machine of accounts and
 * transfers with TigerBeetle-like semantics (a subset, with 64-bit ids and amounts).
 * <p>
 * <b>Threading</b>: not thread safe; called only on the BLP thread.
 * <p>
 * <b>Storage</b>: preallocated from {@link LedgerLimits} at construction; nothing grows. Each account is one
 * 64-byte cache line in a {@code long[]}; each transfer a 64-byte line in another {@code long[]} plus its timeout,
 * pending state and expiry-heap position in side arrays; ids map to indices through fixed-capacity open-addressing
 * {@link IdIndex} tables (load factor at most 0.5) that never grow or rehash. Before applying a transfer batch the
 * ledger reads the index slots of all its ids with independent loads, so their cache misses overlap. Accounts and transfers are stored
 * in creation order, which is also timestamp order.
 * <p>
 * <b>Time</b>: the ledger reads no clock. Each command carries the timestamp of its journaled record. A batch of
 * {@code n} events gets {@code base = max(recordTimestampNanos, lastTimestampNanos + 1)} and event {@code i} the
 * timestamp {@code base + i}, whatever its outcome; afterwards {@code lastTimestampNanos = base + n - 1}. The clock
 * ({@link #clockNanos()}) is the greatest record or assigned timestamp seen. Result timestamps are the assigned one
 * on {@code OK}, the original one on {@code EXISTS}, else 0.
 * <p>
 * <b>Expiry</b>: before every command ({@link #createAccounts}, {@link #createTransfers}, {@link #tick}) every
 * pending transfer with {@code expiresAtNanos <= recordTimestampNanos} expires, in order of (expiresAt, transfer
 * timestamp): its pending amounts are released and it becomes {@link PendingState#EXPIRED}. A pending transfer
 * expires at its timestamp + {@code timeoutSeconds * 10^9}; a timeout of 0 never expires. The order is kept in a
 * preallocated indexed binary heap.
 * <p>
 * <b>Linked chains</b>: an event flagged {@code LINKED} is chained to the next one; the chain ends at the first
 * event without the flag. A chain commits as a whole: when one of its events fails, the effects of its earlier
 * events are undone (in reverse order, from the tail of the append-only stores, which is the undo log; it is
 * bounded by the batch size and needs no extra memory), the failing event keeps its own result and every other
 * event of the chain answers {@code LINKED_EVENT_FAILED}. {@code EXISTS} counts as a failure. If the last event of
 * a batch is {@code LINKED}, the chain is open: that event answers {@code LINKED_EVENT_CHAIN_OPEN} without being
 * looked at and the rest of its chain {@code LINKED_EVENT_FAILED}.
 * <p>
 * <b>Account checks</b>, in order (first failing check is the result):
 * <ol>
 *     <li>id 0: {@code ID_MUST_NOT_BE_ZERO}; id {@link Long#MAX_VALUE}: {@code ID_MUST_NOT_BE_INT_MAX};</li>
 *     <li>a flag outside {@link AccountFlags#ALL}: {@code RESERVED_FLAG};</li>
 *     <li>ledger 0: {@code LEDGER_MUST_NOT_BE_ZERO}; code 0: {@code CODE_MUST_NOT_BE_ZERO};</li>
 *     <li>both balance flags: {@code FLAGS_ARE_MUTUALLY_EXCLUSIVE};</li>
 *     <li>id already exists: compared field by field with the stored account (flags exactly as stored, including
 *     {@code LINKED}): {@code EXISTS_WITH_DIFFERENT_FLAGS}, {@code _USER_DATA}, {@code _LEDGER}, {@code _CODE},
 *     else {@code EXISTS};</li>
 *     <li>{@code maxAccounts} reached: {@code ACCOUNTS_FULL}.</li>
 * </ol>
 * <b>Transfer checks</b>, in order:
 * <ol>
 *     <li>id 0: {@code ID_MUST_NOT_BE_ZERO}; id {@link Long#MAX_VALUE}: {@code ID_MUST_NOT_BE_INT_MAX};</li>
 *     <li>a flag outside {@link TransferFlags#ALL}: {@code RESERVED_FLAG};</li>
 *     <li>more than one of PENDING, POST_PENDING, VOID_PENDING: {@code FLAGS_ARE_MUTUALLY_EXCLUSIVE}.</li>
 * </ol>
 * Then, for a single-phase or {@code PENDING} transfer:
 * <ol>
 *     <li>debit account id 0 / MAX: {@code DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO} / {@code _INT_MAX}; then the same
 *     for the credit account id;</li>
 *     <li>debit = credit account id: {@code ACCOUNTS_MUST_BE_DIFFERENT};</li>
 *     <li>pendingId not 0: {@code PENDING_ID_MUST_BE_ZERO};</li>
 *     <li>timeout on a non-pending transfer: {@code TIMEOUT_RESERVED_FOR_PENDING_TRANSFER};</li>
 *     <li>amount &lt; 0: {@code AMOUNT_MUST_NOT_BE_NEGATIVE};</li>
 *     <li>ledger 0: {@code LEDGER_MUST_NOT_BE_ZERO}; code 0: {@code CODE_MUST_NOT_BE_ZERO};</li>
 *     <li>id already exists: compared exactly with the stored transfer, in the order flags, debit account id,
 *     credit account id, amount, pendingId, userData, timeout, ledger, code ({@code EXISTS_WITH_DIFFERENT_*}),
 *     else {@code EXISTS};</li>
 *     <li>{@code DEBIT_ACCOUNT_NOT_FOUND}; {@code CREDIT_ACCOUNT_NOT_FOUND};</li>
 *     <li>accounts on different ledgers: {@code ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER}; transfer ledger differs from
 *     theirs: {@code TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS};</li>
 *     <li>pending: debit account's debitsPending + amount overflows: {@code OVERFLOWS_DEBITS_PENDING}; credit
 *     account's creditsPending: {@code OVERFLOWS_CREDITS_PENDING}; single-phase: debitsPosted:
 *     {@code OVERFLOWS_DEBITS_POSTED}, creditsPosted: {@code OVERFLOWS_CREDITS_POSTED};</li>
 *     <li>debitsPending + debitsPosted + amount overflows: {@code OVERFLOWS_DEBITS}; the same for credits:
 *     {@code OVERFLOWS_CREDITS};</li>
 *     <li>pending with a timeout whose expiry overflows: {@code OVERFLOWS_TIMEOUT};</li>
 *     <li>debit account has DEBITS_MUST_NOT_EXCEED_CREDITS and its debitsPending + debitsPosted + amount &gt; its
 *     creditsPosted: {@code EXCEEDS_CREDITS}; credit account has CREDITS_MUST_NOT_EXCEED_DEBITS and its
 *     creditsPending + creditsPosted + amount &gt; its debitsPosted: {@code EXCEEDS_DEBITS};</li>
 *     <li>{@code maxTransfers} reached: {@code TRANSFERS_FULL}; pending and {@code maxPendingTransfers} reached:
 *     {@code PENDING_TRANSFERS_FULL}.</li>
 * </ol>
 * And for {@code POST_PENDING} / {@code VOID_PENDING} (debit and credit account ids, ledger, code and amount may be
 * 0, meaning "as the pending transfer"):
 * <ol>
 *     <li>pendingId 0 / MAX / equal to id: {@code PENDING_ID_MUST_NOT_BE_ZERO} / {@code _MUST_NOT_BE_INT_MAX} /
 *     {@code PENDING_ID_MUST_BE_DIFFERENT};</li>
 *     <li>debit account id MAX: {@code DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX}; credit likewise; both given and
 *     equal: {@code ACCOUNTS_MUST_BE_DIFFERENT};</li>
 *     <li>timeout not 0: {@code TIMEOUT_RESERVED_FOR_PENDING_TRANSFER}; amount &lt; 0:
 *     {@code AMOUNT_MUST_NOT_BE_NEGATIVE};</li>
 *     <li>id already exists: compared with the stored (resolved) transfer in the same order as above, where a 0
 *     debit/credit account id, amount, ledger or code in the event matches anything, else {@code EXISTS};</li>
 *     <li>{@code PENDING_TRANSFER_NOT_FOUND}; pending id names a transfer without the PENDING flag:
 *     {@code PENDING_TRANSFER_NOT_PENDING};</li>
 *     <li>a given debit account id, credit account id, ledger, code differing from the pending's:
 *     {@code PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID}, {@code _CREDIT_ACCOUNT_ID}, {@code _LEDGER},
 *     {@code _CODE};</li>
 *     <li>post with amount &gt; pending amount: {@code EXCEEDS_PENDING_TRANSFER_AMOUNT}; void with an amount
 *     neither 0 nor the pending amount: {@code PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT};</li>
 *     <li>pending already {@code PENDING_TRANSFER_ALREADY_POSTED}, {@code _ALREADY_VOIDED}, {@code _EXPIRED};</li>
 *     <li>{@code maxTransfers} reached: {@code TRANSFERS_FULL}.</li>
 * </ol>
 * A post moves the posted amount (the event's, or the whole pending amount when 0) from pending to posted on both
 * accounts and releases the rest; a void releases it all. Neither can overflow a balance nor break a balance flag
 * (totals only shrink), so neither checks. Posts and voids are stored as transfers of their own, with the pending's
 * accounts, ledger and code, and the amount posted (post) or released (void).
 * <p>
 * <b>Invariant</b>: for every ledger, the sums of debitsPending and creditsPending are equal, and so are those of
 * debitsPosted and creditsPosted, after every command.
 */
public final class Ledger
{
    /**
     * Bytes of storage per account (one cache line), not counting the id index.
     */
    public static final int ACCOUNT_BYTES = 64;

    /**
     * Bytes of storage per retained transfer (a cache line, timeout, pending state, heap position), not counting
     * the id index.
     */
    public static final int TRANSFER_BYTES = 73;

    static final int ACCOUNT_LONGS = 8;
    static final int A_ID = 0;
    static final int A_DEBITS_PENDING = 1;
    static final int A_DEBITS_POSTED = 2;
    static final int A_CREDITS_PENDING = 3;
    static final int A_CREDITS_POSTED = 4;
    static final int A_USER_DATA = 5;
    static final int A_TIMESTAMP = 6;
    static final int A_META = 7;

    static final int TRANSFER_LONGS = 8;
    static final int T_ID = 0;
    static final int T_DEBIT_ACCOUNT_ID = 1;
    static final int T_CREDIT_ACCOUNT_ID = 2;
    static final int T_AMOUNT = 3;
    static final int T_PENDING_ID = 4;
    static final int T_USER_DATA = 5;
    static final int T_TIMESTAMP = 6;
    static final int T_META = 7;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NEVER = Long.MAX_VALUE;
    private static final int PHASE_FLAGS = TransferFlags.PENDING | TransferFlags.POST_PENDING |
        TransferFlags.VOID_PENDING;
    private static final int BALANCE_FLAGS = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS |
        AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS;

    private static final byte STATE_NONE = (byte)PendingState.NONE.ordinal();
    private static final byte STATE_PENDING = (byte)PendingState.PENDING.ordinal();
    private static final byte STATE_POSTED = (byte)PendingState.POSTED.ordinal();
    private static final byte STATE_VOIDED = (byte)PendingState.VOIDED.ordinal();
    private static final byte STATE_EXPIRED = (byte)PendingState.EXPIRED.ordinal();

    private final LedgerLimits limits;
    private final int maxAccounts;
    private final int maxTransfers;
    private final int maxPendingTransfers;
    private final int maxBatchEvents;

    private final long[] accounts;
    private final IdIndex accountIndexById;
    private int accountCount;

    private final long[] transfers;
    private final int[] transferTimeoutsSeconds;
    private final byte[] transferStates;
    private final int[] transferHeapPositions;
    private final IdIndex transferIndexById;
    private int transferCount;
    private int pendingCount;

    private final int[] heapTransfers;
    private final long[] heapExpiresAtNanos;
    private int heapSize;

    private long lastTimestampNanos;
    private long clockNanos;
    private long existingTimestampNanos;
    private long touchSink;

    /**
     * Build an empty ledger, allocating all of its storage.
     *
     * @param limits bounds of the storage; validated.
     * @throws IllegalArgumentException if a limit is out of range.
     */
    public Ledger(final LedgerLimits limits)
    {
        limits.validate();
        this.limits = new LedgerLimits()
            .maxAccounts(limits.maxAccounts())
            .maxTransfers(limits.maxTransfers())
            .maxPendingTransfers(limits.maxPendingTransfers())
            .maxBatchEvents(limits.maxBatchEvents());
        maxAccounts = limits.maxAccounts();
        maxTransfers = limits.maxTransfers();
        maxPendingTransfers = limits.maxPendingTransfers();
        maxBatchEvents = limits.maxBatchEvents();

        accounts = new long[maxAccounts * ACCOUNT_LONGS];
        accountIndexById = new IdIndex(maxAccounts);

        transfers = new long[maxTransfers * TRANSFER_LONGS];
        transferTimeoutsSeconds = new int[maxTransfers];
        transferStates = new byte[maxTransfers];
        transferHeapPositions = new int[maxTransfers];
        transferIndexById = new IdIndex(maxTransfers);

        heapTransfers = new int[maxPendingTransfers];
        heapExpiresAtNanos = new long[maxPendingTransfers];
    }

    /**
     * @return a copy of the limits this ledger was built with.
     */
    public LedgerLimits limits()
    {
        return new LedgerLimits()
            .maxAccounts(limits.maxAccounts())
            .maxTransfers(limits.maxTransfers())
            .maxPendingTransfers(limits.maxPendingTransfers())
            .maxBatchEvents(limits.maxBatchEvents());
    }

    /**
     * Expire due pending transfers, then create a batch of accounts, writing one result per event.
     *
     * @param events               the batch, at most {@link LedgerLimits#maxBatchEvents()} events.
     * @param recordTimestampNanos timestamp of the journaled record carrying the batch.
     * @param results              where the outcomes go; overwritten.
     * @throws IllegalArgumentException if the batch exceeds the limit or the results' capacity (a framing error
     *                                  ingress must have rejected).
     */
    public void createAccounts(
        final AccountEvents events, final long recordTimestampNanos, final AccountResults results)
    {
        final int count = events.count();
        checkBatch(count, results.capacity());
        expire(recordTimestampNanos);

        final long baseNanos = Math.max(recordTimestampNanos, lastTimestampNanos + 1);
        int chainStart = -1;
        int chainAccountMark = 0;
        for (int i = 0; i < count; i++)
        {
            final long timestampNanos = baseNanos + i;
            final boolean linked = (events.flags(i) & AccountFlags.LINKED) != 0;
            if (linked && chainStart < 0)
            {
                chainStart = i;
                chainAccountMark = accountCount;
            }

            final CreateAccountResult result = linked && i == count - 1 ?
                CreateAccountResult.LINKED_EVENT_CHAIN_OPEN : createAccount(events, i, timestampNanos);
            results.set(i, result, result == CreateAccountResult.OK ? timestampNanos :
                result == CreateAccountResult.EXISTS ? existingTimestampNanos : 0);

            if (result != CreateAccountResult.OK && chainStart >= 0)
            {
                rollbackAccounts(chainAccountMark);
                for (int j = chainStart; j < i; j++)
                {
                    results.set(j, CreateAccountResult.LINKED_EVENT_FAILED, 0);
                }
                int j = i;
                boolean chained = linked;
                while (chained && j + 1 < count)
                {
                    j++;
                    chained = (events.flags(j) & AccountFlags.LINKED) != 0;
                    results.set(j, chained && j == count - 1 ?
                        CreateAccountResult.LINKED_EVENT_CHAIN_OPEN : CreateAccountResult.LINKED_EVENT_FAILED, 0);
                }
                i = j;
                chainStart = -1;
            }
            else if (!linked)
            {
                chainStart = -1;
            }
        }

        results.count(count);
        advanceClock(recordTimestampNanos, baseNanos, count);
    }

    /**
     * Expire due pending transfers, then create a batch of transfers, writing one result per event.
     *
     * @param events               the batch, at most {@link LedgerLimits#maxBatchEvents()} events.
     * @param recordTimestampNanos timestamp of the journaled record carrying the batch.
     * @param results              where the outcomes go; overwritten.
     * @throws IllegalArgumentException if the batch exceeds the limit or the results' capacity (a framing error
     *                                  ingress must have rejected).
     */
    public void createTransfers(
        final TransferEvents events, final long recordTimestampNanos, final TransferResults results)
    {
        final int count = events.count();
        checkBatch(count, results.capacity());
        expire(recordTimestampNanos);
        touch(events, count);

        final long baseNanos = Math.max(recordTimestampNanos, lastTimestampNanos + 1);
        int chainStart = -1;
        int chainTransferMark = 0;
        for (int i = 0; i < count; i++)
        {
            final long timestampNanos = baseNanos + i;
            final boolean linked = (events.flags(i) & TransferFlags.LINKED) != 0;
            if (linked && chainStart < 0)
            {
                chainStart = i;
                chainTransferMark = transferCount;
            }

            final CreateTransferResult result = linked && i == count - 1 ?
                CreateTransferResult.LINKED_EVENT_CHAIN_OPEN : createTransfer(events, i, timestampNanos);
            results.set(i, result, result == CreateTransferResult.OK ? timestampNanos :
                result == CreateTransferResult.EXISTS ? existingTimestampNanos : 0);

            if (result != CreateTransferResult.OK && chainStart >= 0)
            {
                rollbackTransfers(chainTransferMark);
                for (int j = chainStart; j < i; j++)
                {
                    results.set(j, CreateTransferResult.LINKED_EVENT_FAILED, 0);
                }
                int j = i;
                boolean chained = linked;
                while (chained && j + 1 < count)
                {
                    j++;
                    chained = (events.flags(j) & TransferFlags.LINKED) != 0;
                    results.set(j, chained && j == count - 1 ?
                        CreateTransferResult.LINKED_EVENT_CHAIN_OPEN : CreateTransferResult.LINKED_EVENT_FAILED, 0);
                }
                i = j;
                chainStart = -1;
            }
            else if (!linked)
            {
                chainStart = -1;
            }
        }

        results.count(count);
        advanceClock(recordTimestampNanos, baseNanos, count);
    }

    /**
     * Expire every pending transfer due at {@code recordTimestampNanos}; nothing else. Ingress injects a journaled
     * tick when idle so that expiries still happen.
     *
     * @param recordTimestampNanos timestamp of the journaled tick record.
     */
    public void tick(final long recordTimestampNanos)
    {
        expire(recordTimestampNanos);
        clockNanos = Math.max(clockNanos, recordTimestampNanos);
    }

    private void checkBatch(final int count, final int resultsCapacity)
    {
        if (count > maxBatchEvents || count > resultsCapacity)
        {
            throw new IllegalArgumentException("batch of " + count + " events exceeds maxBatchEvents=" +
                maxBatchEvents + " or results capacity=" + resultsCapacity);
        }
    }

    private void advanceClock(final long recordTimestampNanos, final long baseNanos, final int count)
    {
        if (count > 0)
        {
            lastTimestampNanos = baseNanos + count - 1;
        }
        clockNanos = Math.max(clockNanos, Math.max(recordTimestampNanos, lastTimestampNanos));
        assert heapSize <= pendingCount && pendingCount <= maxPendingTransfers;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accounts
    // ---------------------------------------------------------------------------------------------------------

    private CreateAccountResult createAccount(final AccountEvents events, final int i, final long timestampNanos)
    {
        final int flags = events.flags(i);
        final long id = events.id(i);
        final long userData = events.userData(i);
        final long ledger = events.ledger(i);
        final int code = events.code(i);

        if (id == 0)
        {
            return CreateAccountResult.ID_MUST_NOT_BE_ZERO;
        }
        if (id == Long.MAX_VALUE)
        {
            return CreateAccountResult.ID_MUST_NOT_BE_INT_MAX;
        }
        if ((flags & ~AccountFlags.ALL) != 0)
        {
            return CreateAccountResult.RESERVED_FLAG;
        }
        if (ledger == 0)
        {
            return CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (code == 0)
        {
            return CreateAccountResult.CODE_MUST_NOT_BE_ZERO;
        }
        if ((flags & BALANCE_FLAGS) == BALANCE_FLAGS)
        {
            return CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }

        final int existing = accountIndexById.get(id);
        if (existing >= 0)
        {
            final int offset = existing * ACCOUNT_LONGS;
            final long meta = accounts[offset + A_META];
            if (flags != metaFlags(meta))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (userData != accounts[offset + A_USER_DATA])
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA;
            }
            if (ledger != metaLedger(meta))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_LEDGER;
            }
            if (code != metaCode(meta))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_CODE;
            }
            existingTimestampNanos = accounts[offset + A_TIMESTAMP];
            return CreateAccountResult.EXISTS;
        }

        if (accountCount == maxAccounts)
        {
            return CreateAccountResult.ACCOUNTS_FULL;
        }

        final int index = accountCount++;
        final int offset = index * ACCOUNT_LONGS;
        accounts[offset + A_ID] = id;
        accounts[offset + A_DEBITS_PENDING] = 0;
        accounts[offset + A_DEBITS_POSTED] = 0;
        accounts[offset + A_CREDITS_PENDING] = 0;
        accounts[offset + A_CREDITS_POSTED] = 0;
        accounts[offset + A_USER_DATA] = userData;
        accounts[offset + A_TIMESTAMP] = timestampNanos;
        accounts[offset + A_META] = meta(ledger, code, flags);
        accountIndexById.put(id, index);

        return CreateAccountResult.OK;
    }

    private void rollbackAccounts(final int mark)
    {
        while (accountCount > mark)
        {
            final int index = --accountCount;
            final int offset = index * ACCOUNT_LONGS;
            accountIndexById.remove(accounts[offset + A_ID]);
            for (int k = 0; k < ACCOUNT_LONGS; k++)
            {
                accounts[offset + k] = 0;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transfers
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Read, without acting on them, the index slots and account lines the batch is about to use. The probes of
     * different events do not depend on each other, so the CPU overlaps their cache misses, which the one-by-one
     * apply loop cannot do; the apply loop then finds them in cache. Has no effect on state.
     */
    private void touch(final TransferEvents events, final int count)
    {
        final IdIndex transferIndexById = this.transferIndexById;
        final IdIndex accountIndexById = this.accountIndexById;
        long sink = 0;
        for (int i = 0; i < count; i++)
        {
            sink += transferIndexById.touch(events.id(i)) +
                transferIndexById.touch(events.pendingId(i)) +
                accountIndexById.touch(events.debitAccountId(i)) +
                accountIndexById.touch(events.creditAccountId(i));
        }
        touchSink = sink;
    }

    private CreateTransferResult createTransfer(final TransferEvents events, final int i, final long timestampNanos)
    {
        final int flags = events.flags(i);
        final long id = events.id(i);

        if (id == 0)
        {
            return CreateTransferResult.ID_MUST_NOT_BE_ZERO;
        }
        if (id == Long.MAX_VALUE)
        {
            return CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
        }
        if ((flags & ~TransferFlags.ALL) != 0)
        {
            return CreateTransferResult.RESERVED_FLAG;
        }
        final int phase = flags & PHASE_FLAGS;
        if ((phase & (phase - 1)) != 0)
        {
            return CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }

        if ((phase & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0)
        {
            return postOrVoidPending(events, i, id, flags, timestampNanos);
        }

        return createSingleOrPending(events, i, id, flags, timestampNanos);
    }

    private CreateTransferResult createSingleOrPending(
        final TransferEvents events, final int i, final long id, final int flags, final long timestampNanos)
    {
        final long debitAccountId = events.debitAccountId(i);
        final long creditAccountId = events.creditAccountId(i);
        final long amount = events.amount(i);
        final long pendingId = events.pendingId(i);
        final long userData = events.userData(i);
        final long ledger = events.ledger(i);
        final long timeoutSeconds = events.timeoutSeconds(i);
        final int code = events.code(i);
        final boolean pending = (flags & TransferFlags.PENDING) != 0;

        if (debitAccountId == 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (debitAccountId == Long.MAX_VALUE)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (creditAccountId == 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (creditAccountId == Long.MAX_VALUE)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (debitAccountId == creditAccountId)
        {
            return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (pendingId != 0)
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
        }
        if (timeoutSeconds != 0 && !pending)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (amount < 0)
        {
            return CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        if (ledger == 0)
        {
            return CreateTransferResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (code == 0)
        {
            return CreateTransferResult.CODE_MUST_NOT_BE_ZERO;
        }

        final int existing = transferIndexById.get(id);
        if (existing >= 0)
        {
            return existingTransfer(
                existing, false, flags, debitAccountId, creditAccountId, amount, pendingId, userData,
                timeoutSeconds, ledger, code);
        }

        final int debitIndex = accountIndexById.get(debitAccountId);
        if (debitIndex < 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND;
        }
        final int creditIndex = accountIndexById.get(creditAccountId);
        if (creditIndex < 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
        }

        final long[] accounts = this.accounts;
        final int debitOffset = debitIndex * ACCOUNT_LONGS;
        final int creditOffset = creditIndex * ACCOUNT_LONGS;
        final long debitMeta = accounts[debitOffset + A_META];
        final long creditMeta = accounts[creditOffset + A_META];
        if (metaLedger(debitMeta) != metaLedger(creditMeta))
        {
            return CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
        }
        if (ledger != metaLedger(debitMeta))
        {
            return CreateTransferResult.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
        }

        final long debitsPending = accounts[debitOffset + A_DEBITS_PENDING];
        final long debitsPosted = accounts[debitOffset + A_DEBITS_POSTED];
        final long creditsPending = accounts[creditOffset + A_CREDITS_PENDING];
        final long creditsPosted = accounts[creditOffset + A_CREDITS_POSTED];
        final long headroom = Long.MAX_VALUE - amount;
        if (pending)
        {
            if (debitsPending > headroom)
            {
                return CreateTransferResult.OVERFLOWS_DEBITS_PENDING;
            }
            if (creditsPending > headroom)
            {
                return CreateTransferResult.OVERFLOWS_CREDITS_PENDING;
            }
        }
        else
        {
            if (debitsPosted > headroom)
            {
                return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
            }
            if (creditsPosted > headroom)
            {
                return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
            }
        }
        final long debitsTotal = debitsPending + debitsPosted;
        final long creditsTotal = creditsPending + creditsPosted;
        if (debitsTotal > headroom)
        {
            return CreateTransferResult.OVERFLOWS_DEBITS;
        }
        if (creditsTotal > headroom)
        {
            return CreateTransferResult.OVERFLOWS_CREDITS;
        }

        long expiresAtNanos = NEVER;
        if (pending && timeoutSeconds != 0)
        {
            final long timeoutNanos = timeoutSeconds * NANOS_PER_SECOND;
            if (timestampNanos > Long.MAX_VALUE - timeoutNanos)
            {
                return CreateTransferResult.OVERFLOWS_TIMEOUT;
            }
            expiresAtNanos = timestampNanos + timeoutNanos;
        }

        if ((metaFlags(debitMeta) & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            debitsTotal + amount > accounts[debitOffset + A_CREDITS_POSTED])
        {
            return CreateTransferResult.EXCEEDS_CREDITS;
        }
        if ((metaFlags(creditMeta) & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            creditsTotal + amount > accounts[creditOffset + A_DEBITS_POSTED])
        {
            return CreateTransferResult.EXCEEDS_DEBITS;
        }

        if (transferCount == maxTransfers)
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }
        if (pending && pendingCount == maxPendingTransfers)
        {
            return CreateTransferResult.PENDING_TRANSFERS_FULL;
        }

        if (pending)
        {
            accounts[debitOffset + A_DEBITS_PENDING] = debitsPending + amount;
            accounts[creditOffset + A_CREDITS_PENDING] = creditsPending + amount;
        }
        else
        {
            accounts[debitOffset + A_DEBITS_POSTED] = debitsPosted + amount;
            accounts[creditOffset + A_CREDITS_POSTED] = creditsPosted + amount;
        }

        final int index = appendTransfer(
            id, debitAccountId, creditAccountId, amount, 0, userData, timestampNanos, meta(ledger, code, flags),
            timeoutSeconds);
        if (pending)
        {
            transferStates[index] = STATE_PENDING;
            pendingCount++;
            if (expiresAtNanos != NEVER)
            {
                heapInsert(index, expiresAtNanos);
            }
        }

        return CreateTransferResult.OK;
    }

    private CreateTransferResult postOrVoidPending(
        final TransferEvents events, final int i, final long id, final int flags, final long timestampNanos)
    {
        final long debitAccountId = events.debitAccountId(i);
        final long creditAccountId = events.creditAccountId(i);
        final long amount = events.amount(i);
        final long pendingId = events.pendingId(i);
        final long userData = events.userData(i);
        final long ledger = events.ledger(i);
        final long timeoutSeconds = events.timeoutSeconds(i);
        final int code = events.code(i);
        final boolean post = (flags & TransferFlags.POST_PENDING) != 0;

        if (pendingId == 0)
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (pendingId == Long.MAX_VALUE)
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
        }
        if (pendingId == id)
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (debitAccountId == Long.MAX_VALUE)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (creditAccountId == Long.MAX_VALUE)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (debitAccountId != 0 && debitAccountId == creditAccountId)
        {
            return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (timeoutSeconds != 0)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (amount < 0)
        {
            return CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }

        final int existing = transferIndexById.get(id);
        if (existing >= 0)
        {
            return existingTransfer(
                existing, true, flags, debitAccountId, creditAccountId, amount, pendingId, userData,
                timeoutSeconds, ledger, code);
        }

        final int pendingIndex = transferIndexById.get(pendingId);
        if (pendingIndex < 0)
        {
            return CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
        }
        final long[] transfers = this.transfers;
        final int pendingOffset = pendingIndex * TRANSFER_LONGS;
        final long pendingMeta = transfers[pendingOffset + T_META];
        if ((metaFlags(pendingMeta) & TransferFlags.PENDING) == 0)
        {
            return CreateTransferResult.PENDING_TRANSFER_NOT_PENDING;
        }
        final long pendingDebitAccountId = transfers[pendingOffset + T_DEBIT_ACCOUNT_ID];
        final long pendingCreditAccountId = transfers[pendingOffset + T_CREDIT_ACCOUNT_ID];
        if (debitAccountId != 0 && debitAccountId != pendingDebitAccountId)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (creditAccountId != 0 && creditAccountId != pendingCreditAccountId)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (ledger != 0 && ledger != metaLedger(pendingMeta))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
        }
        if (code != 0 && code != metaCode(pendingMeta))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
        }
        final long pendingAmount = transfers[pendingOffset + T_AMOUNT];
        if (post)
        {
            if (amount > pendingAmount)
            {
                return CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
        }
        else if (amount != 0 && amount != pendingAmount)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        final byte state = transferStates[pendingIndex];
        if (state == STATE_POSTED)
        {
            return CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
        }
        if (state == STATE_VOIDED)
        {
            return CreateTransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
        }
        if (state == STATE_EXPIRED)
        {
            return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
        }
        assert state == STATE_PENDING;
        if (transferCount == maxTransfers)
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }

        final long[] accounts = this.accounts;
        final int debitOffset = accountIndexById.get(pendingDebitAccountId) * ACCOUNT_LONGS;
        final int creditOffset = accountIndexById.get(pendingCreditAccountId) * ACCOUNT_LONGS;
        final long postedAmount = post ? (amount == 0 ? pendingAmount : amount) : 0;
        accounts[debitOffset + A_DEBITS_PENDING] -= pendingAmount;
        accounts[creditOffset + A_CREDITS_PENDING] -= pendingAmount;
        accounts[debitOffset + A_DEBITS_POSTED] += postedAmount;
        accounts[creditOffset + A_CREDITS_POSTED] += postedAmount;
        assert accounts[debitOffset + A_DEBITS_PENDING] >= 0 && accounts[creditOffset + A_CREDITS_PENDING] >= 0;

        transferStates[pendingIndex] = post ? STATE_POSTED : STATE_VOIDED;
        pendingCount--;
        if (transferHeapPositions[pendingIndex] >= 0)
        {
            heapRemove(pendingIndex);
        }

        appendTransfer(
            id, pendingDebitAccountId, pendingCreditAccountId, post ? postedAmount : pendingAmount, pendingId,
            userData, timestampNanos, meta(metaLedger(pendingMeta), metaCode(pendingMeta), flags), 0);

        return CreateTransferResult.OK;
    }

    private CreateTransferResult existingTransfer(
        final int index,
        final boolean inherits,
        final int flags,
        final long debitAccountId,
        final long creditAccountId,
        final long amount,
        final long pendingId,
        final long userData,
        final long timeoutSeconds,
        final long ledger,
        final int code)
    {
        final int offset = index * TRANSFER_LONGS;
        final long meta = transfers[offset + T_META];
        if (flags != metaFlags(meta))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if ((!inherits || debitAccountId != 0) && debitAccountId != transfers[offset + T_DEBIT_ACCOUNT_ID])
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if ((!inherits || creditAccountId != 0) && creditAccountId != transfers[offset + T_CREDIT_ACCOUNT_ID])
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if ((!inherits || amount != 0) && amount != transfers[offset + T_AMOUNT])
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        if (pendingId != transfers[offset + T_PENDING_ID])
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (userData != transfers[offset + T_USER_DATA])
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA;
        }
        if (timeoutSeconds != (transferTimeoutsSeconds[index] & 0xFFFF_FFFFL))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        if ((!inherits || ledger != 0) && ledger != metaLedger(meta))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if ((!inherits || code != 0) && code != metaCode(meta))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
        }
        existingTimestampNanos = transfers[offset + T_TIMESTAMP];
        return CreateTransferResult.EXISTS;
    }

    private int appendTransfer(
        final long id,
        final long debitAccountId,
        final long creditAccountId,
        final long amount,
        final long pendingId,
        final long userData,
        final long timestampNanos,
        final long meta,
        final long timeoutSeconds)
    {
        final int index = transferCount++;
        final int offset = index * TRANSFER_LONGS;
        final long[] transfers = this.transfers;
        transfers[offset + T_ID] = id;
        transfers[offset + T_DEBIT_ACCOUNT_ID] = debitAccountId;
        transfers[offset + T_CREDIT_ACCOUNT_ID] = creditAccountId;
        transfers[offset + T_AMOUNT] = amount;
        transfers[offset + T_PENDING_ID] = pendingId;
        transfers[offset + T_USER_DATA] = userData;
        transfers[offset + T_TIMESTAMP] = timestampNanos;
        transfers[offset + T_META] = meta;
        transferTimeoutsSeconds[index] = (int)timeoutSeconds;
        transferStates[index] = STATE_NONE;
        transferHeapPositions[index] = -1;
        transferIndexById.put(id, index);
        return index;
    }

    private void rollbackTransfers(final int mark)
    {
        final long[] accounts = this.accounts;
        final long[] transfers = this.transfers;
        while (transferCount > mark)
        {
            final int index = transferCount - 1;
            final int offset = index * TRANSFER_LONGS;
            final int flags = metaFlags(transfers[offset + T_META]);
            final long amount = transfers[offset + T_AMOUNT];
            final int debitOffset = accountIndexById.get(transfers[offset + T_DEBIT_ACCOUNT_ID]) * ACCOUNT_LONGS;
            final int creditOffset =
                accountIndexById.get(transfers[offset + T_CREDIT_ACCOUNT_ID]) * ACCOUNT_LONGS;

            if ((flags & TransferFlags.PENDING) != 0)
            {
                accounts[debitOffset + A_DEBITS_PENDING] -= amount;
                accounts[creditOffset + A_CREDITS_PENDING] -= amount;
                pendingCount--;
                if (transferHeapPositions[index] >= 0)
                {
                    heapRemove(index);
                }
            }
            else if ((flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0)
            {
                final int pendingIndex = transferIndexById.get(transfers[offset + T_PENDING_ID]);
                final int pendingOffset = pendingIndex * TRANSFER_LONGS;
                final long pendingAmount = transfers[pendingOffset + T_AMOUNT];
                accounts[debitOffset + A_DEBITS_PENDING] += pendingAmount;
                accounts[creditOffset + A_CREDITS_PENDING] += pendingAmount;
                if ((flags & TransferFlags.POST_PENDING) != 0)
                {
                    accounts[debitOffset + A_DEBITS_POSTED] -= amount;
                    accounts[creditOffset + A_CREDITS_POSTED] -= amount;
                }
                transferStates[pendingIndex] = STATE_PENDING;
                pendingCount++;
                final long timeoutSeconds = transferTimeoutsSeconds[pendingIndex] & 0xFFFF_FFFFL;
                if (timeoutSeconds != 0)
                {
                    heapInsert(
                        pendingIndex, transfers[pendingOffset + T_TIMESTAMP] + timeoutSeconds * NANOS_PER_SECOND);
                }
            }
            else
            {
                accounts[debitOffset + A_DEBITS_POSTED] -= amount;
                accounts[creditOffset + A_CREDITS_POSTED] -= amount;
            }

            transferIndexById.remove(transfers[offset + T_ID]);
            for (int k = 0; k < TRANSFER_LONGS; k++)
            {
                transfers[offset + k] = 0;
            }
            transferTimeoutsSeconds[index] = 0;
            transferStates[index] = STATE_NONE;
            transferHeapPositions[index] = -1;
            transferCount--;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expiry: an indexed binary min-heap of (expiresAtNanos, transfer index); index order is timestamp order.
    // ---------------------------------------------------------------------------------------------------------

    private void expire(final long recordTimestampNanos)
    {
        final long[] accounts = this.accounts;
        final long[] transfers = this.transfers;
        while (heapSize > 0 && heapExpiresAtNanos[0] <= recordTimestampNanos)
        {
            final int index = heapTransfers[0];
            heapRemove(index);

            final int offset = index * TRANSFER_LONGS;
            final long amount = transfers[offset + T_AMOUNT];
            final int debitOffset = accountIndexById.get(transfers[offset + T_DEBIT_ACCOUNT_ID]) * ACCOUNT_LONGS;
            final int creditOffset =
                accountIndexById.get(transfers[offset + T_CREDIT_ACCOUNT_ID]) * ACCOUNT_LONGS;
            accounts[debitOffset + A_DEBITS_PENDING] -= amount;
            accounts[creditOffset + A_CREDITS_PENDING] -= amount;
            assert accounts[debitOffset + A_DEBITS_PENDING] >= 0 && accounts[creditOffset + A_CREDITS_PENDING] >= 0;
            transferStates[index] = STATE_EXPIRED;
            pendingCount--;
        }
    }

    private static boolean before(
        final long expiresAtNanos, final int index, final long otherExpiresAtNanos, final int otherIndex)
    {
        return expiresAtNanos < otherExpiresAtNanos || (expiresAtNanos == otherExpiresAtNanos && index < otherIndex);
    }

    private void heapInsert(final int index, final long expiresAtNanos)
    {
        assert heapSize < maxPendingTransfers && transferHeapPositions[index] < 0;
        heapSiftUp(heapSize++, index, expiresAtNanos);
    }

    private void heapRemove(final int index)
    {
        final int position = transferHeapPositions[index];
        transferHeapPositions[index] = -1;
        final int last = --heapSize;
        if (position != last)
        {
            final int movedIndex = heapTransfers[last];
            final long movedExpiresAtNanos = heapExpiresAtNanos[last];
            final int parent = (position - 1) >>> 1;
            if (position > 0 &&
                before(movedExpiresAtNanos, movedIndex, heapExpiresAtNanos[parent], heapTransfers[parent]))
            {
                heapSiftUp(position, movedIndex, movedExpiresAtNanos);
            }
            else
            {
                heapSiftDown(position, movedIndex, movedExpiresAtNanos);
            }
        }
    }

    private void heapSiftUp(final int fromPosition, final int index, final long expiresAtNanos)
    {
        int position = fromPosition;
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            final int parentIndex = heapTransfers[parent];
            final long parentExpiresAtNanos = heapExpiresAtNanos[parent];
            if (!before(expiresAtNanos, index, parentExpiresAtNanos, parentIndex))
            {
                break;
            }
            heapTransfers[position] = parentIndex;
            heapExpiresAtNanos[position] = parentExpiresAtNanos;
            transferHeapPositions[parentIndex] = position;
            position = parent;
        }
        heapTransfers[position] = index;
        heapExpiresAtNanos[position] = expiresAtNanos;
        transferHeapPositions[index] = position;
    }

    private void heapSiftDown(final int fromPosition, final int index, final long expiresAtNanos)
    {
        int position = fromPosition;
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= heapSize)
            {
                break;
            }
            final int right = child + 1;
            if (right < heapSize &&
                before(heapExpiresAtNanos[right], heapTransfers[right], heapExpiresAtNanos[child], heapTransfers[child]))
            {
                child = right;
            }
            final int childIndex = heapTransfers[child];
            final long childExpiresAtNanos = heapExpiresAtNanos[child];
            if (!before(childExpiresAtNanos, childIndex, expiresAtNanos, index))
            {
                break;
            }
            heapTransfers[position] = childIndex;
            heapExpiresAtNanos[position] = childExpiresAtNanos;
            transferHeapPositions[childIndex] = position;
            position = child;
        }
        heapTransfers[position] = index;
        heapExpiresAtNanos[position] = expiresAtNanos;
        transferHeapPositions[index] = position;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lookups
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @return the number of accounts.
     */
    public int accountCount()
    {
        return accountCount;
    }

    /**
     * @return the number of retained transfers, of every kind.
     */
    public int transferCount()
    {
        return transferCount;
    }

    /**
     * @return the number of transfers currently holding a pending amount.
     */
    public int pendingCount()
    {
        return pendingCount;
    }

    /**
     * @return the last timestamp assigned to an event, 0 before the first.
     */
    public long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    /**
     * @return the ledger clock: the greatest record or assigned timestamp seen.
     */
    public long clockNanos()
    {
        return clockNanos;
    }

    /**
     * @param id of an account.
     * @return its index (creation order, 0 based) for the {@code account*} accessors, or -1 if absent.
     */
    public int accountIndex(final long id)
    {
        return accountIndexById.get(id);
    }

    /**
     * @param index of an account, 0 to {@link #accountCount()} - 1.
     * @return its id.
     */
    public long accountId(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_ID];
    }

    /**
     * @param index of an account.
     * @return its ledger, unsigned 32-bit.
     */
    public long accountLedger(final int index)
    {
        return metaLedger(accounts[index * ACCOUNT_LONGS + A_META]);
    }

    /**
     * @param index of an account.
     * @return its code, unsigned 16-bit.
     */
    public int accountCode(final int index)
    {
        return metaCode(accounts[index * ACCOUNT_LONGS + A_META]);
    }

    /**
     * @param index of an account.
     * @return its flags as created (see {@link AccountFlags}).
     */
    public int accountFlags(final int index)
    {
        return metaFlags(accounts[index * ACCOUNT_LONGS + A_META]);
    }

    /**
     * @param index of an account.
     * @return its user data.
     */
    public long accountUserData(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_USER_DATA];
    }

    /**
     * @param index of an account.
     * @return the timestamp assigned at its creation.
     */
    public long accountTimestamp(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_TIMESTAMP];
    }

    /**
     * @param index of an account.
     * @return the sum of its pending debits, in minor units.
     */
    public long debitsPending(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_DEBITS_PENDING];
    }

    /**
     * @param index of an account.
     * @return the sum of its posted debits, in minor units.
     */
    public long debitsPosted(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_DEBITS_POSTED];
    }

    /**
     * @param index of an account.
     * @return the sum of its pending credits, in minor units.
     */
    public long creditsPending(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_CREDITS_PENDING];
    }

    /**
     * @param index of an account.
     * @return the sum of its posted credits, in minor units.
     */
    public long creditsPosted(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_CREDITS_POSTED];
    }

    /**
     * @param id of a transfer.
     * @return its index (creation order, 0 based) for the {@code transfer*} accessors, or -1 if absent.
     */
    public int transferIndex(final long id)
    {
        return transferIndexById.get(id);
    }

    /**
     * @param index of a transfer, 0 to {@link #transferCount()} - 1.
     * @return its id.
     */
    public long transferId(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_ID];
    }

    /**
     * @param index of a transfer.
     * @return the account debited (for a post or void, the pending transfer's).
     */
    public long transferDebitAccountId(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_DEBIT_ACCOUNT_ID];
    }

    /**
     * @param index of a transfer.
     * @return the account credited (for a post or void, the pending transfer's).
     */
    public long transferCreditAccountId(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_CREDIT_ACCOUNT_ID];
    }

    /**
     * @param index of a transfer.
     * @return its amount in minor units: for a post the amount posted, for a void the amount released.
     */
    public long transferAmount(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_AMOUNT];
    }

    /**
     * @param index of a transfer.
     * @return the pending transfer it posts or voids, else 0.
     */
    public long transferPendingId(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_PENDING_ID];
    }

    /**
     * @param index of a transfer.
     * @return its user data.
     */
    public long transferUserData(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_USER_DATA];
    }

    /**
     * @param index of a transfer.
     * @return its ledger, unsigned 32-bit (for a post or void, the pending transfer's).
     */
    public long transferLedger(final int index)
    {
        return metaLedger(transfers[index * TRANSFER_LONGS + T_META]);
    }

    /**
     * @param index of a transfer.
     * @return its code, unsigned 16-bit (for a post or void, the pending transfer's).
     */
    public int transferCode(final int index)
    {
        return metaCode(transfers[index * TRANSFER_LONGS + T_META]);
    }

    /**
     * @param index of a transfer.
     * @return its flags as created (see {@link TransferFlags}).
     */
    public int transferFlags(final int index)
    {
        return metaFlags(transfers[index * TRANSFER_LONGS + T_META]);
    }

    /**
     * @param index of a transfer.
     * @return its timeout in seconds, unsigned 32-bit; 0 for none.
     */
    public long transferTimeoutSeconds(final int index)
    {
        return transferTimeoutsSeconds[index] & 0xFFFF_FFFFL;
    }

    /**
     * @param index of a transfer.
     * @return the timestamp assigned at its creation.
     */
    public long transferTimestamp(final int index)
    {
        return transfers[index * TRANSFER_LONGS + T_TIMESTAMP];
    }

    /**
     * @param index of a transfer.
     * @return where it stands as a two-phase payment; {@link PendingState#NONE} unless created {@code PENDING}.
     */
    public PendingState transferPendingState(final int index)
    {
        return PendingState.get(transferStates[index]);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Digest, reset, snapshot
    // ---------------------------------------------------------------------------------------------------------

    /**
     * SHA-256 over a canonical little-endian encoding of the clock, every account and every transfer (all fields
     * including balances, timeout and pending state) in creation order. Equal states give equal digests. Allocates;
     * not for the command path.
     *
     * @return the digest as 64 lower-case hex characters.
     */
    public String digestHex()
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every JVM", ex);
        }

        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(lastTimestampNanos).putLong(clockNanos).putInt(accountCount).putInt(transferCount);
        for (int i = 0; i < accountCount; i++)
        {
            if (buffer.remaining() < ACCOUNT_BYTES)
            {
                digest.update(buffer.flip());
                buffer.clear();
            }
            final int offset = i * ACCOUNT_LONGS;
            for (int k = 0; k < ACCOUNT_LONGS; k++)
            {
                buffer.putLong(accounts[offset + k]);
            }
        }
        for (int i = 0; i < transferCount; i++)
        {
            if (buffer.remaining() < TRANSFER_BYTES)
            {
                digest.update(buffer.flip());
                buffer.clear();
            }
            final int offset = i * TRANSFER_LONGS;
            for (int k = 0; k < TRANSFER_LONGS; k++)
            {
                buffer.putLong(transfers[offset + k]);
            }
            buffer.putInt(transferTimeoutsSeconds[i]).put(transferStates[i]);
        }
        digest.update(buffer.flip());

        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Return to the empty state, keeping the storage: for benchmarks and tests that reuse a ledger, never for a
     * live one. Costs a fill of both id indices. Does not allocate.
     */
    public void reset()
    {
        accountIndexById.clear();
        transferIndexById.clear();
        Arrays.fill(accounts, 0, accountCount * ACCOUNT_LONGS, 0);
        Arrays.fill(transfers, 0, transferCount * TRANSFER_LONGS, 0);
        Arrays.fill(transferTimeoutsSeconds, 0, transferCount, 0);
        Arrays.fill(transferStates, 0, transferCount, STATE_NONE);
        Arrays.fill(transferHeapPositions, 0, transferCount, -1);
        accountCount = 0;
        transferCount = 0;
        pendingCount = 0;
        heapSize = 0;
        lastTimestampNanos = 0;
        clockNanos = 0;
    }

    /**
     * Write the whole state (limits, clock, accounts, transfers, pending states and the expiry heap) to a channel
     * in a versioned format: magic, format version, a checksummed header, the records, and a
     * trailing CRC32C over everything before it. Allocates a 64 KiB buffer; not for the command path.
     *
     * @param channel to write to; not closed.
     * @throws IOException if the channel fails.
     */
    public void writeSnapshot(final WritableByteChannel channel) throws IOException
    {
        final LedgerSnapshot.Writer writer = new LedgerSnapshot.Writer(channel);
        writer.header(limits, accountCount, transferCount, pendingCount, heapSize, lastTimestampNanos, clockNanos);
        for (int i = 0, n = accountCount * ACCOUNT_LONGS; i < n; i++)
        {
            writer.putLong(accounts[i]);
        }
        for (int i = 0; i < transferCount; i++)
        {
            final int offset = i * TRANSFER_LONGS;
            for (int k = 0; k < TRANSFER_LONGS; k++)
            {
                writer.putLong(transfers[offset + k]);
            }
            writer.putInt(transferTimeoutsSeconds[i]);
            writer.putByte(transferStates[i]);
        }
        for (int i = 0; i < heapSize; i++)
        {
            writer.putInt(heapTransfers[i]);
        }
        writer.finish();
    }

    /**
     * Read a ledger written by {@link #writeSnapshot}. The result has the same digest and behaves identically.
     *
     * @param channel to read from; not closed; buffered, so it may be read past the end of the snapshot.
     * @param limits  of the new ledger; must hold the snapshot's counts.
     * @return a new ledger with the snapshot's state.
     * @throws LedgerSnapshotException if the snapshot is of another format or version, damaged, truncated or too
     *                                 big for {@code limits}.
     * @throws IOException             if the channel fails.
     */
    public static Ledger readSnapshot(final ReadableByteChannel channel, final LedgerLimits limits)
        throws IOException
    {
        final Ledger ledger = new Ledger(limits);
        ledger.load(new LedgerSnapshot.Reader(channel));
        return ledger;
    }

    private void load(final LedgerSnapshot.Reader reader) throws IOException
    {
        reader.readHeader();
        final int accountCount = reader.accountCount();
        final int transferCount = reader.transferCount();
        final int pendingCount = reader.pendingCount();
        final int heapSize = reader.heapSize();
        LedgerSnapshot.checkCount("accounts", accountCount, maxAccounts, LedgerLimits.MAX_ACCOUNTS_PROP_NAME);
        LedgerSnapshot.checkCount("transfers", transferCount, maxTransfers, LedgerLimits.MAX_TRANSFERS_PROP_NAME);
        LedgerSnapshot.checkCount(
            "pending transfers", pendingCount, maxPendingTransfers, LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME);
        LedgerSnapshot.checkCount("heap entries", heapSize, pendingCount, "pending transfer count");
        reader.expectBodyLength(
            (long)accountCount * ACCOUNT_BYTES + (long)transferCount * (TRANSFER_LONGS * 8 + 5) + heapSize * 4L);

        for (int i = 0, n = accountCount * ACCOUNT_LONGS; i < n; i++)
        {
            accounts[i] = reader.getLong();
        }
        for (int i = 0; i < transferCount; i++)
        {
            final int offset = i * TRANSFER_LONGS;
            for (int k = 0; k < TRANSFER_LONGS; k++)
            {
                transfers[offset + k] = reader.getLong();
            }
            transferTimeoutsSeconds[i] = reader.getInt();
            transferStates[i] = reader.getByte();
            transferHeapPositions[i] = -1;
        }
        final int[] heapIndices = new int[heapSize];
        for (int i = 0; i < heapSize; i++)
        {
            heapIndices[i] = reader.getInt();
        }
        reader.finish();

        for (int i = 0; i < accountCount; i++)
        {
            final long id = accounts[i * ACCOUNT_LONGS + A_ID];
            if (accountIndexById.put(id, i) != IdIndex.MISSING)
            {
                throw new LedgerSnapshotException("snapshot holds account id " + id + " twice");
            }
        }
        int pendingFound = 0;
        for (int i = 0; i < transferCount; i++)
        {
            final long id = transfers[i * TRANSFER_LONGS + T_ID];
            if (transferIndexById.put(id, i) != IdIndex.MISSING)
            {
                throw new LedgerSnapshotException("snapshot holds transfer id " + id + " twice");
            }
            if (transferStates[i] < 0 || transferStates[i] > STATE_EXPIRED)
            {
                throw new LedgerSnapshotException(
                    "snapshot transfer " + id + " has pending state " + transferStates[i] + ", expected 0.." +
                    STATE_EXPIRED);
            }
            if (transferStates[i] == STATE_PENDING)
            {
                pendingFound++;
            }
        }
        if (pendingFound != pendingCount)
        {
            throw new LedgerSnapshotException(
                "snapshot header says " + pendingCount + " pending transfers, found " + pendingFound);
        }
        for (int position = 0; position < heapSize; position++)
        {
            final int index = heapIndices[position];
            if (index < 0 || index >= transferCount || transferStates[index] != STATE_PENDING ||
                transferHeapPositions[index] >= 0 || transferTimeoutsSeconds[index] == 0)
            {
                throw new LedgerSnapshotException(
                    "snapshot expiry heap entry " + position + " names transfer index " + index +
                    ", expected a distinct pending transfer with a timeout below " + transferCount);
            }
            final int offset = index * TRANSFER_LONGS;
            heapTransfers[position] = index;
            heapExpiresAtNanos[position] = transfers[offset + T_TIMESTAMP] +
                (transferTimeoutsSeconds[index] & 0xFFFF_FFFFL) * NANOS_PER_SECOND;
            transferHeapPositions[index] = position;
            final int parent = (position - 1) >>> 1;
            if (position > 0 && before(
                heapExpiresAtNanos[position], index, heapExpiresAtNanos[parent], heapTransfers[parent]))
            {
                throw new LedgerSnapshotException("snapshot expiry heap is out of order at entry " + position);
            }
        }

        this.accountCount = accountCount;
        this.transferCount = transferCount;
        this.pendingCount = pendingCount;
        this.heapSize = heapSize;
        this.lastTimestampNanos = reader.lastTimestampNanos();
        this.clockNanos = reader.clockNanos();
    }

    /**
     * Check the double-entry invariant: for each ledger, Σ debitsPending = Σ creditsPending and Σ debitsPosted =
     * Σ creditsPosted. O(accounts) and allocating: for tests and assertions, not the command path.
     *
     * @return true if every ledger balances.
     */
    boolean isBalanced()
    {
        final Map<Long, long[]> sums = new HashMap<>();
        for (int i = 0; i < accountCount; i++)
        {
            final int offset = i * ACCOUNT_LONGS;
            final long[] sum = sums.computeIfAbsent(metaLedger(accounts[offset + A_META]), (k) -> new long[2]);
            sum[0] += accounts[offset + A_DEBITS_PENDING] - accounts[offset + A_CREDITS_PENDING];
            sum[1] += accounts[offset + A_DEBITS_POSTED] - accounts[offset + A_CREDITS_POSTED];
        }
        for (final long[] sum : sums.values())
        {
            if (sum[0] != 0 || sum[1] != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static long meta(final long ledger, final int code, final int flags)
    {
        return (ledger << 32) | ((long)code << 16) | flags;
    }

    private static long metaLedger(final long meta)
    {
        return meta >>> 32;
    }

    private static int metaCode(final long meta)
    {
        return (int)(meta >>> 16) & 0xFFFF;
    }

    private static int metaFlags(final long meta)
    {
        return (int)meta & 0xFFFF;
    }
}
