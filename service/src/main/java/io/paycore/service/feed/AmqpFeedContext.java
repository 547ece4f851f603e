package io.paycore.service.feed;

import io.paycore.journal.PropertyValues;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

import io.paycore.replay.feed.ChangeFeedContext;

/**
 * What an {@link AmqpFeedPublisher} publishes, where, and within what limits. Setters are fluent; the defaults come
 * from the system properties named beside them.
 */
public final class AmqpFeedContext
{
    /** Property naming the default of {@link #maxInFlight(int)}. */
    public static final String MAX_IN_FLIGHT_PROP_NAME = "paycore.feed.amqp.max.in.flight";
    /** Changes published and not yet confirmed, at most, by default. */
    public static final int MAX_IN_FLIGHT_DEFAULT = 4096;
    /** The largest unconfirmed window allowed. */
    public static final int MAX_IN_FLIGHT_MAX = 65_536;

    /** Property naming the default of {@link #progressIntervalMs(long)}. */
    public static final String PROGRESS_INTERVAL_PROP_NAME = "paycore.feed.amqp.progress.interval.ms";
    /** How often the progress file is rewritten while confirms come in, by default. */
    public static final long PROGRESS_INTERVAL_MS_DEFAULT = 100;

    /** Property naming the default of {@link #reconnectBackoffMaxMs(long)}. */
    public static final String RECONNECT_BACKOFF_MAX_PROP_NAME = "paycore.feed.amqp.reconnect.backoff.max.ms";
    /** The first wait before a reconnect; it doubles up to the maximum. */
    public static final long RECONNECT_BACKOFF_MIN_MS = 100;
    /** The longest wait between two reconnects, by default. */
    public static final long RECONNECT_BACKOFF_MAX_MS_DEFAULT = 5_000;

    /** Property naming the default of {@link #heartbeatSeconds(int)}. */
    public static final String HEARTBEAT_PROP_NAME = "paycore.feed.amqp.heartbeat.seconds";
    /** AMQP heartbeat asked of the broker, by default: a silent broker is given up after about twice this. */
    public static final int HEARTBEAT_SECONDS_DEFAULT = 10;

    /** Property naming the default of {@link #connectTimeoutMs(int)}. */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "paycore.feed.amqp.connect.timeout.ms";
    /** TCP connect and AMQP handshake timeout, by default. */
    public static final int CONNECT_TIMEOUT_MS_DEFAULT = 5_000;

    /** Property naming the default of {@link #drainTimeoutMs(long)}. */
    public static final String DRAIN_TIMEOUT_PROP_NAME = "paycore.feed.amqp.drain.timeout.ms";
    /** How long a stopping publisher waits for the confirms of what it sent, by default. */
    public static final long DRAIN_TIMEOUT_MS_DEFAULT = 3_000;

    /** Journal records read per poll of the change feed. */
    public static final int RECORDS_PER_POLL = 64;

    /** Exchange types AMQP 0.9.1 brokers know. */
    private static final String[] EXCHANGE_TYPES = { "topic", "direct", "fanout", "headers" };

    private ChangeFeedContext feedContext;
    private Path stateDirectory;
    private String uri;
    private String exchange;
    private String exchangeType = "topic";
    private long fromTimestampNanos;
    private boolean exitAtEnd;
    private int maxInFlight = PropertyValues.intValue(MAX_IN_FLIGHT_PROP_NAME, MAX_IN_FLIGHT_DEFAULT);
    private long progressIntervalMs =
        PropertyValues.longValue(PROGRESS_INTERVAL_PROP_NAME, PROGRESS_INTERVAL_MS_DEFAULT);
    private long reconnectBackoffMaxMs =
        PropertyValues.longValue(RECONNECT_BACKOFF_MAX_PROP_NAME, RECONNECT_BACKOFF_MAX_MS_DEFAULT);
    private int heartbeatSeconds = PropertyValues.intValue(HEARTBEAT_PROP_NAME, HEARTBEAT_SECONDS_DEFAULT);
    private int connectTimeoutMs = PropertyValues.intValue(CONNECT_TIMEOUT_PROP_NAME, CONNECT_TIMEOUT_MS_DEFAULT);
    private long drainTimeoutMs = PropertyValues.longValue(DRAIN_TIMEOUT_PROP_NAME, DRAIN_TIMEOUT_MS_DEFAULT);
    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /**
     * Check the context.
     *
     * @return this.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public AmqpFeedContext conclude()
    {
        if (null == feedContext)
        {
            throw new IllegalArgumentException("no change feed given (data directory and ledger limits)");
        }
        if (null == stateDirectory)
        {
            throw new IllegalArgumentException("no state directory given (--state)");
        }
        if (null == uri || uri.isBlank())
        {
            throw new IllegalArgumentException("no broker given: --uri amqp://user:password@host:port/vhost (or " +
                "the environment variable PAYCORE_AMQP_URI)");
        }
        final URI parsed;
        try
        {
            parsed = new URI(uri);
        }
        catch (final URISyntaxException ex)
        {
            // Not the parser's message: it quotes the whole input, password and all.
            throw new IllegalArgumentException("--uri is not a URI (" + ex.getReason() + " at index " +
                ex.getIndex() + "): " + redactedUri());
        }
        final String scheme = null == parsed.getScheme() ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme))
        {
            throw new IllegalArgumentException("--uri must start with amqp:// or amqps://: " + redactedUri());
        }
        if (null == exchange || exchange.isEmpty())
        {
            throw new IllegalArgumentException("no exchange given (--exchange); the default exchange '' cannot " +
                "be declared");
        }
        if (exchange.length() > 255 || exchange.startsWith("amq."))
        {
            throw new IllegalArgumentException("--exchange must be 1..255 characters and not start with 'amq.' " +
                "(reserved by the broker): " + exchange);
        }
        boolean knownType = false;
        for (final String type : EXCHANGE_TYPES)
        {
            knownType |= type.equals(exchangeType);
        }
        if (!knownType)
        {
            throw new IllegalArgumentException("--exchange-type must be topic, direct, fanout or headers: " +
                exchangeType);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_MAX)
        {
            throw new IllegalArgumentException("--max-in-flight must be 1.." + MAX_IN_FLIGHT_MAX + ": " +
                maxInFlight);
        }
        if (fromTimestampNanos < 0)
        {
            throw new IllegalArgumentException("--from must be >= 0: " + fromTimestampNanos);
        }
        if (progressIntervalMs < 1 || reconnectBackoffMaxMs < RECONNECT_BACKOFF_MIN_MS || heartbeatSeconds < 0 ||
            connectTimeoutMs < 1 || drainTimeoutMs < 0)
        {
            throw new IllegalArgumentException("bad timing: progress interval " + progressIntervalMs +
                " ms (>= 1), reconnect backoff max " + reconnectBackoffMaxMs + " ms (>= " +
                RECONNECT_BACKOFF_MIN_MS + "), heartbeat " + heartbeatSeconds + " s (>= 0), connect timeout " +
                connectTimeoutMs + " ms (>= 1), drain timeout " + drainTimeoutMs + " ms (>= 0)");
        }
        feedContext.conclude();
        return this;
    }

    /**
     * @param feedContext the data directory, ledger limits and cold tier of the change feed to publish; its start
     *                    is set by the publisher from {@link #fromTimestampNanos()} and the state's progress.
     * @return this.
     */
    public AmqpFeedContext feedContext(final ChangeFeedContext feedContext)
    {
        this.feedContext = feedContext;
        return this;
    }

    /**
     * @return the change feed's context.
     */
    public ChangeFeedContext feedContext()
    {
        return feedContext;
    }

    /**
     * @param stateDirectory the publisher's own directory: lock, progress and counters.
     * @return this.
     */
    public AmqpFeedContext stateDirectory(final Path stateDirectory)
    {
        this.stateDirectory = stateDirectory;
        return this;
    }

    /**
     * @return the publisher's state directory.
     */
    public Path stateDirectory()
    {
        return stateDirectory;
    }

    /**
     * @param uri the broker, {@code amqp://user:password@host:port/vhost} (or {@code amqps://}).
     * @return this.
     */
    public AmqpFeedContext uri(final String uri)
    {
        this.uri = uri;
        return this;
    }

    /**
     * @return the broker's URI, with its password.
     */
    public String uri()
    {
        return uri;
    }

    /**
     * @return the broker's URI with any password replaced by {@code ***}, for messages: everything from the first
     * colon after the user name to the last {@code @}, so that a password holding a {@code /} or an {@code @} (not
     * escaped, as a URI would need) is hidden whole; an address with an {@code @} in its path may lose more than the
     * password, never less.
     */
    public String redactedUri()
    {
        if (null == uri)
        {
            return "";
        }
        return uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*):.*@", "$1:***@");
    }

    /**
     * @param exchange the exchange to declare (durable) and publish to.
     * @return this.
     */
    public AmqpFeedContext exchange(final String exchange)
    {
        this.exchange = exchange;
        return this;
    }

    /**
     * @return the exchange published to.
     */
    public String exchange()
    {
        return exchange;
    }

    /**
     * @param exchangeType topic (the default), direct, fanout or headers.
     * @return this.
     */
    public AmqpFeedContext exchangeType(final String exchangeType)
    {
        this.exchangeType = exchangeType;
        return this;
    }

    /**
     * @return the exchange's type.
     */
    public String exchangeType()
    {
        return exchangeType;
    }

    /**
     * @param fromTimestampNanos the first change to publish when the state directory has no progress; with
     *                           progress, the publisher starts at the later of this and the progress + 1.
     * @return this.
     */
    public AmqpFeedContext fromTimestampNanos(final long fromTimestampNanos)
    {
        this.fromTimestampNanos = fromTimestampNanos;
        return this;
    }

    /**
     * @return the earliest change published.
     */
    public long fromTimestampNanos()
    {
        return fromTimestampNanos;
    }

    /**
     * @param exitAtEnd stop once every change written so far is published and confirmed, instead of following the
     *                  journal.
     * @return this.
     */
    public AmqpFeedContext exitAtEnd(final boolean exitAtEnd)
    {
        this.exitAtEnd = exitAtEnd;
        return this;
    }

    /**
     * @return whether the publisher stops at the journal's end.
     */
    public boolean exitAtEnd()
    {
        return exitAtEnd;
    }

    /**
     * @param maxInFlight changes published and not yet confirmed, at most (1..{@value #MAX_IN_FLIGHT_MAX}); when
     *                    the window is full the publisher stops reading the journal until confirms free it.
     * @return this.
     */
    public AmqpFeedContext maxInFlight(final int maxInFlight)
    {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /**
     * @return the unconfirmed window's size.
     */
    public int maxInFlight()
    {
        return maxInFlight;
    }

    /**
     * @param progressIntervalMs how often, at most, the progress file is rewritten while confirms come in; it is
     *                           also written on a clean stop. A crash loses at most this much progress, which is
     *                           republished (at least once).
     * @return this.
     */
    public AmqpFeedContext progressIntervalMs(final long progressIntervalMs)
    {
        this.progressIntervalMs = progressIntervalMs;
        return this;
    }

    /**
     * @return the progress file's rewrite interval.
     */
    public long progressIntervalMs()
    {
        return progressIntervalMs;
    }

    /**
     * @param reconnectBackoffMaxMs the longest wait between two connection attempts; waits start at
     *                              {@value #RECONNECT_BACKOFF_MIN_MS} ms and double.
     * @return this.
     */
    public AmqpFeedContext reconnectBackoffMaxMs(final long reconnectBackoffMaxMs)
    {
        this.reconnectBackoffMaxMs = reconnectBackoffMaxMs;
        return this;
    }

    /**
     * @return the longest wait between two connection attempts.
     */
    public long reconnectBackoffMaxMs()
    {
        return reconnectBackoffMaxMs;
    }

    /**
     * @param heartbeatSeconds the AMQP heartbeat asked for; 0 for none.
     * @return this.
     */
    public AmqpFeedContext heartbeatSeconds(final int heartbeatSeconds)
    {
        this.heartbeatSeconds = heartbeatSeconds;
        return this;
    }

    /**
     * @return the AMQP heartbeat asked for.
     */
    public int heartbeatSeconds()
    {
        return heartbeatSeconds;
    }

    /**
     * @param connectTimeoutMs TCP connect and AMQP handshake timeout.
     * @return this.
     */
    public AmqpFeedContext connectTimeoutMs(final int connectTimeoutMs)
    {
        this.connectTimeoutMs = connectTimeoutMs;
        return this;
    }

    /**
     * @return the connect timeout.
     */
    public int connectTimeoutMs()
    {
        return connectTimeoutMs;
    }

    /**
     * @param drainTimeoutMs how long a stopping publisher waits for the confirms of what it sent before it writes
     *                       its progress and closes; what is still unconfirmed is published again at the next start.
     * @return this.
     */
    public AmqpFeedContext drainTimeoutMs(final long drainTimeoutMs)
    {
        this.drainTimeoutMs = drainTimeoutMs;
        return this;
    }

    /**
     * @return the drain timeout.
     */
    public long drainTimeoutMs()
    {
        return drainTimeoutMs;
    }

    /**
     * @param out where status lines go (start, connected, stopped).
     * @return this.
     */
    public AmqpFeedContext out(final PrintStream out)
    {
        this.out = out;
        return this;
    }

    /**
     * @return where status lines go.
     */
    public PrintStream out()
    {
        return out;
    }

    /**
     * @param err where errors go, each also counted.
     * @return this.
     */
    public AmqpFeedContext err(final PrintStream err)
    {
        this.err = err;
        return this;
    }

    /**
     * @return where errors go.
     */
    public PrintStream err()
    {
        return err;
    }
}
