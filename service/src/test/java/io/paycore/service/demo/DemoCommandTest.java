package io.paycore.service.demo;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.TemporaryDirectories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore demo --warmup}: the scratch run leaves the measured run's data directory, journal and results as
 * they are without it; and the demo's temporary directory does not outlive a SIGTERM.
 */
class DemoCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldWarmUpOnAScratchServiceAndLeaveTheMeasuredRunAsItIs()
    {
        final List<String> cold = demo(temp.resolve("cold"), "--warmup", "0");
        assertFalse(cold.stream().anyMatch(line -> line.startsWith("warm-up:")), String.join("\n", cold));

        final List<String> warm = demo(temp.resolve("warm"), "--warmup", "1500");

        final String warmUpLine = warm.get(0);
        assertTrue(warmUpLine.matches("warm-up: 1,500 transfers through a scratch service in [0-9.]+ s " +
            "\\(\\d+ transfers/s\\), then \\d+ ms until the JIT was quiet"), warmUpLine);
        // The measured run got the same answers with and without the warm-up, and ended with the same ledger and
        // hot window. (Digests differ from run to run: transfers carry the journal's timestamps.)
        assertEquals(summary(cold), summary(warm));
        final String digest = line(warm, "digest: ");
        assertEquals(digest, line(warm, "recovered digest: "));

        // Nothing of the scratch run is in the measured run's directory: its journal holds the 4 account and 60
        // transfer messages the run sent, and replays to the digest the run printed.
        console.reset();
        assertEquals(0, PaycoreMain.execute("audit", "--data", temp.resolve("warm").toString(), "--progress",
            "never", "--hot-transfers", "500"), console.err());
        final String audited = console.out();
        assertTrue(audited.contains("message CreateAccounts: 4 record(s), 200 event(s)"), audited);
        assertTrue(audited.contains("message CreateTransfers: 60 record(s), 3000 event(s)"), audited);
        assertTrue(audited.endsWith("digest: " + digest + System.lineSeparator()), audited);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeleteItsTemporaryDirectoryWhenStoppedBySigterm() throws Exception
    {
        final Set<Path> before = TemporaryDirectories.named("paycore-demo-");
        try (PaycoreProcess demo = PaycoreProcess.start(temp.resolve("demo.out"),
            List.of("demo", "--transfers", "100000000", "--accounts", "200", "--hot-transfers", "100000")))
        {
            final Path directory = TemporaryDirectories.awaitNewWithJournal("paycore-demo-", before, demo, 60_000);

            // Still running when signalled: the JVM's status for SIGTERM, not the demo's own.
            assertEquals(143, demo.terminate(30_000), demo.output());

            assertFalse(Files.exists(directory), "the demo's directory outlived it: " + directory);
        }
    }

    @Test
    void shouldRefuseANegativeWarmUpAndAWarmUpOfTheCluster()
    {
        assertEquals(2, PaycoreMain.execute("demo", "--warmup", "-1"));
        assertTrue(console.err().contains("--warmup must not be negative: -1"),
            console.err());

        console.reset();
        assertEquals(2, PaycoreMain.execute("demo", "--cluster", "--warmup", "10"));
        assertTrue(console.err().contains("--warmup applies to the in-process demo"),
            console.err());
    }

    @Test
    void shouldRefuseBadWorkloadOptionsNamingTheOption()
    {
        final String[][] cases = {
            { "--accounts", "1", "paycore demo: --accounts must be at least 2: 1" },
            { "--transfers", "-1", "paycore demo: --transfers must not be negative: -1" },
            { "--batch", "0", "paycore demo: --batch must be 1..1024: 0" },
            { "--batch", "1025", "paycore demo: --batch must be 1..1024: 1025" },
            { "--hot-transfers", "-1", "paycore demo: --hot-transfers must not be negative: -1" },
        };
        for (final String[] refused : cases)
        {
            console.reset();
            assertEquals(2, PaycoreMain.execute("demo", refused[0], refused[1]), console.err());
            assertEquals(refused[2] + System.lineSeparator(), console.err());
            assertEquals("", console.out());
        }
    }

    @Test
    void shouldRefuseADataDirectoryItCannotCreate() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("a-file"), "not a directory");

        assertEquals(2, PaycoreMain.execute("demo", "--data", file.resolve("data").toString()));

        assertTrue(console.err().startsWith("paycore demo: cannot create the data directory " +
            file.resolve("data") + ": java.nio.file.FileSystemException"), console.err());
    }

    private List<String> demo(final Path data, final String... more)
    {
        console.reset();
        final String[] args = new String[10 + more.length];
        System.arraycopy(new String[]{ "demo", "--data", data.toString(), "--accounts", "200", "--transfers",
            "3000", "--batch", "50", "--hot-transfers=500" }, 0, args, 0, 10);
        System.arraycopy(more, 0, args, 10, more.length);
        final int status = PaycoreMain.execute(args);
        final String printed = console.out();
        assertEquals(0, status, printed + console.err());
        return printed.lines().collect(Collectors.toList());
    }

    /**
     * The summary lines that depend only on what the measured run did, not on how fast: not the time, the journal's
     * ticks, the digests or the records the cold tier's writer had reached when the service stopped.
     */
    private static List<String> summary(final List<String> lines)
    {
        return lines.stream()
            .filter(line -> !line.startsWith("warm-up:") && !line.startsWith("  data directory") &&
                !line.startsWith("  journal ") && !line.startsWith("digest: ") && !line.startsWith("recovered digest: ") &&
                !line.startsWith("  time ") && !line.startsWith("  recovery ") && !line.startsWith("throughput:"))
            // How many records the cold tier's writer had written when the service stopped depends on timing.
            .map(line -> line.startsWith("  hot window ") ? line.substring(0, line.indexOf(';')) : line)
            .collect(Collectors.toList());
    }

    private static String line(final List<String> lines, final String prefix)
    {
        return lines.stream().filter(line -> line.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in " + lines))
            .substring(prefix.length());
    }
}
