package io.paycore.replay.audit;

import io.paycore.journal.JournalException;
import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.SegmentDescriptor;
import io.paycore.replay.DataDirectory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.agrona.IoUtil;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any single bit flipped anywhere in a segment's header or records, its end-of-segment marker, or the unused space
 * of the last segment makes the audit fail, naming that segment file. (The space after a rolled segment's
 * end-of-segment marker holds nothing and is not read.)
 */
class BitFlipPropertyTest
{
    private static Path original;
    private static String digest;

    @BeforeContainer
    static void writeJournal() throws Exception
    {
        original = Files.createTempDirectory("paycore-bitflip-");
        final DataDirectory directory = new DataDirectory(original);
        digest = AuditRuns.write(directory, 120, 31).digest;
    }

    @AfterContainer
    static void deleteJournal()
    {
        IoUtil.delete(original.toFile(), true);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void shouldFailOnAnySingleBitFlipAndNameTheFile(
        @ForAll @IntRange(min = 0, max = 1000) final int segmentChoice,
        @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) final double where,
        @ForAll @IntRange(min = 0, max = 7) final int bit) throws Exception
    {
        final Path copy = Files.createTempDirectory("paycore-bitflip-copy-");
        try
        {
            copyTree(original, copy);
            final DataDirectory directory = new DataDirectory(copy);
            final Path[] segments = JournalFiles.segments(directory.journalDirectory());
            final int index = segmentChoice % segments.length;
            final Path file = segments[index];
            final byte[] bytes = Files.readAllBytes(file);
            final int checked = index == segments.length - 1 ? bytes.length : endOfRecords(bytes);
            final int offset = (int)(where * checked);
            bytes[offset] ^= (byte)(1 << bit);
            Files.write(file, bytes);

            final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

            final JournalException damage = report.damage();
            assertNotNull(damage, "flip of bit " + bit + " at offset " + offset + " of " + file + " went unseen; " +
                "digest " + report.digest() + " (undamaged: " + digest + ")");
            assertEquals(file, damage.file(), "flip at offset " + offset + ": " + damage.getMessage());
        }
        finally
        {
            IoUtil.delete(copy.toFile(), true);
        }
    }

    /**
     * Offset just after the end-of-segment marker of a rolled segment.
     */
    private static int endOfRecords(final byte[] segment)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(segment).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int offset = SegmentDescriptor.HEADER_LENGTH;
        while (offset <= segment.length - Integer.BYTES)
        {
            final int frameLength = buffer.getInt(offset);
            if (frameLength <= 0)
            {
                return Math.min(segment.length, offset + Integer.BYTES);
            }
            offset += RecordDescriptor.alignedFrameLength(frameLength - RecordDescriptor.HEADER_LENGTH);
        }
        return segment.length;
    }

    private static void copyTree(final Path from, final Path to) throws Exception
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path source : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
