package io.paycore.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * Journal retention: moves whole segments before a sequence out of a journal directory into an archive directory,
 * and the marker ({@value #MARKER_FILE_NAME}) that lets a journal whose oldest segments were moved still open.
 * <p>
 * A journal normally starts at sequence 1, and one whose first segment starts later is refused as damaged (a
 * segment was lost). The marker records the first sequence kept and the checksum of the record before it, so a
 * journal may start at any sequence up to the marker's: the chain continues from the first kept segment's header,
 * and where that segment is the marker's, its header must carry the marker's checksum.
 * <p>
 * {@link #archive} writes the marker first and then moves the segments, oldest first, so a crash at any point
 * leaves a journal that opens: the segments not yet moved are still in place, and the marker allows what was.
 * Segments are moved by rename where the archive is on the same file system, otherwise copied, forced and deleted.
 * It changes no segment the journal appends to (never the newest), so it may run while the journal is open.
 * <p>
 * Not thread safe: one archiver at a time per journal.
 */
public final class JournalArchive
{
    /**
     * Name of the marker file in the journal directory.
     */
    public static final String MARKER_FILE_NAME = "archived.properties";

    private static final String FIRST_SEQUENCE_KEY = "firstSequence";
    private static final String PREVIOUS_CHECKSUM_KEY = "previousChecksum";
    private static final String ARCHIVE_KEY = "archive";

    private JournalArchive()
    {
    }

    /**
     * What a journal directory's marker says.
     *
     * @param firstSequence    the first sequence kept in the journal directory.
     * @param previousChecksum the checksum of record {@code firstSequence - 1}, the chain's seed from there.
     * @param archive          where the earlier segments were moved.
     */
    public record Marker(long firstSequence, int previousChecksum, Path archive)
    {
    }

    /**
     * What {@link #archive} did.
     *
     * @param segmentsMoved  segments moved to the archive.
     * @param bytesMoved     their total length.
     * @param firstSequence  the first sequence left in the journal directory.
     * @param archive        the archive directory.
     */
    public record Result(int segmentsMoved, long bytesMoved, long firstSequence, Path archive)
    {
    }

    /**
     * Read a journal directory's marker.
     *
     * @param journalDirectory the journal's directory.
     * @return the marker, or null if none was ever written.
     * @throws JournalException if the marker cannot be read or is malformed.
     */
    public static Marker readMarker(final Path journalDirectory)
    {
        final Path file = journalDirectory.resolve(MARKER_FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return null;
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
            return new Marker(
                Long.parseLong(properties.getProperty(FIRST_SEQUENCE_KEY)),
                Integer.parseInt(properties.getProperty(PREVIOUS_CHECKSUM_KEY)),
                Path.of(properties.getProperty(ARCHIVE_KEY)));
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot read the journal's archive marker: " + ex, file,
                JournalException.UNKNOWN, JournalException.UNKNOWN, ex);
        }
    }

    /**
     * The first sequence a journal directory holds now: 1, or the first kept after an archive.
     *
     * @param journalDirectory the journal's directory.
     * @return the first segment's first sequence, 1 if there are no segments.
     * @throws JournalException if the directory cannot be listed.
     */
    public static long firstSequence(final Path journalDirectory)
    {
        try
        {
            final Path[] files = Segments.list(journalDirectory);
            return 0 == files.length ? 1 : SegmentDescriptor.firstSequence(files[0]);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list the journal: " + ex, journalDirectory, JournalException.UNKNOWN,
                JournalException.UNKNOWN, ex);
        }
    }

    /**
     * Move every segment whose records all come before {@code beforeSequence} (the segment after it starts at or
     * before {@code beforeSequence}) to {@code archiveDirectory}. The newest segment is never moved.
     *
     * @param journalDirectory the journal's directory.
     * @param archiveDirectory where the segments go, not the journal directory; created if missing; a segment
     *                         already there under the same name is replaced only if it holds the same bytes (a
     *                         move a crash interrupted), otherwise nothing is archived.
     * @param beforeSequence   the first sequence that must stay in the journal directory.
     * @return what was moved; nothing if no segment lies wholly before the sequence.
     * @throws JournalException naming the file, if a segment cannot be read or moved (what was moved stays moved
     *                          and the journal still opens), or the archive is refused (nothing is moved).
     */
    public static Result archive(final Path journalDirectory, final Path archiveDirectory, final long beforeSequence)
    {
        try
        {
            final Path[] files = Segments.list(journalDirectory);
            int count = 0;
            while (count < files.length - 1 && SegmentDescriptor.firstSequence(files[count + 1]) <= beforeSequence)
            {
                count++;
            }
            if (0 == count)
            {
                return new Result(0, 0, 0 == files.length ? 1 : SegmentDescriptor.firstSequence(files[0]),
                    archiveDirectory);
            }

            checkArchive(journalDirectory, archiveDirectory, files, count);
            final Path firstKept = files[count];
            final long firstSequence = SegmentDescriptor.firstSequence(firstKept);
            final int previousChecksum = previousChecksum(firstKept, firstSequence);
            Files.createDirectories(archiveDirectory);
            writeMarker(journalDirectory, new Marker(firstSequence, previousChecksum,
                archiveDirectory.toAbsolutePath().normalize()));

            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                bytes += Files.size(files[i]);
                move(files[i], archiveDirectory.resolve(files[i].getFileName()));
            }
            Segments.syncDirectory(archiveDirectory);
            Segments.syncDirectory(journalDirectory);

            return new Result(count, bytes, firstSequence, archiveDirectory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot archive the journal: " + ex, journalDirectory,
                JournalException.UNKNOWN, beforeSequence, ex);
        }
    }

    /**
     * Before anything is changed: the archive is not the journal itself, and it holds no other segment under the
     * name of one to be moved (one of another journal, say); the same segment, left by a copy a crash cut short, is
     * replaced.
     */
    private static void checkArchive(
        final Path journalDirectory, final Path archiveDirectory, final Path[] files, final int count)
        throws IOException
    {
        if (Files.isDirectory(archiveDirectory) && Files.isSameFile(archiveDirectory, journalDirectory))
        {
            throw new JournalException("the archive " + archiveDirectory + " is the journal directory: nothing " +
                "would leave the journal; nothing was archived", archiveDirectory, JournalException.UNKNOWN,
                JournalException.UNKNOWN, null);
        }
        for (int i = 0; i < count; i++)
        {
            final Path target = archiveDirectory.resolve(files[i].getFileName());
            if (Files.exists(target) && -1 != Files.mismatch(files[i], target))
            {
                throw new JournalException("the archive already holds a different " + target.getFileName() +
                    " (of another journal?), not replaced: " + target + "; nothing was archived", target,
                    JournalException.UNKNOWN, SegmentDescriptor.firstSequence(files[i]), null);
            }
        }
    }

    private static int previousChecksum(final Path file, final long firstSequence) throws IOException
    {
        final MappedByteBuffer mapped = Segments.map(file, false);
        try
        {
            return Segments.verifyHeader(file, new UnsafeBuffer(mapped), mapped.capacity(), firstSequence);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    private static void writeMarker(final Path journalDirectory, final Marker marker) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty(FIRST_SEQUENCE_KEY, Long.toString(marker.firstSequence()));
        properties.setProperty(PREVIOUS_CHECKSUM_KEY, Integer.toString(marker.previousChecksum()));
        properties.setProperty(ARCHIVE_KEY, marker.archive().toString());
        final Path file = journalDirectory.resolve(MARKER_FILE_NAME);
        final Path temp = journalDirectory.resolve(MARKER_FILE_NAME + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8))
        {
            properties.store(writer, "paycore journal: segments before firstSequence were moved to archive");
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Segments.syncDirectory(journalDirectory);
    }

    private static void move(final Path from, final Path to) throws IOException
    {
        try
        {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            final Path temp = to.resolveSibling(to.getFileName() + ".tmp");
            Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Segments.syncDirectory(to.getParent());
            Files.delete(from);
        }
    }
}
