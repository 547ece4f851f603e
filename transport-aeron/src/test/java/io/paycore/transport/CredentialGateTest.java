package io.paycore.transport;

import io.paycore.codec.sbe.ConnectStatus;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialGateTest
{
    private static final long CLIENT_ID = 7;
    private static final String SECRET = "a-secret-of-sixteen-chars";

    private final CachedNanoClock clock = new CachedNanoClock();
    private CredentialGate gate;

    @AfterEach
    void tearDown()
    {
        if (null != gate)
        {
            gate.close();
        }
    }

    @Test
    void shouldPassTheRightCredentialAndRememberIt()
    {
        gate = gate(ClientCredentials.DEFAULT_ITERATIONS / 10, 4, 10);

        final CredentialGate.Check first = gate.check(CLIENT_ID, SECRET);
        assertNotNull(first);
        assertEquals(ConnectStatus.OK, await(first));

        final CredentialGate.Check second = gate.check(CLIENT_ID, SECRET);
        assertTrue(second.isDone(), "a credential that passed is checked at once the next time");
        assertTrue(second.passed());
        assertEquals(0, gate.pending());
    }

    @Test
    void shouldRefuseAWrongCredentialEveryTimeAndAnUnknownClient()
    {
        gate = gate(1, 4, 10);

        assertEquals(ConnectStatus.OK, await(gate.check(CLIENT_ID, SECRET)));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(gate.check(CLIENT_ID, SECRET + "x")),
            "a credential other than the one remembered is derived again");
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(gate.check(CLIENT_ID, SECRET + "x")));
        assertEquals(ConnectStatus.UNKNOWN_CLIENT, await(gate.check(CLIENT_ID + 1, SECRET)));
        assertEquals(ConnectStatus.OK, await(gate.check(CLIENT_ID, SECRET)), "the right one still passes");
    }

    @Test
    void shouldNotPassAtOnceACredentialThatIsNotTheOneThatPassed()
    {
        // The servers read a credential off the wire as US-ASCII: a byte above 127 becomes U+FFFD, which the key
        // derivation takes as its UTF-8 bytes. A remembered credential must be told from it as the derivation
        // tells it, not be the same once both are made US-ASCII again ('?').
        final String secret = "a-secret?-of-sixteen";
        gate = new CredentialGate(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, secret, 1)),
            "test"), "test-credentials", 4, 10, clock);
        final String fromTheWire = new String(
            "a-secret\u00ff-of-sixteen".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII);
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(gate.check(CLIENT_ID, fromTheWire)));

        assertEquals(ConnectStatus.OK, await(gate.check(CLIENT_ID, secret)));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(gate.check(CLIENT_ID, fromTheWire)),
            "a credential the derivation refuses is refused after the right one passed too");
    }

    @Test
    void shouldRefuseARequestWithoutClientIdOrCredentialAtOnce()
    {
        gate = gate(1, 4, 10);

        for (final CredentialGate.Check check : List.of(
            gate.check(0, SECRET), gate.check(-1, SECRET), gate.check(CLIENT_ID, ""), gate.check(CLIENT_ID, null)))
        {
            assertTrue(check.isDone());
            assertEquals(ConnectStatus.UNKNOWN_CLIENT, check.status());
        }
        assertEquals(0, gate.pending());
    }

    @Test
    void shouldHoldAtMostMaxPendingChecks()
    {
        final BlockingVerifier verifier = new BlockingVerifier(credentials(3, 1));
        gate = new CredentialGate(verifier.credentials, verifier, "test-credentials", 2, 10, clock);

        final CredentialGate.Check a = gate.check(CLIENT_ID, SECRET);
        final CredentialGate.Check b = gate.check(CLIENT_ID + 1, SECRET + "b");
        assertNotNull(a);
        assertNotNull(b);
        assertEquals(2, gate.pending());
        assertNull(gate.check(CLIENT_ID + 2, SECRET), "a third check while two wait is dropped");
        assertFalse(gate.droppedForAnotherCredential(), "for want of room");
        assertFalse(gate.isChecking(CLIENT_ID + 2));
        assertFalse(a.isDone());

        verifier.release.countDown();
        assertEquals(ConnectStatus.OK, await(a));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(b));
        assertEquals(0, gate.pending());
        assertTrue(gate.check(CLIENT_ID, SECRET).passed(), "a passed now");
        assertNotNull(gate.check(CLIENT_ID + 2, SECRET), "room again");
    }

    @Test
    void shouldHoldOneCheckAClientAndShareItWithTheSameCredential()
    {
        final BlockingVerifier verifier = new BlockingVerifier(credentials(2, 1));
        gate = new CredentialGate(verifier.credentials, verifier, "test-credentials", 4, 10, clock);

        final CredentialGate.Check first = gate.check(CLIENT_ID, SECRET + "x");
        assertNotNull(first);
        assertTrue(gate.isChecking(CLIENT_ID));
        assertFalse(gate.sharedRunningCheck(), "the first started it");
        assertSame(first, gate.check(CLIENT_ID, SECRET + "x"), "the same credential waits for the check running");
        assertTrue(gate.sharedRunningCheck());
        for (int i = 0; i < 10; i++)
        {
            assertNull(gate.check(CLIENT_ID, SECRET + i), "another credential of that client is dropped");
            assertTrue(gate.droppedForAnotherCredential());
        }
        assertEquals(1, gate.pending(), "a flood of wrong secrets for one client holds one check");
        final CredentialGate.Check other = gate.check(CLIENT_ID + 1, SECRET);
        assertNotNull(other, "another client is checked meanwhile");
        assertEquals(2, gate.pending());

        verifier.release.countDown();
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(first));
        assertEquals(ConnectStatus.OK, await(other));
        assertEquals(2, verifier.calls.get(), "one derivation a client");
        assertEquals(ConnectStatus.OK, await(gate.check(CLIENT_ID, SECRET)), "checked again once the first is done");
        assertFalse(gate.isChecking(CLIENT_ID));
        assertEquals(0, gate.pending());
    }

    @Test
    void shouldRefuseAClientTheFileDoesNotHoldWithoutADerivation()
    {
        final BlockingVerifier verifier = new BlockingVerifier(credentials(1, 1));
        gate = new CredentialGate(verifier.credentials, verifier, "test-credentials", 1, 10, clock);

        for (int i = 1; i <= 100; i++)
        {
            final CredentialGate.Check check = gate.check(CLIENT_ID + i, SECRET);
            assertTrue(check.isDone(), "answered at once");
            assertEquals(ConnectStatus.UNKNOWN_CLIENT, check.status());
        }
        assertEquals(0, verifier.calls.get());
        assertEquals(0, gate.pending(), "unknown clients hold no check");
        assertNotNull(gate.check(CLIENT_ID, SECRET));
    }

    @Test
    void shouldRefuseACheckThatCannotBeMadeAndFinishIt()
    {
        gate = new CredentialGate(credentials(1), (clientId, credential) ->
        {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM");
        }, "test-credentials", 2, 10, clock);

        final CredentialGate.Check check = gate.check(CLIENT_ID, SECRET);
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(check), "done, and nobody let in");
        assertEquals(0, gate.pending());
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(gate.check(CLIENT_ID, SECRET)), "the gate still checks");
    }

    @Test
    void shouldAnswerAtMostTheRefusalsOfASecond()
    {
        gate = gate(1, 4, 3);

        assertTrue(gate.mayAnswerRefusal());
        assertTrue(gate.mayAnswerRefusal());
        assertTrue(gate.mayAnswerRefusal());
        assertFalse(gate.mayAnswerRefusal());
        clock.advance(TimeUnit.MILLISECONDS.toNanos(999));
        assertFalse(gate.mayAnswerRefusal());
        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(gate.mayAnswerRefusal());
    }

    @Test
    void shouldRefuseBadLimits()
    {
        final ClientCredentials credentials = credentials(1);
        assertThrowsIllegal(() -> new CredentialGate(credentials, "x", 0, 10, clock));
        assertThrowsIllegal(() -> new CredentialGate(credentials, "x", 1, -1, clock));
    }

    @Test
    void shouldDropChecksOnceClosed()
    {
        gate = gate(1, 4, 10);
        gate.close();

        assertNull(gate.check(CLIENT_ID, SECRET));
        assertEquals(0, gate.pending());
    }

    private CredentialGate gate(final int iterations, final int maxPending, final int refusalsPerSecond)
    {
        return new CredentialGate(credentials(iterations), "test-credentials", maxPending, refusalsPerSecond, clock);
    }

    private static ClientCredentials credentials(final int iterations)
    {
        return credentials(1, iterations);
    }

    /**
     * Clients {@link #CLIENT_ID} on, each with {@link #SECRET}.
     */
    private static ClientCredentials credentials(final int clients, final int iterations)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < clients; i++)
        {
            lines.add(ClientCredentials.line(CLIENT_ID + i, SECRET, iterations));
        }
        return ClientCredentials.parse(lines, "test");
    }

    /**
     * Verifies as the credentials do once released; counts its calls.
     */
    private static final class BlockingVerifier implements CredentialGate.Verifier
    {
        final ClientCredentials credentials;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        BlockingVerifier(final ClientCredentials credentials)
        {
            this.credentials = credentials;
        }

        public ConnectStatus verify(final long clientId, final String credential)
        {
            calls.incrementAndGet();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return credentials.verify(clientId, credential);
        }
    }

    private static ConnectStatus await(final CredentialGate.Check check)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.isDone())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("check not done in 30 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return check.status();
    }

    private static void assertThrowsIllegal(final Runnable runnable)
    {
        try
        {
            runnable.run();
        }
        catch (final IllegalArgumentException expected)
        {
            return;
        }
        throw new AssertionError("expected IllegalArgumentException");
    }
}
