package io.paycore.replay;

import org.agrona.ErrorHandler;
import org.agrona.MarkFile;
import org.agrona.SemanticVersion;
import org.agrona.SystemUtil;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mark file of a paycore data directory, {@code DIR/paycore-mark.dat} (an Agrona {@link MarkFile}): who owns
 * the directory and what went wrong, readable while the service runs and after it died, however it died.
 * <h2>Layout</h2>
 * <pre>
 *   0    int     layout version ({@link #MARK_FILE_VERSION}, a {@link SemanticVersion}); 0 while being written
 *   8    long    activity timestamp, epoch ms, refreshed by the service's duty cycle
 *   16   long    start timestamp, epoch ms
 *   24   long    pid of the owning process
 *   32   int     error log length in bytes
 *   36   int     length of the paycore version text, then that many US-ASCII bytes (at most
 *                {@link #PAYCORE_VERSION_MAX_LENGTH})
 *   {@link #HEADER_LENGTH}  the service's {@link DistinctErrorLog}, error log length bytes
 * </pre>
 * The owner writes the header with the version field 0 and sets the version last, so a reader that sees a version
 * sees a whole header.
 * <p>
 * <b>Threading</b>: {@link #errorHandler()} may be called from any thread; {@link #updateActivityTimestamp(long)}
 * from one thread; the reading accessors from any thread.
 */
public final class PaycoreMarkFile implements AutoCloseable
{
    /**
     * Version of the layout above.
     */
    public static final int MARK_FILE_VERSION = SemanticVersion.compose(1, 0, 0);

    /**
     * Offset of the layout version.
     */
    public static final int VERSION_FIELD_OFFSET = 0;

    /**
     * Offset of the activity timestamp.
     */
    public static final int ACTIVITY_TIMESTAMP_FIELD_OFFSET = 8;

    /**
     * Offset of the start timestamp.
     */
    public static final int START_TIMESTAMP_FIELD_OFFSET = 16;

    /**
     * Offset of the pid.
     */
    public static final int PID_FIELD_OFFSET = 24;

    /**
     * Offset of the error log length.
     */
    public static final int ERROR_LOG_LENGTH_FIELD_OFFSET = 32;

    /**
     * Offset of the paycore version text (an int length, then the bytes).
     */
    public static final int PAYCORE_VERSION_FIELD_OFFSET = 36;

    /**
     * Longest paycore version text kept; a longer one is cut.
     */
    public static final int PAYCORE_VERSION_MAX_LENGTH = 200;

    /**
     * Length of the header; the error log starts here.
     */
    public static final int HEADER_LENGTH = 256;

    /**
     * Length of the service's distinct error log in the mark file, a size such as {@code 1m}.
     */
    public static final String ERROR_LOG_LENGTH_PROP_NAME = "paycore.error.log.length";

    /**
     * Default for {@link #ERROR_LOG_LENGTH_PROP_NAME}: 1 MiB.
     */
    public static final int ERROR_LOG_LENGTH_DEFAULT_BYTES = 1024 * 1024;

    /**
     * Smallest error log length: 4 KiB.
     */
    public static final int ERROR_LOG_LENGTH_MIN_BYTES = 4 * 1024;

    /**
     * Largest error log length: 64 MiB.
     */
    public static final int ERROR_LOG_LENGTH_MAX_BYTES = 64 * 1024 * 1024;

    private static final int FILL_CHUNK_BYTES = 64 * 1024;

    private final Path file;
    private final MarkFile markFile;
    private final UnsafeBuffer buffer;
    private final UnsafeBuffer errorBuffer;
    private final DistinctErrorLog errorLog;
    private final AtomicLong errorCount = new AtomicLong();
    private final ErrorHandler errorHandler = this::recordError;
    private AtomicCounter errorCounter;
    private boolean closed;

    private PaycoreMarkFile(final Path file, final MappedByteBuffer mapped, final boolean writable)
    {
        this.file = file;
        this.markFile = new MarkFile(mapped, VERSION_FIELD_OFFSET, ACTIVITY_TIMESTAMP_FIELD_OFFSET);
        this.buffer = markFile.buffer();
        final int errorLogLengthBytes = buffer.getInt(ERROR_LOG_LENGTH_FIELD_OFFSET);
        this.errorBuffer = new UnsafeBuffer(buffer, HEADER_LENGTH, errorLogLengthBytes);
        this.errorLog = writable ? new DistinctErrorLog(errorBuffer, SystemEpochClock.INSTANCE) : null;
    }

    /**
     * The error log length set by {@link #ERROR_LOG_LENGTH_PROP_NAME}, or the default.
     *
     * @return the length in bytes, checked.
     * @throws IllegalArgumentException if the property is not a size within the limits.
     */
    public static int errorLogLengthBytesFromProperty()
    {
        return checkErrorLogLength(SystemUtil.getSizeAsInt(ERROR_LOG_LENGTH_PROP_NAME, ERROR_LOG_LENGTH_DEFAULT_BYTES));
    }

    /**
     * @param errorLogLengthBytes a length to check.
     * @return the length.
     * @throws IllegalArgumentException if it is outside {@link #ERROR_LOG_LENGTH_MIN_BYTES} ..
     *                                  {@link #ERROR_LOG_LENGTH_MAX_BYTES}, naming the setting.
     */
    public static int checkErrorLogLength(final int errorLogLengthBytes)
    {
        if (errorLogLengthBytes < ERROR_LOG_LENGTH_MIN_BYTES || errorLogLengthBytes > ERROR_LOG_LENGTH_MAX_BYTES)
        {
            throw new IllegalArgumentException("the error log length (" + ERROR_LOG_LENGTH_PROP_NAME + ", " +
                "--error-log-length) must be " + ERROR_LOG_LENGTH_MIN_BYTES + ".." + ERROR_LOG_LENGTH_MAX_BYTES +
                " bytes (4k..64m): " + errorLogLengthBytes);
        }
        return errorLogLengthBytes;
    }

    /**
     * Write a new mark file over whatever {@code channel} holds: the caller has made sure no live process owns it
     * (by holding the file's OS lock). The file is filled with zeros, not left sparse, so a full disk fails here,
     * at start, and not later in the error log.
     *
     * @param file                the mark file's path, for messages.
     * @param channel             open for reading and writing on {@code file}.
     * @param errorLogLengthBytes length of the error log, checked with {@link #checkErrorLogLength(int)}.
     * @param paycoreVersion      text of the running version.
     * @param clock               for the start and activity timestamps.
     * @return the mark file, owned by this process.
     * @throws IOException if the file cannot be written.
     */
    public static PaycoreMarkFile create(
        final Path file,
        final FileChannel channel,
        final int errorLogLengthBytes,
        final String paycoreVersion,
        final EpochClock clock) throws IOException
    {
        checkErrorLogLength(errorLogLengthBytes);
        final int totalLengthBytes = HEADER_LENGTH + errorLogLengthBytes;
        channel.truncate(0);
        final ByteBuffer zeros = ByteBuffer.allocate(FILL_CHUNK_BYTES);
        long position = 0;
        while (position < totalLengthBytes)
        {
            zeros.clear().limit((int)Math.min(FILL_CHUNK_BYTES, totalLengthBytes - position));
            while (zeros.hasRemaining())
            {
                position += channel.write(zeros, position);
            }
        }
        channel.force(false);

        final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, totalLengthBytes);
        final UnsafeBuffer header = new UnsafeBuffer(mapped);
        final long nowMs = clock.time();
        header.putLong(START_TIMESTAMP_FIELD_OFFSET, nowMs);
        header.putLong(PID_FIELD_OFFSET, ProcessHandle.current().pid());
        header.putInt(ERROR_LOG_LENGTH_FIELD_OFFSET, errorLogLengthBytes);
        final byte[] version = paycoreVersion.getBytes(StandardCharsets.US_ASCII);
        final int versionLength = Math.min(version.length, PAYCORE_VERSION_MAX_LENGTH);
        header.putInt(PAYCORE_VERSION_FIELD_OFFSET, versionLength);
        header.putBytes(PAYCORE_VERSION_FIELD_OFFSET + Integer.BYTES, version, 0, versionLength);

        final PaycoreMarkFile markFile = new PaycoreMarkFile(file, mapped, true);
        markFile.markFile.timestampOrdered(nowMs);
        markFile.markFile.signalReady(MARK_FILE_VERSION);
        return markFile;
    }

    /**
     * Map an existing mark file read-only, to read its header and errors, whether its owner runs or died. For
     * another process than the owner: closing a channel on the file releases every OS lock this process holds on
     * it, so the owning process must read its own mark file through {@link DataDirectoryLock#markFile()}.
     *
     * @param file the mark file.
     * @return the mark file, read-only: its {@link #errorHandler()} must not be used.
     * @throws IllegalArgumentException if there is no such file, or it is not a paycore mark file of a version this
     *                                  build reads (naming the file and what is wrong).
     */
    public static PaycoreMarkFile openReadOnly(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return mapReadOnly(file, channel);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException("no paycore mark file " + file + ": not a paycore data directory, " +
                "or the service never started on it", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read " + file + ": " + ex, ex);
        }
    }

    /**
     * Map a mark file read-only through a channel already open on it, checking it is one this build reads.
     *
     * @param file    the mark file, for messages.
     * @param channel open for reading on it; stays open.
     * @return the mark file, read-only.
     * @throws IllegalArgumentException if it is not a paycore mark file of a version this build reads.
     * @throws IOException              if it cannot be read.
     */
    static PaycoreMarkFile mapReadOnly(final Path file, final FileChannel channel) throws IOException
    {
        final long lengthBytes = channel.size();
        if (lengthBytes < HEADER_LENGTH)
        {
            throw new IllegalArgumentException(file + " is not a paycore mark file: " + lengthBytes +
                " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
        }
        final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, lengthBytes);
        final UnsafeBuffer header = new UnsafeBuffer(mapped);
        final int version = header.getIntVolatile(VERSION_FIELD_OFFSET);
        if (0 == version)
        {
            throw new IllegalArgumentException(file + " is not ready: its owner died while writing it, or is " +
                "writing it now");
        }
        if (SemanticVersion.major(version) != SemanticVersion.major(MARK_FILE_VERSION))
        {
            throw new IllegalArgumentException(file + " has mark file version " +
                SemanticVersion.toString(version) + "; this paycore reads " +
                SemanticVersion.toString(MARK_FILE_VERSION));
        }
        final int errorLogLengthBytes = header.getInt(ERROR_LOG_LENGTH_FIELD_OFFSET);
        if (errorLogLengthBytes < 0 || HEADER_LENGTH + (long)errorLogLengthBytes > lengthBytes)
        {
            throw new IllegalArgumentException(file + " is damaged: an error log of " + errorLogLengthBytes +
                " bytes does not fit in its " + lengthBytes + " bytes");
        }
        return new PaycoreMarkFile(file, mapped, false);
    }

    /**
     * Whether a process holds the OS lock on a mark file, that is whether a paycore process owns its directory now.
     * Probes with a shared lock, released at once. For another process than the owner (see
     * {@link #openReadOnly(Path)}).
     *
     * @param file the mark file.
     * @return true if a process (this one included) owns it.
     */
    public static boolean isOwned(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (null == probe)
            {
                return true;
            }
            probe.release();
            return false;
        }
        catch (final OverlappingFileLockException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * @return the mark file's path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return pid of the process that wrote the mark file.
     */
    public long pid()
    {
        return buffer.getLong(PID_FIELD_OFFSET);
    }

    /**
     * @return when that process started, epoch ms.
     */
    public long startTimestampMs()
    {
        return buffer.getLong(START_TIMESTAMP_FIELD_OFFSET);
    }

    /**
     * @return when that process last showed activity, epoch ms.
     */
    public long activityTimestampMs()
    {
        return markFile.timestampVolatile();
    }

    /**
     * @return the layout version, a {@link SemanticVersion}.
     */
    public int markFileVersion()
    {
        return markFile.versionVolatile();
    }

    /**
     * @return the paycore version that wrote the mark file.
     */
    public String paycoreVersion()
    {
        final int length = Math.min(Math.max(0, buffer.getInt(PAYCORE_VERSION_FIELD_OFFSET)),
            PAYCORE_VERSION_MAX_LENGTH);
        return buffer.getStringWithoutLengthAscii(PAYCORE_VERSION_FIELD_OFFSET + Integer.BYTES, length);
    }

    /**
     * @return length of the error log in bytes.
     */
    public int errorLogLengthBytes()
    {
        return errorBuffer.capacity();
    }

    /**
     * Refresh the activity timestamp. Called from the service's duty cycle, one thread.
     *
     * @param nowMs epoch ms.
     */
    public void updateActivityTimestamp(final long nowMs)
    {
        markFile.timestampOrdered(nowMs);
    }

    /**
     * Read the distinct errors recorded so far, oldest first.
     *
     * @param consumer receives each distinct error: observation count, first and last time (epoch ms) and the
     *                 stack trace.
     * @return the number of distinct errors.
     */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errorBuffer, consumer);
    }

    /**
     * @param running whether the owner runs now, as the caller found out (see {@link #isOwned(Path)}).
     * @return one line: which process owns or owned the directory, its version, since when, whether it runs.
     */
    public String describeOwner(final boolean running)
    {
        return "paycore " + paycoreVersion() + ", pid " + pid() + ", started " +
            Instant.ofEpochMilli(startTimestampMs()) + ", last active " + Instant.ofEpochMilli(activityTimestampMs()) +
            ": " + (running ? "running" : "not running (stopped or died)") + "; " + file;
    }

    /**
     * Print the distinct errors recorded so far, oldest first, as {@code paycore errors} does: for each its count,
     * first and last time (UTC) and stack trace; then the number of distinct errors.
     *
     * @param out where to print.
     * @return the number of distinct errors.
     */
    public int printErrors(final PrintStream out)
    {
        final int distinct = readErrors((count, firstTimestampMs, lastTimestampMs, text) ->
        {
            out.println();
            out.println(count + " observation(s) from " + Instant.ofEpochMilli(firstTimestampMs) + " to " +
                Instant.ofEpochMilli(lastTimestampMs) + " for:");
            out.println(" " + text);
        });
        out.println();
        out.println(distinct + " distinct error(s)");
        return distinct;
    }

    /**
     * The handler every error the service handles goes to: it records the error in the mark file's distinct error
     * log, counts it, and bumps the {@link #errorCounter(AtomicCounter) error counter} if there is one; after
     * {@link #close()} it drops errors, so a late one never writes to an unmapped file. Any thread; serialised by
     * a lock (errors are off the hot path); allocates only for an error not seen before.
     *
     * @return the handler.
     * @throws IllegalStateException if the mark file was opened read-only.
     */
    public ErrorHandler errorHandler()
    {
        if (null == errorLog)
        {
            throw new IllegalStateException(file + " is open read-only");
        }
        return errorHandler;
    }

    /**
     * @return errors recorded through {@link #errorHandler()} by this process.
     */
    public long errorCount()
    {
        return errorCount.get();
    }

    /**
     * Count errors in a counter as well (an Aeron counter in the driver's counters file, say), from now on; it is
     * set to the errors counted so far. Once this returns, the previous counter is no longer touched, so it may be
     * closed.
     *
     * @param errorCounter the counter, or null to stop.
     */
    public synchronized void errorCounter(final AtomicCounter errorCounter)
    {
        if (null != errorCounter)
        {
            errorCounter.setOrdered(errorCount.get());
        }
        this.errorCounter = errorCounter;
    }

    /**
     * Unmap the file; it stays on disk for post-mortems. Safe to call more than once.
     */
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            errorCounter = null;
            markFile.close();
        }
    }

    private synchronized void recordError(final Throwable throwable)
    {
        if (closed)
        {
            return;
        }
        errorCount.incrementAndGet();
        if (null != errorCounter && !errorCounter.isClosed())
        {
            errorCounter.incrementOrdered();
        }
        errorLog.record(throwable);
    }
}
