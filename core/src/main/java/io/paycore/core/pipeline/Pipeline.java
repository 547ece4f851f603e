package io.paycore.core.pipeline;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.paycore.codec.ProtocolLimits;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalException;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The ring buffers and stages between ingress and egress:
 * <pre>
 * ingress ──▶ input ring ──▶ journaler ──▶ BLP (ledger) ──▶ output ring ──▶ egress
 * </pre>
 * Ingress {@link #offerMessage offers} validated frames from one thread; it stamps each with the next journal
 * sequence and a monotonic epoch-nanosecond timestamp. The journaler appends and, at flush {@code batch}, forces
 * the journal at the end of each ring batch; the BLP sees a record only after that. Egress {@link #pollOutput polls}
 * the answers from one thread.
 * <p>
 * Each stage is an Agrona {@link Agent} that polls the input ring with a Disruptor {@link EventPoller}, behind the
 * stages it follows: the ring is the hand-off between threads, the agents are the loops. The {@link StageLayout}
 * decides only which agents share a thread: {@code split} as drawn, each stage on a thread of its own;
 * {@code combined}, the stages one after the other in one thread's duty cycle; {@code inline}, no stage thread, the
 * caller's duty cycle runs them with {@link #doStageWork()} (the shared profile's transport thread, so that on a
 * small machine one thread takes a message in, journals, applies and answers it). The threads come from the
 * context's {@link PipelineContext#threadFactory thread factory} and idle with its
 * {@link PipelineContext#idleStrategy idle strategy}. Every layout journals before it applies and answers nothing
 * before it is journaled at the flush level.
 * <p>
 * <b>Threading</b>: {@link #offerMessage}, {@link #offerTick} and {@link #idleNanos} on the ingress thread only;
 * {@link #pollOutput} on the egress thread only (it may be the same thread); the stages run on threads of their own,
 * started by {@link #start()}. Steady state allocates nothing.
 */
public final class Pipeline implements AutoCloseable
{
    /**
     * Session id of records that belong to no client (ticks).
     */
    public static final long NO_SESSION = 0;

    /**
     * Name of the BLP's thread; in the {@link StageLayout#COMBINED combined} layout it journals each batch first.
     */
    public static final String BLP_THREAD_NAME = "paycore-blp";

    /**
     * Name of the journaler's thread, when it has one of its own.
     */
    public static final String JOURNALER_THREAD_NAME = "paycore-journaler";

    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long COLD_WRITER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RingBuffer<InputEvent> input;
    private final RingBuffer<OutputEvent> output;
    private final Agent[] threadAgents;
    private final Agent inlineAgent;
    private final Sequence lastStageSequence;
    private final AsyncLmdbColdTier coldWriter;
    private AgentRunner coldWriterRunner;
    private final StageLayout layout;
    private final JournalStage journalStage;
    private final EventPoller<OutputEvent> outputPoller;
    private final OutputPollHandler outputPollHandler = new OutputPollHandler();
    private final Journal journal;
    private final EpochNanoClock clock;
    private final ThreadingProfile profile;
    private final int maxMessageLengthBytes;
    private final String idleStrategy;
    private final ThreadFactory threadFactory;
    private final AtomicLong processedSequence = new AtomicLong();
    private final CommandProcessor processor;
    private final AgentRunner[] runners;
    private volatile Throwable stageError;

    private long nextSequence;
    private long lastTimestampNanos;
    private boolean started;
    private boolean closed;

    /**
     * Build the pipeline over a journal that is open and a processor whose ledger has been recovered to the
     * journal's last record. Nothing runs until {@link #start()}.
     *
     * @param context   configuration; concluded here.
     * @param journal   the journal to append to; owned by the caller, closed by the caller after this.
     * @param processor applies records to the ledger; used only by the BLP thread once started.
     * @throws IllegalStateException if the profile needs more cores than this machine has.
     */
    public Pipeline(final PipelineContext context, final Journal journal, final CommandProcessor processor)
    {
        context.conclude();
        this.profile = context.profile();
        final int cores = Runtime.getRuntime().availableProcessors();
        if (cores < profile.minCores())
        {
            throw new IllegalStateException("the " + profile.name().toLowerCase() + " profile needs at least " +
                profile.minCores() + " cores, one for each hot thread, and this machine has " + cores +
                ": use the shared profile here");
        }

        this.journal = journal;
        this.processor = processor;
        this.clock = context.clock();
        this.maxMessageLengthBytes = ProtocolLimits.maxMessageLength(processor.ledger().limits().maxBatchEvents());
        this.idleStrategy = context.idleStrategy();
        this.threadFactory = context.threadFactory();
        final int messageCapacity = maxMessageLengthBytes;
        // The stages poll the rings and idle with their agents' idle strategy; no thread ever waits on a ring, so
        // the rings' wait strategy only has to signal nobody (busy-spin's signal is a no-op, and takes no lock).
        this.input = RingBuffer.createSingleProducer(
            () -> new InputEvent(messageCapacity), context.inputRingSize(), new BusySpinWaitStrategy());
        this.output = RingBuffer.createSingleProducer(
            () -> new OutputEvent(CommandProcessor.MAX_ANSWER_LENGTH),
            context.outputRingSize(),
            new BusySpinWaitStrategy());

        journalStage = new JournalStage(journal);
        final BusinessLogicStage businessLogicStage = new BusinessLogicStage(
            processor, output, processedSequence, context.snapshotEveryRecords(), context.snapshotHandler(), journal);
        layout = context.layout();

        final int maxBatch = context.maxStageBatch();
        final StageAgent journaler = new StageAgent(
            JOURNALER_THREAD_NAME, input.newPoller(), journalStage, null, maxBatch, this::onStageError);
        final StageAgent blp;
        final Agent[] stages;
        final Sequence[] beforeBlp = new Sequence[]{ journaler.sequence() };
        final ColdTier coldTier = processor.ledger().coldTier();
        if (coldTier instanceof AsyncLmdbColdTier)
        {
            final int idsPerRecord = 2 * processor.ledger().limits().maxBatchEvents();
            if (((AsyncLmdbColdTier)coldTier).prefetchCapacity() < idsPerRecord)
            {
                throw new IllegalArgumentException("the cold tier's prefetch pool holds " +
                    ((AsyncLmdbColdTier)coldTier).prefetchCapacity() + " ids, fewer than one record may name (twice " +
                    LedgerLimits.MAX_BATCH_EVENTS_PROP_NAME + " = " + idsPerRecord + "): give it at least that many");
            }
            // The tier writes on a thread of its own, so the BLP must not take a record its ring has no room for;
            // and the gate reads what the record needs from the tier ahead of the BLP.
            coldWriter = (AsyncLmdbColdTier)coldTier;
            final ColdTierGate gate = new ColdTierGate(
                input, beforeBlp, processor.ledger(), (AsyncLmdbColdTier)coldTier, maxBatch);
            blp = new StageAgent(BLP_THREAD_NAME, input.newPoller(gate.sequence()), businessLogicStage, output,
                maxBatch, this::onStageError);
            gate.blp(blp.sequence());
            // The gate shares the journaler's thread: one more thread handing off would cost a round trip more
            // than the gate's own work on a machine with few cores.
            final Agent journalerAndGate = new NamedAgent(JOURNALER_THREAD_NAME, new CompositeAgent(journaler, gate));
            stages = new Agent[]{ journalerAndGate, blp };
        }
        else
        {
            coldWriter = null;
            blp = new StageAgent(BLP_THREAD_NAME, input.newPoller(beforeBlp), businessLogicStage, output,
                maxBatch, this::onStageError);
            stages = new Agent[]{ journaler, blp };
        }
        lastStageSequence = blp.sequence();
        input.addGatingSequences(lastStageSequence);

        // The layout decides only which agents share a thread.
        if (StageLayout.SPLIT == layout)
        {
            threadAgents = stages;
            inlineAgent = null;
        }
        else
        {
            final Agent oneAfterAnother = new NamedAgent(BLP_THREAD_NAME, new CompositeAgent(stages));
            threadAgents = StageLayout.COMBINED == layout ? new Agent[]{ oneAfterAnother } : new Agent[0];
            inlineAgent = StageLayout.INLINE == layout ? oneAfterAnother : null;
        }
        runners = new AgentRunner[threadAgents.length];

        outputPoller = output.newPoller();
        output.addGatingSequences(outputPoller.getSequence());

        nextSequence = journal.lastSequence() + 1;
        processedSequence.set(journal.lastSequence());
        // After every record journaled, those the ledger takes no time from (limits) included: the clock may be
        // behind them now (stepped back, or another machine's), and timestamps must still increase.
        lastTimestampNanos = Math.max(processor.ledger().clockNanos(), journal.lastTimestampNanos());
    }

    /**
     * Journal one record, forced at the journal's flush level, and apply it, on the caller's thread, before the
     * stages start: the service's {@link io.paycore.core.command.RecordTypes#LIMITS} record, which must come before
     * any client's message. Stamped as the records after it will be, so that timestamps still increase.
     *
     * @param type    record type; it has no answer.
     * @param payload the record's payload.
     * @param offset  where it starts.
     * @param length  its length.
     * @return the record's sequence.
     * @throws IllegalStateException if the pipeline has started.
     */
    public long journalBeforeStart(final int type, final DirectBuffer payload, final int offset, final int length)
    {
        if (started)
        {
            throw new IllegalStateException("pipeline already started");
        }
        final long timestampNanos = stamp();
        final long sequence = journal.append(type, timestampNanos, payload, offset, length);
        journal.flush();
        nextSequence = sequence + 1;
        processedSequence.set(sequence);
        processor.apply(type, timestampNanos, payload, offset, length, new UnsafeBuffer(new byte[0]), 0);
        return sequence;
    }

    /**
     * Start the stage threads. Called once.
     */
    public void start()
    {
        start(UnaryOperator.identity());
    }

    /**
     * Start the stage threads, each running its agents as the given decorator wraps them (the service measures each
     * thread's duty cycle so). Called once.
     *
     * @param decorator wraps the agent each stage thread runs; it must keep the agent's role name.
     */
    public void start(final UnaryOperator<Agent> decorator)
    {
        if (started)
        {
            throw new IllegalStateException("pipeline already started");
        }
        started = true;
        for (int i = 0; i < threadAgents.length; i++)
        {
            runners[i] = new AgentRunner(
                IdleStrategies.newInstance(idleStrategy), this::onStageError, null, decorator.apply(threadAgents[i]));
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner, threadFactory);
        }
        if (null != coldWriter)
        {
            // Always a thread of its own, whatever the layout: it writes to disk. It sleeps when idle, whatever the
            // stages' strategy: it may lag by the ledger's cold lag (a quarter of a second of records at a million
            // a second), so waking within a millisecond is soon enough, and spinning or yielding would take a core
            // the stages want.
            coldWriterRunner = new AgentRunner(
                new SleepingIdleStrategy(COLD_WRITER_IDLE_NANOS), this::onStageError, null,
                decorator.apply(coldWriter));
            AgentRunner.startOnThread(coldWriterRunner, threadFactory);
        }
    }

    /**
     * @return the role names of the stage threads {@link #start()} starts, which name those threads: one per stage in
     * {@code split}, one in {@code combined}, none in {@code inline}.
     */
    public String[] stageThreadNames()
    {
        final String[] names = new String[threadAgents.length];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = threadAgents[i].roleName();
        }
        return names;
    }

    /**
     * @return the longest message, in bytes, an input slot holds: that of a full batch at the ledger's limit.
     */
    public int maxMessageLength()
    {
        return maxMessageLengthBytes;
    }

    /**
     * @return the most events a message may hold: the ledger's limit ({@code --max-batch}), which the BLP applies. A
     * slot may hold a longer message (a {@code Connect}'s, for a small limit), so this is not derived from
     * {@link #maxMessageLength()}.
     */
    public int maxBatchEvents()
    {
        return processor.ledger().limits().maxBatchEvents();
    }

    /**
     * @return true while the input ring has room for a record. Ingress stops polling its transport when it is full,
     * so that the transport pushes back on the sender.
     */
    public boolean hasCapacity()
    {
        return input.hasAvailableCapacity(1);
    }

    /**
     * Put one validated ingress frame on the input ring. Ingress thread only.
     *
     * @param sessionId the authenticated session it came from.
     * @param buffer    holding the frame.
     * @param offset    of the frame.
     * @param length    of the frame, at most {@link #maxMessageLength()}.
     * @return false, having done nothing, when the ring is full.
     */
    public boolean offerMessage(final long sessionId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!input.hasAvailableCapacity(1))
        {
            return false;
        }
        final long ringSequence = input.next();
        final InputEvent event = input.get(ringSequence);
        event.type = RecordTypes.MESSAGE;
        event.sessionId = sessionId;
        event.sequence = nextSequence++;
        event.timestampNanos = stamp();
        event.length = length;
        buffer.getBytes(offset, event.buffer, 0, length);
        input.publish(ringSequence);
        return true;
    }

    /**
     * Put a tick on the input ring, so that time passes for the ledger when no traffic does. Ingress thread only.
     *
     * @return false, having done nothing, when the ring is full.
     */
    public boolean offerTick()
    {
        if (!input.hasAvailableCapacity(1))
        {
            return false;
        }
        final long ringSequence = input.next();
        final InputEvent event = input.get(ringSequence);
        event.type = RecordTypes.TICK;
        event.sessionId = NO_SESSION;
        event.sequence = nextSequence++;
        event.timestampNanos = stamp();
        event.length = 0;
        input.publish(ringSequence);
        return true;
    }

    /**
     * @return the newest timestamp stamped; a record appended after it must not be older.
     */
    public long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    /**
     * Nanoseconds since ingress last stamped a record. Ingress thread only.
     *
     * @return the time since the last record, for deciding when to tick.
     */
    public long idleNanos()
    {
        return clock.nanoTime() - lastTimestampNanos;
    }

    /**
     * Hand the answers the BLP has produced to a handler, in order. Egress thread only.
     *
     * @param handler receives each answer.
     * @param limit   most answers to hand over in this call.
     * @return the number handed over.
     */
    public int pollOutput(final OutputHandler handler, final int limit)
    {
        final OutputPollHandler pollHandler = outputPollHandler;
        pollHandler.delegate = handler;
        pollHandler.limit = limit;
        pollHandler.count = 0;
        try
        {
            outputPoller.poll(pollHandler);
        }
        catch (final Exception ex)
        {
            stageError = ex;
        }
        return pollHandler.count;
    }

    /**
     * @return the journal sequence the next ingress record gets.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * @return the journal sequence of the last record the BLP applied. Any thread.
     */
    public long processedSequence()
    {
        return processedSequence.get();
    }

    /**
     * @return the highest journal sequence durable at the configured flush level. Any thread.
     */
    public long durableSequence()
    {
        return journal.durableSequence();
    }

    /**
     * @return records on the input ring that the last stage has not yet taken: how far the stages are behind
     * ingress. Any thread; a snapshot.
     */
    public long inputRingOccupancy()
    {
        return Math.max(0, input.getCursor() - lastStageSequence.get());
    }

    /**
     * @return answers on the output ring that egress has not yet taken. Any thread; a snapshot.
     */
    public long outputRingOccupancy()
    {
        return Math.max(0, output.getCursor() - outputPoller.getSequence().get());
    }

    /**
     * @return journal segments rolled to since the journal was opened. Any thread.
     */
    public long segmentRolls()
    {
        return journal.segmentRolls();
    }

    /**
     * @return true once the journal has failed or a stage has thrown: ingress must then refuse input. Any thread.
     */
    public boolean isFailed()
    {
        return null != journalStage.failure() || null != stageError ||
            (null != coldWriter && null != coldWriter.failure());
    }

    /**
     * @return why the pipeline failed, or null.
     */
    public Throwable failure()
    {
        final JournalException journalFailure = journalStage.failure();
        if (null != journalFailure)
        {
            return journalFailure;
        }
        if (null == stageError && null != coldWriter && null != coldWriter.failure())
        {
            // Ingress answers new requests Rejected(UNAVAILABLE); those already journaled wait at the gate for
            // room that will not come, and are applied on the next start: their outcome is unknown to their clients.
            return coldWriter.failure();
        }
        return stageError;
    }

    /**
     * @return true when every record offered has been applied and every answer polled.
     */
    public boolean isDrained()
    {
        return lastStageSequence.get() >= input.getCursor() &&
            outputPoller.getSequence().get() >= output.getCursor();
    }

    /**
     * Run the stages over what the input ring holds, at most the stage batch limit of records and at most as many as
     * the output ring has free slots: journal them, then apply them. Only in the {@link StageLayout#INLINE} layout,
     * and then from one thread only, which must keep calling it (the transport's duty cycle does).
     * <p>
     * The same thread drains the output ring ({@link #pollOutput}), so the BLP must never wait here for an output
     * slot: it would wait for itself. Each record answers at most once, so taking no more records than there are
     * free output slots means the BLP never waits; with none free, this does nothing until egress has drained some,
     * the input ring fills, and ingress pushes back on the senders.
     *
     * @return the number of records journaled and applied.
     * @throws IllegalStateException if the layout is not inline.
     */
    public int doStageWork()
    {
        final Agent agent = inlineAgent;
        if (null == agent)
        {
            throw new IllegalStateException("the stages run on threads of their own in the " + layout.label() +
                " layout");
        }
        final long before = lastStageSequence.get();
        try
        {
            agent.doWork();
        }
        catch (final Exception ex)
        {
            onStageError(ex);
        }
        return (int)(lastStageSequence.get() - before);
    }

    /**
     * @return how the stages are laid out on threads.
     */
    public StageLayout layout()
    {
        return layout;
    }

    /**
     * @return the threading profile.
     */
    public ThreadingProfile profile()
    {
        return profile;
    }

    /**
     * Wait until the BLP has applied everything offered (ingress must have stopped), then stop the stage threads.
     * Answers not yet polled stay unpolled: egress should drain them before this, see {@link #isDrained()}.
     * Closing twice is safe.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (started)
        {
            final long deadlineNanos = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
            while (lastStageSequence.get() < input.getCursor() && System.nanoTime() < deadlineNanos && !isFailed())
            {
                Thread.onSpinWait();
                Thread.yield();
            }
            CloseHelper.closeAll(runners);
            // After the stages: the gate may hold records back until the writer has written.
            CloseHelper.close(coldWriterRunner);
        }
    }

    private long stamp()
    {
        final long now = clock.nanoTime();
        lastTimestampNanos = now > lastTimestampNanos ? now : lastTimestampNanos + 1;
        return lastTimestampNanos;
    }

    private static final class OutputPollHandler implements EventPoller.Handler<OutputEvent>
    {
        OutputHandler delegate;
        int limit;
        int count;

        public boolean onEvent(final OutputEvent event, final long sequence, final boolean endOfBatch)
        {
            if (event.length > 0)
            {
                delegate.onOutput(event.sessionId, event.sequence, event.buffer, 0, event.length);
            }
            return ++count < limit;
        }
    }

    private void onStageError(final Throwable ex)
    {
        stageError = ex;
    }

    /**
     * Agents run one after another in one duty cycle, under one name: the name of the thread that runs them.
     */
    private static final class NamedAgent implements Agent
    {
        private final String roleName;
        private final Agent delegate;

        NamedAgent(final String roleName, final Agent delegate)
        {
            this.roleName = roleName;
            this.delegate = delegate;
        }

        public void onStart()
        {
            delegate.onStart();
        }

        public int doWork() throws Exception
        {
            return delegate.doWork();
        }

        public void onClose()
        {
            delegate.onClose();
        }

        public String roleName()
        {
            return roleName;
        }
    }
}
