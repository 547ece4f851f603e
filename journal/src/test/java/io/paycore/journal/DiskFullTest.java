package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the journal on a 1 MiB tmpfs so the disk really fills. Needs permission to mount (root in CI); skipped
 * with a message otherwise.
 */
class DiskFullTest
{
    private static final int MAX = 1000;

    @TempDir
    Path tempDir;

    private Path mount;
    private boolean mounted;
    private Journal journal;

    @BeforeEach
    void mountSmallTmpfs() throws Exception
    {
        mount = tempDir.resolve("small");
        Files.createDirectories(mount);
        final String output = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
        mounted = null == output;
        Assumptions.assumeTrue(mounted, () -> "cannot mount a 1 MiB tmpfs to simulate a full disk " +
            "(needs root or CAP_SYS_ADMIN); disk-full test skipped: " + output);
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (null != journal)
        {
            journal.close();
        }
        if (mounted)
        {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailTheRollCleanlyWhenTheDiskIsFullAndReopenWithEverything() throws Exception
    {
        fillTheDiskThenRecover(false);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailTheRollCleanlyWhenTheDiskIsFullWhilePreallocating() throws Exception
    {
        fillTheDiskThenRecover(true);
    }

    /**
     * With preallocation the spare segment holds disk space: the roll can fail while the spare is being written and
     * closing frees it again, so whether an append right after reopening still fails depends on timing.
     */
    private void fillTheDiskThenRecover(final boolean preallocate) throws Exception
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
        final Path dir = mount.resolve("journal");
        journal = Journal.open(
            TestJournals.context(dir, FlushLevel.BATCH).maxRecordLength(MAX).preallocate(preallocate));
        JournalException failure = null;
        for (int i = 0; i < 100_000 && null == failure; i++)
        {
            try
            {
                TestJournals.appendExpected(journal, scratch, MAX);
                journal.flush();
            }
            catch (final JournalException ex)
            {
                failure = ex;
            }
        }
        assertNotNull(failure, "the 1 MiB tmpfs never filled");
        final long appended = journal.lastSequence();
        assertTrue(appended > 100, "appended " + appended);
        assertEquals(appended, journal.durableSequence());
        assertTrue(hasCause(failure, IOException.class), failure.toString());
        assertTrue(failure.getMessage().contains("roll failed"), failure.getMessage());
        assertEquals(failure, journal.failure());

        final JournalException refused = assertThrows(JournalException.class,
            () -> TestJournals.appendExpected(journal, scratch, MAX));
        assertTrue(refused.getMessage().contains("appends refused"), refused.getMessage());
        assertEquals(appended, journal.lastSequence());
        journal.close();
        assertEquals(0, tempFiles(dir), "a partly created segment or spare was left behind");

        journal = Journal.open(
            TestJournals.context(dir, FlushLevel.BATCH).maxRecordLength(MAX).preallocate(preallocate));
        assertEquals(appended, journal.openReport().lastSequence(), journal.openReport().toString());
        assertEquals(appended, TestJournals.readAll(dir, 1, MAX));
        long reappended = 0;
        if (!preallocate)
        {
            assertThrows(JournalException.class, () -> TestJournals.appendExpected(journal, scratch, MAX));
        }
        else
        {
            try
            {
                TestJournals.appendExpected(journal, scratch, MAX);
                reappended = 1;
            }
            catch (final JournalException ex)
            {
                assertTrue(hasCause(ex, IOException.class), ex.toString());
            }
        }
        journal.close();

        assertEquals(null, run("mount", "-o", "remount,size=4m", mount.toString()));
        journal = Journal.open(
            TestJournals.context(dir, FlushLevel.BATCH).maxRecordLength(MAX).preallocate(preallocate));
        assertEquals(appended + reappended, journal.lastSequence());
        for (int i = 0; i < 100; i++)
        {
            TestJournals.appendExpected(journal, scratch, MAX);
        }
        journal.flush();
        assertEquals(appended + reappended + 100, journal.durableSequence());
        assertEquals(appended + reappended + 100, TestJournals.readAll(dir, 1, MAX));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailTheOpenCleanlyWhenTheFirstSegmentDoesNotFit() throws Exception
    {
        final Path filler = mount.resolve("filler");
        final byte[] chunk = new byte[64 * 1024];
        try (java.io.OutputStream out = Files.newOutputStream(filler))
        {
            for (int i = 0; i < 15; i++)
            {
                out.write(chunk);
            }
        }
        final Path dir = mount.resolve("journal");
        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(TestJournals.context(dir, FlushLevel.BATCH).segmentLength(256 * 1024)));
        assertTrue(hasCause(ex, IOException.class), ex.toString());
        assertEquals(0, tempFiles(dir));
    }

    private static long tempFiles(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter((file) -> file.toString().endsWith(".tmp")).count();
        }
    }

    private static boolean hasCause(final Throwable throwable, final Class<? extends Throwable> type)
    {
        for (Throwable t = throwable; null != t; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }

        return false;
    }

    private static String run(final String... command) throws Exception
    {
        return TestJournals.runCommand(10, command);
    }
}
