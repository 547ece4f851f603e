package io.paycore.service.pinning;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which core each hot thread of a benchmark goes on ({@code --cpus}), as
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
     * Parse a plan.
     *
     * @param spec    {@code role=cpu,...}, roles named case-insensitively; null or empty for none.
     * @param cpus    cores of this machine; every cpu named must be below it.
     * @return the plan.
     * @throws IllegalArgumentException naming the part that is wrong and the roles there are.
     */
    public static CpuPlan parse(final String spec, final int cpus)
    {
        if (null == spec || spec.isBlank())
        {
            return NONE;
        }
        final EnumMap<Role, int[]> cpuByRole = new EnumMap<>(Role.class);
        for (final String part : spec.split(","))
        {
            final int equals = part.indexOf('=');
            if (equals < 1)
            {
                throw new IllegalArgumentException("--cpus wants role=cpu pairs separated by commas, roles " +
                    roles() + ": '" + part + "'");
            }
            final Role role;
            try
            {
                role = Role.valueOf(part.substring(0, equals).trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--cpus: unknown role '" + part.substring(0, equals).trim() +
                    "', roles are " + roles(), ex);
            }
            final String[] cpuNames = part.substring(equals + 1).trim().split("\\+");
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
                    throw new IllegalArgumentException("--cpus: not a cpu number in '" + part + "'", ex);
                }
                if (cpu < 0 || cpu >= cpus)
                {
                    throw new IllegalArgumentException("--cpus: cpu " + cpu + " for " +
                        role.name().toLowerCase(Locale.ROOT) + " is not on this machine, which has cpus 0.." +
                        (cpus - 1));
                }
                cpuList[i] = cpu;
            }
            cpuByRole.put(role, cpuList);
        }
        return new CpuPlan(cpuByRole);
    }

    private static String roles()
    {
        final StringBuilder builder = new StringBuilder();
        for (final Role role : Role.values())
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
        cpuByRole.forEach((role, cpus) ->
        {
            builder.append(builder.length() == 0 ? "" : ",").append(role.name().toLowerCase(Locale.ROOT)).append('=');
            for (int i = 0; i < cpus.length; i++)
            {
                builder.append(i == 0 ? "" : "+").append(cpus[i]);
            }
        });
        return builder.toString();
    }
}
