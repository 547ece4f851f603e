package io.paycore.replay;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary directory that is deleted with everything in it when closed, or when the JVM exits before that: a
 * signal that ends the JVM (SIGTERM, SIGINT) skips {@code finally} blocks but runs shutdown hooks.
 */
public final class ScratchDirectory implements AutoCloseable
{
    private final Path path;
    private final Thread deleteAtExit;

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
        IoUtil.delete(path.toFile(), true);
    }
}
