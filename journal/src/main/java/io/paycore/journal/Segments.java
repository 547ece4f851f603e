package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.paycore.journal.RecordDescriptor.CHECKSUM_OFFSET;
import static io.paycore.journal.RecordDescriptor.END_OF_SEGMENT;
import static io.paycore.journal.RecordDescriptor.HEADER_LENGTH;
import static io.paycore.journal.RecordDescriptor.RESERVED_OFFSET;
import static io.paycore.journal.RecordDescriptor.SEQUENCE_OFFSET;
import static io.paycore.journal.RecordDescriptor.TYPE_OFFSET;
import static io.paycore.journal.SegmentDescriptor.FIRST_SEQUENCE_OFFSET;
import static io.paycore.journal.SegmentDescriptor.HEADER_CHECKSUM_OFFSET;
import static io.paycore.journal.SegmentDescriptor.MAGIC;
import static io.paycore.journal.SegmentDescriptor.MAGIC_OFFSET;
import static io.paycore.journal.SegmentDescriptor.PREVIOUS_CHECKSUM_OFFSET;
import static io.paycore.journal.SegmentDescriptor.SEGMENT_LENGTH_OFFSET;
import static io.paycore.journal.SegmentDescriptor.VERSION;
import static io.paycore.journal.SegmentDescriptor.VERSION_OFFSET;

/**
 * File operations and verification shared by the journal and its readers.
 */
final class Segments
{
    /**
     * Result of {@link #verifyRecord}: no record published at this position.
     */
    static final int EMPTY = 0;

    /**
     * Result of {@link #verifyRecord}: the end-of-segment marker.
     */
    static final int END = -1;

    /**
     * Result of {@link #verifyRecord}: frame length out of range.
     */
    static final int BAD_LENGTH = -2;

    /**
     * Result of {@link #verifyRecord}: sequence is not the one expected.
     */
    static final int BAD_SEQUENCE = -3;

    /**
     * Result of {@link #verifyRecord}: reserved field is not zero.
     */
    static final int BAD_RESERVED = -4;

    /**
     * Result of {@link #verifyRecord}: checksum does not match the chain.
     */
    static final int BAD_CHECKSUM = -5;

    /**
     * Result of {@link #verifyRecord}: a record whose append is under way, or was cut short by a crash
     * ({@link RecordDescriptor#inProgress}); not published.
     */
    static final int IN_PROGRESS = -6;

    private static final int ZERO_CHUNK_LENGTH = 1024 * 1024;

    private Segments()
    {
    }

    /**
     * Verify the record at an offset.
     *
     * @param buffer           mapping the whole segment.
     * @param offset           of the record.
     * @param segmentLength    of the segment.
     * @param expectedSequence of the record.
     * @param previousChecksum checksum of the previous record in the chain.
     * @param frameLength      frame length read from the record, with acquire semantics if racing a writer.
     * @return the checksum of the record (any int) when valid is signalled by {@code status[0] > 0}.
     */
    static int verifyRecord(
        final UnsafeBuffer buffer,
        final int offset,
        final int segmentLength,
        final long expectedSequence,
        final int previousChecksum,
        final int frameLength)
    {
        if (0 == frameLength)
        {
            return EMPTY;
        }
        if (END_OF_SEGMENT == frameLength)
        {
            return END;
        }
        if (RecordDescriptor.inProgress(frameLength))
        {
            // A writer marks only a record that fits: a mark reaching past the end is a length's top bit flipped.
            return -(long)frameLength <= segmentLength - offset ? IN_PROGRESS : BAD_LENGTH;
        }
        if (frameLength < HEADER_LENGTH || RecordDescriptor.align(frameLength) > segmentLength - offset)
        {
            return BAD_LENGTH;
        }
        if (buffer.getLong(offset + SEQUENCE_OFFSET) != expectedSequence)
        {
            return BAD_SEQUENCE;
        }
        if (0 != buffer.getInt(offset + RESERVED_OFFSET))
        {
            return BAD_RESERVED;
        }
        if (buffer.getInt(offset + CHECKSUM_OFFSET) != checksum(buffer, offset, frameLength, previousChecksum))
        {
            return BAD_CHECKSUM;
        }

        return frameLength;
    }

    static int checksum(final UnsafeBuffer buffer, final int offset, final int frameLength, final int previous)
    {
        return Checksums.update(
            Checksums.updateInt(previous, frameLength),
            buffer.addressOffset() + offset + TYPE_OFFSET,
            RecordDescriptor.align(frameLength) - TYPE_OFFSET);
    }

    static String describe(final int status)
    {
        switch (status)
        {
            case BAD_LENGTH: return "frame length out of range";
            case BAD_SEQUENCE: return "unexpected sequence";
            case BAD_RESERVED: return "reserved field not zero";
            case BAD_CHECKSUM: return "checksum mismatch";
            case END: return "end-of-segment marker";
            case EMPTY: return "no record";
            case IN_PROGRESS: return "a record being appended";
            default: return "valid";
        }
    }

    /**
     * Verify a segment header against its file name and expectations; throws naming the file on damage.
     *
     * @return the previous checksum stored in the header.
     */
    static int verifyHeader(
        final Path file, final UnsafeBuffer buffer, final long fileLength, final long expectedFirstSequence)
    {
        if (fileLength < SegmentDescriptor.HEADER_LENGTH)
        {
            throw new JournalException("segment shorter than its header (" + fileLength + " bytes)",
                file, 0, expectedFirstSequence, null);
        }
        final int expectedChecksum = Checksums.update(0, buffer.addressOffset(), HEADER_CHECKSUM_OFFSET);
        if (buffer.getInt(HEADER_CHECKSUM_OFFSET) != expectedChecksum)
        {
            throw new JournalException("segment header checksum mismatch", file, HEADER_CHECKSUM_OFFSET,
                expectedFirstSequence, null);
        }
        if (buffer.getInt(MAGIC_OFFSET) != MAGIC)
        {
            throw new JournalException("not a journal segment (bad magic)", file, MAGIC_OFFSET,
                expectedFirstSequence, null);
        }
        if (buffer.getInt(VERSION_OFFSET) != VERSION)
        {
            throw new JournalException("unsupported segment version " + buffer.getInt(VERSION_OFFSET), file,
                VERSION_OFFSET, expectedFirstSequence, null);
        }
        if (buffer.getLong(SEGMENT_LENGTH_OFFSET) != fileLength)
        {
            throw new JournalException("segment length in header " + buffer.getLong(SEGMENT_LENGTH_OFFSET) +
                " differs from file length " + fileLength, file, SEGMENT_LENGTH_OFFSET, expectedFirstSequence, null);
        }
        final long firstSequence = buffer.getLong(FIRST_SEQUENCE_OFFSET);
        if (firstSequence != expectedFirstSequence)
        {
            throw new JournalException("segment starts at sequence " + firstSequence + ", expected " +
                expectedFirstSequence + " (missing segment or sequence gap)", file, FIRST_SEQUENCE_OFFSET,
                expectedFirstSequence, null);
        }

        return buffer.getInt(PREVIOUS_CHECKSUM_OFFSET);
    }

    /**
     * Segment files in a directory, sorted by first sequence.
     */
    static Path[] list(final Path directory) throws IOException
    {
        int count = 0;
        Path[] files = new Path[16];
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SegmentDescriptor.SUFFIX))
        {
            for (final Path file : stream)
            {
                if (SegmentDescriptor.firstSequence(file) < 1)
                {
                    throw new JournalException("unexpected file name in journal directory", file,
                        JournalException.UNKNOWN, JournalException.UNKNOWN, null);
                }
                if (count == files.length)
                {
                    files = Arrays.copyOf(files, count * 2);
                }
                files[count++] = file;
            }
        }
        final Path[] result = Arrays.copyOf(files, count);
        Arrays.sort(result, (a, b) -> Long.compare(SegmentDescriptor.firstSequence(a),
            SegmentDescriptor.firstSequence(b)));

        return result;
    }

    /**
     * Create a segment: zeros written for real through the channel under a temporary name (so the file system
     * allocates or reserves the space now and a full disk surfaces here as an IOException, never later as SIGBUS on a
     * mapped write) and, if {@code forceHeader}, forced with the file's length (a file system that allocates late, as
     * ext4 and XFS do, otherwise keeps on the device only as much of the file as it has written back, and after a
     * power cut the segment would be shorter than its header says: the journal would not open), mapped, header
     * written and, if {@code forceHeader}, forced, then renamed into place. If {@code spare} is not null it
     * is an already preallocated file of the right length, forced already, used instead of writing the zeros now,
     * and {@code spareMapping}, if not null, its read-write mapping.
     * On failure the temporary (or spare) file is deleted and the exception rethrown.
     *
     * @return the segment mapped read-write; the caller unmaps it.
     */
    static MappedByteBuffer create(
        final Path directory,
        final long firstSequence,
        final int previousChecksum,
        final int segmentLength,
        final ByteBuffer zeros,
        final Path spare,
        final MappedByteBuffer spareMapping,
        final boolean forceHeader)
        throws IOException
    {
        final String name = SegmentDescriptor.fileName(firstSequence);
        final Path file = directory.resolve(name);
        final Path temp = null != spare ? spare : directory.resolve(name + ".tmp");
        if (null == spare)
        {
            preallocate(temp, segmentLength, zeros, null, forceHeader);
        }

        MappedByteBuffer mapped = spareMapping;
        try
        {
            if (null == mapped)
            {
                mapped = mapForWrite(temp, segmentLength);
            }
            if (mapped.capacity() != segmentLength)
            {
                throw new IOException("preallocated file " + temp + " has length " + mapped.capacity() +
                    ", expected " + segmentLength);
            }

            mapped.order(ByteOrder.LITTLE_ENDIAN);
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, SegmentDescriptor.HEADER_LENGTH);
            header.putInt(MAGIC_OFFSET, MAGIC);
            header.putInt(VERSION_OFFSET, VERSION);
            header.putLong(SEGMENT_LENGTH_OFFSET, segmentLength);
            header.putLong(FIRST_SEQUENCE_OFFSET, firstSequence);
            header.putInt(PREVIOUS_CHECKSUM_OFFSET, previousChecksum);
            header.putInt(HEADER_CHECKSUM_OFFSET, Checksums.update(0, header.addressOffset(), HEADER_CHECKSUM_OFFSET));
            if (forceHeader)
            {
                mapped.force(0, SegmentDescriptor.HEADER_LENGTH);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != mapped)
            {
                IoUtil.unmap(mapped);
            }
            deleteQuietly(temp, ex);
            throw ex;
        }

        return mapped;
    }

    static MappedByteBuffer mapForWrite(final Path file, final int segmentLength) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            if (channel.size() != segmentLength)
            {
                throw new IOException("preallocated file " + file + " has length " + channel.size() +
                    ", expected " + segmentLength);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, segmentLength);
        }
    }

    /**
     * Write a file of zeros for real, through the channel, so its space is allocated (or reserved) now, calling
     * {@code afterChunk} (if not null) after each {@code zeros.capacity()} bytes (to pace a background thread) and,
     * if {@code force}, forcing the zeros and the file's length to the device at the end. On failure the file is
     * deleted and the exception rethrown.
     */
    static void preallocate(
        final Path temp, final int segmentLength, final ByteBuffer zeros, final Runnable afterChunk, final boolean force)
        throws IOException
    {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            long position = 0;
            while (position < segmentLength)
            {
                zeros.clear().limit((int)Math.min(zeros.capacity(), segmentLength - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
                if (null != afterChunk)
                {
                    afterChunk.run();
                }
            }
            if (force)
            {
                channel.force(true);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            deleteQuietly(temp, ex);
            throw ex;
        }
    }

    private static void deleteQuietly(final Path file, final Exception failure)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException suppressed)
        {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * A buffer of zeros for {@link #create}; its content must stay zero.
     */
    static ByteBuffer zeroChunk()
    {
        return ByteBuffer.allocateDirect(ZERO_CHUNK_LENGTH);
    }

    static MappedByteBuffer map(final Path file, final boolean writable) throws IOException
    {
        try (FileChannel channel = writable ?
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE) :
            FileChannel.open(file, StandardOpenOption.READ))
        {
            final long length = channel.size();
            if (length > Integer.MAX_VALUE)
            {
                throw new JournalException("segment longer than 2 GiB", file, 0, JournalException.UNKNOWN, null);
            }
            final MappedByteBuffer mapped = channel.map(
                writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, length);
            mapped.order(ByteOrder.LITTLE_ENDIAN);
            return mapped;
        }
    }

    static void syncDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    /**
     * @return index of the last non-zero byte in [from, to), or from - 1 if all zero.
     */
    static int lastNonZero(final UnsafeBuffer buffer, final int from, final int to)
    {
        int end = to;
        while (end - Long.BYTES >= from && 0 == (end & (Long.BYTES - 1)) && 0 == buffer.getLong(end - Long.BYTES))
        {
            end -= Long.BYTES;
        }
        for (int i = end - 1; i >= from; i--)
        {
            if (0 != buffer.getByte(i))
            {
                return i;
            }
        }

        return from - 1;
    }
}
