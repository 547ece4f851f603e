package io.paycore.replay.replication;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Counter;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.core.pipeline.RecordShipper;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.RecordChecksum;
import io.paycore.journal.RecordHandler;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The primary's side of replication: the {@link RecordShipper} behind the pipeline's replicator stage, and an agent
 * that answers the standby.
 * <ul>
 *     <li><b>Live</b>: on the replicator thread, each record is sent on the live stream as it is journaled: same
 *     type, sequence, timestamp and payload, with the chained checksum the journal gives it (computed here, in
 *     parallel with the journaler, by {@link RecordChecksum}). A record that cannot be sent now (no standby, back
 *     pressure) is not waited for in async mode; it is counted and the standby gets it by catch-up. In sync mode a
 *     back-pressured offer is retried for a bounded time first.</li>
 *     <li><b>Catch-up</b>: on the agent thread, a standby's HELLO (its epoch, last sequence and that record's
 *     checksum) is checked against this journal: a different checksum at that sequence, or records past this
 *     journal's end, is answered DIVERGED and the standby stops; otherwise a {@link JournalReader} streams the
 *     records after its last one on the catch-up stream, tailing the journal, until the standby says it has taken a
 *     live record. An ACK from a standby it has no HELLO from (the HELLO was lost, or this primary restarted) is
 *     answered HELLO_REQUEST. The standby takes each sequence once, from whichever stream brings it first, so there is no gap
 *     and no duplicate.</li>
 *     <li><b>Acknowledgements</b>: the standby's ACKs carry its durable sequence: {@link #acknowledgedSequence()},
 *     which sync mode waits for once per ring batch; the lag ({@link #lagRecords()}) is a counter, in the media
 *     driver's counters file with the others ({@link #LAG_TYPE_ID} and after), so {@code AeronStat} shows it.</li>
 *     <li><b>Fencing</b>: a HELLO, ACK or FENCED of a newer epoch than this primary's means another node was
 *     promoted: {@link #isFenced()} turns true, the pipeline takes no more input, and sync mode answers nothing
 *     more.</li>
 * </ul>
 * Construct before the pipeline, {@link #connect} once the media driver runs (before the pipeline starts), close
 * after the pipeline has closed.
 */
public final class Replicator implements RecordShipper, AutoCloseable
{
    /** Type id of the replication lag counter (records shipped, or due, that the standby has not acknowledged). */
    public static final int LAG_TYPE_ID = 4_300;
    /** Type id of the standby's acknowledged (durable) sequence counter. */
    public static final int ACKNOWLEDGED_SEQUENCE_TYPE_ID = 4_301;
    /** Type id of the counter of records not sent live (no standby, back pressure), caught up from the journal. */
    public static final int NOT_SHIPPED_LIVE_TYPE_ID = 4_302;
    /** Type id of the counter of records sent from the journal to catch a standby up. */
    public static final int CATCH_UP_RECORDS_TYPE_ID = 4_303;

    private static final int SYNC_OFFER_ATTEMPTS = 10_000;

    private final ReplicationContext context;
    private final Path journalDirectory;
    private final LongSupplier journalLastSequence;
    private final int maxRecordLengthBytes;
    private final ErrorHandler errorHandler;
    private final boolean synchronous;
    private final RecordChecksum checksum = new RecordChecksum();
    private final UnsafeBuffer header = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(ReplicationMessages.RECORD_HEADER_LENGTH, 64));
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong notShipped = new AtomicLong();
    private final AtomicLong catchUpRecords = new AtomicLong();
    private volatile boolean fenced;
    private volatile String standbyStatus = "no standby yet";
    private volatile long epoch;
    private int chainChecksum;
    private Aeron aeron;
    private ExclusivePublication live;
    private AgentRunner runner;
    private Counter lagCounter;
    private Counter acknowledgedCounter;
    private Counter notShippedCounter;
    private Counter catchUpCounter;
    private boolean closed;

    /**
     * @param context              channels, streams, mode; concluded here.
     * @param journalDirectory     of this primary's journal, for catch-up.
     * @param journalLastSequence  the journal's last sequence, read from any thread.
     * @param lastSequence         the journal's last sequence now, before the pipeline starts.
     * @param lastChecksum         the checksum of that record (0 for an empty journal).
     * @param epoch                this primary's epoch (see {@link Epochs#currentEpoch}); for a standby that will
     *                             ship onward once promoted, its epoch now (see {@link #promoted}).
     * @param maxRecordLengthBytes longest payload a record may have.
     * @param errorHandler         told of errors of the agent thread.
     */
    public Replicator(
        final ReplicationContext context,
        final Path journalDirectory,
        final LongSupplier journalLastSequence,
        final long lastSequence,
        final int lastChecksum,
        final long epoch,
        final int maxRecordLengthBytes,
        final ErrorHandler errorHandler)
    {
        this.context = context.conclude();
        this.journalDirectory = journalDirectory;
        this.journalLastSequence = journalLastSequence;
        this.epoch = epoch;
        this.maxRecordLengthBytes = maxRecordLengthBytes;
        this.errorHandler = errorHandler;
        this.synchronous = ReplicationMode.SYNC == context.mode();
        this.chainChecksum = lastChecksum;
        this.shipped.set(lastSequence);
    }

    /**
     * Connect to the media driver and start the agent thread. Called once, before the pipeline starts.
     *
     * @param aeronDirectoryName of the running media driver.
     */
    public void connect(final String aeronDirectoryName)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName).errorHandler(errorHandler));
        final String recordsChannel = withTermLength(context.recordsChannel(), context.termLength());
        live = aeron.addExclusivePublication(recordsChannel, context.liveStreamId());
        final ExclusivePublication catchUp = aeron.addExclusivePublication(recordsChannel, context.catchUpStreamId());
        final Subscription control = aeron.addSubscription(context.controlChannel(), context.controlStreamId());
        lagCounter = aeron.addCounter(LAG_TYPE_ID, "paycore: replication lag (records)");
        acknowledgedCounter = aeron.addCounter(
            ACKNOWLEDGED_SEQUENCE_TYPE_ID, "paycore: replication acknowledged sequence");
        notShippedCounter = aeron.addCounter(
            NOT_SHIPPED_LIVE_TYPE_ID, "paycore: replication records not shipped live");
        catchUpCounter = aeron.addCounter(CATCH_UP_RECORDS_TYPE_ID, "paycore: replication records caught up");
        runner = new AgentRunner(
            new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)),
            errorHandler, null, new ReplicatorAgent(catchUp, control));
        AgentRunner.startOnThread(runner, context.threadFactory());
    }

    /**
     * {@inheritDoc}
     * <p>
     * Replicator thread only.
     */
    public void ship(
        final int type,
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int recordChecksum = checksum.checksum(chainChecksum, type, sequence, timestampNanos, buffer, offset,
            length);
        chainChecksum = recordChecksum;
        ReplicationMessages.putRecordHeader(header, 0, epoch, type, sequence, timestampNanos, recordChecksum, length);

        final ExclusivePublication live = this.live;
        boolean sent = false;
        if (null != live)
        {
            int attempts = synchronous ? SYNC_OFFER_ATTEMPTS : 1;
            while (attempts-- > 0)
            {
                final long result = live.offer(header, 0, ReplicationMessages.RECORD_HEADER_LENGTH, buffer, offset,
                    length);
                if (result > 0)
                {
                    sent = true;
                    break;
                }
                if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result)
                {
                    Thread.onSpinWait();
                    continue;
                }
                if (Publication.NOT_CONNECTED == result || Publication.CLOSED == result ||
                    Publication.MAX_POSITION_EXCEEDED == result)
                {
                    break;
                }
                break;
            }
        }
        if (!sent)
        {
            notShipped.lazySet(notShipped.get() + 1);
        }
        shipped.lazySet(sequence);
    }

    /**
     * The standby this replicator's pipeline belongs to has been promoted: from the record after its epoch record
     * on, the pipeline's records are this node's own, and are shipped with the new epoch, chained from the epoch
     * record's checksum. Called by the follower, before it puts the epoch record on the ring (which publishes these
     * writes to the replicator thread).
     *
     * @param epochSequence the epoch record's sequence.
     * @param epochChecksum the epoch record's checksum.
     * @param newEpoch      the new epoch.
     */
    public void promoted(final long epochSequence, final int epochChecksum, final long newEpoch)
    {
        chainChecksum = epochChecksum;
        epoch = newEpoch;
        shipped.set(epochSequence);
    }

    /**
     * {@inheritDoc}
     */
    public void endOfBatch(final long lastSequence)
    {
    }

    /**
     * {@inheritDoc}
     */
    public boolean isSynchronous()
    {
        return synchronous;
    }

    /**
     * {@inheritDoc}
     */
    public long acknowledgedSequence()
    {
        return acknowledged.get();
    }

    /**
     * {@inheritDoc}
     */
    public boolean isFenced()
    {
        return fenced;
    }

    /**
     * @return this primary's epoch.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * @return records shipped (or journaled and due to be shipped) that the standby has not acknowledged. Any
     * thread.
     */
    public long lagRecords()
    {
        return Math.max(0, shipped.get() - acknowledged.get());
    }

    /**
     * @return live records that could not be sent when journaled (no standby, back pressure), to be caught up from
     * the journal. Any thread.
     */
    public long recordsNotShippedLive()
    {
        return notShipped.get();
    }

    /**
     * @return records sent from the journal to catch a standby up. Any thread.
     */
    public long catchUpRecords()
    {
        return catchUpRecords.get();
    }

    /**
     * @return one line on the standby: who, where, and why it stopped if it did. Any thread.
     */
    public String standbyStatus()
    {
        return standbyStatus;
    }

    /**
     * @return the replication settings.
     */
    public ReplicationContext context()
    {
        return context;
    }

    /**
     * Stop the agent and disconnect. Call after the pipeline has closed. Safe to call more than once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.closeAll(runner, lagCounter, acknowledgedCounter, notShippedCounter, catchUpCounter, aeron);
    }

    static String withTermLength(final String channel, final int termLength)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        if (null == uri.get(CommonContext.TERM_LENGTH_PARAM_NAME))
        {
            uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(termLength));
        }
        return uri.toString();
    }

    /**
     * Answers the standby's HELLOs, ACKs and FENCEDs, and streams catch-up records from the journal.
     */
    private final class ReplicatorAgent implements Agent, FragmentHandler, RecordHandler
    {
        private static final long NO_INSTANCE = 0;

        private final ExclusivePublication catchUp;
        private final Subscription control;
        private final UnsafeBuffer controlOut = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(ReplicationMessages.CONTROL_LENGTH, 64));
        private final UnsafeBuffer pending;
        private int pendingLength;
        private boolean hasPending;
        private JournalReader reader;
        private long standbyInstance = NO_INSTANCE;
        private long lastHeardNanos;
        private long helloInstance = NO_INSTANCE;
        private long helloSequence;
        private int helloChecksum;
        private long helloDeadlineNanos;
        private long lastHelloRequestNanos;

        ReplicatorAgent(final ExclusivePublication catchUp, final Subscription control)
        {
            this.catchUp = catchUp;
            this.control = control;
            this.pending = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                BitUtil.align(ReplicationMessages.RECORD_HEADER_LENGTH + maxRecordLengthBytes, 64), 64));
        }

        public String roleName()
        {
            return "paycore-replicator-agent";
        }

        public int doWork()
        {
            int work = control.poll(this, 16);
            final long nowNanos = System.nanoTime();
            updateCounters();
            if (NO_INSTANCE != helloInstance)
            {
                work += checkHello(nowNanos);
            }
            if (null != reader)
            {
                work += pumpCatchUp();
                if (nowNanos - lastHeardNanos > context.standbyTimeoutNanos())
                {
                    stopCatchUp();
                    standbyStatus = "standby " + Long.toHexString(standbyInstance) + " silent for more than " +
                        TimeUnit.NANOSECONDS.toMillis(context.standbyTimeoutNanos()) + " ms; catch-up stopped";
                }
            }
            return work;
        }

        public void onClose()
        {
            stopCatchUp();
            CloseHelper.closeAll(catchUp, control);
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (length < ReplicationMessages.CONTROL_LENGTH ||
                ReplicationMessages.VERSION != ReplicationMessages.version(buffer, offset))
            {
                return;
            }
            final long messageEpoch = ReplicationMessages.epoch(buffer, offset);
            final int kind = ReplicationMessages.kind(buffer, offset);
            if (messageEpoch > epoch)
            {
                if (!fenced)
                {
                    fenced = true;
                    standbyStatus = "fenced: a standby of epoch " + messageEpoch + " answered this primary of " +
                        "epoch " + epoch + "; this node is no longer the primary";
                    errorHandler.onError(new IllegalStateException(standbyStatus));
                }
                return;
            }

            switch (kind)
            {
                case ReplicationMessages.HELLO:
                {
                    final long instance = ReplicationMessages.helloInstance(buffer, offset);
                    final long sequence = ReplicationMessages.sequence(buffer, offset);
                    if (instance != helloInstance || sequence != helloSequence)
                    {
                        helloDeadlineNanos = System.nanoTime() + context.standbyTimeoutNanos();
                    }
                    helloInstance = instance;
                    helloSequence = sequence;
                    helloChecksum = ReplicationMessages.helloChecksum(buffer, offset);
                    break;
                }

                case ReplicationMessages.ACK:
                    if (ReplicationMessages.ackInstance(buffer, offset) != standbyInstance ||
                        NO_INSTANCE == standbyInstance)
                    {
                        requestHello(ReplicationMessages.ackInstance(buffer, offset));
                    }
                    else
                    {
                        lastHeardNanos = System.nanoTime();
                        final long durable = ReplicationMessages.sequence(buffer, offset);
                        if (durable > acknowledged.get())
                        {
                            acknowledged.set(durable);
                        }
                        if (ReplicationMessages.ackLive(buffer, offset) && null != reader)
                        {
                            stopCatchUp();
                            standbyStatus = "standby " + Long.toHexString(standbyInstance) + " is live";
                        }
                    }
                    break;

                default:
                    break;
            }
        }

        private int checkHello(final long nowNanos)
        {
            final long instance = helloInstance;
            final long last = journalLastSequence.getAsLong();
            if (helloSequence > last)
            {
                if (nowNanos - helloDeadlineNanos > 0)
                {
                    helloInstance = NO_INSTANCE;
                    diverge(instance, last + 1, ReplicationMessages.DIVERGED_STANDBY_AHEAD);
                    return 1;
                }
                return 0;
            }

            helloInstance = NO_INSTANCE;
            final int ourChecksum;
            try
            {
                ourChecksum = Epochs.checksumOf(journalDirectory, helloSequence);
            }
            catch (final JournalException ex)
            {
                errorHandler.onError(ex);
                return 1;
            }
            if (ourChecksum != helloChecksum)
            {
                diverge(instance, helloSequence, ReplicationMessages.DIVERGED_CHECKSUM);
                return 1;
            }

            stopCatchUp();
            standbyInstance = instance;
            lastHeardNanos = nowNanos;
            if (helloSequence > acknowledged.get())
            {
                acknowledged.set(helloSequence);
            }
            reader = JournalReader.open(journalDirectory, helloSequence + 1);
            standbyStatus = "standby " + Long.toHexString(instance) + " catching up from sequence " +
                (helloSequence + 1);
            return 1;
        }

        private void updateCounters()
        {
            lagCounter.setRelease(lagRecords());
            acknowledgedCounter.setRelease(acknowledged.get());
            notShippedCounter.setRelease(notShipped.get());
            catchUpCounter.setRelease(catchUpRecords.get());
        }

        private void requestHello(final long instance)
        {
            final long nowNanos = System.nanoTime();
            if (NO_INSTANCE != helloInstance || nowNanos - lastHelloRequestNanos < context.helloIntervalNanos())
            {
                return;
            }
            lastHelloRequestNanos = nowNanos;
            ReplicationMessages.putHelloRequest(controlOut, epoch, instance);
            final long result = catchUp.offer(controlOut, 0, ReplicationMessages.CONTROL_LENGTH);
            if (result < 0 && Publication.NOT_CONNECTED != result && Publication.BACK_PRESSURED != result &&
                Publication.ADMIN_ACTION != result && Publication.CLOSED != result &&
                Publication.MAX_POSITION_EXCEEDED != result)
            {
                errorHandler.onError(new IllegalStateException("unexpected offer result " + result));
            }
            // Not sent: the standby's next ACK asks again.
        }

        private void diverge(final long instance, final long sequence, final int reason)
        {
            standbyStatus = "standby " + Long.toHexString(instance) + " diverged at sequence " + sequence + ": " +
                ReplicationMessages.describeDivergence(reason);
            errorHandler.onError(new IllegalStateException(standbyStatus));
            ReplicationMessages.putDiverged(controlOut, epoch, sequence, instance, reason);
            final long result = catchUp.offer(controlOut, 0, ReplicationMessages.CONTROL_LENGTH);
            if (result < 0 && Publication.NOT_CONNECTED != result && Publication.BACK_PRESSURED != result &&
                Publication.ADMIN_ACTION != result && Publication.CLOSED != result &&
                Publication.MAX_POSITION_EXCEEDED != result)
            {
                errorHandler.onError(new IllegalStateException("unexpected offer result " + result));
            }
            // Not sent (no standby, back pressure): the standby repeats its HELLO and is answered again.
        }

        private int pumpCatchUp()
        {
            int sent = 0;
            try
            {
                while (sent < ReplicationContext.CATCH_UP_BATCH_RECORDS)
                {
                    if (!hasPending && 0 == reader.poll(this, 1))
                    {
                        break;
                    }
                    final long result = catchUp.offer(pending, 0, pendingLength);
                    if (result > 0)
                    {
                        hasPending = false;
                        sent++;
                        continue;
                    }
                    if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result ||
                        Publication.NOT_CONNECTED == result)
                    {
                        break;
                    }
                    if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                    {
                        errorHandler.onError(new IllegalStateException("catch-up publication unusable: " + result));
                        stopCatchUp();
                        break;
                    }
                    break;
                }
            }
            catch (final JournalException ex)
            {
                errorHandler.onError(ex);
                stopCatchUp();
            }
            if (sent > 0)
            {
                catchUpRecords.lazySet(catchUpRecords.get() + sent);
            }
            return sent;
        }

        public void onRecord(
            final int type,
            final long sequence,
            final long timestampNanos,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            ReplicationMessages.putRecordHeader(pending, 0, epoch, type, sequence, timestampNanos,
                Epochs.checksumAt(buffer, offset), length);
            pending.putBytes(ReplicationMessages.RECORD_HEADER_LENGTH, buffer, offset, length);
            pendingLength = ReplicationMessages.RECORD_HEADER_LENGTH + length;
            hasPending = true;
        }

        private void stopCatchUp()
        {
            hasPending = false;
            if (null != reader)
            {
                CloseHelper.quietClose(reader);
                reader = null;
            }
        }
    }
}
