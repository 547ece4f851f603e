package io.paycore.core.cold;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferResults;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmdbColdTierTest
{
    private static final LedgerLimits LIMITS = new LedgerLimits()
        .maxAccounts(4).maxTransfers(4).maxPendingTransfers(4).maxBatchEvents(64).maxColdLagRecords(128);

    @TempDir
    Path directory;

    private final AccountEventArray accounts = new AccountEventArray(64);
    private final AccountResults accountResults = new AccountResults(64);
    private final TransferEventArray transfers = new TransferEventArray(64);
    private final TransferResults transferResults = new TransferResults(64);
    private long nowNanos = 1_000_000_000L;

    @Test
    void shouldKeepWhatItHoldsAcrossAReopen() throws IOException
    {
        final byte[] snapshot;
        final String digest;
        try (LmdbColdTier cold = new LmdbColdTier(directory, 64L << 20))
        {
            final Ledger ledger = new Ledger(LIMITS, cold);
            createAccounts(ledger);
            for (long id = 1; id <= 100; id++)
            {
                assertEquals(CreateTransferResult.OK, transfer(ledger, id, id));
            }
            assertEquals(96, cold.writtenRecords());
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ledger.writeSnapshot(Channels.newChannel(bytes));
            snapshot = bytes.toByteArray();
            digest = ledger.digestHex();
        }

        try (LmdbColdTier cold = new LmdbColdTier(directory, 64L << 20))
        {
            assertEquals(96, cold.writtenRecords());
            final Ledger ledger = Ledger.readSnapshot(
                Channels.newChannel(new ByteArrayInputStream(snapshot)), LIMITS, cold);
            assertEquals(digest, ledger.digestHex());
            assertEquals(7, ledger.transferAmountLo(ledger.transferIndex(0, 7)));
            assertEquals(CreateTransferResult.EXISTS, transfer(ledger, 7, 7));
            assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT, transfer(ledger, 7, 8));
            assertEquals(CreateTransferResult.OK, transfer(ledger, 101, 101));
            assertTrue(cold.finds() > 0);
        }
    }

    @Test
    void shouldGiveACopyBehindTheLedgerAFollowerViewThatReadsAndNeverWrites() throws Exception
    {
        try (LmdbColdTier cold = new LmdbColdTier(directory, 64L << 20))
        {
            final Ledger ledger = new Ledger(LIMITS, cold);
            createAccounts(ledger);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ledger.writeSnapshot(Channels.newChannel(bytes));
            final Ledger copy = Ledger.readSnapshot(
                Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), LIMITS, cold.follower());
            final long startNanos = nowNanos;
            for (long id = 1; id <= 100; id++)
            {
                assertEquals(CreateTransferResult.OK, transfer(ledger, id, id));
            }
            assertEquals(96, cold.writtenRecords());
            final String digest = ledger.digestHex();

            // The copy applies the same transfers behind the ledger, on a thread of its own: it finds the old ones
            // in the tier (a re-send is EXISTS there too) and counts as written what the ledger's tier wrote.
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long savedNanos = nowNanos;
            final Thread follower = new Thread(() ->
            {
                try
                {
                    nowNanos = startNanos;
                    for (long id = 1; id <= 100; id++)
                    {
                        assertEquals(CreateTransferResult.OK, transfer(copy, id, id));
                    }
                    assertEquals(digest, copy.digestHex());
                    assertEquals(CreateTransferResult.EXISTS, transfer(copy, 7, 7));
                    assertEquals(96, copy.coldTier().writtenRecords());
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            });
            follower.start();
            follower.join();
            nowNanos = savedNanos;
            if (null != failure.get())
            {
                throw new AssertionError(failure.get());
            }
            assertEquals(CreateTransferResult.EXISTS, transfer(ledger, 7, 7));
            assertEquals(96, cold.writtenRecords(), "the follower wrote nothing");
        }
        try (LmdbColdTier cold = new LmdbColdTier(directory.resolve("over"), 64L << 20, directory))
        {
            assertThrows(IllegalStateException.class, cold::follower);
        }
    }

    @Test
    void shouldTellTheHighestIdItHoldsAndABaseHolds()
    {
        final long[] highest = new long[2];
        try (LmdbColdTier cold = new LmdbColdTier(directory.resolve("base"), 64L << 20))
        {
            cold.copyHighestId(highest);
            assertEquals(0, highest[0] | highest[1], "none held");
            final Ledger ledger = new Ledger(LIMITS, cold);
            createAccounts(ledger);
            for (final long id : new long[]{ 5, 900, 7, 12, 13, 14, 15, 16 })
            {
                assertEquals(CreateTransferResult.OK, transfer(ledger, id, 1));
            }
            cold.copyHighestId(highest);
            assertEquals(0, highest[0]);
            assertEquals(900, highest[1], "the highest sealed, whatever the order it came in");
        }
        try (LmdbColdTier over = new LmdbColdTier(directory.resolve("over"), 64L << 20, directory.resolve("base")))
        {
            over.copyHighestId(highest);
            assertEquals(900, highest[1], "the base's");
        }
    }

    @Test
    void shouldRefuseRecordsOfAnotherHistory()
    {
        try (LmdbColdTier cold = new LmdbColdTier(directory, 64L << 20))
        {
            final Ledger first = new Ledger(LIMITS, cold);
            createAccounts(first);
            for (long id = 1; id <= 10; id++)
            {
                transfer(first, id, 1);
            }

            final Ledger second = new Ledger(LIMITS, cold);
            createAccounts(second);
            for (long id = 1; id <= 4; id++)
            {
                transfer(second, id, 1);
            }
            final ColdTierException ex = assertThrows(ColdTierException.class, () -> transfer(second, 5, 1));
            assertTrue(ex.getMessage().contains("belongs to another ledger or history"), ex.getMessage());
        }
    }

    @Test
    void shouldSayWhenItIsFull()
    {
        try (LmdbColdTier cold = new LmdbColdTier(directory, 128L << 10))
        {
            final Ledger ledger = new Ledger(LIMITS, cold);
            createAccounts(ledger);
            final ColdTierFullException ex = assertThrows(ColdTierFullException.class, () ->
            {
                for (long id = 1; id <= 100_000; id++)
                {
                    transfer(ledger, id, 1);
                }
            });
            assertTrue(ex.getMessage().startsWith("the cold tier is full (131072 bytes)"), ex.getMessage());
        }
    }

    @Test
    void shouldStopTakingTransfersAndLoseNoneWhenTheWriterFindsTheTierFull() throws Exception
    {
        try (AsyncLmdbColdTier cold = new AsyncLmdbColdTier(directory, 128L << 10, 16);
            AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, cold))
        {
            AgentRunner.startOnThread(runner);
            final Ledger ledger = new Ledger(LIMITS, cold);
            createAccounts(ledger);
            long created = 0;
            CreateTransferResult result = CreateTransferResult.OK;
            for (long id = 1; id <= 100_000 && CreateTransferResult.OK == result; id++)
            {
                while (cold.writtenRecords() < ledger.sealedRecords() && null == cold.failure())
                {
                    Thread.yield();
                }
                result = transfer(ledger, id, 1);
                if (CreateTransferResult.OK == result)
                {
                    created++;
                }
            }

            assertTrue(cold.failure() instanceof ColdTierFullException, String.valueOf(cold.failure()));
            assertEquals(CreateTransferResult.TRANSFERS_FULL, result);
            assertEquals(created, ledger.transferCount());
            for (long id = 1; id <= created; id++)
            {
                assertEquals(1, ledger.transferAmountLo(ledger.transferIndex(0, id)), "transfer " + id);
            }
        }
    }

    @Test
    void shouldWriteRecordsWithoutAllocatingPerRecord()
    {
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(4).maxTransfers(16).maxPendingTransfers(4).maxBatchEvents(64).maxColdLagRecords(20_000);
        try (AsyncLmdbColdTier cold = new AsyncLmdbColdTier(directory, 64L << 20, 1 << 20))
        {
            final Ledger ledger = new Ledger(limits, cold);
            createAccounts(ledger);
            for (long id = 1; id <= 100; id++)
            {
                assertEquals(CreateTransferResult.OK, transfer(ledger, id, 1));
            }
            cold.doWork();
            for (long id = 101; id <= 10_100; id++)
            {
                assertEquals(CreateTransferResult.OK, transfer(ledger, id, 1));
            }
            final long before = cold.writtenRecordsNow();
            final long allocatedBefore = allocatedBytes();
            final int written = cold.doWork();
            final long allocated = allocatedBytes() - allocatedBefore;

            assertEquals(10_000, written);
            assertEquals(before + written, cold.writtenRecordsNow());
            // One transaction's objects, not hundreds of bytes a record (what a put with flags costs in lmdbjava).
            assertTrue(allocated < 20_000, "allocated " + allocated + " bytes writing " + written + " records");
        }
    }

    @Test
    void shouldPrefetchStoredIdsAndSkipIdsAboveTheHighestStored()
    {
        try (AsyncLmdbColdTier cold = new AsyncLmdbColdTier(directory, 64L << 20, 1 << 10).synchronous(true))
        {
            final Ledger ledger = new Ledger(LIMITS, cold);
            createAccounts(ledger);
            // Ids not in order: the highest stored is what counts, not the last.
            final long[] ids = { 50, 10, 90, 30, 70, 20, 80, 40, 60, 5, 6, 7, 8 };
            for (final long id : ids)
            {
                assertEquals(CreateTransferResult.OK, transfer(ledger, id, id));
            }
            final long written = cold.writtenRecordsNow();
            assertEquals(ids.length - LIMITS.maxTransfers(), written);

            final long start = cold.prefetchPosition();
            cold.beginPrefetch();
            cold.prefetch(0, 90);
            cold.prefetch(0, 10);
            cold.prefetch(0, 11);
            cold.prefetch(0, 91);
            cold.prefetch(0, -1L);
            cold.endPrefetch();
            final int count = (int)(cold.prefetchPosition() - start);
            assertEquals(2, count);

            final long[] into = new long[Ledger.RECORD_LONGS];
            cold.beginRecord(written, start, count);
            assertTrue(cold.find(0, 90, Long.MAX_VALUE, into, 0));
            assertEquals(90, into[Ledger.R_ID_LO]);
            assertTrue(cold.find(0, 10, Long.MAX_VALUE, into, 0));
            assertEquals(10, into[Ledger.R_ID_LO]);
            assertFalse(cold.find(0, 11, Long.MAX_VALUE, into, 0));
            assertFalse(cold.find(0, 91, Long.MAX_VALUE, into, 0));
            cold.endRecord();
            assertTrue(cold.hasPrefetchRoom(cold.prefetchCapacity()));
        }
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean())
            .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private void createAccounts(final Ledger ledger)
    {
        accounts.reset().add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0);
        ledger.createAccounts(accounts, nowNanos, accountResults);
        assertEquals(CreateAccountResult.OK, accountResults.result(1));
    }

    private CreateTransferResult transfer(final Ledger ledger, final long id, final long amount)
    {
        nowNanos += 1_000;
        transfers.reset().add(id, 1, 2, amount, 0, 0, 1, 0, 1, 0);
        ledger.createTransfers(transfers, nowNanos, transferResults);
        return transferResults.result(0);
    }
}
