package io.paycore.transport;

import io.paycore.codec.sbe.ConnectStatus;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets in the requests of a server that has no session, such as a feed server's {@code SubscribeFeed} or a query
 * server's queries, each of which carries a client id and credential: only the clients of a credentials file
 * ({@link ClientCredentials}, the file {@code serve} reads) are served.
 * <p>
 * A credential's first check derives its PBKDF2 key, tens of milliseconds, on a thread of the gate's own, so the
 * server's thread never waits for it: {@link #check(long, String)} hands back a {@link Check} that the server polls.
 * A credential that passed is remembered (as an HMAC under a key made at start, never in clear), so the next request
 * of that client is checked at once, in microseconds. A client id the file does not hold is refused at once, with no
 * derivation. A client has at most one check at a time: a request with the credential of the check running waits for
 * that check, and one with another credential is dropped ({@link #check(long, String)} answers null,
 * {@link #isChecking(long)} true), so a flood of wrong secrets for one client id holds one check, not all of them.
 * At most {@link #maxPending()} checks wait at once; past that {@link #check(long, String)} answers null too and the
 * server drops the request. Answers to refused requests are rationed by {@link #mayAnswerRefusal()}, so that a flood
 * of bad requests cannot make the server open a publication for each.
 * <p>
 * <b>Threading</b>: {@link #check(long, String)}, {@link #droppedForAnotherCredential()},
 * {@link #sharedRunningCheck()} and {@link #mayAnswerRefusal()} on the server's thread; the key derivations on the gate's thread, which is a daemon
 * and is stopped by {@link #close()}.
 */
public final class CredentialGate implements AutoCloseable
{
    /**
     * Default of {@link #maxPending()}.
     */
    public static final int MAX_PENDING_DEFAULT = 16;

    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final Check PASSED = new Check(ConnectStatus.OK);
    private static final Check UNKNOWN = new Check(ConnectStatus.UNKNOWN_CLIENT);

    private final ClientCredentials credentials;
    private final Verifier verifier;
    private final int maxPending;
    private final PerSecondRation refusals;
    private final Mac serverMac;
    private final Mac checkerMac;
    private final ConcurrentHashMap<Long, byte[]> passed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private boolean droppedForAnotherCredential;
    private boolean sharedRunningCheck;
    private final ExecutorService checker;

    /**
     * @param credentials             the clients let in.
     * @param name                    names the gate's thread, such as {@code paycore-query-credentials}.
     * @param maxPending              most checks waiting at once, at least 1.
     * @param refusalRepliesPerSecond most refusals {@link #mayAnswerRefusal()} lets through a second, at least 0.
     * @param clock                   for the refusals' second.
     */
    public CredentialGate(
        final ClientCredentials credentials,
        final String name,
        final int maxPending,
        final int refusalRepliesPerSecond,
        final NanoClock clock)
    {
        this(credentials, credentials::verify, name, maxPending, refusalRepliesPerSecond, clock);
    }

    CredentialGate(
        final ClientCredentials credentials,
        final Verifier verifier,
        final String name,
        final int maxPending,
        final int refusalRepliesPerSecond,
        final NanoClock clock)
    {
        if (maxPending < 1)
        {
            throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
        }
        if (refusalRepliesPerSecond < 0)
        {
            throw new IllegalArgumentException("refusalRepliesPerSecond must be at least 0: " +
                refusalRepliesPerSecond);
        }
        this.credentials = credentials;
        this.verifier = verifier;
        this.maxPending = maxPending;
        this.refusals = new PerSecondRation(refusalRepliesPerSecond, clock);
        final byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        final SecretKeySpec key = new SecretKeySpec(keyBytes, MAC_ALGORITHM);
        this.serverMac = newMac(key);
        this.checkerMac = newMac(key);
        this.checker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            (runnable) ->
            {
                final Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            });
    }

    /**
     * Check a request's client id and credential.
     *
     * @param clientId   the client id the request names.
     * @param credential the credential it carries.
     * @return a check that is done already when the credential passed before (or cannot pass: no client id, or one
     * the credentials file does not hold), the check running for this client id and credential, one that the gate's
     * thread completes, or null when a check of another credential runs for this client id ({@link
     * #isChecking(long)}) or {@link #maxPending()} checks wait already.
     */
    public Check check(final long clientId, final String credential)
    {
        sharedRunningCheck = false;
        if (clientId <= 0 || null == credential || credential.isEmpty() || !credentials.contains(clientId))
        {
            return UNKNOWN;
        }
        final byte[] mac = mac(serverMac, credential);
        final byte[] remembered = passed.get(clientId);
        if (null != remembered && MessageDigest.isEqual(remembered, mac))
        {
            return PASSED;
        }
        final Running other = running.get(clientId);
        if (null != other)
        {
            sharedRunningCheck = MessageDigest.isEqual(other.mac, mac);
            droppedForAnotherCredential = !sharedRunningCheck;
            return sharedRunningCheck ? other.check : null;
        }
        droppedForAnotherCredential = false;
        if (pending.get() >= maxPending)
        {
            return null;
        }

        final Running check = new Running(mac);
        running.put(clientId, check);
        pending.incrementAndGet();
        try
        {
            checker.execute(() -> derive(check, clientId, credential));
        }
        catch (final RuntimeException ex)
        {
            running.remove(clientId, check);
            pending.decrementAndGet();
            return null; // closed
        }
        return check.check;
    }

    /**
     * Why the last {@link #check(long, String)} that answered null did: on the caller's thread, as that call was made,
     * so that a check ending in between does not change the answer.
     *
     * @return true when a check of another credential of that client ran, false when {@link #maxPending()} checks
     * waited already or the gate was closed.
     */
    public boolean droppedForAnotherCredential()
    {
        return droppedForAnotherCredential;
    }

    /**
     * Whether the last {@link #check(long, String)} answered a check that ran already, for an earlier request with
     * the same client id and credential; on the caller's thread, as that call was made.
     *
     * @return true for a shared check, false for one started by that call, done at once, or null.
     */
    public boolean sharedRunningCheck()
    {
        return sharedRunningCheck;
    }

    /**
     * @param clientId a client id.
     * @return whether a check of a credential of this client runs now.
     */
    public boolean isChecking(final long clientId)
    {
        return running.containsKey(clientId);
    }

    /**
     * Whether a refused request may be answered now: at most {@code refusalRepliesPerSecond} a second are.
     *
     * @return true to answer it, false to drop it unanswered.
     */
    public boolean mayAnswerRefusal()
    {
        return refusals.tryTake();
    }

    /**
     * @return most checks waiting at once.
     */
    public int maxPending()
    {
        return maxPending;
    }

    /**
     * @return checks waiting now.
     */
    public int pending()
    {
        return pending.get();
    }

    /**
     * @return the clients let in.
     */
    public ClientCredentials credentials()
    {
        return credentials;
    }

    /**
     * Stop the gate's thread; checks still waiting are never done.
     */
    public void close()
    {
        checker.shutdownNow();
        CloseHelper.quietClose(() ->
        {
            try
            {
                checker.awaitTermination(1, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void derive(final Running running, final long clientId, final String credential)
    {
        // A check that cannot be made (the JVM lacks the algorithm, say) lets nobody in, and is done all the same:
        // the server waits for no check for ever.
        ConnectStatus status = ConnectStatus.BAD_CREDENTIAL;
        try
        {
            status = verifier.verify(clientId, credential);
            if (ConnectStatus.OK == status)
            {
                passed.put(clientId, mac(checkerMac, credential));
            }
        }
        finally
        {
            // Done last, so that a server that sees the check done sees its place free too.
            this.running.remove(clientId, running);
            pending.decrementAndGet();
            running.check.status = status;
        }
    }

    private static Mac newMac(final SecretKeySpec key)
    {
        try
        {
            final Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(MAC_ALGORITHM + " is not available in this JVM", ex);
        }
    }

    private static byte[] mac(final Mac mac, final String credential)
    {
        // The bytes PBKDF2 derives from (UTF-8): as US-ASCII, a character read off the wire from a byte above 127
        // (U+FFFD) would be '?', and such a credential would pass here where the derivation refuses it.
        return mac.doFinal(credential.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A check the gate's thread has not done yet, and the HMAC of the credential it checks.
     */
    private static final class Running
    {
        final byte[] mac;
        final Check check = new Check(null);

        Running(final byte[] mac)
        {
            this.mac = mac;
        }
    }

    /**
     * Derives and compares: {@link ClientCredentials#verify(long, String)}, or a stand-in in tests.
     */
    interface Verifier
    {
        ConnectStatus verify(long clientId, String credential);
    }

    /**
     * The outcome of one check, polled by the server's thread.
     */
    public static final class Check
    {
        volatile ConnectStatus status;

        Check(final ConnectStatus status)
        {
            this.status = status;
        }

        /**
         * @return true once the check is done.
         */
        public boolean isDone()
        {
            return null != status;
        }

        /**
         * @return {@link ConnectStatus#OK}, {@link ConnectStatus#UNKNOWN_CLIENT} or
         * {@link ConnectStatus#BAD_CREDENTIAL} once done; null before.
         */
        public ConnectStatus status()
        {
            return status;
        }

        /**
         * @return true once done, if the credential passed.
         */
        public boolean passed()
        {
            return ConnectStatus.OK == status;
        }
    }
}
