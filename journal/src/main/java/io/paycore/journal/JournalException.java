package io.paycore.journal;

import java.nio.file.Path;

/**
 * A journal failure: damage found while verifying, an I/O error, or a limit violated. Where they are known the
 * segment file, byte offset within it and record sequence are carried as fields and named in the message.
 */
public final class JournalException extends RuntimeException
{
    /**
     * Value of {@link #offset()} and {@link #sequence()} when not known.
     */
    public static final long UNKNOWN = -1;

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final long sequence;

    /**
     * An error with no location.
     *
     * @param message what went wrong.
     */
    public JournalException(final String message)
    {
        this(message, null, UNKNOWN, UNKNOWN, null);
    }

    /**
     * An error with no location and a cause.
     *
     * @param message what went wrong.
     * @param cause   underlying failure.
     */
    public JournalException(final String message, final Throwable cause)
    {
        this(message, null, UNKNOWN, UNKNOWN, cause);
    }

    /**
     * An error at a location.
     *
     * @param message  what went wrong.
     * @param file     segment or snapshot file, or null.
     * @param offset   byte offset within the file, or {@link #UNKNOWN}.
     * @param sequence record sequence concerned, or {@link #UNKNOWN}.
     * @param cause    underlying failure, or null.
     */
    public JournalException(
        final String message, final Path file, final long offset, final long sequence, final Throwable cause)
    {
        super(describe(message, file, offset, sequence), cause);
        this.file = file;
        this.offset = offset;
        this.sequence = sequence;
    }

    /**
     * @return the file concerned, or null if none.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return byte offset within {@link #file()}, or {@link #UNKNOWN}.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return the record sequence concerned, or {@link #UNKNOWN}.
     */
    public long sequence()
    {
        return sequence;
    }

    private static String describe(final String message, final Path file, final long offset, final long sequence)
    {
        if (null == file && UNKNOWN == offset && UNKNOWN == sequence)
        {
            return message;
        }

        final StringBuilder sb = new StringBuilder(message).append(" [");
        String separator = "";
        if (null != file)
        {
            sb.append("file=").append(file);
            separator = ", ";
        }
        if (UNKNOWN != offset)
        {
            sb.append(separator).append("offset=").append(offset);
            separator = ", ";
        }
        if (UNKNOWN != sequence)
        {
            sb.append(separator).append("sequence=").append(sequence);
        }

        return sb.append(']').toString();
    }
}
