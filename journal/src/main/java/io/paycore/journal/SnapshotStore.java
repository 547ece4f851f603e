package io.paycore.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Snapshot files: each a state blob tagged with the journal sequence it covers, checksummed, written under a
 * temporary name, forced and renamed atomically, so a snapshot under its final name is complete.
 * <p>
 * Name: {@code snapshot-<sequence zero-padded to 20 digits>.snap}. Layout, little-endian:
 * <pre>
 *   0  int   magic {@link #MAGIC}
 *   4  int   version {@link #VERSION}
 *   8  long  sequence covered
 *  16  long  payload length in bytes
 *  24  int   CRC32C of the payload
 *  28  ...   zero
 *  60  int   CRC32C of bytes [0, 60)
 *  64  payload
 * </pre>
 * Writing streams ({@link #newSnapshot(long)} returns a {@link java.nio.channels.WritableByteChannel}) and
 * loading streams ({@link Snapshot#channel()}), so a state of hundreds of MB never needs to be one array.
 * <p>
 * <b>Threading</b>: not thread safe; use from one thread at a time. Not on any hot path: it allocates.
 */
public final class SnapshotStore
{
    /**
     * Magic number at offset 0: "PCS1" read as a little-endian int.
     */
    public static final int MAGIC = 0x31534350;

    /**
     * Format version.
     */
    public static final int VERSION = 1;

    /**
     * Length of the snapshot header; the payload starts here.
     */
    public static final int HEADER_LENGTH = 64;

    /**
     * Suffix of snapshot file names.
     */
    public static final String SUFFIX = ".snap";

    /**
     * Suffix of a snapshot being written.
     */
    public static final String TEMP_SUFFIX = ".snap.tmp";

    /**
     * Suffix of a snapshot set aside because it covers more of the journal than the journal holds
     * ({@link #setAside(long)}).
     */
    public static final String AHEAD_SUFFIX = ".snap.ahead";

    static final int SEQUENCE_OFFSET = 8;
    static final int PAYLOAD_LENGTH_OFFSET = 16;
    static final int PAYLOAD_CHECKSUM_OFFSET = 24;
    static final int HEADER_CHECKSUM_OFFSET = 60;

    private static final String PREFIX = "snapshot-";
    private static final int NAME_DIGITS = 20;
    private static final int VERIFY_CHUNK_LENGTH = 64 * 1024;

    private final Path directory;

    /**
     * A store of snapshots in a directory, created if missing.
     *
     * @param directory holding the snapshot files; may be the journal directory.
     */
    public SnapshotStore(final Path directory)
    {
        this.directory = directory;
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create snapshot directory: " + ex, directory,
                JournalException.UNKNOWN, JournalException.UNKNOWN, ex);
        }
    }

    /**
     * @return the directory holding the snapshots.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * File name of the snapshot for a sequence.
     *
     * @param sequence covered by the snapshot.
     * @return e.g. {@code snapshot-00000000000000001000.snap}.
     */
    public static String fileName(final long sequence)
    {
        final String digits = Long.toString(sequence);
        final StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = digits.length(); i < NAME_DIGITS; i++)
        {
            sb.append('0');
        }

        return sb.append(digits).append(SUFFIX).toString();
    }

    /**
     * Set a snapshot aside, durably, under a name no reader takes for a snapshot ({@value #AHEAD_SUFFIX}): one that
     * covers records the journal no longer holds (a power cut took its unforced tail at flush {@code none}). Left
     * where it was, it would be taken for a snapshot of the new records the journal gets at the same sequences, and
     * a new snapshot there would not be written over it. An earlier file set aside for the same sequence is
     * replaced.
     *
     * @param sequence the snapshot covers.
     * @return the file's new name.
     * @throws JournalException on an I/O error.
     */
    public Path setAside(final long sequence)
    {
        final String name = fileName(sequence);
        final Path file = directory.resolve(name);
        final Path aside = directory.resolve(name.substring(0, name.length() - SUFFIX.length()) + AHEAD_SUFFIX);
        try
        {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Segments.syncDirectory(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot set aside a snapshot ahead of the journal: " + ex, file,
                JournalException.UNKNOWN, sequence, ex);
        }

        return aside;
    }

    /**
     * Start writing a snapshot that covers the journal up to and including {@code sequence}. Write the state into
     * the returned channel, then {@link SnapshotWriter#commit()}; closing without commit discards it.
     *
     * @param sequence covered, at least 0.
     * @return a channel writing to a temporary file.
     * @throws JournalException on an I/O error.
     */
    public SnapshotWriter newSnapshot(final long sequence)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
        }
        final Path file = directory.resolve(fileName(sequence));
        final Path temp = directory.resolve(fileName(sequence) + ".tmp");
        final long forceEveryBytes = SnapshotWriter.forceEveryBytes();
        try
        {
            Files.deleteIfExists(temp);
            final FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
            return new SnapshotWriter(directory, temp, file, sequence, channel, forceEveryBytes);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create snapshot: " + ex, temp, 0, sequence, ex);
        }
    }

    /**
     * Sequences of the snapshot files present (by name, not verified), ascending.
     *
     * @return sequences, possibly empty.
     */
    public long[] sequences()
    {
        final List<Path> files = files();
        final long[] sequences = new long[files.size()];
        for (int i = 0; i < sequences.length; i++)
        {
            sequences[i] = sequenceOf(files.get(i));
        }
        Arrays.sort(sequences);

        return sequences;
    }

    /**
     * Open the newest snapshot that verifies (header and payload checksums, lengths, name), skipping damaged ones.
     *
     * Damaged files are skipped without being reported; use {@link #loadLatest(List)} to have them reported.
     *
     * @return the snapshot, positioned at the start of its payload, or null if there is no valid snapshot.
     */
    public Snapshot loadLatest()
    {
        return loadLatest(new ArrayList<>());
    }

    /**
     * Open the newest snapshot that verifies, skipping damaged ones and describing each in {@code damaged}.
     *
     * @param damaged receives one line per skipped file: its path and why.
     * @return the snapshot, positioned at the start of its payload, or null if none is valid.
     */
    public Snapshot loadLatest(final List<String> damaged)
    {
        final List<Path> files = files();
        files.sort((a, b) -> Long.compare(sequenceOf(b), sequenceOf(a)));
        for (final Path file : files)
        {
            try
            {
                final Snapshot snapshot = verify(file);
                if (null != snapshot)
                {
                    return snapshot;
                }
            }
            catch (final JournalException ex)
            {
                damaged.add(file + ": " + ex.getMessage());
            }
        }

        return null;
    }

    /**
     * Verify and open one snapshot file.
     *
     * @param file to open.
     * @return the snapshot positioned at its payload.
     * @throws JournalException naming the file and offset if it is damaged.
     */
    public static Snapshot open(final Path file)
    {
        return verify(file);
    }

    private static Snapshot verify(final Path file)
    {
        final long nameSequence = sequenceOf(file);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            final long size = channel.size();
            if (size < HEADER_LENGTH)
            {
                throw new JournalException("snapshot shorter than its header", file, size, nameSequence, null);
            }
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            // Magic and version before the header's checksum: another version may lay its header out otherwise,
            // and is then refused for its version, not reported as damaged.
            if (MAGIC != header.getInt(0))
            {
                throw new JournalException(String.format("not a snapshot: magic expected 0x%08x, found 0x%08x",
                    MAGIC, header.getInt(0)), file, 0, nameSequence, null);
            }
            if (VERSION != header.getInt(4))
            {
                throw new JournalException("unsupported snapshot file format version " + header.getInt(4) +
                    " (expected " + VERSION + ")", file, 4, nameSequence, null);
            }
            final CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_CHECKSUM_OFFSET);
            if ((int)crc.getValue() != header.getInt(HEADER_CHECKSUM_OFFSET))
            {
                throw new JournalException("snapshot header checksum mismatch", file, HEADER_CHECKSUM_OFFSET,
                    nameSequence, null);
            }
            final long sequence = header.getLong(SEQUENCE_OFFSET);
            if (sequence != nameSequence)
            {
                throw new JournalException("snapshot sequence " + sequence + " differs from its file name", file,
                    SEQUENCE_OFFSET, nameSequence, null);
            }
            final long payloadLength = header.getLong(PAYLOAD_LENGTH_OFFSET);
            if (payloadLength != size - HEADER_LENGTH)
            {
                throw new JournalException("snapshot payload length " + payloadLength + " differs from file size " +
                    size, file, PAYLOAD_LENGTH_OFFSET, sequence, null);
            }

            crc.reset();
            final ByteBuffer chunk = ByteBuffer.allocateDirect(VERIFY_CHUNK_LENGTH);
            long position = HEADER_LENGTH;
            while (position < size)
            {
                chunk.clear();
                final int read = channel.read(chunk, position);
                if (read < 0)
                {
                    break;
                }
                chunk.flip();
                crc.update(chunk);
                position += read;
            }
            if ((int)crc.getValue() != header.getInt(PAYLOAD_CHECKSUM_OFFSET))
            {
                throw new JournalException("snapshot payload checksum mismatch", file, HEADER_LENGTH, sequence, null);
            }

            channel.position(HEADER_LENGTH);
            final Snapshot snapshot = new Snapshot(file, sequence, payloadLength, channel);
            channel = null;
            return snapshot;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read snapshot: " + ex, file, JournalException.UNKNOWN, nameSequence,
                ex);
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
                    // already failing or returning; nothing more to report
                }
            }
        }
    }

    static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, at);
            if (read < 0)
            {
                throw new IOException("unexpected end of file");
            }
            at += read;
        }
        buffer.flip();
    }

    private List<Path> files()
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX))
        {
            for (final Path file : stream)
            {
                if (sequenceOf(file) >= 0)
                {
                    files.add(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list snapshots: " + ex, directory, JournalException.UNKNOWN,
                JournalException.UNKNOWN, ex);
        }

        return files;
    }

    private static long sequenceOf(final Path file)
    {
        final String name = file.getFileName().toString();
        if (name.length() != PREFIX.length() + NAME_DIGITS + SUFFIX.length() ||
            !name.startsWith(PREFIX) || !name.endsWith(SUFFIX))
        {
            return -1;
        }
        long value = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + NAME_DIGITS; i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0)
            {
                return -1;
            }
        }

        return value;
    }
}
