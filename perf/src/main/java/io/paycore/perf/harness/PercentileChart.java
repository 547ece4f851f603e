package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws latency-by-percentile curves as HdrHistogram's plotter does: the x axis is {@code 1 / (1 - percentile)} on a
 * log scale, labelled as percentiles (0 %, 90 %, 99 %, 99.9 %, ...), so the tail gets as much room as the body; the
 * y axis is latency in microseconds, also on a log scale so that a microsecond median and a millisecond tail are
 * both readable. Made with XChart, headless. XChart cannot label a log axis with custom text (and its tick search
 * can spin on custom labels), so the x values are plotted as {@code log10(1 / (1 - percentile))} on a linear axis
 * without tick labels, and each decade gets a grid line and a percentile label as annotations.
 */
public final class PercentileChart
{
    private static final double MAX_X = 1e6;
    private static final double MAX_LOG_X = 6;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private PercentileChart()
    {
    }

    /**
     * Write a PNG of the curves.
     *
     * @param file       the PNG to write.
     * @param title      chart title.
     * @param names      series names, one per histogram.
     * @param histograms latencies in nanoseconds.
     * @throws IOException if the file cannot be written.
     */
    public static void write(
        final Path file, final String title, final List<String> names, final List<Histogram> histograms)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder()
            .width(1000)
            .height(600)
            .title(title)
            .xAxisTitle("percentile (log scale of 1 / (1 - percentile))")
            .yAxisTitle("latency (µs, from intended send time)")
            .build();
        chart.getStyler()
            .setXAxisMin(0.0)
            .setXAxisMax(MAX_LOG_X)
            .setXAxisTicksVisible(false)
            .setYAxisLogarithmic(true)
            .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW)
            .setMarkerSize(0);

        double minMicros = Double.MAX_VALUE;
        double maxMicros = 0;
        for (int i = 0; i < histograms.size(); i++)
        {
            final Histogram histogram = histograms.get(i);
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
            {
                final double fraction = value.getPercentileLevelIteratedTo() / 100.0;
                final double x = fraction >= 1.0 ? MAX_X : Math.min(MAX_X, 1.0 / (1.0 - fraction));
                final double micros = Math.max(0.01, value.getValueIteratedTo() / 1000.0);
                minMicros = Math.min(minMicros, micros);
                maxMicros = Math.max(maxMicros, micros);
                xs.add(Math.log10(x));
                ys.add(micros);
                if (x >= MAX_X)
                {
                    break;
                }
            }
            final XYSeries series = chart.addSeries(names.get(i), xs, ys);
            series.setMarker(SeriesMarkers.NONE);
        }
        if (maxMicros > 0)
        {
            final double yMin = Math.pow(10, Math.floor(Math.log10(minMicros)));
            final double yMax = Math.pow(10, Math.ceil(Math.log10(maxMicros * 1.01)));
            chart.getStyler().setYAxisMin(yMin).setYAxisMax(yMax);
            final double labelY = yMin * Math.pow(yMax / yMin, 0.03);
            for (int decade = 0; decade <= MAX_LOG_X; decade++)
            {
                chart.addAnnotation(new AnnotationLine(decade, true, false));
                chart.addAnnotation(new AnnotationText(percentileLabel(decade), decade + 0.12, labelY, false));
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * @param logX decimal logarithm of {@code 1 / (1 - percentile)}.
     * @return the percentile it stands for, for example {@code 99.9%}.
     */
    static String percentileLabel(final double logX)
    {
        final double percentile = 100.0 * (1.0 - Math.pow(10, -logX));
        if (percentile < 0.005)
        {
            return "0%";
        }
        final String text = String.format(Locale.ROOT, "%.6f", percentile).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + "%";
    }
}
