package io.paycore.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The directories a paycore process makes in the system's temporary directory, for tests that check they go.
 */
public final class TemporaryDirectories
{
    private TemporaryDirectories()
    {
    }

    /**
     * @param prefix of the directories' names.
     * @return those now in the system's temporary directory.
     * @throws Exception if it cannot be listed.
     */
    public static Set<Path> named(final String prefix) throws Exception
    {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return entries.filter(path -> path.getFileName().toString().startsWith(prefix))
                .collect(Collectors.toSet());
        }
    }

    /**
     * Wait until the process has made a directory with the prefix that was not there before, with a journal in it
     * (so that there is something to delete).
     *
     * @param prefix    of the directory's name.
     * @param before    those there before the process started.
     * @param process   the process, whose output a timeout shows.
     * @param timeoutMs how long to wait.
     * @return the new directory.
     * @throws Exception if interrupted or the output cannot be read.
     */
    public static Path awaitNewWithJournal(
        final String prefix, final Set<Path> before, final PaycoreProcess process, final long timeoutMs)
        throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        Path directory = null;
        while (null == directory || !Files.isDirectory(directory.resolve("journal")))
        {
            assertTrue(System.currentTimeMillis() < deadline, "no new " + prefix + "* directory with a journal: " +
                process.output());
            directory = named(prefix).stream().filter(path -> !before.contains(path)).findFirst().orElse(null);
            Thread.sleep(20);
        }
        return directory;
    }
}
