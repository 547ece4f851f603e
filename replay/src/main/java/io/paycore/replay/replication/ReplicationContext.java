package io.paycore.replay.replication;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of replication, for a primary ({@link Replicator}) and a standby ({@link Follower}). Each setting
 * defaults from a system property named beside its default.
 * <p>
 * Channels: the primary publishes records on {@link #recordsChannel()} (the standby's endpoint: the primary's
 * {@code --replicate-to}, the standby's {@code --listen}) and listens for the standby's hellos and
 * acknowledgements on {@link #controlChannel()} (the primary's endpoint: the primary's {@code --replication-control},
 * the standby's {@code --primary}). Three streams: live records, catch-up records, control.
 */
public final class ReplicationContext
{
    /** Channel records are sent on: the standby's endpoint. */
    public static final String RECORDS_CHANNEL_PROP_NAME = "paycore.replication.records.channel";
    /** Default records channel. */
    public static final String RECORDS_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:40125";
    /** Channel the standby's hellos and acknowledgements are sent on: the primary's endpoint. */
    public static final String CONTROL_CHANNEL_PROP_NAME = "paycore.replication.control.channel";
    /** Default control channel. */
    public static final String CONTROL_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:40126";
    /** Stream id of live records; catch-up records use the next id, control the one after. */
    public static final String STREAM_ID_PROP_NAME = "paycore.replication.stream.id";
    /** Default base stream id. */
    public static final int STREAM_ID_DEFAULT = 1101;
    /** Sync or async. */
    public static final String MODE_PROP_NAME = "paycore.replication.mode";
    /** Default mode. */
    public static final ReplicationMode MODE_DEFAULT = ReplicationMode.ASYNC;
    /** How often an unanswered standby repeats its hello, and how long it waits at a gap before asking again. */
    public static final String HELLO_INTERVAL_PROP_NAME = "paycore.replication.hello.interval";
    /** Default hello interval. */
    public static final long HELLO_INTERVAL_DEFAULT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** A standby that acknowledges nothing for this long is dropped: its catch-up stops until it says hello. */
    public static final String STANDBY_TIMEOUT_PROP_NAME = "paycore.replication.standby.timeout";
    /** Default standby timeout. */
    public static final long STANDBY_TIMEOUT_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Most catch-up records sent per duty cycle of the primary's replication agent. */
    public static final int CATCH_UP_BATCH_RECORDS = 256;
    /** Term length of the replication publications, bytes. */
    public static final String TERM_LENGTH_PROP_NAME = "paycore.replication.term.length";
    /**
     * Default term length: 4 MiB, room for ring batches of the largest messages in flight (an Aeron message may be
     * an eighth of a term). Each stream maps three terms on each side in the media driver's directory, which is
     * {@code DIR/aeron} on disk unless an external driver is used: raise it with the directory on tmpfs.
     */
    public static final int TERM_LENGTH_DEFAULT = 4 * 1024 * 1024;

    private String recordsChannel = System.getProperty(RECORDS_CHANNEL_PROP_NAME, RECORDS_CHANNEL_DEFAULT);
    private String controlChannel = System.getProperty(CONTROL_CHANNEL_PROP_NAME, CONTROL_CHANNEL_DEFAULT);
    private int streamId = Integer.getInteger(STREAM_ID_PROP_NAME, STREAM_ID_DEFAULT);
    private ReplicationMode mode = ReplicationMode.parse(System.getProperty(MODE_PROP_NAME, MODE_DEFAULT.name()));
    private long helloIntervalNanos = Long.getLong(HELLO_INTERVAL_PROP_NAME, HELLO_INTERVAL_DEFAULT_NANOS);
    private long standbyTimeoutNanos = Long.getLong(STANDBY_TIMEOUT_PROP_NAME, STANDBY_TIMEOUT_DEFAULT_NANOS);
    private ThreadFactory threadFactory = Thread::new;
    private int termLengthBytes = Integer.getInteger(TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT);

    /**
     * Check the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting that is wrong.
     */
    public ReplicationContext conclude()
    {
        if (null == recordsChannel || !recordsChannel.startsWith("aeron:"))
        {
            throw new IllegalArgumentException("replication records channel must be an Aeron channel: " +
                recordsChannel);
        }
        if (null == controlChannel || !controlChannel.startsWith("aeron:"))
        {
            throw new IllegalArgumentException("replication control channel must be an Aeron channel: " +
                controlChannel);
        }
        if (streamId <= 0 || streamId > Integer.MAX_VALUE - 2)
        {
            throw new IllegalArgumentException("replication stream id must be positive: " + streamId);
        }
        if (helloIntervalNanos <= 0 || standbyTimeoutNanos <= helloIntervalNanos)
        {
            throw new IllegalArgumentException("replication hello interval must be positive and less than the " +
                "standby timeout: " + helloIntervalNanos + " ns, " + standbyTimeoutNanos + " ns");
        }
        if (termLengthBytes < 64 * 1024 || termLengthBytes > 1024 * 1024 * 1024 || Integer.bitCount(termLengthBytes) != 1)
        {
            throw new IllegalArgumentException("replication term length must be a power of two in 64k..1g: " +
                termLengthBytes);
        }
        return this;
    }

    /** @param recordsChannel channel the primary sends records on (the standby's endpoint). @return this. */
    public ReplicationContext recordsChannel(final String recordsChannel)
    {
        this.recordsChannel = recordsChannel;
        return this;
    }

    /** @return channel the primary sends records on (the standby's endpoint). */
    public String recordsChannel()
    {
        return recordsChannel;
    }

    /** @param controlChannel channel the standby sends hellos and acks on (the primary's endpoint). @return this. */
    public ReplicationContext controlChannel(final String controlChannel)
    {
        this.controlChannel = controlChannel;
        return this;
    }

    /** @return channel the standby sends hellos and acks on (the primary's endpoint). */
    public String controlChannel()
    {
        return controlChannel;
    }

    /** @param streamId stream id of live records; catch-up is the next, control the one after. @return this. */
    public ReplicationContext streamId(final int streamId)
    {
        this.streamId = streamId;
        return this;
    }

    /** @return stream id of live records. */
    public int liveStreamId()
    {
        return streamId;
    }

    /** @return stream id of catch-up records (and the primary's DIVERGED answers). */
    public int catchUpStreamId()
    {
        return streamId + 1;
    }

    /** @return stream id of the standby's hellos, acks and FENCED. */
    public int controlStreamId()
    {
        return streamId + 2;
    }

    /** @param mode sync or async. @return this. */
    public ReplicationContext mode(final ReplicationMode mode)
    {
        this.mode = mode;
        return this;
    }

    /** @return sync or async. */
    public ReplicationMode mode()
    {
        return mode;
    }

    /** @param helloIntervalNanos how often a waiting standby repeats its hello. @return this. */
    public ReplicationContext helloIntervalNanos(final long helloIntervalNanos)
    {
        this.helloIntervalNanos = helloIntervalNanos;
        return this;
    }

    /** @return how often a waiting standby repeats its hello, ns. */
    public long helloIntervalNanos()
    {
        return helloIntervalNanos;
    }

    /**
     * @param threadFactory makes the replicator's and the follower's agent threads. Default: plain threads.
     * @return this.
     */
    public ReplicationContext threadFactory(final ThreadFactory threadFactory)
    {
        this.threadFactory = threadFactory;
        return this;
    }

    /** @return makes the replicator's and the follower's agent threads. */
    public ThreadFactory threadFactory()
    {
        return threadFactory;
    }

    /** @param standbyTimeoutNanos silence after which a standby's catch-up stops. @return this. */
    public ReplicationContext standbyTimeoutNanos(final long standbyTimeoutNanos)
    {
        this.standbyTimeoutNanos = standbyTimeoutNanos;
        return this;
    }

    /** @return silence after which a standby's catch-up stops, ns. */
    public long standbyTimeoutNanos()
    {
        return standbyTimeoutNanos;
    }

    /** @param termLengthBytes term length of the replication publications. @return this. */
    public ReplicationContext termLength(final int termLengthBytes)
    {
        this.termLengthBytes = termLengthBytes;
        return this;
    }

    /** @return term length of the replication publications. */
    public int termLength()
    {
        return termLengthBytes;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "ReplicationContext{recordsChannel=" + recordsChannel + ", controlChannel=" + controlChannel +
            ", streamId=" + streamId + ", mode=" + mode + '}';
    }
}
