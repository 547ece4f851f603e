package io.paycore.transport;

import io.aeron.security.SessionProxy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterAuthenticatorTest
{
    private static final long CLIENT_ID = 42;
    private static final String SECRET = "s3cret";
    private static final ClientCredentials CREDENTIALS =
        ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1_000)), "test");

    private final ClusterAuthenticator authenticator =
        new ClusterAuthenticator(CREDENTIALS, Throwable::printStackTrace);

    @AfterEach
    void close()
    {
        authenticator.close();
    }

    @Test
    void shouldAuthenticateAKnownClientWithItsIdAsPrincipal()
    {
        final Session session = connect(1, ClusterAuthenticator.encodeCredentials(CLIENT_ID, SECRET));
        assertEquals("authenticated", session.outcome);
        assertEquals(CLIENT_ID, new UnsafeBuffer(session.principal).getLong(0, ByteOrder.LITTLE_ENDIAN));
        assertEquals(1, authenticator.accepted());
        assertEquals(0, authenticator.refused());
    }

    @Test
    void shouldRejectAWrongSecretAnUnknownClientAndMalformedCredentials()
    {
        assertEquals("rejected", connect(1, ClusterAuthenticator.encodeCredentials(CLIENT_ID, "wrong")).outcome);
        assertEquals("rejected", connect(2, ClusterAuthenticator.encodeCredentials(CLIENT_ID + 1, SECRET)).outcome);
        assertEquals("rejected", connect(3, new byte[3]).outcome);
        assertEquals("rejected", connect(4, null).outcome);
        assertEquals(4, authenticator.refused());
        assertEquals(0, authenticator.accepted());
    }

    @Test
    void shouldRejectASessionItNeverSawConnectAndAnyChallengeResponse()
    {
        final Session unknown = new Session(9);
        authenticator.onConnectedSession(unknown, 0);
        assertEquals("rejected", unknown.outcome);

        final Session challenged = new Session(10);
        authenticator.onChallengeResponse(10, ClusterAuthenticator.encodeCredentials(CLIENT_ID, SECRET), 0);
        authenticator.onChallengedSession(challenged, 0);
        assertEquals("rejected", challenged.outcome);
    }

    @Test
    void shouldRefuseLoginsBeyondThoseItMayCheckAtOnce()
    {
        final byte[] credentials = ClusterAuthenticator.encodeCredentials(CLIENT_ID, SECRET);
        for (int i = 0; i < ClusterAuthenticator.MAX_PENDING; i++)
        {
            authenticator.onConnectRequest(i, credentials, 0);
        }
        authenticator.onConnectRequest(ClusterAuthenticator.MAX_PENDING, credentials, 0);
        final Session over = new Session(ClusterAuthenticator.MAX_PENDING);
        authenticator.onConnectedSession(over, 0);
        assertEquals("rejected", over.outcome, "one more than may wait is refused at once");

        for (int i = 0; i < ClusterAuthenticator.MAX_PENDING; i++)
        {
            final Session session = await(new Session(i));
            assertEquals("authenticated", session.outcome, "login " + i);
        }
    }

    @Test
    void shouldHoldNoMoreThanTheLoginsItMayCheckAtOnceWhenTheConsensusModuleNeverAsks()
    {
        // The consensus module forgets a session it never asks about (a response channel that fails or never
        // connects): a flood of such Connects, with good or bad credentials, must not grow the logins held.
        final byte[] good = ClusterAuthenticator.encodeCredentials(CLIENT_ID, SECRET);
        final byte[] bad = new byte[3];
        for (int i = 0; i < 10_000; i++)
        {
            authenticator.onConnectRequest(i, 0 == (i & 1) ? good : bad, 0);
        }
        assertTrue(authenticator.waiting() <= ClusterAuthenticator.MAX_PENDING, "held " + authenticator.waiting());

        final Session over = new Session(9_999);
        authenticator.onConnectedSession(over, 0);
        assertEquals("rejected", over.outcome, "a login past those held is still refused");
        assertEquals(1, authenticator.refused());
    }

    @Test
    void shouldKeepASessionWaitingUntilItsCheckIsDone()
    {
        authenticator.onConnectRequest(1, ClusterAuthenticator.encodeCredentials(CLIENT_ID, SECRET), 0);
        final Session session = new Session(1);
        // Asked at once, the verdict may not be in: then nothing is decided yet, and asking again decides it.
        authenticator.onConnectedSession(session, 0);
        assertTrue(null == session.outcome || "authenticated".equals(session.outcome));
        assertEquals("authenticated", await(session).outcome);
    }

    @Test
    void shouldEncodeTheClientIdThenTheSecret()
    {
        final byte[] encoded = ClusterAuthenticator.encodeCredentials(7, "ab");
        assertEquals(Long.BYTES + 2, encoded.length);
        assertEquals(7, new UnsafeBuffer(encoded).getLong(0, ByteOrder.LITTLE_ENDIAN));
        assertEquals('a', encoded[8]);
        assertEquals('b', encoded[9]);
    }

    private Session connect(final long sessionId, final byte[] credentials)
    {
        authenticator.onConnectRequest(sessionId, credentials, 0);
        return await(new Session(sessionId));
    }

    private Session await(final Session session)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (null == session.outcome && System.nanoTime() < deadline)
        {
            authenticator.onConnectedSession(session, 0);
            Thread.onSpinWait();
            if (null == session.outcome)
            {
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return session;
    }

    private static final class Session implements SessionProxy
    {
        private final long sessionId;
        String outcome;
        byte[] principal;

        Session(final long sessionId)
        {
            this.sessionId = sessionId;
        }

        public long sessionId()
        {
            return sessionId;
        }

        public boolean challenge(final byte[] encodedChallenge)
        {
            outcome = "challenged";
            return true;
        }

        public boolean authenticate(final byte[] encodedPrincipal)
        {
            outcome = "authenticated";
            principal = encodedPrincipal;
            return true;
        }

        public void reject()
        {
            outcome = "rejected";
        }
    }
}
