package io.paycore.perf;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEvents;
import io.paycore.core.ledger.TransferFlags;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@link Ledger#createTransfers} on one thread, in transfers per second.
 * <ul>
 *     <li>{@code singleTransfers}: batches of {@value #BATCH} single-phase transfers between uniformly random pairs
 *     of {@link #accounts} accounts (100,000 by default) (one ledger, no balance flags);</li>
 *     <li>{@code twoPhase}: batches of {@value #BATCH} transfers made of {@value #BATCH}/2 pairs of a pending
 *     transfer (with a one-hour timeout, so it enters the expiry heap) and the post of its full amount.</li>
 * </ul>
 * Every invocation applies one batch, so a score in ops/s is transfers/s ({@link OperationsPerInvocation}).
 * The fork asks for transparent huge pages, as {@code bin/paycore} does: the id indices are large and read at
 * random, and with 4 KiB pages nearly every lookup also misses the TLB (on the project's first 2-core Intel machine,
 * 7.7M instead of 11.7M single transfers/s; on its AMD EPYC VM no difference, see {@link MemoryBenchmark}). No
 * {@code -XX:+AlwaysPreTouch}: with ParallelGC and huge pages it cost a quarter of the throughput on the Intel
 * machine (8.9M), and the ledger writes all of its preallocated arrays at start anyway.
 * The random pairs and amounts are generated once in setup and read through a window that slides by one batch
 * per invocation; transfer ids come from a counter; the record timestamp advances by a fixed step. Ids are 128-bit
 * with both halves in use (protocol version 2): the low half is the account number or the counter, the high half
 * is derived from it with one multiplication ({@link #highHalf(long)}), so the id indices hash and compare both halves
 * of every id, as with TigerBeetle-style ids. Nothing random,
 * no clock and no allocation in the measured path.
 * <p>
 * Retained-transfer capacity is {@link #maxTransfers} (a parameter, 2,097,152 by default; try
 * {@code -p maxTransfers=65536} to see the cost of a large transfer index). So that capacity never becomes the
 * bottleneck (no {@code TRANSFERS_FULL}), a {@link Level#Invocation} setup resets the ledger when the next batch
 * would not fit, with {@link Ledger#reset()}, and recreates the accounts: once every maxTransfers / {@value #BATCH}
 * invocations, outside the measured time (an invocation is about 100 us, long enough for the per-invocation
 * timestamps JMH then takes). The ledger is built once per trial, so the id indices are sized for the full
 * capacity and the measured path sees a realistically large, cache-missing transfer index. A
 * {@link Level#Iteration} teardown checks that the last batch was all {@code OK}, so a broken setup cannot pass
 * for a fast one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dsbe.enable.precedence.checks=false",
    "-Xms2g", "-Xmx2g", "-XX:+UseTransparentHugePages" })
@State(Scope.Thread)
public class LedgerBenchmark
{
    static final int BATCH = 1024;
    static final int PAIRS = 1 << 20;
    static final int PAIR_MASK = PAIRS - 1;
    static final long LEDGER = 1;
    static final int CODE = 1;
    static final long FIRST_ACCOUNT_ID = 1_000_000;
    static final long TIME_STEP_NANOS = 10_000;
    /**
     * Odd multiplier that derives an id's high half from its low half: a bijection on 64 bits, so the high half is
     * non-zero for every non-zero low half and differs between any two ids.
     */
    static final long ID_HI_MULTIPLIER = 0x9E37_79B9_7F4A_7C15L;

    /**
     * Retained-transfer capacity of the ledger; the size of its transfer id index follows from it.
     */
    @Param({ "2097152" })
    public int maxTransfers;

    /**
     * Accounts the random pairs are drawn from. Their records and index slots are what a transfer waits for once
     * they outgrow the cache: try {@code -p accounts=10000} to see the ledger without that wait.
     */
    @Param({ "100000" })
    public int accounts;

    /**
     * How transfer ids are made from the counter {@code n}, both halves in use either way:
     * <ul>
     *     <li>{@code ascending}: high half {@code n}, low half {@link #highHalf(long) derived} from it, so each id
     *     is above the last, as ids that only grow are (TigerBeetle advises them: time-based ids, whose high bits
     *     are a timestamp). The ledger then needs no lookup of a new id and keeps it out of its hash index
     *     (its ascending index);</li>
     *     <li>{@code scattered}: low half {@code n}, high half derived from it, so ids jump about the 128-bit
     *     range, as random ids do: each new id is looked up in, and put into, the hash index (a random line of a
     *     64 MiB table at the defaults). The only scheme before 2026-12-07 22:00 UTC.</li>
     * </ul>
     */
    @Param({ "ascending", "scattered" })
    public String transferIds;

    private Ledger ledger;
    private TransferResults transferResults;
    private final AccountEventArray accountEvents = new AccountEventArray(BATCH);
    private final AccountResults accountResults = new AccountResults(BATCH);
    private RandomPairTransfers singleEvents;
    private PendingAndPostTransfers twoPhaseEvents;
    private long recordTimestampNanos = 1_700_000_000_000_000_000L;

    /**
     * Build the ledger, its accounts and the pregenerated random pairs.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        ledger = new Ledger(new LedgerLimits()
            .maxAccounts(accounts)
            .maxTransfers(maxTransfers)
            .maxPendingTransfers(BATCH)
            .maxBatchEvents(BATCH));
        transferResults = new TransferResults(BATCH);

        final SplittableRandom random = new SplittableRandom(42);
        final long[] debitAccountIds = new long[PAIRS];
        final long[] creditAccountIds = new long[PAIRS];
        final long[] amounts = new long[PAIRS];
        for (int i = 0; i < PAIRS; i++)
        {
            final int debit = random.nextInt(accounts);
            int credit = random.nextInt(accounts - 1);
            if (credit >= debit)
            {
                credit++;
            }
            debitAccountIds[i] = FIRST_ACCOUNT_ID + debit;
            creditAccountIds[i] = FIRST_ACCOUNT_ID + credit;
            amounts[i] = 1 + random.nextInt(10_000);
        }
        final boolean ascending = isAscending(transferIds);
        singleEvents = new RandomPairTransfers(debitAccountIds, creditAccountIds, amounts, ascending);
        twoPhaseEvents = new PendingAndPostTransfers(debitAccountIds, creditAccountIds, amounts, ascending);

        createAccounts();
    }

    /**
     * Reset the ledger when the next batch would not fit in its retained-transfer capacity; outside the measured
     * time.
     */
    @Setup(Level.Invocation)
    public void makeRoom()
    {
        if (ledger.transferCount() > maxTransfers - BATCH)
        {
            ledger.reset();
            createAccounts();
        }
    }

    /**
     * One batch of {@value #BATCH} single-phase transfers.
     *
     * @return the results, so that nothing is eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public TransferResults singleTransfers()
    {
        singleEvents.next();
        recordTimestampNanos += TIME_STEP_NANOS;
        ledger.createTransfers(singleEvents, recordTimestampNanos, transferResults);
        return transferResults;
    }

    /**
     * One batch of {@value #BATCH}/2 pending transfers each followed by the post of its full amount.
     *
     * @return the results, so that nothing is eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public TransferResults twoPhase()
    {
        twoPhaseEvents.next();
        recordTimestampNanos += TIME_STEP_NANOS;
        ledger.createTransfers(twoPhaseEvents, recordTimestampNanos, transferResults);
        return transferResults;
    }

    private void createAccounts()
    {
        final AccountEventArray events = accountEvents;
        final AccountResults results = accountResults;
        for (int i = 0; i < accounts; )
        {
            events.reset();
            for (int k = 0; k < BATCH && i < accounts; k++, i++)
            {
                final long idLo = FIRST_ACCOUNT_ID + i;
                events.add().id(highHalf(idLo), idLo).ledger(LEDGER).code(CODE);
            }
            recordTimestampNanos += TIME_STEP_NANOS;
            ledger.createAccounts(events, recordTimestampNanos, results);
            for (int k = 0; k < results.count(); k++)
            {
                if (results.result(k) != CreateAccountResult.OK)
                {
                    throw new IllegalStateException("account setup failed: " + results.result(k));
                }
            }
        }
    }

    /**
     * The high half of the id whose low half is given; see {@link #ID_HI_MULTIPLIER}.
     *
     * @param idLo low half of the id, not 0.
     * @return its high half, not 0.
     */
    static long highHalf(final long idLo)
    {
        return idLo * ID_HI_MULTIPLIER;
    }

    /**
     * @param transferIds {@code ascending} or {@code scattered}, as {@link #transferIds}.
     * @return whether the ids ascend.
     * @throws IllegalArgumentException for any other scheme.
     */
    static boolean isAscending(final String transferIds)
    {
        if (!"ascending".equals(transferIds) && !"scattered".equals(transferIds))
        {
            throw new IllegalArgumentException("transferIds must be ascending or scattered: " + transferIds);
        }
        return "ascending".equals(transferIds);
    }

    /**
     * @return the high half of transfer id {@code n}, as {@link #transferIds} makes it.
     */
    static long transferIdHi(final long n, final boolean ascending)
    {
        return ascending ? n : highHalf(n);
    }

    /**
     * @return the low half of transfer id {@code n}, as {@link #transferIds} makes it.
     */
    static long transferIdLo(final long n, final boolean ascending)
    {
        return ascending ? highHalf(n) : n;
    }

    /**
     * Check after a run that the last batch was applied, so that a broken setup cannot pass for a fast one.
     *
     * @param results of the last batch.
     */
    static void checkOk(final TransferResults results)
    {
        for (int i = 0; i < results.count(); i++)
        {
            if (results.result(i) != CreateTransferResult.OK)
            {
                throw new IllegalStateException("transfer " + i + " failed: " + results.result(i));
            }
        }
    }

    /**
     * Check the last batch of each benchmark was all {@code OK}.
     */
    @TearDown(Level.Iteration)
    public void verify()
    {
        checkOk(transferResults);
    }

    /**
     * A window of {@value #BATCH} pregenerated random transfers that slides by one batch per {@link #next()}.
     */
    static final class RandomPairTransfers implements TransferEvents
    {
        private final long[] debitAccountIds;
        private final long[] creditAccountIds;
        private final long[] amounts;
        private final boolean ascending;
        private long firstId;
        private int offset = -BATCH;

        RandomPairTransfers(
            final long[] debitAccountIds, final long[] creditAccountIds, final long[] amounts, final boolean ascending)
        {
            this.debitAccountIds = debitAccountIds;
            this.creditAccountIds = creditAccountIds;
            this.amounts = amounts;
            this.ascending = ascending;
        }

        void next()
        {
            offset = (offset + BATCH) & PAIR_MASK;
            firstId += BATCH;
        }

        public int count()
        {
            return BATCH;
        }

        public long idHi(final int index)
        {
            return transferIdHi(firstId + index, ascending);
        }

        public long idLo(final int index)
        {
            return transferIdLo(firstId + index, ascending);
        }

        public long debitAccountIdHi(final int index)
        {
            return highHalf(debitAccountIds[offset + index]);
        }

        public long debitAccountIdLo(final int index)
        {
            return debitAccountIds[offset + index];
        }

        public long creditAccountIdHi(final int index)
        {
            return highHalf(creditAccountIds[offset + index]);
        }

        public long creditAccountIdLo(final int index)
        {
            return creditAccountIds[offset + index];
        }

        public long amountHi(final int index)
        {
            return 0;
        }

        public long amountLo(final int index)
        {
            return amounts[offset + index];
        }

        public long pendingIdHi(final int index)
        {
            return 0;
        }

        public long pendingIdLo(final int index)
        {
            return 0;
        }

        public long userData128Hi(final int index)
        {
            return 0;
        }

        public long userData128Lo(final int index)
        {
            return 0;
        }

        public long userData64(final int index)
        {
            return 0;
        }

        public long userData32(final int index)
        {
            return 0;
        }

        public long ledger(final int index)
        {
            return LEDGER;
        }

        public long timeoutSeconds(final int index)
        {
            return 0;
        }

        public long timestamp(final int index)
        {
            return 0;
        }

        public int code(final int index)
        {
            return CODE;
        }

        public int flags(final int index)
        {
            return 0;
        }
    }

    /**
     * A window of {@value #BATCH}/2 pregenerated random pending transfers, each followed by the post of its full
     * amount; slides by one batch per {@link #next()}.
     */
    static final class PendingAndPostTransfers implements TransferEvents
    {
        private static final long TIMEOUT_SECONDS = 3_600;

        private final long[] debitAccountIds;
        private final long[] creditAccountIds;
        private final long[] amounts;
        private final boolean ascending;
        private long firstId;
        private int offset = -BATCH / 2;

        PendingAndPostTransfers(
            final long[] debitAccountIds, final long[] creditAccountIds, final long[] amounts, final boolean ascending)
        {
            this.debitAccountIds = debitAccountIds;
            this.creditAccountIds = creditAccountIds;
            this.amounts = amounts;
            this.ascending = ascending;
        }

        void next()
        {
            offset = (offset + BATCH / 2) & PAIR_MASK;
            firstId += BATCH;
        }

        private static boolean isPost(final int index)
        {
            return (index & 1) != 0;
        }

        public int count()
        {
            return BATCH;
        }

        public long idHi(final int index)
        {
            return transferIdHi(firstId + index, ascending);
        }

        public long idLo(final int index)
        {
            return transferIdLo(firstId + index, ascending);
        }

        public long debitAccountIdHi(final int index)
        {
            return isPost(index) ? 0 : highHalf(debitAccountIds[offset + (index >> 1)]);
        }

        public long debitAccountIdLo(final int index)
        {
            return isPost(index) ? 0 : debitAccountIds[offset + (index >> 1)];
        }

        public long creditAccountIdHi(final int index)
        {
            return isPost(index) ? 0 : highHalf(creditAccountIds[offset + (index >> 1)]);
        }

        public long creditAccountIdLo(final int index)
        {
            return isPost(index) ? 0 : creditAccountIds[offset + (index >> 1)];
        }

        public long amountHi(final int index)
        {
            return isPost(index) ? Ledger.AMOUNT_MAX_HI : 0;
        }

        public long amountLo(final int index)
        {
            return isPost(index) ? Ledger.AMOUNT_MAX_LO : amounts[offset + (index >> 1)];
        }

        public long pendingIdHi(final int index)
        {
            return isPost(index) ? transferIdHi(firstId + index - 1, ascending) : 0;
        }

        public long pendingIdLo(final int index)
        {
            return isPost(index) ? transferIdLo(firstId + index - 1, ascending) : 0;
        }

        public long userData128Hi(final int index)
        {
            return 0;
        }

        public long userData128Lo(final int index)
        {
            return 0;
        }

        public long userData64(final int index)
        {
            return 0;
        }

        public long userData32(final int index)
        {
            return 0;
        }

        public long ledger(final int index)
        {
            return isPost(index) ? 0 : LEDGER;
        }

        public long timeoutSeconds(final int index)
        {
            return isPost(index) ? 0 : TIMEOUT_SECONDS;
        }

        public long timestamp(final int index)
        {
            return 0;
        }

        public int code(final int index)
        {
            return isPost(index) ? 0 : CODE;
        }

        public int flags(final int index)
        {
            return isPost(index) ? TransferFlags.POST_PENDING : TransferFlags.PENDING;
        }
    }
}
