package io.paycore.replay.replication;

import java.util.Locale;

/**
 * How the primary waits for its standby.
 */
public enum ReplicationMode
{
    /**
     * The BLP applies a record only after the standby has acknowledged it as durable: one round trip per ring batch.
     * An answered request is then on two machines. With no standby connected the primary answers nothing.
     */
    SYNC,

    /**
     * The primary never waits; the standby's lag (records shipped but not acknowledged) is a counter. A primary that
     * dies may take its last answered records with it.
     */
    ASYNC;

    /**
     * @param name {@code sync} or {@code async}, any case.
     * @return the mode.
     * @throws IllegalArgumentException naming the choices.
     */
    public static ReplicationMode parse(final String name)
    {
        try
        {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException | NullPointerException ex)
        {
            throw new IllegalArgumentException("replication mode must be sync or async: " + name);
        }
    }
}
