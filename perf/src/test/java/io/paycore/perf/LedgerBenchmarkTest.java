package io.paycore.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger benchmarks' own setups, small: every batch applies, past the reset of a full ledger, with either id
 * scheme, and every id looked up is found.
 */
class LedgerBenchmarkTest
{
    @Test
    void shouldApplyEveryBatchWithEitherIdScheme()
    {
        for (final String transferIds : new String[]{ "ascending", "scattered" })
        {
            // One state each, as JMH runs each benchmark in a fork of its own: their ids would collide.
            final LedgerBenchmark single = benchmark(transferIds);
            final LedgerBenchmark twoPhase = benchmark(transferIds);
            for (int i = 0; i < 10; i++)
            {
                single.makeRoom();
                single.singleTransfers();
                single.verify();
                twoPhase.makeRoom();
                twoPhase.twoPhase();
                twoPhase.verify();
            }
        }
    }

    private static LedgerBenchmark benchmark(final String transferIds)
    {
        final LedgerBenchmark benchmark = new LedgerBenchmark();
        benchmark.accounts = 1_000;
        benchmark.maxTransfers = 4 * LedgerBenchmark.BATCH;
        benchmark.transferIds = transferIds;
        benchmark.setUp();
        return benchmark;
    }

    @Test
    void shouldMakeAscendingIdsAscendAndBothSchemesUseBothHalves()
    {
        for (long n = 1; n < 5_000; n++)
        {
            assertTrue(Long.compareUnsigned(LedgerBenchmark.transferIdHi(n, true),
                LedgerBenchmark.transferIdHi(n + 1, true)) < 0);
            assertTrue(0 != LedgerBenchmark.transferIdLo(n, true) && 0 != LedgerBenchmark.transferIdHi(n, false));
        }
    }

    @Test
    void shouldFindEveryTransferItLooksUp()
    {
        for (final String transferIds : new String[]{ "ascending", "scattered" })
        {
            final TransferLookupBenchmark benchmark = new TransferLookupBenchmark();
            benchmark.transfers = 10_000;
            benchmark.transferIds = transferIds;
            benchmark.setUp();
            long sum = 0;
            for (int i = 0; i < TransferLookupBenchmark.LOOKUPS / TransferLookupBenchmark.BATCH; i++)
            {
                sum += benchmark.lookups();
            }
            assertTrue(sum > 0);
        }
    }

    @Test
    void shouldRefuseAnUnknownIdScheme()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> benchmark("random"));
        assertEquals("transferIds must be ascending or scattered: random", ex.getMessage());
    }
}
