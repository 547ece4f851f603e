package io.paycore.service.cluster;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.cluster.ClusterTool;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusterMarkFile;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.status.HeartbeatTimestamp;
import io.paycore.journal.JournalVerifier;
import io.paycore.service.inspect.StatCommand;
import org.agrona.concurrent.SystemEpochClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code paycore cluster status|snapshot}: look at a running member, or have the cluster take a snapshot. Aeron
 * Cluster's own {@code ClusterTool} does the rest (see the README).
 */
@Command(
    name = "cluster",
    header = "Look at a running cluster member, or have the cluster take a snapshot.",
    mixinStandardHelpOptions = true,
    subcommands = { ClusterCommand.Status.class, ClusterCommand.Snapshot.class })
public final class ClusterCommand implements Runnable
{
    /** Exit status when the operation succeeded. */
    public static final int EXIT_OK = 0;
    /** Exit status when the member could not be reached or refused. */
    public static final int EXIT_FAILED = 1;

    @Spec
    private CommandSpec spec;

    /**
     * With no sub-command, print the usage and fail.
     */
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required");
    }

    /**
     * @return the member's cluster directory, or null (having said so) when it holds no member's mark file.
     */
    private static File memberClusterDirectory(final String command, final Path data)
    {
        final File clusterDir = data.resolve("cluster").toFile();
        if (!ClusterTool.markFileExists(clusterDir))
        {
            System.err.println("paycore cluster " + command + ": no cluster member in " + data +
                " (no mark file in " + clusterDir + ")");
            return null;
        }
        return clusterDir;
    }

    /**
     * How recent the member's media driver's heartbeat must be for the member to count as running. Aeron's own
     * client waits its driver timeout (10 s) before it gives up on a driver that is gone.
     */
    static final long DRIVER_ALIVE_TIMEOUT_MS = 10_000;

    /**
     * @return whether the member's media driver runs; if not, having said so on stderr. Without it the member
     * cannot be asked anything, and Aeron's client would wait 10 s and fail with a stack trace.
     */
    private static boolean memberRunning(final String command, final Path data, final File clusterDir)
    {
        final File aeronDir = driverDirectory(data, clusterDir);
        if (CommonContext.isDriverActive(aeronDir, DRIVER_ALIVE_TIMEOUT_MS, (message) -> {}))
        {
            return true;
        }
        System.err.println("paycore cluster " + command + ": the member in " + data + " is not running (no live " +
            "media driver in " + aeronDir + "); 'paycore audit --data " + data + "' reads its journal offline");
        return false;
    }

    /**
     * ClusterTool's {@code list-members}, through an Aeron client of the member's driver. A driver whose heartbeat
     * was fresh but that has just died (a member killed in the last {@value #DRIVER_ALIVE_TIMEOUT_MS} ms) times the
     * client out: said as for a member not running, rather than as Aeron's stack trace.
     *
     * @return whether the member answered.
     */
    private static boolean listMembers(final PrintStream out, final Path data, final File clusterDir)
    {
        try
        {
            ClusterTool.listMembers(out, clusterDir);
            return true;
        }
        catch (final DriverTimeoutException ex)
        {
            stoppedAnswering("status", data, clusterDir, ex);
            return false;
        }
    }

    /**
     * Say that a member whose driver counted as running stopped answering while a command asked it: its driver died
     * in the last {@value #DRIVER_ALIVE_TIMEOUT_MS} ms, and Aeron's client timed out on it.
     */
    private static void stoppedAnswering(
        final String command, final Path data, final File clusterDir, final DriverTimeoutException ex)
    {
        System.err.println("paycore cluster " + command + ": the member in " + data + " stopped answering: its " +
            "media driver (" + driverDirectory(data, clusterDir) + ") was alive until moments ago and no longer is " +
            "(" + ex.getMessage() + "); 'paycore audit --data " + data + "' reads its journal offline");
    }

    /**
     * @return the member's media driver's directory as its consensus module's mark file names it (a member started
     * with {@code --aeron-dir} has it elsewhere), or {@code DIR/aeron} if the mark file does not say.
     */
    static File driverDirectory(final Path data, final File clusterDir)
    {
        try (ClusterMarkFile markFile = new ClusterMarkFile(
            clusterDir, ClusterMarkFile.FILENAME, SystemEpochClock.INSTANCE, 0, (message) -> {}))
        {
            final String directory = markFile.decoder().aeronDirectory();
            if (null != directory && !directory.isEmpty())
            {
                return new File(directory);
            }
        }
        catch (final RuntimeException ex)
        {
            // An unreadable mark file: the default place, which the check then finds empty or not.
        }
        return data.resolve("aeron").toFile();
    }

    /**
     * {@code paycore cluster status}.
     */
    @Command(
        name = "status",
        header = "Print a running member's view: its id and role, the members and the leader, the log and commit " +
            "positions (from the consensus module), and the last record of its paycore journal.",
        mixinStandardHelpOptions = true)
    static final class Status implements Callable<Integer>
    {
        @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "The member's data directory (as given to 'paycore node --data').")
        private Path data;

        public Integer call()
        {
            final PrintStream out = System.out;
            final File clusterDir = memberClusterDirectory("status", data);
            if (null == clusterDir)
            {
                return EXIT_FAILED;
            }
            // The mark files and the journal can be read whether or not the member runs; the members only from it.
            try
            {
                ClusterTool.describe(out, clusterDir);
            }
            catch (final RuntimeException ex)
            {
                // A mark file cut short (a full disk, a copy of a directory made while the member wrote it).
                System.err.println("paycore cluster status: cannot read the mark files in " + clusterDir + ": " + ex);
            }
            boolean running = memberRunning("status", data, clusterDir);
            if (running)
            {
                running = listMembers(out, data, clusterDir);
            }
            if (running)
            {
                printConsensusCounters(
                    out, driverDirectory(data, clusterDir).toPath().resolve(CncFileDescriptor.CNC_FILE));
            }
            final Path journal = data.resolve("journal");
            if (Files.isDirectory(journal))
            {
                out.println("journal: last record " + JournalVerifier.lastSequenceEstimateOf(journal));
            }
            return running ? EXIT_OK : EXIT_FAILED;
        }
    }

    /**
     * Print the consensus module's role, election state and commit position from the member's counters, if its
     * driver's file is there (a member's driver directory is removed when it stops cleanly).
     */
    private static void printConsensusCounters(final PrintStream out, final Path cncFile)
    {
        if (!Files.isRegularFile(cncFile))
        {
            out.println("commit position: unknown (no counters file " + cncFile + ")");
            return;
        }
        try
        {
            StatCommand.readCounters(cncFile, (metaData, counters) -> counters.forEach(
                (counterId, typeId, keyBuffer, label) ->
                {
                    if (ConsensusModule.Configuration.COMMIT_POSITION_TYPE_ID == typeId)
                    {
                        out.println("commit position: " + counters.getCounterValue(counterId));
                    }
                    else if (ConsensusModule.Configuration.CLUSTER_NODE_ROLE_TYPE_ID == typeId)
                    {
                        out.println("role: " + Cluster.Role.get(counters.getCounterValue(counterId)));
                    }
                    else if (ConsensusModule.Configuration.ELECTION_STATE_TYPE_ID == typeId)
                    {
                        out.println("election state: " + ElectionState.get(counters.getCounterValue(counterId)));
                    }
                    else if (ConsensusModule.Configuration.CONSENSUS_MODULE_STATE_TYPE_ID == typeId)
                    {
                        out.println("consensus module: " +
                            ConsensusModule.State.get(counters.getCounterValue(counterId)));
                    }
                    else if (HeartbeatTimestamp.HEARTBEAT_TYPE_ID == typeId)
                    {
                        // One per Aeron client of the member (the consensus module's, the service's, ...): a
                        // client the driver timed out has none.
                        out.println("aeron client: " + label);
                    }
                }));
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            out.println("commit position: unknown (" + ex.getMessage() + ")");
        }
    }

    /**
     * A member's consensus counters on one line, for messages about a cluster that does not do what it should.
     *
     * @param memberDirectory the member's data directory.
     * @return e.g. {@code role: FOLLOWER, election state: CLOSED, commit position: 4096}, or why they are unknown.
     */
    public static String consensusView(final Path memberDirectory)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final Path cncFile = driverDirectory(memberDirectory, memberDirectory.resolve("cluster").toFile()).toPath()
            .resolve(CncFileDescriptor.CNC_FILE);
        printConsensusCounters(out, cncFile);
        if (Files.isRegularFile(cncFile))
        {
            try
            {
                final int distinct = StatCommand.readErrors(cncFile, (count, firstMs, lastMs, text) ->
                    out.println("error (x" + count + "): " + text.lines().findFirst().orElse("")));
                out.println(distinct + " distinct errors in its driver's log");
            }
            catch (final IllegalArgumentException | IllegalStateException ex)
            {
                out.println("errors unknown (" + ex.getMessage() + ")");
            }
        }
        return String.join(", ", bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /**
     * A member's consensus module's and service container's error logs (kept in their mark files, apart from the
     * driver's), as {@code ClusterTool errors} prints them.
     *
     * @param clusterDir the member's cluster directory ({@code DIR/cluster}).
     * @return the text, or why it could not be read.
     */
    public static String clusterErrors(final Path clusterDir)
    {
        if (!Files.isDirectory(clusterDir))
        {
            return "no cluster directory " + clusterDir;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            ClusterTool.errors(out, clusterDir.toFile());
        }
        catch (final RuntimeException ex)
        {
            return "unreadable (" + ex + ")";
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * {@code paycore cluster snapshot}.
     */
    @Command(
        name = "snapshot",
        header = "Have the cluster take a snapshot now: every member snapshots at the same log position. Give the " +
            "leader's data directory.",
        mixinStandardHelpOptions = true)
    static final class Snapshot implements Callable<Integer>
    {
        @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "The leader's data directory (as given to 'paycore node --data').")
        private Path data;

        public Integer call()
        {
            final File clusterDir = memberClusterDirectory("snapshot", data);
            if (null == clusterDir || !memberRunning("snapshot", data, clusterDir))
            {
                return EXIT_FAILED;
            }
            try
            {
                return ClusterTool.snapshot(clusterDir, System.out) ? EXIT_OK : EXIT_FAILED;
            }
            catch (final DriverTimeoutException ex)
            {
                stoppedAnswering("snapshot", data, clusterDir, ex);
                return EXIT_FAILED;
            }
        }
    }
}
