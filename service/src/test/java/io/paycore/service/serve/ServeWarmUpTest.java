package io.paycore.service.serve;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.TemporaryDirectories;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore serve --warmup N}: the scratch run comes before the service opens its data directory, leaves
 * nothing in it or in the temporary directory, and the service then serves as it would without it.
 */
class ServeWarmUpTest
{
    private static final long CLIENT_ID = 1;
    private static final String SECRET = "warm-up-test-secret";
    private static final String SCRATCH_PREFIX = "paycore-warmup-";

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldWarmUpOnAScratchServiceThenServeFromAnUntouchedDataDirectory() throws Exception
    {
        final Path data = dataWithClients();
        final Set<Path> scratchBefore = TemporaryDirectories.named(SCRATCH_PREFIX);

        try (PaycoreProcess service = PaycoreProcess.start(temp.resolve("serve.out"), serve(data, "batch", "3000")))
        {
            final String warmUp = service.awaitLine("paycore serve: warm-up: ", 60_000);
            assertTrue(warmUp.matches("paycore serve: warm-up: 3,000 transfers through a scratch service in " +
                "[0-9.]+ s \\(\\d+ transfers/s\\), then \\d+ ms until the JIT was quiet"), warmUp);
            service.awaitReady(60_000);

            // The scratch run's journal was its own: the service found an empty one, and journaled its limits.
            final String output = service.output();
            assertTrue(output.indexOf(warmUp) < output.indexOf("ready:"), output);
            assertEquals("1", service.ready("last-sequence"), output);
            assertTrue(output.contains("in force from sequence 1 (no limits journaled before it)"), output);
            assertTrue(output.contains("replayed    0 record(s)"), output);

            try (PaycoreClient client = PaycoreClient.connect(new ClientContext()
                .aeronDirectoryName(service.ready("aeron-dir"))
                .clientId(CLIENT_ID)
                .secret(SECRET)
                .ingressChannel("aeron:ipc")
                .ingressStreamId(Integer.parseInt(service.ready("stream")))
                .responseChannel("aeron:ipc")))
            {
                final AccountEventArray accounts = new AccountEventArray(2).add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0);
                final CreateResults<CreateAccountResult> results =
                    client.createAccountsAndWait(accounts, Duration.ofSeconds(30));
                assertEquals(2, results.count());
                assertEquals(CreateAccountResult.OK, results.result(0));
                assertEquals(CreateAccountResult.OK, results.result(1));
            }

            assertEquals(ServeCommand.EXIT_SIGTERM, service.terminate(30_000), service.output());
        }
        assertEquals(scratchBefore, TemporaryDirectories.named(SCRATCH_PREFIX),
            "the warm-up's scratch directory is deleted");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeleteTheScratchDirectoryWhenStoppedDuringTheWarmUp() throws Exception
    {
        final Path data = dataWithClients();
        final Set<Path> scratchBefore = TemporaryDirectories.named(SCRATCH_PREFIX);

        try (PaycoreProcess service = PaycoreProcess.start(
            temp.resolve("serve.out"), serve(data, "none", "1000000000")))
        {
            final Path scratch =
                TemporaryDirectories.awaitNewWithJournal(SCRATCH_PREFIX, scratchBefore, service, 60_000);

            assertEquals(ServeCommand.EXIT_SIGTERM, service.terminate(30_000), service.output());

            assertFalse(Files.exists(scratch), "the scratch directory outlived the process: " + scratch);
            assertFalse(service.output().contains("ready:"), service.output());
            // Without a word the operator could not tell a stop during the start-up from a crash.
            assertTrue(service.output().contains("paycore serve: stopped by a signal while starting"),
                service.output());
        }
    }

    @Test
    void shouldRefuseANegativeWarmUp() throws Exception
    {
        final Path data = dataWithClients();

        assertEquals(ServeCommand.EXIT_USAGE, PaycoreMain.execute("serve", "--data", data.toString(), "--warmup", "-5"));
        assertTrue(console.err().contains("--warmup must not be negative: -5"), console.err());
    }

    private Path dataWithClients() throws Exception
    {
        final Path data = temp.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve(ServeCommand.CLIENTS_FILE_NAME),
            ClientCredentials.line(CLIENT_ID, SECRET, 1) + System.lineSeparator());
        return data;
    }

    private static List<String> serve(final Path data, final String flush, final String warmup)
    {
        return List.of(
            "serve",
            "--data", data.toString(),
            "--flush", flush,
            "--profile", "shared",
            "--channel", "aeron:ipc",
            "--max-accounts", "1024",
            "--hot-transfers", "500",
            "--cold-tier-size", "64m",
            "--max-pending", "4096",
            "--max-batch", "128",
            "--warmup", warmup);
    }
}
