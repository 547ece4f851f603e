package io.paycore.service.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A change-feed publisher's counters, in a file of its own ({@value #FILE_NAME} in its state directory) so that
 * they can be read while it runs and after it died, with {@code paycore stat --feed-state DIR}: changes published
 * and confirmed, the last confirmed change's timestamp, publish errors, and the lag: while there is more journal to
 * read, the wall clock minus the timestamp of the last journal record read; 0 once the publisher has read
 * everything written ({@link #onPoll}).
 * <p>
 * The file holds a fixed number of Agrona counters: metadata first, then values. It is rewritten at each start.
 */
public final class FeedCounters implements AutoCloseable
{
    /** The counters file's name in a publisher's state directory. */
    public static final String FILE_NAME = "counters.dat";

    /** Suffix of the file's name while it is being made. */
    static final String TEMP_SUFFIX = ".tmp";

    /** Counters the file has room for. */
    public static final int MAX_COUNTERS = 16;

    static final int METADATA_LENGTH = MAX_COUNTERS * CountersReader.METADATA_LENGTH;
    static final int VALUES_LENGTH = MAX_COUNTERS * CountersReader.COUNTER_LENGTH;

    /** The type id paycore's feed counters carry. */
    public static final int FEED_COUNTER_TYPE_ID = 1_400;

    private final MappedByteBuffer mapped;
    private final CountersManager manager;
    private final AtomicCounter published;
    private final AtomicCounter confirmed;
    private final AtomicCounter lastConfirmedTimestamp;
    private final AtomicCounter lagNanos;
    private final AtomicCounter errors;
    private final String prefix;

    /**
     * Make (or remake) the counters file in a state directory.
     *
     * @param stateDirectory the publisher's state directory; made if missing.
     * @param name           the publisher's name for the labels, e.g. {@code amqp}.
     * @throws UncheckedIOException if the file cannot be made.
     */
    public FeedCounters(final Path stateDirectory, final String name)
    {
        final Path file = stateDirectory.resolve(FILE_NAME);
        final Path temp = stateDirectory.resolve(FILE_NAME + TEMP_SUFFIX);
        try
        {
            Files.createDirectories(stateDirectory);
            Files.deleteIfExists(file);
            Files.deleteIfExists(temp);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make the feed's counters file " + file + ": " + ex, ex);
        }
        // Made and labelled under another name, then renamed: a reader (paycore stat) finds no file or a whole one,
        // never one still being sized (a length of 0 was seen) or with some counters not yet allocated.
        mapped = IoUtil.mapNewFile(temp.toFile(), METADATA_LENGTH + VALUES_LENGTH);
        final AtomicBuffer metadata = new UnsafeBuffer(mapped, 0, METADATA_LENGTH);
        final AtomicBuffer values = new UnsafeBuffer(mapped, METADATA_LENGTH, VALUES_LENGTH);
        manager = new CountersManager(metadata, values);
        prefix = "paycore feed " + name + ": ";
        published = manager.newCounter(prefix + "changes published", FEED_COUNTER_TYPE_ID);
        confirmed = manager.newCounter(prefix + "changes confirmed", FEED_COUNTER_TYPE_ID);
        lastConfirmedTimestamp = manager.newCounter(prefix + "last confirmed change timestamp (ns)",
            FEED_COUNTER_TYPE_ID);
        lagNanos = manager.newCounter(prefix + "lag behind the journal (ns)", FEED_COUNTER_TYPE_ID);
        errors = manager.newCounter(prefix + "publish errors", FEED_COUNTER_TYPE_ID);
        try
        {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            IoUtil.unmap(mapped);
            throw new UncheckedIOException("cannot make the feed's counters file " + file + ": " + ex, ex);
        }
    }

    /**
     * @return changes handed to the broker (or stream).
     */
    public AtomicCounter published()
    {
        return published;
    }

    /**
     * @return changes the broker confirmed (for a stream without confirms: published).
     */
    public AtomicCounter confirmed()
    {
        return confirmed;
    }

    /**
     * @return the timestamp of the last change confirmed.
     */
    public AtomicCounter lastConfirmedTimestamp()
    {
        return lastConfirmedTimestamp;
    }

    /**
     * @return the lag behind the journal in nanoseconds ({@link #onPoll}).
     */
    public AtomicCounter lagNanos()
    {
        return lagNanos;
    }

    /**
     * Add a counter of the publisher's own, labelled after the others.
     *
     * @param what the label's end, e.g. {@code subscribers}.
     * @return the counter.
     * @throws IllegalStateException if the file has no room left ({@link #MAX_COUNTERS}).
     */
    public AtomicCounter newCounter(final String what)
    {
        return manager.newCounter(prefix + what, FEED_COUNTER_TYPE_ID);
    }

    /**
     * Set the lag after a poll of the feed.
     *
     * @param recordsRead              what the poll read; 0 means the publisher has read everything written.
     * @param lastRecordTimestampNanos timestamp of the last journal record read (epoch nanoseconds).
     * @param nowEpochNanos            the wall clock.
     */
    public void onPoll(final int recordsRead, final long lastRecordTimestampNanos, final long nowEpochNanos)
    {
        lagNanos.setRelease(0 == recordsRead ? 0 : Math.max(0, nowEpochNanos - lastRecordTimestampNanos));
    }

    /**
     * @return publish errors (connections lost, nacks, refused sends) that led to a retry.
     */
    public AtomicCounter errors()
    {
        return errors;
    }

    /**
     * Unmap the file; it stays for reading.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    /**
     * What reads a counters file while it is mapped.
     */
    @FunctionalInterface
    public interface Reader
    {
        /**
         * @param counters valid until this returns.
         */
        void read(CountersReader counters);
    }

    /**
     * Map a publisher's counters file read only and hand it to a reader.
     *
     * @param file   the {@value #FILE_NAME}.
     * @param reader reads it.
     * @throws IllegalArgumentException if the file is missing or not a feed counters file.
     */
    public static void read(final Path file, final Reader reader)
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("no feed counters file " + file);
        }
        final MappedByteBuffer mapped;
        // Opened once, so that a publisher remaking the file meanwhile cannot swap it between a check and the map.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        catch (final NoSuchFileException ex)
        {
            // Removed since the check above: a publisher starting again remakes it.
            throw new IllegalArgumentException("no feed counters file " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the feed counters file " + file + ": " + ex, ex);
        }
        try
        {
            if (mapped.capacity() != METADATA_LENGTH + VALUES_LENGTH)
            {
                throw new IllegalArgumentException("not a feed counters file (length " + mapped.capacity() + "): " +
                    file);
            }
            reader.read(new CountersReader(new UnsafeBuffer(mapped, 0, METADATA_LENGTH),
                new UnsafeBuffer(mapped, METADATA_LENGTH, VALUES_LENGTH)));
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }
}
