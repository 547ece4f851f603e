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

    /**
     * A duration with no unit is nanoseconds, so {@code --tick-interval 1} (meant as a second) or {@code 100} (meant
     * as 100 ms) was taken: an idle service then journaled a tick every time ingress found nothing to do, 4,500 a
     * second here, growing the journal by gigabytes a day and keeping its threads from ever idling, which the shared
     * profile promises. Pending transfers expire by the second, so a tick more often than every millisecond buys
     * nothing: it is refused, exit status 2, naming the option and its range.
     */
    @Test
    void shouldRefuseATickIntervalUnderAMillisecond()
    {
        TestClients.addClient(temp);
        for (final String interval : new String[] { "1", "100", "999us" })
        {
            console.reset();
            // --cpus loadgen=1, refused after the tick interval is checked, stops a start that lets it through.
            assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), "--tick-interval", interval,
                "--cpus", "loadgen=1"), console.err());
            assertTrue(console.err().contains("--tick-interval"), console.err());
            assertTrue(console.err().contains("at least 1ms"), console.err());
            assertFalse(Files.exists(temp.resolve("journal")), "nothing is made for a start that is refused");
        }
    }

    /**
     * A ring size past its most (65,536 slots) was refused by the heap check first, whose message said to give the
     * JVM more heap ({@code -Xmx}) or lower the ledger's limits; an operator who did was then told the size is out
     * of range. The range is checked first.
     */
    @Test
    void shouldRefuseARingSizeOutOfRangeBeforeWeighingItsHeap()
    {
        TestClients.addClient(temp);
        for (final String option : new String[] { "--input-ring-size", "--output-ring-size" })
        {
            console.reset();
            assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), option, "1048576"),
                console.err());
            assertTrue(console.err().contains("must be a power of two in 2..65536"), console.err());
            assertFalse(console.err().contains("-Xmx"), console.err());
        }
    }

    /**
     * {@code --aeron-dir} naming a directory where no media driver runs (not started yet, a typo, one that died)
     * made {@code serve} recover the data directory, journal its limits, wait Aeron's 10 s driver timeout and then
     * say {@code cannot start: io.aeron.exceptions.DriverTimeoutException: FATAL - CnC file not created: ...}, in
     * Aeron's words rather than the option's. It now waits as long for a driver before it opens the data directory,
     * then says which option names the directory, and exits 4 with nothing made.
     */
    @Test
    void shouldSayNoMediaDriverRunsInTheAeronDirBeforeOpeningTheDataDirectory()
    {
        TestClients.addClient(temp);
        final Path data = temp.resolve("data");
        final Path aeronDir = temp.resolve("no-driver");

        final int status = PaycoreMain.execute("serve", "--data", data.toString(), "--clients",
            temp.resolve("clients").toString(), "--aeron-dir", aeronDir.toString(), "--channel", "aeron:ipc",
            "--max-accounts", "1024", "--hot-transfers", "65536", "--max-pending", "4096");

        assertEquals(ServeCommand.EXIT_START_FAILED, status, console.err());
        assertTrue(console.err().contains("no media driver runs in " + aeronDir + " (--aeron-dir)"), console.err());
        assertFalse(console.err().contains("Exception"), console.err());
        assertFalse(Files.exists(data.resolve("journal")), "nothing is made for a start that is refused");
    }
}
