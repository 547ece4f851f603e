package io.paycore.service.inspect;

import io.aeron.CncFileDescriptor;
import io.aeron.exceptions.AeronException;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.service.feed.FeedCounters;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code paycore stat --data DIR}: print every counter (id, value, label) in the media driver's counters file, the
 * {@code cnc.dat} of {@code DIR/aeron} (or of {@code --aeron-dir}): the driver's own and the service's
 * ({@code paycore: ...}), as Aeron's {@code AeronStat} does, without its jar. Reads a snapshot of the file without
 * touching it, so it works while the service runs and after it stopped or died (the embedded driver's directory is
 * kept until the next start; after a clean stop the service's counters have been freed).
 */
@Command(
    name = "stat",
    header = "Print the counters of the service (or cluster member) and its media driver (DIR/aeron/cnc.dat).",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print the counters in the media driver's counters file: id, value and label, the driver's and the",
        "service's ('paycore: ...'), like Aeron's AeronStat. Works while the service runs and after it crashed:",
        "DIR/aeron is kept until the next start. After a clean stop the service's counters are freed.",
        "",
        "On a cluster member's directory (paycore node) it prints the consensus module's, the archive's and",
        "the member's ('paycore: cluster member N ...': records applied, messages rejected, snapshots taken,",
        "cold tier records written, logins refused); a member's driver directory is kept after a crash and",
        "deleted at a clean stop.",
        "",
        "With --feed-state it prints a change-feed publisher's counters (feed-amqp, feed-kafka) from its state",
        "directory instead: changes published and confirmed, the last confirmed timestamp, lag and errors."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the counters were printed",
        "1:DIR is not a paycore data directory, or there is no readable counters file",
        "2:usage error"
    })
public final class StatCommand implements Callable<Integer>
{
    /** Exit status when the counters were printed. */
    public static final int EXIT_OK = 0;
    /** Exit status when the data directory or counters file is missing or unreadable. */
    public static final int EXIT_FAILED = 1;
    /** Exit status on a usage error. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory of the service or cluster member (required unless --feed-state is given).")
    private Path data;

    @Option(names = "--feed-state", paramLabel = "DIR",
        description = "Print the counters of the change-feed publisher whose state directory this is (its " +
            "counters.dat: changes published and confirmed, last confirmed timestamp, lag, errors) instead of " +
            "the driver's; repeat for several.")
    private List<Path> feedStates;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Directory of the external media driver the service used (default: DIR/aeron, the " +
            "embedded driver's).")
    private Path aeronDir;

    @Option(names = "--filter", paramLabel = "TEXT",
        description = "Print only counters whose label contains TEXT, ignoring case, e.g. 'paycore' " +
            "(default: all).")
    private String filter;

    /**
     * Print the counters.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final String wanted = null == filter ? null : filter.toLowerCase(Locale.ROOT);
        if (null != feedStates && !feedStates.isEmpty())
        {
            return printFeedCounters(out, err, wanted);
        }
        if (null == data)
        {
            err.println("paycore stat: give --data DIR (or --feed-state DIR for a feed publisher's counters)");
            return EXIT_USAGE;
        }
        final boolean clusterMember = Files.isDirectory(data.resolve("cluster")) &&
            !Files.exists(new DataDirectory(data).markFile());
        if (clusterMember)
        {
            out.println("cluster member directory " + data.toAbsolutePath() +
                " (its driver's directory is deleted when the member stops cleanly)");
        }
        else
        {
            final PaycoreMarkFile markFile = InspectText.openMarkFile("stat", data, out, err);
            if (null == markFile)
            {
                return EXIT_FAILED;
            }
            markFile.close();
        }

        final Path cncFile = (null != aeronDir ? aeronDir.toAbsolutePath() : new DataDirectory(data).aeronDirectory())
            .resolve(CncFileDescriptor.CNC_FILE);
        if (!Files.isRegularFile(cncFile))
        {
            err.println("paycore stat: no media driver counters file " + cncFile + ": the service used an external " +
                "driver (give its --aeron-dir) or never started its embedded one here");
            return EXIT_FAILED;
        }
        try
        {
            readCounters(cncFile, (metaData, counters) ->
            {
                out.println("media driver pid " + CncFileDescriptor.pid(metaData) + ", started " +
                    Instant.ofEpochMilli(CncFileDescriptor.startTimestampMs(metaData)) + "; " + cncFile);
                printCounters(out, counters, wanted);
            });
            return EXIT_OK;
        }
        catch (final IllegalArgumentException | IllegalStateException | AeronException ex)
        {
            err.println("paycore stat: " + ex.getMessage());
            return EXIT_FAILED;
        }
    }

    private int printFeedCounters(final PrintStream out, final PrintStream err, final String wanted)
    {
        int status = EXIT_OK;
        for (final Path state : feedStates)
        {
            final Path file = state.resolve(FeedCounters.FILE_NAME);
            try
            {
                FeedCounters.read(file, counters ->
                {
                    out.println("change feed publisher " + file);
                    printCounters(out, counters, wanted);
                });
            }
            catch (final IllegalArgumentException | IllegalStateException ex)
            {
                err.println("paycore stat: " + ex.getMessage());
                status = EXIT_FAILED;
            }
        }
        return status;
    }

    private static void printCounters(final PrintStream out, final CountersReader counters, final String wanted)
    {
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (null == wanted || label.toLowerCase(Locale.ROOT).contains(wanted))
            {
                out.format(Locale.ROOT, "%3d: %,20d - %s%n", counterId, counters.getCounterValue(counterId), label);
            }
        });
    }

    /**
     * What reads a media driver's counters file while it is mapped.
     */
    @FunctionalInterface
    public interface CountersUser
    {
        /**
         * @param metaData the file's header: the driver's pid, start time, version.
         * @param counters the counters, valid until this returns.
         */
        void use(UnsafeBuffer metaData, CountersReader counters);
    }

    /**
     * Map a media driver's counters file read only, check it is one this Aeron reads, hand it to a user, then
     * unmap it. Reads a snapshot without touching the file, so it works on a live driver's file and a dead one's.
     *
     * @param cncFile the {@code cnc.dat}; must exist.
     * @param user    reads it.
     * @throws IllegalArgumentException if the file is not ready or of another version.
     */
    public static void readCounters(final Path cncFile, final CountersUser user)
    {
        MappedByteBuffer cnc = null;
        try
        {
            cnc = IoUtil.mapExistingFile(cncFile.toFile(), FileChannel.MapMode.READ_ONLY, "cnc");
            final CountersReader counters = countersReader(cncFile, cnc);
            user.use(CncFileDescriptor.createMetaDataBuffer(cnc), counters);
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * Read the distinct errors a media driver's {@code cnc.dat} has logged (its own and those of the agents on it:
     * archive, consensus module, service container), each once with how often it happened.
     *
     * @param cncFile the driver's {@code cnc.dat}.
     * @param errors  given each distinct error: count, first and last time (epoch ms), and its text.
     * @return how many distinct errors there are.
     * @throws IllegalArgumentException if the file is not ready or of another version.
     */
    public static int readErrors(final Path cncFile, final ErrorConsumer errors)
    {
        MappedByteBuffer cnc = null;
        try
        {
            cnc = IoUtil.mapExistingFile(cncFile.toFile(), FileChannel.MapMode.READ_ONLY, "cnc");
            countersReader(cncFile, cnc);
            return ErrorLogReader.read(
                CncFileDescriptor.createErrorLogBuffer(cnc, CncFileDescriptor.createMetaDataBuffer(cnc)), errors);
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * A reader over the counters of a mapped {@code cnc.dat}, after checking it is one this Aeron reads.
     *
     * @param cncFile the file, for messages.
     * @param cnc     the file, mapped.
     * @return the reader.
     * @throws IllegalArgumentException if the file is not ready, of another version, or cut short.
     */
    private static CountersReader countersReader(final Path cncFile, final MappedByteBuffer cnc)
    {
        if (cnc.capacity() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            throw new IllegalArgumentException(cncFile + " is not a media driver counters file: too short");
        }
        final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
        final int version = metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
        if (0 == version)
        {
            throw new IllegalArgumentException(cncFile + " is not ready: its driver died while starting");
        }
        try
        {
            CncFileDescriptor.checkVersion(version);
        }
        catch (final AeronException ex)
        {
            throw new IllegalArgumentException(cncFile + ": " + ex.getMessage(), ex);
        }
        if (!CncFileDescriptor.isCncFileLengthSufficient(metaData, cnc.capacity()))
        {
            throw new IllegalArgumentException(cncFile + " is cut short: " + cnc.capacity() + " bytes, fewer " +
                "than the buffers its header describes");
        }
        return new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
            CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
    }
}
