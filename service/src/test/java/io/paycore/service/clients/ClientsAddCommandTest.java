package io.paycore.service.clients;

import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientsAddCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldCreateAnOwnerOnlyFileWithAHashedSecretThatVerifies() throws Exception
    {
        final Path file = temp.resolve("conf").resolve("clients");

        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "42",
            "--secret", "open-sesame-open-sesame", "--iterations", "1000"), console.err());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final String text = Files.readString(file);
        assertFalse(text.contains("open-sesame-open-sesame"), "secret stored in clear: " + text);
        final ClientCredentials credentials = ClientCredentials.load(file);
        assertEquals(ConnectStatus.OK, credentials.verify(42, "open-sesame-open-sesame"));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, credentials.verify(42, "open-sesame-open-sesame!"));
        assertEquals(ConnectStatus.UNKNOWN_CLIENT, credentials.verify(43, "open-sesame-open-sesame"));
    }

    @Test
    void shouldAppendToAnExistingFileAndRefuseADuplicateClient() throws Exception
    {
        final Path file = temp.resolve("clients");
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "1",
            "--secret", "secret-number-one", "--iterations", "10"));
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "2",
            "--secret", "secret-number-two", "--iterations", "10"));
        final String before = Files.readString(file);

        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "1", "--secret", "another-secret-here", "--iterations", "10"));

        assertTrue(console.err().contains("already"), console.err());
        assertEquals(before, Files.readString(file));
        final ClientCredentials credentials = ClientCredentials.load(file);
        assertEquals(2, credentials.size());
        assertEquals(ConnectStatus.OK, credentials.verify(1, "secret-number-one"));
        assertEquals(ConnectStatus.OK, credentials.verify(2, "secret-number-two"));
    }

    @Test
    void shouldWarnWhenAppendingToAFileOthersMayRead() throws Exception
    {
        final Path file = temp.resolve("clients");
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "1",
            "--secret", "secret-number-one", "--iterations", "10"));
        assertFalse(console.err().contains("warning"), console.err());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "2",
            "--secret", "secret-number-two", "--iterations", "10"));

        final String message = console.err();
        assertTrue(message.contains("warning: " + file + " is readable or writable by others (rw-r--r--)"), message);
    }

    @Test
    void shouldReadTheSecretFromStandardInputWhenNotGiven() throws Exception
    {
        final Path file = temp.resolve("clients");
        final java.io.InputStream savedIn = System.in;
        System.setIn(new java.io.ByteArrayInputStream("piped-secret-of-nine\n".getBytes(StandardCharsets.US_ASCII)));
        try
        {
            assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "9",
                "--iterations", "10"), console.err());
        }
        finally
        {
            System.setIn(savedIn);
        }
        assertEquals(ConnectStatus.OK, ClientCredentials.load(file).verify(9, "piped-secret-of-nine"));
    }

    @Test
    void shouldRefuseABadClientIdOrSecretWithoutTouchingTheFile()
    {
        final Path file = temp.resolve("clients");
        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "0", "--secret", "a-long-enough-secret"));
        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "5", "--secret", "tab\there-and-long-enough"));
        assertFalse(Files.exists(file));
        assertTrue(console.err().contains("client id must be positive"), console.err());
    }

    @Test
    void shouldRefuseToAppendToAFileThatDoesNotParse() throws Exception
    {
        final Path file = temp.resolve("clients");
        Files.writeString(file, "not a credentials line\n");

        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "5", "--secret", "a-long-enough-secret", "--iterations", "10"));
        assertTrue(console.err().contains("line 1"), console.err());
        assertEquals("not a credentials line\n", Files.readString(file));
    }

    @Test
    void shouldRefuseAShortSecretWithoutTouchingTheFile()
    {
        final Path file = temp.resolve("clients");
        final String fifteen = "a".repeat(ClientsAddCommand.MIN_SECRET_LENGTH - 1);

        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "5", "--secret", fifteen, "--iterations", "10"));

        assertTrue(console.err().contains("secret must have at least 16 characters, has 15 (or use --generate"),
            console.err());
        assertFalse(Files.exists(file));
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "5",
            "--secret", fifteen + "a", "--iterations", "10"), console.err());
    }

    @Test
    void shouldGenerateARandomSecretPrintItOnceAndStoreOnlyItsHash() throws Exception
    {
        final Path file = temp.resolve("clients");

        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "3",
            "--generate", "--iterations", "10"), console.err());

        final String secretLine = console.out().lines().filter(line -> line.startsWith("secret: ")).findFirst()
            .orElseThrow(() -> new AssertionError("no secret printed: " + console.out()));
        final String secret = secretLine.substring("secret: ".length());
        assertEquals(ClientsAddCommand.GENERATED_SECRET_LENGTH, secret.length(), secret);
        assertTrue(secret.matches("[A-Za-z0-9_-]+"), secret);
        assertFalse(Files.readString(file).contains(secret));
        assertEquals(ConnectStatus.OK, ClientCredentials.load(file).verify(3, secret));
        assertFalse(secret.equals(ClientsAddCommand.generateSecret()));
    }

    @Test
    void shouldRefuseASecretAndGenerateTogether()
    {
        final Path file = temp.resolve("clients");

        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "5", "--secret", "a-long-enough-secret", "--generate"));

        assertTrue(console.err().contains("give --secret or --generate, not both"), console.err());
        assertFalse(Files.exists(file));
    }
}
