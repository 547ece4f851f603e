package io.paycore.service.cluster;

import io.aeron.cluster.service.ClusterMarkFile;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore cluster status|snapshot} on directories that hold no running member, without a cluster.
 */
class ClusterCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldSayItCannotReadAMarkFileCutShortRatherThanFailWithAStackTrace() throws IOException
    {
        final Path data = temp.resolve("member");
        Files.createDirectories(data.resolve("cluster"));
        Files.write(data.resolve("cluster").resolve(ClusterMarkFile.FILENAME), new byte[0]);

        assertEquals(ClusterCommand.EXIT_FAILED, PaycoreMain.execute("cluster", "status", "--data", data.toString()));

        final String err = console.err();
        assertTrue(err.startsWith("paycore cluster status: cannot read the mark files in " + data.resolve("cluster")),
            err);
        assertTrue(err.contains("paycore cluster status: the member in " + data + " is not running"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }
}
