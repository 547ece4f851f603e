package io.paycore.transport;

import io.paycore.codec.sbe.ConnectStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCredentialsTest
{
    private static final int ITERATIONS = 1000;

    @TempDir
    Path dir;

    @Test
    void shouldVerifyTheSecretOfEachClientFromAFileWithCommentsAndBlankLines() throws Exception
    {
        final Path file = dir.resolve("clients");
        Files.write(file, List.of(
            "# paycore clients",
            "",
            ClientCredentials.line(7, "seven's secret", ITERATIONS),
            "   # indented comment",
            "  " + ClientCredentials.line(8, "eight", ITERATIONS) + "  "));

        final ClientCredentials credentials = ClientCredentials.load(file);

        assertEquals(2, credentials.size());
        assertEquals(ConnectStatus.OK, credentials.verify(7, "seven's secret"));
        assertEquals(ConnectStatus.OK, credentials.verify(8, "eight"));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, credentials.verify(7, "eight"));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, credentials.verify(8, "eight "));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, credentials.verify(8, ""));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, credentials.verify(8, null));
        assertEquals(ConnectStatus.UNKNOWN_CLIENT, credentials.verify(9, "eight"));
        assertTrue(credentials.contains(7));
        assertFalse(credentials.contains(9));
    }

    @Test
    void shouldStoreTheSecretHashedWithAFreshSaltEachTime()
    {
        final String first = ClientCredentials.line(1, "the secret", ITERATIONS);
        final String second = ClientCredentials.line(1, "the secret", ITERATIONS);

        assertFalse(first.contains("the secret"));
        assertNotEquals(first, second, "a fresh salt makes a different line");
        final String[] fields = first.split(":");
        assertEquals(4, fields.length);
        assertEquals("1", fields[0]);
        assertEquals(Integer.toString(ITERATIONS), fields[2]);
        assertTrue(ClientCredentials.line(2, "x").contains(":" + ClientCredentials.DEFAULT_ITERATIONS + ":"));
    }

    @Test
    void shouldNameTheFileAndLineOfEachMalformedEntry()
    {
        final String good = ClientCredentials.line(1, "secret", ITERATIONS);
        final String[] fields = good.split(":");

        assertMalformed("found 3 fields", fields[0] + ":" + fields[1] + ":" + fields[2]);
        assertMalformed("client id is not a decimal integer", "x:" + fields[1] + ":" + fields[2] + ":" + fields[3]);
        assertMalformed("client id must be positive", "0:" + fields[1] + ":" + fields[2] + ":" + fields[3]);
        assertMalformed("salt is not base64", fields[0] + ":!!:" + fields[2] + ":" + fields[3]);
        assertMalformed("salt must have at least", fields[0] + ":AAAA:" + fields[2] + ":" + fields[3]);
        assertMalformed("iterations must be in", fields[0] + ":" + fields[1] + ":0:" + fields[3]);
        assertMalformed("iterations is not a decimal integer", fields[0] + ":" + fields[1] + ":many:" + fields[3]);
        assertMalformed("hash must have 32 bytes", fields[0] + ":" + fields[1] + ":" + fields[2] + ":AAAA");

        final IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
            () -> ClientCredentials.parse(List.of(good, "# again", good), "clients.txt"));
        assertEquals("clients.txt line 3: client id 1 is already listed on line 1", duplicate.getMessage());
    }

    @Test
    void shouldRefuseToMakeALineForABadClientIdOrSecret()
    {
        assertThrows(IllegalArgumentException.class, () -> ClientCredentials.line(0, "secret"));
        assertThrows(IllegalArgumentException.class, () -> ClientCredentials.line(1, ""));
        assertThrows(IllegalArgumentException.class, () -> ClientCredentials.line(1, "caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> ClientCredentials.line(1, "secret", 0));
    }

    @Test
    void shouldSayWhichFileCannotBeRead()
    {
        final Path missing = dir.resolve("missing");
        final UncheckedIOException ex = assertThrows(UncheckedIOException.class, () -> ClientCredentials.load(missing));
        assertTrue(ex.getMessage().contains(missing.toString()), ex.getMessage());
    }

    private static void assertMalformed(final String expected, final String line)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ClientCredentials.parse(List.of("# header", line), "clients.txt"));
        assertTrue(ex.getMessage().startsWith("clients.txt line 2: "), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
