package io.paycore.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small soak, so the command itself is tested: every old transfer checked is found and answers EXISTS, the final
 * digest equals the audit's, and the samples are written. Its memory verdict is not checked here: a run this short
 * is over before the JVM has touched its heap.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchSoakCommandTest
{
    @TempDir
    Path temp;

    @Test
    void shouldCheckOldTransfersAndTheDigestAndWriteTheSamples() throws Exception
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            new CommandLine(new BenchSoakCommand()).execute("--transfers", "40000", "--hot-transfers", "2000",
                "--accounts", "100", "--old-checks", "50", "--sample-interval", "100",
                "--data", temp.resolve("data").toString(), "--out", temp.resolve("out").toString());
        }
        finally
        {
            System.setOut(saved);
        }
        final String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("50 looked up: 50 found as sent; 50 re-sent: 50 EXISTS"), output);
        final String audit = line(output, "  audit ").replaceAll(".*digest ", "");
        assertEquals(line(output, "  final digest").replaceAll(".*digest\\s+", ""), audit, output);
        assertTrue(Files.size(temp.resolve("out").resolve("soak-rss.png")) > 0);
        assertTrue(Files.readAllLines(temp.resolve("out").resolve("soak-rss.csv")).size() > 2, output);
        assertTrue(Files.isDirectory(temp.resolve("data").resolve("cold")), "the run used a cold tier");
        checkRateLeavesOutTheLiveHeapChecks(line(output, "  sent in"));
    }

    /**
     * The soak's sending rate is the transfers over the time they took to send, but four full collections (the
     * live-heap checks, {@code System.gc()} on the sending thread, the service paused with it) ran inside that
     * time, and the rate printed (and quoted in the README) counted them as sending time. The line must say how
     * long they took, and the rate must leave them out.
     */
    private static void checkRateLeavesOutTheLiveHeapChecks(final String sentIn)
    {
        final Matcher matcher = Pattern.compile(
            "sent in\\s+([0-9.]+) s, ([0-9.]+) s of it in the live-heap checks' 4 full collections: ([0-9,]+) " +
            "transfers/s without them").matcher(sentIn);
        assertTrue(matcher.find(), "the live-heap checks' time is not told apart: " + sentIn);
        final double sendSeconds = Double.parseDouble(matcher.group(1));
        final double checkSeconds = Double.parseDouble(matcher.group(2));
        assertTrue(checkSeconds <= sendSeconds + 0.05, sentIn);
    }

    private static String line(final String text, final String prefix)
    {
        return text.lines().filter((l) -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + text)).trim();
    }
}
