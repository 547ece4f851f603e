package io.paycore.service.cli;

import io.paycore.journal.SnapshotWriter;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestClients;
import io.paycore.service.cluster.ClusterNodeContext;
import io.paycore.service.feed.AmqpFeedContext;
import io.paycore.service.serve.ServiceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A setting read only as a system property, set to a value that does not parse, is a usage error that names it.
 * Before, {@code Integer.getInteger}, {@code Long.getLong} and {@code Boolean.parseBoolean} read such a value as
 * the default (or as false) and the command ran on a setting the operator had not asked for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PropertyValueErrorsTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final List<String> set = new ArrayList<>();

    @AfterEach
    void clearProperties()
    {
        set.forEach(System::clearProperty);
    }

    @Test
    void shouldRefuseToServeWithAPrefetchPoolThatIsNotANumber()
    {
        TestClients.addClient(temp);
        property(ServiceContext.COLD_PREFETCH_ENTRIES_PROP_NAME, "64k");

        assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString()), console.err());

        assertTrue(console.err().contains("-Dpaycore.cold.prefetch.entries=64k: must be a whole number"),
            console.err());
        assertFalse(Files.exists(temp.resolve("journal")), "nothing is made for a start that is refused");
    }

    /**
     * Read by each snapshot as it is written: before, a bad value was taken as 4 MiB; now it is refused at start,
     * not when the first snapshot is due.
     */
    @Test
    void shouldRefuseToServeWithASnapshotForceIntervalThatIsNotANumberOfBytes()
    {
        TestClients.addClient(temp);
        for (final String value : new String[]{ "4M", "0" })
        {
            console.reset();
            property(SnapshotWriter.FORCE_EVERY_BYTES_PROP_NAME, value);

            assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString()), console.err());

            assertTrue(console.err().contains("-D" + SnapshotWriter.FORCE_EVERY_BYTES_PROP_NAME), console.err());
            assertFalse(Files.exists(temp.resolve("journal")), "nothing is made for a start that is refused");
        }
    }

    /**
     * {@code serve}'s {@code --snapshot-thread} takes its default from this property as the command line is built,
     * so every command read it: "yes" was false, and {@code serve} then wrote snapshots on the BLP.
     */
    @Test
    void shouldRefuseABooleanPropertyThatIsNeitherTrueNorFalseWhateverTheCommand()
    {
        property(ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME, "yes");

        assertEquals(2, PaycoreMain.execute("clients", "add", "--file", temp.resolve("clients").toString(),
            "--client-id", "1", "--secret", "a-secret-of-16-chars"), console.err());

        assertEquals("paycore: -Dpaycore.snapshots.off.blp=yes: must be true or false", console.err().trim());
        assertFalse(Files.exists(temp.resolve("clients")));
    }

    @Test
    void shouldRefuseToStartANodeWithAPropertyThatIsNotANumber()
    {
        final Path data = temp.resolve("node");
        TestClients.addClient(temp);
        for (final String name : new String[]{
            ClusterNodeContext.HISTORY_CHECK_EVERY_PROP_NAME, SnapshotWriter.FORCE_EVERY_BYTES_PROP_NAME })
        {
            console.reset();
            property(name, "1e6");

            assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22910", "--data",
                data.toString(), "--clients", temp.resolve("clients").toString()), console.err());

            assertTrue(console.err().contains("-D" + name + "=1e6: must be a whole number"), console.err());
            assertFalse(Files.exists(data));
            System.clearProperty(name);
        }
    }

    @Test
    void shouldRefuseAnAmqpFeedPropertyThatIsNotANumber()
    {
        property(AmqpFeedContext.HEARTBEAT_PROP_NAME, "30s");

        assertEquals(2, PaycoreMain.execute("feed-amqp", "--data", temp.toString(), "--state",
            temp.resolve("state").toString(), "--uri", "amqp://localhost:1", "--exchange", "paycore"), console.err());

        assertTrue(console.err().contains("-D" + AmqpFeedContext.HEARTBEAT_PROP_NAME + "=30s"), console.err());
    }

    private void property(final String name, final String value)
    {
        System.setProperty(name, value);
        set.add(name);
    }
}
