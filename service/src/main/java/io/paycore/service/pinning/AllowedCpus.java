package io.paycore.service.pinning;

import net.openhft.affinity.Affinity;

import java.util.BitSet;

/**
 * The cpus a process may run on: what {@code taskset} or a cpuset gave it, which need not be {@code 0..n-1} (under
 * {@code taskset -c 4-7} the JVM counts 4 cpus, numbered 4 to 7). A plan that named a cpu outside them would move the
 * thread out of the set the operator gave the process, or fail to pin it.
 */
public final class AllowedCpus
{
    private AllowedCpus()
    {
    }

    /**
     * The cpus the calling thread may run on, as the operating system says (OpenHFT affinity's
     * {@code sched_getaffinity} on Linux); call it on a thread nothing has pinned, such as the one that starts the
     * service, to learn the process's. Where the affinity library cannot tell (a platform it does not support), cpus
     * {@code 0..n-1} for the {@code n} the JVM reports.
     *
     * @return a new set; never empty.
     */
    public static BitSet ofThisProcess()
    {
        BitSet allowed;
        try
        {
            allowed = Affinity.getAffinity();
        }
        catch (final Throwable ex)
        {
            allowed = null;
        }
        if (null == allowed || allowed.isEmpty())
        {
            return first(Runtime.getRuntime().availableProcessors());
        }
        return (BitSet)allowed.clone();
    }

    /**
     * @param count how many cpus.
     * @return cpus {@code 0..count-1}.
     * @throws IllegalArgumentException if count is below 1.
     */
    public static BitSet first(final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("a machine has at least one cpu: " + count);
        }
        final BitSet cpus = new BitSet(count);
        cpus.set(0, count);
        return cpus;
    }

    /**
     * @param cpus a set of cpus.
     * @return them as runs, such as {@code 0..3,6,8..9}.
     */
    public static String describe(final BitSet cpus)
    {
        final StringBuilder builder = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; )
        {
            final int to = cpus.nextClearBit(from) - 1;
            builder.append(builder.length() == 0 ? "" : ",").append(from);
            if (to > from)
            {
                builder.append("..").append(to);
            }
            from = cpus.nextSetBit(to + 1);
        }
        return builder.toString();
    }
}
