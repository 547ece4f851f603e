package io.paycore.service.demo;

import io.paycore.codec.ProtocolLimits;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.TransferEventArray;
import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;

/**
 * A deterministic, seeded stream of account and transfer batches that looks like a payments day: mostly single-phase transfers, card-style authorisations that are later captured in
 * full or in part or voided, and a small share of invalid requests (unknown accounts, self transfers, timeouts on
 * transfers that are not pending, retries with changed fields, overdrafts of restricted accounts).
 * <p>
 * The same seed and sizes give the same bytes, so two runs are comparable by digest. Every account is on ledger
 * {@link #LEDGER}; every 100th account is {@code DEBITS_MUST_NOT_EXCEED_CREDITS}.
 * <p>
 * Not thread safe; allocation-free once constructed.
 */
public final class DemoWorkload
{
    /** The ledger (currency) every demo account and transfer is on. */
    public static final int LEDGER = 840;
    /** The account and transfer code used throughout. */
    public static final int CODE = 1;
    /** Seed used when none is given. */
    public static final long SEED_DEFAULT = 0x5EED_CAFEL;

    static final int ACCOUNT_FLAG_DEBITS_MUST_NOT_EXCEED_CREDITS = 2;
    static final int TRANSFER_FLAG_PENDING = 2;
    static final int TRANSFER_FLAG_POST_PENDING = 4;
    static final int TRANSFER_FLAG_VOID_PENDING = 8;

    private static final int OPEN_PENDING_CAPACITY = 4096;
    private static final long MAX_AMOUNT_MINOR_UNITS = 10_000;

    private final SplittableRandom random;
    private final RequestEncoder requestEncoder = new RequestEncoder();
    private AccountEventArray accountScratch;
    private TransferEventArray transferScratch;
    private long correlationId;
    private final int accountCount;
    private final long transferCount;
    private final int batchEvents;

    private final long[] openPendingIds = new long[OPEN_PENDING_CAPACITY];
    private final long[] openPendingAmounts = new long[OPEN_PENDING_CAPACITY];
    private final long[] openPendingDebits = new long[OPEN_PENDING_CAPACITY];
    private final long[] openPendingCredits = new long[OPEN_PENDING_CAPACITY];
    private int openPendingHead;
    private int openPendingSize;

    private int accountsMade;
    private long transfersMade;
    private long nextTransferId = 1;
    private long lastSinglePhaseId;
    private long lastSinglePhaseAmount;
    private long lastSinglePhaseDebit;
    private long lastSinglePhaseCredit;

    /**
     * @param accountCount  accounts to create, ids 1..accountCount; at least 2.
     * @param transferCount transfer events to send in all (a capture or void counts as one).
     * @param batchEvents   events per message, 1..1024.
     * @param seed          seed of the deterministic generator.
     */
    public DemoWorkload(final int accountCount, final long transferCount, final int batchEvents, final long seed)
    {
        if (accountCount < 2)
        {
            throw new IllegalArgumentException("accounts must be at least 2: " + accountCount);
        }
        if (transferCount < 0)
        {
            throw new IllegalArgumentException("transfers must not be negative: " + transferCount);
        }
        if (batchEvents < 1 || batchEvents > ProtocolLimits.MAX_BATCH_EVENTS)
        {
            throw new IllegalArgumentException(
                "batch must be 1.." + ProtocolLimits.MAX_BATCH_EVENTS + ": " + batchEvents);
        }
        this.accountCount = accountCount;
        this.transferCount = transferCount;
        this.batchEvents = batchEvents;
        this.random = new SplittableRandom(seed);
    }

    /**
     * @return events per batch.
     */
    public int batchEvents()
    {
        return batchEvents;
    }

    /** @return true while account batches remain. */
    public boolean hasMoreAccounts()
    {
        return accountsMade < accountCount;
    }

    /** @return true while transfer batches remain. */
    public boolean hasMoreTransfers()
    {
        return transfersMade < transferCount;
    }

    /** @return transfer events made so far. */
    public long transfersMade()
    {
        return transfersMade;
    }

    /**
     * Fill the next batch of account events.
     *
     * @param accounts reset and filled; capacity at least {@link #batchEvents()}.
     * @return the number of events.
     */
    public int nextAccounts(final AccountEventArray accounts)
    {
        final int count = Math.min(batchEvents, accountCount - accountsMade);
        accounts.reset();
        for (int i = 0; i < count; i++)
        {
            final long id = ++accountsMade;
            accounts.add(id, id * 31, LEDGER, CODE, isRestricted(id) ? ACCOUNT_FLAG_DEBITS_MUST_NOT_EXCEED_CREDITS : 0);
        }
        return count;
    }

    /**
     * Fill the next batch of transfer events.
     *
     * @param transfers reset and filled; capacity at least {@link #batchEvents()}.
     * @return the number of events.
     */
    public int nextTransfers(final TransferEventArray transfers)
    {
        final int count = (int)Math.min(batchEvents, transferCount - transfersMade);
        transfers.reset();
        for (int i = 0; i < count; i++)
        {
            nextTransfer(transfers);
        }
        transfersMade += count;
        return count;
    }

    /**
     * The longest message {@link #encodeTransfers} writes, for sizing a buffer.
     *
     * @return bytes.
     */
    public int maxMessageLengthBytes()
    {
        return ProtocolLimits.maxMessageLength(batchEvents);
    }

    /**
     * Encode the next batch of accounts as a {@code CreateAccounts} message, for writing journals directly.
     *
     * @param buffer to encode into, {@link #maxMessageLengthBytes()} long from offset.
     * @param offset where the message starts.
     * @return the encoded length in bytes.
     */
    public int encodeAccounts(final MutableDirectBuffer buffer, final int offset)
    {
        if (null == accountScratch)
        {
            accountScratch = new AccountEventArray(batchEvents);
        }
        nextAccounts(accountScratch);
        return requestEncoder.createAccounts(buffer, offset, ++correlationId, accountScratch);
    }

    /**
     * Encode the next batch of transfers as a {@code CreateTransfers} message, for writing journals directly.
     *
     * @param buffer to encode into, {@link #maxMessageLengthBytes()} long from offset.
     * @param offset where the message starts.
     * @return the encoded length in bytes.
     */
    public int encodeTransfers(final MutableDirectBuffer buffer, final int offset)
    {
        if (null == transferScratch)
        {
            transferScratch = new TransferEventArray(batchEvents);
        }
        nextTransfers(transferScratch);
        return requestEncoder.createTransfers(buffer, offset, ++correlationId, transferScratch);
    }

    private void nextTransfer(final TransferEventArray transfer)
    {
        final int roll = random.nextInt(1000);
        if (roll < 20)
        {
            invalidTransfer(transfer, roll);
        }
        else if (roll < 220 && openPendingSize > 0)
        {
            resolveOldestPending(transfer, roll);
        }
        else if (roll < 400 && openPendingSize < OPEN_PENDING_CAPACITY)
        {
            pendingTransfer(transfer);
        }
        else
        {
            singlePhaseTransfer(transfer);
        }
    }

    private void singlePhaseTransfer(final TransferEventArray transfer)
    {
        final long debit = unrestrictedAccount();
        final long credit = otherAccount(debit);
        final long amount = amount();
        lastSinglePhaseId = nextTransferId++;
        lastSinglePhaseAmount = amount;
        lastSinglePhaseDebit = debit;
        lastSinglePhaseCredit = credit;
        encode(transfer, lastSinglePhaseId, debit, credit, amount, 0, 0, 0);
    }

    private void pendingTransfer(final TransferEventArray transfer)
    {
        final long id = nextTransferId++;
        final long debit = unrestrictedAccount();
        final long credit = otherAccount(debit);
        final long amount = amount();
        final int slot = (openPendingHead + openPendingSize) % OPEN_PENDING_CAPACITY;
        openPendingIds[slot] = id;
        openPendingAmounts[slot] = amount;
        openPendingDebits[slot] = debit;
        openPendingCredits[slot] = credit;
        openPendingSize++;
        encode(transfer, id, debit, credit, amount, 0, 3600, TRANSFER_FLAG_PENDING);
    }

    private void resolveOldestPending(final TransferEventArray transfer, final int roll)
    {
        final int slot = openPendingHead;
        openPendingHead = (openPendingHead + 1) % OPEN_PENDING_CAPACITY;
        openPendingSize--;
        final long pendingId = openPendingIds[slot];
        final long pendingAmount = openPendingAmounts[slot];
        final long id = nextTransferId++;
        if (roll < 80)
        {
            encode(transfer, id, 0, 0, 0, pendingId, 0, TRANSFER_FLAG_VOID_PENDING);
        }
        else if (roll < 150)
        {
            // Posts the whole pending amount.
            encode(transfer, id, openPendingDebits[slot], openPendingCredits[slot], Ledger.AMOUNT_MAX_HI,
                Ledger.AMOUNT_MAX_LO, pendingId, 0, TRANSFER_FLAG_POST_PENDING);
        }
        else
        {
            final long partial = 1 + random.nextLong(pendingAmount);
            encode(transfer, id, 0, 0, partial, pendingId, 0, TRANSFER_FLAG_POST_PENDING);
        }
    }

    private void invalidTransfer(final TransferEventArray transfer, final int roll)
    {
        final long debit = unrestrictedAccount();
        switch (roll % 5)
        {
            case 0: // credit account does not exist
                encode(transfer, nextTransferId++, debit, accountCount + 1L + random.nextInt(1000), amount(), 0, 0, 0);
                break;
            case 1: // both sides the same account
                encode(transfer, nextTransferId++, debit, debit, amount(), 0, 0, 0);
                break;
            case 2: // a timeout on a transfer that is not pending
                encode(transfer, nextTransferId++, debit, otherAccount(debit), amount(), 0, 60, 0);
                break;
            case 3: // a retry of the last transfer with a changed amount, or an exact retry
                if (lastSinglePhaseId != 0)
                {
                    final long changed = random.nextBoolean() ? 1 : 0;
                    encode(
                        transfer,
                        lastSinglePhaseId,
                        lastSinglePhaseDebit,
                        lastSinglePhaseCredit,
                        lastSinglePhaseAmount + changed,
                        0,
                        0,
                        0);
                    break;
                }
                encode(transfer, nextTransferId++, debit, debit, amount(), 0, 0, 0);
                break;
            default: // overdraft of an account that must not go negative
                encode(transfer, nextTransferId++, restrictedAccount(), debit, MAX_AMOUNT_MINOR_UNITS * 1_000_000, 0, 0, 0);
                break;
        }
    }

    private static void encode(
        final TransferEventArray transfer,
        final long id,
        final long debit,
        final long credit,
        final long amount,
        final long pendingId,
        final long timeoutSeconds,
        final int flags)
    {
        encode(transfer, id, debit, credit, 0, amount, pendingId, timeoutSeconds, flags);
    }

    private static void encode(
        final TransferEventArray transfer,
        final long id,
        final long debit,
        final long credit,
        final long amountHi,
        final long amountLo,
        final long pendingId,
        final long timeoutSeconds,
        final int flags)
    {
        transfer.add()
            .id(0, id)
            .debitAccountId(0, debit)
            .creditAccountId(0, credit)
            .amount(amountHi, amountLo)
            .pendingId(0, pendingId)
            .userData64(id)
            .ledger(pendingId != 0 ? 0 : LEDGER)
            .timeoutSeconds(timeoutSeconds)
            .code(pendingId != 0 ? 0 : CODE)
            .flags(flags);
    }

    private long amount()
    {
        return 1 + random.nextLong(MAX_AMOUNT_MINOR_UNITS);
    }

    private long unrestrictedAccount()
    {
        long id;
        do
        {
            id = 1 + random.nextInt(accountCount);
        }
        while (isRestricted(id) && accountCount > 100);
        return id;
    }

    private long otherAccount(final long notThis)
    {
        long id;
        do
        {
            id = 1 + random.nextInt(accountCount);
        }
        while (id == notThis);
        return id;
    }

    private long restrictedAccount()
    {
        return accountCount >= 100 ? 100L * (1 + random.nextInt(accountCount / 100)) : 1;
    }

    private static boolean isRestricted(final long accountId)
    {
        return accountId % 100 == 0;
    }
}
