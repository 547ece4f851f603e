package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps one zero-filled spare segment file ready, written on its own thread, so a roll on the appending thread
 * only writes a header and renames instead of writing a whole segment of zeros. If no spare is ready when the
 * journal rolls (still being written, or its creation failed, e.g. disk full) the journal creates the segment
 * itself, and any I/O error surfaces there.
 * <p>
 * The thread is parked except while writing a spare, once per segment.
 */
final class SegmentPreallocator implements Runnable, AutoCloseable
{
    static final String SPARE_NAME = "spare" + SegmentDescriptor.TEMP_SUFFIX;

    private static final int IDLE = 0;
    private static final int REQUESTED = 1;
    private static final int READY = 2;
    private static final int CLOSED = 3;
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Path spare;
    private final int segmentLength;
    private final ByteBuffer zeros = Segments.zeroChunk();
    private final Thread thread;
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
     * Ask for a spare to be written if none is ready or being written. Appending thread only.
     */
    void request()
    {
        if (state.compareAndSet(IDLE, REQUESTED))
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Take the ready spare, if there is one. Appending thread only.
     *
     * @return the spare file, now owned by the caller, or null.
     */
    Path take()
    {
        return state.compareAndSet(READY, IDLE) ? spare : null;
    }

    /**
     * @return the last failure writing a spare, or null.
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
            try
            {
                Files.deleteIfExists(spare);
                Segments.preallocate(spare, segmentLength, zeros);
                if (!state.compareAndSet(REQUESTED, READY))
                {
                    Files.deleteIfExists(spare);
                }
            }
            catch (final IOException ex)
            {
                lastFailure = ex;
                state.compareAndSet(REQUESTED, IDLE);
            }
        }
    }

    /**
     * Stop the thread and delete any spare. Safe to call more than once.
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
