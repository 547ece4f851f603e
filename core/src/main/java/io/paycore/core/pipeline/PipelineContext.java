package io.paycore.core.pipeline;

import io.paycore.journal.PropertyValues;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.util.concurrent.ThreadFactory;

/**
 * Configuration of the {@link Pipeline}: ring sizes, idle strategy, batch sizes, threading profile and the factory of
 * its threads. Each setting
 * defaults from a system property named beside its default.
 */
public final class PipelineContext
{
    /** Slots in the input ring (a power of two). */
    public static final String INPUT_RING_SIZE_PROP_NAME = "paycore.pipeline.input.ring.size";
    /** Default input ring size. Each slot holds one message of up to the configured batch size. */
    public static final int INPUT_RING_SIZE_DEFAULT = 1024;
    /** Slots in the output ring (a power of two). */
    public static final String OUTPUT_RING_SIZE_PROP_NAME = "paycore.pipeline.output.ring.size";
    /** Default output ring size. */
    public static final int OUTPUT_RING_SIZE_DEFAULT = 1024;
    /** Largest ring size accepted. */
    public static final int RING_SIZE_MAX = 1 << 16;
    /** Idle strategy of the stage agents; see {@link IdleStrategies}. */
    public static final String IDLE_STRATEGY_PROP_NAME = "paycore.pipeline.idle.strategy";
    /** The former name of {@link #IDLE_STRATEGY_PROP_NAME}, still read when that is not set. */
    public static final String WAIT_STRATEGY_PROP_NAME = "paycore.pipeline.wait.strategy";
    /** Most records a stage takes in one Disruptor batch (and so, at flush {@code batch}, one group commit). */
    public static final String MAX_STAGE_BATCH_PROP_NAME = "paycore.pipeline.max.stage.batch";
    /** Default stage batch limit. */
    public static final int MAX_STAGE_BATCH_DEFAULT = 256;
    /** Threading profile: {@code shared} or {@code dedicated}. */
    public static final String PROFILE_PROP_NAME = "paycore.profile";
    /** Default threading profile. */
    public static final ThreadingProfile PROFILE_DEFAULT = ThreadingProfile.SHARED;

    /**
     * Stage layout, see {@link StageLayout}: {@code split}, {@code combined} or {@code inline}. By default
     * {@code split} in the {@code dedicated} profile, {@code combined} otherwise (the service asks for
     * {@code inline} in the {@code shared} profile).
     */
    public static final String LAYOUT_PROP_NAME = "paycore.pipeline.layout";

    /** Take a snapshot every this many journal records; 0 for never. */
    public static final String SNAPSHOT_EVERY_PROP_NAME = "paycore.snapshot.every";
    /** Default snapshot interval, in records: never. */
    public static final long SNAPSHOT_EVERY_DEFAULT = 0;

    private long snapshotEveryRecords = PropertyValues.longValue(SNAPSHOT_EVERY_PROP_NAME, SNAPSHOT_EVERY_DEFAULT);
    private SnapshotHandler snapshotHandler;
    private int inputRingSlots = PropertyValues.intValue(INPUT_RING_SIZE_PROP_NAME, INPUT_RING_SIZE_DEFAULT);
    private int outputRingSlots = PropertyValues.intValue(OUTPUT_RING_SIZE_PROP_NAME, OUTPUT_RING_SIZE_DEFAULT);
    private int maxStageBatch = PropertyValues.intValue(MAX_STAGE_BATCH_PROP_NAME, MAX_STAGE_BATCH_DEFAULT);
    private ThreadingProfile profile = ThreadingProfile.parse(
        System.getProperty(PROFILE_PROP_NAME, PROFILE_DEFAULT.name()));
    private String idleStrategy = System.getProperty(
        IDLE_STRATEGY_PROP_NAME, System.getProperty(WAIT_STRATEGY_PROP_NAME));
    private ThreadFactory threadFactory = Thread::new;
    private StageLayout layout = null == System.getProperty(LAYOUT_PROP_NAME) ?
        null : StageLayout.parse(System.getProperty(LAYOUT_PROP_NAME));
    private EpochNanoClock clock = new OffsetEpochNanoClock();

    /**
     * Check the settings and fill in what depends on others.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting that is wrong.
     */
    public PipelineContext conclude()
    {
        checkRingSize("input ring size (--input-ring-size, " + INPUT_RING_SIZE_PROP_NAME + ")", inputRingSlots);
        checkRingSize("output ring size (--output-ring-size, " + OUTPUT_RING_SIZE_PROP_NAME + ")", outputRingSlots);
        if (maxStageBatch < 1 || maxStageBatch > RING_SIZE_MAX)
        {
            // More than a ring holds would be taken as the ring's size: no error, and no such batch either.
            throw new IllegalArgumentException("max stage batch (--max-stage-batch, " + MAX_STAGE_BATCH_PROP_NAME +
                ") must be 1.." + RING_SIZE_MAX + " (a ring holds at most " + RING_SIZE_MAX + " records): " +
                maxStageBatch);
        }
        if (snapshotEveryRecords < 0)
        {
            throw new IllegalArgumentException("snapshot interval (--snapshot-every, " + SNAPSHOT_EVERY_PROP_NAME +
                ") must not be negative: " + snapshotEveryRecords);
        }
        if (snapshotEveryRecords > 0 && null == snapshotHandler)
        {
            throw new IllegalArgumentException("a snapshot interval needs a snapshot handler");
        }
        if (null == idleStrategy)
        {
            idleStrategy = IdleStrategies.defaultFor(profile);
        }
        idleStrategy = IdleStrategies.canonical(idleStrategy);
        if (null == threadFactory)
        {
            throw new IllegalArgumentException("the pipeline needs a thread factory");
        }
        if (null == layout)
        {
            layout = ThreadingProfile.DEDICATED == profile ? StageLayout.SPLIT : StageLayout.COMBINED;
        }
        checkLayout(layout, profile);

        return this;
    }

    /**
     * Check that a stage layout can run with a profile.
     *
     * @param layout  the layout, or null for a default still to be chosen (always accepted).
     * @param profile the threading profile.
     * @throws IllegalArgumentException naming {@link #LAYOUT_PROP_NAME} and why.
     */
    public static void checkLayout(final StageLayout layout, final ThreadingProfile profile)
    {
        if (StageLayout.INLINE == layout && ThreadingProfile.SHARED != profile)
        {
            throw new IllegalArgumentException("pipeline layout (" + LAYOUT_PROP_NAME + ") inline runs the stages " +
                "on the transport's shared thread, so it needs the shared profile");
        }
    }

    /**
     * @param layout how the stages are laid out on threads, or null for the default: {@code split} in the
     *               {@code dedicated} profile, {@code combined} otherwise.
     * @return this.
     */
    public PipelineContext layout(final StageLayout layout)
    {
        this.layout = layout;
        return this;
    }

    /**
     * @return how the stages are laid out on threads; null before {@link #conclude()} if left to the default.
     */
    public StageLayout layout()
    {
        return layout;
    }

    private static void checkRingSize(final String name, final int size)
    {
        if (size < 2 || size > RING_SIZE_MAX || Integer.bitCount(size) != 1)
        {
            throw new IllegalArgumentException(name + " must be a power of two in 2.." + RING_SIZE_MAX + ": " + size);
        }
    }

    /** @param inputRingSlots slots in the input ring. @return this. */
    public PipelineContext inputRingSize(final int inputRingSlots)
    {
        this.inputRingSlots = inputRingSlots;
        return this;
    }

    /** @return slots in the input ring. */
    public int inputRingSize()
    {
        return inputRingSlots;
    }

    /** @param outputRingSlots slots in the output ring. @return this. */
    public PipelineContext outputRingSize(final int outputRingSlots)
    {
        this.outputRingSlots = outputRingSlots;
        return this;
    }

    /** @return slots in the output ring. */
    public int outputRingSize()
    {
        return outputRingSlots;
    }

    /** @param maxStageBatch most records a stage takes in one batch. @return this. */
    public PipelineContext maxStageBatch(final int maxStageBatch)
    {
        this.maxStageBatch = maxStageBatch;
        return this;
    }

    /** @return most records a stage takes in one batch. */
    public int maxStageBatch()
    {
        return maxStageBatch;
    }

    /** @param profile threading profile. @return this. */
    public PipelineContext profile(final ThreadingProfile profile)
    {
        this.profile = profile;
        return this;
    }

    /** @return threading profile. */
    public ThreadingProfile profile()
    {
        return profile;
    }

    /**
     * @param idleStrategy name of the stage agents' idle strategy, see {@link IdleStrategies}; null for the
     *                     profile's default.
     * @return this.
     */
    public PipelineContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return name of the stage agents' idle strategy; null until {@link #conclude()} picks the profile's default. */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param threadFactory makes the stage threads (the service's pins them to cores); each is named after its
     *                      agent's role before it starts. Default: plain threads.
     * @return this.
     */
    public PipelineContext threadFactory(final ThreadFactory threadFactory)
    {
        this.threadFactory = threadFactory;
        return this;
    }

    /** @return makes the stage threads. */
    public ThreadFactory threadFactory()
    {
        return threadFactory;
    }

    /**
     * The clock that stamps each record ingress journals, read on every ingress duty cycle. The default is Agrona's
     * {@link OffsetEpochNanoClock}: {@code System.nanoTime()} plus an offset to the epoch, measured when the context
     * is made and again after an hour, so a reading allocates nothing. Agrona's {@code SystemEpochNanoClock} makes
     * an {@code Instant} for every reading, which the JIT did not always remove: a profile of an idle {@code serve}
     * caught the ingress thread allocating them.
     *
     * @param clock source of ingress timestamps.
     * @return this.
     */
    public PipelineContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /** @return source of ingress timestamps. */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * @param snapshotEveryRecords take a snapshot at every journal sequence that is a multiple of this; 0 never.
     * @return this.
     */
    public PipelineContext snapshotEveryRecords(final long snapshotEveryRecords)
    {
        this.snapshotEveryRecords = snapshotEveryRecords;
        return this;
    }

    /** @return the snapshot interval in records; 0 for never. */
    public long snapshotEveryRecords()
    {
        return snapshotEveryRecords;
    }

    /** @param snapshotHandler takes the snapshots, on the BLP thread. @return this. */
    public PipelineContext snapshotHandler(final SnapshotHandler snapshotHandler)
    {
        this.snapshotHandler = snapshotHandler;
        return this;
    }

    /** @return takes the snapshots, on the BLP thread; null for none. */
    public SnapshotHandler snapshotHandler()
    {
        return snapshotHandler;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "PipelineContext{inputRingSlots=" + inputRingSlots + ", outputRingSlots=" + outputRingSlots +
            ", maxStageBatch=" + maxStageBatch + ", profile=" + profile + ", idleStrategy=" + idleStrategy +
            ", layout=" + layout +
            ", snapshotEveryRecords=" + snapshotEveryRecords + '}';
    }
}
