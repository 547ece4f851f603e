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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore node --warmup N}: before a member joins its cluster, N transfers of the demo's payments mix through
 * a scratch cluster of this member alone, in this JVM, so that the JIT has compiled the paths a member takes (the
 * consensus module, the archive, the clustered service, its journal and its cold tier) before the first client.
 * <p>
 * The scratch member has the real member's settings (flush level, snapshot interval, threads, cold tier or none),
 * its host and ports, and a ledger the size of {@code serve --warmup}'s: at most
 * {@value WorkloadRun#WARMUP_ACCOUNTS} accounts and {@value ServeCommand#WARMUP_PENDING_TRANSFERS} pending
 * transfers, and with a cold tier a hot window of at most {@value ServeCommand#WARMUP_HOT_TRANSFERS}, so that it
 * evicts. Its directory is temporary and deleted after the run, also when a signal stops the JVM; nothing of it
 * reaches the member's data directory, and the member's ports are free again before the member starts.
 */
final class NodeWarmUp
{
    /**
     * The most bytes the scratch member's cold tier may take (a sparse file; the warm-up writes far less).
     */
    static final long COLD_TIER_BYTES_MAX = 1L << 30;

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
            final ClusterMembers alone = member.members().only(member.memberId());
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
            return WorkloadRun.finishWarmUp(transfers, transferNanos, answers, "a scratch cluster of this member");
        }
    }

    /**
     * @param member  the real member's settings.
     * @param alone   the real member's host and ports, as a cluster of one.
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
