package io.paycore.perf;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferResults;
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
 * What looking up an existing transfer by id costs the ledger's thread ({@link Ledger#transferIndex}, as
 * {@code lookup_transfers}, a retry's {@code EXISTS} and a post of a pending transfer find one), in nanoseconds a
 * lookup, with {@link #transfers} transfers in memory made with {@link LedgerBenchmark}'s id schemes
 * ({@link #transferIds}): {@code ascending} ids are in the ledger's ascending index, found by a search of several
 * record reads; {@code scattered} ids are in its hash index, found in a line or two. The ids looked up are drawn
 * at random from all of them, once, in setup; the lookups of one invocation do not depend on each other, as those
 * of one {@code lookup_transfers} request do not.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dsbe.enable.precedence.checks=false",
    "-Xms2g", "-Xmx2g", "-XX:+UseTransparentHugePages" })
@State(Scope.Thread)
public class TransferLookupBenchmark
{
    static final int BATCH = 1024;
    static final int LOOKUPS = 1 << 20;

    /**
     * Transfers created in setup, each between two random accounts of {@value LedgerBenchmark#BATCH} batches.
     */
    @Param({ "2097152" })
    public int transfers;

    /**
     * As {@link LedgerBenchmark#transferIds}.
     */
    @Param({ "ascending", "scattered" })
    public String transferIds;

    private Ledger ledger;
    private final long[] lookupHi = new long[LOOKUPS];
    private final long[] lookupLo = new long[LOOKUPS];
    private int next;

    /**
     * Build a ledger of {@link #transfers} transfers between 1,000 accounts, and the ids to look up.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final boolean ascending = LedgerBenchmark.isAscending(transferIds);
        final int accounts = 1_000;
        ledger = new Ledger(new LedgerLimits()
            .maxAccounts(accounts).maxTransfers(transfers).maxPendingTransfers(BATCH).maxBatchEvents(BATCH));
        long nowNanos = 1_700_000_000_000_000_000L;
        final AccountEventArray accountEvents = new AccountEventArray(BATCH);
        final AccountResults accountResults = new AccountResults(BATCH);
        accountEvents.reset();
        for (int i = 0; i < accounts; i++)
        {
            accountEvents.add().id(0, i + 1).ledger(1).code(1);
        }
        ledger.createAccounts(accountEvents, nowNanos, accountResults);
        for (int i = 0; i < accounts; i++)
        {
            if (accountResults.result(i) != CreateAccountResult.OK)
            {
                throw new IllegalStateException("account setup failed: " + accountResults.result(i));
            }
        }

        final SplittableRandom random = new SplittableRandom(42);
        final TransferEventArray events = new TransferEventArray(BATCH);
        final TransferResults results = new TransferResults(BATCH);
        for (long n = 1; n <= transfers; )
        {
            events.reset();
            for (int k = 0; k < BATCH && n <= transfers; k++, n++)
            {
                final int debit = 1 + random.nextInt(accounts);
                events.add().id(LedgerBenchmark.transferIdHi(n, ascending), LedgerBenchmark.transferIdLo(n, ascending))
                    .debitAccountId(0, debit).creditAccountId(0, debit % accounts + 1).amount(0, 1).ledger(1).code(1);
            }
            nowNanos += 10_000;
            ledger.createTransfers(events, nowNanos, results);
            for (int k = 0; k < results.count(); k++)
            {
                if (results.result(k) != CreateTransferResult.OK)
                {
                    throw new IllegalStateException("transfer setup failed: " + results.result(k));
                }
            }
        }
        for (int i = 0; i < LOOKUPS; i++)
        {
            final long n = 1 + random.nextInt(transfers);
            lookupHi[i] = LedgerBenchmark.transferIdHi(n, ascending);
            lookupLo[i] = LedgerBenchmark.transferIdLo(n, ascending);
        }
    }

    /**
     * {@value #BATCH} lookups of existing transfers.
     *
     * @return the sum of the indexes found, so that nothing is eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long lookups()
    {
        final int from = next;
        next = (from + BATCH) & (LOOKUPS - 1);
        long sum = 0;
        for (int i = from; i < from + BATCH; i++)
        {
            final int index = ledger.transferIndex(lookupHi[i], lookupLo[i]);
            if (index < 0)
            {
                throw new IllegalStateException("transfer not found");
            }
            sum += index;
        }
        return sum;
    }
}
