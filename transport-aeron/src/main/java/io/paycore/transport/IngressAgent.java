package io.paycore.transport;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.ConnectResultEncoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedEncoder;
import io.paycore.core.cold.ColdTierException;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.journal.JournalException;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Reads client frames from the ingress subscription. Each Aeron image (one client publication) is a session.
 * Every frame is checked with {@link FrameValidator}; {@code Connect} is answered here (credentials, response
 * publication, client limit); a valid request from an authenticated session goes into the pipeline; everything
 * else is answered {@code Rejected} (when the session has a response publication) or dropped and counted. Nothing
 * from an unauthenticated session reaches the journal.
 * <p>
 * When the input ring (or the ring of replies to egress) is full, the fragment is aborted and read again later, so
 * Aeron pushes back on the senders: nothing is lost. When no record has been stamped for the tick interval, a tick
 * is journaled.
 * <p>
 * Runs on one thread; the message path allocates nothing. A {@code Connect} allocates a little and is handed to the
 * {@link AuthenticatorAgent} for the slow part (PBKDF2, adding the response publication); its outcome comes back
 * through a queue and is completed here, so ingress never waits on it.
 */
final class IngressAgent implements Agent, ControlledFragmentHandler
{
    static final String ROLE_NAME = "paycore-ingress";

    private static final int STATE_NEW = 0;
    private static final int STATE_AUTHENTICATED = 1;
    private static final int STATE_REFUSED = 2;
    private static final int STATE_DISCONNECTED = 3;

    /** Longest old-version {@code Connect} answered (credential and channel included); longer ones are dropped. */
    private static final int OLD_VERSION_CONNECT_LENGTH_MAX = 4096;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int REPLY_LENGTH_MAX = EgressAgent.REPLY_MESSAGE_OFFSET + MessageHeaderEncoder.ENCODED_LENGTH +
        Math.max(RejectedEncoder.BLOCK_LENGTH, ConnectResultEncoder.BLOCK_LENGTH) + 2 + FrameValidator.MAX_DETAIL_LENGTH;
    private static final int CONTROL_ROOM_NEEDED = 2 * BitUtil.align(
        REPLY_LENGTH_MAX + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);

    private final OneToOneConcurrentArrayQueue<ConnectRequest> connectRequests;
    private final OneToOneConcurrentArrayQueue<ConnectRequest> connectOutcomes;
    private final Subscription subscription;
    private final Pipeline pipeline;
    private final RingBuffer controlRing;
    private final OneToOneConcurrentArrayQueue<EgressSession> newSessions;
    private final OneToOneConcurrentArrayQueue<EgressSession> disconnected;
    private final TransportCounters counters;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final ControlledFragmentAssembler assembler;
    private final FrameValidator validator;
    private final Int2ObjectHashMap<IngressSession> sessions = new Int2ObjectHashMap<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final ConnectResultEncoder connectResultEncoder = new ConnectResultEncoder();
    private final RejectedEncoder rejectedEncoder = new RejectedEncoder();
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(new byte[BitUtil.align(REPLY_LENGTH_MAX, 64)]);
    private final UnsafeBuffer detailBuffer = new UnsafeBuffer(new byte[FrameValidator.MAX_DETAIL_LENGTH]);
    private final UnsafeBuffer oldVersionFrame = new UnsafeBuffer(new byte[OLD_VERSION_CONNECT_LENGTH_MAX]);
    private int oldVersionFrameVersion;
    private final UnsafeBuffer[] reasonDetails = reasonDetails();
    private final UnsafeBuffer coldTierFailedDetail = new UnsafeBuffer(("the service cannot accept input now: " +
        "its cold tier has failed (full, or its disk): its journal holds every request before").getBytes(
        StandardCharsets.US_ASCII));
    private final UnsafeBuffer stageFailedDetail = new UnsafeBuffer(("the service cannot accept input now: " +
        "it has failed (its error log says why)").getBytes(StandardCharsets.US_ASCII));
    private final long tickIntervalNanos;
    private final int fragmentLimit;
    private final int maxClients;
    private final int maxSessions;
    private final int maxBacklogBytes;

    private long nextSessionId = 1;
    private int authenticatedCount;
    private int sessionsWithPublication;
    private int pendingConnects;
    private long nextSweepNanos;
    private volatile boolean stopRequested;
    private volatile boolean stopped;

    IngressAgent(
        final TransportContext context,
        final OneToOneConcurrentArrayQueue<ConnectRequest> connectRequests,
        final OneToOneConcurrentArrayQueue<ConnectRequest> connectOutcomes,
        final Subscription subscription,
        final Pipeline pipeline,
        final RingBuffer controlRing,
        final OneToOneConcurrentArrayQueue<EgressSession> newSessions,
        final OneToOneConcurrentArrayQueue<EgressSession> disconnected,
        final TransportCounters counters,
        final ErrorHandler errorHandler)
    {
        this.connectRequests = connectRequests;
        this.connectOutcomes = connectOutcomes;
        this.subscription = subscription;
        this.pipeline = pipeline;
        this.controlRing = controlRing;
        this.newSessions = newSessions;
        this.disconnected = disconnected;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.clock = context.nanoClock();
        this.tickIntervalNanos = context.tickIntervalNanos();
        this.fragmentLimit = context.ingressFragmentLimit();
        this.maxClients = context.maxClients();
        this.maxSessions = context.maxSessions();
        this.maxBacklogBytes = context.egressBacklogLength();
        // The BLP's limit, not the most events a slot would hold: for a small --max-batch a slot is sized by the
        // longest Connect and holds a larger batch, which the BLP would refuse to apply (failing the pipeline).
        this.validator = FrameValidator.forIngress(pipeline.maxBatchEvents());
        this.assembler = new ControlledFragmentAssembler(this, validator.maxMessageLength());
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    public int doWork()
    {
        if (stopRequested)
        {
            stopped = true;
            return 0;
        }

        int workCount = drainDisconnected();
        workCount += completeConnects();
        workCount += subscription.controlledPoll(assembler, fragmentLimit);

        final long nowNanos = clock.nanoTime();
        if (nowNanos - nextSweepNanos >= 0)
        {
            nextSweepNanos = nowNanos + SWEEP_INTERVAL_NANOS;
            workCount += sweepClosedImages();
        }

        if (pipeline.idleNanos() >= tickIntervalNanos && !pipeline.isFailed() && pipeline.offerTick())
        {
            counters.ticks().incrementRelease();
            workCount++;
        }

        return workCount;
    }

    public void onClose()
    {
        stopped = true;
    }

    /**
     * Stop reading input; {@link #isStopped()} tells when the agent has seen it. Any thread.
     */
    void stop()
    {
        stopRequested = true;
    }

    /**
     * @return true once ingress offers nothing more to the pipeline. Any thread.
     */
    boolean isStopped()
    {
        return stopped;
    }

    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!pipeline.hasCapacity())
        {
            return Action.ABORT;
        }

        final int imageSessionId = header.sessionId();
        IngressSession session = sessions.get(imageSessionId);
        if (null == session)
        {
            session = new IngressSession(imageSessionId);
            sessions.put(imageSessionId, session);
        }

        final FrameValidator validator = this.validator;
        if (!validator.validate(buffer, offset, length))
        {
            if (isOldVersionConnect(buffer, offset, length))
            {
                return onConnect(session, oldVersionFrame, 0, true);
            }
            if (0 == session.sessionId || STATE_DISCONNECTED == session.state)
            {
                counters.messagesIn().incrementRelease();
                counters.droppedUnauthenticated().incrementRelease();
                return Action.CONTINUE;
            }
            return reject(session, validator.correlationId(), validator.templateId(), validator.reason(), true);
        }

        if (ConnectDecoder.TEMPLATE_ID == validator.templateId())
        {
            return onConnect(session, buffer, offset, false);
        }

        switch (session.state)
        {
            case STATE_AUTHENTICATED:
                if (pipeline.isFailed())
                {
                    return reject(session, validator.correlationId(), validator.templateId(),
                        RejectReason.UNAVAILABLE, false);
                }
                if (length > pipeline.maxMessageLength())
                {
                    // The validator's bound is the same; this one keeps a frame from overrunning an input slot.
                    return reject(session, validator.correlationId(), validator.templateId(),
                        RejectReason.LENGTH_MISMATCH, false);
                }
                if (!pipeline.offerMessage(session.sessionId, buffer, offset, length))
                {
                    return Action.ABORT;
                }
                counters.messagesIn().incrementRelease();
                return Action.CONTINUE;

            case STATE_REFUSED:
                return reject(session, validator.correlationId(), validator.templateId(),
                    RejectReason.NOT_CONNECTED, false);

            default:
                counters.messagesIn().incrementRelease();
                counters.droppedUnauthenticated().incrementRelease();
                return Action.CONTINUE;
        }
    }

    private Action reject(
        final IngressSession session,
        final long correlationId,
        final int templateId,
        final RejectReason reason,
        final boolean withValidatorDetail)
    {
        if (!hasControlRoom())
        {
            return Action.ABORT;
        }

        rejectedEncoder.wrapAndApplyHeader(replyBuffer, EgressAgent.REPLY_MESSAGE_OFFSET, headerEncoder)
            .correlationId(correlationId)
            .templateId(templateId & 0xFFFF)
            .reason(reason);
        if (withValidatorDetail)
        {
            final int detailLength = validator.putDetail(detailBuffer, 0);
            rejectedEncoder.putDetail(detailBuffer, 0, detailLength);
        }
        else
        {
            final UnsafeBuffer detail = RejectReason.UNAVAILABLE == reason ?
                unavailableDetail() : reasonDetails[reason.value()];
            rejectedEncoder.putDetail(detail, 0, detail.capacity());
        }
        if (!writeReply(session.sessionId, rejectedEncoder.encodedLength()))
        {
            return Action.ABORT;
        }
        counters.messagesIn().incrementRelease();
        counters.rejected(reason).incrementRelease();

        return Action.CONTINUE;
    }

    /**
     * A {@code Connect} refused only for its version, from a client of an older protocol: its layout has not
     * changed, so it is checked again as the current version (in a copy) and, if that passes, answered with a
     * refusal that says to upgrade, in a {@code ConnectResult} the old client reads. Anything else an old client
     * sends is dropped, as before it connects.
     */
    private boolean isOldVersionConnect(final DirectBuffer buffer, final int offset, final int length)
    {
        final FrameValidator validator = this.validator;
        if (RejectReason.UNSUPPORTED_VERSION != validator.reason() ||
            ConnectDecoder.TEMPLATE_ID != validator.templateId() ||
            length > oldVersionFrame.capacity())
        {
            return false;
        }
        final int version = buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(),
            MessageHeaderDecoder.BYTE_ORDER) & 0xFFFF;
        if (version < 1)
        {
            return false;
        }
        oldVersionFrame.putBytes(0, buffer, offset, length);
        oldVersionFrame.putShort(MessageHeaderDecoder.versionEncodingOffset(), (short)FrameValidator.MIN_VERSION,
            MessageHeaderDecoder.BYTE_ORDER);
        oldVersionFrameVersion = version;
        if (validator.validate(oldVersionFrame, 0, length))
        {
            return true;
        }
        validator.validate(buffer, offset, length); // its answer is the original frame's again
        return false;
    }

    private Action onConnect(
        final IngressSession session, final DirectBuffer buffer, final int offset, final boolean oldVersion)
    {
        counters.messagesIn().incrementRelease();
        final boolean needsPublication = 0 == session.sessionId;
        if (session.connectPending ||
            pendingConnects >= AuthenticatorAgent.MAX_PENDING ||
            (needsPublication && sessionsWithPublication + pendingConnects >= maxSessions))
        {
            counters.connectsRefused().incrementRelease();
            counters.droppedUnauthenticated().incrementRelease();
            return Action.CONTINUE;
        }

        connectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final ConnectRequest request = new ConnectRequest(
            session,
            session.imageSessionId,
            connectDecoder.correlationId(),
            connectDecoder.clientId(),
            connectDecoder.responseStreamId(),
            connectDecoder.credential(),
            connectDecoder.responseChannel(),
            needsPublication);
        if (oldVersion)
        {
            request.versionRefusal = "protocol version " + oldVersionFrameVersion + " is not served: this paycore " +
                "speaks version " + FrameValidator.MIN_VERSION + " (128-bit ids, amounts and balances); upgrade the " +
                "client to a paycore release of protocol version " + FrameValidator.MIN_VERSION;
        }
        if (!connectRequests.offer(request))
        {
            counters.connectsRefused().incrementRelease();
            counters.droppedUnauthenticated().incrementRelease();
            return Action.CONTINUE;
        }
        session.connectPending = true;
        pendingConnects++;

        return Action.CONTINUE;
    }

    private int completeConnects()
    {
        int count = 0;
        ConnectRequest request;
        while (null != (request = connectOutcomes.peek()))
        {
            if (!hasControlRoom() || 0 == newSessions.remainingCapacity())
            {
                break;
            }
            connectOutcomes.poll();
            pendingConnects--;
            completeConnect(request);
            count++;
        }
        return count;
    }

    private void completeConnect(final ConnectRequest request)
    {
        final IngressSession session = sessions.get(request.imageSessionId);
        if (session != request.session)
        {
            // The image went while the Connect was being checked: nobody to answer.
            CloseHelper.quietClose(request.publication);
            counters.connectsRefused().incrementRelease();
            return;
        }
        session.connectPending = false;

        final long clientId = request.clientId;
        if (request.needsPublication)
        {
            if (null == request.publication)
            {
                // BAD_RESPONSE_CHANNEL cannot be delivered without a channel, and refusals past their rate are not
                // answered: the client's connect times out.
                counters.connectsRefused().incrementRelease();
                if (request.unanswered)
                {
                    counters.refusalsUnanswered().incrementRelease();
                }
                return;
            }
            session.sessionId = nextSessionId++;
            session.clientId = clientId;
            session.responseKey = request.responseKey;
            sessionsWithPublication++;
            newSessions.offer(new EgressSession(
                session.sessionId, session.imageSessionId, clientId, request.publication, maxBacklogBytes));
        }

        ConnectStatus status;
        String detail;
        if (null != request.badChannelDetail)
        {
            status = ConnectStatus.BAD_RESPONSE_CHANNEL;
            detail = request.badChannelDetail;
        }
        else if (STATE_DISCONNECTED == session.state)
        {
            status = ConnectStatus.BAD_RESPONSE_CHANNEL;
            detail = "session was disconnected; connect again with a new publication";
        }
        else if (null != request.versionRefusal)
        {
            // ConnectStatus has no value for this an old client would know: the detail says what it is.
            status = ConnectStatus.BAD_CREDENTIAL;
            detail = request.versionRefusal;
        }
        else
        {
            status = request.status;
            detail = detailOf(status, clientId);
            if (ConnectStatus.OK == status && STATE_AUTHENTICATED != session.state && authenticatedCount >= maxClients)
            {
                status = ConnectStatus.TOO_MANY_CLIENTS;
                detail = "the service serves at most " + maxClients + " clients at once";
            }
            if (ConnectStatus.OK == status && STATE_AUTHENTICATED == session.state && clientId != session.clientId)
            {
                status = ConnectStatus.BAD_CREDENTIAL;
                detail = "session is already connected as client " + session.clientId;
            }
            if (ConnectStatus.OK == status && isAnotherClientsResponse(session, request.responseKey, clientId))
            {
                // Its answers would reach that client's stream, where an older client takes any answer as its own.
                status = ConnectStatus.BAD_RESPONSE_CHANNEL;
                detail = "response channel and stream are in use by another client's session";
            }
        }

        if (ConnectStatus.OK == status)
        {
            if (STATE_AUTHENTICATED != session.state)
            {
                authenticatedCount++;
                counters.clientsConnected().setRelease(authenticatedCount);
            }
            session.state = STATE_AUTHENTICATED;
            session.clientId = clientId;
        }
        else
        {
            counters.connectsRefused().incrementRelease();
            if (STATE_AUTHENTICATED == session.state)
            {
                authenticatedCount--;
                counters.clientsConnected().setRelease(authenticatedCount);
                session.state = STATE_REFUSED;
            }
            else if (STATE_NEW == session.state)
            {
                session.state = STATE_REFUSED;
            }
        }

        connectResultEncoder.wrapAndApplyHeader(replyBuffer, EgressAgent.REPLY_MESSAGE_OFFSET, headerEncoder)
            .correlationId(request.correlationId)
            .clientId(clientId)
            .status(status)
            .detail(detail);
        if (!writeReply(session.sessionId, connectResultEncoder.encodedLength()))
        {
            errorHandler.onError(new IllegalStateException("control ring full: ConnectResult lost for client " +
                clientId));
        }
        if (ConnectStatus.OK != status && request.needsPublication)
        {
            // The publication was opened only to carry this refusal: egress closes it once the answer is out, so a
            // refused caller holds no term buffers and no session slot. Its later frames are dropped and counted.
            replyBuffer.putLong(0, session.sessionId);
            controlRing.write(EgressAgent.MSG_CLOSE_WHEN_SENT, replyBuffer, 0, 8);
            sessionsWithPublication--;
            session.sessionId = 0;
            session.state = STATE_NEW;
        }
    }

    private boolean isAnotherClientsResponse(final IngressSession session, final String responseKey, final long clientId)
    {
        if (null == responseKey)
        {
            return false;
        }
        for (final IngressSession other : sessions.values())
        {
            if (other != session && STATE_AUTHENTICATED == other.state && other.clientId != clientId &&
                responseKey.equals(other.responseKey))
            {
                return true;
            }
        }
        return false;
    }

    private boolean hasControlRoom()
    {
        return controlRing.capacity() - controlRing.size() >= CONTROL_ROOM_NEEDED;
    }

    private boolean writeReply(final long sessionId, final int bodyLength)
    {
        replyBuffer.putLong(0, sessionId);
        return controlRing.write(EgressAgent.MSG_REPLY, replyBuffer, 0,
            EgressAgent.REPLY_MESSAGE_OFFSET + MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
    }

    private int drainDisconnected()
    {
        int count = 0;
        EgressSession egressSession;
        while (null != (egressSession = disconnected.poll()))
        {
            final IngressSession session = sessions.get(egressSession.imageSessionId);
            if (null != session && session.sessionId == egressSession.sessionId)
            {
                if (STATE_AUTHENTICATED == session.state)
                {
                    authenticatedCount--;
                    counters.clientsConnected().setRelease(authenticatedCount);
                }
                // Egress closed its publication when it disconnected it: the slot is free now, not only once the
                // caller's image goes (a client that stays but stops reading would otherwise hold it for good).
                sessionsWithPublication--;
                session.sessionId = 0;
                session.state = STATE_DISCONNECTED;
            }
            count++;
        }
        return count;
    }

    private int sweepClosedImages()
    {
        int count = 0;
        final Iterator<IngressSession> iterator = sessions.values().iterator();
        while (iterator.hasNext())
        {
            final IngressSession session = iterator.next();
            if (null == subscription.imageBySessionId(session.imageSessionId))
            {
                if (0 != session.sessionId)
                {
                    if (!hasControlRoom())
                    {
                        continue;
                    }
                    replyBuffer.putLong(0, session.sessionId);
                    controlRing.write(EgressAgent.MSG_CLOSE, replyBuffer, 0, 8);
                    sessionsWithPublication--;
                }
                if (STATE_AUTHENTICATED == session.state)
                {
                    authenticatedCount--;
                    counters.clientsConnected().setRelease(authenticatedCount);
                }
                assembler.freeSessionBuffer(session.imageSessionId);
                iterator.remove();
                count++;
            }
        }
        return count;
    }

    private static String detailOf(final ConnectStatus status, final long clientId)
    {
        switch (status)
        {
            case OK:
                return "connected as client " + clientId;
            case UNKNOWN_CLIENT:
                return "client " + clientId + " is not in the credentials file";
            case BAD_CREDENTIAL:
                return "the credential of client " + clientId + " does not match";
            default:
                return status.name();
        }
    }

    /**
     * Why the pipeline refuses input, as its failure says: the journal's (the default detail), the cold tier's, or a
     * stage's. Read only when refusing, so a healthy path costs nothing.
     */
    private UnsafeBuffer unavailableDetail()
    {
        final Throwable failure = pipeline.failure();
        if (failure instanceof ColdTierException)
        {
            return coldTierFailedDetail;
        }
        if (null == failure || failure instanceof JournalException)
        {
            return reasonDetails[RejectReason.UNAVAILABLE.value()];
        }
        return stageFailedDetail;
    }

    private static UnsafeBuffer[] reasonDetails()
    {
        int max = 0;
        for (final RejectReason reason : RejectReason.values())
        {
            max = Math.max(max, reason.value());
        }
        final UnsafeBuffer[] details = new UnsafeBuffer[max + 1];
        for (final RejectReason reason : RejectReason.values())
        {
            details[reason.value()] = new UnsafeBuffer(detailOf(reason).getBytes(StandardCharsets.US_ASCII));
        }
        return details;
    }

    private static String detailOf(final RejectReason reason)
    {
        switch (reason)
        {
            case NOT_CONNECTED:
                return "session is not connected: send Connect with a valid credential first";
            case UNAVAILABLE:
                return "the service cannot accept input now: its journal has failed";
            default:
                return reason.name();
        }
    }

    private static final class IngressSession
    {
        final int imageSessionId;
        long sessionId;
        long clientId;
        String responseKey;
        int state = STATE_NEW;
        boolean connectPending;

        IngressSession(final int imageSessionId)
        {
            this.imageSessionId = imageSessionId;
        }
    }
}
