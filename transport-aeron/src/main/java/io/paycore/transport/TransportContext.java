package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.FrameDescriptor;
import io.paycore.codec.ProtocolLimits;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.PropertyValues;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableRingBuffer;
import org.agrona.SystemUtil;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Configuration of the Aeron transport of a {@link PaycoreServer}: media driver, ingress channel, threading, client
 * limits, egress back-pressure bounds, ticks and credentials. Each setting defaults from the system property named
 * beside its default ({@code *_PROP_NAME}, {@code *_DEFAULT}); durations accept Agrona's suffixes ({@code 2s},
 * {@code 100ms}). {@link #conclude()} checks everything and says which setting is wrong.
 * <p>
 * Not thread safe; used once, by the thread that launches the server.
 */
public final class TransportContext
{
    /**
     * Directory of an external media driver to use; unset for an embedded one.
     */
    public static final String AERON_DIR_PROP_NAME = "paycore.transport.aeron.dir";

    /**
     * Directory of the embedded media driver, deleted on start and on close, used when no external Aeron directory
     * is set. Default: a fresh directory beside Aeron's default one.
     */
    public static final String EMBEDDED_AERON_DIR_PROP_NAME = "paycore.transport.embedded.aeron.dir";

    /**
     * Channel clients send to.
     */
    public static final String INGRESS_CHANNEL_PROP_NAME = "paycore.transport.ingress.channel";

    /**
     * Default ingress channel: UDP on localhost.
     */
    public static final String INGRESS_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:40123";

    /**
     * Stream id clients send to.
     */
    public static final String INGRESS_STREAM_ID_PROP_NAME = "paycore.transport.ingress.stream.id";

    /**
     * Default ingress stream id.
     */
    public static final int INGRESS_STREAM_ID_DEFAULT = 1001;

    /**
     * Term length of the response publications the service opens and of the embedded driver's publications, in
     * bytes: a power of two, at least {@link #TERM_LENGTH_MIN}.
     */
    public static final String TERM_LENGTH_PROP_NAME = "paycore.transport.term.length";

    /**
     * Smallest term length: Aeron's longest message is an eighth of the term, and the longest egress message is
     * {@link ProtocolLimits#MAX_EGRESS_MESSAGE_LENGTH} bytes: 2 MiB for protocol version 2 (131,092 bytes).
     */
    public static final int TERM_LENGTH_MIN = minTermLength();

    /**
     * Default term length.
     */
    public static final int TERM_LENGTH_DEFAULT = TERM_LENGTH_MIN;

    /**
     * Most authenticated clients at once; a {@code Connect} past it gets {@code TOO_MANY_CLIENTS}. Sessions holding
     * a response publication (authenticated or refused) are bounded at twice this; Connects past that are dropped
     * and counted.
     */
    public static final String MAX_CLIENTS_PROP_NAME = "paycore.transport.max.clients";

    /**
     * Default most clients.
     */
    public static final int MAX_CLIENTS_DEFAULT = 64;

    /**
     * Most refused {@code Connect}s per second that are answered with a {@code ConnectResult}: answering one opens a
     * publication (term buffers in the driver's directory) to a channel the caller named, so a flood of bad logins
     * must not buy one each. Refusals past this rate get no answer (the caller's connect times out) and are counted.
     */
    public static final String REFUSAL_REPLIES_PER_SECOND_PROP_NAME = "paycore.transport.refusal.replies.per.second";

    /**
     * Default of {@link #REFUSAL_REPLIES_PER_SECOND_PROP_NAME}.
     */
    public static final int REFUSAL_REPLIES_PER_SECOND_DEFAULT = 10;

    /**
     * Largest value of {@link #MAX_CLIENTS_PROP_NAME}.
     */
    public static final int MAX_CLIENTS_LIMIT = 4096;

    /**
     * How long a client's egress may stay back-pressured (or its response publication unconnected) without
     * progress before it is disconnected.
     */
    public static final String EGRESS_BACK_PRESSURE_TIMEOUT_PROP_NAME = "paycore.transport.egress.back.pressure.timeout";

    /**
     * Default egress back-pressure timeout: 2 s.
     */
    public static final long EGRESS_BACK_PRESSURE_TIMEOUT_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * Least egress back-pressure timeout: 1 ms. Less would disconnect a client at any moment of back-pressure, as
     * {@code --egress-timeout 5} (5 ns) did until 2026-12-07.
     */
    public static final long EGRESS_BACK_PRESSURE_TIMEOUT_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Most bytes of answers held back for one back-pressured client; a client whose backlog would grow past it is
     * disconnected. At least {@link #EGRESS_BACKLOG_LENGTH_MIN}, at most {@link #EGRESS_BACKLOG_LENGTH_MAX}. The bytes
     * counted include each held answer's framing; the buffer holding them takes at most twice the bound.
     */
    public static final String EGRESS_BACKLOG_LENGTH_PROP_NAME = "paycore.transport.egress.backlog.length";

    /**
     * Default egress backlog bound per client: 2 MiB.
     */
    public static final int EGRESS_BACKLOG_LENGTH_DEFAULT = 2 * 1024 * 1024;

    /**
     * Smallest egress backlog bound: room for one longest egress message and its framing.
     */
    public static final int EGRESS_BACKLOG_LENGTH_MIN = BitUtil.align(
        ExpandableRingBuffer.HEADER_LENGTH + ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH,
        ExpandableRingBuffer.HEADER_ALIGNMENT);

    /**
     * Largest egress backlog bound per client: 256 MiB.
     */
    public static final int EGRESS_BACKLOG_LENGTH_MAX = 256 * 1024 * 1024;

    /**
     * After this long without an ingress record, ingress journals a tick so that pending transfers expire.
     */
    public static final String TICK_INTERVAL_PROP_NAME = "paycore.transport.tick.interval";

    /**
     * Default tick interval: 100 ms.
     */
    public static final long TICK_INTERVAL_DEFAULT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Shortest tick interval: 1 ms. An idle service journals a tick each interval, and pending transfers expire by
     * the second, so a shorter one (such as a duration given without a unit, which is nanoseconds) only grows the
     * journal and keeps ingress from idling.
     */
    public static final long TICK_INTERVAL_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Longest tick interval: 1 hour. A pending transfer's expiry waits for the next tick while no input arrives, so
     * this bounds how late an idle service expires one.
     */
    public static final long TICK_INTERVAL_MAX_NANOS = TimeUnit.HOURS.toNanos(1);

    /**
     * The credentials file ({@code --clients FILE}), see {@link ClientCredentials}.
     */
    public static final String CLIENTS_FILE_PROP_NAME = "paycore.transport.clients.file";

    /**
     * Most fragments ingress reads per duty cycle.
     */
    public static final String INGRESS_FRAGMENT_LIMIT_PROP_NAME = "paycore.transport.ingress.fragment.limit";

    /**
     * Default ingress fragment limit.
     */
    public static final int INGRESS_FRAGMENT_LIMIT_DEFAULT = 64;

    /**
     * Most answers egress takes from the pipeline per duty cycle.
     */
    public static final String EGRESS_POLL_LIMIT_PROP_NAME = "paycore.transport.egress.poll.limit";

    /**
     * Default egress poll limit.
     */
    public static final int EGRESS_POLL_LIMIT_DEFAULT = 64;

    /**
     * Length of the ring that carries replies made by ingress ({@code ConnectResult}, {@code Rejected}) and session
     * closes to egress, in bytes; a power of two. When it is full ingress stops reading, as when the input ring is.
     */
    public static final String CONTROL_RING_LENGTH_PROP_NAME = "paycore.transport.control.ring.length";

    /**
     * Default control ring length: 1 MiB.
     */
    public static final int CONTROL_RING_LENGTH_DEFAULT = 1024 * 1024;

    /**
     * Base of the type ids of the service's Aeron counters, so tools can tell them apart.
     */
    public static final int COUNTER_TYPE_ID_BASE = 4_200;

    private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP_NAME);
    private String embeddedAeronDirectoryName = System.getProperty(EMBEDDED_AERON_DIR_PROP_NAME);
    private String ingressChannel = System.getProperty(INGRESS_CHANNEL_PROP_NAME, INGRESS_CHANNEL_DEFAULT);
    private int ingressStreamId = PropertyValues.intValue(INGRESS_STREAM_ID_PROP_NAME, INGRESS_STREAM_ID_DEFAULT);
    private int termLengthBytes = PropertyValues.intValue(TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT);
    private ThreadingProfile profile = ThreadingProfile.parse(
        System.getProperty(PipelineContext.PROFILE_PROP_NAME, PipelineContext.PROFILE_DEFAULT.name()));
    private int maxClients = PropertyValues.intValue(MAX_CLIENTS_PROP_NAME, MAX_CLIENTS_DEFAULT);
    private int refusalRepliesPerSecond = PropertyValues.intValue(
        REFUSAL_REPLIES_PER_SECOND_PROP_NAME, REFUSAL_REPLIES_PER_SECOND_DEFAULT);
    private long egressBackPressureTimeoutNanos = SystemUtil.getDurationInNanos(
        EGRESS_BACK_PRESSURE_TIMEOUT_PROP_NAME, EGRESS_BACK_PRESSURE_TIMEOUT_DEFAULT_NANOS);
    private int egressBacklogLengthBytes =
        PropertyValues.intValue(EGRESS_BACKLOG_LENGTH_PROP_NAME, EGRESS_BACKLOG_LENGTH_DEFAULT);
    private long tickIntervalNanos = SystemUtil.getDurationInNanos(TICK_INTERVAL_PROP_NAME, TICK_INTERVAL_DEFAULT_NANOS);
    private int ingressFragmentLimit = PropertyValues.intValue(
        INGRESS_FRAGMENT_LIMIT_PROP_NAME, INGRESS_FRAGMENT_LIMIT_DEFAULT);
    private int egressPollLimit = PropertyValues.intValue(EGRESS_POLL_LIMIT_PROP_NAME, EGRESS_POLL_LIMIT_DEFAULT);
    private int controlRingLengthBytes =
        PropertyValues.intValue(CONTROL_RING_LENGTH_PROP_NAME, CONTROL_RING_LENGTH_DEFAULT);
    private Path clientsFile = pathProperty(CLIENTS_FILE_PROP_NAME);
    private ClientCredentials credentials;
    private ErrorHandler errorHandler;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private ThreadFactory threadFactory = Thread::new;
    private ThreadFactory driverThreadFactory = Thread::new;
    private boolean concluded;

    /**
     * Check the settings and fill in what depends on others: loads the credentials file when no credentials were
     * given, picks the embedded driver's directory.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting that is wrong.
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            return this;
        }

        if (null == aeronDirectoryName && null == embeddedAeronDirectoryName)
        {
            embeddedAeronDirectoryName = CommonContext.generateRandomDirName();
        }
        checkChannel("ingress channel (--channel, " + INGRESS_CHANNEL_PROP_NAME + ")", ingressChannel);
        if (0 == ingressStreamId)
        {
            throw new IllegalArgumentException(
                "ingress stream id (--stream, " + INGRESS_STREAM_ID_PROP_NAME + ") must not be 0");
        }
        if (termLengthBytes < TERM_LENGTH_MIN || termLengthBytes > (1 << 30) || !BitUtil.isPowerOfTwo(termLengthBytes))
        {
            throw new IllegalArgumentException("term length (" + TERM_LENGTH_PROP_NAME + ") must be a power of two " +
                "in " + TERM_LENGTH_MIN + "..1 GiB so that the longest egress message (" +
                ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH + " bytes) fits in an eighth of it: " + termLengthBytes);
        }
        if (null == profile)
        {
            throw new IllegalArgumentException("threading profile (" + PipelineContext.PROFILE_PROP_NAME +
                ") must be set");
        }
        if (maxClients < 1 || maxClients > MAX_CLIENTS_LIMIT)
        {
            throw new IllegalArgumentException("max clients (--max-clients, " + MAX_CLIENTS_PROP_NAME +
                ") must be in 1.." + MAX_CLIENTS_LIMIT + ": " + maxClients);
        }
        if (egressBackPressureTimeoutNanos < EGRESS_BACK_PRESSURE_TIMEOUT_MIN_NANOS)
        {
            throw new IllegalArgumentException("egress back-pressure timeout (--egress-timeout, " +
                EGRESS_BACK_PRESSURE_TIMEOUT_PROP_NAME + ") must be at least 1ms (a client back-pressured longer " +
                "is disconnected; a duration without a unit is nanoseconds): " + egressBackPressureTimeoutNanos +
                " ns");
        }
        if (egressBacklogLengthBytes < EGRESS_BACKLOG_LENGTH_MIN || egressBacklogLengthBytes > EGRESS_BACKLOG_LENGTH_MAX)
        {
            throw new IllegalArgumentException("egress backlog length (--egress-backlog, " +
                EGRESS_BACKLOG_LENGTH_PROP_NAME +
                ") must be " + EGRESS_BACKLOG_LENGTH_MIN + " bytes (the longest answer) to " +
                EGRESS_BACKLOG_LENGTH_MAX + " bytes: " + egressBacklogLengthBytes);
        }
        if (tickIntervalNanos < TICK_INTERVAL_MIN_NANOS || tickIntervalNanos > TICK_INTERVAL_MAX_NANOS)
        {
            throw new IllegalArgumentException("tick interval (--tick-interval, " + TICK_INTERVAL_PROP_NAME +
                ") must be at least 1ms (an idle service journals a tick each interval; a duration without a unit " +
                "is nanoseconds) and at most 3600s (an hour), since an idle service expires pending transfers only " +
                "at a tick: " + tickIntervalNanos + " ns");
        }
        if (refusalRepliesPerSecond < 0)
        {
            throw new IllegalArgumentException("refusal replies per second (" + REFUSAL_REPLIES_PER_SECOND_PROP_NAME +
                ") must not be negative: " + refusalRepliesPerSecond);
        }
        if (ingressFragmentLimit < 1)
        {
            throw new IllegalArgumentException("ingress fragment limit (" + INGRESS_FRAGMENT_LIMIT_PROP_NAME +
                ") must be at least 1: " + ingressFragmentLimit);
        }
        if (egressPollLimit < 1)
        {
            throw new IllegalArgumentException(
                "egress poll limit (" + EGRESS_POLL_LIMIT_PROP_NAME + ") must be at least 1: " + egressPollLimit);
        }
        if (controlRingLengthBytes < 64 * 1024 || !BitUtil.isPowerOfTwo(controlRingLengthBytes))
        {
            throw new IllegalArgumentException("control ring length (" + CONTROL_RING_LENGTH_PROP_NAME +
                ") must be a power of two of at least 64 KiB: " + controlRingLengthBytes);
        }
        if (null == credentials)
        {
            if (null == clientsFile)
            {
                throw new IllegalArgumentException("no client credentials: set the credentials file (" +
                    CLIENTS_FILE_PROP_NAME + ", --clients FILE) or give credentials");
            }
            credentials = ClientCredentials.load(clientsFile);
        }
        if (null == nanoClock)
        {
            throw new IllegalArgumentException("nano clock must be set");
        }
        concluded = true;

        return this;
    }

    /**
     * @param aeronDirectoryName directory of an external media driver, or null for an embedded one.
     * @return this.
     */
    public TransportContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    /**
     * @return directory of the external media driver, or null when the server embeds one.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @param embeddedAeronDirectoryName directory of the embedded media driver; deleted on start and on close.
     * @return this.
     */
    public TransportContext embeddedAeronDirectoryName(final String embeddedAeronDirectoryName)
    {
        this.embeddedAeronDirectoryName = embeddedAeronDirectoryName;
        return this;
    }

    /**
     * @return directory of the embedded media driver; picked by {@link #conclude()} when not set.
     */
    public String embeddedAeronDirectoryName()
    {
        return embeddedAeronDirectoryName;
    }

    /**
     * @return true when the server embeds its media driver (no external Aeron directory set).
     */
    public boolean isEmbeddedDriver()
    {
        return null == aeronDirectoryName;
    }

    /**
     * @return the Aeron directory clients of this server must use: the external one or the embedded driver's.
     */
    public String effectiveAeronDirectoryName()
    {
        return null != aeronDirectoryName ? aeronDirectoryName : embeddedAeronDirectoryName;
    }

    /**
     * @param ingressChannel Aeron channel clients send to, {@code aeron:udp} or {@code aeron:ipc}.
     * @return this.
     */
    public TransportContext ingressChannel(final String ingressChannel)
    {
        this.ingressChannel = ingressChannel;
        return this;
    }

    /**
     * @return Aeron channel clients send to.
     */
    public String ingressChannel()
    {
        return ingressChannel;
    }

    /**
     * @param ingressStreamId stream id clients send to, not 0.
     * @return this.
     */
    public TransportContext ingressStreamId(final int ingressStreamId)
    {
        this.ingressStreamId = ingressStreamId;
        return this;
    }

    /**
     * @return stream id clients send to.
     */
    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    /**
     * @param termLengthBytes term length in bytes of response publications and of the embedded driver's publications.
     * @return this.
     */
    public TransportContext termLength(final int termLengthBytes)
    {
        this.termLengthBytes = termLengthBytes;
        return this;
    }

    /**
     * @return term length in bytes.
     */
    public int termLength()
    {
        return termLengthBytes;
    }

    /**
     * @param profile threading profile: shared (backoff idling, ingress and egress on one thread, driver SHARED)
     *                or dedicated (busy spin, each on its own thread, driver DEDICATED).
     * @return this.
     */
    public TransportContext profile(final ThreadingProfile profile)
    {
        this.profile = profile;
        return this;
    }

    /**
     * @return threading profile.
     */
    public ThreadingProfile profile()
    {
        return profile;
    }

    /**
     * @param refusalRepliesPerSecond most refused Connects answered per second; 0 answers none.
     * @return this for a fluent API.
     * @see #REFUSAL_REPLIES_PER_SECOND_PROP_NAME
     */
    public TransportContext refusalRepliesPerSecond(final int refusalRepliesPerSecond)
    {
        this.refusalRepliesPerSecond = refusalRepliesPerSecond;
        return this;
    }

    /**
     * @return most refused Connects answered per second.
     */
    public int refusalRepliesPerSecond()
    {
        return refusalRepliesPerSecond;
    }

    /**
     * @param maxClients most authenticated clients at once.
     * @return this.
     */
    public TransportContext maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    /**
     * @return most authenticated clients at once.
     */
    public int maxClients()
    {
        return maxClients;
    }

    /**
     * @return most sessions holding a response publication at once: twice {@link #maxClients()}.
     */
    public int maxSessions()
    {
        return 2 * maxClients;
    }

    /**
     * @param egressBackPressureTimeoutNanos how long a client may stay back-pressured without progress.
     * @return this.
     */
    public TransportContext egressBackPressureTimeoutNanos(final long egressBackPressureTimeoutNanos)
    {
        this.egressBackPressureTimeoutNanos = egressBackPressureTimeoutNanos;
        return this;
    }

    /**
     * @return how long a client may stay back-pressured without progress, in nanoseconds.
     */
    public long egressBackPressureTimeoutNanos()
    {
        return egressBackPressureTimeoutNanos;
    }

    /**
     * @param egressBacklogLengthBytes most bytes of answers held back for one client.
     * @return this.
     */
    public TransportContext egressBacklogLength(final int egressBacklogLengthBytes)
    {
        this.egressBacklogLengthBytes = egressBacklogLengthBytes;
        return this;
    }

    /**
     * @return most bytes of answers held back for one client.
     */
    public int egressBacklogLength()
    {
        return egressBacklogLengthBytes;
    }

    /**
     * @param tickIntervalNanos idle time after which ingress journals a tick.
     * @return this.
     */
    public TransportContext tickIntervalNanos(final long tickIntervalNanos)
    {
        this.tickIntervalNanos = tickIntervalNanos;
        return this;
    }

    /**
     * @return idle time after which ingress journals a tick, in nanoseconds.
     */
    public long tickIntervalNanos()
    {
        return tickIntervalNanos;
    }

    /**
     * @param ingressFragmentLimit most fragments ingress reads per duty cycle.
     * @return this.
     */
    public TransportContext ingressFragmentLimit(final int ingressFragmentLimit)
    {
        this.ingressFragmentLimit = ingressFragmentLimit;
        return this;
    }

    /**
     * @return most fragments ingress reads per duty cycle.
     */
    public int ingressFragmentLimit()
    {
        return ingressFragmentLimit;
    }

    /**
     * @param egressPollLimit most answers egress takes from the pipeline per duty cycle.
     * @return this.
     */
    public TransportContext egressPollLimit(final int egressPollLimit)
    {
        this.egressPollLimit = egressPollLimit;
        return this;
    }

    /**
     * @return most answers egress takes from the pipeline per duty cycle.
     */
    public int egressPollLimit()
    {
        return egressPollLimit;
    }

    /**
     * @param controlRingLengthBytes bytes of the ring carrying ingress replies and session closes to egress.
     * @return this.
     */
    public TransportContext controlRingLength(final int controlRingLengthBytes)
    {
        this.controlRingLengthBytes = controlRingLengthBytes;
        return this;
    }

    /**
     * @return bytes of the ring carrying ingress replies and session closes to egress.
     */
    public int controlRingLength()
    {
        return controlRingLengthBytes;
    }

    /**
     * @param clientsFile the credentials file, read by {@link #conclude()} unless credentials are given.
     * @return this.
     */
    public TransportContext clientsFile(final Path clientsFile)
    {
        this.clientsFile = clientsFile;
        return this;
    }

    /**
     * @return the credentials file, or null.
     */
    public Path clientsFile()
    {
        return clientsFile;
    }

    /**
     * @param credentials the clients allowed to connect; takes precedence over {@link #clientsFile(Path)}.
     * @return this.
     */
    public TransportContext credentials(final ClientCredentials credentials)
    {
        this.credentials = credentials;
        return this;
    }

    /**
     * @return the clients allowed to connect; loaded by {@link #conclude()} from the file when not given.
     */
    public ClientCredentials credentials()
    {
        return credentials;
    }

    /**
     * @param errorHandler receives errors of the transport's agents; default: the server's distinct error log.
     * @return this.
     */
    public TransportContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @return the error handler set, or null for the server's default.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param nanoClock clock of back-pressure timing.
     * @return this.
     */
    public TransportContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * @return clock of back-pressure timing.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param threadFactory makes the transport's threads (ingress, egress, the authenticator), each named after its
     *                      agent's role before it starts; the service's pins them to cores. Default: plain threads.
     * @return this.
     */
    public TransportContext threadFactory(final ThreadFactory threadFactory)
    {
        this.threadFactory = threadFactory;
        return this;
    }

    /**
     * @return makes the transport's threads.
     */
    public ThreadFactory threadFactory()
    {
        return threadFactory;
    }

    /**
     * @param driverThreadFactory makes the embedded media driver's threads (conductor, sender, receiver, or the one
     *                            shared thread). Default: plain threads.
     * @return this.
     */
    public TransportContext driverThreadFactory(final ThreadFactory driverThreadFactory)
    {
        this.driverThreadFactory = driverThreadFactory;
        return this;
    }

    /**
     * @return makes the embedded media driver's threads.
     */
    public ThreadFactory driverThreadFactory()
    {
        return driverThreadFactory;
    }

    /**
     * Open a publication to a channel a caller named, with the logs sized by this side
     * ({@link #boundedResponseChannel(String, int, boolean)} at {@link #TERM_LENGTH_DEFAULT}, no {@code linger}), as
     * the feed and query servers answer their callers.
     *
     * @param aeron     the client to open it with.
     * @param channel   the caller's channel.
     * @param streamId  the caller's stream id.
     * @param onFailure told why, when the channel cannot be opened.
     * @return the publication, or null if it cannot be opened.
     */
    public static ExclusivePublication addServerSizedPublication(
        final Aeron aeron, final String channel, final int streamId, final Consumer<String> onFailure)
    {
        try
        {
            return aeron.addExclusivePublication(boundedResponseChannel(channel, TERM_LENGTH_DEFAULT, false), streamId);
        }
        catch (final AeronException | IllegalArgumentException | IllegalStateException ex)
        {
            onFailure.accept(ex.getMessage());
            return null;
        }
    }

    /**
     * A response channel as a server opens it, to a caller who named it: the caller may ask for a shorter term
     * than {@code termLengthBytes} but not a longer one (the server's media driver writes the whole log out on its
     * disk: three terms of up to 1 GiB), and its {@code linger} is dropped (a closed log would stay on disk as long
     * as it says).
     *
     * @param channel         as the caller named it.
     * @param termLengthBytes the longest term the server writes; also the term given a channel that names none,
     *                        if {@code defaultTerm}.
     * @param defaultTerm     true to give a channel that names no term length {@code termLengthBytes}; false to
     *                        leave it to the media driver's default.
     * @return the channel to open.
     * @throws IllegalArgumentException if the channel or its term length cannot be parsed.
     */
    public static String boundedResponseChannel(
        final String channel, final int termLengthBytes, final boolean defaultTerm)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
        if (null == termLength ? defaultTerm :
            SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, termLength) > termLengthBytes)
        {
            uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(termLengthBytes));
        }
        uri.remove(CommonContext.LINGER_PARAM_NAME);
        return uri.toString();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "TransportContext{aeronDirectoryName=" + aeronDirectoryName +
            ", embeddedAeronDirectoryName=" + embeddedAeronDirectoryName +
            ", ingressChannel=" + ingressChannel +
            ", ingressStreamId=" + ingressStreamId +
            ", termLengthBytes=" + termLengthBytes +
            ", profile=" + profile +
            ", maxClients=" + maxClients +
            ", egressBackPressureTimeoutNanos=" + egressBackPressureTimeoutNanos +
            ", egressBacklogLengthBytes=" + egressBacklogLengthBytes +
            ", tickIntervalNanos=" + tickIntervalNanos +
            ", clientsFile=" + clientsFile +
            ", credentials=" + credentials + '}';
    }

    static void checkChannel(final String name, final String channel)
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
            throw new IllegalArgumentException(name + " is not an Aeron channel: '" + channel + "': " +
                ex.getMessage(), ex);
        }
        if (!uri.isUdp() && !uri.isIpc())
        {
            throw new IllegalArgumentException(name + " must be aeron:udp or aeron:ipc: '" + channel + "'");
        }
        if (uri.isUdp() && null == uri.get(CommonContext.ENDPOINT_PARAM_NAME))
        {
            throw new IllegalArgumentException(name + " needs an endpoint: '" + channel + "'");
        }
        if (uri.isUdp() && !hasPort(uri.get(CommonContext.ENDPOINT_PARAM_NAME)))
        {
            // Else Aeron refuses it only when the service opens its subscription, after recovery.
            throw new IllegalArgumentException(name + " needs an endpoint of host:port, the port 0..65535: '" +
                channel + "'");
        }
    }

    private static boolean hasPort(final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        final String port = colon < 0 || endpoint.endsWith("]") ? "" : endpoint.substring(colon + 1);
        return !port.isEmpty() && port.length() <= 5 && port.chars().allMatch((c) -> c >= '0' && c <= '9') &&
            Integer.parseInt(port) <= 65535;
    }

    private static int minTermLength()
    {
        int termLengthBytes = 64 * 1024;
        while (FrameDescriptor.computeMaxMessageLength(termLengthBytes) < ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH)
        {
            termLengthBytes <<= 1;
        }
        return termLengthBytes;
    }

    private static Path pathProperty(final String name)
    {
        final String value = System.getProperty(name);
        return null == value ? null : Path.of(value);
    }
}
