package io.paycore.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScratchDirectory} deletes what is in it when closed, once or more. That it also goes when a signal ends
 * the JVM is tested with whole processes: {@code DemoCommandTest} and {@code ServeWarmUpTest} in the service.
 */
class ScratchDirectoryTest
{
    @TempDir
    Path temp;

    @Test
    void shouldMakeAnEmptyDirectoryUnderTheParentAndDeleteItAndItsFilesWhenClosed() throws Exception
    {
        final Path parent = temp.resolve("not-yet");
        final ScratchDirectory scratch = ScratchDirectory.create(parent, "paycore-test-");
        final Path path = scratch.path();
        assertEquals(parent, path.getParent());
        assertTrue(path.getFileName().toString().startsWith("paycore-test-"), path.toString());
        try (var entries = Files.list(path))
        {
            assertEquals(0, entries.count());
        }
        Files.createDirectories(path.resolve("journal"));
        Files.writeString(path.resolve("journal").resolve("segment"), "records");

        scratch.close();
        assertFalse(Files.exists(path));

        scratch.close();
        assertFalse(Files.exists(path));
        assertTrue(Files.isDirectory(parent));
    }

    @Test
    void shouldUseTheSystemTemporaryDirectoryWithoutAParent() throws Exception
    {
        try (ScratchDirectory scratch = ScratchDirectory.create(null, "paycore-test-"))
        {
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toRealPath(),
                scratch.path().getParent().toRealPath());
            assertTrue(Files.isDirectory(scratch.path()));
        }
    }
}
