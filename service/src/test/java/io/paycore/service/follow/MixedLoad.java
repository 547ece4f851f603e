package io.paycore.service.follow;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.Transfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mixed payments workload for replication tests: accounts (some with balance limits), plain transfers, transfers
 * that fail (missing account, exceeding a limit), two-phase transfers posted, voided or left to expire, and linked
 * chains; every result received is recorded, so it can be looked up on another node.
 */
final class MixedLoad
{
    static final int ACCOUNTS = 40;
    static final int LEDGER = 840;
    static final long MISSING_ACCOUNT = 1_000_000;
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Transfer id to {result ordinal, timestamp} as the client was told. */
    final Map<Long, long[]> received = new HashMap<>();
    private final SplittableRandom random;
    private final Duration timeout;
    private final List<Long> pending = new ArrayList<>();
    private long nextTransferId = 1;

    MixedLoad(final long seed)
    {
        this(seed, TIMEOUT);
    }

    MixedLoad(final long seed, final Duration timeout)
    {
        this.random = new SplittableRandom(seed);
        this.timeout = timeout;
    }

    void createAccounts(final PaycoreClient client)
    {
        final AccountEventArray accounts = new AccountEventArray(ACCOUNTS);
        for (long id = 1; id <= ACCOUNTS; id++)
        {
            final int flags = 0 == id % 5 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : 0;
            accounts.add(id, id * 7, LEDGER, 1, flags);
        }
        final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(accounts, timeout);
        for (int i = 0; i < results.count(); i++)
        {
            final CreateAccountResult result = results.result(i);
            assertTrue(CreateAccountResult.OK == result || CreateAccountResult.EXISTS == result, results.toString());
        }
    }

    /**
     * @return the next batch of 1..maxBatch transfers.
     */
    TransferEventArray nextBatch(final int maxBatch)
    {
        final int size = 1 + random.nextInt(maxBatch);
        final TransferEventArray batch = new TransferEventArray(size);
        while (batch.count() < size)
        {
            final long id = nextTransferId++;
            final long debit = 1 + random.nextInt(ACCOUNTS);
            long credit = 1 + random.nextInt(ACCOUNTS);
            if (credit == debit)
            {
                credit = 1 + credit % ACCOUNTS;
            }
            final long amount = 1 + random.nextInt(1000);
            final int kind = random.nextInt(20);
            if (kind < 10)
            {
                batch.add(id, debit, credit, amount, 0, id, LEDGER, 0, 1, 0);
            }
            else if (kind < 12)
            {
                batch.add(id, debit, MISSING_ACCOUNT, amount, 0, 0, LEDGER, 0, 1, 0);
            }
            else if (kind < 15)
            {
                final long timeoutSeconds = random.nextBoolean() ? 1 : 3600;
                batch.add(id, debit, credit, amount, 0, 0, LEDGER, timeoutSeconds, 1, TransferFlags.PENDING);
                pending.add(id);
            }
            else if (kind < 18 && !pending.isEmpty())
            {
                final long pendingId = pending.remove(random.nextInt(pending.size()));
                final int flags = random.nextBoolean() ? TransferFlags.POST_PENDING : TransferFlags.VOID_PENDING;
                batch.add(id, 0, 0, 0, pendingId, 0, 0, 0, 0, flags);
            }
            else if (batch.count() + 2 <= size)
            {
                batch.add(id, debit, credit, amount, 0, 0, LEDGER, 0, 1, TransferFlags.LINKED);
                final long second = nextTransferId++;
                final long badCredit = random.nextInt(3) == 0 ? MISSING_ACCOUNT : credit;
                batch.add(second, credit, badCredit, amount, 0, 0, LEDGER, 0, 1, 0);
            }
            else
            {
                batch.add(id, debit, credit, amount * 1000, 0, 0, LEDGER, 0, 1, 0);
            }
        }
        return batch;
    }

    /**
     * Send batches one after the other, each waited for, recording every result.
     */
    void run(final PaycoreClient client, final int batches, final int maxBatch)
    {
        for (int i = 0; i < batches; i++)
        {
            send(client, nextBatch(maxBatch));
        }
    }

    void send(final PaycoreClient client, final TransferEventArray batch)
    {
        final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(batch, timeout);
        record(batch, results);
    }

    void record(final TransferEventArray batch, final CreateResults<CreateTransferResult> results)
    {
        assertEquals(batch.count(), results.count());
        for (int i = 0; i < batch.count(); i++)
        {
            received.put(batch.id(i), new long[]{ results.result(i).ordinal(), results.timestamp(i) });
        }
    }

    /**
     * @return the id the next transfer will get.
     */
    long nextTransferId()
    {
        return nextTransferId;
    }

    long created()
    {
        return received.values().stream().filter((r) -> CreateTransferResult.OK.ordinal() == r[0]).count();
    }

    long failed()
    {
        return received.size() - created();
    }

    /**
     * Look up every transfer a client was told was created on the given node: each must be there with the timestamp
     * the client was told.
     *
     * @return how many were checked.
     */
    int verifyCreatedOn(final PaycoreClient client)
    {
        final List<Long> ids = new ArrayList<>();
        for (final Map.Entry<Long, long[]> entry : received.entrySet())
        {
            if (CreateTransferResult.OK.ordinal() == entry.getValue()[0])
            {
                ids.add(entry.getKey());
            }
        }
        final int chunk = 32;
        for (int from = 0; from < ids.size(); from += chunk)
        {
            final int to = Math.min(ids.size(), from + chunk);
            final long[] slice = new long[to - from];
            for (int i = from; i < to; i++)
            {
                slice[i - from] = ids.get(i);
            }
            final List<Transfer> found = client.lookupTransfersAndWait(timeout, slice);
            final Map<Long, Transfer> byId = new HashMap<>();
            for (final Transfer transfer : found)
            {
                byId.put(transfer.id(), transfer);
            }
            for (final long id : slice)
            {
                final Transfer transfer = byId.get(id);
                if (null == transfer)
                {
                    throw new AssertionError("transfer " + id + " was answered OK but is not on this node");
                }
                assertEquals(received.get(id)[1], transfer.timestamp(), "timestamp of transfer " + id);
            }
        }
        return ids.size();
    }
}
