package io.paycore.service.cluster;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.service.TestJournals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a member of a local cluster stops, the description of the members is often all a failed run leaves behind
 * (the data directory goes with the test): it has to say how the member ended and what it printed last.
 */
class LocalClusterTest
{
    private static final LedgerLimits LIMITS = new LedgerLimits()
        .maxAccounts(1024).maxTransfers(65_536).maxPendingTransfers(4096).maxBatchEvents(128);

    @TempDir
    Path temp;

    @Test
    void shouldDescribeAStoppedMemberWithItsExitStatusAndLastLogLines() throws Exception
    {
        final LocalCluster cluster = new LocalCluster(temp, 1, 23_500, LIMITS, FlushLevel.NONE);
        try
        {
            // A regular file where the member's data directory goes: the member cannot start.
            Files.writeString(cluster.memberDirectory(0), "not a directory");
            cluster.start(0);
            final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String described = cluster.describeMembers();
            while (described.contains(", running") && System.nanoTime() - deadlineNanos < 0)
            {
                Thread.sleep(100);
                described = cluster.describeMembers();
            }
            final Matcher status = Pattern.compile("not running \\(exit status (\\d+)\\)").matcher(described);
            assertTrue(status.find(), described);
            assertNotEquals("0", status.group(1), described);
            final String log = Files.readString(temp.resolve("member-0.log")).strip();
            final String lastLine = log.substring(log.lastIndexOf('\n') + 1);
            assertFalse(lastLine.isBlank(), log);
            assertTrue(described.contains("member 0's log, last lines:\n    "), described);
            assertTrue(described.contains("\n    " + lastLine), described);
        }
        finally
        {
            cluster.close();
        }
    }

    /**
     * What {@code demo --cluster} prints when the members' digests differ: each member's journal against member
     * 0's, naming the first record that differs, read from the members' directories alone.
     */
    @Test
    void shouldCompareEachMembersJournalWithMember0s()
    {
        final LocalCluster cluster = new LocalCluster(temp, 3, 23_500, LIMITS, FlushLevel.NONE);
        TestJournals.ticks(cluster.memberDirectory(0), 4, 3, 1_000);
        TestJournals.ticks(cluster.memberDirectory(1), 4, 3, 1_000);
        TestJournals.ticks(cluster.memberDirectory(2), 3, 3, 2_000);

        final String compared = cluster.compareJournals();

        final Path journal0 = cluster.memberDirectory(0).resolve("journal");
        assertTrue(compared.startsWith("\n    A: " + journal0 + ", records 1..4\n    B: " +
            cluster.memberDirectory(1).resolve("journal") + ", records 1..4\n    the journals agree on every " +
            "record both hold (records 1..4)\n    A: " + journal0), compared);
        assertTrue(compared.endsWith("\n    the journals differ at record 3 (in its timestamp); they agree on " +
            "records 1..2\n      A holds: TICK, 0 bytes, at 1970-01-01T00:00:00.000001002Z (1002 ns)\n" +
            "      B holds: TICK, 0 bytes, at 1970-01-01T00:00:00.000002002Z (2002 ns)"), compared);
    }


    @Test
    void shouldGiveTheLastLinesOfALog() throws Exception
    {
        final Path log = temp.resolve("member.log");
        Files.writeString(log, "one\ntwo\nthree\n");

        assertEquals("\n    two\n    three", LocalCluster.logTail(log, 2));
        assertEquals("\n    one\n    two\n    three", LocalCluster.logTail(log, 40));
        assertTrue(LocalCluster.logTail(temp.resolve("absent.log"), 2).startsWith("\n    unreadable ("));
    }
}
