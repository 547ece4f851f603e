package io.paycore.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Simulates a power cut: the journal runs on an ext4 file system in a loop-mounted image file; the "power cut" is a
 * copy of the image taken while the journal is open (exactly what the block device has received: everything the
 * journal forced, plus whatever the kernel happened to write back), mounted again (ext4 replays its own journal, as
 * after a crash) and the journal reopened from it. Needs root to mount (as {@link DiskFullTest}); skipped otherwise.
 * <p>
 * The property checked is the journal's own promise at flush {@code batch}: every record up to
 * {@link Journal#durableSequence()} survives a power cut, and the journal opens.
 */
class PowerCutTest
{
    private static final int MAX = 1000;
    private static final int SEGMENT = 16 * 1024 * 1024;

    @TempDir
    Path tempDir;

    private final List<Path> mounts = new ArrayList<>();
    private Journal journal;
    private Process child;

    @BeforeEach
    void checkMount() throws Exception
    {
        final Path probe = tempDir.resolve("probe");
        Files.createDirectories(probe);
        final String output = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString());
        Assumptions.assumeTrue(null == output, () -> "cannot mount (needs root): " + output);
        run("umount", probe.toString());
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != child)
        {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        if (null != journal)
        {
            journal.close();
        }
        for (int i = mounts.size() - 1; i >= 0; i--)
        {
            run("umount", mounts.get(i).toString());
        }
    }

    /**
     * A segment is created by writing its zeros with write() and forcing only its header page. On ext4 (and XFS) with
     * delayed allocation the on-disk file size only grows as far as data has been written back, so after a power cut
     * the newest segment is shorter than its header says and Segments.verifyHeader refuses the whole journal.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldOpenWithEveryDurableRecordAfterAPowerCut() throws Exception
    {
        final Path image = newFileSystem("live");
        final Path dir = mounts.get(0).resolve("journal");
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));

        journal = Journal.open(context(dir));
        for (int i = 0; i < 200; i++)
        {
            TestJournals.appendExpected(journal, scratch, MAX);
            if (0 == i % 10)
            {
                journal.flush();
            }
        }
        journal.flush();
        final long durable = journal.durableSequence();
        assertEquals(200, durable);

        final Path after = powerCut(image, "after");
        final Path recovered = after.resolve("journal");
        try (Journal reopened = Journal.open(
            context(recovered)))
        {
            assertTrue(reopened.lastSequence() >= durable, "durable " + durable + ", reopened " +
                reopened.openReport());
        }
        catch (final JournalException ex)
        {
            fail("journal does not open after a power cut, " + durable + " records were reported durable: " +
                ex.getMessage() + " (segment file on disk: " + sizes(recovered) + ")", ex);
        }
    }

    /**
     * A process crash at flush batch between appends and their flush leaves records in the page cache only (never
     * acknowledged). Reopening takes them as durable (durableSequence = last record) without forcing them, and each
     * later flush forces only from the reopened position on. New records are acknowledged on top of them; a power
     * cut then loses the old records but keeps the new ones: the journal refuses to open ("corruption, not a torn
     * tail") and the acknowledged records are out of reach.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldKeepRecordsAcknowledgedAfterReopeningAJournalWithUnforcedRecords() throws Exception
    {
        final Path image = newFileSystem("live");
        final Path dir = mounts.get(0).resolve("journal");
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));

        // A segment created and, long ago, written back whole (so that only what this test is about is missing).
        Journal.open(context(dir)
            .preallocate(false)).close();
        for (final Path segment : TestJournals.segments(dir))
        {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
        }

        // The crash: a batch appended (a few MB: several page-cache folios) and the process killed before its flush.
        final int unflushed = 6000;
        child = start(dir, unflushed);
        final String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        assertTrue(null != line && line.startsWith("appended " + unflushed + " durable 0"), line);
        child.destroyForcibly();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        child = null;

        // The restart: nothing of that batch was acknowledged, but the journal now says it is durable.
        journal = Journal.open(context(dir)
            .preallocate(false));
        assertEquals(unflushed, journal.lastSequence());
        for (int i = 0; i < 10; i++)
        {
            TestJournals.appendExpected(journal, scratch, MAX);
        }
        journal.flush();
        final long durable = journal.durableSequence();
        assertEquals(unflushed + 10, durable);

        final Path after = powerCut(image, "after");
        final Path recovered = after.resolve("journal");
        try (Journal reopened = Journal.open(context(recovered).preallocate(false)))
        {
            assertTrue(reopened.lastSequence() >= durable, "durable " + durable + ", reopened " +
                reopened.openReport());
            assertEquals(reopened.lastSequence(), TestJournals.readAll(recovered, 1, MAX));
        }
        catch (final JournalException ex)
        {
            fail("journal does not open after a power cut, " + durable + " records were reported durable " +
                "(the last 10 acknowledged after the restart): " + ex.getMessage(), ex);
        }
    }

    private Path newFileSystem(final String name) throws Exception
    {
        final Path image = tempDir.resolve(name + ".img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw"))
        {
            file.setLength(256L * 1024 * 1024);
        }
        final String made = run("mkfs.ext4", "-q", "-F", image.toString());
        Assumptions.assumeTrue(null == made, () -> "cannot make an ext4 file system: " + made);
        mount(image, name);

        return image;
    }

    /**
     * @return the mount point of a copy of the image as the device holds it now, mounted (ext4 recovers it).
     */
    private Path powerCut(final Path image, final String name) throws Exception
    {
        final Path copy = tempDir.resolve(name + ".img");
        assertNull(run("cp", "--sparse=always", image.toString(), copy.toString()));
        return mount(copy, name);
    }

    private Path mount(final Path image, final String name) throws Exception
    {
        final Path point = tempDir.resolve(name);
        Files.createDirectories(point);
        final String output = run("mount", "-o", "loop", image.toString(), point.toString());
        Assumptions.assumeTrue(null == output, () -> "cannot loop-mount an ext4 image: " + output);
        mounts.add(point);

        return point;
    }

    private static String sizes(final Path dir) throws IOException
    {
        final StringBuilder sb = new StringBuilder();
        for (final Path segment : TestJournals.segments(dir))
        {
            sb.append(segment.getFileName()).append('=').append(Files.size(segment)).append(' ');
        }
        return sb.toString().trim();
    }

    private static Process start(final Path dir, final int records) throws Exception
    {
        return TestJournals.startChild(UnflushedChild.class, dir.toString(), Integer.toString(SEGMENT),
            Integer.toString(records), Integer.toString(MAX));
    }

    private static String run(final String... command) throws Exception
    {
        return TestJournals.runCommand(30, command);
    }

    private static JournalContext context(final Path dir)
    {
        return TestJournals.context(dir, FlushLevel.BATCH).segmentLength(SEGMENT).maxRecordLength(MAX);
    }
}
