package io.paycore.service.cluster;

import io.aeron.driver.MediaDriver;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.replay.ScratchDirectory;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.service.demo.WorkloadRun;
import io.paycore.service.serve.ServeCommand;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore node --warmup N}: before a member joins its cluster, N transfers of the demo's payments mix through
 * a scratch cluster of this member alone, in this JVM, so that the JIT has compiled the paths a member takes (the
 * consensus module, the archive, the clustered service, its journal and its cold tier) before the first client.
 * <p>
 * The scratch member has the real member's settings (flush level, snapshot interval, threads, cold tier or none)
 * and a ledger the size of {@code serve --warmup}'s: at most
 * {@value WorkloadRun#WARMUP_ACCOUNTS} accounts and {@value ServeCommand#WARMUP_PENDING_TRANSFERS} pending
 * transfers, and with a cold tier a hot window of at most {@value ServeCommand#WARMUP_HOT_TRANSFERS}, so that it
 * evicts. It listens on localhost only, on free ports of its own ({@link #freeBasePort(int)}), never on the member's:
 * a client or a peer that reached the member's endpoints during the warm-up would otherwise find a cluster with
 * other credentials and another log. Its directory is temporary and deleted after the run, also when a signal stops
 * the JVM; nothing of it reaches the member's data directory.
 */
final class NodeWarmUp
{
    /**
     * The most bytes the scratch member's cold tier may take (a sparse file; the warm-up writes far less).
     */
    static final long COLD_TIER_BYTES_MAX = 1L << 30;

    /**
     * The lowest base port the scratch member may take: below Linux's ephemeral range (32768 and up), where the
     * system does not hand ports out by itself.
     */
    static final int FIRST_BASE_PORT = 26_000;

    /**
     * The highest base port the scratch member may take.
     */
    static final int LAST_BASE_PORT = 32_750;

    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private NodeWarmUp()
    {
    }

    /**
     * Run the warm-up.
     *
     * @param member    the real member's settings; only read.
     * @param transfers transfers to send, positive.
     * @return one line that says what it did, starting {@code warm-up: }.
     * @throws IOException          if the scratch directory cannot be made.
     * @throws InterruptedException if interrupted while waiting for the compilers.
     */
    static String run(final ClusterNodeContext member, final long transfers) throws IOException, InterruptedException
    {
        final LedgerLimits limits = member.ledgerLimits();
        final int accounts = Math.min(WorkloadRun.WARMUP_ACCOUNTS, limits.maxAccounts());
        final int batch = Math.min(WorkloadRun.WARMUP_BATCH, limits.maxBatchEvents());
        try (ScratchDirectory scratchDirectory = ScratchDirectory.create("paycore-node-warmup-"))
        {
            final Path scratch = scratchDirectory.path();
            final Path clientsFile = scratch.resolve("clients");
            final String secret = WorkloadRun.writeClientsFile(clientsFile);
            final int basePort = freeBasePort(member.members().basePort(member.memberId()));
            final ClusterMembers alone = ClusterMembers.parse("localhost:" + basePort);
            final ClusterNodeContext context = scratchContext(member, alone, scratch)
                .credentials(ClientCredentials.load(clientsFile));
            final WorkloadRun.Answers answers = new WorkloadRun.Answers();
            final long transferNanos;
            ClusterNode node = null;
            MediaDriver clientDriver = null;
            PaycoreClient client = null;
            try
            {
                node = ClusterNode.launch(context);
                clientDriver = LocalCluster.launchClientDriver(scratch.resolve("client-aeron"));
                client = PaycoreClient.connect(new ClientContext()
                    .clusterIngressEndpoints(alone.ingressEndpoints())
                    .clientId(WorkloadRun.CLIENT_ID)
                    .secret(secret)
                    .aeronDirectoryName(clientDriver.aeronDirectoryName())
                    .connectTimeoutNanos(CONNECT_TIMEOUT_NS));
                transferNanos = WorkloadRun.drive(client, new DemoWorkload(accounts, transfers, batch,
                    DemoWorkload.SEED_DEFAULT), WorkloadRun.WARMUP_WINDOW, answers);
            }
            finally
            {
                CloseHelper.closeAll(client, clientDriver, node);
            }
            return WorkloadRun.finishWarmUp(transfers, transferNanos, answers,
                "a scratch one-member cluster on localhost (base port " + basePort + ")");
        }
    }

    /**
     * A base port on localhost whose five member ports (base + 1 to base + 5) are free for UDP now: the first of
     * {@link #FIRST_BASE_PORT}, + 10, ... {@link #LAST_BASE_PORT}, starting at a place that follows from the
     * member's own base port and going round. Members on one machine have base ports at least 5 apart, so members
     * started at once look in different places first, and do not both find the same ports free.
     *
     * @param memberBasePort the real member's base port.
     * @return the base port.
     * @throws IllegalStateException if no such ports are free.
     */
    static int freeBasePort(final int memberBasePort)
    {
        final int places = (LAST_BASE_PORT - FIRST_BASE_PORT) / 10 + 1;
        final int start = (memberBasePort / 5) % places;
        for (int i = 0; i < places; i++)
        {
            final int base = FIRST_BASE_PORT + 10 * ((start + i) % places);
            if (udpPortsFree(base + 1, base + 5))
            {
                return base;
            }
        }
        throw new IllegalStateException("no five free UDP ports in a row on localhost from " + FIRST_BASE_PORT +
            " to " + (LAST_BASE_PORT + 5) + " for the warm-up's scratch member");
    }

    private static boolean udpPortsFree(final int first, final int last)
    {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        final DatagramSocket[] sockets = new DatagramSocket[last - first + 1];
        try
        {
            for (int port = first; port <= last; port++)
            {
                sockets[port - first] = new DatagramSocket(new InetSocketAddress(loopback, port));
            }
            return true;
        }
        catch (final SocketException ex)
        {
            return false;
        }
        finally
        {
            for (final DatagramSocket socket : sockets)
            {
                if (null != socket)
                {
                    socket.close();
                }
            }
        }
    }

    /**
     * @param member  the real member's settings.
     * @param alone   the scratch member's host and ports, as a cluster of one.
     * @param scratch the scratch directory.
     * @return the scratch member's settings, but for its credentials.
     */
    static ClusterNodeContext scratchContext(
        final ClusterNodeContext member, final ClusterMembers alone, final Path scratch)
    {
        final boolean coldTier = 0 != member.coldTierSizeBytes();
        return new ClusterNodeContext()
            .memberId(0)
            .members(alone)
            .dataDirectory(scratch.resolve("member"))
            .flushLevel(member.flushLevel())
            .ledgerLimits(WorkloadRun.warmUpLimits(member.ledgerLimits(), coldTier))
            .dedicatedThreads(member.dedicatedThreads())
            .leaderHeartbeatTimeoutNs(member.leaderHeartbeatTimeoutNs())
            .electionTimeoutNs(member.electionTimeoutNs())
            .startupCanvassTimeoutNs(member.startupCanvassTimeoutNs())
            .sessionTimeoutNs(member.sessionTimeoutNs())
            .snapshotEveryRecords(member.snapshotEveryRecords())
            .coldTierSizeBytes(coldTier ? Math.min(COLD_TIER_BYTES_MAX, member.coldTierSizeBytes()) : 0)
            .errorHandler((ex) -> System.err.println("paycore node " + member.memberId() + ": warm-up: " + ex));
    }
}
