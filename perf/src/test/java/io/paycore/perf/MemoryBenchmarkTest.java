package io.paycore.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBenchmarkTest
{
    @Test
    void shouldChainEveryCacheLineIntoOneCycle()
    {
        final MemoryBenchmark benchmark = new MemoryBenchmark();
        benchmark.sizeMiB = 1;
        benchmark.setUp();
        final long[] memory = benchmark.memory();
        final int lines = memory.length / MemoryBenchmark.LINE_LONGS;
        final boolean[] seen = new boolean[lines];

        int at = 0;
        for (int i = 0; i < lines; i++)
        {
            assertEquals(0, at % MemoryBenchmark.LINE_LONGS, "read " + i + " is not at a line's start: " + at);
            assertTrue(!seen[at / MemoryBenchmark.LINE_LONGS], "line " + at / MemoryBenchmark.LINE_LONGS + " twice");
            seen[at / MemoryBenchmark.LINE_LONGS] = true;
            at = (int)memory[at];
        }
        assertEquals(0, at, "the cycle does not close after every line");
    }

    @Test
    void shouldReadThroughTheCycleAndTheAddresses()
    {
        final MemoryBenchmark benchmark = new MemoryBenchmark();
        benchmark.sizeMiB = 1;
        benchmark.setUp();

        final int lines = benchmark.memory().length / MemoryBenchmark.LINE_LONGS;
        int at = 0;
        for (int i = 0; i < lines / MemoryBenchmark.READS; i++)
        {
            at = benchmark.dependentRead();
        }
        assertEquals(0, at, "a whole cycle of reads ends where it began");
        assertTrue(benchmark.independentRead() > 0);
    }
}
