package io.paycore.service.feed;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.agrona.CloseHelper;

/**
 * A change-feed publisher's state directory: the lock that lets one publisher at a time use it, and the progress
 * file that holds the timestamp of the last change the broker confirmed, so that a restart resumes after it.
 * <ul>
 *     <li>{@value #LOCK_FILE_NAME}: an exclusive lock held while the publisher runs (released by the operating
 *     system when it dies, even of SIGKILL); it holds the holder's process id, for the error a second one gets.</li>
 *     <li>{@value #PROGRESS_FILE_NAME}: one line, the last confirmed change's timestamp in epoch nanoseconds;
 *     written to {@value #PROGRESS_TEMP_FILE_NAME}, forced to disk and renamed over it atomically, so a reader
 *     (or a restart after a crash) sees the old value or the new one, never a mix.</li>
 * </ul>
 * <b>Threading</b>: one thread uses a state.
 */
public final class FeedState implements AutoCloseable
{
    /** The lock file's name in a state directory. */
    public static final String LOCK_FILE_NAME = "lock";

    /** The progress file's name in a state directory. */
    public static final String PROGRESS_FILE_NAME = "progress";

    /** Where progress is written before it is renamed over {@value #PROGRESS_FILE_NAME}. */
    public static final String PROGRESS_TEMP_FILE_NAME = "progress.tmp";

    private static final int PROGRESS_LENGTH_MAX = 64;

    private final Path directory;
    private final Path progressFile;
    private final Path progressTempFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final byte[] progressBytes = new byte[PROGRESS_LENGTH_MAX];
    private long lastWrittenTimestampNanos;
    private boolean closed;

    private FeedState(final Path directory, final FileChannel lockChannel, final FileLock lock)
    {
        this.directory = directory;
        this.progressFile = directory.resolve(PROGRESS_FILE_NAME);
        this.progressTempFile = directory.resolve(PROGRESS_TEMP_FILE_NAME);
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Make the state directory if missing and take its lock.
     *
     * @param directory the publisher's state directory.
     * @return the state, locked until {@link #close()}.
     * @throws FeedStateLockedException if another publisher (in this process or another) holds the lock.
     * @throws UncheckedIOException     if the directory or its lock file cannot be made.
     */
    public static FeedState open(final Path directory)
    {
        final Path lockFile = directory.resolve(LOCK_FILE_NAME);
        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            if (null == lock)
            {
                final String holder = readHolder(lockFile);
                channel.close();
                throw new FeedStateLockedException("another publisher holds the state directory " +
                    directory.toAbsolutePath() + " (" + lockFile + " is locked" +
                    (holder.isEmpty() ? "" : " by process " + holder) + "); one publisher at a time per state " +
                    "directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                0);
            return new FeedState(directory, channel, lock);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("cannot lock the state directory " + directory.toAbsolutePath() + ": " +
                ex, ex);
        }
    }

    /**
     * @return the state directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Read the progress file.
     *
     * @return the timestamp of the last confirmed change, or 0 if no progress was ever written.
     * @throws IllegalStateException if the file holds something other than a timestamp.
     * @throws UncheckedIOException  if it cannot be read.
     */
    public long readProgress()
    {
        final String text;
        try
        {
            text = Files.readString(progressFile, StandardCharsets.US_ASCII).trim();
        }
        catch (final NoSuchFileException ex)
        {
            return 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the progress file " + progressFile + ": " + ex, ex);
        }
        try
        {
            final long timestampNanos = Long.parseLong(text);
            if (timestampNanos < 0)
            {
                throw new NumberFormatException("negative");
            }
            lastWrittenTimestampNanos = timestampNanos;
            return timestampNanos;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalStateException("the progress file " + progressFile + " does not hold a timestamp " +
                "(epoch nanoseconds): '" + text + "'; fix or delete it (deleting it republishes from --from)");
        }
    }

    /**
     * Write the progress file if the timestamp moved since the last write: temporary file, forced, then renamed. An
     * interrupt of the calling thread does not stop the write, and stays set.
     *
     * @param lastConfirmedTimestampNanos the last confirmed change's timestamp.
     * @return true if the file was written.
     * @throws UncheckedIOException if it cannot be written.
     */
    public boolean writeProgress(final long lastConfirmedTimestampNanos)
    {
        if (lastConfirmedTimestampNanos == lastWrittenTimestampNanos)
        {
            return false;
        }
        if (lastConfirmedTimestampNanos < lastWrittenTimestampNanos)
        {
            throw new IllegalStateException("progress must not go back: " + lastConfirmedTimestampNanos + " < " +
                lastWrittenTimestampNanos);
        }

        final String line = lastConfirmedTimestampNanos + "\n";
        final int length = line.length();
        for (int i = 0; i < length; i++)
        {
            progressBytes[i] = (byte)line.charAt(i);
        }
        // A stream, not a FileChannel: an interrupt of the writing thread (AgentRunner.close() interrupts an agent
        // slow to close) would close a channel mid-write and lose the progress of what the broker confirmed.
        try (FileOutputStream stream = new FileOutputStream(progressTempFile.toFile()))
        {
            stream.write(progressBytes, 0, length);
            stream.getFD().sync();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + progressTempFile + ": " + ex, ex);
        }
        try
        {
            Files.move(progressTempFile, progressFile, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot rename " + progressTempFile + " to " + progressFile + ": " + ex,
                ex);
        }
        lastWrittenTimestampNanos = lastConfirmedTimestampNanos;
        return true;
    }

    /**
     * @return the timestamp last written to (or read from) the progress file; 0 if none.
     */
    public long lastWrittenTimestampNanos()
    {
        return lastWrittenTimestampNanos;
    }

    /**
     * Release the lock; the files stay.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(lock, lockChannel);
        }
    }

    private static String readHolder(final Path lockFile)
    {
        try
        {
            return Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
