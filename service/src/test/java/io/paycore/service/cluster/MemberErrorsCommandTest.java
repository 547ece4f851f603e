package io.paycore.service.cluster;

import io.aeron.cluster.service.Cluster;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.inspect.ErrorsCommand;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
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
 * {@code paycore errors --data DIR} on a cluster member's directory: a member has no {@code paycore-mark.dat}, and
 * until 2026-12-07 the command said "no paycore mark file ...: not a paycore data directory" (exit 1) of a member
 * that was running. It now prints the errors of the member's consensus module and service.
 */
class MemberErrorsCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldPrintAMembersClusterErrors() throws Exception
    {
        final Path clients = temp.resolve("clients");
        Files.writeString(clients, ClientCredentials.line(1, "member-errors-secret", 1_000) + "\n");
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);
        final Path member = temp.resolve("node");
        final CompletableFuture<ClusterNode> launched = new CompletableFuture<>();
        final StringWriter nodeOut = new StringWriter();
        final CommandLine node = new CommandLine(new NodeCommand().launchedHook(launched::complete));
        node.setOut(new PrintWriter(nodeOut, true));
        node.setErr(new PrintWriter(nodeOut, true));
        final Future<Integer> status = executor.submit(() -> node.execute("--id", "0", "--members",
            "localhost:33510", "--data", member.toString(), "--clients", clients.toString(), "--flush", "none",
            "--cold-tier-size", "0", "--max-accounts", "1024", "--hot-transfers", "4096", "--max-pending", "256",
            "--heartbeat-timeout", "500ms", "--startup-canvass-timeout", "1s"));
        final PaycoreClusteredService service = launched.get(60, TimeUnit.SECONDS).service();
        while (Cluster.Role.LEADER != service.role())
        {
            assertFalse(status.isDone(), nodeOut::toString);
            Thread.sleep(10);
        }

        try
        {
            final int exitStatus = new CommandLine(new ErrorsCommand()).execute("--data", member.toString());

            final String out = console.out();
            assertEquals(ErrorsCommand.EXIT_OK, exitStatus, out + console.err());
            assertTrue(out.contains("cluster member's data directory " + member), out);
            assertTrue(out.contains("distinct error"), out);
        }
        finally
        {
            try (ShutdownSignalBarrier any = new ShutdownSignalBarrier())
            {
                any.signalAll();
            }
            status.get(60, TimeUnit.SECONDS);
        }
    }
}
