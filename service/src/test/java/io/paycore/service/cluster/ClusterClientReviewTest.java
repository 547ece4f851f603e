package io.paycore.service.cluster;

import io.aeron.Publication;
import io.aeron.cluster.service.Cluster;
import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What an application embedding a cluster's {@link PaycoreClient} sees when things go wrong, from a review of the
 * cluster client on 2026-12-07; each test failed before its fix. One member is enough: stopping it is a cluster with
 * no leader to be had, which is what a lost majority, or a long election, is to a client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterClientReviewTest
{
    private static final long CLIENT_ID = 5;
    private static final String SECRET = "cluster-client-review-secret";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final long NEW_LEADER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    @TempDir
    Path temp;

    private ClusterMembers members;
    private ClusterNode node;
    private MediaDriver clientDriver;
    private PaycoreClient client;

    @AfterEach
    void close()
    {
        CloseHelper.quietClose(client);
        CloseHelper.quietClose(node);
        CloseHelper.quietClose(clientDriver);
    }

    /**
     * With no leader to be had (the members stopped, or a majority of them), Aeron Cluster's client waits for a new
     * one for the new leader timeout, and its offers answer {@code CLOSED} meanwhile. A blocking call then retried
     * without looking at its own deadline (and without idling): a call given 2 s returned after the 20 s new leader
     * timeout and a connect attempt. It must end within its timeout, having sent nothing.
     */
    @Test
    void shouldEndABlockingCallWithinItsTimeoutWhileNoLeaderTakesTheSession()
    {
        start(21_500);
        node.close();
        node = null;
        // Long enough for the ingress publication to the stopped member to find itself unconnected (5 s).
        pollFor(TimeUnit.SECONDS.toNanos(7));

        assertCallEndsWithinItsTimeoutHavingSentNothing();
    }

    /**
     * A blocking call that finds its session closed takes a new one. That connect waited the whole connect timeout,
     * whatever the call's own: a call given 2 s, with a connect timeout of 15 s and no leader to be had, returned after
     * 15 s. The new session must be bounded by the call's timeout too.
     */
    @Test
    void shouldBoundTheNewSessionOfABlockingCallByItsTimeout()
    {
        start(21_530, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(15));
        node.close();
        node = null;
        // Polled, the session finds its leader gone and, after the new leader timeout, closes: a poll that finds it
        // closed takes a new one, so the loop ends on the poll that closed it.
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.isConnected())
        {
            assertTrue(System.nanoTime() < deadlineNanos, "the session never closed");
            client.poll(EgressListener.DISCARD);
            sleep(10);
        }

        assertCallEndsWithinItsTimeoutHavingSentNothing();
    }

    /**
     * The plain client reports a lost media driver as a {@code PaycoreClientException} ({@code
     * ClientDriverLossTest}). A cluster's client went on saying it was connected for the whole new leader timeout,
     * and its calls threw Aeron's own {@code AeronException: Aeron client is closed} (from taking a new session on a
     * closed Aeron client), or timed out, or said "(Aeron: null)".
     */
    @Test
    void shouldReportTheLostMediaDriverAsAPaycoreClientException()
    {
        start(21_510);
        clientDriver.close();
        clientDriver = null;

        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.isConnected())
        {
            assertTrue(System.nanoTime() < deadlineNanos, "the client never noticed its media driver going");
            client.poll(EgressListener.DISCARD);
            sleep(10);
        }
        for (int i = 0; i < 3; i++)
        {
            final long startNanos = System.nanoTime();
            final int id = 10 + i;
            final Throwable thrown = assertThrows(Throwable.class,
                () -> client.createAccountsAndWait(new AccountEventArray(1).add(id, 0, 7, 1, 0), REQUEST_TIMEOUT));
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

            assertEquals(PaycoreClientException.class, thrown.getClass(), thrown.toString());
            assertTrue(thrown.getMessage().contains("media driver"), thrown.getMessage());
            assertFalse(thrown.getMessage().contains("null"), thrown.getMessage());
            assertTrue(elapsedMillis < REQUEST_TIMEOUT.toMillis() + 5_000, "took " + elapsedMillis + " ms");
        }
        client.poll(EgressListener.DISCARD); // reads nothing, and throws nothing
        assertFalse(client.isConnected());
    }

    /**
     * While the session waits for a new leader, Aeron Cluster's client answers an offer {@code NOT_CONNECTED}, then
     * {@code CLOSED}; the callback API passed both on, and {@link PaycoreClient#sent(long)} (as the demo) took them
     * for the end of the service, though the client follows a new leader by itself. Not sent, to be sent again.
     */
    @Test
    void shouldAnswerBackPressuredToACallbackSendWhileWaitingForANewLeader()
    {
        start(21_540);
        node.close();
        node = null;
        // Long enough for the ingress publication to the stopped member to find itself unconnected (5 s).
        pollFor(TimeUnit.SECONDS.toNanos(7));

        for (int i = 0; i < 3; i++)
        {
            final long result = client.createAccounts(new AccountEventArray(1).add(3, 0, 7, 1, 0));
            assertEquals(Publication.BACK_PRESSURED, result, "send " + i + ": " + Publication.errorString(result));
            assertFalse(PaycoreClient.sent(result));
            client.poll(EgressListener.DISCARD);
        }
        assertTrue(client.isConnected());
    }

    /**
     * A poll after {@code close()} found the closed session and took a new one: on the client's own Aeron client,
     * closed too, that threw Aeron's {@code AeronException: Aeron client is closed}; on an application's Aeron
     * client it would open a session that nothing closes. The plain client's poll reads nothing once closed.
     */
    @Test
    void shouldTakeNoNewSessionWhenPolledAfterClose()
    {
        start(21_520);
        client.close();

        assertEquals(0, client.poll(EgressListener.DISCARD));
        assertEquals(0, client.poll(EgressListener.DISCARD));
        assertEquals(0, client.reconnects());
        assertFalse(client.isConnected());
    }

    private void start(final int basePort)
    {
        start(basePort, NEW_LEADER_TIMEOUT_NANOS, CONNECT_TIMEOUT_NANOS);
    }

    private void start(final int basePort, final long newLeaderTimeoutNanos, final long connectTimeoutNanos)
    {
        members = ClusterMembers.parse("localhost:" + basePort);
        node = ClusterNode.launch(new ClusterNodeContext()
            .memberId(0)
            .members(members)
            .dataDirectory(temp.resolve("member-0"))
            .flushLevel(FlushLevel.NONE)
            .ledgerLimits(new LedgerLimits().maxAccounts(64).maxTransfers(64).maxPendingTransfers(64)
                .maxBatchEvents(16))
            .leaderHeartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(1))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .snapshotEveryRecords(0)
            .coldTierSizeBytes(16L << 20)
            .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1_000)), "test"))
            .errorHandler(Throwable::printStackTrace));
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Cluster.Role.LEADER != node.service().role())
        {
            assertTrue(System.nanoTime() < deadlineNanos, "no member leads");
            sleep(10);
        }
        clientDriver = LocalCluster.launchClientDriver(temp.resolve("client-aeron"));
        client = PaycoreClient.connect(new ClientContext()
            .clusterIngressEndpoints(members.ingressEndpoints())
            .clientId(CLIENT_ID)
            .secret(SECRET)
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .clusterNewLeaderTimeoutNanos(newLeaderTimeoutNanos)
            .connectTimeoutNanos(connectTimeoutNanos));
        assertEquals(CreateAccountResult.OK, client.createAccountsAndWait(
            new AccountEventArray(1).add(1, 0, 7, 1, 0), Duration.ofSeconds(10)).result(0));
    }

    private void assertCallEndsWithinItsTimeoutHavingSentNothing()
    {
        final long startNanos = System.nanoTime();
        final PaycoreClientException ex = assertThrows(PaycoreClientException.class,
            () -> client.createAccountsAndWait(new AccountEventArray(1).add(2, 0, 7, 1, 0), REQUEST_TIMEOUT));
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

        // Far above the timeout, far below the 15-20 s the calls took before.
        assertTrue(elapsedMillis < REQUEST_TIMEOUT.toMillis() + 5_000, "took " + elapsedMillis + " ms: " + ex);
        assertTrue(ex.getMessage().contains("nothing was sent"), ex.getMessage());
    }

    private void pollFor(final long nanos)
    {
        final long endNanos = System.nanoTime() + nanos;
        while (System.nanoTime() - endNanos < 0)
        {
            client.poll(EgressListener.DISCARD);
            sleep(10);
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
