package io.paycore.core.cold;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The copies of the LMDB library that killed processes left in a cold tier's directory are deleted, and nothing
 * else is; once a cold tier has been opened in this JVM, lmdbjava extracts into a directory that is set.
 */
class LmdbNativeLibraryTest
{
    @TempDir
    Path temp;

    @Test
    void shouldDeleteOnlyLeftoverCopies() throws Exception
    {
        final Path first = Files.writeString(temp.resolve(LmdbNativeLibrary.COPY_PREFIX + "123.so"), "x");
        final Path second = Files.writeString(temp.resolve(LmdbNativeLibrary.COPY_PREFIX + "456.so"), "y");
        final Path data = Files.writeString(temp.resolve("data.mdb"), "keep");
        final Path lock = Files.writeString(temp.resolve("lock.mdb"), "keep");

        assertEquals(2, LmdbNativeLibrary.removeLeftovers(temp));

        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
        assertTrue(Files.exists(data));
        assertTrue(Files.exists(lock));
        assertEquals(0, LmdbNativeLibrary.removeLeftovers(temp.resolve("missing")), "a missing directory is no error");
    }

    @Test
    void shouldExtractIntoTheFirstWritableStoresDirectory() throws Exception
    {
        final Path directory = temp.resolve("cold");
        Files.createDirectories(directory);
        final Path leftover = Files.writeString(directory.resolve(LmdbNativeLibrary.COPY_PREFIX + "789.so"), "z");
        final String before = System.getProperty(LmdbNativeLibrary.EXTRACT_DIR_PROPERTY);

        try (LmdbColdStore ignored = new LmdbColdStore(directory, 1L << 20))
        {
            final String after = System.getProperty(LmdbNativeLibrary.EXTRACT_DIR_PROPERTY);
            assertNotNull(after, "lmdbjava is told where to extract");
            if (null == before)
            {
                // The first writable store of this JVM: its directory, cleaned of what a dead process left.
                assertEquals(directory.toAbsolutePath().toString(), after);
                assertFalse(Files.exists(leftover));
            }
            else
            {
                assertEquals(before, after, "set once, then left alone");
                assertTrue(Files.exists(leftover), "only the directory extracted into is cleaned");
            }
        }
    }
}
