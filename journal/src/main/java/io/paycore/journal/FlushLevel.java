package io.paycore.journal;

/**
 * How hard the journal pushes appended records towards the disk, and therefore what
 * {@link Journal#durableSequence()} means.
 */
public enum FlushLevel
{
    /**
     * Records are written to the memory-mapped segment and never forced by the journal. They survive a crash of
     * the process (the page cache holds them) but not of the machine. Durable sequence equals last sequence.
     */
    NONE,

    /**
     * Group commit: {@link Journal#flush()} forces everything appended since the previous flush. Durable
     * sequence is the last sequence at the last successful flush.
     */
    BATCH,

    /**
     * Every append forces its own record before returning. Durable sequence equals last sequence.
     */
    EVERY;

    /**
     * Parse a level from its name, ignoring case.
     *
     * @param name {@code none}, {@code batch} or {@code every}.
     * @return the level.
     * @throws IllegalArgumentException naming the accepted values if the name is unknown.
     */
    public static FlushLevel parse(final String name)
    {
        for (final FlushLevel level : values())
        {
            if (level.name().equalsIgnoreCase(name.trim()))
            {
                return level;
            }
        }

        throw new IllegalArgumentException("unknown flush level '" + name + "', expected one of none, batch, every");
    }
}
