package io.paycore.service.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterMembersTest
{
    @TempDir
    Path temp;

    @Test
    void shouldGiveEachMemberFivePortsFromItsBase()
    {
        final ClusterMembers members = ClusterMembers.parse("a:9000,b:9000,c:9000");

        assertEquals(3, members.size());
        assertEquals("0,a:9002,a:9003,a:9004,a:9005,a:9001|1,b:9002,b:9003,b:9004,b:9005,b:9001|" +
            "2,c:9002,c:9003,c:9004,c:9005,c:9001", members.consensusMembers());
        assertEquals("0=a:9002,1=b:9002,2=c:9002", members.ingressEndpoints());
    }

    @Test
    void shouldReadAFileOfMembersWithComments() throws IOException
    {
        final Path file = temp.resolve("members");
        Files.writeString(file, "# the cluster\nlocalhost:9000\n\nlocalhost:9010  # second\nlocalhost:9020\n");

        final ClusterMembers members = ClusterMembers.parse(file.toString());

        assertEquals("0=localhost:9002,1=localhost:9012,2=localhost:9022", members.ingressEndpoints());
    }

    @Test
    void shouldRefuseMembersWhosePortsOverlapOrAreMalformed()
    {
        assertMessage("overlap", "localhost:9000,localhost:9004");
        assertMessage("expected host:port", "localhost");
        // A members file that is not there was answered as a malformed member, never naming the file.
        assertMessage("no such members file either", temp.resolve("members.txt").toString());
        assertMessage("port is not a number", "localhost:x");
        assertMessage("base port must be", "localhost:65534");
        assertMessage("1 to 7 members", "a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1");
    }

    /**
     * A member takes the five ports base + 1 to base + 5, so bases 5 apart do not overlap; they were refused as
     * overlapping ("each takes 6 ports from its base"), from a review on 2026-12-07.
     */
    @Test
    void shouldTakeBasePortsFiveApartOnOneHost()
    {
        final ClusterMembers members = ClusterMembers.parse("localhost:9000,localhost:9005,localhost:9010");

        assertEquals("0,localhost:9002,localhost:9003,localhost:9004,localhost:9005,localhost:9001|" +
            "1,localhost:9007,localhost:9008,localhost:9009,localhost:9010,localhost:9006|" +
            "2,localhost:9012,localhost:9013,localhost:9014,localhost:9015,localhost:9011",
            members.consensusMembers());
        assertMessage("members 1 and 2 are on localhost with base ports 9005 and 9009: each takes the 5 ports " +
            "base + 1 to base + 5, so they overlap", "localhost:9000,localhost:9005,localhost:9009");
    }

    /**
     * {@code localhost} is the address it resolves to, and host names are not case-sensitive: members on {@code
     * localhost} and {@code 127.0.0.1} (or {@code LOCALHOST}) with the same base bind the same ports, and were taken
     * as on different hosts, from a review on 2026-12-07. The second member then failed as it started.
     */
    @Test
    void shouldRefuseOverlappingMembersOnOneHostSpelledTwoWays() throws UnknownHostException
    {
        final String loopback = InetAddress.getByName("localhost").getHostAddress();

        assertMessage("members 0 and 1 are on localhost and " + loopback + " (both " + loopback + ") with base " +
            "ports 9000 and 9002", "localhost:9000," + loopback + ":9002");
        assertMessage("overlap", loopback + ":9000,LocalHost:9000");
        assertMessage("overlap", "Node-1.example:9000,node-1.EXAMPLE:9003");
        assertMessage("overlap", "[::1]:9000,[0:0:0:0:0:0:0:1]:9000");
        assertEquals(2, ClusterMembers.parse("localhost:9000,127.0.0.2:9000").size());
        assertEquals(2, ClusterMembers.parse("[::1]:9000,127.0.0.1:9000").size());
    }

    @Test
    void shouldRefuseMembersSeparatedByOtherThanCommasRatherThanTakeThemForOneHost()
    {
        // Each was taken for one member whose host was the rest of the list, which Aeron failed on as it started.
        assertMessage("separate the members with commas", "a:9000 b:9000 c:9000");
        assertMessage("separate the members with commas", "a:9000;b:9000;c:9000");
        assertMessage("([...] for IPv6)", "::1:9000");
        assertMessage("([...] for IPv6)", "a/b:9000");
    }

    @Test
    void shouldTakeHostNamesAndAddressesOfEachKind()
    {
        final ClusterMembers members = ClusterMembers.parse("node_1.example-dc:9000,10.0.0.2:9000,[::1]:9000");

        assertEquals("0=node_1.example-dc:9002,1=10.0.0.2:9002,2=[::1]:9002", members.ingressEndpoints());
    }

    private static void assertMessage(final String expected, final String members)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ClusterMembers.parse(members));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
