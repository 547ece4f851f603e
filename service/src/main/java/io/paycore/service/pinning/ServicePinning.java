package io.paycore.service.pinning;

import io.paycore.core.pipeline.IdleStrategies;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which core each of the service's hot threads runs on. With {@code --cpus} the operator names them; in the
 * {@code dedicated} profile without it, every hot thread gets a core of its own from those the process may run on,
 * leaving the first of them (cpu 0 on a machine nobody restricted) to the operating system and everything else, and
 * the service refuses to start when there are not enough; in the {@code shared} profile without it nothing is pinned.
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

    private static final int DEDICATED_HOT_THREADS = 4 + DEDICATED_DRIVER_THREADS;

    private static final EnumSet<CpuPlan.Role> SERVICE_ROLES = EnumSet.range(CpuPlan.Role.INGRESS, CpuPlan.Role.DRIVER);

    private ServicePinning()
    {
    }

    /**
     * The plan the service pins its threads by, on a machine whose cpus {@code 0..cpus-1} the process may all use.
     *
     * @param spec    {@code role=cpu[+cpu],...} as given with {@code --cpus}, or null.
     * @param profile the threading profile.
     * @param cpus    cores on this machine.
     * @return the plan; {@link CpuPlan#NONE} for no pinning.
     * @throws IllegalArgumentException as {@link #plan(String, ThreadingProfile, BitSet)}.
     */
    public static CpuPlan plan(final String spec, final ThreadingProfile profile, final int cpus)
    {
        return plan(spec, profile, AllowedCpus.first(cpus));
    }

    /**
     * The plan the service pins its threads by.
     *
     * @param spec    {@code role=cpu[+cpu],...} as given with {@code --cpus}, or null.
     * @param profile the threading profile.
     * @param allowed the cpus the process may run on ({@link AllowedCpus#ofThisProcess()}).
     * @return the plan; {@link CpuPlan#NONE} for no pinning.
     * @throws IllegalArgumentException when the spec is wrong, names a cpu the process may not run on or the
     *                                  benchmark's loadgen role, or the dedicated profile has too few cores to give
     *                                  each hot thread its own.
     */
    public static CpuPlan plan(final String spec, final ThreadingProfile profile, final BitSet allowed)
    {
        if (null != spec && !spec.isBlank())
        {
            final CpuPlan plan = CpuPlan.parse(spec, allowed, SERVICE_ROLES);
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

        final int cpus = allowed.cardinality();
        if (cpus < DEDICATED_HOT_THREADS + 1)
        {
            throw new IllegalArgumentException("the dedicated profile pins each of its " + DEDICATED_HOT_THREADS +
                " hot threads (ingress, egress, journaler, BLP, driver conductor, sender, receiver) to a core of its " +
                "own and leaves one to the system: it needs " + (DEDICATED_HOT_THREADS + 1) + " cores and this " +
                "machine has " + cpus + " for this process (cpus " + AllowedCpus.describe(allowed) + "); name the " +
                "cores with --cpus, e.g. --cpus ingress=1,egress=2,journaler=3,blp=4,driver=5 (threads that " +
                "busy-spin on one core take turns in the scheduler's time slices, and the service warns of it)");
        }
        final int[] cpu = new int[DEDICATED_HOT_THREADS];
        int next = allowed.nextSetBit(allowed.nextSetBit(0) + 1);
        for (int i = 0; i < cpu.length; i++)
        {
            cpu[i] = next;
            next = allowed.nextSetBit(next + 1);
        }
        final String plan = "ingress=" + cpu[0] + ",egress=" + cpu[1] + ",journaler=" + cpu[2] + ",blp=" + cpu[3] +
            ",driver=" + cpu[4] + '+' + cpu[5] + '+' + cpu[6];
        return CpuPlan.parse(plan, allowed);
    }

    /**
     * What an operator should know of a plan before the service starts, one line each, none for a sound plan: two
     * or more threads on one cpu of which one busy-spins (a spinner never gives its core up, so the others run only
     * in the time slices the scheduler takes from it); as many busy-spinning threads as the process has cpus, pinned
     * or not, so that none is left for its other threads and the system; a role the plan names that has no thread
     * of its own with this profile, layout and driver, so that nothing is pinned for it; and an idle strategy other
     * than the profile's with the inline layout, which has no stage thread for it to act on.
     *
     * @param plan           the plan.
     * @param profile        the threading profile.
     * @param layout         the stage layout, or null for the profile's default.
     * @param idleStrategy   the stage threads' idle strategy, or null for the profile's default.
     * @param embeddedDriver whether the service runs its own media driver (not one of {@code --aeron-dir}).
     * @param allowed        the cpus the process may run on.
     * @return the warnings, without a {@code warning:} prefix; empty for none.
     */
    public static List<String> warnings(
        final CpuPlan plan,
        final ThreadingProfile profile,
        final StageLayout layout,
        final String idleStrategy,
        final boolean embeddedDriver,
        final BitSet allowed)
    {
        final boolean dedicated = ThreadingProfile.DEDICATED == profile;
        final StageLayout stageLayout = null != layout ? layout : dedicated ? StageLayout.SPLIT : StageLayout.INLINE;
        final boolean stagesSpin = IdleStrategies.BUSY_SPIN.equals(
            IdleStrategies.canonical(null != idleStrategy ? idleStrategy : IdleStrategies.defaultFor(profile)));

        // The service's threads a plan can place, as PaycoreServer and Pipeline make them.
        final List<CpuPlan.Role> roles = new ArrayList<>();
        final List<Boolean> spinning = new ArrayList<>();
        if (embeddedDriver)
        {
            for (int i = 0, threads = dedicated ? DEDICATED_DRIVER_THREADS : 1; i < threads; i++)
            {
                roles.add(CpuPlan.Role.DRIVER);
                spinning.add(dedicated);
            }
        }
        roles.add(CpuPlan.Role.INGRESS);
        spinning.add(dedicated);
        if (dedicated)
        {
            roles.add(CpuPlan.Role.EGRESS);
            spinning.add(true);
        }
        if (StageLayout.SPLIT == stageLayout)
        {
            roles.add(CpuPlan.Role.JOURNALER);
            spinning.add(stagesSpin);
        }
        if (StageLayout.INLINE != stageLayout)
        {
            roles.add(CpuPlan.Role.BLP);
            spinning.add(stagesSpin);
        }

        final List<String> warnings = new ArrayList<>();
        final Map<Integer, List<Integer>> threadsByCpu = new TreeMap<>();
        final int[] placed = new int[CpuPlan.Role.values().length];
        for (int i = 0; i < roles.size(); i++)
        {
            final CpuPlan.Role role = roles.get(i);
            final int cpu = plan.cpu(role, placed[role.ordinal()]++);
            if (cpu >= 0)
            {
                threadsByCpu.computeIfAbsent(cpu, (key) -> new ArrayList<>()).add(i);
            }
        }
        threadsByCpu.forEach((cpu, threads) ->
        {
            final List<CpuPlan.Role> spinners = new ArrayList<>();
            final List<CpuPlan.Role> others = new ArrayList<>();
            for (final int thread : threads)
            {
                (spinning.get(thread) ? spinners : others).add(roles.get(thread));
            }
            if (spinners.size() > 1)
            {
                warnings.add("--cpus puts " + spinners.size() + " busy-spinning threads on cpu " + cpu + " (" +
                    names(spinners) + ")" + (others.isEmpty() ? "" : " and " + names(others) + " with them") +
                    ": they take turns in the scheduler's time slices; give each a core of its own" +
                    advice(stagesSpin, dedicated));
            }
            else if (1 == spinners.size() && !others.isEmpty())
            {
                warnings.add("--cpus puts busy-spinning " + names(spinners) + " on cpu " + cpu + " with " +
                    names(others) + ", which then run only in the time slices the scheduler takes from it; give " +
                    "the spinner a core of its own" + advice(stagesSpin, dedicated));
            }
        });

        final List<CpuPlan.Role> spinners = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++)
        {
            if (spinning.get(i))
            {
                spinners.add(roles.get(i));
            }
        }
        if (!spinners.isEmpty() && spinners.size() >= allowed.cardinality())
        {
            warnings.add(spinners.size() + " threads busy-spin (" + names(spinners) + ") and this process may run " +
                "on " + allowed.cardinality() + " cpus (" + AllowedCpus.describe(allowed) + "): none is left for " +
                "its other threads and the system, which run only in the time slices the scheduler takes from a " +
                "spinner" + advice(stagesSpin, dedicated));
        }

        if (StageLayout.INLINE == stageLayout && null != idleStrategy &&
            !IdleStrategies.canonical(idleStrategy).equals(IdleStrategies.defaultFor(profile)))
        {
            warnings.add("--idle-strategy " + IdleStrategies.canonical(idleStrategy) + " has no effect: it sets the " +
                "stage threads' idling and the inline layout has none (the stages run on the ingress thread, which " +
                "idles as the " + name(profile) + " profile does); use --layout split or combined for stage " +
                "threads that idle so");
        }

        for (final CpuPlan.Role role : CpuPlan.Role.values())
        {
            if (plan.cpu(role) >= 0 && CpuPlan.Role.LOADGEN != role && !roles.contains(role))
            {
                warnings.add("--cpus " + plan.spec(role) + " pins nothing: " + whyNoThread(role, stageLayout));
            }
        }
        return warnings;
    }

    private static String whyNoThread(final CpuPlan.Role role, final StageLayout layout)
    {
        switch (role)
        {
            case EGRESS:
                return "in the shared profile egress runs on the ingress thread; name ingress";
            case DRIVER:
                return "the media driver is another process's (--aeron-dir); pin that process instead";
            default:
                return StageLayout.INLINE == layout ?
                    "the inline layout has no " + name(role) + " thread (the stages run on the ingress thread); " +
                    "name ingress, or use --layout split" :
                    "the combined layout runs the journaler on the blp thread; name blp, or use --layout split";
        }
    }

    private static String advice(final boolean stagesSpin, final boolean dedicated)
    {
        return stagesSpin && !dedicated ? ", or give the stage threads --idle-strategy backoff or yielding" : "";
    }

    private static String names(final List<CpuPlan.Role> roles)
    {
        final Map<CpuPlan.Role, Integer> counts = new LinkedHashMap<>();
        for (final CpuPlan.Role role : roles)
        {
            counts.merge(role, 1, Integer::sum);
        }
        final StringBuilder builder = new StringBuilder();
        counts.forEach((role, count) -> builder.append(builder.length() == 0 ? "" : ", ")
            .append(1 == count ? name(role) : count + " " + name(role) + " threads"));
        return builder.toString();
    }

    private static String name(final CpuPlan.Role role)
    {
        return role.name().toLowerCase(Locale.ROOT);
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
