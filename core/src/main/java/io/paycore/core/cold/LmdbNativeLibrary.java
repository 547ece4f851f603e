package io.paycore.core.cold;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where lmdbjava puts the LMDB library it extracts. lmdbjava copies it to a new temporary file each time a JVM first
 * opens an environment, and deletes the file when the JVM exits; a process that is killed (a crash, a SIGKILL,
 * {@code kill -9} by a supervisor) leaves its copy behind in {@code java.io.tmpdir}, some 300 KB each time, for
 * ever. paycore has the first writable cold tier of a process extract the library into the tier's own directory
 * instead, after deleting the copies earlier processes on that directory left there, so a directory holds at most
 * the copy of the process that owns it. Every later writable tier of the process has its directory cleaned the same
 * way (the first may be a scratch tier, as a warm-up's is, and the service's own tier opened after it).
 * <p>
 * lmdbjava reads its {@value #EXTRACT_DIR_PROPERTY} property once, when a JVM first opens an environment; an
 * operator who sets it (with {@code -D}) keeps it, and nothing here deletes anything then.
 */
final class LmdbNativeLibrary
{
    /** The directory this JVM had lmdbjava extract into, or null if it did not choose one (yet). */
    private static Path extractedInto;

    /** lmdbjava's property naming the directory it extracts the library into. */
    static final String EXTRACT_DIR_PROPERTY = "lmdbjava.extract.dir";

    /** The start of the name of each copy lmdbjava extracts. */
    static final String COPY_PREFIX = "lmdbjava-native-library-";

    private LmdbNativeLibrary()
    {
    }

    /**
     * Before this JVM opens its first environment: extract the library into {@code directory}, after deleting the
     * copies left there by processes that died. After an earlier call in this JVM: delete the copies in
     * {@code directory} unless it is the one extracted into. No effect when an operator set the property.
     *
     * @param directory the cold tier's directory, owned by this process; it exists.
     */
    static synchronized void extractInto(final Path directory)
    {
        final Path absolute = directory.toAbsolutePath();
        if (null == System.getProperty(EXTRACT_DIR_PROPERTY))
        {
            removeLeftovers(absolute);
            System.setProperty(EXTRACT_DIR_PROPERTY, absolute.toString());
            extractedInto = absolute;
        }
        else if (null != extractedInto && !extractedInto.equals(absolute))
        {
            removeLeftovers(absolute);
        }
    }

    /**
     * Delete the library copies in a directory. A copy a live process still has loaded stays loaded: on Linux a
     * deleted file remains mapped.
     *
     * @param directory to clean; nothing happens if it cannot be listed.
     * @return how many copies were deleted.
     */
    static int removeLeftovers(final Path directory)
    {
        int removed = 0;
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(directory, COPY_PREFIX + "*"))
        {
            for (final Path copy : copies)
            {
                if (Files.deleteIfExists(copy))
                {
                    removed++;
                }
            }
        }
        catch (final IOException ex)
        {
            // Not fatal: the copies only take room. lmdbjava extracts a new one either way.
        }
        return removed;
    }
}
