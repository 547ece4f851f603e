package io.paycore.transport;

import io.paycore.codec.sbe.ConnectStatus;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void shouldHoldAtMostMaxPendingChecks() throws InterruptedException
    {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ClientCredentials credentials = credentials(1);
        gate = new CredentialGate(credentials, (clientId, credential) ->
        {
            started.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return credentials.verify(clientId, credential);
        }, "test-credentials", 2, 10, clock);

        final CredentialGate.Check a = gate.check(CLIENT_ID, SECRET);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        final CredentialGate.Check b = gate.check(CLIENT_ID, SECRET + "b");
        assertNotNull(a);
        assertNotNull(b);
        assertEquals(2, gate.pending());
        assertNull(gate.check(CLIENT_ID, SECRET + "c"), "a third check while two wait is dropped");
        assertFalse(a.isDone());

        release.countDown();
        assertEquals(ConnectStatus.OK, await(a));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, await(b));
        assertEquals(0, gate.pending());
        assertTrue(gate.check(CLIENT_ID, SECRET).passed(), "a passed now");
        assertNotNull(gate.check(CLIENT_ID, SECRET + "d"), "room again");
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
        return ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, iterations)), "test");
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
