package io.paycore.service.cluster;

import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.FlushLevel;
import io.paycore.replay.audit.AuditReport;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code paycore node} processes under signals: a minority cut off (both followers frozen with SIGSTOP) lets
 * the leader commit and answer nothing, and once thawed everything proceeds with nothing lost; a follower killed
 * with SIGKILL and restarted catches up from its own directory; all journals end with the same digest and exactly
 * the transfers acknowledged. Each start of a member collects its heap once and says so in the member's log.
 */
class ClusterProcessTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long LEDGER = 3;
    private static final int ACCOUNTS = 10;
    private static final LedgerLimits LIMITS = new LedgerLimits()
        .maxAccounts(1024).maxTransfers(65_536).maxPendingTransfers(4096).maxBatchEvents(128);

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private LocalCluster cluster;
    private MediaDriver clientDriver;
    private PaycoreClient client;
    private long nextTransferId = 1;
    private final Set<Long> acknowledged = new HashSet<>();

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(client, cluster, clientDriver);
    }

    @Test
    void shouldCommitNothingWithoutAMajorityAndCatchUpAKilledFollower() throws Exception
    {
        cluster = new LocalCluster(temp, 3, 20_800, LIMITS, FlushLevel.NONE);
        cluster.startAll();
        clientDriver = LocalCluster.launchClientDriver(temp.resolve("client-aeron"));
        client = PaycoreClient.connect(cluster.clientContext(clientDriver.aeronDirectoryName()));
        final AccountEventArray accounts = new AccountEventArray(ACCOUNTS);
        for (long id = 1; id <= ACCOUNTS; id++)
        {
            accounts.add(id, 0, LEDGER, 1, 0);
        }
        assertTrue(client.createAccountsAndWait(accounts, TIMEOUT).all(CreateAccountResult.OK));
        send(10);

        final int leader = client.clusterLeaderMemberId();
        final int first = (leader + 1) % 3;
        final int second = (leader + 2) % 3;
        cluster.suspend(first);
        cluster.suspend(second);
        final TransferEventArray cutOff = batch();
        final CompletableFuture<CreateResults<CreateTransferResult>> answer =
            CompletableFuture.supplyAsync(() -> client.createTransfersAndWait(cutOff, TIMEOUT));
        Thread.sleep(3_000);
        assertFalse(answer.isDone(), "a leader with no majority answered: " + (answer.isDone() ? answer.get() : ""));
        cluster.resume(first);
        cluster.resume(second);
        record(cutOff, answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        send(10);

        final int follower = (client.clusterLeaderMemberId() + 1) % 3;
        cluster.kill(follower);
        // Killed a moment ago, its driver's heartbeat still fresh: 'cluster status' says that the member stopped
        // answering (or, once the heartbeat is old, that it is not running), not with Aeron's stack trace.
        console.reset();
        assertEquals(ClusterCommand.EXIT_FAILED,
            PaycoreMain.execute("cluster", "status", "--data", cluster.memberDirectory(follower).toString()));
        final String status = console.err();
        assertTrue(status.contains("stopped answering") || status.contains("is not running"), status);
        assertFalse(status.contains("\tat "), status);
        send(10);
        cluster.start(follower);
        send(10);
        cluster.awaitCaughtUp(() -> client.poll(EgressListener.DISCARD));
        client.close();
        client = null;
        cluster.stopAll();
        for (int i = 0; i < 3; i++)
        {
            // Each start of a member collected its heap once the ledger was built, and said so.
            assertEquals(i == follower ? 2 : 1, startupCollections(i), "member " + i);
            // And gave its limits, for an operator to compare the members' (they must run with the same).
            assertEquals(i == follower ? 2 : 1, linesEndingWith(i, "; limits accounts 1024, transfers unbounded " +
                "(cold tier), pending 4096, batch 128 (every member must run with the same)"), "member " + i);
        }

        final List<AuditReport> reports = cluster.auditCommonHistory();
        String digest = null;
        for (int i = 0; i < 3; i++)
        {
            final AuditReport report = reports.get(i);
            assertEquals(acknowledged.size(), report.transferResults(CreateTransferResult.OK), "member " + i);
            if (null == digest)
            {
                digest = report.digest();
            }
            assertEquals(digest, report.digest(), "member " + i);
        }
    }

    private long startupCollections(final int memberId) throws IOException
    {
        try (Stream<String> lines = Files.lines(temp.resolve("member-" + memberId + ".log")))
        {
            return lines.filter((line) -> line.matches("paycore node " + memberId +
                ": heap +\\d+ MB in use after a full collection at start \\(\\d+ ms\\), young generation \\d+ MB" +
                "(; warning: .*)?"))
                .count();
        }
    }

    private long linesEndingWith(final int memberId, final String end) throws IOException
    {
        try (Stream<String> lines = Files.lines(temp.resolve("member-" + memberId + ".log")))
        {
            return lines.filter((line) -> line.startsWith("paycore node " + memberId + " of 3: running") &&
                line.endsWith(end)).count();
        }
    }

    private void send(final int batches)
    {
        for (int b = 0; b < batches; b++)
        {
            final TransferEventArray batch = batch();
            record(batch, client.createTransfersAndWait(batch, TIMEOUT));
        }
    }

    private TransferEventArray batch()
    {
        final TransferEventArray batch = new TransferEventArray(10);
        for (int i = 0; i < 10; i++)
        {
            final long id = nextTransferId++;
            batch.add(id, 1 + id % ACCOUNTS, 1 + (id + 1) % ACCOUNTS, 1 + id % 50, 0, 0, LEDGER, 0, 1, 0);
        }
        return batch;
    }

    private void record(final TransferEventArray batch, final CreateResults<CreateTransferResult> results)
    {
        for (int i = 0; i < results.count(); i++)
        {
            final CreateTransferResult result = results.result(i);
            assertTrue(CreateTransferResult.OK == result || CreateTransferResult.EXISTS == result,
                "transfer " + batch.idLo(i) + ": " + result);
            acknowledged.add(batch.idLo(i));
        }
    }
}
