package io.paycore.service.pinning;

import io.paycore.core.pipeline.ThreadingProfile;

import java.util.List;
import java.util.Locale;

/**
 * Which core each of the service's hot threads runs on. With {@code --cpus} the operator names them; in the
 * {@code dedicated} profile without it, every hot thread gets a core of its own from cpu 1 up (cpu 0 is left to the
 * operating system and everything else), and the service refuses to start when there are not enough; in the
 * {@code shared} profile without it nothing is pinned.
 * <p>
 * Hot threads: ingress, egress, the journaler, the BLP, and the media driver's conductor, sender and receiver (three
 * threads in the dedicated profile).
 */
public final class ServicePinning
{
    /**
     * Threads of the media driver that busy-spin in the dedicated profile: conductor, sender, receiver.
     */
    public static final int DEDICATED_DRIVER_THREADS = 3;

    private ServicePinning()
    {
    }

    /**
     * The plan the service pins its threads by.
     *
     * @param spec    {@code role=cpu[+cpu],...} as given with {@code --cpus}, or null.
     * @param profile the threading profile.
     * @param cpus    cores on this machine.
     * @return the plan; {@link CpuPlan#NONE} for no pinning.
     * @throws IllegalArgumentException when the spec is wrong or names the benchmark's loadgen role, or the dedicated
     *                                  profile has too few cores to give each hot thread its own.
     */
    public static CpuPlan plan(final String spec, final ThreadingProfile profile, final int cpus)
    {
        if (null != spec && !spec.isBlank())
        {
            final CpuPlan plan = CpuPlan.parse(spec, cpus);
            if (plan.cpu(CpuPlan.Role.LOADGEN) >= 0)
            {
                throw new IllegalArgumentException("--cpus: the service has no loadgen thread (that role is the " +
                    "benchmark's load generator, for 'paycore bench'); its roles are ingress, egress, journaler, " +
                    "blp and driver");
            }
            return plan;
        }
        if (ThreadingProfile.DEDICATED != profile)
        {
            return CpuPlan.NONE;
        }

        final int hotThreads = 4 + DEDICATED_DRIVER_THREADS;
        if (cpus < hotThreads + 1)
        {
            throw new IllegalArgumentException("the dedicated profile pins each of its " + hotThreads + " hot " +
                "threads (ingress, egress, journaler, BLP, driver conductor, sender, receiver) to a core of its own " +
                "and leaves cpu 0 to the system: it needs " + (hotThreads + 1) + " cores and this machine has " + cpus +
                "; name the cores with --cpus, e.g. --cpus ingress=1,egress=2,journaler=3,blp=4,driver=5+5+5");
        }
        int cpu = 1;
        final StringBuilder plan = new StringBuilder()
            .append("ingress=").append(cpu++)
            .append(",egress=").append(cpu++)
            .append(",journaler=").append(cpu++)
            .append(",blp=").append(cpu++)
            .append(",driver=").append(cpu++).append('+').append(cpu++).append('+').append(cpu);
        return CpuPlan.parse(plan.toString(), cpus);
    }

    /**
     * @param profile a profile.
     * @return its name as the command line spells it.
     */
    static String name(final ThreadingProfile profile)
    {
        return profile.name().toLowerCase(Locale.ROOT);
    }
}
