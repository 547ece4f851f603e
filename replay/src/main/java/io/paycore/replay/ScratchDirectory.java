package io.paycore.replay;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A temporary directory that is deleted with everything in it when closed, or when the JVM exits before that: a
 * signal that ends the JVM (SIGTERM, SIGINT) skips {@code finally} blocks but runs shutdown hooks. Resources that
 * write into it can be closed first ({@link #closeFirst}).
 */
public final class ScratchDirectory implements AutoCloseable
{
    private final Path path;
    private final Thread deleteAtExit;
    private final List<AutoCloseable> closeFirst = new CopyOnWriteArrayList<>();

    private ScratchDirectory(final Path path)
    {
        this.path = path;
        this.deleteAtExit = new Thread(this::delete, "paycore-scratch-delete");
        Runtime.getRuntime().addShutdownHook(deleteAtExit);
    }

    /**
     * @param prefix of the directory's name, in the system's temporary directory.
     * @return the new, empty directory.
     * @throws IOException if it cannot be made.
     */
    public static ScratchDirectory create(final String prefix) throws IOException
    {
        return new ScratchDirectory(Files.createTempDirectory(prefix));
    }

    /**
     * @param parent where to make it, or null for the system's temporary directory; made if missing.
     * @param prefix of the directory's name.
     * @return the new, empty directory.
     * @throws IOException if it cannot be made.
     */
    public static ScratchDirectory create(final Path parent, final String prefix) throws IOException
    {
        return null == parent ? create(prefix) :
            new ScratchDirectory(Files.createTempDirectory(Files.createDirectories(parent), prefix));
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
    }
}
