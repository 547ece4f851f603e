package io.paycore.service.cluster;

import io.aeron.cluster.service.Cluster;
import io.paycore.journal.JournalException;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore node} stopped by a signal closes its member, and the service closes its journal as it does
 * ({@code onTerminate}): a journal that cannot be closed (its last force failed) leaves records not known durable.
 * The command must say so and give the storage failure's status; it read the service's failure before closing the
 * member, so such a failure went unreported and the command ended as after a clean stop (0, nothing said).
 * The signal is delivered as the JVM's shutdown hook delivers SIGTERM: every {@link ShutdownSignalBarrier} signalled.
 */
class NodeCloseFailureReviewTest
{
    private static final String FAILURE = "injected: the journal's last force failed as it closed";

    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldReportAJournalThatFailsToCloseAfterASignal() throws Exception
    {
        final Path clients = temp.resolve("clients");
        Files.writeString(clients, ClientCredentials.line(1, "node-close-failure-secret", 1_000) + "\n");
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);
        final CompletableFuture<ClusterNode> launched = new CompletableFuture<>();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(new NodeCommand().launchedHook((node) ->
        {
            node.service().journalCloser((journal) ->
            {
                journal.close();
                throw new JournalException(FAILURE);
            });
            launched.complete(node);
        }));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        final Future<Integer> status = executor.submit(() -> commandLine.execute("--id", "0", "--members",
            "localhost:33500", "--data", temp.resolve("node").toString(), "--clients", clients.toString(),
            "--flush", "none", "--cold-tier-size", "0", "--max-accounts", "1024", "--hot-transfers", "4096",
            "--max-pending", "256", "--heartbeat-timeout", "500ms", "--startup-canvass-timeout", "1s"));
        final PaycoreClusteredService service = launched.get(60, TimeUnit.SECONDS).service();
        // A leader's role reaches the service on its thread after it started: it then closes its journal as it ends.
        while (Cluster.Role.LEADER != service.role())
        {
            assertFalse(status.isDone(), () -> "the member stopped: " + out + err);
            Thread.sleep(10);
        }

        try (ShutdownSignalBarrier any = new ShutdownSignalBarrier())
        {
            any.signalAll();
        }

        assertEquals(NodeCommand.EXIT_STORAGE_FAILED, status.get(60, TimeUnit.SECONDS), out + "\n" + err);
        assertTrue(err.toString().contains("paycore node 0: stopped: " + FAILURE), err.toString());
        assertEquals(FAILURE, service.failure().getMessage());
    }
}
