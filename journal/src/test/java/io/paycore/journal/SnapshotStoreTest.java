package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotStoreTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStreamASnapshotLargerThanAnyBufferAndLoadIt() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir);
        final int chunks = 200;
        final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        try (SnapshotWriter writer = store.newSnapshot(12_345))
        {
            writeChunks(writer, chunk, chunks);
            final Path file = writer.commit();
            assertEquals(SnapshotStore.fileName(12_345), file.getFileName().toString());
        }

        try (Snapshot snapshot = store.loadLatest())
        {
            assertEquals(12_345, snapshot.sequence());
            assertEquals((long)chunks * chunk.capacity(), snapshot.payloadLength());
            final ByteBuffer in = ByteBuffer.allocate(chunk.capacity());
            for (int c = 0; c < chunks; c++)
            {
                in.clear();
                while (in.hasRemaining())
                {
                    assertTrue(snapshot.channel().read(in) > 0);
                }
                for (int i = 0; i < in.capacity(); i++)
                {
                    assertEquals(content(c, i), in.get(i));
                }
            }
            in.clear();
            assertEquals(-1, snapshot.channel().read(in));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldHoldAPacedWriterToItsRateUntilHurried() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        final int chunks = 8;
        final long startNanos = System.nanoTime();
        try (SnapshotWriter writer = store.newSnapshot(1).pace(chunks * chunk.capacity() * 4L, () -> false))
        {
            writeChunks(writer, chunk, chunks);
            writer.commit();
        }
        // Half a megabyte at 2 MiB a second: the last write was due a quarter of a second after the writer was made.
        final long elapsedNanos = System.nanoTime() - startNanos;
        assertTrue(elapsedNanos >= TimeUnit.MILLISECONDS.toNanos(250), "took only " + elapsedNanos + " ns");

        // At one byte a second the first write would be due in 18 hours: only a hurry lets this one finish.
        final AtomicBoolean hurry = new AtomicBoolean();
        final Thread hurrier = new Thread(() ->
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            hurry.set(true);
        });
        hurrier.start();
        try (SnapshotWriter writer = store.newSnapshot(2).pace(1, hurry::get))
        {
            writeChunks(writer, chunk, chunks);
            writer.commit();
        }
        hurrier.join();
        try (Snapshot snapshot = store.loadLatest())
        {
            assertEquals(2, snapshot.sequence());
            assertEquals((long)chunks * chunk.capacity(), snapshot.payloadLength());
        }

        try (SnapshotWriter writer = store.newSnapshot(3))
        {
            assertThrows(IllegalArgumentException.class, () -> writer.pace(-1, () -> false));
        }
    }

    private static void writeChunks(final SnapshotWriter writer, final ByteBuffer chunk, final int chunks)
        throws Exception
    {
        for (int c = 0; c < chunks; c++)
        {
            chunk.clear();
            while (chunk.hasRemaining())
            {
                chunk.put(content(c, chunk.position()));
            }
            chunk.flip();
            writer.write(chunk);
        }
    }

    @Test
    void shouldLoadTheNewestValidSnapshotSkippingAndReportingDamagedOnes() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir);
        write(store, 10, "ten");
        write(store, 20, "twenty");
        final Path newest = write(store, 30, "thirty");
        final Path truncated = write(store, 40, "forty");
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 1] ^= 1;
        Files.write(newest, bytes);
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 70));

        assertArrayEquals(new long[]{ 10, 20, 30, 40 }, store.sequences());
        final List<String> damaged = new ArrayList<>();
        try (Snapshot snapshot = store.loadLatest(damaged))
        {
            assertEquals(20, snapshot.sequence());
            assertEquals("twenty", read(snapshot));
        }
        assertEquals(2, damaged.size(), damaged.toString());
        assertTrue(damaged.get(0).contains(truncated.toString()), damaged.toString());
        assertTrue(damaged.get(1).contains(newest.toString()) && damaged.get(1).contains("checksum"),
            damaged.toString());
    }

    @Test
    void shouldDiscardAnUncommittedSnapshot() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir);
        try (SnapshotWriter writer = store.newSnapshot(5))
        {
            writer.write(ByteBuffer.wrap(new byte[100]));
        }
        assertEquals(0, store.sequences().length);
        assertNull(store.loadLatest());
        try (var files = Files.list(dir))
        {
            assertFalse(files.findAny().isPresent());
        }
    }

    private static Path write(final SnapshotStore store, final long sequence, final String text) throws Exception
    {
        try (SnapshotWriter writer = store.newSnapshot(sequence))
        {
            writer.write(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return writer.commit();
        }
    }

    private static String read(final Snapshot snapshot) throws Exception
    {
        final ByteBuffer in = ByteBuffer.allocate((int)snapshot.payloadLength());
        while (in.hasRemaining() && snapshot.channel().read(in) > 0)
        {
            // fill
        }
        return new String(in.array(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte content(final int chunk, final int index)
    {
        return (byte)(chunk * 131 + index * 7);
    }
}
