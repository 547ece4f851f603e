package io.paycore.core.pipeline;

/**
 * How paycore's hot threads use the machine.
 */
public enum ThreadingProfile
{
    /**
     * For laptops, CI and small machines: no thread spins forever; ring stages block or back off when idle and the
     * transport runs its duty cycles on as few threads as it can. The default.
     */
    SHARED(1),

    /**
     * For production and latency benchmarks: every hot thread busy-spins on a core of its own. Refuses to start
     * on a machine with fewer than {@link #minCores()} cores.
     */
    DEDICATED(6);

    private final int minCores;

    ThreadingProfile(final int minCores)
    {
        this.minCores = minCores;
    }

    /**
     * @return the fewest cores this profile runs on.
     */
    public int minCores()
    {
        return minCores;
    }

    /**
     * Parse a profile name, case-insensitively.
     *
     * @param name {@code shared} or {@code dedicated}.
     * @return the profile.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static ThreadingProfile parse(final String name)
    {
        for (final ThreadingProfile profile : values())
        {
            if (profile.name().equalsIgnoreCase(name))
            {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown threading profile '" + name + "': use shared or dedicated");
    }
}
