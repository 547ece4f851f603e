package io.paycore.core.pipeline;

import java.util.Locale;

/**
 * How the pipeline's stages are laid out on threads. Every layout journals a record before the ledger applies it,
 * applies records in journal order, and answers nothing before it is journaled at the flush level; they differ only
 * in how many thread hand-offs a record takes.
 */
public enum StageLayout
{
    /**
     * The journaler and the BLP on threads of their own. The {@code dedicated} default.
     */
    SPLIT,

    /**
     * The journaler and the BLP as one stage on one thread: each ring batch is journaled, then applied.
     */
    COMBINED,

    /**
     * No stage thread: the combined stage runs in the duty cycle of whoever calls {@link Pipeline#doStageWork()},
     * the transport's ingress/egress thread in the {@code shared} profile, so one thread takes a message in,
     * journals it, applies it and sends its answer. Needs the {@code shared} profile.
     */
    INLINE;

    /**
     * @param name {@code split}, {@code combined} or {@code inline}, any case.
     * @return the layout.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static StageLayout parse(final String name)
    {
        for (final StageLayout layout : values())
        {
            if (layout.name().equalsIgnoreCase(name))
            {
                return layout;
            }
        }
        throw new IllegalArgumentException("unknown pipeline layout '" + name + "': use split, combined or inline");
    }

    /**
     * @return the name as written in settings.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
