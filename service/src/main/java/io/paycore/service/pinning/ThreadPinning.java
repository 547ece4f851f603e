package io.paycore.service.pinning;

import io.paycore.core.pipeline.Pipeline;
import io.paycore.transport.PaycoreServer;
import net.openhft.affinity.Affinity;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts threads on the cores a {@link CpuPlan} names, from inside the {@link ThreadFactory}s that make them: the
 * service hands these factories to the pipeline, the transport, the embedded media driver and the journal, and each
 * thread, as it starts, pins itself with OpenHFT affinity to the core of its role, then runs its agent. The role
 * comes from the thread's name, which {@link org.agrona.concurrent.AgentRunner#startOnThread} sets to the agent's
 * role name before the thread starts, or is fixed for a factory (the media driver's threads).
 * <p>
 * Each pinning is reported as one line (role, thread, wanted cpu, what the thread is allowed and where it runs), to
 * the listener as it happens and in {@link #lines()}. A role with several cores takes them in turn. Where affinity
 * cannot be set (not Linux, no JNA, or the call fails), the line says {@code could not pin} and why, and the thread
 * runs unpinned. With an empty plan the factories make plain threads and report nothing.
 * <p>
 * Thread safe.
 */
public final class ThreadPinning
{
    /**
     * Name of the benchmark load generator's thread (role {@code loadgen}).
     */
    public static final String LOADGEN_THREAD_NAME = "paycore-loadgen";

    /**
     * Name of the raw Aeron echo's thread, the latency baseline's ingress (role {@code ingress}).
     */
    public static final String ECHO_THREAD_NAME = "paycore-echo";

    private final CpuPlan plan;
    private final Consumer<String> listener;
    private final int[] placed = new int[CpuPlan.Role.values().length];
    private final List<String> lines = new ArrayList<>();
    private String label = "";

    /**
     * @param plan     which core each role goes on.
     * @param listener told each line as a thread pins itself, on that thread; null for none.
     */
    public ThreadPinning(final CpuPlan plan, final Consumer<String> listener)
    {
        this.plan = plan;
        this.listener = listener;
    }

    /**
     * @return the plan.
     */
    public CpuPlan plan()
    {
        return plan;
    }

    /**
     * @param label put in front of the lines that follow, to say which phase of a run they belong to.
     */
    public synchronized void label(final String label)
    {
        this.label = label;
    }

    /**
     * A factory whose threads pin themselves by the role their name shows ({@link #roleOf}).
     *
     * @return the factory.
     */
    public ThreadFactory threadFactory()
    {
        return threadFactory(ThreadPinning::roleOf);
    }

    /**
     * A factory whose threads all belong to one role, such as the media driver's.
     *
     * @param role the role of every thread it makes.
     * @return the factory.
     */
    public ThreadFactory threadFactory(final CpuPlan.Role role)
    {
        return threadFactory((name) -> role);
    }

    /**
     * Pin the calling thread to its role's core, if the plan names one.
     *
     * @param role the calling thread's role.
     */
    public void pinCurrentThread(final CpuPlan.Role role)
    {
        if (null == role || plan.cpu(role) < 0)
        {
            return;
        }
        final int cpu;
        synchronized (this)
        {
            cpu = plan.cpu(role, placed[role.ordinal()]++);
        }
        String outcome;
        try
        {
            Affinity.setAffinity(cpu);
            final BitSet affinity = Affinity.getAffinity();
            if (1 == affinity.cardinality() && affinity.get(cpu))
            {
                outcome = "allowed " + affinity + ", running on cpu " + Affinity.getCpu();
            }
            else
            {
                // OpenHFT's stand-in where it has no implementation (a platform it does not support, no JNA) sets
                // nothing and says nothing: its affinity reads back empty.
                outcome = "could not pin: " + (affinity.isEmpty() ?
                    "the affinity library cannot pin on this platform (OpenHFT affinity pins on Linux and " +
                    "Windows, with JNA)" : "the thread's cpus are " + affinity + " after pinning") +
                    "; it runs unpinned";
            }
        }
        catch (final Throwable ex)
        {
            outcome = "could not pin: " + ex + "; it runs unpinned";
        }
        final String line = String.format(Locale.ROOT, "%-10s %-16s wanted cpu %d: %s",
            role.name().toLowerCase(Locale.ROOT), Thread.currentThread().getName(), cpu, outcome);
        final String labelled;
        synchronized (this)
        {
            labelled = label.isEmpty() ? line : label + ": " + line;
            lines.add(labelled);
        }
        if (null != listener)
        {
            listener.accept(labelled);
        }
    }

    /**
     * @return what each pinned thread got, one line each, in the order they pinned themselves.
     */
    public synchronized List<String> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * The role of one of paycore's threads, from the name its agent gave it.
     *
     * @param name the thread's name.
     * @return its role, or null for a thread no plan places.
     */
    public static CpuPlan.Role roleOf(final String name)
    {
        if (name.equals(Pipeline.BLP_THREAD_NAME))
        {
            return CpuPlan.Role.BLP;
        }
        if (name.equals(Pipeline.JOURNALER_THREAD_NAME))
        {
            return CpuPlan.Role.JOURNALER;
        }
        if (name.equals(PaycoreServer.EGRESS_THREAD_NAME))
        {
            return CpuPlan.Role.EGRESS;
        }
        // In the shared profile ingress, the inline stages and egress are one composite agent on one thread.
        if (name.contains(PaycoreServer.INGRESS_THREAD_NAME) || name.equals(ECHO_THREAD_NAME))
        {
            return CpuPlan.Role.INGRESS;
        }
        if (name.equals(LOADGEN_THREAD_NAME))
        {
            return CpuPlan.Role.LOADGEN;
        }
        return null;
    }

    private ThreadFactory threadFactory(final Function<String, CpuPlan.Role> roleOfThread)
    {
        if (plan.isEmpty())
        {
            return Thread::new;
        }
        return (runnable) -> new Thread(() ->
        {
            pinCurrentThread(roleOfThread.apply(Thread.currentThread().getName()));
            runnable.run();
        });
    }
}
