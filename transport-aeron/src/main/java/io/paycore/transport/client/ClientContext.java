package io.paycore.transport.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.paycore.codec.ProtocolLimits;
import io.paycore.journal.PropertyValues;
import io.paycore.transport.TransportContext;
import org.agrona.BitUtil;
import org.agrona.SystemUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of a {@link PaycoreClient}: who it is, where the service listens, where answers come back, and how
 * long to wait. Each setting defaults from the system property named beside its default.
 * <p>
 * The response channel and stream must be this client's own: two clients sharing them would receive each other's
 * answers. Over UDP give each client its own endpoint; over IPC its own stream id.
 */
public final class ClientContext
{
    /** Default stream id of a query server's channel. */
    public static final int QUERY_STREAM_ID_DEFAULT = 1200;
    /** Default channel a cluster's client takes query answers on: any free port of this host. */
    public static final String QUERY_RESPONSE_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:0";
    /** Default stream id of the channel a cluster's client takes query answers on. */
    public static final int QUERY_RESPONSE_STREAM_ID_DEFAULT = 1201;

    /** Aeron directory of the media driver the client uses (the service's, or one on the client's machine). */
    public static final String AERON_DIR_PROP_NAME = "paycore.client.aeron.dir";
    /** Client id, as in the service's credentials file. */
    public static final String CLIENT_ID_PROP_NAME = "paycore.client.id";
    /** The client's secret. */
    public static final String SECRET_PROP_NAME = "paycore.client.secret";
    /** Channel the service listens on. */
    public static final String INGRESS_CHANNEL_PROP_NAME = "paycore.client.ingress.channel";
    /** Default ingress channel: the service's default. */
    public static final String INGRESS_CHANNEL_DEFAULT = TransportContext.INGRESS_CHANNEL_DEFAULT;
    /** Stream id the service listens on. */
    public static final String INGRESS_STREAM_ID_PROP_NAME = "paycore.client.ingress.stream.id";
    /** Default ingress stream id: the service's default. */
    public static final int INGRESS_STREAM_ID_DEFAULT = TransportContext.INGRESS_STREAM_ID_DEFAULT;
    /** Channel answers come back on. */
    public static final String RESPONSE_CHANNEL_PROP_NAME = "paycore.client.response.channel";
    /** Default response channel: UDP on localhost, port 40124. */
    public static final String RESPONSE_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:40124";
    /** Stream id answers come back on. */
    public static final String RESPONSE_STREAM_ID_PROP_NAME = "paycore.client.response.stream.id";
    /** Default response stream id. */
    public static final int RESPONSE_STREAM_ID_DEFAULT = 1002;
    /** How long {@link PaycoreClient#connect(ClientContext)} waits for the service. */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "paycore.client.connect.timeout";
    /** Default connect timeout: 5 s. */
    public static final long CONNECT_TIMEOUT_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Term length of the client's ingress publication, when its channel does not name one. */
    public static final String TERM_LENGTH_PROP_NAME = "paycore.client.term.length";
    /** Default term length: the smallest that carries the longest message. */
    public static final int TERM_LENGTH_DEFAULT = TransportContext.TERM_LENGTH_MIN;
    /** Most fragments one {@link PaycoreClient#poll(EgressListener)} reads. */
    public static final String FRAGMENT_LIMIT_PROP_NAME = "paycore.client.fragment.limit";
    /** Default fragment limit. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 64;

    private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP_NAME, CommonContext.getAeronDirectoryName());
    private Aeron aeron;
    private long clientId = PropertyValues.longValue(CLIENT_ID_PROP_NAME, 0);
    private String secret = System.getProperty(SECRET_PROP_NAME);
    private String ingressChannel = System.getProperty(INGRESS_CHANNEL_PROP_NAME, INGRESS_CHANNEL_DEFAULT);
    private int ingressStreamId = PropertyValues.intValue(INGRESS_STREAM_ID_PROP_NAME, INGRESS_STREAM_ID_DEFAULT);
    private String responseChannel = System.getProperty(RESPONSE_CHANNEL_PROP_NAME, RESPONSE_CHANNEL_DEFAULT);
    private int responseStreamId = PropertyValues.intValue(RESPONSE_STREAM_ID_PROP_NAME, RESPONSE_STREAM_ID_DEFAULT);
    private String queryChannel;
    private int queryStreamId = QUERY_STREAM_ID_DEFAULT;
    private String queryResponseChannel = QUERY_RESPONSE_CHANNEL_DEFAULT;
    private int queryResponseStreamId = QUERY_RESPONSE_STREAM_ID_DEFAULT;
    private long connectTimeoutNanos = SystemUtil.getDurationInNanos(CONNECT_TIMEOUT_PROP_NAME, CONNECT_TIMEOUT_DEFAULT_NANOS);
    private int termLengthBytes = PropertyValues.intValue(TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT);
    private int fragmentLimit = PropertyValues.intValue(FRAGMENT_LIMIT_PROP_NAME, FRAGMENT_LIMIT_DEFAULT);
    private IdleStrategy idleStrategy;
    private String clusterIngressEndpoints = System.getProperty(CLUSTER_INGRESS_ENDPOINTS_PROP_NAME);
    private String clusterEgressChannel = System.getProperty(
        CLUSTER_EGRESS_CHANNEL_PROP_NAME, CLUSTER_EGRESS_CHANNEL_DEFAULT);
    private long clusterNewLeaderTimeoutNanos = SystemUtil.getDurationInNanos(
        CLUSTER_NEW_LEADER_TIMEOUT_PROP_NAME, CLUSTER_NEW_LEADER_TIMEOUT_DEFAULT_NANOS);
    private long clusterConnectAttemptNanos = SystemUtil.getDurationInNanos(
        CLUSTER_CONNECT_ATTEMPT_PROP_NAME, CLUSTER_CONNECT_ATTEMPT_DEFAULT_NANOS);
    private long clusterReconnectAfterNanos = SystemUtil.getDurationInNanos(
        CLUSTER_RECONNECT_AFTER_PROP_NAME, CLUSTER_RECONNECT_AFTER_DEFAULT_NANOS);
    private int clusterMaxInFlightRequests = PropertyValues.intValue(
        CLUSTER_MAX_IN_FLIGHT_REQUESTS_PROP_NAME, CLUSTER_MAX_IN_FLIGHT_REQUESTS_DEFAULT);
    private int clusterMaxInFlightBytes = PropertyValues.intValue(
        CLUSTER_MAX_IN_FLIGHT_BYTES_PROP_NAME, CLUSTER_MAX_IN_FLIGHT_BYTES_DEFAULT);

    /**
     * Property: most requests a client of a cluster keeps in flight (sent, not yet answered), each kept to be sent
     * again to a new leader; past it a send is refused as back-pressured until answers arrive.
     */
    public static final String CLUSTER_MAX_IN_FLIGHT_REQUESTS_PROP_NAME =
        "paycore.client.cluster.max.in.flight.requests";

    /**
     * Default most requests in flight to a cluster.
     */
    public static final int CLUSTER_MAX_IN_FLIGHT_REQUESTS_DEFAULT = 4096;

    /**
     * Property: most bytes of requests a client of a cluster keeps in flight; at least one message of the largest
     * size ({@link ProtocolLimits#MAX_MESSAGE_LENGTH} and a header).
     */
    public static final String CLUSTER_MAX_IN_FLIGHT_BYTES_PROP_NAME = "paycore.client.cluster.max.in.flight.bytes";

    /**
     * Default most bytes in flight to a cluster: 8 MiB, 63 of the largest messages
     * ({@link ProtocolLimits#MAX_MESSAGE_LENGTH}, 131,092 bytes).
     */
    public static final int CLUSTER_MAX_IN_FLIGHT_BYTES_DEFAULT = 8 * 1024 * 1024;

    /**
     * Property: how long a cluster's client waits for a new leader after losing the old one before it gives up.
     */
    public static final String CLUSTER_NEW_LEADER_TIMEOUT_PROP_NAME = "paycore.client.cluster.new.leader.timeout";

    /**
     * Default time to wait for a new leader: several elections' worth, a member restarting to vote included.
     */
    public static final long CLUSTER_NEW_LEADER_TIMEOUT_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Property: how long a cluster's client waits with requests in flight and no answer at all before it takes a new
     * session and sends them again.
     */
    public static final String CLUSTER_RECONNECT_AFTER_PROP_NAME = "paycore.client.cluster.reconnect.after";

    /**
     * Default silence before a new session: 10 s, several elections' worth. A leader restarted at once can win the
     * next election itself without the client hearing of the new term; the leader drops requests of the old one, and
     * the client would wait out its whole request timeout. Transfers and accounts are idempotent by id, and the
     * first answer to a request wins, so a request sent again costs the cluster a lookup, never a second transfer.
     */
    public static final long CLUSTER_RECONNECT_AFTER_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Property: how long one attempt to connect to a cluster waits for an answer before another begins, while the
     * connect timeout lasts.
     */
    public static final String CLUSTER_CONNECT_ATTEMPT_PROP_NAME = "paycore.client.cluster.connect.attempt";

    /**
     * Default length of one connect attempt: a few elections' worth. Aeron Cluster's client sends its connect request
     * once, to the first member it reaches; a request a member drops during an election is never answered, so the
     * client asks again rather than wait out the whole connect timeout.
     */
    public static final long CLUSTER_CONNECT_ATTEMPT_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Property naming the members of a paycore cluster to connect to, as {@code 0=host:port,1=host:port,...} (each
     * member's client port); unset for a single-node service.
     */
    public static final String CLUSTER_INGRESS_ENDPOINTS_PROP_NAME = "paycore.client.cluster.ingress.endpoints";

    /**
     * Property naming the channel a cluster's answers come back on.
     */
    public static final String CLUSTER_EGRESS_CHANNEL_PROP_NAME = "paycore.client.cluster.egress.channel";

    /**
     * Default channel for a cluster's answers: UDP on a port the system picks.
     */
    public static final String CLUSTER_EGRESS_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:0";

    /**
     * Check the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting that is wrong.
     */
    public ClientContext conclude()
    {
        if (null != clusterIngressEndpoints)
        {
            return concludeForCluster();
        }
        checkCredentials();
        checkChannel("ingress channel (" + INGRESS_CHANNEL_PROP_NAME + ")", ingressChannel);
        checkChannel("response channel (" + RESPONSE_CHANNEL_PROP_NAME + ")", responseChannel);
        if (responseChannel.length() > ProtocolLimits.MAX_VAR_DATA_LENGTH)
        {
            throw new IllegalArgumentException("response channel (" + RESPONSE_CHANNEL_PROP_NAME +
                ") must be at most " + ProtocolLimits.MAX_VAR_DATA_LENGTH + " characters");
        }
        if (0 == ingressStreamId || 0 == responseStreamId)
        {
            throw new IllegalArgumentException("stream ids (" + INGRESS_STREAM_ID_PROP_NAME + ", " +
                RESPONSE_STREAM_ID_PROP_NAME + ") must not be 0");
        }
        if (termLengthBytes < TransportContext.TERM_LENGTH_MIN || !BitUtil.isPowerOfTwo(termLengthBytes))
        {
            throw new IllegalArgumentException("term length (" + TERM_LENGTH_PROP_NAME + ") must be a power of " +
                "two of at least " + TransportContext.TERM_LENGTH_MIN + ": " + termLengthBytes);
        }
        return concludeCommon();
    }

    private void checkCredentials()
    {
        if (clientId <= 0)
        {
            throw new IllegalArgumentException("client id (" + CLIENT_ID_PROP_NAME + ") must be positive: " + clientId);
        }
        if (null == secret || secret.isEmpty() || secret.length() > ProtocolLimits.MAX_VAR_DATA_LENGTH)
        {
            throw new IllegalArgumentException("secret (" + SECRET_PROP_NAME + ") must have 1.." +
                ProtocolLimits.MAX_VAR_DATA_LENGTH + " characters");
        }
    }

    private ClientContext concludeForCluster()
    {
        checkCredentials();
        if (clusterIngressEndpoints.isBlank())
        {
            throw new IllegalArgumentException("cluster ingress endpoints (" + CLUSTER_INGRESS_ENDPOINTS_PROP_NAME +
                ") must name at least one member, as 0=host:port,1=host:port,...");
        }
        checkClusterIngressEndpoints(clusterIngressEndpoints);
        checkChannel("cluster egress channel (" + CLUSTER_EGRESS_CHANNEL_PROP_NAME + ")", clusterEgressChannel);
        if (clusterMaxInFlightRequests < 1 || clusterMaxInFlightRequests > 1 << 20)
        {
            throw new IllegalArgumentException("most requests in flight (" +
                CLUSTER_MAX_IN_FLIGHT_REQUESTS_PROP_NAME + ") must be in [1, " + (1 << 20) + "]: " +
                clusterMaxInFlightRequests);
        }
        if (clusterMaxInFlightBytes < 2 * ProtocolLimits.MAX_MESSAGE_LENGTH || clusterMaxInFlightBytes > 1 << 30)
        {
            throw new IllegalArgumentException("most bytes in flight (" + CLUSTER_MAX_IN_FLIGHT_BYTES_PROP_NAME +
                ") must be in [" + 2 * ProtocolLimits.MAX_MESSAGE_LENGTH + ", " + (1 << 30) + "]: " +
                clusterMaxInFlightBytes);
        }
        if (clusterConnectAttemptNanos <= 0)
        {
            throw new IllegalArgumentException("cluster connect attempt (" + CLUSTER_CONNECT_ATTEMPT_PROP_NAME +
                ") must be positive: " + clusterConnectAttemptNanos + " ns");
        }
        if (clusterReconnectAfterNanos <= 0)
        {
            throw new IllegalArgumentException("reconnect-after silence (" + CLUSTER_RECONNECT_AFTER_PROP_NAME +
                ") must be positive: " + clusterReconnectAfterNanos + " ns");
        }
        if (clusterNewLeaderTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("new leader timeout (" + CLUSTER_NEW_LEADER_TIMEOUT_PROP_NAME +
                ") must be positive: " + clusterNewLeaderTimeoutNanos + " ns");
        }
        return concludeCommon();
    }

    /**
     * Each member as Aeron Cluster's client reads it, {@code id=host:port}: it would refuse a member without its id
     * with an exception of its own as the client connects, and take a member without a port for a channel's endpoint.
     */
    private static void checkClusterIngressEndpoints(final String endpoints)
    {
        for (final String member : endpoints.split(","))
        {
            final int equals = member.indexOf('=');
            final int colon = member.lastIndexOf(':');
            if (equals < 1 || !isDigits(member, 0, equals) || colon <= equals + 1 ||
                !isDigits(member, colon + 1, member.length()))
            {
                throw new IllegalArgumentException("cluster ingress endpoints (" + CLUSTER_INGRESS_ENDPOINTS_PROP_NAME +
                    ") must be id=host:port for each member, as 0=host:port,1=host:port,..., but were '" + endpoints +
                    "'");
            }
        }
    }

    private static boolean isDigits(final String text, final int from, final int to)
    {
        if (from >= to || to - from > 9)
        {
            return false;
        }
        for (int i = from; i < to; i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private ClientContext concludeCommon()
    {
        if (connectTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException(
                "connect timeout (" + CONNECT_TIMEOUT_PROP_NAME + ") must be positive: " + connectTimeoutNanos + " ns");
        }
        if (fragmentLimit < 1)
        {
            throw new IllegalArgumentException(
                "fragment limit (" + FRAGMENT_LIMIT_PROP_NAME + ") must be at least 1: " + fragmentLimit);
        }
        if (null == idleStrategy)
        {
            idleStrategy = new BackoffIdleStrategy(
                100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
        }
        return this;
    }

    /**
     * Connect to a paycore cluster rather than a single-node service: the client finds the leader among these
     * members, follows a new one by itself, and re-sends a blocking request that was in flight when the leader
     * changed (idempotency makes that safe).
     *
     * @param endpoints each member's client endpoint, {@code 0=host:port,1=host:port,...}; null for a single node.
     * @return this.
     */
    public ClientContext clusterIngressEndpoints(final String endpoints)
    {
        this.clusterIngressEndpoints = endpoints;
        return this;
    }

    /**
     * @return the cluster members' client endpoints, or null for a single-node service.
     */
    public String clusterIngressEndpoints()
    {
        return clusterIngressEndpoints;
    }

    /**
     * @param nanos how long to wait for a new leader after losing the old one; then the client closes and a
     *              blocking request fails saying so.
     * @return this.
     */
    public ClientContext clusterNewLeaderTimeoutNanos(final long nanos)
    {
        this.clusterNewLeaderTimeoutNanos = nanos;
        return this;
    }

    /**
     * @param nanos how long the client waits, with requests in flight to a cluster and no answer at all, before it
     *              takes a new session and sends them again.
     * @return this.
     */
    public ClientContext clusterReconnectAfterNanos(final long nanos)
    {
        this.clusterReconnectAfterNanos = nanos;
        return this;
    }

    /**
     * @return how long a silence with requests in flight lasts before the client takes a new session.
     */
    public long clusterReconnectAfterNanos()
    {
        return clusterReconnectAfterNanos;
    }

    /**
     * @param nanos how long one attempt to connect to a cluster waits for an answer before another begins (the
     *              attempts end with the connect timeout).
     * @return this.
     */
    public ClientContext clusterConnectAttemptNanos(final long nanos)
    {
        this.clusterConnectAttemptNanos = nanos;
        return this;
    }

    /**
     * @return how long one cluster connect attempt waits.
     */
    public long clusterConnectAttemptNanos()
    {
        return clusterConnectAttemptNanos;
    }

    /**
     * @return how long to wait for a new leader.
     */
    public long clusterNewLeaderTimeoutNanos()
    {
        return clusterNewLeaderTimeoutNanos;
    }

    /**
     * @param requests most requests kept in flight to a cluster, to be sent again to a new leader.
     * @return this.
     */
    public ClientContext clusterMaxInFlightRequests(final int requests)
    {
        this.clusterMaxInFlightRequests = requests;
        return this;
    }

    /**
     * @return most requests kept in flight to a cluster.
     */
    public int clusterMaxInFlightRequests()
    {
        return clusterMaxInFlightRequests;
    }

    /**
     * @param bytes most bytes of requests kept in flight to a cluster.
     * @return this.
     */
    public ClientContext clusterMaxInFlightBytes(final int bytes)
    {
        this.clusterMaxInFlightBytes = bytes;
        return this;
    }

    /**
     * @return most bytes of requests kept in flight to a cluster.
     */
    public int clusterMaxInFlightBytes()
    {
        return clusterMaxInFlightBytes;
    }

    /**
     * @param channel the channel a cluster's answers come back on.
     * @return this.
     */
    public ClientContext clusterEgressChannel(final String channel)
    {
        this.clusterEgressChannel = channel;
        return this;
    }

    /**
     * @return the channel a cluster's answers come back on.
     */
    public String clusterEgressChannel()
    {
        return clusterEgressChannel;
    }

    private static void checkChannel(final String name, final String channel)
    {
        if (null == channel)
        {
            throw new IllegalArgumentException(name + " must be set");
        }
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(name + " is not an Aeron channel: '" + channel + "'", ex);
        }
        if (!uri.isUdp() && !uri.isIpc())
        {
            throw new IllegalArgumentException(name + " must be aeron:udp or aeron:ipc: '" + channel + "'");
        }
    }

    /** @param aeronDirectoryName Aeron directory of the media driver to use. @return this. */
    public ClientContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    /** @return Aeron directory of the media driver to use. */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @param aeron an Aeron client to share instead of connecting one; the client does not close it.
     * @return this.
     */
    public ClientContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    /** @return the shared Aeron client, or null to connect one. */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @param clientId the client id, as in the credentials file. @return this. */
    public ClientContext clientId(final long clientId)
    {
        this.clientId = clientId;
        return this;
    }

    /** @return the client id. */
    public long clientId()
    {
        return clientId;
    }

    /** @param secret the client's secret. @return this. */
    public ClientContext secret(final String secret)
    {
        this.secret = secret;
        return this;
    }

    /** @return the client's secret. */
    public String secret()
    {
        return secret;
    }

    /** @param ingressChannel channel the service listens on. @return this. */
    public ClientContext ingressChannel(final String ingressChannel)
    {
        this.ingressChannel = ingressChannel;
        return this;
    }

    /** @return channel the service listens on. */
    public String ingressChannel()
    {
        return ingressChannel;
    }

    /** @param ingressStreamId stream id the service listens on. @return this. */
    public ClientContext ingressStreamId(final int ingressStreamId)
    {
        this.ingressStreamId = ingressStreamId;
        return this;
    }

    /** @return stream id the service listens on. */
    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    /** @param responseChannel channel answers come back on, this client's own. @return this. */
    public ClientContext responseChannel(final String responseChannel)
    {
        this.responseChannel = responseChannel;
        return this;
    }

    /** @return channel answers come back on. */
    public String responseChannel()
    {
        return responseChannel;
    }

    /**
     * @param queryChannel the channel of a query server ({@code paycore query-server}) that answers this client's
     *                     history queries on its response channel; null (the default) for none.
     * @return this.
     */
    public ClientContext queryChannel(final String queryChannel)
    {
        this.queryChannel = queryChannel;
        return this;
    }

    /** @return the query server's channel, or null. */
    public String queryChannel()
    {
        return queryChannel;
    }

    /** @param queryStreamId stream id of the query server's channel (default 1200). @return this. */
    public ClientContext queryStreamId(final int queryStreamId)
    {
        this.queryStreamId = queryStreamId;
        return this;
    }

    /** @return stream id of the query server's channel. */
    public int queryStreamId()
    {
        return queryStreamId;
    }

    /**
     * @param queryResponseChannel where a cluster's client takes query answers (a single service's client takes them
     *                             on its response channel): a channel the query server can reach, port 0 for any free
     *                             one (default {@value #QUERY_RESPONSE_CHANNEL_DEFAULT}).
     * @return this.
     */
    public ClientContext queryResponseChannel(final String queryResponseChannel)
    {
        this.queryResponseChannel = queryResponseChannel;
        return this;
    }

    /** @return where a cluster's client takes query answers. */
    public String queryResponseChannel()
    {
        return queryResponseChannel;
    }

    /** @param queryResponseStreamId stream id of {@link #queryResponseChannel()} (default 1201). @return this. */
    public ClientContext queryResponseStreamId(final int queryResponseStreamId)
    {
        this.queryResponseStreamId = queryResponseStreamId;
        return this;
    }

    /** @return stream id of {@link #queryResponseChannel()}. */
    public int queryResponseStreamId()
    {
        return queryResponseStreamId;
    }

    /** @param responseStreamId stream id answers come back on. @return this. */
    public ClientContext responseStreamId(final int responseStreamId)
    {
        this.responseStreamId = responseStreamId;
        return this;
    }

    /** @return stream id answers come back on. */
    public int responseStreamId()
    {
        return responseStreamId;
    }

    /** @param connectTimeoutNanos how long connect waits for the service. @return this. */
    public ClientContext connectTimeoutNanos(final long connectTimeoutNanos)
    {
        this.connectTimeoutNanos = connectTimeoutNanos;
        return this;
    }

    /** @return how long connect waits for the service, in nanoseconds. */
    public long connectTimeoutNanos()
    {
        return connectTimeoutNanos;
    }

    /** @param termLengthBytes term length of the ingress publication. @return this. */
    public ClientContext termLength(final int termLengthBytes)
    {
        this.termLengthBytes = termLengthBytes;
        return this;
    }

    /** @return term length of the ingress publication. */
    public int termLength()
    {
        return termLengthBytes;
    }

    /** @param fragmentLimit most fragments one poll reads. @return this. */
    public ClientContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /** @return most fragments one poll reads. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /** @param idleStrategy how the blocking API waits. @return this. */
    public ClientContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return how the blocking API waits. */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "ClientContext{aeronDirectoryName=" + aeronDirectoryName + ", clientId=" + clientId +
            ", ingressChannel=" + ingressChannel + ", ingressStreamId=" + ingressStreamId +
            ", responseChannel=" + responseChannel + ", responseStreamId=" + responseStreamId +
            ", connectTimeoutNanos=" + connectTimeoutNanos + ", termLengthBytes=" + termLengthBytes + '}';
    }
}
