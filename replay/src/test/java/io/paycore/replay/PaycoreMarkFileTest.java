package io.paycore.replay;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PaycoreMarkFileTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRecordWhoOwnsTheDirectoryAndKeepItAfterClose()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final long beforeMs = System.currentTimeMillis();
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir, 64 * 1024))
        {
            final PaycoreMarkFile markFile = lock.markFile();
            assertEquals(ProcessHandle.current().pid(), markFile.pid());
            assertTrue(markFile.startTimestampMs() >= beforeMs);
            assertEquals(PaycoreMarkFile.MARK_FILE_VERSION, markFile.markFileVersion());
            assertEquals(64 * 1024, markFile.errorLogLengthBytes());
            markFile.updateActivityTimestamp(markFile.startTimestampMs() + 5);
            assertEquals(markFile.startTimestampMs() + 5, markFile.activityTimestampMs());
        }

        assertTrue(Files.exists(dir.markFile()), "the mark file stays for post-mortems");
        try (PaycoreMarkFile markFile = PaycoreMarkFile.openReadOnly(dir.markFile()))
        {
            assertEquals(ProcessHandle.current().pid(), markFile.pid());
            assertEquals("development build", markFile.paycoreVersion());
            assertEquals(0, markFile.readErrors((count, first, last, text) -> {}));
        }
        assertFalse(PaycoreMarkFile.isOwned(dir.markFile()));
    }

    @Test
    void shouldKeepDistinctErrorsWithTheirCountsInTheMarkFileAndCountThem()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final AtomicCounter counter = new AtomicCounter(new UnsafeBuffer(new byte[64]), 0);
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir))
        {
            final PaycoreMarkFile markFile = lock.markFile();
            markFile.errorHandler().onError(new IllegalStateException("before the counter"));
            markFile.errorCounter(counter);
            assertEquals(1, counter.get());
            for (int i = 0; i < 3; i++)
            {
                markFile.errorHandler().onError(sameError());
            }
            assertEquals(4, markFile.errorCount());
            assertEquals(4, counter.get());
        }

        final List<String> errors = new ArrayList<>();
        try (PaycoreMarkFile markFile = PaycoreMarkFile.openReadOnly(dir.markFile()))
        {
            assertEquals(2, markFile.readErrors((count, first, last, text) ->
            {
                assertTrue(first <= last);
                errors.add(count + " " + text);
            }));
        }
        assertTrue(errors.get(0).startsWith("1 java.lang.IllegalStateException: before the counter"), errors.get(0));
        assertTrue(errors.get(1).startsWith("3 java.io.IOException: snapshot directory unwritable"), errors.get(1));
        assertTrue(errors.get(1).contains("at io.paycore.replay.PaycoreMarkFileTest.sameError"), errors.get(1));
    }

    @Test
    void shouldDropErrorsAfterCloseInsteadOfWritingToAnUnmappedFile()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
        final PaycoreMarkFile markFile = lock.markFile();
        lock.close();
        lock.close();

        markFile.errorHandler().onError(new IllegalStateException("late"));

        assertEquals(0, markFile.errorCount());
    }

    @Test
    void shouldRefuseASecondOwnerNamingTheFirst()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        try (DataDirectoryLock ignored = DataDirectoryLock.acquire(dir))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> DataDirectoryLock.acquire(dir));
            assertTrue(ex.getMessage().contains(dir.markFile().toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("pid " + ProcessHandle.current().pid()), ex.getMessage());
        }
    }

    @Test
    void shouldTakeOverAMarkFileLeftByAnOwnerThatDied() throws IOException
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        Files.createDirectories(dir.root());
        try (FileChannel channel = FileChannel.open(dir.markFile(),
            StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final PaycoreMarkFile left = PaycoreMarkFile.create(
                dir.markFile(), channel, 2 * 1024 * 1024, "0.0.1", () -> 1_000L);
            left.errorHandler().onError(new IllegalStateException("from the dead owner"));
            left.close();
        }

        final Path saved;
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir, 8 * 1024))
        {
            assertEquals(8 * 1024, lock.markFile().errorLogLengthBytes());
            assertTrue(lock.markFile().startTimestampMs() > 1_000L);
            assertEquals(0, lock.markFile().readErrors((count, first, last, text) -> {}));
            saved = lock.previousErrorsFile();
        }
        assertEquals(PaycoreMarkFile.HEADER_LENGTH + 8 * 1024, Files.size(dir.markFile()));

        assertEquals(dir.root().resolve("paycore-errors-19700101-000001-000-" + ProcessHandle.current().pid() +
            ".txt"), saved);
        final String text = Files.readString(saved);
        assertTrue(text.startsWith("paycore 0.0.1, pid " + ProcessHandle.current().pid() +
            ", started 1970-01-01T00:00:01Z"), text);
        assertTrue(text.contains("1 observation(s) from "), text);
        assertTrue(text.contains("java.lang.IllegalStateException: from the dead owner"), text);
        assertTrue(text.contains("1 distinct error(s)"), text);

        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir))
        {
            assertNull(lock.previousErrorsFile(), "an owner that left no errors leaves nothing to save");
        }
    }

    @Test
    void shouldRefuseAnErrorLogLengthOutsideItsLimits()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
            () -> DataDirectoryLock.acquire(dir, PaycoreMarkFile.ERROR_LOG_LENGTH_MIN_BYTES - 1));
        assertTrue(tooSmall.getMessage().contains(PaycoreMarkFile.ERROR_LOG_LENGTH_PROP_NAME), tooSmall.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> DataDirectoryLock.acquire(dir, PaycoreMarkFile.ERROR_LOG_LENGTH_MAX_BYTES + 1));
        assertFalse(Files.exists(dir.markFile()));
    }

    @Test
    void shouldSayClearlyWhenThereIsNoMarkFileOrItIsNotOne() throws IOException
    {
        final Path missing = temp.resolve(DataDirectory.MARK_FILE_NAME);
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> PaycoreMarkFile.openReadOnly(missing));
        assertTrue(none.getMessage().contains("no paycore mark file " + missing), none.getMessage());

        Files.write(missing, new byte[10]);
        final IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
            () -> PaycoreMarkFile.openReadOnly(missing));
        assertTrue(tooShort.getMessage().contains("is not a paycore mark file"), tooShort.getMessage());

        Files.write(missing, new byte[PaycoreMarkFile.HEADER_LENGTH]);
        final IllegalArgumentException notReady = assertThrows(IllegalArgumentException.class,
            () -> PaycoreMarkFile.openReadOnly(missing));
        assertTrue(notReady.getMessage().contains("is not ready"), notReady.getMessage());
    }

    private static IOException sameError()
    {
        return new IOException("snapshot directory unwritable");
    }
}
