package io.paycore.service.cluster;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.ShutdownSignals;
import io.paycore.service.inspect.ErrorsCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        final SingleMemberNode node = new SingleMemberNode(temp, 33510, executor, (launched) -> {});

        try
        {
            final int exitStatus = new CommandLine(new ErrorsCommand()).execute("--data", node.data.toString());

            final String out = console.out();
            assertEquals(ErrorsCommand.EXIT_OK, exitStatus, out + console.err());
            assertTrue(out.contains("cluster member's data directory " + node.data), out);
            assertTrue(out.contains("distinct error"), out);
        }
        finally
        {
            ShutdownSignals.deliver();
            node.status.get(60, TimeUnit.SECONDS);
        }
    }
}
