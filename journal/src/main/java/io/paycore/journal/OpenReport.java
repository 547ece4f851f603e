package io.paycore.journal;

import java.nio.file.Path;

/**
 * What {@link Journal#open(JournalContext)} found: how much was verified and whether a torn tail was cut off.
 */
public final class OpenReport
{
    private final int segments;
    private final long lastSequence;
    private final Path tornTailFile;
    private final long tornTailOffset;
    private final long tornTailBytes;
    private final int deletedTempFiles;

    OpenReport(
        final int segments,
        final long lastSequence,
        final Path tornTailFile,
        final long tornTailOffset,
        final long tornTailBytes,
        final int deletedTempFiles)
    {
        this.segments = segments;
        this.lastSequence = lastSequence;
        this.tornTailFile = tornTailFile;
        this.tornTailOffset = tornTailOffset;
        this.tornTailBytes = tornTailBytes;
        this.deletedTempFiles = deletedTempFiles;
    }

    /**
     * @return number of segment files verified, including any created by the open.
     */
    public int segments()
    {
        return segments;
    }

    /**
     * @return number of valid records (sequences run from 1, so this is also the last sequence).
     */
    public long records()
    {
        return lastSequence;
    }

    /**
     * @return sequence of the last valid record, 0 if none.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return true if a torn tail was found and zeroed.
     */
    public boolean hasTornTail()
    {
        return null != tornTailFile;
    }

    /**
     * @return segment holding the torn tail, or null if none.
     */
    public Path tornTailFile()
    {
        return tornTailFile;
    }

    /**
     * @return byte offset in {@link #tornTailFile()} where the torn tail started, -1 if none.
     */
    public long tornTailOffset()
    {
        return tornTailOffset;
    }

    /**
     * @return number of bytes zeroed, from {@link #tornTailOffset()} to the last non-zero byte; 0 if none.
     */
    public long tornTailBytes()
    {
        return tornTailBytes;
    }

    /**
     * @return number of left-over temporary segment files (from a crash or failure during a roll) deleted.
     */
    public int deletedTempFiles()
    {
        return deletedTempFiles;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "OpenReport{segments=" + segments + ", records=" + lastSequence +
            (hasTornTail() ?
            ", tornTail={file=" + tornTailFile + ", offset=" + tornTailOffset + ", bytes=" + tornTailBytes + "}" :
            ", tornTail=none") +
            ", deletedTempFiles=" + deletedTempFiles + '}';
    }
}
