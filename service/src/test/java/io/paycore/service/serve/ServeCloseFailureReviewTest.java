package io.paycore.service.serve;

import io.paycore.journal.JournalException;
import io.paycore.replay.DataDirectory;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.ShutdownSignals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore serve} stopped by a signal closes its journal last, and that close forces what is not yet durable: a
 * close that fails leaves records not known durable, clients answered for some of them. The command must say so
 * itself, on its own error stream, before it releases the signal's barrier (the JVM ends once it is released, with
 * the signal's status), and give {@link ServeCommand#EXIT_FAILED}. The failure escaped {@code call()} instead,
 * after the barrier was closed, as picocli's stack trace: raced by the JVM's exit after a real signal, and
 * following the {@code final digest:} line as if the stop had been clean. The signal is delivered as the JVM's
 * shutdown hook delivers it: every barrier there is, signalled, once the service has started.
 */
class ServeCloseFailureReviewTest
{
    private static final String FAILURE = "injected: the journal's last force failed as it closed";

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() throws Exception
    {
        ShutdownSignals.deliver();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldSayAJournalThatFailsToCloseBeforeReleasingTheSignal() throws Exception
    {
        final Path data = temp.resolve("data");
        ServeCommandTest.writeClients(new DataDirectory(data));
        final CommandLine commandLine = new CommandLine(new ServeCommand()
            .launchedHook((service) -> service.recoveryCloser((recovery) ->
            {
                recovery.close();
                throw new JournalException(FAILURE);
            }))
            .startedHook(ShutdownSignals::deliver));
        // picocli's own report of an exception that escapes the command, kept apart from what the command says.
        final StringWriter escaped = new StringWriter();
        commandLine.setErr(new PrintWriter(escaped, true));

        final Future<Integer> status = executor.submit(() -> commandLine.execute(
            "--data", data.toString(), "--flush", "batch", "--profile", "shared", "--channel", "aeron:ipc",
            "--max-accounts", "1024", "--hot-transfers", "500", "--cold-tier-size", "0", "--max-pending", "4096",
            "--max-batch", "128"));

        final int exitStatus = status.get(60, TimeUnit.SECONDS);
        final String err = console.err();
        assertEquals(ServeCommand.EXIT_FAILED, exitStatus, console.out() + err + escaped);
        assertTrue(err.contains("paycore serve: stopped: " + FAILURE),
            "the command did not say why it failed as it stopped; it escaped as: " + escaped + "\n" + err);
        assertTrue(console.out().contains(PaycoreService.FINAL_DIGEST_PREFIX), console.out());
    }
}
