package io.paycore.journal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.ThreadFactory;

import org.agrona.SystemUtil;

/**
 * Configuration for {@link Journal#open(JournalContext)}. Fluent setters; each value defaults from a system
 * property, named by the {@code *_PROP_NAME} constant beside its {@code *_DEFAULT}. Sizes accept Agrona's size
 * suffixes ({@code 64k}, {@code 16m}, {@code 1g}).
 * <p>
 * Limits, checked by {@link #conclude()} with an error naming the property:
 * <ul>
 *     <li>segment length: {@link #SEGMENT_LENGTH_MIN} (64 KiB) to {@link #SEGMENT_LENGTH_MAX} (1 GiB), a multiple
 *     of {@link #SEGMENT_LENGTH_MULTIPLE} (4 KiB, one page); a power of two is not required.</li>
 *     <li>maximum record length (payload bytes): 0 to {@link #MAX_RECORD_LENGTH_LIMIT} (16 MiB), and a record of
 *     that length plus its header must fit in an empty segment.</li>
 * </ul>
 * Not thread safe; configure on one thread, then open.
 */
public final class JournalContext
{
    /**
     * Directory holding the segment files.
     */
    public static final String DIRECTORY_PROP_NAME = "paycore.journal.dir";

    /**
     * Default for {@link #DIRECTORY_PROP_NAME}.
     */
    public static final String DIRECTORY_DEFAULT = "journal";

    /**
     * Length of each segment file in bytes.
     */
    public static final String SEGMENT_LENGTH_PROP_NAME = "paycore.journal.segment.length";

    /**
     * Default for {@link #SEGMENT_LENGTH_PROP_NAME}: 64 MiB.
     */
    public static final int SEGMENT_LENGTH_DEFAULT = 64 * 1024 * 1024;

    /**
     * Smallest segment length accepted: 64 KiB.
     */
    public static final int SEGMENT_LENGTH_MIN = 64 * 1024;

    /**
     * Largest segment length accepted: 1 GiB.
     */
    public static final int SEGMENT_LENGTH_MAX = 1024 * 1024 * 1024;

    /**
     * Segment lengths must be a multiple of this (the page size).
     */
    public static final int SEGMENT_LENGTH_MULTIPLE = 4096;

    /**
     * Largest payload, in bytes, that {@link Journal#append} accepts.
     */
    public static final String MAX_RECORD_LENGTH_PROP_NAME = "paycore.journal.max.record.length";

    /**
     * Default for {@link #MAX_RECORD_LENGTH_PROP_NAME}: 16 KiB.
     */
    public static final int MAX_RECORD_LENGTH_DEFAULT = 16 * 1024;

    /**
     * Upper bound on {@link #MAX_RECORD_LENGTH_PROP_NAME}: 16 MiB.
     */
    public static final int MAX_RECORD_LENGTH_LIMIT = 16 * 1024 * 1024;

    /**
     * Flush level: {@code none}, {@code batch} or {@code every}; see {@link FlushLevel}.
     */
    public static final String FLUSH_LEVEL_PROP_NAME = "paycore.journal.flush.level";

    /**
     * Default for {@link #FLUSH_LEVEL_PROP_NAME}.
     */
    public static final FlushLevel FLUSH_LEVEL_DEFAULT = FlushLevel.BATCH;

    /**
     * Whether a background thread keeps the next two segment files preallocated (zeros written, pages faulted) so a
     * roll on the appending thread only writes a header and renames: {@code true} or {@code false}.
     */
    public static final String PREALLOCATE_PROP_NAME = "paycore.journal.preallocate";

    /**
     * Default for {@link #PREALLOCATE_PROP_NAME}.
     */
    public static final boolean PREALLOCATE_DEFAULT = true;

    private static final ThreadFactory DAEMON_THREADS = (runnable) ->
    {
        final Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

    private Path directory;
    private boolean preallocate;
    private int segmentLengthBytes;
    private int maxRecordLengthBytes;
    private FlushLevel flushLevel;
    private ThreadFactory threadFactory = DAEMON_THREADS;

    /**
     * A context with every value taken from its system property or default.
     */
    public JournalContext()
    {
        directory = Paths.get(System.getProperty(DIRECTORY_PROP_NAME, DIRECTORY_DEFAULT));
        segmentLengthBytes = SystemUtil.getSizeAsInt(SEGMENT_LENGTH_PROP_NAME, SEGMENT_LENGTH_DEFAULT);
        maxRecordLengthBytes = SystemUtil.getSizeAsInt(MAX_RECORD_LENGTH_PROP_NAME, MAX_RECORD_LENGTH_DEFAULT);
        final String level = System.getProperty(FLUSH_LEVEL_PROP_NAME);
        flushLevel = null == level ? FLUSH_LEVEL_DEFAULT : FlushLevel.parse(level);
        preallocate = PropertyValues.booleanValue(PREALLOCATE_PROP_NAME, PREALLOCATE_DEFAULT);
    }

    /**
     * Check every value against its limits.
     *
     * @return this.
     * @throws JournalException naming the property and its bounds if a value is out of them.
     */
    public JournalContext conclude()
    {
        if (null == directory)
        {
            throw new JournalException(DIRECTORY_PROP_NAME + " must be set");
        }
        if (null == flushLevel)
        {
            throw new JournalException(FLUSH_LEVEL_PROP_NAME + " must be set");
        }
        if (segmentLengthBytes < SEGMENT_LENGTH_MIN || segmentLengthBytes > SEGMENT_LENGTH_MAX ||
            0 != segmentLengthBytes % SEGMENT_LENGTH_MULTIPLE)
        {
            throw new JournalException("journal segment length (--segment-length, " + SEGMENT_LENGTH_PROP_NAME +
                ") " + segmentLengthBytes + " out of bounds: must be " +
                SEGMENT_LENGTH_MIN + ".." + SEGMENT_LENGTH_MAX + " bytes and a multiple of " +
                SEGMENT_LENGTH_MULTIPLE);
        }
        if (maxRecordLengthBytes < 0 || maxRecordLengthBytes > MAX_RECORD_LENGTH_LIMIT)
        {
            throw new JournalException(MAX_RECORD_LENGTH_PROP_NAME + "=" + maxRecordLengthBytes +
                " out of bounds: must be 0.." + MAX_RECORD_LENGTH_LIMIT + " bytes");
        }
        final long largestFrame = RecordDescriptor.alignedFrameLength(maxRecordLengthBytes);
        if (largestFrame > segmentLengthBytes - SegmentDescriptor.HEADER_LENGTH)
        {
            throw new JournalException(MAX_RECORD_LENGTH_PROP_NAME + "=" + maxRecordLengthBytes +
                " does not fit a segment of " + SEGMENT_LENGTH_PROP_NAME + "=" + segmentLengthBytes +
                ": a record needs " + largestFrame + " bytes and a segment holds " +
                (segmentLengthBytes - SegmentDescriptor.HEADER_LENGTH) + "; the least segment length that does is " +
                minSegmentLength(maxRecordLengthBytes));
        }

        return this;
    }

    /**
     * @param maxRecordLengthBytes the largest payload a journal must take, not negative.
     * @return the least segment length {@link #conclude()} accepts with it: at least {@link #SEGMENT_LENGTH_MIN}, a
     * multiple of {@link #SEGMENT_LENGTH_MULTIPLE}, with room for the segment's header and the record's frame.
     */
    public static long minSegmentLength(final int maxRecordLengthBytes)
    {
        final long needed =
            SegmentDescriptor.HEADER_LENGTH + (long)RecordDescriptor.alignedFrameLength(maxRecordLengthBytes);
        final long pages = (needed + SEGMENT_LENGTH_MULTIPLE - 1) / SEGMENT_LENGTH_MULTIPLE;
        return Math.max(SEGMENT_LENGTH_MIN, pages * SEGMENT_LENGTH_MULTIPLE);
    }

    /**
     * @param directory holding the segment files; created if missing.
     * @return this.
     */
    public JournalContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * @return directory holding the segment files.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Length of segments created from now on; existing segments keep their own length.
     *
     * @param segmentLengthBytes see the class limits.
     * @return this.
     */
    public JournalContext segmentLength(final int segmentLengthBytes)
    {
        this.segmentLengthBytes = segmentLengthBytes;
        return this;
    }

    /**
     * @return length in bytes of new segment files.
     */
    public int segmentLength()
    {
        return segmentLengthBytes;
    }

    /**
     * @param maxRecordLengthBytes largest payload accepted by append.
     * @return this.
     */
    public JournalContext maxRecordLength(final int maxRecordLengthBytes)
    {
        this.maxRecordLengthBytes = maxRecordLengthBytes;
        return this;
    }

    /**
     * @return largest payload in bytes accepted by append.
     */
    public int maxRecordLength()
    {
        return maxRecordLengthBytes;
    }

    /**
     * @param flushLevel how appends are forced to disk.
     * @return this.
     */
    public JournalContext flushLevel(final FlushLevel flushLevel)
    {
        this.flushLevel = flushLevel;
        return this;
    }

    /**
     * @return how appends are forced to disk.
     */
    public FlushLevel flushLevel()
    {
        return flushLevel;
    }

    /**
     * @param preallocate true to keep the next segments preallocated and page-faulted on a background thread (up
     *                    to two spare segment files of disk space), false to write each new segment's zeros on the
     *                    appending thread at roll.
     * @return this.
     */
    public JournalContext preallocate(final boolean preallocate)
    {
        this.preallocate = preallocate;
        return this;
    }

    /**
     * @return whether the next segment is preallocated on a background thread.
     */
    public boolean preallocate()
    {
        return preallocate;
    }

    /**
     * @param threadFactory makes the segment preallocator's thread (the service's pins it by its name); default:
     *                      daemon threads.
     * @return this.
     */
    public JournalContext threadFactory(final ThreadFactory threadFactory)
    {
        this.threadFactory = threadFactory;
        return this;
    }

    /**
     * @return makes the segment preallocator's thread.
     */
    public ThreadFactory threadFactory()
    {
        return threadFactory;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "JournalContext{directory=" + directory + ", segmentLengthBytes=" + segmentLengthBytes +
            ", maxRecordLengthBytes=" + maxRecordLengthBytes + ", flushLevel=" + flushLevel + ", preallocate=" + preallocate + '}';
    }
}
