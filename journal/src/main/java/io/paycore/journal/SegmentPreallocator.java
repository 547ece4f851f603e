package io.paycore.journal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.agrona.IoUtil;

/**
 * Keeps one spare segment file ready, written full of zeros, mapped and with every page already write-faulted, on
 * its own thread. A roll on the appending thread then only writes a header, forces one page and renames, and the
 * appends that follow do not take a page fault per page. If no spare is ready when the journal rolls (still being
 * written, or its creation failed, e.g. disk full) the journal creates the segment itself, and any I/O error
 * surfaces there.
 * <p>
 * The thread is parked except while preparing a spare, once per segment.
 */
final class SegmentPreallocator implements Runnable, AutoCloseable
{
    static final String SPARE_NAME = "spare" + SegmentDescriptor.TEMP_SUFFIX;

    private static final int IDLE = 0;
    private static final int REQUESTED = 1;
    private static final int READY = 2;
    private static final int CLOSED = 3;
    private static final int PAGE_LENGTH = 4096;
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Path spare;
    private final int segmentLength;
    private final ByteBuffer zeros = Segments.zeroChunk();
    private final Thread thread;
    private final AtomicReference<MappedByteBuffer> spareMapping = new AtomicReference<>();
    private volatile IOException lastFailure;

    SegmentPreallocator(final Path directory, final int segmentLength)
    {
        this.spare = directory.resolve(SPARE_NAME);
        this.segmentLength = segmentLength;
        thread = new Thread(this, "paycore-journal-preallocator");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Ask for a spare to be prepared if none is ready or being prepared. Appending thread only.
     */
    void request()
    {
        if (state.compareAndSet(IDLE, REQUESTED))
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Take the ready spare, if there is one: the caller then owns {@link #spareFile()} and the returned mapping.
     * Appending thread only.
     *
     * @return the spare's read-write mapping, or null if none is ready.
     */
    MappedByteBuffer take()
    {
        if (state.compareAndSet(READY, IDLE))
        {
            return spareMapping.getAndSet(null);
        }

        return null;
    }

    /**
     * @return path of the spare file.
     */
    Path spareFile()
    {
        return spare;
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
        while (true)
        {
            final int current = state.get();
            if (CLOSED == current)
            {
                return;
            }
            if (REQUESTED != current)
            {
                LockSupport.park(this);
                continue;
            }
            MappedByteBuffer mapping = null;
            try
            {
                Files.deleteIfExists(spare);
                Segments.preallocate(spare, segmentLength, zeros);
                mapping = Segments.mapForWrite(spare, segmentLength);
                for (int i = 0; i < segmentLength; i += PAGE_LENGTH)
                {
                    mapping.put(i, (byte)0);
                }
                spareMapping.set(mapping);
                mapping = null;
                if (!state.compareAndSet(REQUESTED, READY))
                {
                    final MappedByteBuffer unused = spareMapping.getAndSet(null);
                    if (null != unused)
                    {
                        IoUtil.unmap(unused);
                    }
                    Files.deleteIfExists(spare);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (null != mapping)
                {
                    IoUtil.unmap(mapping);
                }
                lastFailure = ex instanceof IOException ? (IOException)ex : new IOException(ex);
                try
                {
                    Files.deleteIfExists(spare);
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
                state.compareAndSet(REQUESTED, IDLE);
            }
        }
    }

    /**
     * Stop the thread, unmap and delete any spare. Safe to call more than once.
     */
    public void close()
    {
        if (CLOSED == state.getAndSet(CLOSED))
        {
            return;
        }
        LockSupport.unpark(thread);
        try
        {
            thread.join(CLOSE_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final MappedByteBuffer mapping = spareMapping.getAndSet(null);
        if (null != mapping)
        {
            IoUtil.unmap(mapping);
        }
        try
        {
            Files.deleteIfExists(spare);
        }
        catch (final IOException ex)
        {
            lastFailure = ex;
        }
    }
}
