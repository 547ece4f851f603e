package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * Keeps up to {@link #SPARES} spare segment files ready, each written full of zeros, mapped and with every page
 * already write-faulted, on its own thread. A roll on the appending thread then only writes a header, forces one page
 * and renames, and the appends that follow do not take a page fault per page. Two spares rather than one keep the
 * thread working while the appender fills a segment faster than one spare can be prepared (on tmpfs, a 64 MiB spare
 * takes about as long to prepare as 64-byte appends take to fill it): the appender then rarely finds none ready.
 * If none is ready when the journal rolls (still being written, or its creation failed, e.g. disk full) the journal
 * creates the segment itself, and any I/O error surfaces there.
 * <p>
 * Spares are named {@code spare-<n>.seg.tmp}, a new {@code n} for each, so a spare being taken and renamed never
 * shares a name with one being prepared. Open deletes any left by a crash. Disk use is bounded by {@link #SPARES}
 * segment lengths beyond the segments themselves.
 * <p>
 * The same thread unmaps the segments the appender has left ({@link #retire}), which also takes milliseconds.
 * <p>
 * While a spare is ready and the appender has been filling segments slowly, the next is prepared in 64 KiB bursts
 * with naps between them, spread over at most half the time the appender took to fill its last segment, so that the
 * thread does not take a core from the appender or the transport for tens of milliseconds at a time. When the
 * appender fills segments about as fast as they can be prepared, or none is ready, it works flat out.
 * <p>
 * It is an Agrona {@link Agent}: each duty cycle unmaps what was retired and prepares at most one spare. Between
 * cycles with no work its runner parks until {@link #request}, {@link #retire} or {@link #close} wakes it: no timed
 * wake-ups on a machine whose cores the hot threads want. Its thread comes from
 * the {@link JournalContext#threadFactory journal's thread factory}.
 */
final class SegmentPreallocator implements Agent, AutoCloseable
{
    /**
     * How many spare segments are kept ready.
     */
    static final int SPARES = 2;

    private static final int RETIRED_CAPACITY = 4;
    private static final String SPARE_PREFIX = "spare-";
    private static final int PAGE_LENGTH = 4096;
    private static final int PACED_CHUNK_LENGTH = 64 * 1024;
    private static final long MAX_NAP_NANOS = 1_000_000;
    private static final long MIN_NAP_NANOS = 20_000;
    static final String ROLE_NAME = "paycore-journal-preallocator";

    private final OneToOneConcurrentArrayQueue<Spare> ready = new OneToOneConcurrentArrayQueue<>(SPARES);
    private final OneToOneConcurrentArrayQueue<MappedByteBuffer> retired =
        new OneToOneConcurrentArrayQueue<>(RETIRED_CAPACITY);
    private final Path directory;
    private final int segmentLengthBytes;
    private final boolean forceSpares;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(PACED_CHUNK_LENGTH);
    private final Runnable pace = this::pace;
    private final AgentRunner runner;
    private volatile boolean requested;
    private volatile boolean closed;
    private volatile IOException lastFailure;
    private long spareCount;
    private long lastTakeNanos;
    private volatile long fillNanos;
    private long napNanos;
    private long napsTakenNanos;
    private long workNanos;

    /**
     * A prepared spare: the file and its read-write mapping, owned by whoever holds this.
     */
    static final class Spare
    {
        final Path file;
        final MappedByteBuffer mapping;

        Spare(final Path file, final MappedByteBuffer mapping)
        {
            this.file = file;
            this.mapping = mapping;
        }
    }

    /**
     * @param forceSpares whether each spare's zeros, and so its length, are forced to the device before it is
     *                    offered: at flush {@code batch} and {@code every}, whose forced records must be found after
     *                    a power cut; not at {@code none}, where forcing 64 MiB a segment bounded the journal's
     *                    append rate by the disk's (35-40% slower in {@code JournalBenchmark}).
     */
    SegmentPreallocator(
        final Path directory, final int segmentLengthBytes, final boolean forceSpares, final ThreadFactory threadFactory)
    {
        this.directory = directory;
        this.segmentLengthBytes = segmentLengthBytes;
        this.forceSpares = forceSpares;
        lastTakeNanos = System.nanoTime();
        runner = new AgentRunner(new ParkUntilWoken(), this::onError, null, this);
        AgentRunner.startOnThread(runner, threadFactory);
    }

    /**
     * File name of the n-th spare.
     *
     * @param n counter.
     * @return the name, which ends in {@link SegmentDescriptor#TEMP_SUFFIX}.
     */
    static String spareName(final long n)
    {
        return SPARE_PREFIX + n + SegmentDescriptor.TEMP_SUFFIX;
    }

    /**
     * Ask for spares to be prepared until {@link #SPARES} are ready. After a failure the thread waits for the next
     * request rather than retrying in a loop. Appending thread only.
     */
    void request()
    {
        requested = true;
        wake();
    }

    /**
     * Take a ready spare, if there is one: the caller then owns its file and mapping. Appending thread only.
     *
     * @return the spare, or null if none is ready.
     */
    Spare take()
    {
        final Spare spare = ready.poll();
        final long nowNanos = System.nanoTime();
        fillNanos = nowNanos - lastTakeNanos;
        lastTakeNanos = nowNanos;

        return spare;
    }

    /**
     * Hand over the mapping of a segment the appender has left, to be unmapped on this thread: unmapping a full
     * segment takes milliseconds. If too many are waiting, or this is closed, it is unmapped here and now. The
     * caller must not touch the mapping again. Appending thread only.
     *
     * @param mapping no longer used by the caller.
     */
    void retire(final MappedByteBuffer mapping)
    {
        if (!closed && retired.offer(mapping))
        {
            wake();
        }
        else
        {
            IoUtil.unmap(mapping);
        }
    }

    /**
     * @return the last failure preparing a spare, or null.
     */
    IOException lastFailure()
    {
        return lastFailure;
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    public int doWork()
    {
        final int unmapped = unmapRetired();
        if (closed || !requested || ready.size() >= SPARES)
        {
            return unmapped;
        }
        prepareSpare();
        return unmapped + 1;
    }

    private void prepareSpare()
    {
        final Path file = directory.resolve(spareName(spareCount++));
        MappedByteBuffer mapping = null;
        final long startNanos = System.nanoTime();
        napsTakenNanos = 0;
        napNanos = napNanos();
        try
        {
            Segments.preallocate(file, segmentLengthBytes, zeros, pace, forceSpares);
            mapping = Segments.mapForWrite(file, segmentLengthBytes);
            for (int i = 0; i < segmentLengthBytes; i += PAGE_LENGTH)
            {
                mapping.put(i, (byte)0);
                if (0 == (i + PAGE_LENGTH) % PACED_CHUNK_LENGTH)
                {
                    pace();
                }
            }
            if (closed || !ready.offer(new Spare(file, mapping)))
            {
                discard(file, mapping);
            }
            workNanos = System.nanoTime() - startNanos - napsTakenNanos;
        }
        catch (final IOException | RuntimeException ex)
        {
            onError(ex);
            requested = false;
            try
            {
                discard(file, mapping);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
        }
    }

    /**
     * Stop the agent, unmap and delete any spares. Safe to call more than once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        wake();
        CloseHelper.quietClose(runner);

        unmapRetired();
        Spare spare;
        while (null != (spare = ready.poll()))
        {
            try
            {
                discard(spare.file, spare.mapping);
            }
            catch (final IOException ex)
            {
                lastFailure = ex;
            }
        }
    }

    /**
     * Between chunks of a spare's preparation: unmap what the appender retired, and, while another spare is ready
     * (the appender has a segment in hand and one to spare), nap for {@link #napNanos()} so that this one is prepared
     * in short bursts rather than holding a core for tens of milliseconds. With none ready, full speed.
     */
    private void pace()
    {
        unmapRetired();
        if (napNanos > 0 && !ready.isEmpty() && !closed)
        {
            final long startNanos = System.nanoTime();
            LockSupport.parkNanos(this, napNanos);
            napsTakenNanos += System.nanoTime() - startNanos;
        }
    }

    /**
     * The nap between two 64 KiB chunks of the next spare: the slack between half the appender's last fill time and
     * the last preparation's working time, spread over the chunks, at most {@value #MAX_NAP_NANOS} ns; 0 (flat out)
     * when there is no slack to speak of or nothing is known yet.
     */
    private long napNanos()
    {
        final long fill = fillNanos;
        final long work = workNanos;
        if (0 == fill || 0 == work)
        {
            return 0;
        }
        final long chunks = 2L * segmentLengthBytes / PACED_CHUNK_LENGTH;
        final long nap = Math.min(MAX_NAP_NANOS, (fill / 2 - work) / chunks);

        return nap >= MIN_NAP_NANOS ? nap : 0;
    }

    private int unmapRetired()
    {
        int unmapped = 0;
        MappedByteBuffer mapping;
        while (null != (mapping = retired.poll()))
        {
            IoUtil.unmap(mapping);
            unmapped++;
        }
        return unmapped;
    }

    private void wake()
    {
        final Thread thread = runner.thread();
        if (null != thread)
        {
            LockSupport.unpark(thread);
        }
    }

    private void onError(final Throwable ex)
    {
        lastFailure = ex instanceof IOException ? (IOException)ex : new IOException(ex);
    }

    private static void discard(final Path file, final MappedByteBuffer mapping) throws IOException
    {
        if (null != mapping)
        {
            IoUtil.unmap(mapping);
        }
        Files.deleteIfExists(file);
    }

    /**
     * Parks an idle cycle until the thread is unparked; once closing, parks no more, so the runner sees it must stop.
     */
    private final class ParkUntilWoken implements IdleStrategy
    {
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        public void idle()
        {
            if (!closed)
            {
                LockSupport.park(SegmentPreallocator.this);
            }
        }

        public void reset()
        {
        }
    }
}
