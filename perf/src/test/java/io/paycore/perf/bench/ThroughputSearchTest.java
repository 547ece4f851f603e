package io.paycore.perf.bench;

import io.paycore.perf.harness.BenchSettings;
import io.paycore.perf.harness.ServiceLauncher;
import io.paycore.perf.harness.ThroughputSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench throughput} when the service refuses to start for a step: above a rate that held, the step is
 * reported as not run and bounds the search; before any rate held, the refusal is the caller's usage error. Checks
 * the steps and the lines, never a latency or a rate reached.
 */
class ThroughputSearchTest
{
    private static final String REFUSAL = "a ledger of this step's transfers does not fit (refused by the test)";

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldReportAStepTheServiceRefusesAsNotRunAndSearchBelowIt() throws Exception
    {
        final InProcessServiceLauncher real = new InProcessServiceLauncher(dir, false);
        // Refuses every rate above 3,000 msg/s, as a heap refuses a ledger for every transfer of a faster step.
        final ServiceLauncher launcher = (settings, pinning) ->
        {
            if (settings.ratePerSecond() > 3_000)
            {
                throw new IllegalArgumentException(REFUSAL);
            }
            return real.launch(settings, pinning);
        };
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        final List<ThroughputSearch.Step> steps = ThroughputSearch.run(settings(), launcher, new int[]{ 1 }, 2_000,
            TimeUnit.SECONDS.toNanos(10), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        final String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2_000, steps.get(0).rate(), printed);
        assertTrue(steps.get(0).held(), printed);
        assertEquals(4_000, steps.get(1).rate(), printed);
        assertEquals(REFUSAL, steps.get(1).refusal(), printed);
        int refused = 0;
        for (final ThroughputSearch.Step step : steps)
        {
            if (step.rate() > 3_000)
            {
                refused++;
                assertEquals(REFUSAL, step.refusal(), printed);
                assertNull(step.result(), printed);
                assertFalse(step.held(), printed);
            }
            else
            {
                assertNull(step.refusal(), printed);
                assertTrue(printed.contains(String.format("%,d", step.rate())), printed);
            }
        }
        assertEquals(refused, printed.split(Pattern.quote("not run: " + REFUSAL), -1).length - 1, printed);
        assertTrue(printed.contains("\nbatch 1: highest sustained "), printed);
        assertTrue(printed.contains(" msg/s up not run: the service refused to start (see the step)\n"), printed);

        ThroughputSearch.writeJson(dir.resolve("out").resolve("throughput.json"), steps);
        final String json = Files.readString(dir.resolve("out").resolve("throughput.json"));
        assertEquals(refused, json.split(Pattern.quote("\"notRun\": \"" + REFUSAL + "\""), -1).length - 1, json);
    }

    @Test
    void shouldLeaveARefusalBeforeAnyRateHeldToTheCaller()
    {
        final ServiceLauncher refusing = (settings, pinning) ->
        {
            throw new IllegalArgumentException(REFUSAL);
        };

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ThroughputSearch.run(settings(), refusing, new int[]{ 1 }, 2_000, TimeUnit.SECONDS.toNanos(10),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

        assertEquals(REFUSAL, refused.getMessage());
    }

    private static BenchSettings settings()
    {
        return new BenchSettings()
            .warmupSeconds(0)
            .durationSeconds(1)
            .accounts(100)
            .drainSeconds(10);
    }
}
