package io.paycore.service.query;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.query.QueryEngine;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.CredentialGate;
import io.paycore.transport.TransportContext;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * What a {@link QueryServer} serves, where, to whom, and its limits. The clients served are those of a credentials
 * file ({@link ClientCredentials}, the file {@code paycore serve} reads): given as
 * {@link #credentials(ClientCredentials)}, or as {@link #clientsFile(Path)}, which {@link #conclude()} checks and reads
 * once.
 */
public final class QueryServerContext
{
    /** Default stream id of the request channel. */
    public static final int REQUEST_STREAM_ID_DEFAULT = 1200;
    /** Default most queries waiting at once (for the asker's write, or its channel). */
    public static final int MAX_IN_FLIGHT_DEFAULT = 64;
    /** Default most response channels answered to; the least recently used is closed past it. */
    public static final int MAX_CLIENTS_DEFAULT = 64;
    /** Default time a query waits for the asker's write to be applied and its channel to connect. */
    public static final long WAIT_TIMEOUT_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Default most credential checks running at once (a credential's first check derives its PBKDF2 key). */
    public static final int MAX_CREDENTIAL_CHECKS_DEFAULT = CredentialGate.MAX_PENDING_DEFAULT;
    /** Default most refused queries answered {@code UNAUTHENTICATED} a second; past it they go unanswered. */
    public static final int REFUSAL_REPLIES_PER_SECOND_DEFAULT = TransportContext.REFUSAL_REPLIES_PER_SECOND_DEFAULT;
    /** Type id of the query server's counters. */
    public static final int COUNTER_TYPE_ID = 1_401;

    private ChangeFeedContext journal;
    private String requestChannel;
    private int requestStreamId = REQUEST_STREAM_ID_DEFAULT;
    private int maxInFlight = MAX_IN_FLIGHT_DEFAULT;
    private int maxClients = MAX_CLIENTS_DEFAULT;
    private long waitTimeoutNanos = WAIT_TIMEOUT_NANOS_DEFAULT;
    private long maxScan = QueryEngine.MAX_SCAN_DEFAULT;
    private ClientCredentials credentials;
    private Path clientsFile;
    private int maxCredentialChecks = MAX_CREDENTIAL_CHECKS_DEFAULT;
    private int refusalRepliesPerSecond = REFUSAL_REPLIES_PER_SECOND_DEFAULT;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private EpochNanoClock epochClock = new SystemEpochNanoClock();
    private Consumer<String> log = message -> {};

    /**
     * Check the context; without {@link #credentials()} read them from {@link #clientsFile()}, once, after the
     * other checks, refusing a missing file or one users other than its owner may write.
     *
     * @return this.
     * @throws IllegalArgumentException naming what is wrong: a limit out of range, no credentials, a credentials file
     *                                  missing, malformed or writable by others.
     * @throws UncheckedIOException     if the credentials file cannot be read.
     */
    public QueryServerContext conclude()
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
        if (maxInFlight < 1)
        {
            throw new IllegalArgumentException("the most queries waiting (--max-in-flight) must be at least 1: " +
                maxInFlight);
        }
        if (maxClients < 1)
        {
            throw new IllegalArgumentException("the most response channels kept open (--max-clients) must be at " +
                "least 1: " + maxClients);
        }
        if (waitTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("the wait timeout (--wait-timeout) must be positive: " +
                waitTimeoutNanos + " ns");
        }
        if (maxScan < 1)
        {
            throw new IllegalArgumentException("the most entries a query reads (--max-scan) must be at least 1: " +
                maxScan);
        }
        if (maxCredentialChecks < 1)
        {
            throw new IllegalArgumentException("the most credential checks running (--max-credential-checks) must " +
                "be at least 1: " + maxCredentialChecks);
        }
        if (refusalRepliesPerSecond < 0)
        {
            throw new IllegalArgumentException("the most refused queries answered a second " +
                "(--refusal-answers-per-second) must not be negative: " + refusalRepliesPerSecond);
        }
        if (null == credentials)
        {
            if (null == clientsFile)
            {
                throw new IllegalArgumentException("no client credentials: give the credentials file (--clients " +
                    "FILE) the query server serves the clients of");
            }
            credentials = CredentialsFileMode.loadUsable(clientsFile);
        }
        return this;
    }

    ChangeFeedContext feedContext(final ChangeFeedContext into)
    {
        return into.directory(journal.directory()).limits(journal.limits())
            .coldTierSizeBytes(journal.coldTierSizeBytes()).coldTierParent(journal.coldTierParent());
    }

    /**
     * @param journal the data directory to follow, with the service's ledger limits and the replay's cold tier.
     * @return this.
     */
    public QueryServerContext journal(final ChangeFeedContext journal)
    {
        this.journal = journal;
        return this;
    }

    /**
     * @param requestChannel where clients send queries.
     * @return this.
     */
    public QueryServerContext requestChannel(final String requestChannel)
    {
        this.requestChannel = requestChannel;
        return this;
    }

    /**
     * @return where clients send queries.
     */
    public String requestChannel()
    {
        return requestChannel;
    }

    /**
     * @param requestStreamId stream id of the request channel.
     * @return this.
     */
    public QueryServerContext requestStreamId(final int requestStreamId)
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
     * @param maxScan most entries (transfers, balances or accounts) one query reads; past it the query is refused
     *                {@code SCAN_LIMIT}, naming the timestamp it reached.
     * @return this.
     */
    public QueryServerContext maxScan(final long maxScan)
    {
        this.maxScan = maxScan;
        return this;
    }

    /**
     * @return most entries one query reads.
     */
    public long maxScan()
    {
        return maxScan;
    }

    /**
     * @param credentials the clients served: a query whose client id and credential do not match one of them is
     *                    refused {@code UNAUTHENTICATED}, or dropped.
     * @return this.
     */
    public QueryServerContext credentials(final ClientCredentials credentials)
    {
        this.credentials = credentials;
        return this;
    }

    /**
     * @return the clients served; null until given or read by {@link #conclude()}.
     */
    public ClientCredentials credentials()
    {
        return credentials;
    }

    /**
     * @param clientsFile the credentials file to read the clients served from, when no {@link #credentials()} are
     *                    given; read once, by {@link #conclude()}.
     * @return this.
     */
    public QueryServerContext clientsFile(final Path clientsFile)
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
     * @param maxCredentialChecks most credential checks running at once (a credential's first check derives its
     *                            PBKDF2 key, off the server's thread); a query that needs one more is dropped
     *                            unanswered. A client's queries that come while its credential is checked wait for
     *                            that check, with at most {@link #maxInFlight()} queries waiting for checks.
     * @return this.
     */
    public QueryServerContext maxCredentialChecks(final int maxCredentialChecks)
    {
        this.maxCredentialChecks = maxCredentialChecks;
        return this;
    }

    /**
     * @return most credential checks running at once.
     */
    public int maxCredentialChecks()
    {
        return maxCredentialChecks;
    }

    /**
     * @param refusalRepliesPerSecond most queries refused {@code UNAUTHENTICATED} that are answered a second (each
     *                                answer opens a publication to a channel the asker named); past it they are
     *                                dropped unanswered, and counted.
     * @return this.
     */
    public QueryServerContext refusalRepliesPerSecond(final int refusalRepliesPerSecond)
    {
        this.refusalRepliesPerSecond = refusalRepliesPerSecond;
        return this;
    }

    /**
     * @return most queries refused {@code UNAUTHENTICATED} that are answered a second.
     */
    public int refusalRepliesPerSecond()
    {
        return refusalRepliesPerSecond;
    }

    /**
     * @param maxInFlight most queries waiting at once.
     * @return this.
     */
    public QueryServerContext maxInFlight(final int maxInFlight)
    {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /**
     * @return most queries waiting at once.
     */
    public int maxInFlight()
    {
        return maxInFlight;
    }

    /**
     * @param maxClients most response channels answered to.
     * @return this.
     */
    public QueryServerContext maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    /**
     * @return most response channels answered to.
     */
    public int maxClients()
    {
        return maxClients;
    }

    /**
     * @param waitTimeoutNanos how long a query waits for the asker's write and channel.
     * @return this.
     */
    public QueryServerContext waitTimeoutNanos(final long waitTimeoutNanos)
    {
        this.waitTimeoutNanos = waitTimeoutNanos;
        return this;
    }

    /**
     * @return how long a query waits for the asker's write and channel.
     */
    public long waitTimeoutNanos()
    {
        return waitTimeoutNanos;
    }

    /**
     * @param nanoClock for timeouts.
     * @return this.
     */
    public QueryServerContext nanoClock(final NanoClock nanoClock)
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
    public QueryServerContext epochClock(final EpochNanoClock epochClock)
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
     * @param log told of queries dropped and of the server stopping (one line each).
     * @return this.
     */
    public QueryServerContext log(final Consumer<String> log)
    {
        this.log = log;
        return this;
    }

    /**
     * @return told of queries dropped and of the server stopping.
     */
    public Consumer<String> log()
    {
        return log;
    }
}
