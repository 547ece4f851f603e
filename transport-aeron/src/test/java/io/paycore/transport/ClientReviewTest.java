package io.paycore.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an application embedding {@link PaycoreClient} (single service) sees, from a review of the client library on
 * 2026-12-07: each test failed before its fix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientReviewTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestService service;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
        CloseHelper.closeAll(service);
    }

    /**
     * The README: "A missing service is a {@code PaycoreClientException} naming the channel and stream after the
     * connect timeout". A stopped service leaves its embedded driver's directory behind ({@code DIR/aeron}, not
     * deleted on shutdown), and that is what a client of a service that is down finds: connect then blocked for
     * Aeron's own 10 s driver timeout, whatever the connect timeout, and threw Aeron's
     * {@code DriverTimeoutException} ("FATAL - no driver heartbeat detected"), which names neither the service nor
     * what to do. An application that catches {@code PaycoreClientException} to retry or fail over never saw it.
     */
    @Test
    void shouldSayNoServiceWithinTheConnectTimeoutWhenTheServicesDriverIsGone()
    {
        service = new TestService(dir, false, (context) -> {});
        final ClientContext context = service.clientContext(TestService.CLIENT_A, TestService.SECRET_A)
            .connectTimeoutNanos(CONNECT_TIMEOUT_NANOS);
        service.close();
        service = null;

        assertNoServiceWithinTheConnectTimeout(context);
    }

    /**
     * As above, for an Aeron directory with no driver at all (the service never started, or a wrong directory):
     * Aeron's 10 s wait for its CnC file, then {@code DriverTimeoutException: CnC file not created}.
     */
    @Test
    void shouldSayNoServiceWithinTheConnectTimeoutWhenThereIsNoDriver()
    {
        final ClientContext context = new ClientContext()
            .aeronDirectoryName(dir.resolve("no-driver-here").toString())
            .clientId(TestService.CLIENT_A)
            .secret(TestService.SECRET_A)
            .ingressChannel("aeron:ipc")
            .ingressStreamId(TestService.INGRESS_STREAM_ID)
            .responseChannel("aeron:ipc")
            .responseStreamId(2001)
            .connectTimeoutNanos(CONNECT_TIMEOUT_NANOS);

        assertNoServiceWithinTheConnectTimeout(context);
    }

    /**
     * A cluster's client with no media driver of its own waited Aeron's 10 s and threw its
     * {@code DriverTimeoutException}, whatever its connect timeout. No cluster is needed to show it.
     */
    @Test
    void shouldSayNoDriverWithinTheConnectTimeoutForAClustersClient()
    {
        final ClientContext context = new ClientContext()
            .aeronDirectoryName(dir.resolve("no-driver-here").toString())
            .clusterIngressEndpoints("0=localhost:28490")
            .clientId(TestService.CLIENT_A)
            .secret(TestService.SECRET_A)
            .connectTimeoutNanos(CONNECT_TIMEOUT_NANOS);
        final long startNanos = System.nanoTime();
        final Throwable thrown = assertThrows(Throwable.class, () -> PaycoreClient.connect(context).close());
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

        assertEquals(PaycoreClientException.class, thrown.getClass(), thrown.toString());
        assertTrue(thrown.getMessage().contains("no media driver is running in " + context.aeronDirectoryName()),
            thrown.getMessage());
        assertTrue(elapsedMillis < 8_000, "connect took " + elapsedMillis + " ms");
    }

    /**
     * A listener that throws (the application failed to record an answer, say) had its exception swallowed: Aeron's
     * {@code Image.poll} catches what a fragment handler throws and hands it to the Aeron client's error handler,
     * which for the client's own Aeron only noted it (and later reported it as the Aeron reason of an unrelated
     * disconnection). {@code poll} returned normally, the answer was consumed, and the application never learnt
     * that it had lost it. The exception must reach the caller of {@code poll}; the answers after it stay
     * deliverable.
     */
    @Test
    void shouldHandWhatAListenerThrowsToTheCallerOfPoll() throws InterruptedException
    {
        service = new TestService(dir, false, (context) -> {});
        final PaycoreClient client = connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        final long first = client.createAccounts(new AccountEventArray(1).add(1, 0, 1, 1, 0));
        final long second = client.createAccounts(new AccountEventArray(1).add(2, 0, 1, 1, 0));
        assertTrue(first > 0 && second > 0);

        final IllegalStateException failure = new IllegalStateException("the application could not record it");
        final List<Long> seen = new ArrayList<>();
        final EgressListener listener = new CreateAccountsListener()
        {
            public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
            {
                seen.add(result.correlationId());
                if (result.correlationId() == first)
                {
                    throw failure;
                }
            }
        };

        Throwable thrown = null;
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 2 && System.nanoTime() < deadlineNanos)
        {
            try
            {
                client.poll(listener);
            }
            catch (final IllegalStateException ex)
            {
                thrown = ex;
            }
            Thread.sleep(1);
        }
        assertEquals(List.of(first, second), seen, "each answer handed on once");
        assertSame(failure, thrown, "poll threw what the listener threw");
        assertTrue(client.isConnected());
    }

    /**
     * A timeout that has already run out (zero or negative: a deadline computed by the application that has
     * passed) still sent the request, which the service then applied, and threw "no answer to request N within
     * -1 s": the caller is told the outcome is unknown for a request it should never have sent. A blocking call
     * must refuse a timeout that is not positive before it sends anything.
     */
    @Test
    void shouldRefuseATimeoutThatIsNotPositiveBeforeSendingAnything() throws InterruptedException
    {
        service = new TestService(dir, false, (context) -> {});
        final PaycoreClient client = connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));

        assertThrows(IllegalArgumentException.class,
            () -> client.createAccountsAndWait(new AccountEventArray(1).add(1, 0, 1, 1, 0), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
            () -> client.createAccountsAndWait(new AccountEventArray(1).add(2, 0, 1, 1, 0), Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> client.lookupAccountsAndWait(Duration.ofMillis(-5), 1));

        Thread.sleep(200);
        assertEquals(List.of(), client.lookupAccountsAndWait(TIMEOUT, 1, 2), "nothing was sent");
    }

    /**
     * {@code Rejected(UNAVAILABLE)} from a failed journal does not mean "not done": the README says a record
     * answered so may still reach the disk and be applied at the next start, so its outcome is unknown and the
     * client sends it again with the same ids. The blocking API said "request N rejected: UNAVAILABLE (journal
     * failed: the service takes no more input)" and {@link EgressListener#onRejected}'s Javadoc says a rejected
     * request "was not journaled": an application that books the payment as failed may find it applied after the
     * restart. The exception must say the outcome is unknown and what to do.
     */
    @Test
    void shouldSayTheOutcomeOfAnUnavailableRequestIsUnknown()
    {
        service = new TestService(dir, false, (context) -> context.tickIntervalNanos(TimeUnit.HOURS.toNanos(1)));
        final PaycoreClient client = connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        assertEquals(CreateAccountResult.OK,
            client.createAccountsAndWait(new AccountEventArray(1).add(1, 0, 1, 1, 0), TIMEOUT).result(0));

        service.journal.close();
        final PaycoreClientException ex = assertThrows(PaycoreClientException.class,
            () -> client.createAccountsAndWait(new AccountEventArray(1).add(2, 0, 1, 1, 0), TIMEOUT));
        assertEquals(RejectReason.UNAVAILABLE, ex.rejectReason());
        assertTrue(ex.getMessage().contains("outcome is unknown"), ex.getMessage());
        assertTrue(ex.getMessage().contains("same ids"), ex.getMessage());
    }

    /**
     * A service restarted on an external media driver: the client's ingress publication connects to the new
     * service, which does not know its session and drops what it sends (no answer ever comes), while the client
     * already knows it is disconnected ({@code isConnected()} false: the old service's answers' image is gone). The
     * callback API still handed out a correlation id for each request ({@code PaycoreClient.sent} said "sent"), so an
     * application waited for answers that could not come; the blocking API sent too, then said "disconnected ...
     * its results, if any, are in the journal". A request on a disconnected client must not be sent:
     * {@code NOT_CONNECTED}, the id not used up.
     */
    @Test
    void shouldNotSendOnceTheServiceSessionIsGone() throws Exception
    {
        Files.createDirectories(dir.resolve("first"));
        Files.createDirectories(dir.resolve("second"));
        final Path aeronDir = dir.resolve("external-aeron");
        final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .ipcTermBufferLength(TransportContext.TERM_LENGTH_MIN)
            .publicationTermBufferLength(TransportContext.TERM_LENGTH_MIN));
        closeables.add(driver);
        final TestService first = new TestService(
            dir.resolve("first"), false, (context) -> context.aeronDirectoryName(aeronDir.toString()));
        final PaycoreClient client;
        try
        {
            client = connect(first.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
            assertEquals(CreateAccountResult.OK,
                client.createAccountsAndWait(new AccountEventArray(1).add(1, 0, 1, 1, 0), TIMEOUT).result(0));
        }
        finally
        {
            first.close();
        }
        service = new TestService(
            dir.resolve("second"), false, (context) -> context.aeronDirectoryName(aeronDir.toString()));

        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.isConnected())
        {
            assertTrue(System.nanoTime() < deadlineNanos, "the client never noticed the service going");
            client.poll(EgressListener.DISCARD);
            Thread.sleep(10);
        }
        final long nextCorrelationId = client.nextCorrelationId();
        final long dropped = service.server.counters().droppedUnauthenticated().get();

        final long result = client.createAccounts(new AccountEventArray(1).add(2, 0, 1, 1, 0));
        final PaycoreClientException blocking = assertThrows(PaycoreClientException.class,
            () -> client.createAccountsAndWait(new AccountEventArray(1).add(3, 0, 1, 1, 0), TIMEOUT));
        Thread.sleep(500);

        assertTrue(result < 0, "a request on a disconnected client was sent: " + result);
        assertThrows(PaycoreClientException.class, () -> PaycoreClient.sent(result));
        assertEquals(nextCorrelationId, client.nextCorrelationId(), "no correlation id used up");
        assertEquals(dropped, service.server.counters().droppedUnauthenticated().get(),
            "nothing reached the new service");
        assertTrue(blocking.getMessage().contains("nothing was sent"), blocking.getMessage());
    }

    private static void assertNoServiceWithinTheConnectTimeout(final ClientContext context)
    {
        final long startNanos = System.nanoTime();
        final Throwable thrown = assertThrows(Throwable.class, () -> PaycoreClient.connect(context).close());
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

        assertEquals(PaycoreClientException.class, thrown.getClass(), thrown.toString());
        assertTrue(thrown.getMessage().contains("no paycore service"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(context.aeronDirectoryName()), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("within 300 ms"), thrown.getMessage());
        // Generous: the connect timeout is 300 ms; Aeron's own driver timeout, which it used to wait, is 10 s.
        assertTrue(elapsedMillis < 8_000, "connect took " + elapsedMillis + " ms");
    }

    private PaycoreClient connect(final ClientContext context)
    {
        final PaycoreClient client = PaycoreClient.connect(context);
        closeables.add(client);
        return client;
    }

    private abstract static class CreateAccountsListener implements EgressListener
    {
        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
        }

        public void onAccounts(final AccountsDecoder accounts)
        {
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
        }

        public void onRejected(final RejectedDecoder rejected)
        {
        }
    }
}
