package io.paycore.transport.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.ProtocolLimits;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;


/**
 * A single-node service's ingress publication and this client's response subscription.
 */
final class DirectLink implements ClientLink, FragmentHandler
{
    private final ClientContext context;
    private final Aeron aeron;
    private final boolean ownsAeron;
    private final Subscription subscription;
    private final ExclusivePublication publication;
    private final FragmentAssembler assembler = new FragmentAssembler(this, ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);
    private FragmentHandler handler;
    private volatile Throwable aeronError;

    /**
     * @param context       the client's configuration.
     * @param deadlineNanos when the connect timeout ends ({@link System#nanoTime()}): a media driver must be found
     *                      by then.
     * @throws PaycoreClientException when no media driver runs in the client's Aeron directory by the deadline.
     */
    DirectLink(final ClientContext context, final long deadlineNanos)
    {
        this.context = context;
        Aeron aeron = context.aeron();
        boolean ownsAeron = false;
        Subscription subscription = null;
        ExclusivePublication publication = null;
        try
        {
            if (null == aeron)
            {
                // Aeron's own connect waits its driver timeout (10 s) for a driver, whatever the connect timeout,
                // and then throws its DriverTimeoutException: a service that is down (its embedded driver's
                // directory left behind) must be a PaycoreClientException within the connect timeout.
                awaitDriver(context, deadlineNanos);
                try
                {
                    // Not Aeron's default error handler, which exits the JVM when the media driver goes away: the
                    // application's JVM is not the client's to end. The link then reports itself disconnected.
                    aeron = Aeron.connect(new Aeron.Context()
                        .aeronDirectoryName(context.aeronDirectoryName())
                        .errorHandler(this::onAeronError));
                }
                catch (final DriverTimeoutException ex)
                {
                    // The driver went away between the check and the connect (a service just killed).
                    throw noDriver(context, ex);
                }
                ownsAeron = true;
            }
            subscription = aeron.addSubscription(context.responseChannel(), context.responseStreamId());
            final ChannelUri uri = ChannelUri.parse(context.ingressChannel());
            if (!uri.containsKey(CommonContext.TERM_LENGTH_PARAM_NAME))
            {
                uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(context.termLength()));
            }
            publication = aeron.addExclusivePublication(uri.toString(), context.ingressStreamId());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(publication, subscription, ownsAeron ? aeron : null);
            throw ex;
        }
        this.aeron = aeron;
        this.ownsAeron = ownsAeron;
        this.subscription = subscription;
        this.publication = publication;
    }

    private static void awaitDriver(final ClientContext context, final long deadlineNanos)
    {
        if (!DriverCheck.await(context.aeronDirectoryName(), deadlineNanos))
        {
            throw noDriver(context, null);
        }
    }

    private static PaycoreClientException noDriver(final ClientContext context, final Throwable cause)
    {
        return new PaycoreClientException("no paycore service answered on " + context.ingressChannel() +
            " stream " + context.ingressStreamId() + " within " + PaycoreClient.format(context.connectTimeoutNanos()) +
            ": no media driver is running in " + context.aeronDirectoryName() + " (a service's embedded driver " +
            "runs in DATA/aeron, DATA its data directory: is the service running, and is that " +
            "ClientContext.aeronDirectoryName?)", cause);
    }

    public Aeron aeron()
    {
        return aeron;
    }

    boolean isPublicationConnected()
    {
        return publication.isConnected();
    }

    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return publication.offer(buffer, offset, length);
    }

    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        this.handler = handler;
        try
        {
            return subscription.poll(assembler, fragmentLimit);
        }
        finally
        {
            this.handler = null;
        }
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        handler.onFragment(buffer, offset, length, header);
    }

    public boolean isConnected()
    {
        return publication.isConnected() && subscription.isConnected();
    }

    public boolean needsConnect()
    {
        return true;
    }

    public long leaderChanges()
    {
        return 0;
    }

    public int leaderMemberId()
    {
        return -1;
    }

    public String describe()
    {
        return "the paycore service on " + context.ingressChannel() + " stream " + context.ingressStreamId();
    }

    public String disconnectedReason()
    {
        final Throwable error = aeronError;
        return "disconnected by the paycore service" + (null != error ? " (Aeron: " + error.getMessage() + ")" : "");
    }

    private void onAeronError(final Throwable error)
    {
        aeronError = error;
    }

    public void close()
    {
        CloseHelper.closeAll(publication, subscription, ownsAeron ? aeron : null);
    }
}
