package io.paycore.perf.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a benchmark ran on and its load average before and after, for the report: figures from a busy
 * machine are not comparable with figures from an idle one.
 *
 * @param cpus              available processors.
 * @param cpuModel          from {@code /proc/cpuinfo}, or "unknown".
 * @param os                OS name, version and architecture.
 * @param java              JVM name and version.
 * @param loadAverageBefore {@code /proc/loadavg}'s 1, 5 and 15 minute averages before the run.
 * @param loadAverageAfter  the same after the run.
 */
public record MachineInfo(
    int cpus, String cpuModel, String os, String java, String loadAverageBefore, String loadAverageAfter)
{
    /**
     * @return the machine, with the load average now as both before and after.
     */
    public static MachineInfo now()
    {
        final String load = loadAverage();
        return new MachineInfo(
            Runtime.getRuntime().availableProcessors(),
            readCpuModel(),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
                System.getProperty("os.arch"),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            load,
            load);
    }

    /**
     * @return this, with the load average now as the after value.
     */
    public MachineInfo withLoadAfter()
    {
        return new MachineInfo(cpus, cpuModel, os, java, loadAverageBefore, loadAverage());
    }

    /**
     * @return one line for the report.
     */
    public String describe()
    {
        return String.format(Locale.ROOT, "%d cpus, %s, %s, %s; load average %s before, %s after", cpus, cpuModel,
            os, java, loadAverageBefore, loadAverageAfter);
    }

    /**
     * @return one line for a report printed as the run starts: the machine and the load average before it, alone.
     */
    public String describeBefore()
    {
        return String.format(Locale.ROOT, "%d cpus, %s, %s, %s; load average %s before", cpus, cpuModel, os, java,
            loadAverageBefore);
    }

    /**
     * @return {@code /proc/loadavg}'s first three fields, or "unknown".
     */
    public static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    private static String readCpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
        return "unknown";
    }
}
