package io.paycore.service.journal;

import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.SegmentDescriptor;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import io.paycore.service.TestPermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of {@code paycore journal compare}, 2026-12-07: each test failed before its fix.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JournalCompareReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldExitThreeForAZeroedRecordWithRecordsAfterIt() throws Exception
    {
        final Path first = temp.resolve("first");
        final Path second = temp.resolve("second");
        TestJournals.ticks(first, 5, 3, 0);
        TestJournals.ticks(second, 5, 3, 0);
        // Record 3 of the second journal zeroed, header and all: records 4 and 5 still follow it.
        final Path segment = second.resolve("journal").resolve(SegmentDescriptor.fileName(1));
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            file.seek(SegmentDescriptor.HEADER_LENGTH + 2L * RecordDescriptor.alignedFrameLength(0));
            file.write(new byte[RecordDescriptor.HEADER_LENGTH]);
        }

        assertEquals(JournalCompareCommand.EXIT_UNREADABLE,
            PaycoreMain.execute("journal", "compare", first.toString(), second.toString()), console.out());

        final String message = console.err();
        assertTrue(message.startsWith("paycore journal compare: ") && message.contains(segment.toString()) &&
            message.contains("sequence=3"), message);
        assertEquals(1, message.lines().count(), message);
    }

    /**
     * A data directory whose first segments were deleted (no archive marker says they were archived) agreed with the
     * full journal it was copied from, exit status 0, over the records it still held: a backup that lost the head
     * of its history passed the check. {@code serve} refuses to open such a journal and {@code audit} calls it
     * damaged; so does compare now (exit 3, naming what is missing). A journal directory given itself, an archive
     * of later segments, still compares from its first record.
     */
    @Test
    void shouldExitThreeForADataDirectoryWhoseFirstSegmentsAreMissing() throws Exception
    {
        final Path full = temp.resolve("full");
        final Path copy = temp.resolve("copy");
        TestJournals.ticks(full, 10_000, 10_001, 0);
        TestJournals.ticks(copy, 10_000, 10_001, 0);
        final Path journal = copy.resolve("journal");
        final Path firstSegment = journal.resolve(SegmentDescriptor.fileName(1));
        final Path laterArchive = Files.createDirectories(temp.resolve("later"));
        try (Stream<Path> files = Files.list(journal))
        {
            for (final Path file : files.filter((f) -> f.toString().endsWith(".seg")).sorted()
                .collect(Collectors.toList()))
            {
                Files.copy(file, laterArchive.resolve(file.getFileName()));
            }
        }
        Files.delete(firstSegment);
        Files.delete(laterArchive.resolve(firstSegment.getFileName()));

        assertEquals(JournalCompareCommand.EXIT_UNREADABLE,
            PaycoreMain.execute("journal", "compare", full.toString(), copy.toString()), console.out());
        final String message = console.err();
        assertTrue(message.startsWith("paycore journal compare: ") && message.contains("missing") &&
            message.contains(journal.toString()), message);
        assertEquals(1, message.lines().count(), message);

        console.reset();
        assertEquals(JournalCompareCommand.EXIT_AGREE,
            PaycoreMain.execute("journal", "compare", full.toString(), laterArchive.toString()), console.err());
    }

    @Test
    void shouldExitThreeWithOneLineForADataDirectoryItCannotRead() throws Exception
    {
        final Path readable = temp.resolve("readable");
        final Path unreadable = temp.resolve("unreadable");
        TestJournals.ticks(readable, 5, 3, 0);
        TestJournals.ticks(unreadable, 5, 3, 0);
        Files.setPosixFilePermissions(unreadable, Set.of());
        try
        {
            final List<String> command = TestPermissions.paycoreWithoutReadOverride(unreadable, "256m",
                "journal", "compare", readable.toString(), unreadable.toString());
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), output);

            assertEquals(JournalCompareCommand.EXIT_UNREADABLE, process.exitValue(), output);
            assertTrue(output.startsWith("paycore journal compare: ") && output.contains(unreadable.toString()),
                output);
            assertEquals(1, output.lines().count(), output);
        }
        finally
        {
            Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
