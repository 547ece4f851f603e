package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import org.agrona.IoUtil;
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
 * The thread is parked except while preparing spares.
 */
final class SegmentPreallocator implements Runnable, AutoCloseable
{
    /**
     * How many spare segments are kept ready.
     */
    static final int SPARES = 2;

    private static final String SPARE_PREFIX = "spare-";
    private static final int PAGE_LENGTH = 4096;
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final OneToOneConcurrentArrayQueue<Spare> ready = new OneToOneConcurrentArrayQueue<>(SPARES);
    private final Path directory;
    private final int segmentLength;
    private final ByteBuffer zeros = Segments.zeroChunk();
    private final Thread thread;
    private volatile boolean requested;
    private volatile boolean closed;
    private volatile IOException lastFailure;
    private long spareCount;

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

    SegmentPreallocator(final Path directory, final int segmentLength)
    {
        this.directory = directory;
        this.segmentLength = segmentLength;
        thread = new Thread(this, "paycore-journal-preallocator");
        thread.setDaemon(true);
        thread.start();
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
        LockSupport.unpark(thread);
    }

    /**
     * Take a ready spare, if there is one: the caller then owns its file and mapping. Appending thread only.
     *
     * @return the spare, or null if none is ready.
     */
    Spare take()
    {
        return ready.poll();
    }

    /**
     * @return the last failure preparing a spare, or null.
     */
    IOException lastFailure()
    {
        return lastFailure;
    }

    public void run()
    {
        while (!closed)
        {
            if (!requested || ready.size() >= SPARES)
            {
                LockSupport.park(this);
                continue;
            }

            final Path file = directory.resolve(spareName(spareCount++));
            MappedByteBuffer mapping = null;
            try
            {
                Segments.preallocate(file, segmentLength, zeros);
                mapping = Segments.mapForWrite(file, segmentLength);
                for (int i = 0; i < segmentLength; i += PAGE_LENGTH)
                {
                    mapping.put(i, (byte)0);
                }
                if (closed || !ready.offer(new Spare(file, mapping)))
                {
                    discard(file, mapping);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                lastFailure = ex instanceof IOException ? (IOException)ex : new IOException(ex);
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
    }

    /**
     * Stop the thread, unmap and delete any spares. Safe to call more than once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        LockSupport.unpark(thread);
        try
        {
            thread.join(CLOSE_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }

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

    private static void discard(final Path file, final MappedByteBuffer mapping) throws IOException
    {
        if (null != mapping)
        {
            IoUtil.unmap(mapping);
        }
        Files.deleteIfExists(file);
    }
}
