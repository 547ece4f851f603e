package io.paycore.service.pinning;

import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code serve} says of {@code --cpus} and of an idle strategy that has no thread to act on.
 */
class PinningMessagesReviewTest
{
    private static final BitSet FOUR_CPUS = AllowedCpus.first(4);

    /**
     * serve refuses {@code loadgen}, yet its syntax errors listed it among the roles to use.
     */
    @Test
    void shouldNotOfferServeTheLoadGeneratorsRole()
    {
        for (final String spec : new String[]{ "ingress", "feed=1" })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ServicePinning.plan(spec, ThreadingProfile.SHARED, FOUR_CPUS));

            assertFalse(ex.getMessage().contains("loadgen"), ex.getMessage());
            assertTrue(ex.getMessage().contains("ingress, egress, journaler, blp, driver"), ex.getMessage());
        }
    }

    @Test
    void shouldStillOfferTheBenchTheLoadGeneratorsRole()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CpuPlan.parse("feed=1", FOUR_CPUS));

        assertTrue(ex.getMessage().contains("loadgen, ingress, egress, journaler, blp, driver"), ex.getMessage());
    }

    /**
     * {@code --idle-strategy} sets the stage threads' idling; the inline layout has none (the stages run on the
     * ingress thread, which idles as the shared profile does), so {@code busy-spin} there changed nothing, silently.
     */
    @Test
    void shouldWarnThatAnIdleStrategyHasNoStageThreadInTheInlineLayout()
    {
        final List<String> warnings = ServicePinning.warnings(
            CpuPlan.NONE, ThreadingProfile.SHARED, StageLayout.INLINE, "busy-spin", true, FOUR_CPUS);

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("--idle-strategy busy-spin has no effect"), warnings.get(0));
        assertTrue(warnings.get(0).contains("inline"), warnings.get(0));
    }

    @Test
    void shouldNotWarnOfTheProfilesOwnIdleStrategyOrOfAnotherLayout()
    {
        assertEquals(List.of(), ServicePinning.warnings(
            CpuPlan.NONE, ThreadingProfile.SHARED, StageLayout.INLINE, null, true, FOUR_CPUS));
        assertEquals(List.of(), ServicePinning.warnings(
            CpuPlan.NONE, ThreadingProfile.SHARED, StageLayout.INLINE, "backoff", true, FOUR_CPUS));
        assertEquals(List.of(), ServicePinning.warnings(
            CpuPlan.NONE, ThreadingProfile.SHARED, StageLayout.SPLIT, "yielding", true, FOUR_CPUS));
    }
}
