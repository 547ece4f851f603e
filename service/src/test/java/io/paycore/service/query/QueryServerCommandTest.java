package io.paycore.service.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import io.paycore.service.feed.StateDirectoryLock;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore query-server} takes its clients from a credentials file, as {@code serve} does: DATA/clients unless
 * {@code --clients} names another, refused (exit status 2, one line) when missing, malformed or writable by others.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueryServerCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldRefuseToStartWithoutACredentialsFile()
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 3, 1, 0);

        assertEquals(QueryServerCommand.EXIT_USAGE, queryServer(data));

        final Path clients = data.resolve("clients");
        assertEquals(1, console.err().lines().count(), console.err());
        assertEquals("paycore query-server: no credentials file " + clients + " (--clients FILE): add a client " +
            "with 'paycore clients add --file " + clients + " --client-id N --generate'", console.err().trim());
        assertFalse(Files.exists(temp.resolve("state")), "refused before it takes its state directory");
    }

    @Test
    void shouldNameAMissingDataDirectoryRatherThanTheCredentialsFileInIt()
    {
        final Path data = temp.resolve("no-such-data");

        assertEquals(QueryServerCommand.EXIT_CANNOT_START, queryServer(data));
        assertEquals("paycore query-server: no data directory " + data.toAbsolutePath(), console.err().trim());
    }

    @Test
    void shouldNameAMissingDataDirectoryWhenTheCredentialsFileIsElsewhere() throws Exception
    {
        final Path data = temp.resolve("no-such-data");
        final Path clients = Files.writeString(temp.resolve("elsewhere"),
            ClientCredentials.line(1, "secret-1", 1) + System.lineSeparator());
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-------"));

        assertEquals(QueryServerCommand.EXIT_CANNOT_START, queryServer(data, "--clients", clients.toString()));
        assertEquals("paycore query-server: no data directory " + data.toAbsolutePath(), console.err().trim());
        assertFalse(Files.exists(temp.resolve("state")), "refused before it takes its state directory");
    }

    @Test
    void shouldRefuseACredentialsFileOthersMayWriteOrThatIsMalformed() throws Exception
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 3, 1, 0);
        final Path clients = Files.writeString(temp.resolve("elsewhere"),
            ClientCredentials.line(1, "secret-1", 1) + System.lineSeparator());
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-rw-r--"));

        assertEquals(QueryServerCommand.EXIT_USAGE, queryServer(data, "--clients", clients.toString()));
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("paycore query-server: credentials file " + clients + " is writable by " +
            "users other than its owner (rw-rw-r--)"), console.err());

        Files.writeString(clients, "1:not-a-line" + System.lineSeparator());
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-------"));
        console.reset();
        assertEquals(QueryServerCommand.EXIT_USAGE, queryServer(data, "--clients", clients.toString()));
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("paycore query-server: " + clients), console.err());
    }

    /**
     * A usable file lets it go on to its next check: here, a state directory another server holds (exit status 4).
     */
    @Test
    void shouldTakeTheCredentialsFileOfTheDataDirectoryByDefault() throws Exception
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 3, 1, 0);
        Files.writeString(data.resolve("clients"), ClientCredentials.line(1, "secret-1", 1) + System.lineSeparator());
        Files.setPosixFilePermissions(data.resolve("clients"), PosixFilePermissions.fromString("rw-------"));

        try (StateDirectoryLock held = StateDirectoryLock.acquire(temp.resolve("state"), "query-server"))
        {
            assertEquals(QueryServerCommand.EXIT_CANNOT_START, queryServer(data), console.err());
        }
        assertTrue(console.err().startsWith("paycore query-server: cannot start: the state directory "),
            console.err());
    }

    @Test
    void shouldNameTheMostCredentialChecksOutOfRange() throws Exception
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 3, 1, 0);

        assertEquals(QueryServerCommand.EXIT_USAGE, queryServer(data, "--max-credential-checks", "0"));
        assertTrue(console.err().startsWith("paycore query-server: the most credential checks running " +
            "(--max-credential-checks) must be at least 1: 0"), console.err());
    }

    @Test
    void shouldNameANegativeRefusalAnswerRate() throws Exception
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 3, 1, 0);

        assertEquals(QueryServerCommand.EXIT_USAGE, queryServer(data, "--refusal-answers-per-second", "-1"));
        assertTrue(console.err().startsWith("paycore query-server: the most refused queries answered a second " +
            "(--refusal-answers-per-second) must not be negative: -1"), console.err());
    }

    private int queryServer(final Path data, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("query-server", "--data", data.toString(), "--state",
            temp.resolve("state").toString(), "--channel", "aeron:ipc", "--max-accounts", "1024",
            "--hot-transfers", "65536", "--max-pending", "1024", "--cold-tier-size", "0"));
        args.addAll(List.of(more));
        return PaycoreMain.execute(args.toArray(new String[0]));
    }
}
