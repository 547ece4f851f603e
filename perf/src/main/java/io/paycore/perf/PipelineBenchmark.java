package io.paycore.perf;

import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.OutputHandler;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * The in-process pipeline, ingress to egress without a transport: a started {@link Pipeline} (stages laid out as
 * {@code layout} says, the shared profile's idle strategy unless {@code idleStrategy} says otherwise) over a real
 * journal at flush {@code none} in a temporary directory and a ledger with
 * {@value #ACCOUNTS} accounts. The benchmark thread plays ingress and egress, as the shared profile's one transport
 * thread does: it offers {@code CreateTransfers} messages of {@code batch} single-phase transfers between random
 * pairs and polls the answers.
 * <ul>
 *     <li>{@code roundTrip}: one message in flight; ns/op is the time from offer to answer (through the thread
 *     hand-offs ingress to journaler to BLP to egress in the split layout, none inline).</li>
 *     <li>{@code pipelined}: up to {@value #WINDOW} messages in flight; ns/op is the time per message at
 *     saturation (its inverse is the pipeline's throughput in messages per second).</li>
 * </ul>
 * Run with {@code -prof gc}: B/op counts what every thread allocated (JMH's GC profiler reads all threads), so ≈ 0
 * B/op is the proof that ingress → journal → BLP → egress allocates nothing in steady state.
 * <p>
 * The pipeline, journal and ledger are built once per trial, with room for {@value #MAX_TRANSFERS} transfers (a
 * building per iteration would put the ledger's arrays into every iteration's B/op, since JMH's profilers count
 * iteration fixtures); each iteration checks that every answer so far was {@code OK} and fails the run otherwise,
 * so a ledger that filled up, or a pipeline answering {@code Rejected} (which would measure the rejection path),
 * cannot pass for a fast one. At the default 3 + 5 one-second iterations this holds up to about 2 million transfers
 * a second (single transfers are far below that; messages of 10 transfers in the inline layout are above it, hence
 * shorter runs for those).
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar PipelineBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dsbe.enable.precedence.checks=false", "-Xms6g", "-Xmx6g", "-XX:+UseParallelGC" })
@State(Scope.Thread)
public class PipelineBenchmark
{
    static final int ACCOUNTS = 10_000;
    static final int WINDOW = 256;
    static final long FIRST_ACCOUNT_ID = 1;
    static final int LEDGER = 840;
    static final int CODE = 1;
    static final int MAX_TRANSFERS = 1 << 24;
    static final long SESSION_ID = 1;
    private static final int PAIRS = 1 << 16;

    /**
     * Transfers per message. With {@code -p batch=10} the default iterations can fill the ledger (see above): add
     * {@code -wi 2 -i 3 -r 500ms}.
     */
    @Param({ "1" })
    public int batch;

    /**
     * Idle strategy of the stage threads: the shared profile's default, or another from {@code IdleStrategies}.
     */
    @Param({ "backoff" })
    public String idleStrategy;

    /**
     * Stage layout ({@link StageLayout}): {@code split} (journaler and BLP threads), {@code combined} (one stage
     * thread), {@code inline} (no stage thread: the benchmark thread runs the stages between its offers and polls,
     * as the shared profile's transport thread does).
     */
    @Param({ "split", "inline" })
    public String layout;

    /**
     * 0 for a ledger that keeps every transfer in memory (the default); otherwise its hot window, with every older
     * transfer in an LMDB cold tier written by its own thread, and the pipeline's gate prefetching from it: every new
     * transfer id is then a store read off the BLP.
     */
    @Param({ "0" })
    public int hotWindow;

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[ProtocolLimits.MAX_MESSAGE_LENGTH]);
    private final RequestEncoder requestEncoder = new RequestEncoder();
    private final Answers answers = new Answers();
    private final long[] debitAccountIds = new long[PAIRS];
    private final long[] creditAccountIds = new long[PAIRS];
    private TransferEventArray transfers;
    private Path directory;
    private Journal journal;
    private Pipeline pipeline;
    private AsyncLmdbColdTier cold;
    private long nextTransferId = 1;
    private long nextCorrelationId = 1;
    private int nextPair;
    private long inFlight;
    private boolean inline;

    /**
     * Random account pairs; a fresh journal, ledger and started pipeline with the accounts created through it.
     *
     * @throws IOException if the temporary directory cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < PAIRS; i++)
        {
            final int debit = random.nextInt(ACCOUNTS);
            int credit = random.nextInt(ACCOUNTS - 1);
            if (credit >= debit)
            {
                credit++;
            }
            debitAccountIds[i] = FIRST_ACCOUNT_ID + debit;
            creditAccountIds[i] = FIRST_ACCOUNT_ID + credit;
        }
        transfers = new TransferEventArray(batch);

        directory = Files.createTempDirectory("paycore-pipeline-bench-");
        journal = Journal.open(new JournalContext()
            .directory(directory)
            .flushLevel(FlushLevel.NONE)
            .maxRecordLength(ProtocolLimits.MAX_MESSAGE_LENGTH));
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(ACCOUNTS)
            .maxTransfers(0 == hotWindow ? MAX_TRANSFERS : hotWindow)
            .maxPendingTransfers(1024)
            .maxBatchEvents(ProtocolLimits.MAX_BATCH_EVENTS);
        cold = 0 == hotWindow ? null : new AsyncLmdbColdTier(
            directory.resolve("cold"), 64L << 30, 16_384, AsyncLmdbColdTier.DEFAULT_PREFETCH_ENTRIES, 1_024,
            TimeUnit.MILLISECONDS.toNanos(10));
        final Ledger ledger = new Ledger(limits, cold);
        pipeline = new Pipeline(
            new PipelineContext().profile(ThreadingProfile.SHARED).idleStrategy(idleStrategy)
                .layout(StageLayout.parse(layout)),
            journal, new CommandProcessor(ledger));
        pipeline.start();
        inline = StageLayout.INLINE == pipeline.layout();
        answers.failed = 0;
        answers.received = 0;
        inFlight = 0;

        final AccountEventArray accounts = new AccountEventArray(ProtocolLimits.MAX_BATCH_EVENTS);
        for (int i = 0; i < ACCOUNTS; )
        {
            accounts.reset();
            for (int k = 0; k < ProtocolLimits.MAX_BATCH_EVENTS && i < ACCOUNTS; k++, i++)
            {
                accounts.add(FIRST_ACCOUNT_ID + i, 0, LEDGER, CODE, 0);
            }
            final int length = requestEncoder.createAccounts(message, 0, nextCorrelationId++, accounts);
            while (!pipeline.offerMessage(SESSION_ID, message, 0, length))
            {
                Thread.yield();
            }
            inFlight++;
        }
        drain();
        if (answers.failed > 0)
        {
            throw new IllegalStateException(answers.failed + " accounts or messages were not OK: the accounts were " +
                "not all created");
        }
    }

    /**
     * Fail the run as soon as a transfer was not {@code OK} or a message was answered {@code Rejected}.
     */
    @TearDown(Level.Iteration)
    public void check()
    {
        if (answers.failed > 0)
        {
            throw new IllegalStateException(answers.failed + " transfers or messages were not OK (ledger full? " +
                "Rejected, the journal failed?): the benchmark measured the wrong path");
        }
    }

    /**
     * Drain, stop and delete; fail if any transfer was not {@code OK} or any message was answered {@code Rejected}.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        try
        {
            drain();
            if (answers.failed > 0)
            {
                throw new IllegalStateException(answers.failed + " transfers or messages were not OK: the " +
                    "benchmark measured the wrong path");
            }
        }
        finally
        {
            CloseHelper.closeAll(pipeline, journal, cold);
            IoUtil.delete(directory.toFile(), true);
        }
    }

    /**
     * Offer one message and wait for its answer.
     *
     * @return answers received so far.
     */
    @Benchmark
    public long roundTrip()
    {
        offerOne();
        while (inFlight > 0)
        {
            if (0 == poll())
            {
                Thread.yield();
            }
        }
        return answers.received;
    }

    /**
     * Offer one message, keeping up to {@value #WINDOW} in flight, and take whatever answers are ready.
     *
     * @return answers received so far.
     */
    @Benchmark
    public long pipelined()
    {
        while (inFlight >= WINDOW)
        {
            if (0 == poll())
            {
                Thread.yield();
            }
        }
        offerOne();
        poll();
        return answers.received;
    }

    private void offerOne()
    {
        final TransferEventArray transfers = this.transfers;
        transfers.reset();
        for (int i = 0; i < batch; i++)
        {
            final int pair = nextPair;
            nextPair = (pair + 1) & (PAIRS - 1);
            transfers.add(nextTransferId++, debitAccountIds[pair], creditAccountIds[pair], 1 + (pair & 1023), 0, 0,
                LEDGER, 0, CODE, 0);
        }
        final int length = requestEncoder.createTransfers(message, 0, nextCorrelationId++, transfers);
        while (!pipeline.offerMessage(SESSION_ID, message, 0, length))
        {
            if (0 == poll())
            {
                Thread.yield();
            }
        }
        inFlight++;
    }

    private int poll()
    {
        if (inline)
        {
            pipeline.doStageWork();
        }
        final int count = pipeline.pollOutput(answers, WINDOW);
        inFlight -= count;
        return count;
    }

    private void drain()
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight > 0 && System.nanoTime() < deadlineNanos)
        {
            if (0 == poll())
            {
                Thread.yield();
            }
        }
        if (inFlight > 0)
        {
            throw new IllegalStateException(inFlight + " answers missing after 30 s");
        }
    }

    /**
     * Counts answers, and events that were not {@code OK}: a transfer or account whose result is not {@code OK}, and
     * each answer that is no result (a {@code Rejected} message, which applied nothing).
     */
    static final class Answers implements OutputHandler
    {
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final CreateTransfersResultDecoder resultDecoder = new CreateTransfersResultDecoder();
        private final CreateAccountsResultDecoder accountsResultDecoder = new CreateAccountsResultDecoder();
        long received;
        long failed;

        public void onOutput(
            final long sessionId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            received++;
            headerDecoder.wrap(buffer, offset);
            final int templateId = headerDecoder.templateId();
            if (CreateTransfersResultDecoder.TEMPLATE_ID == templateId)
            {
                resultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                for (final CreateTransfersResultDecoder.ResultsDecoder result : resultDecoder.results())
                {
                    if (CreateTransferResult.OK != result.result())
                    {
                        failed++;
                    }
                }
            }
            else if (CreateAccountsResultDecoder.TEMPLATE_ID == templateId)
            {
                accountsResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                for (final CreateAccountsResultDecoder.ResultsDecoder result : accountsResultDecoder.results())
                {
                    if (CreateAccountResult.OK != result.result())
                    {
                        failed++;
                    }
                }
            }
            else
            {
                // Rejected (UNAVAILABLE once the journal failed), or an answer to nothing sent here: not applied
                failed++;
            }
        }
    }
}
