package io.paycore.service.demo;

import io.paycore.service.cluster.LocalCluster;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.TemporaryDirectories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code demo --cluster} with three {@code paycore node} processes: the leader SIGKILLed five times in a row under
 * load, each time restarted to catch up. Nothing acknowledged is lost, nothing is applied twice (each member's
 * journal created exactly the transfers acknowledged), and every member ends with the same digest. And a SIGTERM to
 * the demo stops its members and deletes its temporary directory before the demo's JVM exits.
 */
class ClusterDemoTest
{
    @TempDir
    Path temp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldStopItsMembersAndDeleteItsDirectoryWhenStoppedBySigterm() throws Exception
    {
        final Set<Path> before = TemporaryDirectories.named("paycore-demo-");
        try (PaycoreProcess demo = PaycoreProcess.start(temp.resolve("demo.out"), List.of("demo", "--cluster",
            "--kills", "0", "--transfers", "2000000", "--accounts", "500", "--cluster-base-port", "20700")))
        {
            demo.awaitLine("  leader ", 180_000);
            final List<ProcessHandle> members = demo.children();
            assertEquals(3, members.size(), demo.output());
            final Path directory = TemporaryDirectories.named("paycore-demo-").stream()
                .filter(path -> !before.contains(path)).findFirst().orElseThrow();

            // Still running when signalled: the JVM's status for SIGTERM, not the demo's own.
            assertEquals(143, demo.terminate(60_000), demo.output());

            try
            {
                // The demo's JVM stopped its members before it exited, and then deleted their directory.
                for (final ProcessHandle member : members)
                {
                    assertFalse(member.isAlive(), "member process " + member.pid() + " outlived the demo");
                }
                assertFalse(Files.exists(directory), "the demo's directory outlived it: " + directory);
            }
            finally
            {
                members.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void shouldSurviveFiveLeaderKillsWithEveryMemberEqual()
    {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status;
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            // Eight requests in flight, so that each kill lands with some of them unanswered.
            status = PaycoreMain.execute("demo", "--cluster", "--kills", "5", "--transfers", "20000",
                "--accounts", "500", "--window", "8", "--cluster-base-port", "20600", "--data",
                temp.resolve("data").toString());
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        final String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(0, status, () -> printed + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8) +
            memberLogTails());

        for (int kill = 1; kill <= 5; kill++)
        {
            assertTrue(printed.contains("  election " + kill + " "), "election " + kill + ":\n" + printed);
            assertTrue(printed.contains("  restart " + kill + " "), "restart " + kill + ":\n" + printed);
        }
        final Matcher created = Pattern.compile("member (\\d) +([0-9,]+) transfers created in its journal; " +
            "([0-9,]+) distinct acknowledged").matcher(printed);
        int members = 0;
        while (created.find())
        {
            assertEquals(created.group(3), created.group(2), "member " + created.group(1));
            members++;
        }
        assertEquals(3, members, printed);
        final List<String> digests = printed.lines().filter(line -> line.startsWith("digest: ")).toList();
        assertEquals(3, digests.size(), printed);
        assertEquals(1, digests.stream().map(line -> line.substring(0, line.indexOf(" (member"))).distinct().count(),
            printed);
        assertTrue(printed.matches("(?s).*\nfailover: \\d+ ms\n.*"), printed);
        assertTrue(printed.contains("0 of them missing on the leader"), printed);
        // Every member checked its ledger against the leader's as it went, across the changes of leader.
        assertTrue(printed.matches("(?s).*\n  history checks +[1-9][0-9,]* passed, 0 failed .*"), printed);
    }

    /**
     * The last lines of each member's log, for a failure's message: why a member stopped or did not catch up (a
     * member that did not is asked for a thread dump, which lands there).
     */
    private String memberLogTails()
    {
        final StringBuilder tails = new StringBuilder();
        for (int member = 0; member < 3; member++)
        {
            final Path log = temp.resolve("data").resolve("member-" + member + ".log");
            tails.append("\n--- ").append(log).append(" (last 400 lines)").append(LocalCluster.logTail(log, 400));
        }
        return tails.toString();
    }
}
