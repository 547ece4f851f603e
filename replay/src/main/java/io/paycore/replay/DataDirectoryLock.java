package io.paycore.replay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of a {@link DataDirectory}: an OS lock on {@code DIR/paycore.lock}, so that two processes
 * never append to (or repair the tail of) the same journal. The OS releases it when the process dies, however it
 * dies, so a crash never leaves a stale lock behind.
 * <p>
 * <b>Threading</b>: acquire and close from one thread. Closing twice is safe.
 */
public final class DataDirectoryLock implements AutoCloseable
{
    private final DataDirectory directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(final DataDirectory directory, final FileChannel channel, final FileLock lock)
    {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Create the data directory if needed and take its lock, without waiting.
     *
     * @param directory to own.
     * @return the held lock.
     * @throws IllegalStateException if another process (or another owner in this one) holds it, or on an I/O
     *                               error; the message names the lock file.
     */
    public static DataDirectoryLock acquire(final DataDirectory directory)
    {
        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory.root());
            channel = FileChannel.open(directory.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ignore)
            {
                // held by another owner in this process: reported below like any other holder
            }
            if (null == lock)
            {
                throw new IllegalStateException("data directory " + directory.root() + " is in use by another " +
                    "paycore process (lock held on " + directory.lockFile() + ")");
            }
            final DataDirectoryLock held = new DataDirectoryLock(directory, channel, lock);
            channel = null;
            return held;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot lock data directory " + directory.root() + " (" +
                directory.lockFile() + "): " + ex, ex);
        }
        finally
        {
            if (null != channel)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // already failing; the first error is the one to report
                }
            }
        }
    }

    /**
     * @return the directory owned.
     */
    public DataDirectory directory()
    {
        return directory;
    }

    /**
     * Release the lock. Safe to call more than once.
     */
    public void close()
    {
        if (channel.isOpen())
        {
            try
            {
                lock.release();
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot release " + directory.lockFile() + ": " + ex, ex);
            }
        }
    }
}
