package io.paycore.perf;

import io.paycore.core.query.QueryFilter;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.query.QueryEngine;
import org.agrona.IoUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * How fast a query server's query reads its range, in entries per second: what a query that matches nothing costs
 * the server's one thread, and so what {@code query-server --max-scan} bounds. The trial setup writes the journal of
 * {@link ReplayBenchmark} ({@value ReplayBenchmark#TRANSFERS} single-phase transfers) and has a {@link QueryEngine}
 * index all of it; every invocation is one {@code QueryTransfers} over the whole history whose filter
 * ({@code user_data_64} no transfer has) matches nothing, so it reads every transfer of the store (128 bytes each,
 * memory mapped, from a warm page cache). A score in ops/s is transfers read per second; a query reads its range
 * twice when it has results (count, then encode).
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar QueryScanBenchmark -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dsbe.enable.precedence.checks=false",
    "-Xms2g", "-Xmx2g", "-XX:+UseParallelGC" })
@State(Scope.Benchmark)
public class QueryScanBenchmark
{
    private Path root;
    private QueryEngine engine;
    private final QueryFilter matchingNothing = new QueryFilter();

    /**
     * Write the journal and index it.
     *
     * @throws IOException if the temporary directory cannot be made.
     */
    @Setup(Level.Trial)
    public void index() throws IOException
    {
        root = Files.createTempDirectory("paycore-query-bench-");
        final DataDirectory directory = new DataDirectory(root.resolve("data"));
        ReplayBenchmark.writeJournal(directory, false);
        engine = QueryEngine.open(new ChangeFeedContext().directory(directory).limits(ReplayBenchmark.limits())
            .coldTierSizeBytes(0), root.resolve("store")).maxScan(Long.MAX_VALUE);
        while (engine.poll(4096) > 0)
        {
            // index everything
        }
        if (engine.transferCount() != ReplayBenchmark.TRANSFERS)
        {
            throw new IllegalStateException("indexed " + engine.transferCount() + " transfers, expected " +
                ReplayBenchmark.TRANSFERS);
        }
        matchingNothing.limit(1024).userData64(Long.MAX_VALUE);
    }

    /**
     * Close the engine and delete the journal and store.
     */
    @TearDown(Level.Trial)
    public void delete()
    {
        engine.close();
        IoUtil.delete(root.toFile(), true);
    }

    /**
     * One query over the whole history that matches nothing.
     *
     * @return transfers read, so that nothing is eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(ReplayBenchmark.TRANSFERS)
    public long queryTransfersMatchingNothing()
    {
        final int found = engine.queryTransfers(matchingNothing, t -> { });
        if (0 != found || engine.scanned() != ReplayBenchmark.TRANSFERS)
        {
            throw new IllegalStateException("found " + found + " and read " + engine.scanned());
        }
        return engine.scanned();
    }
}
