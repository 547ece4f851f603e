package io.paycore.service.clients;

import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of how {@code paycore clients add} takes a secret, 2026-12-07: a secret given with {@code --secret} is in
 * the process's command line, which any local user reads in {@code ps} while the PBKDF2 runs, and in the shell's
 * history; the add said nothing of it, though it reads the secret from the console or standard input without it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientsAddSecretReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldSayASecretOnTheCommandLineIsSeenByOthersAndHowToKeepItOff() throws Exception
    {
        final Path file = temp.resolve("clients");

        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "1",
            "--secret", "a-secret-on-the-command-line", "--iterations", "10"), console.err());

        final String err = console.err();
        assertTrue(err.contains("--secret") && err.contains("process list") && err.contains("standard input"), err);
        assertFalse(err.contains("a-secret-on-the-command-line"), err);
        assertEquals(ConnectStatus.OK, ClientCredentials.load(file).verify(1, "a-secret-on-the-command-line"));
    }

    @Test
    void shouldSayNothingOfItWhenTheSecretComesFromStandardInput() throws Exception
    {
        final Path file = temp.resolve("clients");
        final InputStream savedIn = System.in;
        System.setIn(new ByteArrayInputStream("a-secret-piped-in-here\n".getBytes(StandardCharsets.US_ASCII)));
        try
        {
            assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "2",
                "--iterations", "10"), console.err());
        }
        finally
        {
            System.setIn(savedIn);
        }

        assertFalse(console.err().contains("process list"), console.err());
        assertEquals(ConnectStatus.OK, ClientCredentials.load(file).verify(2, "a-secret-piped-in-here"));
    }
}
