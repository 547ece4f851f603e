package io.paycore.replay;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Exclusive ownership of a {@link DataDirectory}: an OS lock on its mark file, {@code DIR/paycore-mark.dat}, so
 * that two processes never append to (or repair the tail of) the same journal. The OS releases it when the process
 * dies, however it dies, so a crash never leaves a stale owner behind: the next owner takes the mark file over.
 * While held, the mark file ({@link PaycoreMarkFile}) says which process owns the directory and since when, and
 * holds the service's distinct error log; it stays on disk after the owner stops or dies, for post-mortems, and
 * the next owner saves the errors it holds to a text file before starting a new log.
 * <p>
 * <b>Threading</b>: acquire and close from one thread. Closing twice is safe.
 */
public final class DataDirectoryLock implements AutoCloseable
{
    /**
     * Start of the name of a file of errors saved from a previous owner's mark file.
     */
    public static final String PREVIOUS_ERRORS_FILE_PREFIX = "paycore-errors-";

    /**
     * End of the name of a file of errors saved from a previous owner's mark file.
     */
    public static final String PREVIOUS_ERRORS_FILE_SUFFIX = ".txt";

    private static final DateTimeFormatter PREVIOUS_ERRORS_TIME_FORMAT =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final DataDirectory directory;
    private final FileChannel channel;
    private final FileLock lock;
    private final PaycoreMarkFile markFile;
    private final Path previousErrorsFile;

    private DataDirectoryLock(
        final DataDirectory directory,
        final FileChannel channel,
        final FileLock lock,
        final PaycoreMarkFile markFile,
        final Path previousErrorsFile)
    {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
        this.markFile = markFile;
        this.previousErrorsFile = previousErrorsFile;
    }

    /**
     * Create the data directory if needed and take its mark file, without waiting, with the error log length of
     * {@link PaycoreMarkFile#errorLogLengthBytesFromProperty()}.
     *
     * @param directory to own.
     * @return the held lock.
     * @throws IllegalStateException if another process (or another owner in this one) holds it, or on an I/O
     *                               error; the message names the mark file.
     */
    public static DataDirectoryLock acquire(final DataDirectory directory)
    {
        return acquire(directory, PaycoreMarkFile.errorLogLengthBytesFromProperty());
    }

    /**
     * Create the data directory if needed and take its mark file, without waiting: lock it, save the errors a
     * stopped or crashed owner left in it, if any, to {@code DIR/paycore-errors-<start time>-<pid>.txt} (see
     * {@link #previousErrorsFile()}), then write a new mark file (pid, start time, version, an empty error log).
     *
     * @param directory           to own.
     * @param errorLogLengthBytes length of the mark file's error log, {@link PaycoreMarkFile#ERROR_LOG_LENGTH_MIN_BYTES}
     *                            .. {@link PaycoreMarkFile#ERROR_LOG_LENGTH_MAX_BYTES}.
     * @return the held lock.
     * @throws IllegalStateException    if another process (or another owner in this one) holds it, or on an I/O
     *                                  error (a full disk, say); the message names the mark file.
     * @throws IllegalArgumentException if the error log length is out of its limits.
     */
    public static DataDirectoryLock acquire(final DataDirectory directory, final int errorLogLengthBytes)
    {
        PaycoreMarkFile.checkErrorLogLength(errorLogLengthBytes);
        final Path file = directory.markFile();
        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory.root());
            channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ignore)
            {
                // held by another owner in this process: reported below like any other holder
            }
            if (null == lock)
            {
                throw new IllegalStateException("data directory " + directory.root() + " is in use by another " +
                    "paycore process" + owner(channel) + " (lock held on " + file + ")");
            }
            final Path previousErrorsFile = savePreviousErrors(directory, channel);
            final PaycoreMarkFile markFile = PaycoreMarkFile.create(
                file, channel, errorLogLengthBytes, paycoreVersion(), SystemEpochClock.INSTANCE);
            final DataDirectoryLock held = new DataDirectoryLock(
                directory, channel, lock, markFile, previousErrorsFile);
            channel = null;
            return held;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create or lock data directory " + directory.root() + " (" + file +
                "): " + reason(ex), ex);
        }
        finally
        {
            if (null != channel)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // already failing; the first error is the one to report
                }
            }
        }
    }

    /**
     * @return the directory owned.
     */
    public DataDirectory directory()
    {
        return directory;
    }

    /**
     * @return the mark file this process owns: pid, start time, activity timestamp and the error log.
     */
    public PaycoreMarkFile markFile()
    {
        return markFile;
    }

    /**
     * @return where the errors the previous owner left in the mark file were saved when this lock was taken, or
     * null if it left none (or no mark file).
     */
    public Path previousErrorsFile()
    {
        return previousErrorsFile;
    }

    /**
     * Release the lock; the mark file stays on disk. Safe to call more than once.
     */
    public void close()
    {
        if (channel.isOpen())
        {
            markFile.close();
            try
            {
                lock.release();
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot release " + directory.markFile() + ": " + ex, ex);
            }
        }
    }

    /**
     * Who owns the mark file, read through the channel already open: opening and closing another channel on the
     * file would release this process's OS locks on it, the owner's included when the owner is this process.
     */
    private static String owner(final FileChannel channel) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(PaycoreMarkFile.HEADER_LENGTH);
        while (header.hasRemaining() && channel.read(header, header.position()) > 0)
        {
            // read the whole header, or what there is of it
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        if (header.hasRemaining() || 0 == buffer.getInt(PaycoreMarkFile.VERSION_FIELD_OFFSET))
        {
            return "";
        }
        return " (pid " + buffer.getLong(PaycoreMarkFile.PID_FIELD_OFFSET) + ", started " +
            Instant.ofEpochMilli(buffer.getLong(PaycoreMarkFile.START_TIMESTAMP_FIELD_OFFSET)) + ")";
    }

    /**
     * Save the errors in the mark file a previous owner left, read through the channel already open (see
     * {@link #owner(FileChannel)}), before the new mark file replaces them.
     */
    private static Path savePreviousErrors(final DataDirectory directory, final FileChannel channel)
        throws IOException
    {
        final PaycoreMarkFile previous;
        try
        {
            previous = PaycoreMarkFile.mapReadOnly(directory.markFile(), channel);
        }
        catch (final IllegalArgumentException ex)
        {
            return null; // nothing readable to save: new, empty, or left half written
        }
        try (previous)
        {
            if (0 == previous.readErrors((count, firstTimestampMs, lastTimestampMs, text) -> {}))
            {
                return null;
            }
            final String startTime =
                PREVIOUS_ERRORS_TIME_FORMAT.format(Instant.ofEpochMilli(previous.startTimestampMs()));
            final Path saved = directory.root().resolve(
                PREVIOUS_ERRORS_FILE_PREFIX + startTime + "-" + previous.pid() + PREVIOUS_ERRORS_FILE_SUFFIX);
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(text, false, StandardCharsets.UTF_8))
            {
                out.println(previous.describeOwner(false));
                previous.printErrors(out);
            }
            Files.write(saved, text.toByteArray());
            return saved;
        }
    }

    private static String paycoreVersion()
    {
        final String version = DataDirectoryLock.class.getPackage().getImplementationVersion();
        return null != version ? version : "development build";
    }

    /**
     * Why a file operation failed, in words rather than the exception's class: the file it names and the system's
     * reason.
     *
     * @param ex the failure.
     * @return the reason.
     */
    static String reason(final IOException ex)
    {
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied on " + ((AccessDeniedException)ex).getFile();
        }
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory: " + ((NoSuchFileException)ex).getFile();
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return ((FileAlreadyExistsException)ex).getFile() + " exists and is not a directory";
        }
        if (ex instanceof FileSystemException)
        {
            final FileSystemException failure = (FileSystemException)ex;
            return failure.getFile() + ": " + (null != failure.getReason() ? failure.getReason() : "failed");
        }
        return null != ex.getMessage() ? ex.getMessage() : ex.toString();
    }
}
