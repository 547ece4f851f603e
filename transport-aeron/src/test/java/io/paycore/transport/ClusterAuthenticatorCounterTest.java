package io.paycore.transport;

import io.aeron.security.Authenticator;
import io.aeron.security.SessionProxy;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logins-refused counter is handed to the supplier by the service's thread and taken back (null) before that
 * thread closes it, while the consensus module's thread counts refusals on it: once taken back, it must not be
 * counted on again, or a closed counter's slot (another counter's, once reused) is written.
 */
class ClusterAuthenticatorCounterTest
{
    private static final ClientCredentials CREDENTIALS =
        ClientCredentials.parse(List.of(ClientCredentials.line(42, "s3cret", 1_000)), "test");
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(8);

    @Test
    void shouldNotCountOnACounterTakenBack() throws InterruptedException
    {
        final ClusterAuthenticator.Supplier supplier = ClusterAuthenticator.supplier(
            CREDENTIALS, Throwable::printStackTrace);
        final Authenticator authenticator = supplier.get();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong refusals = new AtomicLong();
        final Thread consensus = new Thread(() ->
        {
            final Unknown unknown = new Unknown();
            while (running.get())
            {
                // A session it never saw connect: refused at once, and counted.
                authenticator.onConnectedSession(unknown, 0);
                final long count = refusals.get() + 1;
                refusals.lazySet(count);
                if (0 == (count & 63))
                {
                    Thread.yield();
                }
            }
        }, "consensus");
        final AtomicLong lateIncrements = new AtomicLong();
        consensus.start();
        try
        {
            final AtomicBuffer values = new UnsafeBuffer(new byte[64]);
            final long deadline = System.nanoTime() + RUN_NANOS;
            while (System.nanoTime() < deadline && 0 == lateIncrements.get())
            {
                final TakenBackCounter counter = new TakenBackCounter(values, lateIncrements);
                supplier.refusedCounter(counter);
                final long before = refusals.get();
                while (refusals.get() == before && running.get())
                {
                    Thread.yield();
                }
                supplier.refusedCounter(null);
                counter.takenBack = true;
            }
        }
        finally
        {
            running.set(false);
            consensus.join();
            supplier.close();
        }
        assertTrue(refusals.get() > 0);
        assertEquals(0, lateIncrements.get(), "refusals counted on a counter already taken back");
    }

    private static final class TakenBackCounter extends AtomicCounter
    {
        private final AtomicLong lateIncrements;
        volatile boolean takenBack;

        TakenBackCounter(final AtomicBuffer buffer, final AtomicLong lateIncrements)
        {
            super(buffer, 0);
            this.lateIncrements = lateIncrements;
        }

        public long increment()
        {
            if (takenBack)
            {
                lateIncrements.incrementAndGet();
            }
            return super.increment();
        }
    }

    private static final class Unknown implements SessionProxy
    {
        public long sessionId()
        {
            return 7;
        }

        public boolean challenge(final byte[] encodedChallenge)
        {
            return true;
        }

        public boolean authenticate(final byte[] encodedPrincipal)
        {
            return true;
        }

        public void reject()
        {
        }
    }
}
