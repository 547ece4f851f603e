package io.paycore.perf;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one random read of memory costs on this machine, in nanoseconds, in a {@code long[]} of {@link #sizeMiB}
 * MiB: the machine-side bound under {@link LedgerBenchmark}, whose transfers wait mostly for random reads of large
 * arrays. Run it beside the ledger to tell a slower machine from slower code.
 * <ul>
 *     <li>{@code dependentRead}: each read's address comes from the read before it (a random cycle through one
 *     long of every cache line), so no two misses overlap: the latency of one miss;</li>
 *     <li>{@code independentRead}: {@value #READS} reads whose addresses are known in advance, summed, as the
 *     ledger's prefetch pass reads its index slots and account records: the CPU overlaps as many misses as it
 *     can, so this is the cost of a miss when the memory's parallelism is used.</li>
 * </ul>
 * The fork runs with the same heap and transparent huge pages as {@link LedgerBenchmark}'s. Nothing random in the
 * measured path: the cycle and the addresses are made once in setup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g", "-XX:+UseTransparentHugePages" })
@State(Scope.Thread)
public class MemoryBenchmark
{
    static final int READS = 1024;
    static final int LINE_LONGS = 8;

    /**
     * Size of the array read, in MiB: 4 fits in the last-level cache of most machines, 64 is the ledger's
     * transfer index at its benchmark size, 256 about its ring of transfer records.
     */
    @Param({ "4", "64", "256" })
    public int sizeMiB;

    private long[] memory;
    private int[] addresses;
    private int next;
    private int window;

    /**
     * Fill the array with a random cycle through its cache lines, and pick the addresses of the independent reads.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final int longs = (int)((long)sizeMiB << 20 >>> 3);
        final int lines = longs / LINE_LONGS;
        memory = new long[longs];
        final int[] order = new int[lines];
        for (int i = 0; i < lines; i++)
        {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = lines - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        for (int i = 0; i < lines; i++)
        {
            memory[order[i] * LINE_LONGS] = (long)order[(i + 1) % lines] * LINE_LONGS;
        }
        addresses = new int[1 << 20];
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] = random.nextInt(lines) * LINE_LONGS;
        }
    }

    /**
     * @return the array read: at the first long of every cache line, the index of the next line's first long.
     */
    long[] memory()
    {
        return memory;
    }

    /**
     * {@value #READS} reads, each at the address the one before it read.
     *
     * @return the last address, so that the reads are not eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(READS)
    public int dependentRead()
    {
        final long[] memory = this.memory;
        int at = next;
        for (int i = 0; i < READS; i++)
        {
            at = (int)memory[at];
        }
        next = at;
        return at;
    }

    /**
     * {@value #READS} reads at addresses known in advance, from a window that slides by {@value #READS} each call.
     *
     * @return the sum of what was read, so that the reads are not eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(READS)
    public long independentRead()
    {
        final long[] memory = this.memory;
        final int[] addresses = this.addresses;
        final int from = window;
        long sum = 0;
        for (int i = from; i < from + READS; i++)
        {
            sum += memory[addresses[i]];
        }
        window = (from + READS) & (addresses.length - 1);
        return sum;
    }
}
