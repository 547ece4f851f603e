package io.paycore.service.pinning;

import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --cpus} and pinning against what an operator expects (README, Architecture: Profiles).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CpuPinningReviewTest
{
    /**
     * {@code --cpus ingress=1,ingress=0} was taken, the second silently replacing the first: an operator who wrote a
     * role twice by mistake (meaning egress, say) got one of the two cores and no word of the other.
     */
    @Test
    void shouldRefuseARoleNamedTwice()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CpuPlan.parse("ingress=1,blp=0,ingress=0", 2));

        assertTrue(ex.getMessage().contains("ingress") && ex.getMessage().contains("twice"), ex.getMessage());
    }

    /**
     * {@code ingress=1+} and {@code ingress=1,} were taken as {@code ingress=1} (Java's split drops trailing empty
     * strings), while {@code ingress=1,,blp=0} and {@code ingress=+1} were refused: a list cut short is a typo.
     */
    @Test
    void shouldRefuseAnEmptyCpuOrPartWhereverItIs()
    {
        for (final String spec : List.of("ingress=1+", "ingress=1,", "ingress=1,,blp=0", "ingress=+1",
            "ingress=1+ ,blp=0", ",ingress=1"))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> CpuPlan.parse(spec, 2), spec);
            assertTrue(ex.getMessage().startsWith("--cpus"), ex.getMessage());
        }
        assertEquals("ingress=1,blp=0", CpuPlan.parse(" ingress = 1 , blp=0 ", 2).toString());
    }

    /**
     * Where OpenHFT affinity has no implementation (a platform it does not know: here a JVM told it runs on
     * "Plan9"), {@code Affinity.setAffinity} does nothing and says nothing, and the service printed
     * {@code pinned: blp paycore-blp wanted cpu 1: allowed {}, running on cpu -1}: a line that reads as a pinning.
     * The class promises that "where affinity cannot be set (not Linux, no JNA), the line says so".
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldSayPlainlyWhenTheAffinityLibraryCannotPin() throws Exception
    {
        final Process process = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dos.name=Plan9",
            "-cp", System.getProperty("java.class.path"),
            PinningProbe.class.getName())
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), output);

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("ran"), "the thread still runs its work: " + output);
        assertTrue(output.contains("pinned: blp") && output.contains("could not pin"), output);
        assertFalse(output.contains("running on cpu -1"), output);
    }

    /**
     * The dedicated profile's own plan took cpus 1 to 7 whatever the process was given: under {@code taskset -c 4-11}
     * on a 12-cpu machine (8 cpus for the JVM) it pinned its threads to cpus 1 to 7, out of the set. It takes them
     * from the set now, leaving the first to the system, and refuses a set too small, naming it.
     */
    @Test
    void shouldTakeTheDedicatedProfilesCoresFromThoseTheProcessMayRunOn()
    {
        final BitSet allowed = new BitSet();
        allowed.set(4, 12);

        assertEquals("ingress=5,egress=6,journaler=7,blp=8,driver=9+10+11",
            ServicePinning.plan(null, ThreadingProfile.DEDICATED, allowed).toString());
        allowed.clear(11);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ServicePinning.plan(null, ThreadingProfile.DEDICATED, allowed));
        assertTrue(ex.getMessage().contains("needs 8 cores and this machine has 7 for this process (cpus 4..10)"),
            ex.getMessage());
    }

    /**
     * The dedicated profile's refusal suggested {@code --cpus ...,driver=5+5+5}: its three busy-spinning driver
     * threads on one core. Such a plan, and any that puts two spinners on one core or leaves no core free, is now
     * warned about; a plan with a core for each spinner and one to spare is not.
     */
    @Test
    void shouldWarnOfTheDedicatedProfilesSpinnersSharingACore()
    {
        final BitSet eight = AllowedCpus.first(8);
        final List<String> shared = ServicePinning.warnings(
            ServicePinning.plan("ingress=1,egress=2,journaler=3,blp=4,driver=5", ThreadingProfile.DEDICATED, eight),
            ThreadingProfile.DEDICATED, null, null, true, eight);
        assertEquals(List.of("--cpus puts 3 busy-spinning threads on cpu 5 (3 driver threads): they take turns in " +
            "the scheduler's time slices; give each a core of its own"), shared);

        final BitSet seven = AllowedCpus.first(7);
        final List<String> full = ServicePinning.warnings(
            ServicePinning.plan("ingress=0,egress=1,journaler=2,blp=3,driver=4+5+6", ThreadingProfile.DEDICATED,
            seven), ThreadingProfile.DEDICATED, StageLayout.SPLIT, null, true, seven);
        assertEquals(1, full.size(), full.toString());
        assertTrue(full.get(0).startsWith("7 threads busy-spin (3 driver threads, ingress, egress, journaler, blp) " +
            "and this process may run on 7 cpus (0..6): none is left"), full.get(0));

        assertEquals(List.of(), ServicePinning.warnings(ServicePinning.plan(null, ThreadingProfile.DEDICATED, eight),
            ThreadingProfile.DEDICATED, null, null, true, eight));
        assertEquals(List.of("--cpus journaler=3 pins nothing: the combined layout runs the journaler on the blp " +
            "thread; name blp, or use --layout split"), ServicePinning.warnings(
            ServicePinning.plan("ingress=1,egress=2,journaler=3,blp=4,driver=5+6+7", ThreadingProfile.DEDICATED,
            eight), ThreadingProfile.DEDICATED, StageLayout.COMBINED, null, true, eight));
    }

    @Test
    void shouldDescribeACpuSetAsRuns()
    {
        final BitSet cpus = new BitSet();
        cpus.set(0, 4);
        cpus.set(6);
        cpus.set(8, 10);

        assertEquals("0..3,6,8..9", AllowedCpus.describe(cpus));
        assertEquals(AllowedCpus.first(Runtime.getRuntime().availableProcessors()).cardinality(),
            AllowedCpus.ofThisProcess().cardinality());
    }
}
