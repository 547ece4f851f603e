package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the numbers {@code bench latency} prints: what happens at the histogram's ceiling, how many messages a
 * long window is meant to send, and the printed verdict of a run that is not judged.
 */
class LatencyCeilingReviewTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static LatencyReport report(final PhaseResult paycore, final PhaseResult baseline)
    {
        return new LatencyReport(new BenchSettings().ratePerSecond(1_000).durationSeconds(1), paycore, baseline,
            new MachineInfo(2, "test cpu", "test os", "test java", "0.10 0.20 0.30", "0.40 0.50 0.60"),
            List.of(), "test service");
    }

    private static PhaseResult phase(
        final String name, final Histogram histogram, final long rate, final long measureNanos, final long sent)
    {
        return new PhaseResult(name, rate, 1, 80, measureNanos, histogram, sent, sent, 0, 0, 0, 0, 0, 0, 0,
            rate, null);
    }

    private static Histogram histogramOf(final long latencyNanos, final int count)
    {
        final Histogram histogram = LatencyRecorder.newHistogram();
        histogram.recordValueWithCount(latencyNanos, count);
        return histogram;
    }

    /**
     * A latency above the histogram's highest trackable value (60 s) is recorded as 60 s, so the top percentiles
     * and the max print 60,000,000 µs whatever the real latencies were (an overloaded run of a few minutes gets
     * there: open loop, the backlog grows by the whole overload). Nothing in the report said so.
     */
    @Test
    void shouldWarnWhenLatenciesWereCutToTheHistogramsCeiling()
    {
        final LatencyRecorder recorder = new LatencyRecorder(16);
        recorder.measureFromNanos(0);
        for (int i = 1; i <= 10; i++)
        {
            recorder.onSent(i, i * 1_000_000L, i * 1_000_000L);
            final long latency = recorder.onAnswer(i, i * 1_000_000L + (i <= 8 ? 20_000 : 120 * SECOND), 0);
            assertTrue(latency >= 0);
        }
        assertEquals(recorder.histogram().highestEquivalentValue(LatencyRecorder.HIGHEST_TRACKABLE_NANOS),
            recorder.histogram().getMaxValue(), "the 120 s latencies are recorded as the ceiling");

        final LatencyReport clamped = report(phase("paycore", recorder.histogram(), 10, SECOND, 10),
            phase("baseline", histogramOf(10_000, 10), 10, SECOND, 10));
        final List<String> warnings = clamped.warnings();
        assertTrue(warnings.stream().anyMatch((w) -> w.contains("paycore") && w.contains("60 s")),
            "a max of 120 s printed as 60 s without a word: " + warnings);

        final LatencyReport normal = report(phase("paycore", histogramOf(20_000, 10), 10, SECOND, 10),
            phase("baseline", histogramOf(10_000, 10), 10, SECOND, 10));
        assertTrue(normal.warnings().isEmpty(), normal.warnings().toString());
    }

    /**
     * {@code rate * measureNanos} overflows a long above 9.2e9 messages in the window, within the settings' range
     * (--rate up to 10,000,000, --duration up to 3,600): at 10M msg/s for 1,000 s the count comes out negative, so
     * a phase that sent a fraction of its messages still counts as having sent them all.
     */
    @Test
    void shouldCountTheMessagesOfALongWindowWithoutOverflow()
    {
        final long rate = 10_000_000;
        final long measureNanos = 1_000 * SECOND;
        final PhaseResult phase = phase("paycore", histogramOf(20_000, 1_000), rate, measureNanos, 1_000);

        assertEquals(10_000_000_000L, phase.intendedCount());
        assertFalse(phase.isEveryMessageAnswered(), "1,000 of 10,000,000,000 messages sent");
        assertTrue(report(phase, phase).warnings().stream().anyMatch((w) -> w.contains("only 1,000 of")),
            report(phase, phase).warnings().toString());
    }

    /**
     * With nothing of paycore's answered the report says {@code target: not judged}, and then on the next line
     * {@code target: p99 <= 3x baseline (0.00x: met), p99.99 <= 10x baseline (0.00x: met)}: the empty histogram's
     * zeros read as the best possible result.
     */
    @Test
    void shouldNotPrintTheTargetMetWhenItIsNotJudged()
    {
        final PhaseResult nothingAnswered = new PhaseResult("paycore", 1_000, 1, 80, SECOND,
            LatencyRecorder.newHistogram(), 1_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
        final LatencyReport report = report(nothingAnswered, phase("baseline", histogramOf(10_000, 1_000), 1_000,
            SECOND, 1_000));

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String printed = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(printed.contains("target: not judged"), printed);
        assertFalse(printed.contains(": met"), printed);
    }
}
