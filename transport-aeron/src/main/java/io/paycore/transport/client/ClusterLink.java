package io.paycore.transport.client;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.ClusterException;
import io.aeron.cluster.client.EgressListener;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.exceptions.TimeoutException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.security.AuthenticationException;
import io.paycore.transport.ClusterAuthenticator;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * A session with a paycore cluster through Aeron Cluster's client: it finds the leader, and follows a new one when
 * the cluster elects it.
 */
final class ClusterLink implements ClientLink, EgressListener
{
    private final ClientContext context;
    private final Aeron aeron;
    private final Aeron ownAeron;
    private AeronCluster cluster;
    private long reconnects;
    private String lastReconnectFailure;
    private volatile Throwable aeronError;
    private FragmentHandler handler;
    private long leaderChanges;
    private long lastKeepAliveNanos = System.nanoTime();

    /**
     * How often a client that polls keeps its session alive when it sends nothing: well inside the cluster's
     * session timeout (10 s by default).
     */
    static final long KEEP_ALIVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * @param context       the client's configuration.
     * @param deadlineNanos when the connect timeout ends ({@link System#nanoTime()}): a media driver must be found
     *                      by then.
     * @throws PaycoreClientException when no media driver runs in the client's Aeron directory by the deadline.
     */
    ClusterLink(final ClientContext context, final long deadlineNanos)
    {
        this.context = context;
        if (null == context.aeron() && !DriverCheck.await(context.aeronDirectoryName(), deadlineNanos))
        {
            // Aeron's connect would wait its own 10 s, then throw its DriverTimeoutException.
            throw noMediaDriver(context, null);
        }
        // An Aeron client of the link's own, not the session's: a new session (reconnect) keeps it, and with it the
        // client's other publications.
        // Not Aeron's default error handler, which exits the JVM when the media driver goes away: the
        // application's JVM is not the client's to end. The session then closes, and the client says why.
        ownAeron = null == context.aeron() ? connectAeron(context) : null;
        aeron = null == ownAeron ? context.aeron() : ownAeron;
        try
        {
            cluster = connect(context, this, aeron, context.connectTimeoutNanos());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(ownAeron);
            throw ex;
        }
    }

    private Aeron connectAeron(final ClientContext context)
    {
        try
        {
            return Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(context.aeronDirectoryName())
                .errorHandler(this::onAeronError));
        }
        catch (final DriverTimeoutException ex)
        {
            // A driver that died just as the check above found its last heartbeat still within Aeron's timeout.
            throw noMediaDriver(context, ex);
        }
    }

    private static PaycoreClientException noMediaDriver(final ClientContext context, final Throwable cause)
    {
        return new PaycoreClientException("cannot connect to the cluster at " + context.clusterIngressEndpoints() +
            " within " + PaycoreClient.format(context.connectTimeoutNanos()) + ": no media driver is running in " +
            context.aeronDirectoryName() + " (a cluster's client needs a media driver of its own on its host: " +
            "is it running, and is that ClientContext.aeronDirectoryName?)", cause);
    }

    private static AeronCluster connect(
        final ClientContext context, final ClusterLink listener, final Aeron aeron, final long timeoutNanos)
    {
        final long deadlineNanos = System.nanoTime() + timeoutNanos;
        int attempts = 0;
        String lastFailure = "";
        while (true)
        {
            attempts++;
            final long attemptDeadlineNanos = Math.min(deadlineNanos, System.nanoTime() + context.clusterConnectAttemptNanos());
            final AeronCluster.Context clusterContext = clusterContext(context, listener, aeron);
            AeronCluster.AsyncConnect connect = null;
            try
            {
                connect = AeronCluster.asyncConnect(clusterContext);
                final IdleStrategy idle = clusterContext.idleStrategy();
                AeronCluster cluster;
                while (null == (cluster = connect.poll()))
                {
                    if (System.nanoTime() - attemptDeadlineNanos >= 0)
                    {
                        lastFailure = "no answer within " + TimeUnit.NANOSECONDS.toMillis(context.clusterConnectAttemptNanos()) +
                            " ms, state " + connect.state();
                        break;
                    }
                    idle.idle();
                }
                if (null != cluster)
                {
                    return cluster;
                }
            }
            catch (final AuthenticationException ex)
            {
                close(connect, clusterContext);
                throw new PaycoreClientException("the paycore cluster at " + context.clusterIngressEndpoints() +
                    " refused client id " + context.clientId() + ": unknown client or wrong secret");
            }
            catch (final TimeoutException | ClusterException ex)
            {
                lastFailure = ex.getMessage();
            }
            catch (final AeronException ex)
            {
                close(connect, clusterContext);
                // Aeron's client says it is terminating, not closed, from when it finds its driver's heartbeat too old
                // until its conductor has closed it; that heartbeat then stays too old.
                if (aeron.isClosed() || !DriverCheck.isDriverActive(new File(aeron.context().aeronDirectoryName())))
                {
                    // Its media driver went while connecting: no attempt can succeed on this Aeron client.
                    throw new PaycoreClientException("cannot connect to the paycore cluster at " +
                        context.clusterIngressEndpoints() + ": " + aeronClosedReason(aeron, null), ex);
                }
                throw ex;
            }
            close(connect, clusterContext);
            if (System.nanoTime() - deadlineNanos >= 0)
            {
                throw new PaycoreClientException("no paycore cluster leader answered on " +
                    context.clusterIngressEndpoints() + " within " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + attempts +
                    " attempt(s), the last: " + lastFailure + ")");
            }
        }
    }

    private static AeronCluster.Context clusterContext(
        final ClientContext context, final ClusterLink listener, final Aeron aeron)
    {
        final AeronCluster.Context clusterContext = new AeronCluster.Context()
            .ingressChannel("aeron:udp")
            .ingressEndpoints(context.clusterIngressEndpoints())
            .egressChannel(context.clusterEgressChannel())
            .messageTimeoutNs(context.connectTimeoutNanos())
            .newLeaderTimeoutNs(context.clusterNewLeaderTimeoutNanos())
            .credentialsSupplier(ClusterAuthenticator.credentialsSupplier(context.clientId(), context.secret()))
            .egressListener(listener)
            .aeron(aeron)
            .ownsAeronClient(false);
        return clusterContext;
    }

    private static void close(final AeronCluster.AsyncConnect connect, final AeronCluster.Context clusterContext)
    {
        if (null != connect)
        {
            CloseHelper.quietClose(connect); // closes its publications and the context
        }
        else
        {
            CloseHelper.quietClose(clusterContext::close);
        }
    }

    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long result = cluster.offer(buffer, offset, length);
        if (result > 0)
        {
            lastKeepAliveNanos = System.nanoTime();
        }
        return result;
    }

    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        this.handler = handler;
        try
        {
            final long nowNanos = System.nanoTime();
            if (nowNanos - lastKeepAliveNanos > KEEP_ALIVE_INTERVAL_NANOS && !cluster.isClosed())
            {
                lastKeepAliveNanos = nowNanos;
                cluster.sendKeepAlive();
            }
            return cluster.pollEgress();
        }
        finally
        {
            this.handler = null;
        }
    }

    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (null != handler)
        {
            handler.onFragment(buffer, offset, length, header);
        }
    }

    public void onNewLeader(
        final long clusterSessionId, final long leadershipTermId, final int leaderMemberId, final String endpoints)
    {
        leaderChanges++;
    }

    public boolean isConnected()
    {
        // An Aeron client whose media driver went is closed for good: no session of the cluster's can answer on it.
        return !cluster.isClosed() && !aeron.isClosed();
    }

    public boolean needsConnect()
    {
        return false;
    }

    public long leaderChanges()
    {
        return leaderChanges;
    }

    public int leaderMemberId()
    {
        return cluster.leaderMemberId();
    }

    public String describe()
    {
        return "the paycore cluster at " + context.clusterIngressEndpoints();
    }

    public String disconnectedReason()
    {
        if (aeron.isClosed())
        {
            return aeronClosedReason(aeron, aeronError);
        }
        return "the paycore cluster at " + context.clusterIngressEndpoints() + " closed this client's session (no " +
            "leader took it within " + TimeUnit.NANOSECONDS.toMillis(context.clusterNewLeaderTimeoutNanos()) +
            " ms of losing the last one, or a leader closed it)" +
            (null != lastReconnectFailure ? ", and a new session failed: " + lastReconnectFailure : "") +
            (null != aeronError ? " (Aeron: " + describe(aeronError) + ")" : "");
    }

    private static String aeronClosedReason(final Aeron aeron, final Throwable error)
    {
        return "the Aeron client of this client is closed: its media driver in " +
            aeron.context().aeronDirectoryName() + " stopped or stopped answering; connect a new PaycoreClient " +
            "once it runs" + (null != error ? " (Aeron: " + describe(error) + ")" : "");
    }

    private static String describe(final Throwable error)
    {
        return null != error.getMessage() ? error.getMessage() : error.getClass().getSimpleName();
    }

    private void onAeronError(final Throwable error)
    {
        aeronError = error;
    }

    public void reconnect(final long deadlineNanos)
    {
        if (aeron.isClosed())
        {
            return; // nothing can connect on it: disconnectedReason says why
        }
        final long waitNanos = deadlineNanos - System.nanoTime();
        if (waitNanos <= 0)
        {
            return; // the caller's wait is over: it says so, and the next poll tries again
        }
        final AeronCluster fresh;
        try
        {
            fresh = connect(context, this, aeron, Math.min(waitNanos, context.connectTimeoutNanos()));
        }
        catch (final PaycoreClientException ex)
        {
            // No leader answered: keep the session there is, which may yet hear of a new leader, and try again later.
            lastReconnectFailure = ex.getMessage();
            return;
        }
        CloseHelper.quietClose(cluster);
        cluster = fresh;
        lastReconnectFailure = null;
        reconnects++;
        leaderChanges++;
    }

    public long reconnects()
    {
        return reconnects;
    }

    public void close()
    {
        CloseHelper.closeAll(cluster, ownAeron);
    }

    public Aeron aeron()
    {
        return aeron;
    }
}
