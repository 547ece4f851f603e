package io.paycore.journal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.paycore.journal.RecordDescriptor.CHECKSUM_OFFSET;
import static io.paycore.journal.RecordDescriptor.HEADER_LENGTH;
import static io.paycore.journal.RecordDescriptor.SEQUENCE_OFFSET;
import static io.paycore.journal.RecordDescriptor.TIMESTAMP_OFFSET;
import static io.paycore.journal.RecordDescriptor.TYPE_OFFSET;

/**
 * Reads records in sequence order from any starting sequence, and keeps following (tails) a journal that is
 * still being appended to, by this process or another: call {@link #poll(RecordHandler, int)} again and it
 * delivers whatever has been published since. Every record is verified (length, sequence, checksum chain) before
 * it is delivered; a tailer never sees a half-written record because the writer publishes the frame length last.
 * <p>
 * The start segment is found from the file names alone; within it, records before the start sequence are
 * scanned and verified but not delivered. The checksum chain is seeded from the segment header, so no earlier
 * segment is read.
 * <p>
 * A reader does not repair: a torn tail left by a crashed writer is reported as damage. Open the
 * {@link Journal} first after a crash. A segment moved out of the directory while it is read
 * ({@link JournalArchive}) is read to its end from the mapping; if the next one was moved too, {@link #poll} says so
 * rather than wait for it.
 * <p>
 * <b>Threading</b>: one reader is used by one thread. {@link #poll} does not allocate except when moving to the
 * next segment (and, while waiting at the end of a segment for the writer to roll, when checking whether the next
 * file exists).
 */
public final class JournalReader implements AutoCloseable
{
    private final Path directory;
    private final long fromSequence;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private MappedByteBuffer mapped;
    private Path segmentFile;
    private int segmentLengthBytes;
    private int position;
    private long nextSequence;
    private int checksum;
    private boolean atEnd;
    private boolean closed;

    private JournalReader(final Path directory, final long fromSequence)
    {
        this.directory = directory;
        this.fromSequence = fromSequence;
        try
        {
            final Path[] files = Segments.list(directory);
            if (0 == files.length)
            {
                throw new JournalException("no journal segments in " + directory, directory,
                    JournalException.UNKNOWN, fromSequence, null);
            }
            int index = -1;
            for (int i = 0; i < files.length; i++)
            {
                if (SegmentDescriptor.firstSequence(files[i]) <= fromSequence)
                {
                    index = i;
                }
            }
            if (index < 0)
            {
                throw new JournalException("sequence " + fromSequence + " is before the first segment", files[0],
                    JournalException.UNKNOWN, fromSequence, null);
            }
            openSegment(files[index], SegmentDescriptor.firstSequence(files[index]), false, 0);
        }
        catch (final IOException ex)
        {
            throw new JournalException("failed to open reader: " + ex, directory, JournalException.UNKNOWN,
                fromSequence, ex);
        }
    }

    /**
     * Open a reader that delivers records from a given sequence on.
     *
     * @param directory    of the journal.
     * @param fromSequence first sequence to deliver, at least 1; may be beyond the last record, in which case
     *                     delivery starts when it is appended.
     * @return the reader.
     * @throws JournalException if the directory holds no journal or the segment cannot be opened.
     */
    public static JournalReader open(final Path directory, final long fromSequence)
    {
        if (fromSequence < 1)
        {
            throw new IllegalArgumentException("fromSequence must be >= 1: " + fromSequence);
        }

        return new JournalReader(directory, fromSequence);
    }

    /**
     * Deliver up to {@code limit} complete, verified records, in order, to the handler.
     *
     * @param handler called once per record on this thread.
     * @param limit   maximum records to deliver in this call.
     * @return number of records delivered; 0 if none are available yet.
     * @throws JournalException naming file, offset and sequence if a record fails verification.
     */
    public int poll(final RecordHandler handler, final int limit)
    {
        if (closed)
        {
            throw new JournalException("reader is closed");
        }

        final UnsafeBuffer buffer = this.buffer;
        int delivered = 0;
        while (delivered < limit)
        {
            final int offset = position;
            if (atEnd || offset >= segmentLengthBytes)
            {
                atEnd = true;
                if (!nextSegment())
                {
                    break;
                }
                continue;
            }

            final int frameLength = buffer.getIntAcquire(offset);
            final int status = Segments.verifyRecord(buffer, offset, segmentLengthBytes, nextSequence, checksum,
                frameLength);
            if (status <= 0)
            {
                if (Segments.EMPTY == status || Segments.IN_PROGRESS == status)
                {
                    checkNotDamaged(offset, status);
                    break;
                }
                if (Segments.END == status)
                {
                    // As Journal.open: nothing but zeros may follow the marker, or a marker written over a record
                    // would hide every record after it (the newest segment then simply seems to end there).
                    final int garbage = Segments.lastNonZero(buffer, offset + Integer.BYTES, segmentLengthBytes);
                    if (garbage >= offset + Integer.BYTES)
                    {
                        throw new JournalException("non-zero bytes after the end-of-segment marker (the last at " +
                            "offset " + garbage + ")", segmentFile, offset, nextSequence, null);
                    }
                    atEnd = true;
                    continue;
                }
                throw new JournalException("damaged record: " + Segments.describe(status), segmentFile, offset,
                    nextSequence, null);
            }

            checksum = buffer.getInt(offset + CHECKSUM_OFFSET);
            final long sequence = nextSequence++;
            position = offset + RecordDescriptor.align(frameLength);
            if (sequence >= fromSequence)
            {
                delivered++;
                handler.onRecord(
                    buffer.getInt(offset + TYPE_OFFSET),
                    sequence,
                    buffer.getLong(offset + TIMESTAMP_OFFSET),
                    buffer,
                    offset + HEADER_LENGTH,
                    frameLength - HEADER_LENGTH);
            }
        }

        return delivered;
    }

    /**
     * @return sequence of the next record this reader will read (delivered or skipped).
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * @return the segment file this reader is reading: during {@link RecordHandler#onRecord}, that of the record
     * delivered; null before the first segment is opened.
     */
    public Path segmentFile()
    {
        return segmentFile;
    }

    /**
     * @return the first sequence this reader delivers.
     */
    public long fromSequence()
    {
        return fromSequence;
    }

    /**
     * Unmap the current segment. Safe to call more than once.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            release();
        }
    }

    /**
     * No record where one should be is the writer not having written it yet, unless what is there could not have
     * been written by one: a zero length ahead of a header that carries the expected sequence (a length zeroed; a
     * writer writes its mark before any other byte of a record). That is damage, and the reader must say so rather
     * than look as if it reached the end. (A mark reaching past the segment's end, a length's top bit flipped, is
     * refused by {@link Segments#verifyRecord} already.) No allocation, no system call.
     */
    private void checkNotDamaged(final int offset, final int status)
    {
        if (Segments.EMPTY == status && offset <= segmentLengthBytes - HEADER_LENGTH &&
            buffer.getLongVolatile(offset + SEQUENCE_OFFSET) == nextSequence &&
            0 == buffer.getIntVolatile(offset))
        {
            throw new JournalException("damaged record: zero length ahead of a header with the expected sequence",
                segmentFile, offset, nextSequence, null);
        }
    }

    private boolean nextSegment()
    {
        final Path file = directory.resolve(SegmentDescriptor.fileName(nextSequence));
        if (!Files.exists(file))
        {
            // Not made yet, unless the segment this reader has read is gone too: the archive moves a segment only
            // once the next exists, and moves the oldest first, so the next was moved away (or lost) before this
            // reader reached it and will not come. Asked again, as the writer may have made it since the first look.
            if (Files.exists(segmentFile) || Files.exists(file))
            {
                return false;
            }
            throw new JournalException("segment moved out of the journal directory (journal archive?) before " +
                "this reader reached it, as was the one before it (" + segmentFile.getFileName() + "); move them " +
                "back to read on", file, 0, nextSequence, null);
        }
        try
        {
            openSegment(file, nextSequence, true, checksum);
        }
        catch (final IOException ex)
        {
            throw new JournalException("failed to open next segment: " + ex, file, 0, nextSequence, ex);
        }

        return true;
    }

    private void openSegment(
        final Path file, final long firstSequence, final boolean checkSeed, final int expectedSeed) throws IOException
    {
        final MappedByteBuffer segment = Segments.map(file, false);
        final UnsafeBuffer view = new UnsafeBuffer(segment);
        final int seed;
        try
        {
            seed = Segments.verifyHeader(file, view, segment.capacity(), firstSequence);
            if (checkSeed && seed != expectedSeed)
            {
                throw new JournalException("segment header's previous checksum does not match the last record " +
                    "of the previous segment", file, SegmentDescriptor.PREVIOUS_CHECKSUM_OFFSET, firstSequence, null);
            }
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(segment);
            throw ex;
        }

        release();
        mapped = segment;
        segmentFile = file;
        segmentLengthBytes = segment.capacity();
        buffer.wrap(segment);
        position = SegmentDescriptor.HEADER_LENGTH;
        nextSequence = firstSequence;
        checksum = seed;
        atEnd = false;
    }

    private void release()
    {
        if (null != mapped)
        {
            buffer.wrap(0, 0);
            IoUtil.unmap(mapped);
            mapped = null;
        }
    }
}
