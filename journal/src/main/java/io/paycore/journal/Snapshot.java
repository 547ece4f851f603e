package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/**
 * A verified snapshot opened for reading: the sequence it covers and a channel over its payload. Obtain from
 * {@link SnapshotStore#loadLatest()}. Close when done; closing twice is safe.
 * <p>
 * <b>Threading</b>: one thread.
 */
public final class Snapshot implements AutoCloseable
{
    private final Path file;
    private final long sequence;
    private final long payloadLength;
    private final FileChannel channel;
    private final ReadableByteChannel payload;

    Snapshot(final Path file, final long sequence, final long payloadLength, final FileChannel channel)
    {
        this.file = file;
        this.sequence = sequence;
        this.payloadLength = payloadLength;
        this.channel = channel;
        this.payload = new ReadableByteChannel()
        {
            public int read(final ByteBuffer dst) throws IOException
            {
                return channel.read(dst);
            }

            public boolean isOpen()
            {
                return channel.isOpen();
            }

            public void close() throws IOException
            {
                channel.close();
            }
        };
    }

    /**
     * @return the journal sequence this snapshot covers: replay from {@code sequence() + 1}.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return payload length in bytes.
     */
    public long payloadLength()
    {
        return payloadLength;
    }

    /**
     * @return the snapshot file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return a channel reading the payload from its start; reads return -1 at its end.
     */
    public ReadableByteChannel channel()
    {
        return payload;
    }

    /**
     * Close the channel.
     */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new JournalException("failed to close snapshot: " + ex, file, JournalException.UNKNOWN, sequence,
                ex);
        }
    }
}
