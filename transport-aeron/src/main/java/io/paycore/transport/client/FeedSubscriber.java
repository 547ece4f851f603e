package io.paycore.transport.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.FeedChangeDecoder;
import io.paycore.codec.sbe.FeedStatus;
import io.paycore.codec.sbe.FeedSubscriptionDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.SubscribeFeedEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;

/**
 * Follows a paycore feed server's change feed over Aeron: every change to the ledger's transfers, from a timestamp,
 * history then live. {@link #subscribe(long)} asks for the feed, {@link #poll} hands each change to a handler as the
 * SBE {@link FeedChangeDecoder}, once, in order.
 * <p>
 * The feed server serves only the clients of its credentials file: every request carries this subscriber's client id
 * and secret (those of {@code paycore clients add}, as a {@link PaycoreClient}'s). A server that does not know the
 * client, or finds the secret wrong, answers {@link FeedStatus#UNAUTHENTICATED}; like every other refusal, that ends
 * the asking ({@link #status()}, {@link #detail()}) until {@link #subscribe(long)} is called again.
 * <p>
 * The feed survives a feed server's restart: when the server's stream to this subscriber goes away after it was
 * subscribed, it asks again from the last timestamp it handed on + 1 as soon as the server's request channel is back,
 * and drops anything at or before that timestamp, so the handler sees no gap and no duplicate.
 * <p>
 * <b>Threading</b>: one thread polls a subscriber. The decoder handed on is valid only during the call.
 */
public final class FeedSubscriber implements AutoCloseable
{
    /**
     * Told of each change.
     */
    @FunctionalInterface
    public interface ChangeHandler
    {
        /**
         * @param change the change; valid only during the call.
         */
        void onChange(FeedChangeDecoder change);
    }

    /**
     * A request the server has not answered is sent again after this long: a server drops a request unanswered when
     * too many wait for their credential's check, or when it has answered its most refusals this second, and the
     * answer to a request can be lost with its channel. The server ignores a request it is checking or serving
     * already, so sending again costs it nothing more.
     */
    public static final long RESEND_INTERVAL_NANOS = 2_000_000_000L;

    private static final SecureRandom CORRELATION_IDS = new SecureRandom();

    private final NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private final String responseChannel;
    private final int responseStreamId;
    private final long clientId;
    private final String secret;
    private final ExclusivePublication requests;
    private final Subscription responses;
    private final FrameValidator validator = FrameValidator.forFeedEvents();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final FeedSubscriptionDecoder answerDecoder = new FeedSubscriptionDecoder();
    private final FeedChangeDecoder changeDecoder = new FeedChangeDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubscribeFeedEncoder requestEncoder = new SubscribeFeedEncoder();
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
        SubscribeFeedEncoder.BLOCK_LENGTH + SubscribeFeedEncoder.responseChannelHeaderLength() + 1024 +
        SubscribeFeedEncoder.credentialHeaderLength() + ProtocolLimits.MAX_VAR_DATA_LENGTH]);
    private final FragmentHandler fragmentHandler = this::onFragment;
    private ChangeHandler handler;
    // Starts where no one can guess: another request naming this subscriber's channel must not answer this one's.
    private long correlationId = CORRELATION_IDS.nextLong() >>> 2;
    private boolean lockedToServer;
    private int serverSessionId;
    private long foreignFrames;
    private long fromTimestampNanos;
    private long lastTimestampNanos = -1;
    private boolean requestPending;
    private long requestSentNanos;
    private long requestsSent;
    private boolean wanted;
    private FeedStatus status;
    private String detail = "";
    private long changes;
    private long duplicatesDropped;
    private long invalidFrames;
    private long resubscriptions;

    /**
     * @param aeron            client to publish and subscribe with.
     * @param serverChannel    the feed server's request channel.
     * @param serverStreamId   the feed server's request stream id.
     * @param responseChannel  where the server is to send this subscriber the feed: a channel it can reach, such as
     *                         {@code aeron:udp?endpoint=host:port} of this host.
     * @param responseStreamId the stream id to send it on.
     * @param clientId         this client's id in the feed server's credentials file, positive.
     * @param secret           this client's secret, 1..{@link ProtocolLimits#MAX_VAR_DATA_LENGTH} ASCII characters.
     * @throws IllegalArgumentException if the response channel is longer than 1024 characters, the client id is not
     *                                  positive or the secret is empty, too long or not ASCII.
     */
    public FeedSubscriber(
        final Aeron aeron,
        final String serverChannel,
        final int serverStreamId,
        final String responseChannel,
        final int responseStreamId,
        final long clientId,
        final String secret)
    {
        if (responseChannel.length() > 1024)
        {
            throw new IllegalArgumentException("the response channel is longer than 1024 characters");
        }
        if (clientId <= 0)
        {
            throw new IllegalArgumentException("the client id must be positive: " + clientId);
        }
        if (null == secret || secret.isEmpty() || secret.length() > ProtocolLimits.MAX_VAR_DATA_LENGTH ||
            !secret.chars().allMatch((c) -> c < 128))
        {
            throw new IllegalArgumentException("the secret must have 1.." + ProtocolLimits.MAX_VAR_DATA_LENGTH +
                " ASCII characters");
        }
        this.responseChannel = responseChannel;
        this.responseStreamId = responseStreamId;
        this.clientId = clientId;
        this.secret = secret;
        this.responses = aeron.addSubscription(responseChannel, responseStreamId);
        this.requests = aeron.addExclusivePublication(serverChannel, serverStreamId);
    }

    /**
     * Ask for every change from a timestamp on; the request is sent by {@link #poll} as soon as the server's channel
     * is connected, and again if the server restarts.
     *
     * @param fromTimestampNanos the first change wanted: the one with this timestamp or the next; 0 for every one.
     */
    public void subscribe(final long fromTimestampNanos)
    {
        if (fromTimestampNanos < 0)
        {
            throw new IllegalArgumentException("fromTimestampNanos must be >= 0: " + fromTimestampNanos);
        }
        this.fromTimestampNanos = fromTimestampNanos;
        this.lastTimestampNanos = fromTimestampNanos - 1;
        this.wanted = true;
        this.requestPending = true;
        this.status = null;
        this.detail = "";
        correlationId++;
        lockedToServer = false;
    }

    /**
     * Send what is due and hand on the changes that arrived.
     *
     * @param handler       told of each change.
     * @param fragmentLimit most messages read.
     * @return work done (messages read, requests sent).
     */
    public int poll(final ChangeHandler handler, final int fragmentLimit)
    {
        int work = 0;
        if (wanted && !requestPending && FeedStatus.SUBSCRIBED == status && 0 == responses.imageCount())
        {
            // The server went away after it answered: ask again from where this subscriber got to.
            resubscriptions++;
            fromTimestampNanos = lastTimestampNanos + 1;
            requestPending = true;
            status = null;
            correlationId++;
            lockedToServer = false;
        }
        if (wanted && !requestPending && null == status &&
            nanoClock.nanoTime() - requestSentNanos >= RESEND_INTERVAL_NANOS)
        {
            // No answer yet: the server may have dropped the request; the same request again, which it ignores if
            // it has it already.
            requestPending = true;
        }
        if (requestPending && requests.isConnected())
        {
            requestEncoder.wrapAndApplyHeader(requestBuffer, 0, headerEncoder)
                .correlationId(correlationId)
                .fromTimestamp(fromTimestampNanos)
                .responseStreamId(responseStreamId)
                .clientId(clientId)
                .responseChannel(responseChannel)
                .credential(secret);
            if (requests.offer(requestBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength())
                > 0)
            {
                requestPending = false;
                requestSentNanos = nanoClock.nanoTime();
                requestsSent++;
                work++;
            }
        }
        this.handler = handler;
        try
        {
            return work + responses.poll(fragmentHandler, fragmentLimit);
        }
        finally
        {
            this.handler = null;
        }
    }

    /**
     * @return the server's answer to the last request: null until it came (a server that drops a request, when too
     * many wait for their credential's check, sends none: the request is sent again every
     * {@link #RESEND_INTERVAL_NANOS} until an answer comes); {@link FeedStatus#SUBSCRIBED} while the feed flows;
     * otherwise why not ({@link #detail()}): {@link FeedStatus#UNAUTHENTICATED} when the server does not serve this
     * client id and secret. After any refusal this subscriber asks no more until {@link #subscribe(long)}.
     */
    public FeedStatus status()
    {
        return status;
    }

    /**
     * @return the server's detail with a refusal, or empty.
     */
    public String detail()
    {
        return detail;
    }

    /**
     * @return the client id every request carries.
     */
    public long clientId()
    {
        return clientId;
    }

    /**
     * @return the timestamp of the last change handed on (the start - 1 before the first).
     */
    public long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    /**
     * @return changes handed on.
     */
    public long changes()
    {
        return changes;
    }

    /**
     * @return changes dropped because one with the same or a later timestamp was handed on already.
     */
    public long duplicatesDropped()
    {
        return duplicatesDropped;
    }

    /**
     * @return frames dropped because they came on a publication other than the one that answered this
     * subscriber's request: another request's, sent to the same channel and stream.
     */
    public long foreignFrames()
    {
        return foreignFrames;
    }

    /**
     * @return frames that were not a valid feed message, dropped.
     */
    public long invalidFrames()
    {
        return invalidFrames;
    }

    /**
     * @return requests sent: the first of each {@link #subscribe(long)}, those after the server's stream went away,
     * and those sent again because no answer came within {@link #RESEND_INTERVAL_NANOS}.
     */
    public long requestsSent()
    {
        return requestsSent;
    }

    /**
     * @return times the feed was asked for again after the server's stream went away.
     */
    public long resubscriptions()
    {
        return resubscriptions;
    }

    /**
     * Close the subscription and publication; the server drops this subscriber when its stream loses its image.
     */
    public void close()
    {
        CloseHelper.closeAll(requests, responses);
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!validator.validate(buffer, offset, length))
        {
            invalidFrames++;
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (FeedSubscriptionDecoder.TEMPLATE_ID == headerDecoder.templateId())
        {
            answerDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            if (answerDecoder.correlationId() == correlationId)
            {
                status = answerDecoder.status();
                detail = answerDecoder.detail();
                if (FeedStatus.SUBSCRIBED != status)
                {
                    // A refusal is not asked again by itself: UNAUTHENTICATED stays so until the secret is right.
                    wanted = false;
                }
                else
                {
                    // The feed comes on the publication that answered: any other on this stream is another request's.
                    serverSessionId = header.sessionId();
                    lockedToServer = true;
                }
            }
            return;
        }
        if (!lockedToServer || header.sessionId() != serverSessionId)
        {
            foreignFrames++;
            return;
        }
        changeDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long timestamp = changeDecoder.timestamp();
        if (timestamp <= lastTimestampNanos)
        {
            duplicatesDropped++;
            return;
        }
        lastTimestampNanos = timestamp;
        changes++;
        handler.onChange(changeDecoder);
    }
}
