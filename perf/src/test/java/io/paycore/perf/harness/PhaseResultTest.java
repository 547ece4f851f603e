package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseResultTest
{
    private static PhaseResult phase(final long failedEvents)
    {
        final Histogram histogram = LatencyRecorder.newHistogram();
        for (int i = 0; i < 1_000; i++)
        {
            histogram.recordValue(20_000);
        }
        return new PhaseResult("paycore", 1_000, 1, 148, 1_000_000_000L, histogram, 1_000, 1_000, 0, failedEvents,
            0, 0, 0, 0, 0, 1_000, null);
    }

    /**
     * A phase whose transfers were answered with an error must not count as having carried the rate.
     * <p>
     * {@link PhaseResult#isRateMet()} checks that every measured message was sent and answered, none
     * {@code Rejected}, but not whether the transfers in the answers succeeded. {@code bench throughput} holds a step
     * on {@code isRateMet() && p99 <= limit}, so a step in which the ledger answered every transfer
     * {@code TRANSFERS_FULL} (a hot window whose cold tier fell behind, with {@code --hot-transfers}; a full ledger
     * behind {@code --connect}) is reported as a sustained rate of transfers that were never made, and
     * {@code summary.json} says {@code "rateMet": true} for it. Error answers are cheap, so the p99 of such a step
     * is low too; and neither the step's line nor {@code throughput.json} shows the failed events.
     */
    @Test
    void shouldNotCountTransfersAnsweredWithAnErrorAsTheRateMet()
    {
        assertTrue(phase(0).isRateMet(), "the control: every transfer OK");
        assertFalse(phase(1_000).isRateMet(), "every transfer of the phase failed, yet the rate counts as met");
        assertFalse(phase(1).isRateMet(), "a transfer failed");
    }
}
