package io.paycore.service.pinning;

import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which core each hot thread of the service or a benchmark goes on ({@code --cpus}), as
 * {@code role=cpu[+cpu...][,role=...]}, for example {@code loadgen=0,driver=0,ingress=1,journaler=1,blp=1}. A role
 * with several threads (the media driver's conductor, sender and receiver in the dedicated profile) spreads them
 * over the cores listed with {@code +}, in turn: {@code driver=2+3+4}. Roles not named are left where the scheduler
 * puts them. Immutable.
 */
public final class CpuPlan
{
    /**
     * The hot threads a plan can place.
     */
    public enum Role
    {
        /** The load generator (sends and polls answers). */
        LOADGEN,
        /** paycore's ingress (in the shared profile the same thread as egress); the baseline's echo thread. */
        INGRESS,
        /** paycore's egress (a thread of its own in the dedicated profile only). */
        EGRESS,
        /** The journaler stage. */
        JOURNALER,
        /** The business logic processor. */
        BLP,
        /** The media driver's thread(s). */
        DRIVER
    }

    /** No pinning. */
    public static final CpuPlan NONE = new CpuPlan(new EnumMap<>(Role.class));

    private final Map<Role, int[]> cpuByRole;

    private CpuPlan(final EnumMap<Role, int[]> cpuByRole)
    {
        this.cpuByRole = Collections.unmodifiableMap(cpuByRole);
    }

    /**
     * Parse a plan against cpus {@code 0..cpus-1}.
     *
     * @param spec {@code role=cpu,...}, roles named case-insensitively; null or empty for none.
     * @param cpus cores of this machine; every cpu named must be below it.
     * @return the plan.
     * @throws IllegalArgumentException naming the part that is wrong and the roles there are.
     * @see #parse(String, BitSet)
     */
    public static CpuPlan parse(final String spec, final int cpus)
    {
        return parse(spec, AllowedCpus.first(cpus));
    }

    /**
     * Parse a plan. Each role is named once, with one or more cpus joined by {@code +}; an empty entry anywhere (a
     * doubled or trailing {@code ,} or {@code +}) is a typo and refused.
     *
     * @param spec    {@code role=cpu,...}, roles named case-insensitively; null or empty for none.
     * @param allowed the cpus this process may run on ({@link AllowedCpus#ofThisProcess()}); every cpu named must be
     *                one of them, else the thread would leave the set the operator gave the process.
     * @return the plan.
     * @throws IllegalArgumentException naming the part that is wrong and the roles there are.
     */
    public static CpuPlan parse(final String spec, final BitSet allowed)
    {
        return parse(spec, allowed, EnumSet.allOf(Role.class));
    }

    /**
     * Parse a plan, as {@link #parse(String, BitSet)}, for a command that places only some of the roles: a message
     * that lists the roles to use lists those. Which roles the plan may name is the caller's to check.
     *
     * @param spec    {@code role=cpu,...}, roles named case-insensitively; null or empty for none.
     * @param allowed the cpus this process may run on.
     * @param roles   the roles the command places, listed in messages.
     * @return the plan.
     * @throws IllegalArgumentException naming the part that is wrong and the roles there are.
     */
    public static CpuPlan parse(final String spec, final BitSet allowed, final Set<Role> roles)
    {
        if (null == spec || spec.isBlank())
        {
            return NONE;
        }
        final EnumMap<Role, int[]> cpuByRole = new EnumMap<>(Role.class);
        for (final String part : spec.split(",", -1))
        {
            if (part.isBlank())
            {
                throw new IllegalArgumentException("--cpus has an empty entry (a doubled or trailing ','): '" +
                    spec + "'");
            }
            final int equals = part.indexOf('=');
            if (equals < 1)
            {
                throw new IllegalArgumentException("--cpus wants role=cpu pairs separated by commas, roles " +
                    roles(roles) + ": '" + part + "'");
            }
            final Role role;
            try
            {
                role = Role.valueOf(part.substring(0, equals).trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--cpus: unknown role '" + part.substring(0, equals).trim() +
                    "', roles are " + roles(roles), ex);
            }
            if (cpuByRole.containsKey(role))
            {
                throw new IllegalArgumentException("--cpus names " + role.name().toLowerCase(Locale.ROOT) +
                    " twice; give a role with several threads its cpus joined by '+': '" + spec + "'");
            }
            final String[] cpuNames = part.substring(equals + 1).split("\\+", -1);
            final int[] cpuList = new int[cpuNames.length];
            for (int i = 0; i < cpuNames.length; i++)
            {
                final int cpu;
                try
                {
                    cpu = Integer.parseInt(cpuNames[i].trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("--cpus: not a cpu number in '" + part.trim() + "'", ex);
                }
                if (cpu < 0 || !allowed.get(cpu))
                {
                    throw new IllegalArgumentException("--cpus: cpu " + cpu + " for " +
                        role.name().toLowerCase(Locale.ROOT) + " is not one this process may run on: it has cpus " +
                        AllowedCpus.describe(allowed) + " (those of this machine, less any taskset or cpuset left " +
                        "out)");
                }
                cpuList[i] = cpu;
            }
            cpuByRole.put(role, cpuList);
        }
        return new CpuPlan(cpuByRole);
    }

    private static String roles(final Set<Role> roles)
    {
        final StringBuilder builder = new StringBuilder();
        for (final Role role : EnumSet.copyOf(roles))
        {
            builder.append(builder.length() == 0 ? "" : ", ").append(role.name().toLowerCase(Locale.ROOT));
        }
        return builder.toString();
    }

    /**
     * @param role a role.
     * @return its cpu, or -1 when the plan does not place it.
     */
    public int cpu(final Role role)
    {
        return cpu(role, 0);
    }

    /**
     * @param role  a role.
     * @param index which of the role's threads, from 0; they take the role's cores in turn.
     * @return its cpu, or -1 when the plan does not place the role.
     */
    public int cpu(final Role role, final int index)
    {
        final int[] cpus = cpuByRole.get(role);
        return null == cpus ? -1 : cpus[index % cpus.length];
    }

    /**
     * @param role a role.
     * @return how the plan names the role's cpus, such as {@code driver=2+3+4}, or null when it does not place it.
     */
    public String spec(final Role role)
    {
        final int[] cpus = cpuByRole.get(role);
        if (null == cpus)
        {
            return null;
        }
        final StringBuilder builder = new StringBuilder(role.name().toLowerCase(Locale.ROOT)).append('=');
        for (int i = 0; i < cpus.length; i++)
        {
            builder.append(i == 0 ? "" : "+").append(cpus[i]);
        }
        return builder.toString();
    }

    /**
     * @return true when the plan places no thread.
     */
    public boolean isEmpty()
    {
        return cpuByRole.isEmpty();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder();
        cpuByRole.forEach((role, cpus) -> builder.append(builder.length() == 0 ? "" : ",").append(spec(role)));
        return builder.toString();
    }
}
