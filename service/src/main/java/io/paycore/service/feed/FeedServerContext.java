package io.paycore.service.feed;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.CredentialGate;
import io.paycore.transport.TransportContext;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * What a {@link FeedServer} serves, where, to whom (the clients of a credentials file), and its limits.
 */
public final class FeedServerContext
{
    /** Default stream id of the request channel. */
    public static final int REQUEST_STREAM_ID_DEFAULT = 1100;
    /** Default most subscribers served at once: each holds a replay ledger of the service's limits. */
    public static final int MAX_SUBSCRIBERS_DEFAULT = 4;
    /** Default time a subscriber's channel has to connect before the subscriber is dropped. */
    public static final long CONNECT_TIMEOUT_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** Default time a connected subscriber may take no change before it is dropped and its place freed. */
    public static final long STALL_TIMEOUT_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** Default most credential checks waiting at once (a first check derives a PBKDF2 key, tens of ms). */
    public static final int MAX_CREDENTIAL_CHECKS_DEFAULT = CredentialGate.MAX_PENDING_DEFAULT;
    /** Default most refused requests answered {@code UNAUTHENTICATED} a second; the rest are dropped unanswered. */
    public static final int REFUSAL_REPLIES_PER_SECOND_DEFAULT = TransportContext.REFUSAL_REPLIES_PER_SECOND_DEFAULT;

    private ChangeFeedContext journal;
    private String requestChannel;
    private int requestStreamId = REQUEST_STREAM_ID_DEFAULT;
    private int maxSubscribers = MAX_SUBSCRIBERS_DEFAULT;
    private long connectTimeoutNanos = CONNECT_TIMEOUT_NANOS_DEFAULT;
    private long stallTimeoutNanos = STALL_TIMEOUT_NANOS_DEFAULT;
    private ClientCredentials credentials;
    private Path clientsFile;
    private int maxCredentialChecks = MAX_CREDENTIAL_CHECKS_DEFAULT;
    private int refusalRepliesPerSecond = REFUSAL_REPLIES_PER_SECOND_DEFAULT;
    private FeedCounters counters;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private EpochNanoClock epochClock = new SystemEpochNanoClock();
    private Consumer<String> log = message -> {};

    /**
     * Check the context, and read the credentials file if credentials were not given, once: a client added to the
     * file later is served after the server's restart.
     *
     * @return this.
     * @throws IllegalArgumentException naming what is wrong: a limit out of range, no credentials, a credentials
     *                                  file that is missing, malformed, or writable by users other than its owner.
     * @throws UncheckedIOException     if the credentials file cannot be read.
     */
    public FeedServerContext conclude()
    {
        if (null == journal)
        {
            throw new IllegalArgumentException("no journal given");
        }
        journal.conclude();
        if (null == requestChannel || requestChannel.isEmpty())
        {
            throw new IllegalArgumentException("no request channel given");
        }
        if (maxSubscribers < 1)
        {
            throw new IllegalArgumentException("the most subscribers (--max-subscribers) must be at least 1: " +
                maxSubscribers);
        }
        if (connectTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("the connect timeout (--connect-timeout) must be positive: " +
                connectTimeoutNanos + " ns");
        }
        if (stallTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("the stall timeout (--stall-timeout) must be positive: " +
                stallTimeoutNanos + " ns");
        }
        if (maxCredentialChecks < 1)
        {
            throw new IllegalArgumentException("the most credential checks waiting (--max-credential-checks) must " +
                "be at least 1: " + maxCredentialChecks);
        }
        if (refusalRepliesPerSecond < 0)
        {
            throw new IllegalArgumentException("the refusals answered a second (--refusal-answers-per-second) " +
                "must not be negative: " + refusalRepliesPerSecond);
        }
        if (null == credentials)
        {
            if (null == clientsFile)
            {
                throw new IllegalArgumentException("no client credentials given: the feed server serves only the " +
                    "clients of a credentials file (--clients FILE)");
            }
            credentials = CredentialsFileMode.loadUsable(clientsFile);
        }
        return this;
    }

    /**
     * Fill in a subscriber's feed context with what every subscriber's feed follows.
     *
     * @param context to fill in.
     * @return context.
     */
    ChangeFeedContext feedContext(final ChangeFeedContext context)
    {
        return context.directory(journal.directory()).limits(journal.limits())
            .coldTierSizeBytes(journal.coldTierSizeBytes()).coldTierParent(journal.coldTierParent());
    }

    /**
     * @param journal the data directory to follow, with the service's ledger limits and each replay's cold tier.
     * @return this.
     */
    public FeedServerContext journal(final ChangeFeedContext journal)
    {
        this.journal = journal;
        return this;
    }

    /**
     * @param requestChannel the channel subscribers send {@code SubscribeFeed} to.
     * @return this.
     */
    public FeedServerContext requestChannel(final String requestChannel)
    {
        this.requestChannel = requestChannel;
        return this;
    }

    /**
     * @return the channel subscribers send {@code SubscribeFeed} to.
     */
    public String requestChannel()
    {
        return requestChannel;
    }

    /**
     * @param requestStreamId stream id of the request channel.
     * @return this.
     */
    public FeedServerContext requestStreamId(final int requestStreamId)
    {
        this.requestStreamId = requestStreamId;
        return this;
    }

    /**
     * @return stream id of the request channel.
     */
    public int requestStreamId()
    {
        return requestStreamId;
    }

    /**
     * @param maxSubscribers most subscribers served at once.
     * @return this.
     */
    public FeedServerContext maxSubscribers(final int maxSubscribers)
    {
        this.maxSubscribers = maxSubscribers;
        return this;
    }

    /**
     * @return most subscribers served at once.
     */
    public int maxSubscribers()
    {
        return maxSubscribers;
    }

    /**
     * @param connectTimeoutNanos how long a subscriber's channel has to connect.
     * @return this.
     */
    public FeedServerContext connectTimeoutNanos(final long connectTimeoutNanos)
    {
        this.connectTimeoutNanos = connectTimeoutNanos;
        return this;
    }

    /**
     * @return how long a subscriber's channel has to connect.
     */
    public long connectTimeoutNanos()
    {
        return connectTimeoutNanos;
    }

    /**
     * @param stallTimeoutNanos how long a connected subscriber may take no change (its channel back-pressured: it
     *                          stopped reading) before it is dropped and its place freed.
     * @return this.
     */
    public FeedServerContext stallTimeoutNanos(final long stallTimeoutNanos)
    {
        this.stallTimeoutNanos = stallTimeoutNanos;
        return this;
    }

    /**
     * @return how long a connected subscriber may take no change before it is dropped.
     */
    public long stallTimeoutNanos()
    {
        return stallTimeoutNanos;
    }

    /**
     * @param credentials the clients served, each with its secret (as {@code serve}'s); when given, the credentials
     *                    file is not read.
     * @return this.
     */
    public FeedServerContext credentials(final ClientCredentials credentials)
    {
        this.credentials = credentials;
        return this;
    }

    /**
     * @return the clients served; read from {@link #clientsFile()} by {@link #conclude()} if not given.
     */
    public ClientCredentials credentials()
    {
        return credentials;
    }

    /**
     * @param clientsFile the credentials file to read the clients served from, at {@link #conclude()}, when no
     *                    {@link #credentials(ClientCredentials)} are given: one {@code clientId:salt:iterations:hash}
     *                    line per client ({@code paycore clients add}), writable by its owner only.
     * @return this.
     */
    public FeedServerContext clientsFile(final Path clientsFile)
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
     * @param maxCredentialChecks most credential checks waiting at once, at least 1: a request past it is dropped
     *                            unanswered and counted as an error.
     * @return this.
     */
    public FeedServerContext maxCredentialChecks(final int maxCredentialChecks)
    {
        this.maxCredentialChecks = maxCredentialChecks;
        return this;
    }

    /**
     * @return most credential checks waiting at once.
     */
    public int maxCredentialChecks()
    {
        return maxCredentialChecks;
    }

    /**
     * @param refusalRepliesPerSecond most refused requests (no credential, an unknown client, a wrong credential)
     *                                answered {@code UNAUTHENTICATED} a second, at least 0: each answer opens a
     *                                publication to the channel the request named, so the rest are dropped
     *                                unanswered and counted as errors.
     * @return this.
     */
    public FeedServerContext refusalRepliesPerSecond(final int refusalRepliesPerSecond)
    {
        this.refusalRepliesPerSecond = refusalRepliesPerSecond;
        return this;
    }

    /**
     * @return most refused requests answered a second.
     */
    public int refusalRepliesPerSecond()
    {
        return refusalRepliesPerSecond;
    }

    /**
     * @param counters where to count (changes sent, lag, errors, subscribers); null for none.
     * @return this.
     */
    public FeedServerContext counters(final FeedCounters counters)
    {
        this.counters = counters;
        return this;
    }

    /**
     * @return where to count, or null.
     */
    public FeedCounters counters()
    {
        return counters;
    }

    /**
     * @param nanoClock for timeouts.
     * @return this.
     */
    public FeedServerContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * @return for timeouts.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param epochClock the wall clock, for the lag.
     * @return this.
     */
    public FeedServerContext epochClock(final EpochNanoClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * @return the wall clock, for the lag.
     */
    public EpochNanoClock epochClock()
    {
        return epochClock;
    }

    /**
     * @param log told of subscribers joining, leaving and refused (one line each).
     * @return this.
     */
    public FeedServerContext log(final Consumer<String> log)
    {
        this.log = log;
        return this;
    }

    /**
     * @return told of subscribers joining, leaving and refused.
     */
    public Consumer<String> log()
    {
        return log;
    }
}
