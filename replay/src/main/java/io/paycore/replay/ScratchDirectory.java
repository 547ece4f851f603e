package io.paycore.replay;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A temporary directory that is deleted with everything in it when closed, or when the JVM exits before that: a
 * signal that ends the JVM (SIGTERM, SIGINT) skips {@code finally} blocks but runs shutdown hooks. Resources that
 * write into it can be closed first ({@link #closeFirst}).
 * <p>
 * A process killed outright (SIGKILL, a crash) runs no hook and leaves its directory behind, which may hold a journal
 * or a cold tier of gigabytes. So each directory holds a lock file ({@value #LOCK_FILE}) on which its process keeps
 * an exclusive lock for the directory's life; the operating system releases the lock when the process ends, however
 * it ends. Making a new scratch directory first deletes every {@code paycore-*} directory beside it whose lock file
 * can be locked: one whose process has ended. A directory whose lock is held (a live process, in this or any other
 * PID namespace sharing the file system), one without the lock file (made by a paycore before 2026-12-07, or not by
 * paycore), one another user owns, and a symbolic link are left alone.
 */
public final class ScratchDirectory implements AutoCloseable
{
    /**
     * Name of the lock file inside each scratch directory.
     */
    public static final String LOCK_FILE = ".paycore-scratch.lock";

    /**
     * Names of the directories {@link #create} looks through for abandoned ones.
     */
    static final String ABANDONED_GLOB = "paycore-*";

    /**
     * The lock files this JVM holds. It never opens one of them a second time: closing any descriptor of a file
     * drops every POSIX lock the process holds on it, so a look at its own directory would unlock it.
     */
    private static final Set<Path> HELD_LOCKS = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final Thread deleteAtExit;
    private final List<AutoCloseable> closeFirst = new CopyOnWriteArrayList<>();

    private ScratchDirectory(final Path path, final Path lockFile, final FileChannel lockChannel)
    {
        this.path = path;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.deleteAtExit = new Thread(this::delete, "paycore-scratch-delete");
        Runtime.getRuntime().addShutdownHook(deleteAtExit);
    }

    /**
     * @param prefix of the directory's name, in the system's temporary directory.
     * @return the new, empty directory (but for its lock file).
     * @throws IOException if it cannot be made.
     */
    public static ScratchDirectory create(final String prefix) throws IOException
    {
        return create(null, prefix);
    }

    /**
     * @param parent where to make it, or null for the system's temporary directory; made if missing.
     * @param prefix of the directory's name.
     * @return the new, empty directory (but for its lock file).
     * @throws IOException if it cannot be made.
     */
    public static ScratchDirectory create(final Path parent, final String prefix) throws IOException
    {
        final Path parentDirectory = null == parent ?
            Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(parent);
        deleteAbandoned(parentDirectory);
        final Path path = Files.createTempDirectory(parentDirectory, prefix);
        final Path lockFile = path.resolve(LOCK_FILE).toAbsolutePath();
        final FileChannel lockChannel;
        try
        {
            lockChannel = lock(path, lockFile);
        }
        catch (final IOException | RuntimeException ex)
        {
            IoUtil.delete(path.toFile(), true);
            throw ex;
        }
        return new ScratchDirectory(path, lockFile, lockChannel);
    }

    /**
     * The lock is taken on a file of another name, renamed into place once held: a directory's lock file is never
     * seen unlocked while its process lives.
     */
    private static FileChannel lock(final Path path, final Path lockFile) throws IOException
    {
        final Path unnamed = path.resolve(LOCK_FILE + ".new");
        final FileChannel channel = FileChannel.open(unnamed, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try
        {
            channel.lock();
            HELD_LOCKS.add(lockFile);
            Files.move(unnamed, lockFile, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            HELD_LOCKS.remove(lockFile);
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    /**
     * Delete the scratch directories in a parent that a process left when it ended without deleting them.
     *
     * @param parent to look through; nothing happens if it cannot be listed.
     * @return how many were deleted.
     */
    public static int deleteAbandoned(final Path parent)
    {
        int deleted = 0;
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, ABANDONED_GLOB))
        {
            for (final Path candidate : candidates)
            {
                if (deleteIfAbandoned(candidate))
                {
                    deleted++;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not fatal: what is left only takes room.
        }
        return deleted;
    }

    private static boolean deleteIfAbandoned(final Path candidate)
    {
        final Path lockFile = candidate.resolve(LOCK_FILE).toAbsolutePath();
        if (!Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS) ||
            !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS) ||
            HELD_LOCKS.contains(lockFile))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock())
        {
            if (null == lock)
            {
                return false;
            }
            deleteTree(candidate);
            return true;
        }
        catch (final IOException | OverlappingFileLockException ex)
        {
            // Another user's, or going away as we look: left alone.
            return false;
        }
    }

    /**
     * Delete a tree without following symbolic links: a link is deleted, not what it names.
     */
    private static void deleteTree(final Path root) throws IOException
    {
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException
            {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            public FileVisitResult postVisitDirectory(final Path directory, final IOException ex) throws IOException
            {
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * @return the directory.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Close a resource that writes into the directory (processes of a local cluster, say) before the directory is
     * deleted: on {@link #close()}, and from the shutdown hook when a signal ends the JVM first, so that the
     * resource's own shutdown does not race the deletion. The last added is closed first.
     *
     * @param resource closed quietly; closing it again must be harmless.
     * @return this.
     */
    public ScratchDirectory closeFirst(final AutoCloseable resource)
    {
        closeFirst.add(0, resource);
        return this;
    }

    /**
     * Forget a resource given to {@link #closeFirst} that its owner has closed, so that the directory no longer
     * holds on to it (a closed service still refers to its ledger, which may be most of the heap).
     *
     * @param resource closed already.
     * @return this.
     */
    public ScratchDirectory forget(final AutoCloseable resource)
    {
        closeFirst.remove(resource);
        return this;
    }

    /**
     * Delete the directory and everything in it, as far as it can be, now.
     */
    public void close()
    {
        delete();
        try
        {
            Runtime.getRuntime().removeShutdownHook(deleteAtExit);
        }
        catch (final IllegalStateException ex)
        {
            // The JVM is exiting: the hook runs too, and finds nothing left to delete.
        }
    }

    private void delete()
    {
        for (final AutoCloseable resource : closeFirst)
        {
            CloseHelper.quietClose(resource);
        }
        IoUtil.delete(path.toFile(), true);
        // Unlocked only once deleted, so that no other process takes it for abandoned while it is being deleted.
        CloseHelper.quietClose(lockChannel);
        HELD_LOCKS.remove(lockFile);
    }
}
