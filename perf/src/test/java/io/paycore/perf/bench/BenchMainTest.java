package io.paycore.perf.bench;

import io.paycore.core.ledger.LedgerLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A setting the service refuses reaches the bench user as one line naming the command, the reason and what to
 * change in the bench's own options, exit status 2, not as a stack trace.
 */
class BenchMainTest
{
    private static final String MORE_HEAP = "or give the JVM more heap (bin/paycore takes it from PAYCORE_JAVA_OPTS)";

    @Test
    void shouldReportARefusedSettingAsAUsageErrorWithoutATrace()
    {
        assumeTrue(new LedgerLimits().maxTransfers(LedgerLimits.MAX_RECORDS_BOUND).heapBytesEstimate(true) >
            Runtime.getRuntime().maxMemory(), "a heap smaller than a ledger of the most transfers");

        final String err = refused("latency", "--hot-transfers", Integer.toString(LedgerLimits.MAX_RECORDS_BOUND),
            "--duration", "1", "--warmup", "0");

        assertTrue(err.startsWith("paycore bench latency: a ledger of 10,000 accounts, 134,217,728 transfers in " +
            "memory (with a cold tier) and 1,024 pending transfers takes about "), err);
        assertTrue(err.endsWith(": set or lower --hot-transfers (the transfers kept in memory; without it, every " +
            "transfer the run offers), " + MORE_HEAP), err);
    }

    @Test
    void shouldAnswerAMisspeltOptionWithItsReasonAndWhereTheOptionsAre()
    {
        final String err = refused("latency", "--rat", "1000");

        assertTrue(err.startsWith("paycore bench latency: Unknown options: '--rat', '1000'"), err);
        assertTrue(err.endsWith("Try 'paycore bench latency --help' for its options."), err);
        assertFalse(err.contains("Usage:"), err);
    }

    @Test
    void shouldNameTheSoaksOwnOptionsForALedgerLargerThanTheHeap(@TempDir final Path temp)
    {
        assumeTrue(new LedgerLimits().maxTransfers(LedgerLimits.MAX_RECORDS_BOUND).heapBytesEstimate(true) >
            Runtime.getRuntime().maxMemory(), "a heap smaller than a ledger of the most transfers");

        final String err = refused("soak", "--hot-transfers", Integer.toString(LedgerLimits.MAX_RECORDS_BOUND),
            "--transfers", Integer.toString(LedgerLimits.MAX_RECORDS_BOUND + 1), "--out", temp.toString());

        assertTrue(err.startsWith("paycore bench soak: a ledger of 10,000 accounts, 134,217,728 transfers in " +
            "memory (with a cold tier) and 1,024 pending transfers takes about "), err);
        assertTrue(err.endsWith(": lower --hot-transfers or --accounts, " + MORE_HEAP), err);
    }

    @Test
    void shouldRefuseAMemberWarmUpWithoutAClusterOrBelowZero()
    {
        assertEquals("paycore bench latency: --member-warmup applies to --cluster's members only",
            refused("latency", "--member-warmup", "1000", "--duration", "1", "--warmup", "0"));
        assertEquals("paycore bench latency: --member-warmup must not be negative: -1",
            refused("latency", "--cluster", "--member-warmup", "-1", "--duration", "1", "--warmup", "0"));
    }

    @Test
    void shouldRefuseAClusterSnapshotOfATinyWindow()
    {
        assertTrue(refused("cluster-snapshot", "--hot-transfers", "100").startsWith(
            "paycore bench cluster-snapshot: --hot-transfers must be at least 1024"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldTimeAClusterMembersSnapshotOfAFullWindow()
    {
        final String out = succeeded("cluster-snapshot", "--hot-transfers", "4096", "--probe", "60",
            "--base-port", "21950");
        assertTrue(out.contains("  filled    104,448 transfers in "), out);
        assertTrue(out.matches("(?s).*  snapshot  taken [0-9.]+ s after it was asked for; the longest round trip " +
            "of [0-9,]+ single-transfer requests meanwhile [0-9.]+ s.*"), out);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunTheQueryBenchAndSayWhichCollectionsEachPhaseSaw()
    {
        final String out = succeeded("query", "--history", "2000", "--hot-transfers", "65536", "--accounts", "100",
            "--statement", "10", "--rate", "1000", "--query-rate", "20", "--warmup", "0", "--duration", "1",
            "--rounds", "1");
        assertTrue(out.contains("query server: 2,000 transfers of history indexed in "), out);
        assertTrue(out.matches("(?s).*\\nround 1: statements of 10 transfers from 2,000 of history, under 1,000 " +
            "writes/s: [1-9][0-9]* in 1 s .*"), out);
        for (final String phase : new String[]{ "writes alone       ", "writes with queries" })
        {
            assertTrue(out.matches("(?s).*\\nround 1: " + phase + ": offered 1,000/s, achieved [0-9,]+/s, [^\\n]*; " +
                "collections in this process during the phase: (none|[^\\n]+ [0-9,]+ \\([0-9,]+ ms\\))\\n.*"), out);
        }
    }

    @Test
    void shouldPrintEveryCommandsHelpWithoutAWarning()
    {
        final PrintStream saved = System.err;
        for (final String command : new CommandLine(new BenchCommand()).getSubcommands().keySet())
        {
            // picocli warns on standard error when a description is not a valid format (an unescaped %, say).
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final String out;
            try
            {
                out = succeeded(command, "--help");
            }
            finally
            {
                System.setErr(saved);
            }
            assertTrue(out.contains("Usage: "), command + ": " + out);
            assertEquals("", err.toString(StandardCharsets.UTF_8), command);
        }
    }

    /**
     * Run a bench command expected to exit 0, and return what it printed on standard output.
     */
    private static String succeeded(final String... args)
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int status;
        try
        {
            status = BenchMain.execute(args);
        }
        finally
        {
            System.setOut(saved);
        }
        final String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        return out;
    }

    /**
     * Run a bench command expected to be refused as a usage error, and return what it printed on standard error.
     */
    private static String refused(final String... args)
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream saved = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int status;
        try
        {
            status = BenchMain.execute(args);
        }
        finally
        {
            System.setErr(saved);
        }

        final String err = captured.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, status, err);
        assertFalse(err.contains("--max-accounts"), err);
        assertFalse(err.contains("\tat "), err);
        return err;
    }
}
