package io.paycore.service.cluster;

import io.aeron.cluster.service.Cluster;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code paycore node} as a cluster of one member, run in the test's JVM through its command line, until it leads.
 */
final class SingleMemberNode
{
    final Path data;
    final Future<Integer> status;
    final PaycoreClusteredService service;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /**
     * Start the member and wait until it leads.
     *
     * @param temp     where its data directory and clients file go.
     * @param basePort its base port.
     * @param executor runs the command.
     * @param launched given the member once it has started (before it leads), to set seams of its service.
     * @throws Exception if it does not start or stops.
     */
    SingleMemberNode(
        final Path temp, final int basePort, final ExecutorService executor, final Consumer<ClusterNode> launched)
        throws Exception
    {
        final Path clients = temp.resolve("clients");
        Files.writeString(clients, ClientCredentials.line(1, "single-member-secret", 1_000) + "\n");
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);
        data = temp.resolve("node");
        final CompletableFuture<ClusterNode> started = new CompletableFuture<>();
        final CommandLine commandLine = new CommandLine(new NodeCommand().launchedHook((node) ->
        {
            launched.accept(node);
            started.complete(node);
        }));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        status = executor.submit(() -> commandLine.execute("--id", "0", "--members", "localhost:" + basePort,
            "--data", data.toString(), "--clients", clients.toString(), "--flush", "none", "--cold-tier-size", "0",
            "--max-accounts", "1024", "--hot-transfers", "4096", "--max-pending", "256", "--heartbeat-timeout",
            "500ms", "--startup-canvass-timeout", "1s"));
        service = started.get(60, TimeUnit.SECONDS).service();
        // A leader's role reaches the service on its thread after it started.
        while (Cluster.Role.LEADER != service.role())
        {
            assertFalse(status.isDone(), () -> "the member stopped: " + out + err);
            Thread.sleep(10);
        }
    }
}
