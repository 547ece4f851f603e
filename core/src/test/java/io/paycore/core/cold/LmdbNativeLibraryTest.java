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
 * else is, in the directory lmdbjava extracts into and in every later store's; once a cold tier has been opened in
 * this JVM, lmdbjava extracts into a directory that is set.
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
                // A later writable store (the service's own tier after a warm-up's scratch one): cleaned too.
                assertEquals(before, after, "set once, then left alone");
                assertFalse(Files.exists(leftover));
            }
        }

        // And a second store in the same JVM, in another directory, whatever the first was.
        final Path other = temp.resolve("other");
        Files.createDirectories(other);
        final Path otherLeftover = Files.writeString(other.resolve(LmdbNativeLibrary.COPY_PREFIX + "790.so"), "w");
        try (LmdbColdStore ignored = new LmdbColdStore(other, 1L << 20))
        {
            assertFalse(Files.exists(otherLeftover), "a later store's directory is cleaned too");
        }
    }
}
