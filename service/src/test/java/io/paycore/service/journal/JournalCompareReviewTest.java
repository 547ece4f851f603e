package io.paycore.service.journal;

import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.SegmentDescriptor;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
}
