package io.paycore.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScratchDirectory} deletes what is in it when closed, once or more, after closing what writes into it. That
 * it also goes when a signal ends the JVM is tested with whole processes: {@code DemoCommandTest},
 * {@code ServeWarmUpTest} and {@code ClusterDemoTest} in the service.
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
    void shouldCloseWhatWritesIntoItBeforeDeletingItLastAddedFirst() throws Exception
    {
        final ScratchDirectory scratch = ScratchDirectory.create(temp, "paycore-test-");
        final Path path = scratch.path();
        final List<String> closed = new ArrayList<>();
        scratch
            .closeFirst(() -> closed.add("first added, directory there: " + Files.isDirectory(path)))
            .closeFirst(() ->
            {
                closed.add("last added, directory there: " + Files.isDirectory(path));
                throw new IllegalStateException("a resource that fails to close does not stop the deletion");
            });

        scratch.close();

        assertEquals(List.of("last added, directory there: true", "first added, directory there: true"), closed);
        assertFalse(Files.exists(path));
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
