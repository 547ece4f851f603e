package io.paycore.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScratchDirectory} deletes what is in it when closed, once or more, after closing what writes into it. That
 * it also goes when a signal ends the JVM is tested with whole processes: {@code DemoCommandTest},
 * {@code ServeWarmUpTest} and {@code ClusterDemoTest} in the service. What a SIGKILLed process left is deleted by the
 * next scratch directory made beside it, tested here with a child process.
 */
class ScratchDirectoryTest
{
    @TempDir
    Path temp;

    @Test
    void shouldMakeADirectoryHoldingOnlyItsLockUnderTheParentAndDeleteItAndItsFilesWhenClosed() throws Exception
    {
        final Path parent = temp.resolve("not-yet");
        final ScratchDirectory scratch = ScratchDirectory.create(parent, "paycore-test-");
        final Path path = scratch.path();
        assertEquals(parent, path.getParent());
        assertTrue(path.getFileName().toString().startsWith("paycore-test-"), path.toString());
        try (var entries = Files.list(path))
        {
            assertEquals(List.of(path.resolve(ScratchDirectory.LOCK_FILE)), entries.toList());
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

    @Test
    void shouldDeleteADirectoryWhoseLockNoProcessHoldsAndLeaveEverythingElse() throws Exception
    {
        final Path abandoned = Files.createDirectories(temp.resolve("paycore-demo-1"));
        Files.createFile(abandoned.resolve(ScratchDirectory.LOCK_FILE));
        Files.createDirectories(abandoned.resolve("journal"));
        Files.writeString(abandoned.resolve("journal").resolve("segment"), "records");
        final Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("kept"), "not the scratch directory's");
        Files.createSymbolicLink(abandoned.resolve("link"), outside);
        final Path withoutLock = Files.createDirectories(temp.resolve("paycore-demo-2"));
        final Path otherName = Files.createDirectories(temp.resolve("other-1"));
        Files.createFile(otherName.resolve(ScratchDirectory.LOCK_FILE));
        final Path linkToAbandonedLike = Files.createDirectories(temp.resolve("target-1"));
        Files.createFile(linkToAbandonedLike.resolve(ScratchDirectory.LOCK_FILE));
        Files.createSymbolicLink(temp.resolve("paycore-link-1"), linkToAbandonedLike);

        try (ScratchDirectory live = ScratchDirectory.create(temp, "paycore-test-");
            ScratchDirectory second = ScratchDirectory.create(temp, "paycore-test-"))
        {
            assertFalse(Files.exists(abandoned), "no process holds its lock");
            assertTrue(Files.exists(outside.resolve("kept")), "a link inside is deleted, not what it names");
            assertTrue(Files.isDirectory(withoutLock), "no lock file: not known to be a scratch directory");
            assertTrue(Files.isDirectory(otherName), "not a paycore-* name");
            assertTrue(Files.exists(linkToAbandonedLike.resolve(ScratchDirectory.LOCK_FILE)), "a link is not followed");
            assertTrue(Files.isDirectory(live.path()), "this JVM's own, made before the second, is kept");
            assertTrue(Files.isDirectory(second.path()));
            assertEquals(0, ScratchDirectory.deleteAbandoned(temp), "nothing else abandoned");
            assertTrue(Files.isDirectory(live.path()));
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepADirectoryALiveProcessHoldsAndDeleteItOnceTheProcessIsKilled() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter((argument) -> argument.startsWith("--add-opens")).toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ScratchDirectoryChild.class.getName());
        command.add(temp.toString());
        final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final String line;
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                line = reader.readLine();
            }
            assertNotNull(line, "the child printed no directory");
            final Path childDirectory = Path.of(line);
            assertTrue(Files.isRegularFile(childDirectory.resolve(ScratchDirectory.LOCK_FILE)));

            try (ScratchDirectory ignored = ScratchDirectory.create(temp, "paycore-test-"))
            {
                assertTrue(Files.isDirectory(childDirectory), "its process holds the lock");
            }

            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.isDirectory(childDirectory), "a SIGKILL runs no shutdown hook");

            try (ScratchDirectory ignored = ScratchDirectory.create(temp, "paycore-test-"))
            {
                assertFalse(Files.exists(childDirectory), "deleted by the next scratch directory beside it");
            }
        }
        finally
        {
            child.destroyForcibly();
        }
    }
}
