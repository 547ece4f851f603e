package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;

/**
 * What one load phase against one target measured: the latency histogram of the measured messages (nanoseconds,
 * from intended send time to answer) and the counts and rates around it. Immutable.
 *
 * @param targetName             {@code paycore} or {@code baseline}.
 * @param targetRatePerSecond    messages per second offered.
 * @param batch                  events per message.
 * @param messageLengthBytes     bytes per message sent.
 * @param measureNanos           length of the measurement window.
 * @param histogram              latencies of the measured messages, nanoseconds.
 * @param measuredSent           messages intended inside the window and sent.
 * @param measuredAnswered       of those, answered.
 * @param rejected               of those, answered {@code Rejected}.
 * @param failedEvents           events in the answers that did not succeed.
 * @param unexpected             answers that matched no message in flight.
 * @param backPressured          offers of measured messages refused by back-pressure (and retried).
 * @param maxSendLagNanos        the latest any measured message was actually sent after its intended time.
 * @param warmupBackPressured    offers of warm-up messages refused by back-pressure (and retried).
 * @param warmupMaxSendLagNanos  the latest any warm-up message was actually sent after its intended time.
 * @param achievedRatePerSecond  measured answers divided by the time from the window's start to the last answer.
 * @param failure                why the phase stopped early, or null.
 */
public record PhaseResult(
    String targetName,
    long targetRatePerSecond,
    int batch,
    int messageLengthBytes,
    long measureNanos,
    Histogram histogram,
    long measuredSent,
    long measuredAnswered,
    long rejected,
    long failedEvents,
    long unexpected,
    long backPressured,
    long maxSendLagNanos,
    long warmupBackPressured,
    long warmupMaxSendLagNanos,
    double achievedRatePerSecond,
    String failure)
{
    /**
     * Share of the target rate that must be achieved for the rate to count as met.
     */
    public static final double RATE_MET_FRACTION = 0.99;

    /**
     * @return measured messages sent but never answered.
     */
    public long lost()
    {
        return measuredSent - measuredAnswered;
    }

    /**
     * Messages meant to be sent in the window: rate times window length.
     *
     * @return the count.
     */
    public long intendedCount()
    {
        // Whole seconds apart from the rest, so that rate * nanoseconds does not overflow (it would above 9.2e9
        // messages, within the settings' range).
        return targetRatePerSecond * (measureNanos / 1_000_000_000L) +
            targetRatePerSecond * (measureNanos % 1_000_000_000L) / 1_000_000_000L;
    }

    /**
     * @return true when a latency reached the histogram's ceiling, {@link LatencyRecorder#HIGHEST_TRACKABLE_NANOS}:
     * longer ones are recorded as the ceiling, so the max and the highest percentiles are lower bounds.
     */
    public boolean isLatencyCeilingReached()
    {
        return histogram.getTotalCount() > 0 &&
            histogram.getMaxValue() >= histogram.lowestEquivalentValue(LatencyRecorder.HIGHEST_TRACKABLE_NANOS);
    }

    /**
     * @return true when the achieved rate was at least {@link #RATE_MET_FRACTION} of the target, every measured
     * message was sent and answered, none rejected, no event in an answer failed, and the phase did not fail.
     */
    public boolean isRateMet()
    {
        return isEveryMessageAnswered() &&
            achievedRatePerSecond >= RATE_MET_FRACTION * targetRatePerSecond &&
            0 == rejected && 0 == failedEvents;
    }

    /**
     * @return true when the phase did not fail and every message intended in the window was sent and answered, so
     * that its histogram holds a latency for each of them: percentiles of only the answered messages would leave out
     * the worst ones.
     */
    public boolean isEveryMessageAnswered()
    {
        return null == failure && measuredSent >= intendedCount() && 0 == lost() && histogram.getTotalCount() > 0;
    }

    /**
     * @param percentile 0..100.
     * @return the latency at that percentile in nanoseconds, or 0 with no data.
     */
    public long valueAtPercentileNanos(final double percentile)
    {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }
}
