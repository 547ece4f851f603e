package io.paycore.core.ledger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LedgerLimitsTest
{
    @AfterEach
    void clearProperty()
    {
        System.clearProperty(LedgerLimits.MAX_ACCOUNTS_PROP_NAME);
    }

    @Test
    void shouldDefaultToConstants()
    {
        final LedgerLimits limits = new LedgerLimits();

        assertEquals(1_048_576, limits.maxAccounts());
        assertEquals(4_194_304, limits.maxTransfers());
        assertEquals(1_048_576, limits.maxPendingTransfers());
        assertEquals(1024, limits.maxBatchEvents());
    }

    @Test
    void shouldDefaultFromSystemProperty()
    {
        System.setProperty(LedgerLimits.MAX_ACCOUNTS_PROP_NAME, "123");

        assertEquals(123, new LedgerLimits().maxAccounts());
    }

    @Test
    void shouldNameTheLimitOutOfRange()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class,
            () -> new Ledger(new LedgerLimits().maxTransfers(10).maxPendingTransfers(0)));

        assertTrue(ex.getMessage().contains(LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LedgerLimits().maxAccounts(0).validate());
    }

    @Test
    void shouldCountTheHeapOfTheDefaultsAsTheClassCommentDoes()
    {
        final LedgerLimits limits = new LedgerLimits();

        // 160 MiB of accounts and their index, 736 MiB of transfers, their index, heap positions and ascending
        // index, 12 MiB of expiry heap, 32 KiB of batch scratch; a scratch record, and the 8 slots of an empty pool's
        // index.
        assertEquals((160L << 20) + (736L << 20) + (12L << 20) + (32L << 10) + Ledger.TRANSFER_BYTES + 64,
            limits.heapBytesEstimate(false));
        // A cold tier adds the records it has not written yet, the pool of sealed pending transfers and its index,
        // and a ring position for each record.
        assertTrue(limits.heapBytesEstimate(true) > limits.heapBytesEstimate(false) +
            (long)(limits.maxColdLagRecords() + limits.maxPendingTransfers()) * Ledger.TRANSFER_BYTES);
    }

    @Test
    void shouldRefuseALedgerLargerThanTheHeapBeforeAllocatingIt()
    {
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(LedgerLimits.MAX_RECORDS_BOUND)
            .maxTransfers(LedgerLimits.MAX_RECORDS_BOUND);
        assumeTrue(limits.heapBytesEstimate(false) > Runtime.getRuntime().maxMemory(), "a heap under 44 GiB");

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new Ledger(limits));

        assertTrue(ex.getMessage().startsWith("a ledger of 134,217,728 accounts, 134,217,728 transfers in memory " +
            "and 1,048,576 pending transfers takes about 44,044 MiB of heap, more than " +
            LedgerLimits.heapDescription(LedgerLimits.longLivedHeapBytes())), ex.getMessage());
    }

    @Test
    void shouldFitLedgersToTheOldGenerationWhereTheCollectorGivesItAFixedShare()
    {
        final long maxHeapBytes = Runtime.getRuntime().maxMemory();
        long oldGenerationBytes = -1;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getName().equals("PS Old Gen") || pool.getName().equals("Tenured Gen"))
            {
                oldGenerationBytes = pool.getUsage().getMax();
            }
        }
        // Surefire runs ParallelGC, as bin/paycore does: a third of the heap is young generation by default.
        assumeTrue(oldGenerationBytes > 0 && oldGenerationBytes < maxHeapBytes, "a collector with a fixed old gen");

        assertEquals(oldGenerationBytes, LedgerLimits.longLivedHeapBytes());
        assertEquals(String.format(Locale.ROOT, "this JVM's old generation of %,d MiB (of a %,d MiB heap; -Xmn or " +
            "-XX:NewRatio sizes the young generation beside it)", oldGenerationBytes >> 20, maxHeapBytes >> 20),
            LedgerLimits.heapDescription(oldGenerationBytes));
        assertEquals(String.format(Locale.ROOT, "this JVM's maximum heap of %,d MiB", maxHeapBytes >> 20),
            LedgerLimits.heapDescription(maxHeapBytes));

        // A ledger is checked against the bound it is given, to the byte.
        final LedgerLimits limits = new LedgerLimits().maxAccounts(1_000).maxPendingTransfers(1_000);
        final long ledgerBytes = limits.heapBytesEstimate(false);
        assertNull(limits.heapShortfall(false, 1, ledgerBytes));
        assertTrue(limits.heapShortfall(false, 1, ledgerBytes - 1).endsWith(
            "more than " + LedgerLimits.heapDescription(ledgerBytes - 1)));
    }

    @Test
    void shouldAnswerAccountsFullAtCapacityWithoutGrowing()
    {
        final LedgerFixture f = new LedgerFixture()
            .accounts(new LedgerLimits().maxAccounts(3).maxTransfers(4).maxPendingTransfers(1).maxBatchEvents(8));
        f.accountEvents.reset().add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0).add(3, 0, 1, 1, 0).add(4, 0, 1, 1, 0);
        f.applyAccounts();

        assertEquals(io.paycore.codec.sbe.CreateAccountResult.ACCOUNTS_FULL, f.accountResults.result(3));
        assertEquals(3, f.ledger.accountCount());
    }
}
