package io.paycore.perf;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.Auditor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Replay speed from a warm page cache, in transfers per second: what bounds recovery and an audit. The trial setup
 * writes a journal of {@value #TRANSFERS} transfer events in messages of {@value #BATCH} (after {@value #ACCOUNTS}
 * accounts), as the service journals them; every invocation replays all of it.
 * <ul>
 *     <li>{@code replay}: {@link JournalReader} (length, sequence and chained-CRC32C verification of every record)
 *     then {@link CommandProcessor#apply} into a ledger emptied before each invocation ({@link Ledger#reset()},
 *     outside the measured time): the replay loop of recovery and audit, nothing else;</li>
 *     <li>{@code audit}: {@link Auditor#run} on the same directory, as {@code paycore audit} does it: a freshly
 *     allocated ledger, the end-of-journal check, per-message and per-result counts, per-ledger totals and the
 *     final SHA-256 digest over the whole state, all inside the measured time.</li>
 * </ul>
 * Param {@code workload}: {@code single} is single-phase transfers between uniformly random pairs of accounts;
 * {@code mixed} makes each message 80 single-phase transfers, 10 pending transfers and 10 posts of the previous
 * message's pendings (the first message has no posts, 90 single-phase transfers instead). Either way every event counts as one operation ({@link OperationsPerInvocation}), so the
 * score in ops/s is transfers/s.
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar ReplayBenchmark -f 1 -wi 3 -i 5 -prof gc}. The journal (about
 * 70 MB) is written under {@code java.io.tmpdir} and deleted at the end of the trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dsbe.enable.precedence.checks=false",
    "-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "-XX:+UseTransparentHugePages" })
@State(Scope.Benchmark)
public class ReplayBenchmark
{
    static final int ACCOUNTS = 10_000;
    static final int BATCH = 100;
    static final int TRANSFERS = 1_000_000;
    static final long LEDGER = 840;
    static final int CODE = 1;
    static final long START_NANOS = 1_763_800_000_000_000_000L;
    static final long RECORD_INTERVAL_NANOS = 20_000;

    /**
     * The transfer mix: {@code single} or {@code mixed}.
     */
    @Param({ "single", "mixed" })
    public String workload;

    private Path root;
    private DataDirectory directory;
    private Ledger ledger;
    private LedgerRecordHandler applier;

    /**
     * Write the journal and build the ledger the {@code replay} benchmark reuses.
     *
     * @throws IOException if the temporary directory cannot be made.
     */
    @Setup(Level.Trial)
    public void writeJournal() throws IOException
    {
        root = Files.createTempDirectory("paycore-replay-bench-");
        directory = new DataDirectory(root);
        writeJournal(directory, "mixed".equals(workload));

        ledger = new Ledger(limits());
        applier = new LedgerRecordHandler(new CommandProcessor(ledger));
        replay();
        if (ledger.transferCount() != TRANSFERS)
        {
            throw new IllegalStateException("replay made " + ledger.transferCount() + " transfers, expected " +
                TRANSFERS + ": some failed, so the benchmark would not measure what it says");
        }
    }

    /**
     * Write {@value #ACCOUNTS} accounts, then {@value #TRANSFERS} transfers in messages of {@value #BATCH}, as the
     * service journals them.
     *
     * @param directory where.
     * @param mixed     the {@code mixed} workload; else {@code single}.
     */
    static void writeJournal(final DataDirectory directory, final boolean mixed)
    {
        final SplittableRandom random = new SplittableRandom(42);
        final RequestEncoder encoder = new RequestEncoder();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
        final AccountEventArray accounts = new AccountEventArray(BATCH);
        final TransferEventArray transfers = new TransferEventArray(BATCH);
        long timestamp = START_NANOS;
        long correlationId = 0;
        try (Journal journal = Journal.open(new JournalContext().directory(directory.journalDirectory())
            .flushLevel(FlushLevel.NONE)))
        {
            for (int first = 1; first <= ACCOUNTS; first += BATCH)
            {
                accounts.reset();
                for (int id = first; id < first + BATCH; id++)
                {
                    accounts.add(id, 0, LEDGER, CODE, 0);
                }
                timestamp += RECORD_INTERVAL_NANOS;
                journal.append(RecordTypes.MESSAGE, timestamp, message, 0,
                    encoder.createAccounts(message, 0, ++correlationId, accounts));
            }
            long transferId = 0;
            long firstPendingOfLastBatch = 0;
            for (int m = 0; m < TRANSFERS / BATCH; m++)
            {
                transfers.reset();
                long firstPending = 0;
                for (int i = 0; i < BATCH; i++)
                {
                    final long debit = 1 + random.nextInt(ACCOUNTS);
                    long credit = 1 + random.nextInt(ACCOUNTS - 1);
                    credit = credit >= debit ? credit + 1 : credit;
                    final long amount = 1 + random.nextInt(10_000);
                    final long id = ++transferId;
                    if (!mixed || i < 80 || (i >= 90 && 0 == firstPendingOfLastBatch))
                    {
                        transfers.add(id, debit, credit, amount, 0, 0, LEDGER, 0, CODE, 0);
                    }
                    else if (i < 90)
                    {
                        firstPending = 0 == firstPending ? id : firstPending;
                        transfers.add(id, debit, credit, amount, 0, 0, LEDGER, 0, CODE, TransferFlags.PENDING);
                    }
                    else
                    {
                        final long pendingId = firstPendingOfLastBatch + i - 90;
                        transfers.add().id(0, id).amount(Ledger.AMOUNT_MAX_HI, Ledger.AMOUNT_MAX_LO)
                            .pendingId(0, pendingId).flags(TransferFlags.POST_PENDING);
                    }
                }
                firstPendingOfLastBatch = firstPending;
                timestamp += RECORD_INTERVAL_NANOS;
                journal.append(RecordTypes.MESSAGE, timestamp, message, 0,
                    encoder.createTransfers(message, 0, ++correlationId, transfers));
            }
        }
    }

    /**
     * Empty the ledger before each replay, outside the measured time.
     */
    @Setup(Level.Invocation)
    public void emptyLedger()
    {
        ledger.reset();
    }

    /**
     * Delete the journal.
     */
    @TearDown(Level.Trial)
    public void deleteJournal()
    {
        IoUtil.delete(root.toFile(), true);
    }

    /**
     * Read, verify and apply the whole journal.
     *
     * @return the number of transfers in the ledger afterwards.
     */
    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long replay()
    {
        try (JournalReader reader = JournalReader.open(directory.journalDirectory(), 1))
        {
            final LedgerRecordHandler applier = this.applier;
            while (reader.poll(applier, 4096) > 0)
            {
                // every record is applied in poll
            }
        }
        return ledger.transferCount();
    }

    /**
     * The whole of {@code paycore audit} on the journal: verify, replay into a fresh ledger, count, total, digest.
     *
     * @return the report.
     */
    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public AuditReport audit()
    {
        return Auditor.run(new AuditContext().directory(directory).limits(limits()));
    }

    static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1 << 14).maxTransfers(1 << 20).maxPendingTransfers(1 << 17)
            .maxBatchEvents(BATCH);
    }
}
