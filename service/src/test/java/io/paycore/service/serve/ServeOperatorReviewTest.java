package io.paycore.service.serve;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore serve} as an operator starts it, with the mistakes one makes (README, Using the service and Limits).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeOperatorReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /**
     * {@code --data ""} (say {@code --data "$PAYCORE_DATA"} with the variable unset) was taken as the working
     * directory: with a credentials file there, or {@code --clients FILE}, {@code serve} made its journal,
     * snapshots, cold tier, Aeron directory and mark file in whatever directory it was started from, though the
     * option is documented as required, with no default. It is a usage error, as a missing {@code --data} is.
     * (Each start here also gives an out-of-range limit, so that without the check it stops before making anything.)
     */
    @Test
    void shouldRefuseAnEmptyDataDirectory() throws Exception
    {
        TestClients.addClient(temp);
        final Path config = temp.resolve("serve.properties");
        Files.writeString(config, "data=\n");

        for (final String[] args : new String[][] {
            { "serve", "--data", "", "--clients", temp.resolve("clients").toString(), "--max-accounts", "0" },
            { "serve", "--config", config.toString(), "--clients", temp.resolve("clients").toString(),
                "--max-accounts", "0" } })
        {
            console.reset();
            assertEquals(2, PaycoreMain.execute(args), console.err());
            assertTrue(console.err().contains("--data"), console.err());
            assertTrue(console.err().contains("empty"), console.err());
        }
    }
}
