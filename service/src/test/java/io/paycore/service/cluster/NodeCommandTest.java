package io.paycore.service.cluster;

import io.aeron.CncFileDescriptor;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore node} refuses options out of range as usage errors, before it touches its data directory: more
 * events per message than the protocol carries (it had failed with a stack trace from the codec), a journal segment
 * too short for the largest message, and snapshot options.
 */
class NodeCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldRefuseMoreEventsPerMessageThanTheProtocolCarries()
    {
        final Path data = temp.resolve("node");

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
            data.toString(), "--max-batch", "1025"));

        assertTrue(console.err().startsWith("paycore node: events per message " +
            "(paycore.ledger.max.batch.events, --max-batch) " +
            "must be in 1..1024, the protocol's most: 1025"), console.err());
        assertFalse(Files.exists(data));
    }

    /**
     * Members on {@code localhost} and the address it resolves to, with bases less than 5 apart, bind the same ports;
     * {@code node} took them for two hosts, and the second member failed as it started (from a review on
     * 2026-12-07). A usage error, naming both.
     */
    @Test
    void shouldRefuseMembersOnOneHostSpelledTwoWaysAsAUsageError() throws IOException
    {
        final Path data = temp.resolve("node");
        final String loopback = InetAddress.getByName("localhost").getHostAddress();

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:27100," + loopback + ":27102",
            "--data", data.toString()));

        assertTrue(console.err().startsWith("paycore node: members 0 and 1 are on localhost and " + loopback +
            " (both " +
            loopback + ") with base ports 27100 and 27102: each takes the 5 ports base + 1 to base + 5, so they " +
            "overlap"), console.err());
        assertFalse(Files.exists(data));
    }

    @Test
    void shouldRefuseASegmentLengthTooShortForTheLargestMessage()
    {
        final Path data = temp.resolve("node");

        System.setProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME, "64k");
        try
        {
            assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
                data.toString()));
        }
        finally
        {
            System.clearProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME);
        }

        assertTrue(console.err().startsWith("paycore node: a journal segment of 65,536 bytes " +
            "(paycore.journal.segment.length) " +
            "cannot hold the largest message of 1,024 events (--max-batch): 131,092 bytes; use " +
            "-Dpaycore.journal.segment.length=132k or more, or a smaller --max-batch"), console.err());
        assertFalse(Files.exists(data));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--snapshot-thread|blp|--snapshot-thread must be snapshotter or service: blp",
        "--snapshot-rate|-1|Invalid value for option '--snapshot-rate': '-1' is not a size in bytes" })
    void shouldRefuseASnapshotOptionOutOfRange(final String option, final String value, final String error)
    {
        final Path data = temp.resolve("node");

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
            data.toString(), option, value));

        assertTrue(console.err().startsWith("paycore node: " + error), console.err());
        assertFalse(Files.exists(data));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--heartbeat-timeout|3s|--startup-canvass-timeout (5000000000 ns) must be at least twice " +
            "--heartbeat-timeout (3000000000 ns)",
        "--startup-canvass-timeout|3s|--startup-canvass-timeout (3000000000 ns) must be at least twice " +
            "--heartbeat-timeout (2000000000 ns)",
        "--heartbeat-timeout|0|--heartbeat-timeout must be more than 0: 0 ns" })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseTimeoutsTheConsensusModuleRefuses(final String option, final String value, final String error)
        throws IOException
    {
        // Aeron Cluster refuses a canvass shorter than two heartbeat timeouts, and divides by the heartbeat timeout,
        // as the member starts: a stack trace and exit status 1 (a storage failure's) for a usage error.
        final Path data = temp.resolve("node");

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22800", "--data",
            data.toString(), "--clients", clientsFile().toString(), "--flush", "none", "--cold-tier-size", "0",
            option, value));

        assertTrue(console.err().startsWith("paycore node: " + error), console.err());
        assertFalse(Files.exists(data));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldSayInOneLineWhyAMemberCannotStart() throws IOException
    {
        final Path data = temp.resolve("node");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("localhost"),
            22811)))
        {
            assertEquals(NodeCommand.EXIT_PART_STOPPED, PaycoreMain.execute("node", "--id", "0", "--members",
                "localhost:22810", "--data", data.toString(), "--clients", clientsFile().toString(), "--flush",
                "none", "--cold-tier-size", "0"), console.err());
        }

        final String err = console.err();
        assertTrue(err.startsWith("paycore node 0: cannot start: ") && err.contains("Address already in use"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldRefuseToStartOnTheDirectoryOfARunningMemberAndLeaveItRunning() throws IOException
    {
        final Path data = temp.resolve("node");
        final ClusterNodeContext running = new ClusterNodeContext()
            .memberId(0)
            .members(ClusterMembers.parse("localhost:22820"))
            .dataDirectory(data)
            .flushLevel(FlushLevel.NONE)
            .coldTierSizeBytes(0)
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(1))
            .credentials(ClientCredentials.load(clientsFile()));
        try (ClusterNode node = ClusterNode.launch(running))
        {
            // The second start deleted the running member's driver directory as its driver started, then failed on
            // the archive's mark file with a stack trace: the running member was gone from 'cluster status' and
            // 'stat', and no client could connect to it any more.
            assertEquals(NodeCommand.EXIT_PART_STOPPED, PaycoreMain.execute("node", "--id", "0", "--members",
                "localhost:22820", "--data", data.toString(), "--clients", clientsFile().toString(), "--flush",
                "none", "--cold-tier-size", "0"), console.err());

            final String err = console.err();
            assertTrue(err.startsWith("paycore node 0: cannot start: java.lang.IllegalStateException: a media " +
                "driver is running in " + data.resolve("aeron")), err);
            assertTrue(Files.exists(data.resolve("aeron").resolve(CncFileDescriptor.CNC_FILE)), "the running " +
                "member's driver directory is kept");
            assertEquals(ClusterCommand.EXIT_OK, PaycoreMain.execute("cluster", "status", "--data", data.toString()),
                console.err());
        }
    }

    private Path clientsFile() throws IOException
    {
        final Path clients = temp.resolve("clients");
        if (!Files.exists(clients))
        {
            Files.writeString(clients, ClientCredentials.line(1, "node-command-test-secret", 1_000) + "\n");
            Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);
        }
        return clients;
    }
}
