package io.paycore.service.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.agrona.CloseHelper;

/**
 * An exclusive lock on a publisher's state directory ({@value #FILE_NAME} in it), held for as long as the publisher
 * runs, so that a second publisher given the same directory refuses to start instead of publishing beside the
 * first. The operating system releases it when the process dies, SIGKILL included, so a crash leaves nothing to
 * clean up. The file names the holder (pid and start time) for the refusal's message.
 */
public final class StateDirectoryLock implements AutoCloseable
{
    /** The lock file's name in a state directory. */
    public static final String FILE_NAME = "publisher.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private StateDirectoryLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Take the lock, making the directory if it is missing.
     *
     * @param stateDirectory the publisher's state directory.
     * @return the lock, held until closed or the process ends.
     * @throws LockedException      if another publisher (in this process or another) holds it.
     * @throws UncheckedIOException if the directory or the file cannot be made.
     */
    public static StateDirectoryLock acquire(final Path stateDirectory)
    {
        return acquire(stateDirectory, "publisher");
    }

    /**
     * Take the lock, making the directory if it is missing.
     *
     * @param stateDirectory the state directory.
     * @param holder         what holds such a directory, for the refusal's message ("publisher", "feed server").
     * @return the lock, held until closed or the process ends.
     * @throws LockedException      if another one (in this process or another) holds it.
     * @throws UncheckedIOException if the directory or the file cannot be made.
     */
    public static StateDirectoryLock acquire(final Path stateDirectory, final String holder)
    {
        final Path file = stateDirectory.resolve(FILE_NAME);
        FileChannel channel = null;
        try
        {
            Files.createDirectories(stateDirectory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
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
                final String owner = owner(channel);
                channel.close();
                throw new LockedException("the state directory " + stateDirectory.toAbsolutePath() +
                    " is in use by another " + holder + (owner.isEmpty() ? "" : " (" + owner + ")") +
                    ": one " + holder + " at a time; stop it, or give this one a state directory of its own");
            }
            final byte[] owner = ("pid " + ProcessHandle.current().pid() + ", started " + Instant.now())
                .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner), 0);
            return new StateDirectoryLock(channel, lock);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("cannot lock the state directory " + stateDirectory + ": " + ex, ex);
        }
    }

    /**
     * Release the lock; the file stays. Closing twice is safe.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.quietClose(lock);
            CloseHelper.quietClose(channel);
        }
    }

    private static String owner(final FileChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString().trim();
    }

    /**
     * Another publisher holds the state directory.
     */
    public static final class LockedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message naming the directory and the holder.
         */
        public LockedException(final String message)
        {
            super(message);
        }
    }
}
