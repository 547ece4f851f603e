package io.paycore.perf.bench;

import io.aeron.cluster.ClusterTool;
import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.FlushLevel;
import io.paycore.perf.harness.MachineInfo;
import io.paycore.replay.ScratchDirectory;
import io.paycore.service.cli.FlushLevelConverter;
import io.paycore.service.cli.LongByteSizeConverter;
import io.paycore.service.cluster.ClusterMembers;
import io.paycore.service.cluster.ClusterNode;
import io.paycore.service.cluster.ClusterNodeContext;
import io.paycore.service.cluster.LocalCluster;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code paycore bench cluster-snapshot}: how long a cluster member's snapshot of a full hot window keeps the cluster
 * from answering. A member writes its snapshot on its service thread, as Aeron Cluster takes them, and applies nothing
 * meanwhile.
 */
@Command(
    name = "cluster-snapshot",
    header = "How long a member's snapshot of a full hot window holds the cluster's answers up.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Start a one-member cluster in this process (a scratch directory, deleted), fill its hot window with " +
            "--hot-transfers transfers and 100,000 more in messages of 1,024, then send single-transfer requests one " +
            "at a time while the member takes a snapshot (as 'paycore cluster snapshot' asks). Prints how long the " +
            "snapshot took and the longest round trip of a request during it; with --snapshot-thread snapshotter, " +
            "then the same for the snapshotter's writing of the ledger. Exit status 0 when the snapshot (and the " +
            "ledger's) was taken within --probe seconds, 1 otherwise, 2 on bad options."
    })
public final class BenchClusterSnapshotCommand implements Callable<Integer>
{
    private static final long CLIENT_ID = 5;
    private static final int ACCOUNTS = 10_000;
    private static final int FILL_BATCH = 1024;
    private static final long MORE_THAN_THE_WINDOW = 100_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--hot-transfers", paramLabel = "N", defaultValue = "4194304",
        description = "The member's hot window (node's default), filled before the snapshot: what the snapshot " +
            "holds (default: ${DEFAULT-VALUE}).")
    private int hotTransfers;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "none", converter = FlushLevelConverter.class,
        description = "The member's flush level: none, batch or every (default: ${DEFAULT-VALUE}).")
    private FlushLevel flushLevel;

    @Option(names = "--snapshot-thread", paramLabel = "THREAD", defaultValue = "snapshotter",
        description = "As node's: snapshotter (the cluster's snapshot names the record; the member's snapshotter " +
            "thread writes the ledger) or service (the cluster's snapshot holds the ledger, written on the service " +
            "thread) (default: ${DEFAULT-VALUE}).")
    private String snapshotThread;

    @Option(names = "--snapshot-rate", paramLabel = "BYTES", converter = LongByteSizeConverter.class,
        defaultValue = "32m",
        description = "As node's: the snapshotter thread's pace, bytes a second; 0 for unpaced " +
            "(default: ${DEFAULT-VALUE}).")
    private long snapshotRate;

    @Option(names = "--probe", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long requests are sent once the snapshot is asked for, and again once it is taken " +
            "while the snapshotter writes the ledger; each must be done within this (default: ${DEFAULT-VALUE}).")
    private int probeSeconds;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "21900",
        description = "The member's base port on localhost; it takes six from there (default: ${DEFAULT-VALUE}).")
    private int basePort;

    /**
     * Run the benchmark.
     *
     * @return the exit status.
     * @throws Exception if the scratch directory cannot be made, or interrupted.
     */
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        if (hotTransfers < 1024 || probeSeconds < 1 || basePort < 1 || basePort > 65_535 - 6 || snapshotRate < 0 ||
            !("snapshotter".equals(snapshotThread) || "service".equals(snapshotThread)))
        {
            System.err.println("paycore bench cluster-snapshot: --hot-transfers must be at least 1024, --probe at " +
                "least 1, --base-port leave six ports below 65536, --snapshot-thread be snapshotter or service and " +
                "--snapshot-rate not negative");
            return 2;
        }
        final boolean offServiceThread = "snapshotter".equals(snapshotThread);
        final String secret = "bench-cluster-snapshot-" + System.nanoTime();
        final ClusterMembers members = ClusterMembers.parse("localhost:" + basePort);
        try (ScratchDirectory scratch = ScratchDirectory.create("paycore-bench-cluster-snapshot-"))
        {
            ClusterNode node = null;
            MediaDriver driver = null;
            PaycoreClient client = null;
            try
            {
                node = ClusterNode.launch(new ClusterNodeContext()
                    .memberId(0)
                    .members(members)
                    .dataDirectory(scratch.path().resolve("member-0"))
                    .flushLevel(flushLevel)
                    .ledgerLimits(new LedgerLimits().maxTransfers(hotTransfers).maxAccounts(2 * ACCOUNTS)
                        .maxBatchEvents(FILL_BATCH))
                    .snapshotEveryRecords(0)
                    .snapshotsOffServiceThread(offServiceThread)
                    .snapshotWriteRate(snapshotRate)
                    .credentials(ClientCredentials.parse(
                        List.of(ClientCredentials.line(CLIENT_ID, secret, 1_000)), "bench cluster-snapshot")));
                driver = LocalCluster.launchClientDriver(scratch.path().resolve("client-aeron"));
                client = PaycoreClient.connect(new ClientContext()
                    .clusterIngressEndpoints(members.ingressEndpoints())
                    .clientId(CLIENT_ID)
                    .secret(secret)
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(30)));
                out.printf(Locale.ROOT, "paycore bench cluster-snapshot: one member, flush %s, hot window %,d, " +
                    "snapshots %s%n", flushLevel.name().toLowerCase(Locale.ROOT), hotTransfers,
                    offServiceThread ? "by the snapshotter thread at " + (0 == snapshotRate ? "full speed" :
                    String.format(Locale.ROOT, "%,d bytes/s", snapshotRate)) : "on the service thread");
                out.println("  machine   " + MachineInfo.now().describeBefore());
                return measure(out, node, client, scratch.path().resolve("member-0").resolve("cluster"));
            }
            finally
            {
                CloseHelper.closeAll(client, driver, node);
            }
        }
    }

    private int measure(final PrintStream out, final ClusterNode node, final PaycoreClient client, final Path clusterDir)
        throws InterruptedException
    {
        final AccountEventArray accounts = new AccountEventArray(FILL_BATCH);
        for (int i = 0; i < ACCOUNTS; )
        {
            accounts.reset();
            for (int k = 0; k < FILL_BATCH && i < ACCOUNTS; k++, i++)
            {
                accounts.add(1 + i, 0, 1, 1, 0);
            }
            client.createAccountsAndWait(accounts, TIMEOUT);
        }
        final TransferEventArray batch = new TransferEventArray(FILL_BATCH);
        long id = 1;
        final long fillStartNanos = System.nanoTime();
        while (id <= hotTransfers + MORE_THAN_THE_WINDOW)
        {
            batch.reset();
            for (int k = 0; k < FILL_BATCH; k++, id++)
            {
                batch.add(id, 1 + id % ACCOUNTS, 1 + (id + 1) % ACCOUNTS, 1, 0, 0, 1, 0, 1, 0);
            }
            expectOk(client.createTransfersAndWait(batch, TIMEOUT));
        }
        out.printf(Locale.ROOT, "  filled    %,d transfers in %.1f s%n", id - 1, (System.nanoTime() - fillStartNanos) / 1e9);

        final long snapshotsBefore = node.service().snapshotsTaken();
        final long ledgerSnapshotsBefore = node.service().ledgerSnapshotsWritten();
        final AtomicBoolean asked = new AtomicBoolean();
        final Thread asker = new Thread(() -> asked.set(ClusterTool.snapshot(clusterDir.toFile(), System.out)),
            "bench-snapshot-asker");
        final long askedNanos = System.nanoTime();
        asker.start();
        final Probe snapshot = new Probe(client, id).until(
            () -> node.service().snapshotsTaken() > snapshotsBefore, askedNanos + TimeUnit.SECONDS.toNanos(probeSeconds));
        asker.join();
        if (0 == snapshot.doneNanos)
        {
            out.printf(Locale.ROOT, "  snapshot  not taken within %d s (asked: %b)%n", probeSeconds, asked.get());
            return 1;
        }
        out.printf(Locale.ROOT, "  snapshot  taken %.3f s after it was asked for; the longest round trip of %,d " +
            "single-transfer requests meanwhile %.3f s%n", (snapshot.doneNanos - askedNanos) / 1e9, snapshot.requests,
            snapshot.worstNanos / 1e9);
        if (null == node.service().snapshotAgent())
        {
            return 0;
        }

        // The snapshotter writes the ledger at the snapshot's record while the member goes on.
        final Probe ledger = new Probe(client, snapshot.nextId).until(
            () -> node.service().ledgerSnapshotsWritten() > ledgerSnapshotsBefore,
            snapshot.doneNanos + TimeUnit.SECONDS.toNanos(probeSeconds));
        if (0 == ledger.doneNanos)
        {
            out.printf(Locale.ROOT, "  ledger    not written by the snapshotter within %d s of the snapshot%n",
                probeSeconds);
            return 1;
        }
        out.printf(Locale.ROOT, "  ledger    written by the snapshotter %.3f s after the snapshot; the longest round " +
            "trip of %,d single-transfer requests meanwhile %.3f s%n", (ledger.doneNanos - snapshot.doneNanos) / 1e9,
            ledger.requests, ledger.worstNanos / 1e9);
        return 0;
    }

    /**
     * Single-transfer requests sent one at a time until a condition holds (checked after each answer) or a deadline
     * passes: how many, the longest round trip, and when the condition was seen to hold (0 if it was not).
     */
    private static final class Probe
    {
        private final PaycoreClient client;
        private final TransferEventArray one = new TransferEventArray(1);
        private long nextId;
        private long requests;
        private long worstNanos;
        private long doneNanos;

        Probe(final PaycoreClient client, final long firstId)
        {
            this.client = client;
            this.nextId = firstId;
        }

        Probe until(final BooleanSupplier done, final long deadlineNanos)
        {
            while (System.nanoTime() < deadlineNanos && 0 == doneNanos)
            {
                one.reset();
                one.add(nextId++, 1, 2, 1, 0, 0, 1, 0, 1, 0);
                final long sentNanos = System.nanoTime();
                expectOk(client.createTransfersAndWait(one, TIMEOUT));
                final long answeredNanos = System.nanoTime();
                worstNanos = Math.max(worstNanos, answeredNanos - sentNanos);
                requests++;
                if (done.getAsBoolean())
                {
                    doneNanos = answeredNanos;
                }
            }
            return this;
        }
    }

    private static void expectOk(final CreateResults<CreateTransferResult> results)
    {
        if (!results.all(CreateTransferResult.OK))
        {
            throw new IllegalStateException("the member answered " + results);
        }
    }
}
