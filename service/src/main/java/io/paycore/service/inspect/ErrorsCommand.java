package io.paycore.service.inspect;

import io.aeron.cluster.ClusterTool;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.service.cluster.ClusterCommand;
import io.paycore.service.cli.DataDirectoryOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code paycore errors --data DIR}: print the distinct errors the service recorded in the data directory's mark
 * file ({@link PaycoreMarkFile}), as Aeron's {@code ErrorStat} prints a driver's: for each, how many times it was
 * seen, when first and last, and its stack trace. Reads the file without taking it, so it works while the service
 * runs and after it stopped or died; a new start of the service begins a new log. A cluster member's directory
 * ({@code paycore node}) has no such file: its errors are in the error logs of its consensus module's and service's
 * mark files ({@code DIR/cluster}), which it prints as Aeron's {@code ClusterTool errors} does.
 */
@Command(
    name = "errors",
    header = "Print the errors the service recorded in DIR/paycore-mark.dat, running or dead.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print the distinct errors recorded by the service that owns, or last owned, the data directory: for each",
        "its count, first and last time (UTC) and stack trace; then the number of distinct errors. Works while the",
        "service runs and after it stopped or crashed (until the next start, which begins a new log). The",
        "embedded media driver's own errors are in DIR/aeron/cnc.dat, read by Aeron's ErrorStat. For a cluster",
        "member's directory (paycore node), the errors its consensus module and service recorded (DIR/cluster),",
        "as Aeron's ClusterTool errors prints them."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the errors (possibly none) were printed",
        "1:DIR is not a paycore data directory, or its mark file cannot be read"
    })
public final class ErrorsCommand implements Callable<Integer>
{
    /** Exit status when the errors were printed. */
    public static final int EXIT_OK = 0;
    /** Exit status when the mark file is missing or unreadable. */
    public static final int EXIT_FAILED = 1;

    @Mixin
    private DataDirectoryOption dataDirectory;

    /**
     * Print the errors.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final Path data = dataDirectory.data();
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final Path clusterDir = data.resolve("cluster");
        if (!Files.exists(new DataDirectory(data).markFile()) && ClusterTool.markFileExists(clusterDir.toFile()))
        {
            out.println("cluster member's data directory " + data + ": the errors its consensus module and service " +
                "recorded (" + clusterDir + ")");
            out.print(ClusterCommand.clusterErrors(clusterDir));
            return EXIT_OK;
        }
        final PaycoreMarkFile markFile = InspectText.openMarkFile("errors", data, out, err);
        if (null == markFile)
        {
            return EXIT_FAILED;
        }
        try (markFile)
        {
            markFile.printErrors(out);
            return EXIT_OK;
        }
    }
}
