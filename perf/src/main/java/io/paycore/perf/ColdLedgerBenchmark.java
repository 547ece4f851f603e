package io.paycore.perf;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferResults;
import org.agrona.IoUtil;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@link Ledger#createTransfers} on one thread when a tenth of the transfers touch cold ids, in
 * transfers per second: batches of {@value #BATCH} where {@value #COLD_PER_BATCH} events re-send transfers created
 * long ago (they left the hot window and are in an LMDB cold tier, so the ledger reads them from the store and
 * answers {@code EXISTS}) and the rest are new single-phase transfers between random pairs of
 * {@value #ACCOUNTS} accounts, as in {@link LedgerBenchmark}.
 * <p>
 * The cold reads happen on the measured thread, from the store ({@link LmdbColdTier}): the prefetch stage that is
 * to load them ahead of the ledger is not built yet, so this is the ledger's cost without it. The trial setup
 * creates {@link #coldTransfers} transfers through a ledger with a small window and a synchronous tier, and takes a
 * snapshot; the measured ledger is that snapshot restored with a hot window of {@link #hotWindow}, and is restored
 * again, outside the measured time, before its window would fill (so the store is never written while measuring).
 * Each batch is built outside the measured time too. A {@link Level#Iteration} teardown checks the answers of the
 * last batch.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dsbe.enable.precedence.checks=false",
    "-Xms3g", "-Xmx3g", "-XX:+UseTransparentHugePages" })
@State(Scope.Thread)
public class ColdLedgerBenchmark
{
    static final int ACCOUNTS = 100_000;
    static final int BATCH = 1024;
    static final int COLD_PER_BATCH = BATCH / 10;
    static final long FIRST_ACCOUNT_ID = 1_000_000;
    static final long FIRST_COLD_ID = 1L << 40;
    static final long FIRST_NEW_ID = 1L << 50;
    static final long TIME_STEP_NANOS = 10_000;
    static final int SETUP_WINDOW = 65_536;

    /**
     * Transfers created before measurement, nearly all of them cold.
     */
    @Param({ "1000000" })
    public int coldTransfers;

    /**
     * The measured ledger's hot window.
     */
    @Param({ "1048576" })
    public int hotWindow;

    private Path directory;
    private LmdbColdTier cold;
    private LedgerLimits limits;
    private byte[] snapshot;
    private Ledger ledger;
    private long restoredRecords;
    private final TransferEventArray events = new TransferEventArray(BATCH);
    private final TransferResults results = new TransferResults(BATCH);
    private final SplittableRandom random = new SplittableRandom(42);
    private long nextNewId = FIRST_NEW_ID;
    private long recordTimestampNanos = 1_700_000_000_000_000_000L;

    /**
     * Create the accounts and the cold transfers, and the snapshot the measured ledger starts from.
     *
     * @throws IOException if the store or the snapshot cannot be written.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        directory = Files.createTempDirectory("paycore-cold-ledger-");
        cold = new LmdbColdTier(directory, 8L << 30);
        final Ledger setup = new Ledger(new LedgerLimits()
            .maxAccounts(ACCOUNTS).maxTransfers(SETUP_WINDOW).maxPendingTransfers(BATCH).maxBatchEvents(BATCH), cold);

        final AccountEventArray accounts = new AccountEventArray(BATCH);
        final AccountResults accountResults = new AccountResults(BATCH);
        for (int i = 0; i < ACCOUNTS; )
        {
            accounts.reset();
            for (int k = 0; k < BATCH && i < ACCOUNTS; k++, i++)
            {
                accounts.add(FIRST_ACCOUNT_ID + i, 0, 1, 1, 0);
            }
            recordTimestampNanos += TIME_STEP_NANOS;
            setup.createAccounts(accounts, recordTimestampNanos, accountResults);
            if (CreateAccountResult.OK != accountResults.result(0))
            {
                throw new IllegalStateException("account setup failed: " + accountResults.result(0));
            }
        }
        for (int k = 0; k < coldTransfers; )
        {
            events.reset();
            for (int i = 0; i < BATCH && k < coldTransfers; i++, k++)
            {
                addColdTransfer(k);
            }
            recordTimestampNanos += TIME_STEP_NANOS;
            setup.createTransfers(events, recordTimestampNanos, results);
            check(results, results.count(), 0);
        }

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        setup.writeSnapshot(Channels.newChannel(bytes));
        snapshot = bytes.toByteArray();
        limits = new LedgerLimits()
            .maxAccounts(ACCOUNTS).maxTransfers(hotWindow).maxPendingTransfers(BATCH).maxBatchEvents(BATCH);
        restore();
    }

    /**
     * Restore the measured ledger when its next batch could start to seal; build the next batch.
     *
     * @throws IOException if the snapshot cannot be read.
     */
    @Setup(Level.Invocation)
    public void nextBatch() throws IOException
    {
        if (ledger.recordCount() - restoredRecords + BATCH > hotWindow - SETUP_WINDOW)
        {
            restore();
        }
        events.reset();
        for (int i = 0; i < BATCH; i++)
        {
            if (i % (BATCH / COLD_PER_BATCH) == 0 && i / (BATCH / COLD_PER_BATCH) < COLD_PER_BATCH)
            {
                addColdTransfer(random.nextInt(coldTransfers - SETUP_WINDOW));
            }
            else
            {
                final int debit = random.nextInt(ACCOUNTS);
                int credit = random.nextInt(ACCOUNTS - 1);
                if (credit >= debit)
                {
                    credit++;
                }
                events.add(nextNewId++, FIRST_ACCOUNT_ID + debit, FIRST_ACCOUNT_ID + credit,
                    1 + random.nextInt(10_000), 0, 0, 1, 0, 1, 0);
            }
        }
    }

    /**
     * One batch: a tenth re-sends of cold transfers, the rest new.
     *
     * @return the results, so that nothing is eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public TransferResults tenPercentCold()
    {
        recordTimestampNanos += TIME_STEP_NANOS;
        ledger.createTransfers(events, recordTimestampNanos, results);
        return results;
    }

    /**
     * Check that the last batch answered as it should, so that a broken setup cannot pass for a fast one.
     */
    @TearDown(Level.Iteration)
    public void checkLastBatch()
    {
        check(results, BATCH - COLD_PER_BATCH, COLD_PER_BATCH);
    }

    /**
     * Close and delete the store.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        cold.close();
        IoUtil.delete(directory.toFile(), false);
    }

    private void restore() throws IOException
    {
        ledger = null;
        ledger = Ledger.readSnapshot(Channels.newChannel(new ByteArrayInputStream(snapshot)), limits, cold);
        restoredRecords = ledger.recordCount();
    }

    private void addColdTransfer(final int k)
    {
        final long debit = FIRST_ACCOUNT_ID + (k * 7919L) % ACCOUNTS;
        long credit = FIRST_ACCOUNT_ID + (k * 104_729L + 1) % ACCOUNTS;
        if (credit == debit)
        {
            credit = FIRST_ACCOUNT_ID + ((credit - FIRST_ACCOUNT_ID + 1) % ACCOUNTS);
        }
        events.add(FIRST_COLD_ID + k, debit, credit, 1 + k % 1000, 0, 0, 1, 0, 1, 0);
    }

    private static void check(final TransferResults results, final int ok, final int exists)
    {
        int okFound = 0;
        int existsFound = 0;
        for (int i = 0; i < results.count(); i++)
        {
            if (CreateTransferResult.OK == results.result(i))
            {
                okFound++;
            }
            else if (CreateTransferResult.EXISTS == results.result(i))
            {
                existsFound++;
            }
            else
            {
                throw new IllegalStateException("event " + i + " answered " + results.result(i));
            }
        }
        if (okFound != ok || existsFound != exists)
        {
            throw new IllegalStateException("expected " + ok + " OK and " + exists + " EXISTS, found " + okFound +
                " and " + existsFound);
        }
    }
}
