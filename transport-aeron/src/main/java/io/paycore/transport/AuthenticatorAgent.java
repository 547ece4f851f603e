package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.ConnectStatus;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemNanoClock;

import java.net.InetSocketAddress;

/**
 * Does the slow part of a {@code Connect} off the ingress thread: derives the key of the secret presented (PBKDF2,
 * tens of milliseconds) and, only then, adds the response publication (a round trip to the media driver). Ingress
 * stays free to serve connected clients meanwhile, and a flood of Connects costs it nothing but a queue slot each: at
 * most {@link #MAX_PENDING} are in flight, the rest are dropped and counted.
 * <p>
 * The secret is checked before anything is opened. A refused Connect gets a publication for its
 * {@code ConnectResult} only while refusals stay under {@link TransportContext#refusalRepliesPerSecond()}; past that
 * it gets no answer, so a flood of bad logins cannot fill the driver's directory with term buffers or take the
 * session slots real clients need. Ingress closes a refused session's publication once the answer is sent.
 * <p>
 * Runs on a thread of its own, which idles when there is nothing to do.
 */
final class AuthenticatorAgent implements Agent
{
    /**
     * Most Connects waiting for or in authentication at once.
     */
    static final int MAX_PENDING = 64;

    private final Aeron aeron;
    private final ClientCredentials credentials;
    private final OneToOneConcurrentArrayQueue<ConnectRequest> requests;
    private final OneToOneConcurrentArrayQueue<ConnectRequest> outcomes;
    private final ErrorHandler errorHandler;
    private final int termLengthBytes;
    private final PerSecondRation refusals;

    AuthenticatorAgent(
        final Aeron aeron,
        final TransportContext context,
        final OneToOneConcurrentArrayQueue<ConnectRequest> requests,
        final OneToOneConcurrentArrayQueue<ConnectRequest> outcomes,
        final ErrorHandler errorHandler)
    {
        this.aeron = aeron;
        this.credentials = context.credentials();
        this.termLengthBytes = context.termLength();
        this.refusals = new PerSecondRation(context.refusalRepliesPerSecond(), SystemNanoClock.INSTANCE);
        this.requests = requests;
        this.outcomes = outcomes;
        this.errorHandler = errorHandler;
    }

    public String roleName()
    {
        return "paycore-authenticator";
    }

    public int doWork()
    {
        final ConnectRequest request = requests.poll();
        if (null == request)
        {
            return 0;
        }

        // An old version's Connect is refused whatever its credential: no key derivation for it.
        request.status = null != request.versionRefusal ?
            ConnectStatus.BAD_CREDENTIAL : credentials.verify(request.clientId, request.credential);
        if (request.needsPublication)
        {
            if (ConnectStatus.OK == request.status || refusals.tryTake())
            {
                request.publication = openResponse(request);
            }
            else
            {
                request.unanswered = true;
            }
        }
        if (!outcomes.offer(request))
        {
            // Cannot happen while ingress keeps at most MAX_PENDING in flight and the queue holds that many.
            errorHandler.onError(new IllegalStateException("connect outcome queue full"));
        }
        return 1;
    }

    private ExclusivePublication openResponse(final ConnectRequest request)
    {
        final String channel = request.responseChannel;
        final int streamId = request.responseStreamId;
        try
        {
            TransportContext.checkChannel("response channel", channel);
            if (0 == streamId)
            {
                throw new IllegalArgumentException("response stream id must not be 0");
            }
            // The service sizes the logs it writes, not the caller (who may not have authenticated yet).
            final ChannelUri uri = ChannelUri.parse(
                TransportContext.boundedResponseChannel(channel, termLengthBytes, true));
            request.responseKey = responseKey(uri, streamId);
            final ExclusivePublication publication = aeron.addExclusivePublication(uri.toString(), streamId);
            if (publication.maxMessageLength() < ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH)
            {
                // Usable for the small ConnectResult that says so, not for answers.
                request.badChannelDetail = "response channel carries messages of at most " +
                    publication.maxMessageLength() + " bytes, answers take up to " +
                    ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH + ": leave term-length out or make it at least " +
                    TransportContext.TERM_LENGTH_MIN;
            }
            return publication;
        }
        catch (final RuntimeException ex)
        {
            // Only an authenticated client's failure is recorded: a refused caller's channel is text of its choosing,
            // a distinct error each time, which would fill the error logs (then new errors are counted, not
            // recorded). Its Connect is counted refused, unanswered.
            if (ConnectStatus.OK == request.status)
            {
                errorHandler.onError(new IllegalArgumentException(
                    "cannot open response channel '" + channel + "' stream " + streamId + ": " + ex.getMessage(), ex));
            }
            return null;
        }
    }

    /**
     * Where a response channel and stream deliver, so that two sessions naming the same place are seen to: the
     * medium, the endpoint with its host resolved (localhost and 127.0.0.1 are one place), the control endpoint
     * and the stream.
     */
    static String responseKey(final ChannelUri uri, final int streamId)
    {
        return uri.media() + '|' + resolved(uri.get(CommonContext.ENDPOINT_PARAM_NAME)) + '|' +
            resolved(uri.get(CommonContext.MDC_CONTROL_PARAM_NAME)) + '|' + streamId;
    }

    private static String resolved(final String endpoint)
    {
        if (null == endpoint)
        {
            return "";
        }
        final int colon = endpoint.lastIndexOf(':');
        if (colon <= 0)
        {
            return endpoint;
        }
        try
        {
            final String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
            final InetSocketAddress address =
                new InetSocketAddress(host, Integer.parseInt(endpoint.substring(colon + 1)));
            return address.isUnresolved() ? endpoint : address.getAddress().getHostAddress() + ':' + address.getPort();
        }
        catch (final RuntimeException ex)
        {
            return endpoint;
        }
    }
}
