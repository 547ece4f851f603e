package io.paycore.service;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A credentials file for tests of commands that refuse to start without one.
 */
public final class TestClients
{
    private TestClients()
    {
    }

    /**
     * Add client 1 to {@code directory/clients} unless the file is there already.
     *
     * @param directory where the file goes (a {@code serve} data directory reads it from there).
     */
    public static void addClient(final Path directory)
    {
        if (!Files.exists(directory.resolve("clients")))
        {
            assertEquals(0, PaycoreMain.execute("clients", "add", "--file", directory.resolve("clients").toString(),
                "--client-id", "1", "--secret", "a-secret-of-16-chars"));
        }
    }
}
