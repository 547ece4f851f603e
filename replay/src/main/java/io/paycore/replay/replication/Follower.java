package io.paycore.replay.replication;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.journal.RecordChecksum;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The standby's side of replication: follows the primary into a standby {@link Pipeline} (which journals and applies
 * each record, and serves lookups read-only), and can be promoted to primary.
 * <ul>
 *     <li>On start, whenever a primary (re)connects its live stream, and whenever it is waiting (nothing taken
 *     for a {@link ReplicationContext#helloIntervalNanos() hello interval}, or a gap in the live stream), it sends the
 *     primary a HELLO (also when the primary asks, HELLO_REQUEST, having lost it): its epoch, last sequence and that
 *     record's checksum. The primary streams the missing records from its journal on the catch-up stream.</li>
 *     <li>Each sequence is taken once, from whichever stream brings it first: lower ones are duplicates and
 *     dropped, higher ones wait for catch-up. A record is taken only if its checksum continues this standby's
 *     chain (computed with {@link RecordChecksum}); otherwise the histories diverged, and the follower stops and
 *     says so. It never forks silently. So does a DIVERGED answer to its HELLO.</li>
 *     <li>It acknowledges its journal's durable sequence (an ACK, flagged live once it has taken a record from the
 *     live stream), whenever it advances and every hello interval.</li>
 *     <li>A record from a primary of an older epoch than this standby's is refused, and the primary is told
 *     (FENCED). After promotion the follower keeps listening for exactly that: an old primary that comes back and
 *     ships records is told it is fenced, and takes no more input. It also says FENCED every hello interval while
 *     the old primary's control channel is connected, so that a primary that ships nothing more (in sync mode,
 *     one waiting for acknowledgements that will not come) learns it too.</li>
 *     <li>{@link #requestPromotion()} (or the file {@code promote} appearing in the data directory, which
 *     {@code paycore promote} creates) stops following, journals an epoch record with the next epoch, and turns the
 *     pipeline into a primary's: clients' writes are taken from the next sequence on, and shipped to a standby
 *     of its own if it was given an onward {@link Replicator}.</li>
 * </ul>
 * Runs on its own thread, started by {@link #connect}.
 */
public final class Follower implements AutoCloseable
{
    /** Still following the primary. */
    public static final int FOLLOWING = 0;
    /** Stopped: the journals diverged, or the primary is older; see {@link #stopReason()}. */
    public static final int STOPPED = 1;
    /** Promoted: this node is the primary now. */
    public static final int PROMOTED = 2;

    private static final int FRAGMENT_LIMIT = 64;
    private static final long PROMOTE_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReplicationContext context;
    private final Pipeline pipeline;
    private final Path promoteRequestFile;
    private final Consumer<String> log;
    private final ErrorHandler errorHandler;
    private final Replicator onward;
    private final long instance = ThreadLocalRandom.current().nextLong() | 1;
    private volatile int state = FOLLOWING;
    private volatile String stopReason;
    private volatile boolean promotionRequested;
    private volatile long epoch;
    private volatile long recordsTaken;
    private volatile int primaryImages;
    private Aeron aeron;
    private AgentRunner runner;
    private int lastChecksum;
    private boolean closed;

    /**
     * @param context            channels and streams; concluded here.
     * @param pipeline           a standby pipeline over this standby's recovered journal and ledger.
     * @param lastChecksum       checksum of the journal's last record (0 for an empty journal).
     * @param epoch              this standby's epoch (see {@link Epochs#currentEpoch}).
     * @param promoteRequestFile a file whose appearance requests promotion; null for none.
     * @param log                told one line at each change of state (caught up, stopped, promoted).
     * @param errorHandler       told of errors of the follower thread.
     * @param onward             the replicator of this standby's pipeline, shipping to a standby of its own once
     *                           promoted; null for none.
     */
    public Follower(
        final ReplicationContext context,
        final Pipeline pipeline,
        final int lastChecksum,
        final long epoch,
        final Path promoteRequestFile,
        final Consumer<String> log,
        final ErrorHandler errorHandler,
        final Replicator onward)
    {
        if (!pipeline.isStandby())
        {
            throw new IllegalArgumentException("the follower needs a standby pipeline");
        }
        this.context = context.conclude();
        this.pipeline = pipeline;
        this.lastChecksum = lastChecksum;
        this.epoch = epoch;
        this.promoteRequestFile = promoteRequestFile;
        this.log = log;
        this.errorHandler = errorHandler;
        this.onward = onward;
    }

    /**
     * Connect to the media driver and start following on a thread of its own.
     *
     * @param aeronDirectoryName of the running media driver.
     */
    public void connect(final String aeronDirectoryName)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName).errorHandler(errorHandler));
        final Subscription live = aeron.addSubscription(context.recordsChannel(), context.liveStreamId(),
            (image) -> primaryImages++, null);
        final Subscription catchUp = aeron.addSubscription(context.recordsChannel(), context.catchUpStreamId());
        final ExclusivePublication control = aeron.addExclusivePublication(
            context.controlChannel(), context.controlStreamId());
        runner = new AgentRunner(
            new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)),
            errorHandler, null, new FollowerAgent(live, catchUp, control));
        AgentRunner.startOnThread(runner, context.threadFactory());
    }

    /**
     * Ask the follower to promote this node to primary. Any thread.
     */
    public void requestPromotion()
    {
        promotionRequested = true;
    }

    /**
     * @return {@link #FOLLOWING}, {@link #STOPPED} or {@link #PROMOTED}. Any thread.
     */
    public int state()
    {
        return state;
    }

    /**
     * @return why following stopped, or null. Any thread.
     */
    public String stopReason()
    {
        return stopReason;
    }

    /**
     * @return this node's epoch: that of the last epoch record it journaled. Any thread.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * @return records taken from the primary since start. Any thread.
     */
    public long recordsTaken()
    {
        return recordsTaken;
    }

    /**
     * Stop following. Safe to call more than once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.closeAll(runner, aeron);
    }

    private final class FollowerAgent implements Agent
    {
        private final Subscription live;
        private final Subscription catchUp;
        private final ExclusivePublication control;
        private final RecordChecksum checksum = new RecordChecksum();
        private final UnsafeBuffer controlOut = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(ReplicationMessages.CONTROL_LENGTH, 64));
        private final UnsafeBuffer epochPayload = new UnsafeBuffer(new byte[Epochs.EPOCH_PAYLOAD_LENGTH]);
        private final ControlledFragmentAssembler liveAssembler = new ControlledFragmentAssembler(this::onLive);
        private final ControlledFragmentAssembler catchUpAssembler = new ControlledFragmentAssembler(this::onCatchUp);
        private boolean liveTaken;
        private long gapSinceNanos;
        private long lastProgressNanos;
        private long lastHelloNanos;
        private long lastAckNanos;
        private long lastAckSequence = -1;
        private long lastFencedNanos;
        private long lastAnnouncedNanos;
        private long nextPromoteCheckNanos;
        private boolean caughtUpLogged;
        private boolean helloSent;
        private int primaryImagesSeen;
        private long nowNanos;

        FollowerAgent(final Subscription live, final Subscription catchUp, final ExclusivePublication control)
        {
            this.live = live;
            this.catchUp = catchUp;
            this.control = control;
        }

        public String roleName()
        {
            return "paycore-follower";
        }

        public void onStart()
        {
            nowNanos = System.nanoTime();
            lastProgressNanos = nowNanos;
            lastHelloNanos = nowNanos - context.helloIntervalNanos();
        }

        public int doWork()
        {
            if (PROMOTED == state)
            {
                nowNanos = System.nanoTime();
                return live.controlledPoll(liveAssembler, FRAGMENT_LIMIT) +
                    catchUp.controlledPoll(catchUpAssembler, FRAGMENT_LIMIT) + announceEpoch();
            }
            if (FOLLOWING != state)
            {
                return 0;
            }
            nowNanos = System.nanoTime();
            if (pipeline.isFailed())
            {
                stop("this standby's pipeline failed, so it can take no more records: " + pipeline.failure());
                return 1;
            }
            if (promotionRequested || promoteFileAppeared())
            {
                promote();
                return 1;
            }

            int work = catchUp.controlledPoll(catchUpAssembler, FRAGMENT_LIMIT);
            work += live.controlledPoll(liveAssembler, FRAGMENT_LIMIT);
            if (FOLLOWING != state)
            {
                return work;
            }
            final int images = primaryImages;
            if (images != primaryImagesSeen)
            {
                primaryImagesSeen = images;
                helloSent = false;
            }
            work += acknowledge();
            work += helloIfWaiting();
            return work;
        }

        public void onClose()
        {
            CloseHelper.closeAll(live, catchUp, control);
        }

        private boolean promoteFileAppeared()
        {
            if (null == promoteRequestFile || nowNanos - nextPromoteCheckNanos < 0)
            {
                return false;
            }
            nextPromoteCheckNanos = nowNanos + PROMOTE_CHECK_INTERVAL_NANOS;
            return Files.exists(promoteRequestFile);
        }

        private ControlledFragmentHandler.Action onLive(
            final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            return onMessage(buffer, offset, length, true);
        }

        private ControlledFragmentHandler.Action onCatchUp(
            final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            return onMessage(buffer, offset, length, false);
        }

        private ControlledFragmentHandler.Action onMessage(
            final DirectBuffer buffer, final int offset, final int length, final boolean fromLive)
        {
            if (STOPPED == state || length < ReplicationMessages.CONTROL_LENGTH ||
                ReplicationMessages.VERSION != ReplicationMessages.version(buffer, offset))
            {
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (PROMOTED == state)
            {
                if (ReplicationMessages.RECORD == ReplicationMessages.kind(buffer, offset) &&
                    ReplicationMessages.epoch(buffer, offset) < epoch)
                {
                    fence(ReplicationMessages.epoch(buffer, offset));
                }
                return ControlledFragmentHandler.Action.CONTINUE;
            }

            final int kind = ReplicationMessages.kind(buffer, offset);
            if (ReplicationMessages.HELLO_REQUEST == kind)
            {
                if (ReplicationMessages.divergedInstance(buffer, offset) == instance)
                {
                    helloSent = false;
                }
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (ReplicationMessages.DIVERGED == kind)
            {
                if (ReplicationMessages.divergedInstance(buffer, offset) == instance)
                {
                    stop("this standby's journal diverged from the primary's at sequence " +
                        ReplicationMessages.sequence(buffer, offset) + " (" +
                        ReplicationMessages.describeDivergence(ReplicationMessages.divergedReason(buffer, offset)) +
                        "): following stopped; nothing was changed. Rebuild this standby from an empty data " +
                        "directory, or find out which history is right");
                }
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (ReplicationMessages.RECORD != kind || length < ReplicationMessages.RECORD_HEADER_LENGTH)
            {
                return ControlledFragmentHandler.Action.CONTINUE;
            }

            final long primaryEpoch = ReplicationMessages.epoch(buffer, offset);
            if (primaryEpoch < epoch)
            {
                fence(primaryEpoch);
                return ControlledFragmentHandler.Action.CONTINUE;
            }

            final long sequence = ReplicationMessages.sequence(buffer, offset);
            final long expected = pipeline.nextSequence();
            if (sequence < expected)
            {
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (sequence > expected)
            {
                if (fromLive && 0 == gapSinceNanos)
                {
                    gapSinceNanos = nowNanos;
                }
                return ControlledFragmentHandler.Action.CONTINUE;
            }

            final int type = ReplicationMessages.recordType(buffer, offset);
            final long timestampNanos = ReplicationMessages.timestampNanos(buffer, offset);
            final int payloadLength = ReplicationMessages.payloadLength(buffer, offset);
            final int payloadOffset = offset + ReplicationMessages.RECORD_HEADER_LENGTH;
            if (payloadLength < 0 || payloadLength != length - ReplicationMessages.RECORD_HEADER_LENGTH ||
                payloadLength > pipeline.maxMessageLength())
            {
                stop("the primary sent record " + sequence + " with a bad length " + payloadLength +
                    " (message of " + length + " bytes): following stopped");
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            final int recordChecksum = ReplicationMessages.checksum(buffer, offset);
            if (checksum.checksum(lastChecksum, type, sequence, timestampNanos, buffer, payloadOffset,
                payloadLength) != recordChecksum)
            {
                stop("this standby's journal diverged from the primary's: record " + sequence + " from the primary " +
                    "does not continue this standby's checksum chain (its last record, " + (sequence - 1) +
                    ", differs from the primary's, or the record was damaged): following stopped; nothing was " +
                    "changed");
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (!pipeline.offerRecord(type, sequence, timestampNanos, buffer, payloadOffset, payloadLength))
            {
                return ControlledFragmentHandler.Action.ABORT;
            }

            lastChecksum = recordChecksum;
            recordsTaken++;
            lastProgressNanos = nowNanos;
            gapSinceNanos = 0;
            if (Epochs.EPOCH == type && Epochs.EPOCH_PAYLOAD_LENGTH == payloadLength)
            {
                epoch = buffer.getLong(payloadOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            if (fromLive && !liveTaken)
            {
                liveTaken = true;
                if (!caughtUpLogged)
                {
                    caughtUpLogged = true;
                    log.accept("following: live from sequence " + sequence + " (epoch " + epoch + ")");
                }
            }
            return ControlledFragmentHandler.Action.CONTINUE;
        }

        private int acknowledge()
        {
            final long durable = pipeline.durableSequence();
            if (durable == lastAckSequence && nowNanos - lastAckNanos < context.helloIntervalNanos())
            {
                return 0;
            }
            ReplicationMessages.putAck(controlOut, epoch, durable, instance, liveTaken);
            if (offerControl())
            {
                lastAckSequence = durable;
                lastAckNanos = nowNanos;
                return 1;
            }
            return 0;
        }

        private int helloIfWaiting()
        {
            if (nowNanos - lastHelloNanos < context.helloIntervalNanos())
            {
                return 0;
            }
            final boolean waiting = !liveTaken && nowNanos - lastProgressNanos >= context.helloIntervalNanos();
            final boolean gap = 0 != gapSinceNanos && nowNanos - gapSinceNanos >= context.helloIntervalNanos();
            if (!waiting && !gap && helloSent)
            {
                return 0;
            }
            final long last = pipeline.nextSequence() - 1;
            ReplicationMessages.putHello(controlOut, epoch, last, lastChecksum, instance);
            lastHelloNanos = nowNanos;
            if (offerControl())
            {
                helloSent = true;
                liveTaken = false;
                gapSinceNanos = 0;
                lastProgressNanos = nowNanos;
                return 1;
            }
            return 0;
        }

        /**
         * Tell the old primary, if it is still there, that this node is of a newer epoch, whether or not it ships
         * records: a sync primary whose standby stopped acknowledging may ship nothing more, and would otherwise
         * never learn that it was fenced.
         */
        private int announceEpoch()
        {
            if (!control.isConnected() || nowNanos - lastAnnouncedNanos < context.helloIntervalNanos())
            {
                return 0;
            }
            lastAnnouncedNanos = nowNanos;
            ReplicationMessages.putFenced(controlOut, epoch, pipeline.nextSequence() - 1, instance);
            offerControl();
            return 1;
        }

        private void fence(final long primaryEpoch)
        {
            if (nowNanos - lastFencedNanos < context.helloIntervalNanos())
            {
                return;
            }
            lastFencedNanos = nowNanos;
            ReplicationMessages.putFenced(controlOut, epoch, pipeline.nextSequence() - 1, instance);
            offerControl();
            errorHandler.onError(new IllegalStateException("refused records from a primary of epoch " +
                primaryEpoch + ": this node is of epoch " + epoch + "; that primary was fenced"));
        }

        private boolean offerControl()
        {
            final long result = control.offer(controlOut, 0, ReplicationMessages.CONTROL_LENGTH);
            if (result > 0)
            {
                return true;
            }
            if (Publication.NOT_CONNECTED == result || Publication.BACK_PRESSURED == result ||
                Publication.ADMIN_ACTION == result)
            {
                return false;
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                stop("the control publication to the primary is unusable (" + result + "): following stopped");
                return false;
            }
            return false;
        }

        private void promote()
        {
            final long newEpoch = epoch + 1;
            final long timestampNanos = Math.max(pipeline.lastTimestampNanos() + 1,
                TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
            Epochs.putEpochPayload(epochPayload, newEpoch);
            final long sequence = pipeline.nextSequence();
            lastChecksum = checksum.checksum(lastChecksum, Epochs.EPOCH, sequence, timestampNanos, epochPayload, 0,
                Epochs.EPOCH_PAYLOAD_LENGTH);
            if (null != onward)
            {
                onward.promoted(sequence, lastChecksum, newEpoch);
            }
            while (!pipeline.offerRecord(Epochs.EPOCH, sequence, timestampNanos, epochPayload, 0,
                Epochs.EPOCH_PAYLOAD_LENGTH))
            {
                Thread.yield();
            }
            pipeline.promote();
            epoch = newEpoch;
            log.accept("promoted: epoch " + newEpoch + " journaled at sequence " + sequence +
                "; serving clients as the primary from sequence " + (sequence + 1));
            state = PROMOTED;
            if (null != promoteRequestFile)
            {
                try
                {
                    Files.deleteIfExists(promoteRequestFile);
                }
                catch (final java.io.IOException ex)
                {
                    errorHandler.onError(ex);
                }
            }
        }

        private void stop(final String reason)
        {
            // Logged before the state says so: whoever sees STOPPED also finds the reason in the log.
            stopReason = reason;
            log.accept("following stopped: " + reason);
            state = STOPPED;
        }
    }
}
