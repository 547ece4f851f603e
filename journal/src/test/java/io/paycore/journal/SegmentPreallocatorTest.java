package io.paycore.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentPreallocatorTest
{
    private static final int SEGMENT_LENGTH = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldKeepTwoDistinctZeroedSparesAndStopThere() throws Exception
    {
        final List<String> threadNames = new CopyOnWriteArrayList<>();
        final ThreadFactory factory = (runnable) -> new Thread(() ->
        {
            threadNames.add(Thread.currentThread().getName());
            runnable.run();
        });
        try (SegmentPreallocator preallocator = new SegmentPreallocator(dir, SEGMENT_LENGTH, true, factory))
        {
            assertNull(preallocator.take(), "nothing is prepared before a request");
            preallocator.request();
            awaitTempFiles(SegmentPreallocator.SPARES);
            Thread.sleep(50);
            assertEquals(SegmentPreallocator.SPARES, tempFiles(), "no more than SPARES are prepared");

            final SegmentPreallocator.Spare first = awaitSpare(preallocator);
            final SegmentPreallocator.Spare second = awaitSpare(preallocator);
            assertNotEquals(first.file, second.file);
            for (final SegmentPreallocator.Spare spare : new SegmentPreallocator.Spare[]{ first, second })
            {
                assertEquals(SEGMENT_LENGTH, spare.mapping.capacity());
                assertEquals(SEGMENT_LENGTH, Files.size(spare.file));
                for (int i = 0; i < SEGMENT_LENGTH; i += 4096)
                {
                    assertEquals(0, spare.mapping.get(i));
                }
                IoUtil.unmap(spare.mapping);
                Files.delete(spare.file);
            }

            preallocator.request();
            awaitTempFiles(SegmentPreallocator.SPARES);
            assertNull(preallocator.lastFailure());
        }
        assertEquals(0, tempFiles(), "close deletes the spares it still holds");
        assertEquals(List.of(SegmentPreallocator.ROLE_NAME), threadNames, "one agent thread, from the factory");
    }

    @Test
    void shouldRecordAFailureAndWaitForTheNextRequest() throws Exception
    {
        final Path missing = dir.resolve("missing");
        try (SegmentPreallocator preallocator = new SegmentPreallocator(missing, SEGMENT_LENGTH, true, Thread::new))
        {
            preallocator.request();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (null == preallocator.lastFailure() && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertNotNull(preallocator.lastFailure());
            assertNull(preallocator.take());

            Files.createDirectory(missing);
            preallocator.request();
            final SegmentPreallocator.Spare spare = awaitSpare(preallocator);
            assertTrue(spare.file.startsWith(missing));
            IoUtil.unmap(spare.mapping);
        }
    }

    private static SegmentPreallocator.Spare awaitSpare(final SegmentPreallocator preallocator) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SegmentPreallocator.Spare spare;
        while (null == (spare = preallocator.take()))
        {
            assertTrue(System.nanoTime() < deadline, "no spare within 10 s");
            Thread.sleep(1);
        }

        return spare;
    }

    private void awaitTempFiles(final int count) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tempFiles() < count)
        {
            assertTrue(System.nanoTime() < deadline, "spares not prepared within 10 s");
            Thread.sleep(1);
        }
    }

    private long tempFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter((file) -> file.toString().endsWith(SegmentDescriptor.TEMP_SUFFIX)).count();
        }
    }
}
