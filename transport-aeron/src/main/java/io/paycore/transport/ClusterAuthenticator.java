package io.paycore.transport;

import io.aeron.security.Authenticator;
import io.aeron.security.AuthenticatorSupplier;
import io.aeron.security.CredentialsSupplier;
import io.aeron.security.SessionProxy;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.ConnectStatus;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs clients in to a paycore cluster: the consensus module's {@link Authenticator}, checking the client id and
 * secret a client presents ({@link #encodeCredentials}) against the same credentials file {@code serve} uses.
 * <p>
 * Deriving a key from a secret takes tens of milliseconds, too long for the consensus module's thread, which must
 * keep sending heartbeats. So a connect request only queues the check for a verifier thread of this
 * authenticator's own, and the session waits, {@code CONNECTED} but not yet authenticated, until the verdict is in;
 * the consensus module asks again on each duty cycle. At most {@link #MAX_PENDING} logins wait at once: past that a
 * request is refused at once. A refused client's session is rejected, so it is never opened, and the client's
 * connect fails; Aeron's rejection carries no reason, so the client cannot tell an unknown id from a wrong secret.
 * <p>
 * One per consensus module ({@link #supplier}); threads: the {@link Authenticator} methods on the consensus
 * module's, the checks on the verifier's, the counts on any.
 */
public final class ClusterAuthenticator implements Authenticator, AutoCloseable
{
    /**
     * Most logins waiting for their check at once.
     */
    public static final int MAX_PENDING = 64;

    /**
     * How long a login may wait for its verdict before it is forgotten (the consensus module times out the session
     * well before).
     */
    static final long PENDING_TIMEOUT_MS = 60_000;

    private final ClientCredentials credentials;
    private final Runnable onRefused;
    private final Long2ObjectHashMap<Login> pending = new Long2ObjectHashMap<>();
    private final OneToOneConcurrentArrayQueue<Login> toCheck = new OneToOneConcurrentArrayQueue<>(MAX_PENDING);
    private final AgentRunner verifierRunner;
    private final List<Long> expired = new ArrayList<>();
    private volatile long accepted;
    private volatile long refused;

    /**
     * Start an authenticator and its verifier thread.
     *
     * @param credentials  the clients allowed.
     * @param errorHandler for the verifier thread's errors.
     */
    public ClusterAuthenticator(final ClientCredentials credentials, final ErrorHandler errorHandler)
    {
        this(credentials, errorHandler, () -> {});
    }

    private ClusterAuthenticator(
        final ClientCredentials credentials, final ErrorHandler errorHandler, final Runnable onRefused)
    {
        this.credentials = credentials;
        this.onRefused = onRefused;
        verifierRunner = new AgentRunner(
            new SleepingMillisIdleStrategy(1), errorHandler, null, new Verifier());
        AgentRunner.startOnThread(verifierRunner);
    }

    /**
     * A supplier for the consensus module's context: each call starts a new authenticator (the consensus module
     * asks for one each time it starts) and closes the one before it; closing the supplier closes the last.
     *
     * @param credentials  the clients allowed.
     * @param errorHandler for the verifier threads' errors.
     * @return the supplier.
     */
    public static Supplier supplier(final ClientCredentials credentials, final ErrorHandler errorHandler)
    {
        return new Supplier(credentials, errorHandler);
    }

    /**
     * Makes the consensus module's authenticators, and stops the last one's verifier thread when closed.
     */
    public static final class Supplier implements AuthenticatorSupplier, AutoCloseable
    {
        private final ClientCredentials credentials;
        private final ErrorHandler errorHandler;
        private ClusterAuthenticator last;
        private boolean closed;
        private volatile AtomicCounter refusedCounter;

        private Supplier(final ClientCredentials credentials, final ErrorHandler errorHandler)
        {
            this.credentials = credentials;
            this.errorHandler = errorHandler;
        }

        public synchronized Authenticator get()
        {
            if (closed)
            {
                throw new IllegalStateException("the authenticator supplier is closed");
            }
            CloseHelper.quietClose(last);
            last = new ClusterAuthenticator(credentials, errorHandler, this::onRefused);
            return last;
        }

        /**
         * @param counter counts every login refused from now on, by whichever authenticator; not closed here. Once
         *                this returns, the counter it replaces is not counted on again, so it may be closed.
         */
        public synchronized void refusedCounter(final AtomicCounter counter)
        {
            refusedCounter = counter;
        }

        // Under the lock: the consensus module's thread must not count on a counter the service's thread has taken
        // back (to close it) between the read and the increment. Refusals are off the hot path.
        private synchronized void onRefused()
        {
            final AtomicCounter counter = refusedCounter;
            if (null != counter)
            {
                counter.increment();
            }
        }

        /**
         * @return the authenticator made last, or null if none yet.
         */
        public synchronized ClusterAuthenticator current()
        {
            return last;
        }

        public synchronized void close()
        {
            closed = true;
            CloseHelper.quietClose(last);
            last = null;
        }
    }

    /**
     * The credentials a client presents to a paycore cluster: its id (8 bytes, little-endian) then its secret
     * (UTF-8).
     *
     * @param clientId the client's id, as in the credentials file.
     * @param secret   the client's secret.
     * @return the encoded credentials.
     */
    public static byte[] encodeCredentials(final long clientId, final String secret)
    {
        final byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        final byte[] encoded = new byte[Long.BYTES + secretBytes.length];
        new UnsafeBuffer(encoded).putLong(0, clientId, ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(secretBytes, 0, encoded, Long.BYTES, secretBytes.length);
        return encoded;
    }

    /**
     * What a client of a paycore cluster gives Aeron Cluster's client to log in with: its id and secret, presented
     * when it connects (and again to each new leader).
     *
     * @param clientId the client's id, as in the credentials file.
     * @param secret   the client's secret.
     * @return the credentials supplier.
     */
    public static CredentialsSupplier credentialsSupplier(final long clientId, final String secret)
    {
        final byte[] encoded = encodeCredentials(clientId, secret);
        return new CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                return encoded;
            }

            public byte[] onChallenge(final byte[] encodedChallenge)
            {
                return encoded;
            }
        };
    }

    public void onConnectRequest(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        // Only a login queued for its check is held: a session held nothing for is refused when the consensus
        // module asks (decide), so a refused Connect costs no memory and the logins held stay within MAX_PENDING.
        forgetExpired(nowMs);
        if (null == encodedCredentials || encodedCredentials.length <= Long.BYTES ||
            encodedCredentials.length > Long.BYTES + ProtocolLimits.MAX_VAR_DATA_LENGTH * 4 ||
            pending.size() >= MAX_PENDING)
        {
            return;
        }
        final Login login = new Login(nowMs);
        login.clientId = new UnsafeBuffer(encodedCredentials).getLong(0, ByteOrder.LITTLE_ENDIAN);
        login.secret = new String(
            encodedCredentials, Long.BYTES, encodedCredentials.length - Long.BYTES, StandardCharsets.UTF_8);
        if (toCheck.offer(login))
        {
            pending.put(sessionId, login);
        }
    }

    public void onChallengeResponse(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        // paycore never challenges: a response is from no client of ours, and the session, held nothing for, is
        // refused when the consensus module asks.
    }

    public void onConnectedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        decide(sessionProxy);
    }

    public void onChallengedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        decide(sessionProxy);
    }

    /**
     * @return logins accepted since this authenticator started. Any thread.
     */
    public long accepted()
    {
        return accepted;
    }

    /**
     * @return logins refused since this authenticator started: unknown client, wrong secret, malformed credentials,
     * or too many waiting. Any thread.
     */
    public long refused()
    {
        return refused;
    }

    /**
     * @return logins held now, waiting for their check or for the consensus module to ask for their verdict; at
     * most {@link #MAX_PENDING}. The consensus module's thread.
     */
    int waiting()
    {
        return pending.size();
    }

    /**
     * Stop the verifier thread.
     */
    public void close()
    {
        CloseHelper.close(verifierRunner);
    }

    private void decide(final SessionProxy sessionProxy)
    {
        final long sessionId = sessionProxy.sessionId();
        final Login login = pending.get(sessionId);
        if (null == login)
        {
            sessionProxy.reject();
            refused++;
            onRefused.run();
            return;
        }
        final ConnectStatus status = login.status;
        if (null == status)
        {
            return;
        }
        if (ConnectStatus.OK == status)
        {
            final byte[] principal = new byte[Long.BYTES];
            new UnsafeBuffer(principal).putLong(0, login.clientId, ByteOrder.LITTLE_ENDIAN);
            if (!sessionProxy.authenticate(principal))
            {
                // The session's answer could not be sent now: ask again on the next duty cycle.
                return;
            }
            accepted++;
        }
        else
        {
            sessionProxy.reject();
            refused++;
            onRefused.run();
        }
        pending.remove(sessionId);
    }

    private void forgetExpired(final long nowMs)
    {
        if (pending.isEmpty())
        {
            return;
        }
        expired.clear();
        pending.forEach((sessionId, login) ->
        {
            if (nowMs - login.startMs > PENDING_TIMEOUT_MS)
            {
                expired.add(sessionId);
            }
        });
        for (final Long sessionId : expired)
        {
            pending.remove(sessionId.longValue());
        }
    }

    private static final class Login
    {
        final long startMs;
        long clientId;
        String secret;
        volatile ConnectStatus status;

        Login(final long startMs)
        {
            this.startMs = startMs;
        }
    }

    private final class Verifier implements Agent
    {
        public int doWork()
        {
            final Login login = toCheck.poll();
            if (null == login)
            {
                return 0;
            }
            login.status = credentials.verify(login.clientId, login.secret);
            login.secret = null;
            return 1;
        }

        public String roleName()
        {
            return "paycore-cluster-authenticator";
        }
    }
}
