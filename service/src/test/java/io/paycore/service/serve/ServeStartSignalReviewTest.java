package io.paycore.service.serve;

import io.paycore.replay.DataDirectory;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.ShutdownSignals;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A SIGTERM that arrives once {@code paycore serve} has started (its {@code ready:} line printed, clients served)
 * must stop it in order: ingress stopped, journal flushed, {@code final digest:} printed. The command made its
 * {@link ShutdownSignalBarrier} only after the service had started, so a signal in between reached no barrier and
 * the JVM ended as after a crash (seen with a real SIGTERM sent as {@code ready:} was read: once in 80 runs it ended
 * 143 with no {@code final digest:} and nothing said). The signal is delivered here as the JVM's shutdown hook
 * delivers it: every barrier there is, signalled, at the moment the service has started.
 */
class ServeStartSignalReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() throws Exception
    {
        // A signal that reached no barrier leaves the command waiting for one: give it one, so that it closes.
        ShutdownSignals.deliver();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStopInOrderOnASignalThatArrivesAsTheServiceHasStarted() throws Exception
    {
        final Path data = temp.resolve("data");
        ServeCommandTest.writeClients(new DataDirectory(data));
        final CommandLine commandLine =
            new CommandLine(new ServeCommand().startedHook(ShutdownSignals::deliver));

        final Future<Integer> status = executor.submit(() -> commandLine.execute(
            "--data", data.toString(), "--flush", "none", "--profile", "shared", "--channel", "aeron:ipc",
            "--max-accounts", "1024", "--hot-transfers", "500", "--cold-tier-size", "0", "--max-pending", "4096",
            "--max-batch", "128"));

        final int exitStatus;
        try
        {
            exitStatus = status.get(30, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            fail("the signal, sent once the service had started, did not stop it: " + console.out() + console.err());
            return;
        }
        final String out = console.out();
        assertEquals(ServeCommand.EXIT_OK, exitStatus, out + console.err());
        assertTrue(out.contains(PaycoreService.READY_PREFIX), out);
        assertTrue(out.contains("paycore serve: shutting down"), out);
        assertTrue(out.contains(PaycoreService.FINAL_DIGEST_PREFIX), out);
    }

    /**
     * With {@code --config} the command runs again as parsed from the file, and its name is then the qualified one:
     * until 2026-12-07 the shutdown line read {@code paycore paycore serve: shutting down}.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldNameItselfOnceWhenItsOptionsComeFromAFile() throws Exception
    {
        final Path data = temp.resolve("data");
        ServeCommandTest.writeClients(new DataDirectory(data));
        final Path config = temp.resolve("serve.properties");
        Files.writeString(config, String.join(System.lineSeparator(), "data=" + data.toString().replace("\\", "/"),
            "flush=none", "profile=shared", "channel=aeron:ipc", "max-accounts=1024", "hot-transfers=500",
            "cold-tier-size=0", "max-pending=4096", "max-batch=128") + System.lineSeparator());
        final CommandLine commandLine = new CommandLine(new PaycoreMain()).setCommandName("paycore");
        final CommandLine serve = commandLine.getSubcommands().get("serve");
        final ServeCommand command = serve.getCommand();
        command.startedHook(ShutdownSignals::deliver);

        final Future<Integer> status =
            executor.submit(() -> commandLine.execute("serve", "--config", config.toString()));

        final int exitStatus = status.get(30, TimeUnit.SECONDS);
        final String out = console.out();
        assertEquals(ServeCommand.EXIT_OK, exitStatus, out + console.err());
        assertTrue(out.contains("paycore serve: shutting down"), out);
        assertFalse(out.contains("paycore paycore"), out);
    }
}
