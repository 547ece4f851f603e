package io.paycore.transport;

import io.aeron.Publication;
import io.paycore.core.pipeline.OutputHandler;
import io.paycore.core.pipeline.Pipeline;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.ArrayList;

/**
 * Sends answers to clients: those of the pipeline, and the replies ingress made itself ({@code ConnectResult},
 * {@code Rejected}). A client whose publication is back-pressured (or not yet connected) gets its answers held in a
 * bounded backlog, retried every duty cycle; when the backlog makes no progress for the configured time, or would
 * grow past its bound, the client is disconnected: publication closed, session forgotten, ingress told, counted.
 * Nothing here ever waits for a client, so neither the BLP nor other clients are slowed by one.
 * <p>
 * Runs on one thread (alone, or with ingress in a composite agent); steady state allocates nothing.
 */
final class EgressAgent implements Agent, OutputHandler, MessageHandler
{
    static final String ROLE_NAME = "paycore-egress";

    /** Control record: a reply made by ingress, {@code [sessionId:int64][SBE message]}. */
    static final int MSG_REPLY = 1;
    /** Control record: ingress saw the session's image go, {@code [sessionId:int64]}. */
    static final int MSG_CLOSE = 2;

    /**
     * Control record: close the session once what it holds back has been sent (a refused Connect's answer), or
     * when its back-pressure bound runs out.
     */
    static final int MSG_CLOSE_WHEN_SENT = 3;
    /** Offset of the SBE message in a reply record. */
    static final int REPLY_MESSAGE_OFFSET = 8;

    private static final int CONTROL_READ_LIMIT = 64;

    private final Pipeline pipeline;
    private final RingBuffer controlRing;
    private final OneToOneConcurrentArrayQueue<EgressSession> newSessions;
    private final OneToOneConcurrentArrayQueue<EgressSession> disconnected;
    private final TransportCounters counters;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final long backPressureTimeoutNanos;
    private final int pollLimit;
    private final Long2ObjectHashMap<EgressSession> sessions = new Long2ObjectHashMap<>();
    private final ArrayList<EgressSession> backlogged;
    private long nowNanos;
    private long lastDurableSequence = Long.MIN_VALUE;
    private long lastProcessedSequence = Long.MIN_VALUE;
    private volatile int backloggedCount;

    EgressAgent(
        final TransportContext context,
        final Pipeline pipeline,
        final RingBuffer controlRing,
        final OneToOneConcurrentArrayQueue<EgressSession> newSessions,
        final OneToOneConcurrentArrayQueue<EgressSession> disconnected,
        final TransportCounters counters,
        final ErrorHandler errorHandler)
    {
        this.pipeline = pipeline;
        this.controlRing = controlRing;
        this.newSessions = newSessions;
        this.disconnected = disconnected;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.clock = context.nanoClock();
        this.backPressureTimeoutNanos = context.egressBackPressureTimeoutNanos();
        this.pollLimit = context.egressPollLimit();
        this.backlogged = new ArrayList<>(context.maxSessions());
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    public int doWork()
    {
        nowNanos = clock.nanoTime();
        int workCount = drainNewSessions();
        workCount += controlRing.read(this, CONTROL_READ_LIMIT);
        workCount += pipeline.pollOutput(this, pollLimit);
        if (!backlogged.isEmpty())
        {
            workCount += retryBacklogs();
        }
        updateSequenceCounters();

        return workCount;
    }

    public void onClose()
    {
        drainNewSessions();
        sessions.forEach((sessionId, session) -> session.close());
        sessions.clear();
        backlogged.clear();
        backloggedCount = 0;
    }

    /**
     * @return how many sessions hold answers back. Any thread.
     */
    int backloggedCount()
    {
        return backloggedCount;
    }

    /**
     * An answer of the pipeline. Egress thread.
     */
    public void onOutput(
        final long sessionId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final EgressSession session = session(sessionId);
        if (null == session)
        {
            counters.answersDropped().incrementRelease();
            return;
        }
        send(session, buffer, offset, length);
    }

    /**
     * A control record from ingress. Egress thread.
     */
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long sessionId = buffer.getLong(index);
        final EgressSession session = session(sessionId);
        switch (msgTypeId)
        {
            case MSG_REPLY:
                if (null == session)
                {
                    counters.answersDropped().incrementRelease();
                }
                else
                {
                    send(session, buffer, index + REPLY_MESSAGE_OFFSET, length - REPLY_MESSAGE_OFFSET);
                }
                break;

            case MSG_CLOSE:
                if (null != session)
                {
                    remove(session);
                }
                break;

            case MSG_CLOSE_WHEN_SENT:
                if (null != session)
                {
                    if (session.hasBacklog())
                    {
                        session.closeWhenSent = true;
                    }
                    else
                    {
                        remove(session);
                    }
                }
                break;

            default:
                errorHandler.onError(new IllegalStateException("unknown control record type " + msgTypeId));
        }
    }

    private EgressSession session(final long sessionId)
    {
        EgressSession session = sessions.get(sessionId);
        if (null == session && drainNewSessions() > 0)
        {
            // Ingress hands a session over before anything for it enters the pipeline or the control ring, so one
            // not found yet may be in the queue still.
            session = sessions.get(sessionId);
        }
        return session;
    }

    private int drainNewSessions()
    {
        int count = 0;
        EgressSession session;
        while (null != (session = newSessions.poll()))
        {
            sessions.put(session.sessionId, session);
            count++;
        }
        return count;
    }

    private void send(final EgressSession session, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > session.publication.maxMessageLength())
        {
            errorHandler.onError(new IllegalStateException("answer of " + length + " bytes is longer than " +
                session + " can carry: disconnected"));
            counters.answersDropped().incrementRelease();
            disconnect(session, false);
            return;
        }
        if (session.hasBacklog())
        {
            holdBack(session, buffer, offset, length);
            return;
        }

        final long result = session.publication.offer(buffer, offset, length);
        if (result > 0)
        {
            return;
        }

        if (Publication.BACK_PRESSURED == result ||
            Publication.NOT_CONNECTED == result ||
            Publication.ADMIN_ACTION == result)
        {
            holdBack(session, buffer, offset, length);
        }
        else if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            counters.answersDropped().incrementRelease();
            disconnect(session, false);
        }
        else
        {
            errorHandler.onError(new IllegalStateException("unexpected offer result " + result + " for " + session));
            counters.answersDropped().incrementRelease();
        }
    }

    private void holdBack(final EgressSession session, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!session.appendBacklog(buffer, offset, length, nowNanos))
        {
            counters.answersDropped().incrementRelease();
            disconnect(session, true);
            return;
        }
        if (!session.inBacklogList)
        {
            session.inBacklogList = true;
            backlogged.add(session);
            backloggedCount = backlogged.size();
        }
    }

    private int retryBacklogs()
    {
        int workCount = 0;
        for (int i = backlogged.size() - 1; i >= 0; i--)
        {
            final EgressSession session = backlogged.get(i);
            boolean progressed = false;
            boolean gone = false;
            while (session.hasBacklog())
            {
                final long result = session.offerHead();
                if (result > 0)
                {
                    progressed = true;
                    workCount++;
                }
                else if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                {
                    gone = true;
                    break;
                }
                else
                {
                    // BACK_PRESSURED, NOT_CONNECTED, ADMIN_ACTION: try again next duty cycle.
                    break;
                }
            }

            if (gone)
            {
                disconnect(session, false);
            }
            else if (!session.hasBacklog())
            {
                session.inBacklogList = false;
                removeFromBacklogged(i);
                if (session.closeWhenSent)
                {
                    remove(session);
                }
            }
            else if (session.closeWhenSent && !progressed && nowNanos - session.stalledSinceNanos() > backPressureTimeoutNanos)
            {
                // A refused caller that never read its answer: ingress has already forgotten the session.
                remove(session);
            }
            else if (progressed)
            {
                session.stalledSinceNanos(nowNanos);
            }
            else if (nowNanos - session.stalledSinceNanos() > backPressureTimeoutNanos)
            {
                disconnect(session, true);
            }
        }
        return workCount;
    }

    private void disconnect(final EgressSession session, final boolean backPressure)
    {
        if (backPressure)
        {
            counters.backPressureDisconnects().incrementRelease();
        }
        remove(session);
        if (!disconnected.offer(session))
        {
            errorHandler.onError(new IllegalStateException("disconnect queue full, ingress not told of " + session));
        }
    }

    /**
     * Forget a session and close its publication; the answers it still held back are dropped, each counted.
     */
    private void remove(final EgressSession session)
    {
        final int heldBack = session.backlogCount();
        if (heldBack > 0)
        {
            counters.answersDropped().getAndAddRelease(heldBack);
        }
        sessions.remove(session.sessionId);
        if (session.inBacklogList)
        {
            session.inBacklogList = false;
            final int index = backlogged.indexOf(session);
            if (index >= 0)
            {
                removeFromBacklogged(index);
            }
        }
        session.close();
    }

    private void removeFromBacklogged(final int index)
    {
        final int last = backlogged.size() - 1;
        if (index != last)
        {
            backlogged.set(index, backlogged.get(last));
        }
        backlogged.remove(last);
        backloggedCount = backlogged.size();
    }

    private void updateSequenceCounters()
    {
        final long durable = pipeline.durableSequence();
        if (durable != lastDurableSequence)
        {
            lastDurableSequence = durable;
            counters.durableSequence().setRelease(durable);
        }
        final long processed = pipeline.processedSequence();
        if (processed != lastProcessedSequence)
        {
            lastProcessedSequence = processed;
            counters.processedSequence().setRelease(processed);
        }
        counters.inputRingOccupancy().setRelease(pipeline.inputRingOccupancy());
        counters.outputRingOccupancy().setRelease(pipeline.outputRingOccupancy());
        counters.segmentRolls().setRelease(pipeline.segmentRolls());
    }
}
