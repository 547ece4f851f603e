package io.paycore.perf.bench;

import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.service.pinning.AllowedCpus;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ServicePinning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --cpus} and {@code --profile dedicated} against what the README and {@code serve} promise. Planning
 * only, except one tiny run in the shared profile (nothing busy-spins).
 */
class BenchPinningReviewTest
{
    /**
     * {@code bench --profile dedicated} without {@code --cpus} handed the service the bench's own empty plan, so the
     * dedicated profile's default plan (a core per hot thread) never applied: seven busy-spinning threads ran
     * wherever the scheduler put them, and on a machine too small for that plan nothing was refused.
     */
    @Test
    void shouldPinTheDedicatedProfileAsServeDoesOrRefuseAsServeDoes()
    {
        final CommonBenchOptions options = options("--profile", "dedicated");
        final BitSet allowed = AllowedCpus.ofThisProcess();

        String serveRefusal = null;
        CpuPlan servePlan = null;
        try
        {
            servePlan = ServicePinning.plan(null, ThreadingProfile.DEDICATED, allowed);
        }
        catch (final IllegalArgumentException ex)
        {
            serveRefusal = ex.getMessage();
        }

        if (null != serveRefusal)
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, options::settings);
            assertEquals(serveRefusal, ex.getMessage());
        }
        else
        {
            assertEquals(servePlan.toString(), options.settings().cpuPlan().toString());
        }
    }

    @Test
    void shouldGiveTheServiceRolesServesDedicatedPlanAndKeepTheLoadGenerators()
    {
        final BitSet tenCpus = AllowedCpus.first(10);

        assertEquals("ingress=1,egress=2,journaler=3,blp=4,driver=5+6+7",
            CommonBenchOptions.plan(null, ThreadingProfile.DEDICATED, tenCpus).toString());
        assertEquals("loadgen=9,ingress=1,egress=2,journaler=3,blp=4,driver=5+6+7",
            CommonBenchOptions.plan("loadgen=9", ThreadingProfile.DEDICATED, tenCpus).toString());
        assertEquals("loadgen=0,ingress=1,blp=2",
            CommonBenchOptions.plan("loadgen=0,ingress=1,blp=2", ThreadingProfile.DEDICATED, tenCpus).toString());
        assertTrue(CommonBenchOptions.plan(null, ThreadingProfile.SHARED, tenCpus).isEmpty());
        assertEquals("loadgen=0", CommonBenchOptions.plan("loadgen=0", ThreadingProfile.SHARED, tenCpus).toString());
    }

    @Test
    void shouldRefuseTheDedicatedProfileWithoutCpusOnTooFewCoresAsServeDoes()
    {
        final BitSet sixCpus = AllowedCpus.first(6);

        final IllegalArgumentException serve = assertThrows(IllegalArgumentException.class,
            () -> ServicePinning.plan(null, ThreadingProfile.DEDICATED, sixCpus));
        final IllegalArgumentException bench = assertThrows(IllegalArgumentException.class,
            () -> CommonBenchOptions.plan("loadgen=5", ThreadingProfile.DEDICATED, sixCpus));

        assertEquals(serve.getMessage(), bench.getMessage());
    }

    /**
     * With {@code --cluster} the service runs in {@code paycore node} processes the bench does not pin, so
     * {@code --cpus ingress=1} pinned nothing of paycore's, yet pinned the baseline echo's thread: the two sides
     * were measured on different cores, and nothing said so.
     */
    @Test
    void shouldRefuseServiceRolesWithACluster()
    {
        final String refusal = options("--cluster", "--cpus", "loadgen=0,ingress=1").refuseOptions();

        assertTrue(null != refusal && refusal.contains("--cluster") && refusal.contains("ingress=1"), refusal);
        assertNull(options("--cluster", "--cpus", "loadgen=0").refuseOptions());
    }

    /**
     * The service's pinning warnings went to its own output, which the bench discards unless {@code --verbose}.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldPrintThePinningWarningsWithoutVerbose()
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try
        {
            BenchMain.execute("latency", "--profile", "shared", "--cpus", "egress=0", "--rate", "200", "--batch",
                "1", "--accounts", "100", "--warmup", "0", "--duration", "1");
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }

        final String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("warning: --cpus egress=0 pins nothing: in the shared profile egress runs on " +
            "the ingress thread"), printed);
    }

    private static CommonBenchOptions options(final String... args)
    {
        final CommonBenchOptions options = new CommonBenchOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
