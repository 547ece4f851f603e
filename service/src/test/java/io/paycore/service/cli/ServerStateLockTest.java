package io.paycore.service.cli;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.feed.StateDirectoryLock;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A feed or query server refuses a state directory another one holds. Before, the second went on: it made its
 * counters file and its embedded media driver afresh in the directory (the driver deletes its directory as it
 * starts), from under the running one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerStateLockTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @ParameterizedTest
    @ValueSource(strings = { "feed-server", "query-server" })
    void shouldRefuseAStateDirectoryAnotherServerHolds(final String command) throws Exception
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 3, 1, 0);
        // The credentials file a server is refused without, before it looks at its state directory.
        final Path clients = Files.writeString(data.resolve("clients"), ClientCredentials.line(1, "secret-1", 1));
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);
        final Path state = temp.resolve("state");

        try (StateDirectoryLock held = StateDirectoryLock.acquire(state, command))
        {
            assertEquals(4, PaycoreMain.execute(command, "--data", data.toString(), "--state", state.toString(),
                "--channel", "aeron:ipc",
                "--max-accounts", "1024", "--hot-transfers", "65536", "--max-pending", "1024",
                "--cold-tier-size", "0"), console.err());
        }

        assertTrue(console.err().startsWith("paycore " + command + ": cannot start: the state directory " +
            state.toAbsolutePath() + " is in use by another " + command + " (pid " + ProcessHandle.current().pid()),
            console.err());
        assertFalse(Files.exists(state.resolve("aeron")), "the running one's media driver directory is left alone");
        assertFalse(Files.exists(state.resolve("counters.dat")), "and its counters");
    }
}
