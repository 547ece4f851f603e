package io.paycore.service.cluster;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.service.Cluster;
import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.cold.ColdTierFullException;
import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.SnapshotStore;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.JournalComparison;
import io.paycore.replay.SnapshotTaker;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.Commands;
import io.paycore.service.PaycoreMain;
import io.paycore.service.query.QueryServer;
import io.paycore.service.query.QueryServerContext;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.ClusterAuthenticator;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import io.paycore.transport.client.Transfer;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A 3-member cluster in this JVM (shared threading, so 2 cores carry it): every member applies the same committed
 * messages and reaches the same digest; the client follows a new leader when the old one stops, re-sending what was
 * in flight; the old leader, restarted, catches up; and {@code paycore audit} of any member's directory prints the
 * same digest.
 */
class ClusterTest
{
    private static final String QUERY_CHANNEL = "aeron:ipc";
    private static final int MEMBERS = 3;
    private static final int BASE_PORT = 20_500;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long LEDGER = 7;
    private static final int ACCOUNTS = 10;
    /**
     * A hot window of 256 transfers: most of what the test creates leaves it for each member's cold tier, and the
     * lookups at the end find it there.
     */
    private static final LedgerLimits LIMITS = new LedgerLimits()
        .maxAccounts(1024).maxTransfers(256).maxPendingTransfers(4096).maxBatchEvents(128);
    private static final long COLD_TIER_BYTES = 64L << 20;
    private static final String[] AUDIT_LIMITS = {
        "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096" };

    @TempDir
    Path temp;

    private final ClusterNode[] nodes = new ClusterNode[MEMBERS];
    private final ClusterMembers members = ClusterMembers.parse(
        "localhost:" + BASE_PORT + ",localhost:" + (BASE_PORT + 10) + ",localhost:" + (BASE_PORT + 20));
    private static final long CLIENT_ID = 5;
    private static final String SECRET = "cluster-test-secret";
    private static final ClientCredentials CREDENTIALS =
        ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1_000)), "test");

    private MediaDriver clientDriver;
    private PaycoreClient client;
    private long nextTransferId = 1;
    private Path mountedJournal;
    private long reconnectAfterNanos = ClientContext.CLUSTER_RECONNECT_AFTER_DEFAULT_NANOS;

    @AfterEach
    void close() throws Exception
    {
        CloseHelper.quietClose(client);
        CloseHelper.quietCloseAll(nodes);
        CloseHelper.quietClose(clientDriver);
        if (null != mountedJournal)
        {
            Commands.run(60, "umount", "-l", mountedJournal.toString());
        }
    }

    @Test
    void shouldRetryTheConnectAndNameItsBoundWhenNoLeaderAnswers()
    {
        clientDriver = LocalCluster.launchClientDriver(temp.resolve("client-aeron"));
        // No member runs: every attempt ends unanswered, and the last one at the bound.
        final PaycoreClientException ex = assertThrows(PaycoreClientException.class,
            () -> PaycoreClient.connect(clientContext(CLIENT_ID, SECRET)
                .clusterConnectAttemptNanos(TimeUnit.MILLISECONDS.toNanos(1_000))
                .connectTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(2_500))));
        assertTrue(ex.getMessage().startsWith("no paycore cluster leader answered on " + members.ingressEndpoints() +
            " within 2500 ms (3 attempt(s), the last: no answer within 1000 ms, state "), ex.getMessage());
    }

    @Test
    void shouldKeepEveryMemberEqualAndFollowANewLeader()
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = launch(i);
        }
        connect();
        createAccounts();

        final Set<Long> created = new HashSet<>();
        sendTransfers(20, created);

        final int leader = leader();
        nodes[leader].close();
        nodes[leader] = null;
        // A stopped member cannot be asked: said at once, with what its files still tell, not a 10 s wait.
        final String stoppedDir = temp.resolve("member-" + leader).toString();
        final String stopped = run(ClusterCommand.EXIT_FAILED, "cluster", "status", "--data", stoppedDir);
        assertTrue(stopped.contains("paycore cluster status: the member in " + stoppedDir + " is not running"),
            stopped);
        assertTrue(stopped.contains("journal: last record "), stopped);
        assertFalse(stopped.contains("Exception"), stopped);
        final String noSnapshot = run(ClusterCommand.EXIT_FAILED, "cluster", "snapshot", "--data", stoppedDir);
        assertTrue(noSnapshot.contains("paycore cluster snapshot: the member in " + stoppedDir + " is not running"),
            noSnapshot);

        sendTransfers(20, created);
        assertNotEquals(leader, leader(), "another member leads");

        // Back with its media driver elsewhere, as 'node --aeron-dir' puts it: 'cluster status' reads its counters
        // there, from the directory its mark file names.
        nodes[leader] = ClusterNode.launch(context(leader).aeronDirectory(temp.resolve("aeron-of-" + leader)));
        sendTransfers(10, created);
        // (It may still be replaying the log: what matters is that its counters are read, not said unknown.)
        final String elsewhere = run("cluster", "status", "--data", stoppedDir);
        assertTrue(elsewhere.matches("(?s).*\nrole: [A-Z]+\n.*"), elsewhere);
        assertTrue(elsewhere.matches("(?s).*\ncommit position: [0-9]+\n.*"), elsewhere);

        assertRejectsMalformedInputOnEveryMember();
        assertRefusesClientsWithoutCredentials();

        final int newLeader = leader();
        assertEquals(ClusterCommand.EXIT_OK, PaycoreMain.execute("cluster", "snapshot", "--data",
            temp.resolve("member-" + newLeader).toString()));
        awaitSnapshotOnEveryMember();
        final String status = run("cluster", "status", "--data", temp.resolve("member-" + newLeader).toString());
        assertTrue(status.contains("journal: last record "), status);
        assertTrue(status.contains("leaderMemberId=" + newLeader), status);
        assertTrue(status.contains("role: LEADER"), status);
        assertTrue(status.matches("(?s).*commit position: [1-9][0-9]*\n.*"), status);
        // The driver's directory is the one the member's mark file names (elsewhere with --aeron-dir).
        assertEquals(temp.resolve("member-" + newLeader).resolve("aeron").toAbsolutePath().normalize(),
            ClusterCommand.driverDirectory(temp.resolve("elsewhere"),
            temp.resolve("member-" + newLeader).resolve("cluster").toFile()).toPath().toAbsolutePath().normalize());

        final int follower = (newLeader + 1) % MEMBERS;
        nodes[follower].close();
        nodes[follower] = launch(follower);
        sendTransfers(5, created);

        final int emptied = (newLeader + 2) % MEMBERS;
        nodes[emptied].close();
        IoUtil.delete(temp.resolve("member-" + emptied).toFile(), false);
        nodes[emptied] = launch(emptied);
        sendTransfers(5, created);

        final long[] ids = created.stream().mapToLong(Long::longValue).toArray();
        assertEveryTransferFound(created);
        assertQueriedThroughTheClusterClient(newLeader, created);
        // After the lookups: they too are journaled and move the ledger's clock (expiring pending transfers).
        final List<String> digests = awaitEqualDigests();
        assertTrue(nodes[follower].service().recordsInLoadedSnapshot() > 0,
            "the restarted follower started from the snapshot");
        assertEquals(-1, nodes[emptied].service().recordsInLoadedSnapshot(),
            "the emptied member replayed the whole log into a new journal");
        for (final ClusterNode node : nodes)
        {
            assertTrue(node.service().coldWrittenRecords() > ids.length - 256 - 2 * 128,
                "member " + node.memberId() + "'s cold tier holds what left the hot window: " +
                node.service().coldWrittenRecords() + " of " + ids.length);
        }

        client.close();
        CloseHelper.closeAll(nodes);
        java.util.Arrays.fill(nodes, null);
        for (int i = 0; i < MEMBERS; i++)
        {
            assertEquals("digest: " + digests.get(0), auditDigest(temp.resolve("member-" + i)), "member " + i);
        }
    }

    /**
     * A query server on a member's directory answers the cluster's client (on a channel of the client's own, its port
     * chosen by the driver), with every transfer the cluster acknowledged, as of the client's last write.
     */
    private void assertQueriedThroughTheClusterClient(final int memberId, final Set<Long> created)
    {
        try (Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
            AgentRunner server = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000),
                Throwable::printStackTrace, null, new QueryServer(aeron, new QueryServerContext()
                .journal(new ChangeFeedContext().directory(new DataDirectory(temp.resolve("member-" + memberId)))
                .limits(LIMITS).coldTierParent(temp))
                .requestChannel(QUERY_CHANNEL)
                .credentials(CREDENTIALS), temp.resolve("query-store"))))
        {
            AgentRunner.startOnThread(server);
            final Set<Long> found = new HashSet<>();
            final QueryFilter filter = new QueryFilter().limit(1024);
            for (List<Transfer> page = client.queryTransfersAndWait(filter, TIMEOUT); !page.isEmpty();
                page = client.queryTransfersAndWait(filter, TIMEOUT))
            {
                page.forEach(t -> found.add(t.id().longValueExact()));
                filter.timestamps(page.get(page.size() - 1).timestamp() + 1, 0);
            }
            assertEquals(created, found, "QueryTransfers through the cluster's client, paged by timestamp");
            final List<Transfer> ofAccount = client.getAccountTransfersAndWait(new AccountFilter().accountId(0, 1)
                .limit(1024).flags(AccountFilter.DEBITS | AccountFilter.CREDITS), TIMEOUT);
            assertEquals(created.stream().filter(id -> 1 + id % ACCOUNTS == 1 || 1 + (id + 1) % ACCOUNTS == 1)
                .count(), ofAccount.size(), "account 1's transfers");
        }
    }

    private void assertRejectsMalformedInputOnEveryMember()
    {
        final List<Integer> templates = new ArrayList<>();
        final List<String> rejections = new ArrayList<>();
        try (AeronCluster raw = AeronCluster.connect(new AeronCluster.Context()
            .ingressChannel("aeron:udp")
            .ingressEndpoints(members.ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=localhost:0")
            .credentialsSupplier(ClusterAuthenticator.credentialsSupplier(CLIENT_ID, SECRET))
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .egressListener((sessionId, timestamp, buffer, offset, length, header) ->
            {
                final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
                templates.add(messageHeader.templateId());
                if (RejectedDecoder.TEMPLATE_ID == messageHeader.templateId())
                {
                    final RejectedDecoder rejected = new RejectedDecoder().wrapAndApplyHeader(buffer, offset,
                        new MessageHeaderDecoder());
                    rejections.add(rejected.reason() + ": " + rejected.detail());
                }
            })))
        {
            final UnsafeBuffer garbage = new UnsafeBuffer(new byte[24]);
            garbage.setMemory(0, 24, (byte)0x7F);
            while (raw.offer(garbage, 0, garbage.capacity()) < 0)
            {
                raw.pollEgress();
            }
            // A request as a version 1 client sends it: the same message with version 1 in its header.
            final UnsafeBuffer old = new UnsafeBuffer(new byte[1024]);
            final int oldLength = new RequestEncoder().createTransfers(old, 0, 77,
                new TransferEventArray(1).add(nextTransferId, 1, 2, 5, 0, 0, LEDGER, 0, 1, 0));
            old.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)1, MessageHeaderEncoder.BYTE_ORDER);
            while (raw.offer(old, 0, oldLength) < 0)
            {
                raw.pollEgress();
            }
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (templates.size() < 2 && System.nanoTime() < deadline)
            {
                if (0 == raw.pollEgress())
                {
                    sleep(1);
                }
            }
        }
        assertEquals(List.of(RejectedDecoder.TEMPLATE_ID, RejectedDecoder.TEMPLATE_ID), templates,
            "the malformed frame and the version 1 request are answered Rejected");
        assertTrue(rejections.get(1).startsWith("UNSUPPORTED_VERSION: "), rejections.toString());
        assertTrue(rejections.get(1).contains("upgrade"), rejections.toString());
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (final ClusterNode node : nodes)
        {
            while (node.service().rejectedMessages() < 2 && System.nanoTime() < deadline)
            {
                sleep(10);
            }
            assertEquals(2, node.service().rejectedMessages(), "member " + node.memberId() + " counted them");
        }
    }

    private void assertRefusesClientsWithoutCredentials()
    {
        final int leader = leader();
        final long refusedBefore = nodes[leader].refusedLogins();
        for (final ClientContext refused : List.of(
            clientContext(CLIENT_ID, "not-the-secret"), clientContext(CLIENT_ID + 1, SECRET)))
        {
            final PaycoreClientException ex =
                assertThrows(PaycoreClientException.class, () -> PaycoreClient.connect(refused).close());
            assertTrue(ex.getMessage().contains("refused client id " + refused.clientId()), ex.getMessage());
        }
        assertEquals(refusedBefore + 2, nodes[leader].refusedLogins(), "the leader counted both refusals");

        // paycore stat shows the member's own counters beside the cluster's.
        final Path leaderData = temp.resolve("member-" + leader);
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String stat = "";
        while (System.nanoTime() < deadline)
        {
            stat = run("stat", "--data", leaderData.toString());
            if (counter(stat, "cluster member " + leader + " records applied") ==
                nodes[leader].service().appliedRecords())
            {
                break;
            }
            sleep(50);
        }
        assertEquals(nodes[leader].service().appliedRecords(),
            counter(stat, "cluster member " + leader + " records applied"), stat);
        assertEquals(2, counter(stat, "cluster member " + leader + " messages rejected (malformed)"), stat);
        assertEquals(refusedBefore + 2, counter(stat, "cluster member " + leader + " logins refused"), stat);
        assertTrue(counter(stat, "cluster member " + leader + " history checks passed") > 0, stat);
        assertEquals(0, counter(stat, "cluster member " + leader + " history checks failed (its ledger or the " +
            "leader's went another way)"), stat);
        assertTrue(stat.contains("Cluster node role"), stat);
    }

    /**
     * @return the value of the counter {@code paycore stat} printed with this label, or -1 if it printed none.
     */
    private static long counter(final String stat, final String label)
    {
        for (final String line : stat.lines().toList())
        {
            final int dash = line.indexOf(" - ");
            if (dash > 0 && line.substring(dash + 3).equals("paycore: " + label))
            {
                return Long.parseLong(line.substring(line.indexOf(':') + 1, dash).trim().replace(",", ""));
            }
        }
        return -1;
    }

    private void awaitSnapshotOnEveryMember()
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (final ClusterNode node : nodes)
        {
            while (0 == node.service().snapshotsTaken())
            {
                if (System.nanoTime() > deadline)
                {
                    fail("member " + node.memberId() + " took no snapshot");
                }
                sleep(10);
            }
        }
    }

    private static String run(final String... args)
    {
        return run(0, args);
    }

    private static String run(final int expectedStatus, final String... args)
    {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status;
        try
        {
            // Errors too, so that a failed command says why in the assertion's message.
            final PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
            System.setOut(printed);
            System.setErr(printed);
            status = PaycoreMain.execute(args);
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, printed);
        return printed;
    }

    @Test
    void shouldRestartMembersFromEitherKindOfSnapshotWithOrWithoutALedgerSnapshotOfTheirOwn() throws IOException
    {
        // Member 0 puts the whole ledger in the cluster's snapshot; the others name a record and write the ledger
        // there from their snapshotter threads.
        nodes[0] = ClusterNode.launch(context(0).snapshotsOffServiceThread(false));
        // Member 1's journal in the smallest segments, so that it has whole segments before its ledger snapshot to
        // archive.
        nodes[1] = launchWithSmallSegments(context(1));
        nodes[2] = launch(2);
        connect();
        createAccounts();
        final Set<Long> created = new HashSet<>();
        // Past the 256-transfer hot window: the snapshotters' copies read their members' cold tiers. Some 1.4 KB a
        // record, so more than one 64 KiB segment.
        sendTransfers(60, created);

        assertEquals(ClusterCommand.EXIT_OK, PaycoreMain.execute("cluster", "snapshot", "--data",
            temp.resolve("member-" + leader()).toString()));
        awaitSnapshotOnEveryMember();
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (nodes[1].service().ledgerSnapshotsWritten() < 1 || nodes[2].service().ledgerSnapshotsWritten() < 1)
        {
            assertTrue(System.nanoTime() < deadline, "members 1 and 2 wrote their ledger snapshots");
            sleep(10);
        }
        assertEquals(0, nodes[0].service().ledgerSnapshotsWritten());
        // Its counters follow on the service's next duty cycles.
        String stat = run("stat", "--data", temp.resolve("member-1").toString());
        while (counter(stat, "cluster member 1 ledger snapshots written") < 1 && System.nanoTime() < deadline)
        {
            sleep(10);
            stat = run("stat", "--data", temp.resolve("member-1").toString());
        }
        assertEquals(1, counter(stat, "cluster member 1 ledger snapshots written"), stat);
        assertEquals(0, counter(stat, "cluster member 1 ledger snapshots failed (or the snapshotter stopped)"), stat);
        // An operator archives member 1's journal before its ledger snapshot while it runs; it restarts below from
        // that snapshot and what the journal kept.
        final Path member1 = temp.resolve("member-1");
        final String archived = run("journal", "archive", "--data", member1.toString(), "--before-snapshot");
        assertTrue(archived.startsWith("archived "), archived);
        try (Stream<Path> files = Files.list(member1.resolve("archive").resolve("journal")))
        {
            assertTrue(files.anyMatch((file) -> file.getFileName().toString().endsWith(".seg")), archived);
        }
        sendTransfers(10, created);

        // One member at a time, so that two always run, each restarted once the other two answer without it.
        // The first reads the whole-ledger snapshot it took.
        final long snapshotRecords = nodes[0].service().appliedRecords();
        nodes[0].close();
        sendTransfers(5, created);
        nodes[0] = launch(0);
        nodes[1].close();
        sendTransfers(5, created);
        nodes[1] = launchWithSmallSegments(context(1));
        // A ledger snapshot of another history where the cluster's snapshot points: the member refuses to start.
        nodes[2].close();
        sendTransfers(5, created);
        final Path snapshots = temp.resolve("member-2").resolve("snapshots");
        final long[] written = new SnapshotStore(snapshots).sequences();
        IoUtil.delete(snapshots.toFile(), false);
        try (LmdbColdTier otherTier = new LmdbColdTier(temp.resolve("other-cold"), COLD_TIER_BYTES))
        {
            new SnapshotTaker(snapshots, 3, Throwable::printStackTrace)
                .take(new Ledger(LIMITS, otherTier), written[written.length - 1]);
        }
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        nodes[2] = ClusterNode.launch(context(2).errorHandler(errors::add));
        final String refusal = "give a ledger other than the one the cluster's snapshot names";
        while (errors.stream().noneMatch((error) -> String.valueOf(error.getMessage()).contains(refusal) ||
            (null != error.getCause() && String.valueOf(error.getCause().getMessage()).contains(refusal))))
        {
            assertTrue(System.nanoTime() < deadline + TIMEOUT.toNanos(), "member 2 refused: " + errors);
            sleep(10);
        }
        assertEquals(0, nodes[2].service().appliedRecords());
        nodes[2].close();

        // Without its ledger snapshots, a member rebuilds the ledger the cluster's snapshot names from its journal.
        IoUtil.delete(snapshots.toFile(), false);
        nodes[2] = launch(2);
        sendTransfers(5, created);

        assertEveryTransferFound(created);
        awaitEqualDigests();
        final long loaded = nodes[0].service().recordsInLoadedSnapshot();
        assertTrue(loaded > 0 && loaded < snapshotRecords, "member 0 started from its snapshot: " + loaded);
        assertEquals(null, nodes[0].service().rebuildReport());
        assertEquals(loaded, nodes[1].service().recordsInLoadedSnapshot());
        assertEquals("the ledger snapshot at record " + loaded + " and 0 journal record(s) after it",
            nodes[1].service().rebuildReport());
        assertEquals(loaded, nodes[2].service().recordsInLoadedSnapshot());
        assertEquals("the journal alone and " + loaded + " journal record(s) after it",
            nodes[2].service().rebuildReport());
    }

    /**
     * A leader stopped and started again at once (a supervisor's restart, in this JVM here) can win the next election
     * itself; the client then hears of no new term, and the leader drops its requests, stamped with the old one. It
     * had waited out its whole request timeout; after {@link ClientContext#clusterReconnectAfterNanos()} of silence
     * it now takes a new session and sends what is in flight again.
     */
    @Test
    void shouldAnswerEveryRequestWhileTheLeaderIsRestartedAtOnce()
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = launch(i);
        }
        reconnectAfterNanos = TimeUnit.SECONDS.toNanos(3);
        connect();
        createAccounts();
        final Set<Long> created = new HashSet<>();
        sendTransfers(5, created);
        for (int round = 0; round < 4; round++)
        {
            final int leader = leader();
            nodes[leader].close();
            nodes[leader] = launch(leader);
            sendTransfers(2, created);
        }
        assertEveryTransferFound(created);
        awaitEqualDigests();
    }

    /**
     * A client whose session the cluster closes (here: it went silent past the members' session timeout, as a
     * paused process would) takes a new session and sends what is in flight again, instead of failing the call.
     */
    @Test
    void shouldTakeANewSessionWhenTheClusterClosesTheClientsOwn()
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            // Twice the client's keep-alive interval, so that only a silent client loses its session.
            nodes[i] = ClusterNode.launch(context(i).sessionTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
        }
        connect();
        createAccounts();
        final Set<Long> created = new HashSet<>();
        sendTransfers(2, created);

        // Neither sends nor polls, so sends no keep-alive: the leader closes the session after two seconds. The next
        // request goes on the closed session, and the wait for its answer finds it closed.
        sleep(3_500);
        sendTransfers(3, created);
        final long afterWait = client.reconnects();
        assertTrue(afterWait >= 1, "new sessions: " + afterWait);

        // Again, but the client hears of the close before it sends: the send finds the session closed.
        sleep(3_500);
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (client.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "the cluster closed the silent session");
            client.poll(EgressListener.DISCARD);
            sleep(1);
        }
        sendTransfers(3, created);
        assertTrue(client.reconnects() > afterWait, "new sessions: " + client.reconnects());
        assertEveryTransferFound(created);
        awaitEqualDigests();
    }

    @Test
    void shouldTakeASnapshotEveryNRecordsOnEveryMember()
    {
        final LedgerLimits largeBatches = new LedgerLimits()
            .maxAccounts(1024).maxTransfers(2048).maxPendingTransfers(4096).maxBatchEvents(1024);
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = ClusterNode.launch(context(i).snapshotEveryRecords(20).ledgerLimits(largeBatches));
        }
        connect();
        createAccounts();
        sendTransfers(50, new HashSet<>());

        // The largest batch the limits allow is journaled on every member (it is larger than a default record).
        final TransferEventArray large = new TransferEventArray(1024);
        for (int i = 0; i < 1024; i++)
        {
            final long id = nextTransferId++;
            large.add(id, 1 + id % ACCOUNTS, 1 + (id + 1) % ACCOUNTS, 1, 0, 0, LEDGER, 0, 1, 0);
        }
        assertTrue(client.createTransfersAndWait(large, TIMEOUT).all(CreateTransferResult.OK));

        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (final ClusterNode node : nodes)
        {
            while (node.service().snapshotsTaken() < 2)
            {
                if (System.nanoTime() > deadline)
                {
                    fail("member " + node.memberId() + " took " + node.service().snapshotsTaken() + " snapshots");
                }
                sleep(10);
            }
        }
        awaitEqualDigests();
    }

    @Test
    void shouldStopAMemberThatCannotWriteItsColdTierAndCatchItUpOnceItCan()
    {
        final int small = 2;
        final AtomicBoolean terminated = new AtomicBoolean();
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = small != i ? launch(i) : ClusterNode.launch(context(i)
                .coldTierSizeBytes(ServiceContext.COLD_TIER_SIZE_MIN)
                .terminationHook(() -> terminated.set(true)));
        }
        connect();
        createAccounts();

        // A 1 MiB tier holds some thousands of transfers: the others' 64 MiB hold all of these.
        final Set<Long> created = new HashSet<>();
        final RuntimeException failure = sendUntilStopped(small, terminated, created, "tier");
        assertTrue(failure instanceof ColdTierFullException, failure.toString());

        // Given room, the member replays the log over what its tier holds (checked, not rewritten) and catches up.
        nodes[small] = launch(small);
        sendTransfers(5, created);
        awaitEqualDigests();
        assertEveryTransferFound(created);
    }

    /**
     * The journal's path to a full disk, as the tier's above: a member whose journal sits on a 1 MiB tmpfs stops when
     * it fills, the others go on, and once its disk has room it catches up. Needs permission to mount (root in CI);
     * skipped with a message otherwise.
     */
    @Test
    void shouldStopAMemberThatCannotWriteItsJournalAndCatchItUpOnceItCan() throws Exception
    {
        final int small = 2;
        final Path journal = temp.resolve("member-" + small).resolve("journal");
        Files.createDirectories(journal);
        final String mountError = Commands.run(60, "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", journal.toString());
        Assumptions.assumeTrue(null == mountError, () -> "cannot mount a 1 MiB tmpfs to fill a member's journal " +
            "(needs root or CAP_SYS_ADMIN); test skipped: " + mountError);
        mountedJournal = journal;
        final AtomicBoolean terminated = new AtomicBoolean();
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = small != i ? launch(i) : launchWithSmallSegments(context(i)
                .terminationHook(() -> terminated.set(true)));
        }
        connect();
        createAccounts();

        // Segments of 64 KiB, two of them kept spare: the 1 MiB fills after some hundreds of batches of ten.
        final Set<Long> created = new HashSet<>();
        final RuntimeException failure = sendUntilStopped(small, terminated, created, "journal");
        assertTrue(failure instanceof JournalException, failure.toString());
        assertTrue(hasCause(failure, IOException.class), failure.toString());

        // Given room, the member keeps every record its journal holds and takes the rest from the others' log.
        assertEquals(null, Commands.run(60, "mount", "-o", "remount,size=64m", journal.toString()));
        nodes[small] = launchWithSmallSegments(context(small));
        sendTransfers(5, created);
        awaitEqualDigests();
        assertEveryTransferFound(created);
    }

    /**
     * The members check their ledgers against the leader's as they go: every few records each offers its history
     * hash, the leader's reaches the log, and every member compares it with its own. A member started with other
     * limits than the others (fewer accounts: some of the leader's accounts are refused on it) goes another way, and
     * its checks fail, naming the record; the others' pass.
     */
    @Test
    void shouldFailTheHistoryChecksOfAMemberWhoseLedgerWentAnotherWay()
    {
        nodes[0] = launch(0);
        nodes[1] = launch(1);
        connect();
        final List<Throwable> reported = new CopyOnWriteArrayList<>();
        final LedgerLimits fewerAccounts = new LedgerLimits()
            .maxAccounts(ACCOUNTS / 2).maxTransfers(256).maxPendingTransfers(4096).maxBatchEvents(128);
        nodes[2] = ClusterNode.launch(context(2).ledgerLimits(fewerAccounts).errorHandler(reported::add));
        createAccounts();
        sendTransfers(5, new HashSet<>());

        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (0 == nodes[2].service().historyChecksFailed() || reported.isEmpty())
        {
            assertTrue(System.nanoTime() < deadline, "member 2's history checks did not fail: " +
                nodes[2].service().historyChecksPassed() + " passed, " +
                nodes[2].service().historyChecksSkipped() + " skipped");
            sleep(10);
        }
        final String failure = reported.stream().map(Throwable::getMessage)
            .filter((message) -> null != message && message.startsWith("history check at record ")).findFirst()
            .orElseThrow(() -> new AssertionError("no history check reported: " + reported));
        assertTrue(failure.matches("history check at record \\d+ failed: this member's ledger has history hash " +
            "[0-9a-f]{32} there, the cluster's log gives [0-9a-f]{32} \\(the leader's when it applied that record\\)" +
            ": one of their ledgers went another way\\. .*"), failure);
        for (int i = 0; i < 2; i++)
        {
            assertEquals(0, nodes[i].service().historyChecksFailed(), "member " + i);
            assertTrue(nodes[i].service().historyChecksPassed() > 0, "member " + i);
        }
    }

    /**
     * A member whose journal went another way than the cluster's log (here: its last message's timestamp changed,
     * with a checksum chain that still holds) stops when it is restarted, before it applies that record, naming it;
     * {@code node} exits with a status of its own for it. Started again on an empty directory it replays the log
     * into a new journal and ends equal to the others, and {@code journal compare} names the record in the old one.
     */
    @Test
    void shouldStopAMemberWhoseJournalDiffersFromTheLogAndRebuildItOnAnEmptyDirectory() throws Exception
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = launch(i);
        }
        connect();
        createAccounts();
        final Set<Long> created = new HashSet<>();
        sendTransfers(5, created);
        awaitEqualDigests();

        final int member = (leader() + 1) % MEMBERS;
        nodes[member].close();
        final Path directory = temp.resolve("member-" + member);
        final long changed = rewriteWithTheLastTimestampChanged(directory.resolve("journal"));
        final AtomicBoolean terminated = new AtomicBoolean();
        nodes[member] = ClusterNode.launch(context(member).terminationHook(() -> terminated.set(true)));
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (null == nodes[member].service().failure() || !terminated.get())
        {
            assertTrue(System.nanoTime() < deadline, "the member did not stop on its journal");
            sleep(10);
        }
        final RuntimeException failure = nodes[member].service().failure();
        assertTrue(failure instanceof JournalDisagreementException, failure.toString());
        assertEquals(changed, ((JournalDisagreementException)failure).sequence());
        assertTrue(failure.getMessage().contains("journal record " + changed + " is MESSAGE Create"),
            failure.getMessage());
        assertTrue(failure.getMessage().contains("(they differ in its timestamp). Move this member's data directory " +
            "aside"), failure.getMessage());
        assertEquals(changed - 1, nodes[member].service().appliedRecords(), "it applied nothing from that record on");
        assertEquals(NodeCommand.EXIT_JOURNAL_DIFFERS, NodeCommand.exitStatusFor(failure));
        nodes[member].close();

        final Path aside = temp.resolve("member-" + member + "-aside");
        Files.move(directory, aside);
        nodes[member] = launch(member);
        sendTransfers(2, created);
        awaitEqualDigests();
        assertEveryTransferFound(created);
        final JournalComparison.Result comparison =
            JournalComparison.compare(aside.resolve("journal"), directory.resolve("journal"));
        assertEquals(changed, comparison.firstDifference(), comparison.toString());
        assertEquals("timestamp", comparison.difference());
    }

    /**
     * Write a journal again with the same records, but its last message 1 ns later (ticks may follow it).
     *
     * @return the sequence of the record changed.
     */
    private static long rewriteWithTheLastTimestampChanged(final Path journalDirectory) throws IOException
    {
        final List<int[]> types = new ArrayList<>();
        final List<long[]> timestamps = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journalDirectory, 1))
        {
            while (reader.poll((type, sequence, timestampNanos, buffer, offset, length) ->
            {
                types.add(new int[]{ type });
                timestamps.add(new long[]{ timestampNanos });
                final byte[] payload = new byte[length];
                buffer.getBytes(offset, payload);
                payloads.add(payload);
            }, 1024) > 0)
            {
                // Every record.
            }
        }
        int changed = types.size() - 1;
        while (RecordTypes.MESSAGE != types.get(changed)[0])
        {
            changed--;
        }
        timestamps.get(changed)[0]++;
        IoUtil.delete(journalDirectory.toFile(), false);
        try (Journal journal = Journal.open(new JournalContext().directory(journalDirectory)
            .flushLevel(FlushLevel.NONE)))
        {
            for (int i = 0; i < payloads.size(); i++)
            {
                journal.append(types.get(i)[0], timestamps.get(i)[0], new UnsafeBuffer(payloads.get(i)), 0,
                    payloads.get(i).length);
            }
        }
        return changed + 1;
    }

    /**
     * Send batches until the small member stops, see its termination hook run and that it applies nothing more
     * while the others go on, then close it.
     *
     * @return why it stopped.
     */
    private RuntimeException sendUntilStopped(
        final int small, final AtomicBoolean terminated, final Set<Long> created, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (null == nodes[small].service().failure())
        {
            assertTrue(System.nanoTime() < deadline, "the small " + what + " never filled");
            sendTransfers(10, created);
        }
        final RuntimeException failure = nodes[small].service().failure();
        final long stoppedAt = nodes[small].service().appliedRecords();
        final long awaitHook = System.nanoTime() + TIMEOUT.toNanos();
        while (!terminated.get())
        {
            assertTrue(System.nanoTime() < awaitHook, "the member's termination hook did not run");
            sleep(10);
        }
        sendTransfers(5, created);
        assertEquals(stoppedAt, nodes[small].service().appliedRecords(), "the stopped member applies nothing more");
        nodes[small].close();
        return failure;
    }

    private static ClusterNode launchWithSmallSegments(final ClusterNodeContext context)
    {
        // The member builds its journal's settings from the system properties; no other member launches meanwhile.
        System.setProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME, Integer.toString(JournalContext.SEGMENT_LENGTH_MIN));
        try
        {
            return ClusterNode.launch(context);
        }
        finally
        {
            System.clearProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME);
        }
    }

    private static boolean hasCause(final Throwable throwable, final Class<? extends Throwable> type)
    {
        for (Throwable t = throwable; null != t; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldAnswerEveryPipelinedRequestOnceAcrossAChangeOfLeader()
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            nodes[i] = launch(i);
        }
        connect();
        createAccounts();

        // The callback API, 32 requests in flight; the leader is stopped a third of the way through.
        final int requests = 300;
        final int window = 32;
        final Map<Long, Integer> answers = new HashMap<>();
        final List<CreateTransferResult> results = new ArrayList<>();
        final EgressListener listener = new EgressListener()
        {
            public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
            {
            }

            public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
            {
                answers.merge(result.correlationId(), 1, Integer::sum);
                for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
                {
                    results.add(entry.result());
                }
            }

            public void onAccounts(final AccountsDecoder accounts)
            {
            }

            public void onTransfers(final TransfersDecoder transfers)
            {
            }

            public void onRejected(final RejectedDecoder rejected)
            {
                fail("rejected: " + rejected);
            }
        };
        final TransferEventArray batch = new TransferEventArray(10);
        final List<Long> ids = new ArrayList<>();
        final Set<Long> correlationIds = new HashSet<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int leaderStopped = -1;
        while (answers.size() < requests)
        {
            assertTrue(System.nanoTime() < deadline, answers.size() + " of " + requests + " answered");
            if (correlationIds.size() < requests && correlationIds.size() - answers.size() < window)
            {
                batch.reset();
                final long first = nextTransferId;
                for (int i = 0; i < 10; i++)
                {
                    final long id = first + i;
                    batch.add(id, 1 + id % ACCOUNTS, 1 + (id + 1) % ACCOUNTS, 1, 0, 0, LEDGER, 0, 1, 0);
                }
                final long correlationId = client.createTransfers(batch);
                if (correlationId > 0)
                {
                    nextTransferId += 10;
                    correlationIds.add(correlationId);
                    for (int i = 0; i < 10; i++)
                    {
                        ids.add(first + i);
                    }
                }
            }
            if (leaderStopped < 0 && answers.size() >= requests / 3)
            {
                leaderStopped = leader();
                nodes[leaderStopped].close();
                nodes[leaderStopped] = null;
            }
            if (0 == client.poll(listener))
            {
                sleep(1);
            }
        }
        assertEquals(correlationIds, answers.keySet(), "every request answered");
        assertTrue(answers.values().stream().allMatch(n -> 1 == n), "once each: " + answers);
        assertTrue(results.stream().allMatch(r -> CreateTransferResult.OK == r || CreateTransferResult.EXISTS == r),
            "created, or created before the change of leader: " + results);
        assertTrue(client.resends() > 0, "requests in flight were sent again to the new leader");
        assertEquals(0, client.requestsInFlight());

        assertEveryTransferFound(ids);
        nodes[leaderStopped] = launch(leaderStopped);
        awaitEqualDigests();
    }

    private void assertEveryTransferFound(final java.util.Collection<Long> created)
    {
        final long[] ids = created.stream().mapToLong(Long::longValue).toArray();
        int found = 0;
        for (int from = 0; from < ids.length; from += 100)
        {
            final long[] chunk = java.util.Arrays.copyOfRange(ids, from, Math.min(ids.length, from + 100));
            found += client.lookupTransfersAndWait(TIMEOUT, chunk).size();
        }
        assertEquals(ids.length, found, "every acknowledged transfer is on the leader");
    }

    private void connect()
    {
        leader();
        clientDriver = LocalCluster.launchClientDriver(temp.resolve("client-aeron"));
        client = PaycoreClient.connect(clientContext(CLIENT_ID, SECRET));
    }

    private ClientContext clientContext(final long clientId, final String secret)
    {
        return new ClientContext()
            .clusterIngressEndpoints(members.ingressEndpoints())
            .clientId(clientId)
            .secret(secret)
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .queryChannel(QUERY_CHANNEL)
            .clusterReconnectAfterNanos(reconnectAfterNanos)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(20));
    }

    private void createAccounts()
    {
        final AccountEventArray accounts = new AccountEventArray(ACCOUNTS);
        for (long id = 1; id <= ACCOUNTS; id++)
        {
            accounts.add(id, 0, LEDGER, 1, 0);
        }
        final CreateResults<CreateAccountResult> accountResults = client.createAccountsAndWait(accounts, TIMEOUT);
        assertTrue(accountResults.all(CreateAccountResult.OK), accountResults.toString());
    }

    private ClusterNode launch(final int memberId)
    {
        return ClusterNode.launch(context(memberId));
    }

    private ClusterNodeContext context(final int memberId)
    {
        return new ClusterNodeContext()
            .memberId(memberId)
            .members(members)
            .dataDirectory(temp.resolve("member-" + memberId))
            .flushLevel(FlushLevel.NONE)
            .ledgerLimits(LIMITS)
            .leaderHeartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(1))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .snapshotEveryRecords(0)
            // Often, so that every test here checks the members' histories against each other as they go.
            .historyCheckEveryRecords(4)
            .coldTierSizeBytes(COLD_TIER_BYTES)
            .credentials(CREDENTIALS)
            .errorHandler(Throwable::printStackTrace);
    }

    /**
     * Batches of ten: single-phase transfers and pending ones with a one-second timeout (which the cluster's timer
     * expires). A batch re-sent after a change of leader may answer EXISTS for what the old leader had committed.
     */
    private void sendTransfers(final int batches, final Set<Long> created)
    {
        final TransferEventArray batch = new TransferEventArray(10);
        for (int b = 0; b < batches; b++)
        {
            batch.reset();
            for (int i = 0; i < 10; i++)
            {
                final long id = nextTransferId++;
                final long debit = 1 + id % ACCOUNTS;
                final long credit = 1 + (id + 1) % ACCOUNTS;
                final int flags = 0 == id % 4 ? TransferFlags.PENDING : 0;
                batch.add(id, debit, credit, 1 + id % 100, 0, 0, LEDGER, 0 == flags ? 0 : 1, 1, flags);
            }
            final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(batch, TIMEOUT);
            for (int i = 0; i < results.count(); i++)
            {
                final CreateTransferResult result = results.result(i);
                assertTrue(CreateTransferResult.OK == result || CreateTransferResult.EXISTS == result,
                    "transfer " + batch.idLo(i) + ": " + result);
                created.add(batch.idLo(i));
            }
        }
    }

    private int leader()
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline)
        {
            for (int i = 0; i < MEMBERS; i++)
            {
                if (null != nodes[i] && Cluster.Role.LEADER == nodes[i].service().role())
                {
                    return i;
                }
            }
            sleep(10);
        }
        fail("no member leads");
        return -1;
    }

    /**
     * Wait until every member has applied the same records, with the same digest, and has applied nothing more for
     * longer than the tick interval: until then the cluster's timer may still expire pending transfers (each
     * expiry a journaled tick), so a digest taken earlier need not be the members' last.
     */
    private List<String> awaitEqualDigests()
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        final long quietNanos = PaycoreClusteredService.TICK_INTERVAL_NANOS + TimeUnit.MILLISECONDS.toNanos(500);
        List<PaycoreClusteredService.State> states = List.of();
        long agreedRecords = -1;
        long agreedSinceNanos = 0;
        while (System.nanoTime() < deadline)
        {
            for (final ClusterNode node : nodes)
            {
                node.service().requestDigest();
            }
            sleep(100);
            states = new ArrayList<>();
            for (final ClusterNode node : nodes)
            {
                states.add(node.service().state());
            }
            final long applied = nodes[0].service().appliedRecords();
            if (states.stream().allMatch(s -> s.appliedRecords() == applied && applied > 0) &&
                states.stream().map(PaycoreClusteredService.State::digest).distinct().count() == 1)
            {
                if (applied != agreedRecords)
                {
                    agreedRecords = applied;
                    agreedSinceNanos = System.nanoTime();
                }
                else if (System.nanoTime() - agreedSinceNanos > quietNanos)
                {
                    for (final ClusterNode node : nodes)
                    {
                        assertEquals(0, node.service().historyChecksFailed(), "history checks failed");
                    }
                    return states.stream().map(PaycoreClusteredService.State::digest).toList();
                }
            }
        }
        fail("the members did not reach one digest: " + states);
        return List.of();
    }

    private static String auditDigest(final Path data)
    {
        final String[] args = new String[5 + AUDIT_LIMITS.length];
        args[0] = "audit";
        args[1] = "--data";
        args[2] = data.toString();
        args[3] = "--progress";
        args[4] = "never";
        System.arraycopy(AUDIT_LIMITS, 0, args, 5, AUDIT_LIMITS.length);
        final List<String> lines = run(args).lines().toList();
        return lines.get(lines.size() - 1);
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
            throw new IllegalStateException(ex);
        }
    }
}
