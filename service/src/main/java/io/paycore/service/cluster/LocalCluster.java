package io.paycore.service.cluster;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalVerifier;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.JournalComparison;
import io.paycore.replay.audit.AuditContext;
import io.paycore.replay.audit.AuditReport;
import io.paycore.replay.audit.Auditor;
import io.paycore.service.PaycoreMain;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.journal.JournalCompareCommand;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster of {@code paycore node} processes on this machine, for {@code demo --cluster} and the tests: started
 * with this JVM's java, options and class path; killed, stopped and resumed by signal; their journals watched until
 * they agree and then audited. Member {@code i} uses base port {@code basePort + 10 i} and the data directory
 * {@code DIR/member-i}, and logs to {@code DIR/member-i.log}.
 */
public final class LocalCluster implements AutoCloseable
{
    /**
     * The heartbeat timeout the members run with: failover takes about this long.
     */
    public static final long HEARTBEAT_TIMEOUT_MS = 1_000;

    /**
     * How long {@link #awaitCaughtUp} waits: a restarted member may first wait out its stale mark files (15 s), then
     * start a JVM and replay the log, on a machine its peers keep busy.
     */
    public static final long CATCH_UP_TIMEOUT_SECONDS = 120;

    /**
     * The one client the members let in: its id in their credentials file.
     */
    public static final long CLIENT_ID = 1;

    /**
     * PBKDF2 rounds of the client's line: few, as the secret is random and the file lives only as long as the run.
     */
    private static final int CREDENTIAL_ITERATIONS = 1_000;

    /**
     * The most times {@link #awaitCaughtUp} starts a member again that stopped itself.
     */
    public static final int MAX_SUPERVISED_RESTARTS = 2;

    /**
     * The most lines of each member's cluster error logs a description carries.
     */
    private static final int CLUSTER_ERROR_LINES = 80;

    /**
     * How many of a stopped member's last log lines a description of the members shows.
     */
    private static final int STOPPED_MEMBER_LOG_LINES = 40;

    private final Path dataDir;
    private final LedgerLimits limits;
    private final FlushLevel flushLevel;
    private final String membersList;
    private final ClusterMembers members;
    private final Process[] processes;
    private final int[] supervisedRestarts;
    private final List<String> restarts = new ArrayList<>();
    private final String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final Thread stopAtExit = new Thread(this::stopAtExit, "paycore-cluster-stop");
    private boolean stopAtExitAdded;
    private long memberWarmupTransfers;
    private long historyCheckEveryRecords = ClusterNodeContext.HISTORY_CHECK_EVERY_DEFAULT;
    private boolean exiting;

    /**
     * @param dataDir    where the members' directories and logs go.
     * @param size       how many members.
     * @param basePort   the first member's base port.
     * @param limits     the ledger's limits on every member.
     * @param flushLevel every member's flush level.
     */
    public LocalCluster(
        final Path dataDir, final int size, final int basePort, final LedgerLimits limits, final FlushLevel flushLevel)
    {
        this.dataDir = dataDir;
        this.limits = limits;
        this.flushLevel = flushLevel;
        final StringBuilder list = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            list.append(0 == i ? "" : ",").append("localhost:").append(basePort + 10 * i);
        }
        membersList = list.toString();
        members = ClusterMembers.parse(membersList);
        processes = new Process[size];
        supervisedRestarts = new int[size];
    }

    /**
     * Start every member, and every restart of one, with {@code paycore node --warmup transfers}.
     *
     * @param transfers the warm-up's transfers; 0 (the default) for none.
     * @return this.
     */
    public LocalCluster memberWarmup(final long transfers)
    {
        memberWarmupTransfers = transfers;
        return this;
    }

    /**
     * Start every member, and every restart of one, checking its ledger against the leader's every so many records
     * ({@link ClusterNodeContext#HISTORY_CHECK_EVERY_PROP_NAME}).
     *
     * @param records between checks; 0 for none; by default the members' own default.
     * @return this.
     */
    public LocalCluster historyCheckEvery(final long records)
    {
        historyCheckEveryRecords = records;
        return this;
    }

    /**
     * @param aeronDirectoryName of the client's media driver.
     * @return the settings of a client of this cluster: its members' endpoints, and the client id and secret they
     * let in.
     */
    public ClientContext clientContext(final String aeronDirectoryName)
    {
        return new ClientContext()
            .clusterIngressEndpoints(members.ingressEndpoints())
            .clientId(CLIENT_ID)
            .secret(secret)
            .aeronDirectoryName(aeronDirectoryName)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(60));
    }

    /**
     * A media driver for a client of the cluster, its threads shared and idling with back-off (the members take
     * the cores), its directory deleted on start and on close.
     *
     * @param directory the driver's directory.
     * @return the running driver.
     */
    public static MediaDriver launchClientDriver(final Path directory)
    {
        return MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(directory.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
    }

    /**
     * @return the members.
     */
    public ClusterMembers members()
    {
        return members;
    }

    /**
     * @return how many members.
     */
    public int size()
    {
        return processes.length;
    }

    /**
     * @param memberId a member.
     * @return its data directory.
     */
    public Path memberDirectory(final int memberId)
    {
        return dataDir.resolve("member-" + memberId);
    }

    /**
     * Start every member.
     *
     * @throws IOException if a process cannot be started.
     */
    public void startAll() throws IOException
    {
        for (int i = 0; i < processes.length; i++)
        {
            start(i);
        }
    }

    /**
     * Start a member (again): a member killed a moment ago waits out its stale mark files (see {@link ClusterNode}).
     *
     * @param memberId the member.
     * @throws IOException if the process cannot be started.
     */
    public synchronized void start(final int memberId) throws IOException
    {
        if (exiting)
        {
            throw new IllegalStateException("the JVM is exiting: member " + memberId + " is not started");
        }
        if (!stopAtExitAdded)
        {
            // The members are processes of their own: a signal that ends this JVM skips every finally block and
            // close(), and would leave them running, holding their ports and directories.
            Runtime.getRuntime().addShutdownHook(stopAtExit);
            stopAtExitAdded = true;
        }
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!argument.startsWith("-Xms") && !argument.startsWith("-Xmx") && !argument.contains("AlwaysPreTouch") &&
                !argument.startsWith("-agentlib") && !argument.startsWith("-javaagent"))
            {
                command.add(argument);
            }
        }
        // Two copies of the ledger (the member's snapshotter thread keeps the second) with room to spare.
        command.add("-Xmx" + Math.max(256, 192 + 3 * limits.heapBytesEstimate(true) / (1 << 20)) + "m");
        // The members check their ledgers against the leader's every so many records (the same for every member).
        command.add("-D" + ClusterNodeContext.HISTORY_CHECK_EVERY_PROP_NAME + "=" + historyCheckEveryRecords);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PaycoreMain.class.getName());
        command.addAll(List.of("node", "--id", Integer.toString(memberId), "--members", membersList,
            "--data", memberDirectory(memberId).toString(),
            "--flush", flushLevel.name().toLowerCase(Locale.ROOT),
            "--max-accounts", Integer.toString(limits.maxAccounts()),
            "--hot-transfers", Integer.toString(limits.maxTransfers()),
            "--max-pending", Integer.toString(limits.maxPendingTransfers()),
            "--max-batch", Integer.toString(limits.maxBatchEvents()),
            "--heartbeat-timeout", HEARTBEAT_TIMEOUT_MS + "ms",
            "--election-timeout", "300ms",
            "--startup-canvass-timeout", "2s",
            "--clients", clientsFile().toString()));
        if (memberWarmupTransfers > 0)
        {
            command.addAll(List.of("--warmup", Long.toString(memberWarmupTransfers)));
        }
        Files.createDirectories(dataDir);
        processes[memberId] = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("member-" + memberId + ".log").toFile()))
            .start();
    }

    /**
     * The members' credentials file, written (owner only) when first asked for.
     */
    private Path clientsFile() throws IOException
    {
        final Path file = dataDir.resolve("clients");
        if (!Files.exists(file))
        {
            Files.createDirectories(dataDir);
            Files.writeString(file, ClientCredentials.line(CLIENT_ID, secret, CREDENTIAL_ITERATIONS) +
                System.lineSeparator(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, CredentialsFileMode.OWNER_ONLY);
        }
        return file;
    }

    /**
     * Kill a member with SIGKILL and wait until it is gone.
     *
     * @param memberId the member.
     * @throws InterruptedException if interrupted while waiting.
     */
    public void kill(final int memberId) throws InterruptedException
    {
        processes[memberId].destroyForcibly().waitFor();
    }

    /**
     * Freeze a member with SIGSTOP: it neither sends nor answers, as if cut off.
     *
     * @param memberId the member.
     */
    public void suspend(final int memberId)
    {
        signal(memberId, "STOP");
    }

    /**
     * Thaw a member frozen by {@link #suspend(int)} with SIGCONT.
     *
     * @param memberId the member.
     */
    public void resume(final int memberId)
    {
        signal(memberId, "CONT");
    }

    private void signal(final int memberId, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[memberId].pid()))
                .inheritIO()
                .start();
            if (0 != kill.waitFor())
            {
                throw new IllegalStateException("kill -" + signal + " of member " + memberId + " failed");
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot send SIG" + signal + " to member " + memberId, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal + " to member " + memberId, ex);
        }
    }

    /**
     * Stop every member with SIGTERM (SIGKILL to those still running 30 s later) and wait for them.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void stopAll() throws InterruptedException
    {
        stopAll(processesNow(), TimeUnit.SECONDS.toMillis(30));
    }

    private synchronized Process[] processesNow()
    {
        return processes.clone();
    }

    private static void stopAll(final Process[] members, final long timeoutMs) throws InterruptedException
    {
        for (final Process process : members)
        {
            if (null != process && process.isAlive())
            {
                process.destroy();
            }
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final Process process : members)
        {
            if (null != process &&
                !process.waitFor(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The shutdown hook: no member is started from now on, and the running ones get SIGTERM, then SIGKILL if still
     * running 10 s later, so that the JVM's exit waits for them that long at most.
     */
    private void stopAtExit()
    {
        final Process[] members;
        synchronized (this)
        {
            exiting = true;
            members = processes.clone();
        }
        try
        {
            stopAll(members, TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Wait until every member's journal holds the same number of records, and has for a while: a member restarted
     * late may still be catching up when the last answer comes back.
     *
     * @param whileWaiting run every 10 ms meanwhile (a client polls, which keeps its session alive).
     * @return the records every journal holds.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if they do not agree within {@value #CATCH_UP_TIMEOUT_SECONDS} s, naming each
     *                               member's last record and whether its process is alive.
     */
    public long awaitCaughtUp(final Runnable whileWaiting) throws InterruptedException
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_TIMEOUT_SECONDS);
        long agreed = -1;
        int stableChecks = 0;
        while (System.nanoTime() < deadlineNanos)
        {
            restartStoppedMembers();
            long first = -1;
            boolean equal = true;
            for (int i = 0; i < processes.length; i++)
            {
                final long last = JournalVerifier.lastSequenceEstimateOf(memberDirectory(i).resolve("journal"));
                if (0 == i)
                {
                    first = last;
                }
                equal &= last == first;
            }
            if (equal && first > 0 && first == agreed)
            {
                if (++stableChecks >= 3)
                {
                    return agreed;
                }
            }
            else
            {
                stableChecks = 0;
                agreed = equal ? first : -1;
            }
            for (int i = 0; i < 20; i++)
            {
                whileWaiting.run();
                Thread.sleep(10);
            }
        }
        final String members = describeMembers();
        dumpThreads();
        throw new IllegalStateException("the members' journals did not reach the same record within " +
            CATCH_UP_TIMEOUT_SECONDS + " s (each running member's threads are dumped into its log): " + members);
    }

    /**
     * Do what a supervisor does for a member that stopped itself because its consensus module or service container
     * had stopped ({@link NodeCommand#EXIT_PART_STOPPED}): start it again, at most
     * {@value #MAX_SUPERVISED_RESTARTS} times a member. A member that exits any other way stays down.
     */
    private void restartStoppedMembers()
    {
        for (int i = 0; i < processes.length; i++)
        {
            final Process process = processes[i];
            if (null != process && !process.isAlive() && NodeCommand.EXIT_PART_STOPPED == process.exitValue() &&
                supervisedRestarts[i] < MAX_SUPERVISED_RESTARTS)
            {
                supervisedRestarts[i]++;
                restarts.add("member " + i + " stopped itself (status " + NodeCommand.EXIT_PART_STOPPED + ", its " +
                    "log: " + dataDir.resolve("member-" + i + ".log") + ") and was started again");
                try
                {
                    start(i);
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException("cannot start member " + i + " again", ex);
                }
            }
        }
    }

    /**
     * @return one line for each time a member stopped itself and was started again (see
     * {@link NodeCommand#EXIT_PART_STOPPED}).
     */
    public List<String> supervisedRestarts()
    {
        return List.copyOf(restarts);
    }

    /**
     * Have each running member's JVM print its threads into the member's log (SIGQUIT), to see where a member that
     * does not catch up stands.
     */
    private void dumpThreads() throws InterruptedException
    {
        for (final Process process : processes)
        {
            if (null != process && process.isAlive())
            {
                try
                {
                    new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).inheritIO().start().waitFor();
                }
                catch (final IOException ex)
                {
                    // No kill command: the description alone must do.
                }
            }
        }
        Thread.sleep(1_000);
    }

    /**
     * @return the lines of the members' logs that say a member cut a torn fragment off its archive when it
     * restarted, each with the member's id.
     */
    public List<String> archiveRepairs()
    {
        final List<String> repairs = new ArrayList<>();
        for (int i = 0; i < processes.length; i++)
        {
            try
            {
                for (final String line : logLines(i))
                {
                    if (line.contains("truncating the last fragment"))
                    {
                        repairs.add(line);
                    }
                }
            }
            catch (final IOException ex)
            {
                repairs.add("member " + i + ": log unreadable: " + ex.getMessage());
            }
        }
        return repairs;
    }

    /**
     * The history checks the members counted, as each printed them when it stopped (a member killed prints none for
     * that run).
     *
     * @return {passed, failed} over every member and run.
     */
    public long[] historyChecks()
    {
        final long[] checks = new long[2];
        final Pattern line = Pattern.compile("history checks against the leader: (\\d+) passed, (\\d+) failed");
        for (int i = 0; i < processes.length; i++)
        {
            try
            {
                for (final String text : logLines(i))
                {
                    final Matcher matcher = line.matcher(text);
                    if (matcher.find())
                    {
                        checks[0] += Long.parseLong(matcher.group(1));
                        checks[1] += Long.parseLong(matcher.group(2));
                    }
                }
            }
            catch (final IOException ex)
            {
                checks[1]++;
            }
        }
        return checks;
    }

    /**
     * @return the lines of a member's log so far; none if it has none yet.
     */
    private List<String> logLines(final int memberId) throws IOException
    {
        final Path log = dataDir.resolve("member-" + memberId + ".log");
        return Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
    }

    /**
     * What each member is doing, for a message about a cluster that does not do what it should: its journal's last
     * record, whether its process runs, and its consensus module's role, election state and commit position.
     *
     * @return one line per member.
     */
    public String describeMembers()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < processes.length; i++)
        {
            final Process process = processes[i];
            members.append("\n  member ").append(i).append(" at record ")
                .append(JournalVerifier.lastSequenceEstimateOf(memberDirectory(i).resolve("journal")))
                .append(null != process && process.isAlive() ? ", running" :
                ", not running" + (null == process ? "" : " (exit status " + process.exitValue() + ")") +
                " (its log: " + dataDir.resolve("member-" + i + ".log") + ")")
                .append(", ").append(ClusterCommand.consensusView(memberDirectory(i)));
        }
        for (final String restart : supervisedRestarts())
        {
            members.append("\n  ").append(restart);
        }
        for (int i = 0; i < processes.length; i++)
        {
            if (null != processes[i] && !processes[i].isAlive())
            {
                // Why it stopped is in its log's last lines; the message may be all a failed run leaves behind.
                members.append("\n  member ").append(i).append("'s log, last lines:")
                    .append(logTail(dataDir.resolve("member-" + i + ".log"), STOPPED_MEMBER_LOG_LINES));
            }
        }
        for (int i = 0; i < processes.length; i++)
        {
            members.append("\n  member ").append(i).append("'s cluster error logs:")
                .append(clusterErrors(memberDirectory(i).resolve("cluster")));
        }
        return members.toString();
    }

    /**
     * The last lines of a member's log, each on a line of its own and indented, or why they cannot be read.
     *
     * @param log   the member's log.
     * @param lines how many.
     * @return the text, each line after a line break.
     */
    public static String logTail(final Path log, final int lines)
    {
        final StringBuilder text = new StringBuilder();
        try
        {
            final List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            all.subList(Math.max(0, all.size() - lines), all.size())
                .forEach((line) -> text.append("\n    ").append(line));
        }
        catch (final IOException | RuntimeException ex)
        {
            text.append("\n    unreadable (").append(ex).append(')');
        }
        return text.toString();
    }

    /**
     * A member's cluster error logs ({@link ClusterCommand#clusterErrors}), up to {@link #CLUSTER_ERROR_LINES} lines.
     */
    private static String clusterErrors(final Path clusterDir)
    {
        final StringBuilder text = new StringBuilder();
        ClusterCommand.clusterErrors(clusterDir).lines().limit(CLUSTER_ERROR_LINES)
            .forEach((line) -> text.append("\n    ").append(line));
        return text.toString();
    }

    /**
     * Audit every member's journal, stopped, up to the last record all of them hold: a member stopped a moment
     * before the others may lack a record they applied meanwhile (a timer's tick), and the members are compared on
     * the history they share.
     *
     * @return the reports, by member id: digests and counts at that record.
     */
    public List<AuditReport> auditCommonHistory()
    {
        long common = Long.MAX_VALUE;
        for (int i = 0; i < processes.length; i++)
        {
            common = Math.min(common, JournalVerifier.lastSequenceEstimateOf(memberDirectory(i).resolve("journal")));
        }
        final List<AuditReport> reports = new ArrayList<>();
        for (int i = 0; i < processes.length; i++)
        {
            reports.add(Auditor.run(new AuditContext()
                .directory(new DataDirectory(memberDirectory(i)))
                .limits(limits)
                .coldTierSizeBytes(0)
                .untilSequence(common)
                .conclude()));
        }
        return reports;
    }

    /**
     * Each member's journal against member 0's, as {@code paycore journal compare} prints it: where a member's
     * history parts from the others', for a failure's report (the members' directories may not outlive the run).
     *
     * @return the comparisons, each line indented, starting with a line break.
     */
    public String compareJournals()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final Path journal0 = memberDirectory(0).resolve(DataDirectory.JOURNAL_DIR_NAME);
        for (int i = 1; i < processes.length; i++)
        {
            final Path journal = memberDirectory(i).resolve(DataDirectory.JOURNAL_DIR_NAME);
            try
            {
                JournalCompareCommand.print(out, JournalComparison.compare(journal0, journal), journal0, journal);
            }
            catch (final JournalException ex)
            {
                out.println("member " + i + "'s journal cannot be compared with member 0's: " + ex.getMessage());
            }
        }
        final StringBuilder text = new StringBuilder();
        bytes.toString(StandardCharsets.UTF_8).lines().forEach((line) -> text.append("\n    ").append(line));
        return text.toString();
    }

    /**
     * Stop every member.
     */
    public void close()
    {
        try
        {
            stopAll();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (this)
        {
            if (stopAtExitAdded)
            {
                try
                {
                    Runtime.getRuntime().removeShutdownHook(stopAtExit);
                }
                catch (final IllegalStateException ex)
                {
                    // The JVM is exiting: the hook runs too, and finds the members stopped.
                }
                stopAtExitAdded = false;
            }
        }
    }
}
