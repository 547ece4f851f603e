package io.paycore.perf.bench;

import io.aeron.driver.MediaDriver;
import io.paycore.codec.ProtocolLimits;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.ServiceLauncher;
import io.paycore.perf.harness.ServiceUnderTest;
import io.paycore.replay.ScratchDirectory;
import io.paycore.service.cluster.LocalCluster;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.transport.client.ClientContext;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Starts a three-member cluster of {@code paycore node} processes on this machine for a benchmark
 * ({@code bench latency --cluster}), at the benchmark's flush level, in a fresh temporary directory deleted on
 * close and at exit (the members stopped first), with a client media driver of its own (shared threads: three
 * members already share the machine's cores).
 */
final class ClusterServiceLauncher implements ServiceLauncher
{
    private static final int MEMBERS = 3;

    private final Path parent;
    private final int basePort;
    private final long memberWarmupTransfers;

    /**
     * @param parent                where the temporary data directory goes, or null for the system's temporary
     *                              directory.
     * @param basePort              the first member's base port.
     * @param memberWarmupTransfers each member's {@code node --warmup}; 0 for none.
     */
    ClusterServiceLauncher(final Path parent, final int basePort, final long memberWarmupTransfers)
    {
        this.parent = parent;
        this.basePort = basePort;
        this.memberWarmupTransfers = memberWarmupTransfers;
    }

    /**
     * {@inheritDoc}
     */
    public ServiceUnderTest launch(final BenchSettings settings, final ThreadPinning pinning)
    {
        final ScratchDirectory scratch;
        try
        {
            scratch = ScratchDirectory.create(parent, "paycore-bench-cluster-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Path dataDir = scratch.path();
        final long transfers = settings.transfersOffered() + settings.accounts();
        final LedgerLimits limits = new LedgerLimits()
            .maxAccounts(Math.max(1024, settings.accounts()))
            .maxTransfers((int)Math.min(LedgerLimits.MAX_RECORDS_BOUND, Math.max(1 << 16, transfers + transfers / 4)))
            .maxPendingTransfers(1024)
            .maxBatchEvents(ProtocolLimits.MAX_BATCH_EVENTS)
            .validate();
        final LocalCluster cluster = new LocalCluster(dataDir, MEMBERS, basePort, limits, settings.flushLevel())
            .memberWarmup(memberWarmupTransfers);
        // The members write into the directory: stopped before it is deleted, also when a signal ends the bench.
        scratch.closeFirst(cluster);
        MediaDriver clientDriver = null;
        try
        {
            cluster.startAll();
            clientDriver = LocalCluster.launchClientDriver(dataDir.resolve("client-aeron"));
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(clientDriver);
            scratch.close();
            throw ex instanceof IOException ? new UncheckedIOException((IOException)ex) : (RuntimeException)ex;
        }
        return new ClusterService(cluster, clientDriver, scratch);
    }

    private static final class ClusterService implements ServiceUnderTest
    {
        private final LocalCluster cluster;
        private final MediaDriver clientDriver;
        private final ScratchDirectory scratch;

        ClusterService(final LocalCluster cluster, final MediaDriver clientDriver, final ScratchDirectory scratch)
        {
            this.cluster = cluster;
            this.clientDriver = clientDriver;
            this.scratch = scratch;
        }

        public ClientContext clientContext()
        {
            return cluster.clientContext(clientDriver.aeronDirectoryName());
        }

        public boolean isInProcess()
        {
            return false;
        }

        public String aeronDirectoryName()
        {
            return clientDriver.aeronDirectoryName();
        }

        public String describe()
        {
            return "a cluster of " + cluster.size() + " 'paycore node' processes on this machine (UDP on loopback, " +
                "shared driver threads), clients at " + cluster.members().ingressEndpoints();
        }

        public void close()
        {
            CloseHelper.quietCloseAll(cluster, clientDriver);
            scratch.close();
        }
    }
}
