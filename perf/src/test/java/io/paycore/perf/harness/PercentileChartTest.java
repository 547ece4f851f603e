package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentileChartTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void shouldWriteAPngOfBothCurves() throws Exception
    {
        final Histogram fast = LatencyRecorder.newHistogram();
        final Histogram slow = LatencyRecorder.newHistogram();
        for (int i = 1; i <= 100_000; i++)
        {
            fast.recordValue(30_000 + (i % 1000) * 50L);
            slow.recordValue(2_000_000 + (i % 997) * 60_000L);
        }
        slow.recordValue(120_000_000);

        final Path png = dir.resolve("latency.png");
        PercentileChart.write(png, "test", List.of("fast", "slow"), List.of(fast, slow));

        final byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, "a real image, not an empty file: " + bytes.length);
        final byte[] signature = { (byte)0x89, 'P', 'N', 'G' };
        assertArrayEquals(signature, java.util.Arrays.copyOf(bytes, 4));
    }

    @Test
    void shouldLabelTheLogAxisAsPercentiles()
    {
        assertEquals("0%", PercentileChart.percentileLabel(0));
        assertEquals("90%", PercentileChart.percentileLabel(1));
        assertEquals("99%", PercentileChart.percentileLabel(2));
        assertEquals("99.9%", PercentileChart.percentileLabel(3));
        assertEquals("99.99%", PercentileChart.percentileLabel(4));
    }
}
