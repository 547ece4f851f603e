package io.paycore.service.pinning;

import io.paycore.core.pipeline.Pipeline;

import net.openhft.affinity.Affinity;
import net.openhft.affinity.impl.LinuxHelper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a benchmark's threads on the cores a {@link CpuPlan} names, with OpenHFT affinity, and says which core each
 * thread actually got.
 * <p>
 * The load generator pins itself ({@link #pinCurrentThread}). paycore's own threads are created inside
 * {@code Pipeline}, {@code PaycoreServer} and Aeron's {@code MediaDriver}, which take no thread factory here; so
 * they are found by name in the JVM's thread dump, which gives each Java thread's native id, and pinned by that id
 * with {@code sched_setaffinity}; {@code /proc/self/task/<tid>} then says which cores each may use and where it
 * last ran. Linux only; elsewhere, or without JNA, each line says it could not pin.
 * <p>
 * Thread safe: the lines are collected under the object's lock.
 */
public final class ThreadPinner
{
    /**
     * Name of the benchmark load generator's thread (role {@code loadgen}).
     */
    public static final String LOADGEN_THREAD_NAME = "paycore-loadgen";

    /**
     * Name of the raw Aeron echo's thread, the latency baseline's ingress (role {@code ingress}).
     */
    public static final String ECHO_THREAD_NAME = "paycore-echo";

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\" #\\d+ .*? nid=0x([0-9a-f]+)");

    private final CpuPlan plan;
    private final List<String> lines = new ArrayList<>();
    private volatile String label = "";

    /**
     * @param plan which core each role goes on.
     */
    public ThreadPinner(final CpuPlan plan)
    {
        this.plan = plan;
    }

    /**
     * @param label put in front of the lines that follow, to say which phase of a run they belong to.
     */
    public void label(final String label)
    {
        this.label = label;
    }

    /**
     * Pin the calling thread to its role's core, if the plan names one.
     *
     * @param role the calling thread's role.
     */
    public void pinCurrentThread(final CpuPlan.Role role)
    {
        final int cpu = plan.cpu(role);
        if (cpu < 0)
        {
            return;
        }
        String outcome;
        try
        {
            Affinity.setAffinity(cpu);
            outcome = "allowed " + Affinity.getAffinity() + ", running on cpu " + Affinity.getCpu();
        }
        catch (final Throwable ex)
        {
            outcome = "could not pin: " + ex;
        }
        add(String.format(Locale.ROOT, "%-10s %-16s wanted cpu %d: %s", name(role),
            Thread.currentThread().getName(), cpu, outcome));
    }

    /**
     * Pin every thread of this process whose native name belongs to one of the given roles, when the plan names a
     * core for it, and report what each got.
     *
     * @param roles the roles to look for.
     */
    public void pinThreads(final CpuPlan.Role... roles)
    {
        if (plan.isEmpty())
        {
            return;
        }
        final int[] found = new int[CpuPlan.Role.values().length];
        for (final Task task : tasks())
        {
            for (final CpuPlan.Role role : roles)
            {
                if (plan.cpu(role) >= 0 && matches(role, task.name))
                {
                    final int cpu = plan.cpu(role, found[role.ordinal()]++);
                    String outcome;
                    try
                    {
                        final BitSet mask = new BitSet();
                        mask.set(cpu);
                        LinuxHelper.sched_setaffinity(task.tid, mask);
                        outcome = "allowed " + allowedCpus(task.tid) + ", last ran on cpu " + lastCpu(task.tid);
                    }
                    catch (final Throwable ex)
                    {
                        outcome = "could not pin: " + ex;
                    }
                    add(String.format(Locale.ROOT, "%-10s %-16s wanted cpu %d: %s", name(role), shortName(task.name), cpu,
                        outcome));
                }
            }
        }
        for (final CpuPlan.Role role : roles)
        {
            if (plan.cpu(role) >= 0 && 0 == found[role.ordinal()])
            {
                add(String.format(Locale.ROOT, "%-10s no thread of its own here (in the shared profile without " +
                    "replication the journaler, the BLP and egress run on the ingress thread)", name(role)));
            }
        }
    }

    /**
     * @return what each pinned thread got, one line each, in the order pinned.
     */
    public synchronized List<String> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * Whether a thread is one of a role's threads.
     *
     * @param role the role.
     * @param name the thread's Java name.
     * @return true if it is.
     */
    static boolean matches(final CpuPlan.Role role, final String name)
    {
        switch (role)
        {
            case LOADGEN:
                return name.equals(LOADGEN_THREAD_NAME);
            case INGRESS:
                return name.contains("paycore-ingress") || name.equals(ECHO_THREAD_NAME);
            case EGRESS:
                return name.equals("paycore-egress");
            case JOURNALER:
                return name.equals(Pipeline.JOURNALER_THREAD_NAME);
            case REPLICATOR:
                return name.equals(Pipeline.REPLICATOR_THREAD_NAME);
            case BLP:
                return name.equals(Pipeline.BLP_THREAD_NAME);
            case DRIVER:
                return name.contains("driver-conductor") || name.contains("[sender,receiver]") ||
                    name.endsWith(" sender") || name.endsWith(" receiver") ||
                    name.equals("sender") || name.equals("receiver");
            default:
                return false;
        }
    }

    private synchronized void add(final String line)
    {
        lines.add(label.isEmpty() ? line : label + ": " + line);
    }

    private static String shortName(final String name)
    {
        final int bracket = name.lastIndexOf(" [");
        return bracket > 0 ? name.substring(bracket + 1) : name;
    }

    private static String name(final CpuPlan.Role role)
    {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /**
     * This JVM's threads with their native ids, from the thread dump of the {@code DiagnosticCommand} MBean (the
     * only place Java 17 shows a Java thread's name beside its native id, {@code nid}).
     */
    private static List<Task> tasks()
    {
        final List<Task> tasks = new ArrayList<>();
        try
        {
            final Object dump = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                new Object[]{ null }, new String[]{ String[].class.getName() });
            for (final String line : dump.toString().split("\n"))
            {
                final Matcher matcher = THREAD_LINE.matcher(line);
                if (matcher.find())
                {
                    tasks.add(new Task(Integer.parseInt(matcher.group(2), 16), matcher.group(1)));
                }
            }
        }
        catch (final Exception ex)
        {
            // no diagnostic command: nothing to pin
        }
        return tasks;
    }

    private static String allowedCpus(final int tid) throws IOException
    {
        for (final String line : Files.readAllLines(TASKS.resolve(tid + "/status"), StandardCharsets.US_ASCII))
        {
            if (line.startsWith("Cpus_allowed_list:"))
            {
                return line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        return "?";
    }

    private static String lastCpu(final int tid) throws IOException
    {
        final String stat = Files.readString(TASKS.resolve(tid + "/stat"), StandardCharsets.US_ASCII);
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return fields.length > 36 ? fields[36] : "?";
    }

    private record Task(int tid, String name)
    {
    }
}
