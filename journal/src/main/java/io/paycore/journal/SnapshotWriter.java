package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * A snapshot being written: a {@link WritableByteChannel} over a temporary file, forced every
 * {@value #FORCE_EVERY_BYTES_DEFAULT} bytes (by default) as it is written. {@link #commit()} writes the
 * header and checksums, forces the file, renames it atomically to its final name and forces the directory.
 * {@link #close()} without a commit deletes the temporary file. Obtain from {@link SnapshotStore#newSnapshot(long)}.
 * <p>
 * <b>Pacing</b> ({@link #pace}): a writer may be held to an average rate, measured from when it was made, by waiting
 * after each write until the bytes written so far are due. A snapshot written as fast as the disk takes it keeps the
 * disk's queue full for its whole length, and every force of the journal's group commit waits behind it.
 * <p>
 * <b>Threading</b>: one thread.
 */
public final class SnapshotWriter implements WritableByteChannel
{
    /**
     * Bytes of a snapshot written between forces of its file, so that the page cache never holds much of it dirty.
     */
    public static final String FORCE_EVERY_BYTES_PROP_NAME = "paycore.snapshot.force.every.bytes";

    /**
     * Default for {@link #FORCE_EVERY_BYTES_PROP_NAME}: 4 MiB.
     */
    public static final long FORCE_EVERY_BYTES_DEFAULT = 4L << 20;


    /**
     * Longest single wait of a paced writer, so that a request to hurry is seen within it.
     */
    private static final long PACE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final BooleanSupplier NEVER = () -> false;

    private final Path directory;
    private final Path temp;
    private final Path file;
    private final long sequence;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private long payloadLength;
    private long unforcedBytes;
    private final long forceEveryBytes;
    private final long startNanos = System.nanoTime();
    private long paceBytesPerSecond;
    private BooleanSupplier hurry = NEVER;
    private boolean committed;
    private boolean closed;

    SnapshotWriter(
        final Path directory,
        final Path temp,
        final Path file,
        final long sequence,
        final FileChannel channel,
        final long forceEveryBytes)
    {
        this.forceEveryBytes = forceEveryBytes;
        this.directory = directory;
        this.temp = temp;
        this.file = file;
        this.sequence = sequence;
        this.channel = channel;
    }

    /**
     * @return {@link #FORCE_EVERY_BYTES_PROP_NAME}'s value, read now: a service checks it as it starts, so that a
     * bad value is a usage error then rather than a failed snapshot later.
     * @throws IllegalArgumentException naming the property if it is not a whole number of at least 1.
     */
    public static long forceEveryBytes()
    {
        final long bytes = PropertyValues.longValue(FORCE_EVERY_BYTES_PROP_NAME, FORCE_EVERY_BYTES_DEFAULT);
        if (bytes < 1)
        {
            throw new IllegalArgumentException(
                "-D" + FORCE_EVERY_BYTES_PROP_NAME + " must be at least 1 byte: " + bytes);
        }
        return bytes;
    }

    /**
     * @return the sequence this snapshot covers.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * Hold this snapshot's writing to an average of {@code bytesPerSecond} from when the writer was made: after each
     * write, wait until the bytes written so far are due. The waits end early, and no more follow, once
     * {@code hurry} answers true or the thread is interrupted.
     *
     * @param bytesPerSecond the average rate; 0 for as fast as the disk takes it (the default).
     * @param hurry          asked before and during each wait; any thread may make it true.
     * @return this.
     * @throws IllegalArgumentException if bytesPerSecond is negative.
     */
    public SnapshotWriter pace(final long bytesPerSecond, final BooleanSupplier hurry)
    {
        if (bytesPerSecond < 0)
        {
            throw new IllegalArgumentException("bytesPerSecond must not be negative: " + bytesPerSecond);
        }
        this.paceBytesPerSecond = bytesPerSecond;
        this.hurry = hurry;
        return this;
    }

    /**
     * @return payload bytes written so far.
     */
    public long payloadLength()
    {
        return payloadLength;
    }

    /**
     * Append all remaining bytes of {@code src} to the snapshot payload.
     *
     * @param src bytes to write; its position is advanced to its limit.
     * @return number of bytes written.
     * @throws IOException on an I/O error (e.g. disk full); the snapshot can then only be closed (discarded).
     */
    public int write(final ByteBuffer src) throws IOException
    {
        if (closed || committed)
        {
            throw new ClosedChannelException();
        }
        final int start = src.position();
        final int limit = src.limit();
        crc.update(src);
        src.limit(limit).position(start);
        long at = SnapshotStore.HEADER_LENGTH + payloadLength;
        while (src.hasRemaining())
        {
            at += channel.write(src, at);
        }
        final int written = limit - start;
        payloadLength += written;
        unforcedBytes += written;
        if (unforcedBytes >= forceEveryBytes)
        {
            // Never leave much of a snapshot dirty in the page cache: forcing hundreds of megabytes at the end holds
            // up every other force on the disk meanwhile, the journal's group commit included.
            channel.force(false);
            unforcedBytes = 0;
        }
        if (0 != paceBytesPerSecond)
        {
            awaitPace();
        }

        return written;
    }

    private void awaitPace()
    {
        // In double: at a rate of a few bytes a second the due time is past what a long of nanoseconds holds.
        final double dueAfterNanos = payloadLength * 1e9 / paceBytesPerSecond;
        while (!hurry.getAsBoolean() && !Thread.currentThread().isInterrupted())
        {
            final double remainingNanos = dueAfterNanos - (System.nanoTime() - startNanos);
            if (remainingNanos <= 0)
            {
                return;
            }
            LockSupport.parkNanos((long)Math.min(remainingNanos, PACE_SLICE_NANOS));
        }
        paceBytesPerSecond = 0;
    }

    /**
     * Write the header, force the file, rename it to its final name atomically and force the directory.
     *
     * @return the final path of the snapshot.
     * @throws JournalException on an I/O error; the temporary file is deleted.
     */
    public Path commit()
    {
        if (closed || committed)
        {
            throw new JournalException("snapshot already closed or committed", temp, 0, sequence, null);
        }
        try
        {
            final ByteBuffer header = ByteBuffer.allocate(SnapshotStore.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0, SnapshotStore.MAGIC);
            header.putInt(4, SnapshotStore.VERSION);
            header.putLong(SnapshotStore.SEQUENCE_OFFSET, sequence);
            header.putLong(SnapshotStore.PAYLOAD_LENGTH_OFFSET, payloadLength);
            header.putInt(SnapshotStore.PAYLOAD_CHECKSUM_OFFSET, (int)crc.getValue());
            final CRC32C headerCrc = new CRC32C();
            headerCrc.update(header.array(), 0, SnapshotStore.HEADER_CHECKSUM_OFFSET);
            header.putInt(SnapshotStore.HEADER_CHECKSUM_OFFSET, (int)headerCrc.getValue());
            long at = 0;
            while (header.hasRemaining())
            {
                at += channel.write(header, at);
            }
            channel.force(true);
            channel.close();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Segments.syncDirectory(directory);
            committed = true;
        }
        catch (final IOException ex)
        {
            close();
            throw new JournalException("snapshot commit failed: " + ex, temp, JournalException.UNKNOWN, sequence, ex);
        }

        return file;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isOpen()
    {
        return !closed && !committed;
    }

    /**
     * Discard the snapshot unless committed. Safe to call more than once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            channel.close();
            if (!committed)
            {
                Files.deleteIfExists(temp);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("failed to discard snapshot: " + ex, temp, JournalException.UNKNOWN,
                sequence, ex);
        }
    }
}
