package io.paycore.service.cluster;

import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore node --warmup}: the scratch cluster of the member alone runs the transfers, leaves nothing behind
 * (no data directory, no scratch directory), and frees the member's ports for the member itself.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeWarmUpTest
{
    private static final ClusterMembers MEMBERS =
        ClusterMembers.parse("localhost:21280,localhost:21300,localhost:21320");
    private static final int MEMBER_ID = 1;
    private static final long TRANSFERS = 20_000;
    private static final String SCRATCH_PREFIX = "paycore-node-warmup-";

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldRunTheTransfersOnAScratchMemberAndLeaveItsPortsFree() throws Exception
    {
        final Path data = temp.resolve("member-1");
        final ClusterNodeContext member = new ClusterNodeContext()
            .memberId(MEMBER_ID)
            .members(MEMBERS)
            .dataDirectory(data)
            .flushLevel(FlushLevel.NONE)
            .ledgerLimits(new LedgerLimits().maxAccounts(1024).maxTransfers(4096).maxPendingTransfers(8192))
            .coldTierSizeBytes(64L << 20)
            .snapshotEveryRecords(0);
        final List<Path> scratchBefore = scratchDirectories();

        // The member's own client port is taken (say, by a client's stale socket): the scratch run never uses it.
        final String line;
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 21302)))
        {
            line = NodeWarmUp.run(member, TRANSFERS);
        }

        assertTrue(line.startsWith("warm-up: 20,000 transfers through a scratch one-member cluster on localhost " +
            "(base port "), line);
        assertTrue(line.contains(" ms until the JIT was quiet"), line);
        assertFalse(Files.exists(data), "the warm-up wrote to the member's data directory");
        assertEquals(scratchBefore, scratchDirectories(), "a scratch directory was left behind");

        // The member's own ports are free: a cluster of it alone starts on them and answers.
        final String secret = "node-warm-up-test-secret";
        ClusterNode node = null;
        MediaDriver clientDriver = null;
        PaycoreClient client = null;
        try
        {
            final ClusterMembers alone = ClusterMembers.parse("localhost:21300");
            node = ClusterNode.launch(NodeWarmUp.scratchContext(member, alone, temp.resolve("after"))
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(1, secret, 1)), "test")));
            clientDriver = LocalCluster.launchClientDriver(temp.resolve("client-aeron"));
            client = PaycoreClient.connect(new ClientContext()
                .clusterIngressEndpoints(alone.ingressEndpoints())
                .clientId(1)
                .secret(secret)
                .aeronDirectoryName(clientDriver.aeronDirectoryName())
                .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(30)));
            final AccountEventArray accounts = new AccountEventArray(1);
            accounts.add(1, 0, 1, 1, 0);
            final CreateResults<CreateAccountResult> results =
                client.createAccountsAndWait(accounts, Duration.ofSeconds(30));
            assertTrue(results.all(CreateAccountResult.OK), results.toString());
        }
        finally
        {
            CloseHelper.closeAll(client, clientDriver, node);
        }
    }

    @Test
    void shouldFindFiveFreePortsInARowInADifferentPlaceForEachMemberOfAMachine() throws Exception
    {
        final int first = NodeWarmUp.freeBasePort(21300);
        final int second = NodeWarmUp.freeBasePort(21310);
        assertTrue(first >= NodeWarmUp.FIRST_BASE_PORT && first <= NodeWarmUp.LAST_BASE_PORT, "" + first);
        assertTrue(first != second, first + " for both members");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            first + 3)))
        {
            final int next = NodeWarmUp.freeBasePort(21300);
            assertTrue(next != first && next >= NodeWarmUp.FIRST_BASE_PORT && next <= NodeWarmUp.LAST_BASE_PORT,
                first + " then " + next);
            assertEquals(0, next % 10);
        }
    }

    @Test
    void shouldRefuseANegativeCount()
    {
        final Path data = temp.resolve("node");

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:21280", "--data",
            data.toString(), "--warmup", "-1"));

        assertTrue(console.err().startsWith("paycore node: --warmup must not be negative: -1"), console.err());
        assertFalse(Files.exists(data));
    }

    private static List<Path> scratchDirectories() throws IOException
    {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return entries.filter((path) -> path.getFileName().toString().startsWith(SCRATCH_PREFIX)).sorted().toList();
        }
    }
}
