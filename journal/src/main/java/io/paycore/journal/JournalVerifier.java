package io.paycore.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only checks of a journal directory that a {@link JournalReader} alone does not make, for the auditor and
 * anyone else who must not change what they check: the segment listing, an estimate of the last sequence, and the
 * check that nothing follows the last valid record. Takes no lock, creates, repairs and deletes nothing; each
 * mapping is read-only and unmapped before the method returns.
 */
public final class JournalVerifier
{
    private JournalVerifier()
    {
    }

    /**
     * After a reader has delivered everything it can: nothing may follow. The segment the reader is in must hold
     * only zeros after its last record (a record there that is not valid, or a torn tail, is damage), and no
     * segment may start after it.
     *
     * @param journalDirectory the journal's directory.
     * @param nextSequence     the sequence the reader would deliver next.
     * @return the damage found, located, or null.
     */
    public static JournalException checkEnd(final Path journalDirectory, final long nextSequence)
    {
        final Path[] segments = segments(journalDirectory);
        Path current = null;
        Path later = null;
        for (final Path segment : segments)
        {
            if (SegmentDescriptor.firstSequence(segment) <= nextSequence)
            {
                current = segment;
            }
            else if (null == later)
            {
                later = segment;
            }
        }
        final JournalException tail = null != current ? checkTail(current, nextSequence) : null;
        if (null != tail || null == later)
        {
            return tail;
        }
        final long first = SegmentDescriptor.firstSequence(later);
        return new JournalException("segment starts after the journal's last valid record (sequence " +
            (nextSequence - 1) + "): sequences " + nextSequence + ".." + (first - 1) + " are missing or unreadable",
            later, SegmentDescriptor.FIRST_SEQUENCE_OFFSET, nextSequence, null);
    }

    /**
     * @return damage if anything but zeros follows the last record of the segment, else null.
     */
    private static JournalException checkTail(final Path current, final long nextSequence)
    {
        try (FileChannel channel = FileChannel.open(current, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < SegmentDescriptor.HEADER_LENGTH || size > Integer.MAX_VALUE)
            {
                // The reader refuses such a segment when it opens it, but this may be one it never opened: a file
                // named as the next segment after one that was not ended.
                return new JournalException("not a segment: " + size + " bytes", current, 0, nextSequence, null);
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                final int length = (int)size;
                try
                {
                    Segments.verifyHeader(current, buffer, size, SegmentDescriptor.firstSequence(current));
                }
                catch (final JournalException ex)
                {
                    return ex;
                }
                int offset = SegmentDescriptor.HEADER_LENGTH;
                while (offset <= length - Integer.BYTES)
                {
                    final int frameLength = buffer.getIntVolatile(offset);
                    if (RecordDescriptor.END_OF_SEGMENT == frameLength)
                    {
                        final int garbage = Segments.lastNonZero(buffer, offset + Integer.BYTES, length);
                        return garbage < offset + Integer.BYTES ? null : new JournalException("non-zero bytes " +
                            "after the end-of-segment marker (the last at offset " + garbage + ")", current, offset,
                            nextSequence, null);
                    }
                    if (frameLength <= 0)
                    {
                        break;
                    }
                    if (offset <= length - RecordDescriptor.HEADER_LENGTH &&
                        buffer.getLong(offset + RecordDescriptor.SEQUENCE_OFFSET) >= nextSequence)
                    {
                        return new JournalException("a record the reader did not deliver: appended since (the " +
                            "journal is live) or not valid", current, offset, nextSequence, null);
                    }
                    offset += RecordDescriptor.alignedFrameLength(frameLength - RecordDescriptor.HEADER_LENGTH);
                }
                int i = offset;
                while (i <= length - Long.BYTES && 0 == buffer.getLong(i))
                {
                    i += Long.BYTES;
                }
                for (; i < length; i++)
                {
                    if (0 != buffer.getByte(i))
                    {
                        return new JournalException((length - offset) + " byte(s) after the last valid record are " +
                            "not empty: a record that does not verify (a zeroed length, a torn tail left by a " +
                            "crash, or tampering); first non-zero byte at offset " + i, current, offset,
                            nextSequence, null);
                    }
                }
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
        catch (final IOException ex)
        {
            return new JournalException("cannot read segment: " + ex, current, JournalException.UNKNOWN,
                nextSequence, ex);
        }

        return null;
    }

    /**
     * Segment files by first sequence, without creating or changing anything; files that are not segments are left
     * out.
     *
     * @param journalDirectory the journal's directory; none there means no segments.
     * @return the segment files, oldest first.
     * @throws UncheckedIOException if the directory cannot be listed.
     */
    public static Path[] segments(final Path journalDirectory)
    {
        if (!Files.isDirectory(journalDirectory))
        {
            return new Path[0];
        }
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(journalDirectory, "*" + SegmentDescriptor.SUFFIX))
        {
            for (final Path file : stream)
            {
                if (SegmentDescriptor.firstSequence(file) >= 1)
                {
                    files.add(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + journalDirectory + ": " + ex, ex);
        }
        files.sort((a, b) -> Long.compare(SegmentDescriptor.firstSequence(a), SegmentDescriptor.firstSequence(b)));

        return files.toArray(new Path[0]);
    }

    /**
     * Sequence of the last record of a journal directory, estimated as {@link #lastSequenceEstimate(Path)} does from
     * its last segment (nothing verified): for progress, and to watch a journal another process appends to.
     *
     * @param journalDirectory the journal's directory.
     * @return the estimate, 0 when it holds no segment.
     */
    public static long lastSequenceEstimateOf(final Path journalDirectory)
    {
        final Path[] segments = segments(journalDirectory);
        return 0 == segments.length ? 0 : lastSequenceEstimate(segments[segments.length - 1]);
    }

    /**
     * Sequence of the last record of the journal, estimated by hopping over the frame lengths of the last segment
     * (nothing verified): for progress and to pass over snapshots past the end.
     *
     * @param lastSegment the journal's last segment file.
     * @return the estimate.
     */
    public static long lastSequenceEstimate(final Path lastSegment)
    {
        final long first = SegmentDescriptor.firstSequence(lastSegment);
        try (FileChannel channel = FileChannel.open(lastSegment, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size <= SegmentDescriptor.HEADER_LENGTH || size > Integer.MAX_VALUE)
            {
                return first - 1;
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                final int length = (int)size;
                long records = 0;
                int offset = SegmentDescriptor.HEADER_LENGTH;
                while (offset <= length - RecordDescriptor.HEADER_LENGTH)
                {
                    final int frameLength = buffer.getIntVolatile(offset);
                    if (frameLength < RecordDescriptor.HEADER_LENGTH || frameLength > length - offset)
                    {
                        break;
                    }
                    records++;
                    offset += RecordDescriptor.alignedFrameLength(frameLength - RecordDescriptor.HEADER_LENGTH);
                }
                return first - 1 + records;
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
        catch (final IOException ex)
        {
            return first - 1;
        }
    }
}
