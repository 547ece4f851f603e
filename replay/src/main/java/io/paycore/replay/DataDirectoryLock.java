package io.paycore.replay;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Exclusive ownership of a {@link DataDirectory}: an OS lock on its mark file, {@code DIR/paycore-mark.dat}, so
 * that two processes never append to (or repair the tail of) the same journal. The OS releases it when the process
 * dies, however it dies, so a crash never leaves a stale owner behind: the next owner takes the mark file over.
 * While held, the mark file ({@link PaycoreMarkFile}) says which process owns the directory and since when, and
 * holds the service's distinct error log; it stays on disk after the owner stops or dies, for post-mortems.
 * <p>
 * <b>Threading</b>: acquire and close from one thread. Closing twice is safe.
 */
public final class DataDirectoryLock implements AutoCloseable
{
    private final DataDirectory directory;
    private final FileChannel channel;
    private final FileLock lock;
    private final PaycoreMarkFile markFile;

    private DataDirectoryLock(
        final DataDirectory directory, final FileChannel channel, final FileLock lock, final PaycoreMarkFile markFile)
    {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
        this.markFile = markFile;
    }

    /**
     * Create the data directory if needed and take its mark file, without waiting, with the error log length of
     * {@link PaycoreMarkFile#errorLogLengthBytesFromProperty()}.
     *
     * @param directory to own.
     * @return the held lock.
     * @throws IllegalStateException if another process (or another owner in this one) holds it, or on an I/O
     *                               error; the message names the mark file.
     */
    public static DataDirectoryLock acquire(final DataDirectory directory)
    {
        return acquire(directory, PaycoreMarkFile.errorLogLengthBytesFromProperty());
    }

    /**
     * Create the data directory if needed and take its mark file, without waiting: lock it, then write a new one
     * (pid, start time, version, an empty error log) over whatever a stopped or crashed owner left.
     *
     * @param directory           to own.
     * @param errorLogLengthBytes length of the mark file's error log, {@link PaycoreMarkFile#ERROR_LOG_LENGTH_MIN_BYTES}
     *                            .. {@link PaycoreMarkFile#ERROR_LOG_LENGTH_MAX_BYTES}.
     * @return the held lock.
     * @throws IllegalStateException    if another process (or another owner in this one) holds it, or on an I/O
     *                                  error (a full disk, say); the message names the mark file.
     * @throws IllegalArgumentException if the error log length is out of its limits.
     */
    public static DataDirectoryLock acquire(final DataDirectory directory, final int errorLogLengthBytes)
    {
        PaycoreMarkFile.checkErrorLogLength(errorLogLengthBytes);
        final Path file = directory.markFile();
        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory.root());
            channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
                    "paycore process" + owner(channel) + " (lock held on " + file + ")");
            }
            final PaycoreMarkFile markFile = PaycoreMarkFile.create(
                file, channel, errorLogLengthBytes, paycoreVersion(), SystemEpochClock.INSTANCE);
            final DataDirectoryLock held = new DataDirectoryLock(directory, channel, lock, markFile);
            channel = null;
            return held;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot lock data directory " + directory.root() + " (" + file + "): " +
                ex, ex);
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
     * @return the mark file this process owns: pid, start time, activity timestamp and the error log.
     */
    public PaycoreMarkFile markFile()
    {
        return markFile;
    }

    /**
     * Release the lock; the mark file stays on disk. Safe to call more than once.
     */
    public void close()
    {
        if (channel.isOpen())
        {
            markFile.close();
            try
            {
                lock.release();
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot release " + directory.markFile() + ": " + ex, ex);
            }
        }
    }

    /**
     * Who owns the mark file, read through the channel already open: opening and closing another channel on the
     * file would release this process's OS locks on it, the owner's included when the owner is this process.
     */
    private static String owner(final FileChannel channel) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(PaycoreMarkFile.HEADER_LENGTH);
        while (header.hasRemaining() && channel.read(header, header.position()) > 0)
        {
            // read the whole header, or what there is of it
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        if (header.hasRemaining() || 0 == buffer.getInt(PaycoreMarkFile.VERSION_FIELD_OFFSET))
        {
            return "";
        }
        return " (pid " + buffer.getLong(PaycoreMarkFile.PID_FIELD_OFFSET) + ", started " +
            Instant.ofEpochMilli(buffer.getLong(PaycoreMarkFile.START_TIMESTAMP_FIELD_OFFSET)) + ")";
    }

    private static String paycoreVersion()
    {
        final String version = DataDirectoryLock.class.getPackage().getImplementationVersion();
        return null != version ? version : "development build";
    }
}
