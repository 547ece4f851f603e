package io.paycore.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.paycore.journal.RecordDescriptor.CHECKSUM_OFFSET;
import static io.paycore.journal.RecordDescriptor.END_OF_SEGMENT;
import static io.paycore.journal.RecordDescriptor.HEADER_LENGTH;
import static io.paycore.journal.RecordDescriptor.LENGTH_OFFSET;
import static io.paycore.journal.RecordDescriptor.RESERVED_OFFSET;
import static io.paycore.journal.RecordDescriptor.SEQUENCE_OFFSET;
import static io.paycore.journal.RecordDescriptor.TIMESTAMP_OFFSET;
import static io.paycore.journal.RecordDescriptor.TYPE_OFFSET;

/**
 * An append-only log of records in memory-mapped segment files, each record checksummed in a chain with the one
 * before (see {@link RecordDescriptor} and {@link SegmentDescriptor} for the format).
 * <p>
 * {@link #open(JournalContext)} verifies every segment and record. A torn tail (an incomplete or zeroed record
 * after the last valid one, at the end of the newest segment, with no valid record after it) is zeroed and
 * reported in {@link #openReport()}; any other damage fails the open with a {@link JournalException} naming the
 * file, offset and sequence. Rules: in a segment other than the newest, every record must verify and the rest
 * after the end-of-segment marker must be zero; each segment's header must carry the next expected sequence and
 * the previous segment's last checksum (so a missing segment, a sequence gap or a dropped last record is caught);
 * in the newest segment, an invalid record is a torn tail only if no plausible record header (in-range length,
 * zero reserved field, a sequence above the invalid one's) appears at or after it, otherwise it is corruption. That
 * test errs towards refusing to open rather than dropping data. Records lost whole from the very end of the newest
 * segment (zeroed, never written) cannot be told from records never appended: compare with the durable sequence
 * reported before the crash.
 * <p>
 * <b>Threading</b>: {@link #append}, {@link #flush()} and {@link #close()} are called from one thread only (the
 * single writer). Only one journal may be open per directory at a time, across processes: the open takes a file
 * lock on {@link #LOCK_FILE_NAME} and a second open fails with a clear error. {@link #lastSequence()} and {@link #durableSequence()} may be read from any thread. Any number of
 * {@link JournalReader}s, in this or other threads or processes, may read while appends happen; each sees a record
 * only once it is complete, because the frame length is written last with release semantics. Unless
 * {@link JournalContext#preallocate(boolean)} is off, a background thread (parked when idle) keeps the next segment
 * file written full of zeros, so a roll costs the appending thread a header, a one-page force and a rename.
 * <p>
 * Steady-state appends do not allocate, lock or throw. Exceptions come only from a limit violation (refused,
 * nothing written) or an I/O failure. A failed segment roll or force puts the journal into a failed state in which
 * every further append is refused ({@link #failure()} says why); everything appended before stays intact and the
 * journal can be reopened.
 */
public final class Journal implements AutoCloseable
{
    /**
     * File in the journal directory locked (advisory, {@link FileChannel#tryLock()}) by the open journal, so only one
     * writer appends at a time. Readers do not take it.
     */
    public static final String LOCK_FILE_NAME = "journal.lock";

    private static final int NO_CLAIM = -1;
    private static final int APPEND_LIMIT_STEP = 1024 * 1024;
    private static final VarHandle LAST_SEQUENCE;
    private static final VarHandle DURABLE_SEQUENCE;
    private static final VarHandle SEGMENT_ROLLS;

    static
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new ExceptionInInitializerError("journal format is little-endian; this platform is not");
        }
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_SEQUENCE = lookup.findVarHandle(Journal.class, "lastSequence", long.class);
            DURABLE_SEQUENCE = lookup.findVarHandle(Journal.class, "durableSequence", long.class);
            SEGMENT_ROLLS = lookup.findVarHandle(Journal.class, "segmentRolls", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path directory;
    private final int newSegmentLengthBytes;
    private final int maxRecordLengthBytes;
    private final FlushLevel flushLevel;
    private final OpenReport openReport;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final ByteBuffer zeros = Segments.zeroChunk();
    private final SegmentPreallocator preallocator;
    private final FileChannel lock;

    private MappedByteBuffer mapped;
    private Path segmentFile;
    private int segmentLengthBytes;
    private int position;
    private int unforcedPosition;
    private boolean segmentFull;
    private int appendLimit;
    private long nextSequence;
    private int lastChecksum;
    private long lastTimestampNanos;
    private long segmentRolls;
    @SuppressWarnings("unused") private long lastSequence;
    @SuppressWarnings("unused") private long durableSequence;
    private JournalException failure;
    private boolean closed;
    private int claimOffset = NO_CLAIM;
    private int claimLength;

    private Journal(final JournalContext context)
    {
        directory = context.directory();
        newSegmentLengthBytes = context.segmentLength();
        maxRecordLengthBytes = context.maxRecordLength();
        flushLevel = context.flushLevel();
        lock = lock(directory);
        try
        {
            openReport = recover();
        }
        catch (final IOException ex)
        {
            releaseSegment();
            CloseHelper.quietClose(lock);
            throw new JournalException("failed to open journal in " + directory + ": " + ex, directory,
                JournalException.UNKNOWN, JournalException.UNKNOWN, ex);
        }
        catch (final RuntimeException ex)
        {
            releaseSegment();
            CloseHelper.quietClose(lock);
            throw ex;
        }
        preallocator = context.preallocate() ? new SegmentPreallocator(
            directory, newSegmentLengthBytes, FlushLevel.NONE != flushLevel, context.threadFactory()) : null;
        if (null != preallocator)
        {
            preallocator.request();
        }
    }

    /**
     * Open (creating if needed) the journal in {@link JournalContext#directory()}, verifying every record.
     *
     * @param context configuration; {@link JournalContext#conclude()} is called.
     * @return the open journal, positioned to append after the last valid record.
     * @throws JournalException on damage other than a torn tail, naming file, offset and sequence, or on an I/O
     *                          error.
     */
    public static Journal open(final JournalContext context)
    {
        context.conclude();
        return new Journal(context);
    }

    /**
     * Append one record, copying the payload into the mapped segment, and force it at {@link FlushLevel#EVERY}.
     * Rolls to a new segment when the record does not fit in the current one.
     *
     * @param type           opaque record type.
     * @param timestampNanos stored with the record.
     * @param src            payload source.
     * @param offset         of the payload in src.
     * @param length         of the payload, 0 to the maximum record length.
     * @return the sequence assigned to the record.
     * @throws JournalException if the length is over the limit, the journal is closed or failed, or a segment roll
     *                          or force failed (then the journal is failed; a record whose roll failed is not
     *                          appended).
     */
    public long append(
        final int type, final long timestampNanos, final DirectBuffer src, final int offset, final int length)
    {
        final int recordOffset = reserve(length);
        final UnsafeBuffer buffer = this.buffer;
        buffer.putBytes(recordOffset + HEADER_LENGTH, src, offset, length);

        return commit(recordOffset, type, timestampNanos, length);
    }

    /**
     * Claim space for a record so the caller can write its payload directly into the mapped segment (zero copy):
     * write {@code length} bytes into {@link #buffer()} from the returned offset, then {@link #commitClaim(int, long)}
     * or {@link #abortClaim()}. Until then the record is invisible to readers and no other append is accepted.
     *
     * @param length of the payload, 0 to the maximum record length.
     * @return offset in {@link #buffer()} at which to write the payload.
     * @throws JournalException as for {@link #append}.
     */
    public int tryClaim(final int length)
    {
        final int recordOffset = reserve(length);
        claimOffset = recordOffset;
        claimLength = length;

        return recordOffset + HEADER_LENGTH;
    }

    /**
     * @return the mapped segment buffer into which a claimed payload is written; valid until the claim is committed
     * or aborted. Write only within the claimed range.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Publish the claimed record, as {@link #append} would.
     *
     * @param type           opaque record type.
     * @param timestampNanos stored with the record.
     * @return the sequence assigned to the record.
     * @throws JournalException if no claim is pending, or a force fails at {@link FlushLevel#EVERY}.
     */
    public long commitClaim(final int type, final long timestampNanos)
    {
        final int recordOffset = claimOffset;
        if (NO_CLAIM == recordOffset)
        {
            throw new JournalException("no claimed record to commit", segmentFile, position, nextSequence, null);
        }
        claimOffset = NO_CLAIM;

        return commit(recordOffset, type, timestampNanos, claimLength);
    }

    /**
     * Abandon the claimed record: its bytes are zeroed and nothing is published.
     */
    public void abortClaim()
    {
        final int recordOffset = claimOffset;
        if (NO_CLAIM != recordOffset)
        {
            claimOffset = NO_CLAIM;
            buffer.setMemory(recordOffset, RecordDescriptor.alignedFrameLength(claimLength), (byte)0);
        }
    }

    /**
     * Ensure the journal is flushed up to the current position at the configured level: at {@link FlushLevel#BATCH}
     * and {@link FlushLevel#EVERY} everything appended since the last flush is forced to the device (group commit);
     * at {@link FlushLevel#NONE} this does nothing.
     *
     * @throws JournalException if the force failed; the journal is then failed.
     */
    public void flush()
    {
        ensureOpen();
        if (FlushLevel.NONE != flushLevel && unforcedPosition < position)
        {
            force(unforcedPosition, position - unforcedPosition);
        }
    }

    /**
     * @return sequence of the last record appended (published to readers), 0 if none. Any thread.
     */
    public long lastSequence()
    {
        return (long)LAST_SEQUENCE.getAcquire(this);
    }

    /**
     * @return the timestamp of the last record appended, or of the last one found when the journal was opened; 0 if
     * none was. Whoever stamps the next records starts after it, whatever its clock says now. Appending thread, or
     * before appends start.
     */
    public long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    /**
     * @return segments rolled to since this journal was opened: each roll is a rename and a new mapping on the
     * appending thread, a place to look when a latency tail lines up with it. Any thread.
     */
    public long segmentRolls()
    {
        return (long)SEGMENT_ROLLS.getAcquire(this);
    }

    /**
     * @return sequence up to which records are durable at the configured flush level: forced to the device at
     * {@link FlushLevel#BATCH} and {@link FlushLevel#EVERY}, written to the mapped file at {@link FlushLevel#NONE}
     * (survives a process crash). Any thread.
     */
    public long durableSequence()
    {
        return (long)DURABLE_SEQUENCE.getAcquire(this);
    }

    /**
     * @return what the open found, including any torn tail truncated.
     */
    public OpenReport openReport()
    {
        return openReport;
    }

    /**
     * @return the failure that stopped appends, or null while the journal is healthy.
     */
    public JournalException failure()
    {
        return failure;
    }

    /**
     * @return the configured flush level.
     */
    public FlushLevel flushLevel()
    {
        return flushLevel;
    }

    /**
     * @return the directory holding the segments.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return largest payload accepted by {@link #append}.
     */
    public int maxRecordLength()
    {
        return maxRecordLengthBytes;
    }

    /**
     * Abort any pending claim, flush at levels {@link FlushLevel#BATCH} and {@link FlushLevel#EVERY} (unless failed),
     * stop the preallocator, then unmap. Safe to call more than once.
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
            abortClaim();
            if (null == failure && null != mapped && FlushLevel.NONE != flushLevel && unforcedPosition < position)
            {
                force(unforcedPosition, position - unforcedPosition);
            }
        }
        finally
        {
            CloseHelper.quietClose(preallocator);
            releaseSegment();
            CloseHelper.quietClose(lock);
        }
    }

    /**
     * Take an exclusive lock on {@link #LOCK_FILE_NAME} so a second writer, in this or another process, is refused.
     */
    private static FileChannel lock(final Path directory)
    {
        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            final FileLock fileLock = channel.tryLock();
            if (null == fileLock)
            {
                throw new OverlappingFileLockException();
            }
            return channel;
        }
        catch (final OverlappingFileLockException ex)
        {
            CloseHelper.quietClose(channel);
            throw new JournalException("journal is already open for appending (single writer): " + directory,
                directory.resolve(LOCK_FILE_NAME), JournalException.UNKNOWN, JournalException.UNKNOWN, null);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new JournalException("cannot lock journal directory: " + ex, directory.resolve(LOCK_FILE_NAME),
                JournalException.UNKNOWN, JournalException.UNKNOWN, ex);
        }
    }

    /**
     * Reserve space for a record, rolling if needed. Payload goes at the returned offset + HEADER_LENGTH.
     */
    private int reserve(final int length)
    {
        if (null != failure || closed)
        {
            throw refused();
        }
        if (NO_CLAIM != claimOffset)
        {
            throw new JournalException("a claimed record is pending: commit or abort it first", segmentFile,
                claimOffset, nextSequence, null);
        }
        if (length < 0 || length > maxRecordLengthBytes)
        {
            throw new JournalException("record length " + length + " out of bounds 0.." + maxRecordLengthBytes + " (" +
                JournalContext.MAX_RECORD_LENGTH_PROP_NAME + ")", segmentFile, position, nextSequence, null);
        }
        final int alignedLength = RecordDescriptor.alignedFrameLength(length);
        if (position + alignedLength > appendLimit)
        {
            onAppendLimit(alignedLength);
        }
        // Before any byte of the record: a crash in the middle of the append leaves a record that says how far it
        // reaches, so that recovery does not take its bytes for records written after it.
        buffer.putIntRelease(position + LENGTH_OFFSET, -alignedLength);
        // A release orders the stores before it, not those after: without this fence a tailing reader on a weakly
        // ordered CPU (aarch64) may see the record's sequence before its mark, and take the zero length ahead of
        // the expected sequence for damage (JournalReader.checkNotDamaged). Free on x86.
        VarHandle.storeStoreFence();

        return position;
    }

    /**
     * The slow path of {@link #reserve}, taken every {@link #APPEND_LIMIT_STEP} bytes and not only at the end of a
     * segment. A branch that is never taken is compiled by C2 as a trap that throws the compiled append away the
     * first time it is taken: were this the roll alone, the first roll after start would run the appender in the
     * interpreter for tens of milliseconds while it is recompiled. Taken every megabyte, it is in the profile.
     */
    private void onAppendLimit(final int alignedLength)
    {
        if (segmentFull || position + alignedLength > segmentLengthBytes)
        {
            roll();
        }
        appendLimit = Math.min(segmentLengthBytes, position + APPEND_LIMIT_STEP);
    }

    private long commit(final int recordOffset, final int type, final long timestampNanos, final int length)
    {
        final UnsafeBuffer buffer = this.buffer;
        final long sequence = nextSequence;
        final int frameLength = HEADER_LENGTH + length;

        buffer.putInt(recordOffset + TYPE_OFFSET, type);
        buffer.putInt(recordOffset + RESERVED_OFFSET, 0);
        buffer.putLong(recordOffset + SEQUENCE_OFFSET, sequence);
        buffer.putLong(recordOffset + TIMESTAMP_OFFSET, timestampNanos);

        final int checksum = Checksums.update(
            Checksums.updateInt(lastChecksum, frameLength),
            buffer.addressOffset() + recordOffset + TYPE_OFFSET,
            RecordDescriptor.align(frameLength) - TYPE_OFFSET);
        buffer.putInt(recordOffset + CHECKSUM_OFFSET, checksum);
        buffer.putIntRelease(recordOffset + LENGTH_OFFSET, frameLength);

        lastChecksum = checksum;
        lastTimestampNanos = timestampNanos;
        nextSequence = sequence + 1;
        position = recordOffset + RecordDescriptor.align(frameLength);
        LAST_SEQUENCE.setRelease(this, sequence);

        switch (flushLevel)
        {
            case NONE:
                DURABLE_SEQUENCE.setRelease(this, sequence);
                break;

            case EVERY:
                force(unforcedPosition, position - unforcedPosition);
                break;

            default:
                break;
        }

        return sequence;
    }

    private void force(final int from, final int length)
    {
        final long sequence = nextSequence - 1;
        try
        {
            mapped.force(from, length);
        }
        catch (final UncheckedIOException | IllegalStateException ex)
        {
            failure = new JournalException("force failed; records up to sequence " + sequence + " are appended " +
                "but not known durable (durable sequence stays " + durableSequence() + "); journal refuses further " +
                "appends: " + ex, segmentFile, from, sequence, ex);
            throw failure;
        }
        unforcedPosition = from + length;
        DURABLE_SEQUENCE.setRelease(this, sequence);
    }

    private void roll()
    {
        if (!segmentFull && position < segmentLengthBytes)
        {
            buffer.putIntRelease(position, END_OF_SEGMENT);
            position += Integer.BYTES;
        }
        segmentFull = true;
        appendLimit = 0;
        if (FlushLevel.NONE != flushLevel && unforcedPosition < position)
        {
            force(unforcedPosition, position - unforcedPosition);
        }

        final Path file;
        final MappedByteBuffer newMapped;
        try
        {
            final SegmentPreallocator.Spare spare = null != preallocator ? preallocator.take() : null;
            // At flush none nothing is forced, the new segment's header included: a process crash keeps what is
            // in the page cache, and forcing a page costs the appending thread milliseconds on a real disk.
            newMapped = Segments.create(directory, nextSequence, lastChecksum, newSegmentLengthBytes, zeros,
                null != spare ? spare.file : null, null != spare ? spare.mapping : null, FlushLevel.NONE != flushLevel);
            if (null != preallocator)
            {
                preallocator.request();
            }
            file = directory.resolve(SegmentDescriptor.fileName(nextSequence));
            if (FlushLevel.NONE != flushLevel)
            {
                syncDirectory(newMapped);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = new JournalException("segment roll failed; journal refuses further appends (appended " +
                "records are intact, reopen after fixing the cause): " + ex,
                directory.resolve(SegmentDescriptor.fileName(nextSequence)), 0, nextSequence, ex);
            throw failure;
        }

        releaseSegment();
        useSegment(file, newMapped, SegmentDescriptor.HEADER_LENGTH);
        SEGMENT_ROLLS.setRelease(this, segmentRolls + 1);
    }

    private void syncDirectory(final MappedByteBuffer newMapped) throws IOException
    {
        try
        {
            Segments.syncDirectory(directory);
        }
        catch (final IOException | RuntimeException ex)
        {
            IoUtil.unmap(newMapped);
            throw ex;
        }
    }

    private void useSegment(final Path file, final MappedByteBuffer newMapped, final int startPosition)
    {
        mapped = newMapped;
        segmentFile = file;
        segmentLengthBytes = newMapped.capacity();
        buffer.wrap(newMapped);
        position = startPosition;
        unforcedPosition = startPosition;
        segmentFull = false;
        appendLimit = Math.min(segmentLengthBytes, position + APPEND_LIMIT_STEP);
    }

    private void releaseSegment()
    {
        if (null != mapped)
        {
            buffer.wrap(0, 0);
            if (null != preallocator)
            {
                // Unmapping a full segment takes milliseconds (its page tables are torn down): the preallocator's
                // thread does it, not the appender (once the preallocator is closed, retire unmaps here).
                preallocator.retire(mapped);
            }
            else
            {
                IoUtil.unmap(mapped);
            }
            mapped = null;
        }
    }

    private JournalException refused()
    {
        if (closed)
        {
            return new JournalException("journal is closed", segmentFile, position, nextSequence, null);
        }

        return new JournalException("journal failed, appends refused: " + failure.getMessage(),
            failure.file(), failure.offset(), failure.sequence(), failure);
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw refused();
        }
        if (null != failure)
        {
            throw refused();
        }
    }

    private OpenReport recover() throws IOException
    {
        Files.createDirectories(directory);
        final int deletedTempFiles = deleteTempFiles();
        Path[] files = Segments.list(directory);
        if (0 == files.length)
        {
            IoUtil.unmap(Segments.create(directory, 1, 0, newSegmentLengthBytes, zeros, null, null, true));
            Segments.syncDirectory(directory);
            files = Segments.list(directory);
        }

        long expectedSequence = 1;
        int checksum = 0;
        final long firstSequence = SegmentDescriptor.firstSequence(files[0]);
        final JournalArchive.Marker marker = 1 == firstSequence ? null : JournalArchive.readMarker(directory);
        if (1 != firstSequence)
        {
            if (null == marker || firstSequence > marker.firstSequence())
            {
                throw new JournalException("first segment does not start at sequence 1" + (null == marker ?
                    " and no segments were archived (" + JournalArchive.MARKER_FILE_NAME + ")" :
                    " but at " + firstSequence + ", after " + marker.firstSequence() + ", the first the archive " +
                    "marker keeps: a segment is missing"), files[0], 0, 1, null);
            }
            // Segments before were archived: the chain continues from this segment's header.
            expectedSequence = firstSequence;
        }
        Path tornTailFile = null;
        long tornTailOffset = -1;
        long tornTailBytes = 0;
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);

        for (int i = 0; i < files.length; i++)
        {
            final Path file = files[i];
            final boolean newest = i == files.length - 1;
            final long nameSequence = SegmentDescriptor.firstSequence(file);
            if (nameSequence != expectedSequence)
            {
                throw new JournalException(
                    (1 == expectedSequence ? "first segment does not start at sequence 1" :
                    "missing segment or sequence gap: previous segment ends at sequence " + (expectedSequence - 1)) +
                    ", next segment file starts at " + nameSequence, file, 0, expectedSequence, null);
            }

            // Verify through a read-only mapping: reading pages through the mapping later written would map them
            // read-only there, and every first write to each page would then take its own write-protect fault.
            final MappedByteBuffer segment = Segments.map(file, false);
            try
            {
                view.wrap(segment);
                final int length = segment.capacity();
                final int seed = Segments.verifyHeader(file, view, length, expectedSequence);
                if (0 == i && 1 != firstSequence)
                {
                    if (firstSequence == marker.firstSequence() && seed != marker.previousChecksum())
                    {
                        throw new JournalException("first segment's previous checksum does not match the archive " +
                            "marker's (" + JournalArchive.MARKER_FILE_NAME + ")", file,
                            SegmentDescriptor.PREVIOUS_CHECKSUM_OFFSET, expectedSequence, null);
                    }
                    checksum = seed;
                }
                else if (seed != checksum)
                {
                    throw new JournalException("segment header's previous checksum does not match the last record " +
                        "of the previous segment (a record was dropped or altered)", file,
                        SegmentDescriptor.PREVIOUS_CHECKSUM_OFFSET, expectedSequence, null);
                }

                int offset = SegmentDescriptor.HEADER_LENGTH;
                int status = Segments.EMPTY;
                while (offset < length)
                {
                    final int frameLength = view.getInt(offset);
                    status = Segments.verifyRecord(view, offset, length, expectedSequence, checksum, frameLength);
                    if (status <= 0)
                    {
                        break;
                    }
                    checksum = view.getInt(offset + CHECKSUM_OFFSET);
                    lastTimestampNanos = view.getLong(offset + TIMESTAMP_OFFSET);
                    expectedSequence++;
                    offset += RecordDescriptor.align(frameLength);
                }

                boolean full = offset >= length;
                if (!full && Segments.END == status)
                {
                    final int garbage = Segments.lastNonZero(view, offset + Integer.BYTES, length);
                    if (garbage >= offset + Integer.BYTES)
                    {
                        throw new JournalException("non-zero bytes after the end-of-segment marker", file, garbage,
                            expectedSequence, null);
                    }
                    full = true;
                }
                else if (!full && Segments.EMPTY == status &&
                    Segments.lastNonZero(view, offset, length) < offset)
                {
                    status = Segments.EMPTY;
                }
                else if (!full)
                {
                    if (!newest)
                    {
                        throw new JournalException("damaged record in a segment that is not the newest (" +
                            Segments.describe(status) + ")", file, offset, expectedSequence, null);
                    }
                    // A record cut short in its append reaches as far as its mark says; what lies beyond is
                    // searched for later records. Without a mark (0: the append did not start, or a journal
                    // written before the mark existed), the search starts at the damage.
                    final int frameLength = view.getInt(offset);
                    final int searchFrom = Segments.IN_PROGRESS == status ?
                        (int)Math.min((long)length, (long)offset - frameLength) : offset;
                    final long later = findLaterRecord(view, searchFrom, length, expectedSequence);
                    if (later >= 0)
                    {
                        throw new JournalException("damaged record (" + Segments.describe(status) +
                            ") followed by a record at offset " + later + ": corruption, not a torn tail", file,
                            offset, expectedSequence, null);
                    }
                    final int last = Segments.lastNonZero(view, offset, length);
                    tornTailFile = file;
                    tornTailOffset = offset;
                    tornTailBytes = last + 1 - offset;
                    zero(file, offset, last + 1 - offset);
                }

                if (newest)
                {
                    useSegment(file, Segments.map(file, true), offset);
                    segmentFull = full;
                    if (full)
                    {
                        appendLimit = 0;
                    }
                }
            }
            finally
            {
                view.wrap(0, 0);
                IoUtil.unmap(segment);
            }
        }

        if (FlushLevel.NONE != flushLevel)
        {
            // What was found may be in the page cache only: appended by a process that died before its flush (so
            // never acknowledged), or by a run at flush none. It counts as durable from here on, and later forces
            // start after it, so it is forced now; else a power cut could take it and keep later records forced on
            // top of it, and the journal would not open past the gap.
            for (final Path file : files)
            {
                forceFile(file);
            }
        }
        final long last = expectedSequence - 1;
        nextSequence = expectedSequence;
        lastChecksum = checksum;
        LAST_SEQUENCE.setRelease(this, last);
        DURABLE_SEQUENCE.setRelease(this, last);

        return new OpenReport(files.length, last, tornTailFile, tornTailOffset, tornTailBytes, deletedTempFiles);
    }

    private static void forceFile(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
    }

    private static void zero(final Path file, final int offset, final int length) throws IOException
    {
        final MappedByteBuffer mapping = Segments.map(file, true);
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
            buffer.setMemory(offset, length, (byte)0);
            mapping.force(offset, length);
        }
        finally
        {
            IoUtil.unmap(mapping);
        }
    }

    /**
     * Look for evidence of a valid record at or after a damaged one: a header with an in-range length, zero
     * reserved field and a sequence greater than the damaged record's that could follow it. A torn write of the
     * record at the damaged offset carries its own sequence (or a zero length), so such a header means records were
     * lost, swapped or damaged, not torn. Errs towards reporting corruption rather than discarding data.
     *
     * @return offset of such a record, or -1.
     */
    private static long findLaterRecord(
        final UnsafeBuffer view, final int damagedOffset, final int length, final long damagedSequence)
    {
        // A later header starts at or before the last non-zero byte, but may end in zeros (an empty payload and a
        // small timestamp), so the search is bounded by where a header can start, not by where one must end.
        final int last = Segments.lastNonZero(view, damagedOffset, length);
        for (int offset = damagedOffset;
            offset <= last && offset + HEADER_LENGTH <= length;
            offset += RecordDescriptor.FRAME_ALIGNMENT)
        {
            final int frameLength = view.getInt(offset);
            if (frameLength >= HEADER_LENGTH && RecordDescriptor.align(frameLength) <= length - offset &&
                0 == view.getInt(offset + RESERVED_OFFSET))
            {
                final long sequence = view.getLong(offset + SEQUENCE_OFFSET);
                final long maxRecordsBetween = (offset - damagedOffset) / HEADER_LENGTH;
                if (sequence > damagedSequence && sequence <= damagedSequence + 1 + maxRecordsBetween)
                {
                    return offset;
                }
            }
        }

        return -1;
    }

    private int deleteTempFiles() throws IOException
    {
        int count = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SegmentDescriptor.TEMP_SUFFIX))
        {
            for (final Path file : stream)
            {
                Files.delete(file);
                count++;
            }
        }

        return count;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "Journal{directory=" + directory + ", lastSequence=" + lastSequence() +
            ", durableSequence=" + durableSequence() + ", flushLevel=" + flushLevel + '}';
    }
}
