package io.paycore.service.cluster;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted member's journal must hold, record by record, what the cluster's log gives it again.
 */
class JournalAgreementTest
{
    private static final long T0 = 1_000_000_000L;

    @TempDir
    Path temp;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldAgreeWithTheRecordsItHoldsAndThenBeDone()
    {
        final Path directory = writeJournal();
        try (JournalAgreement agreement = JournalAgreement.open(directory, 1, 3))
        {
            assertNull(agreement.check(RecordTypes.MESSAGE, T0, message(1), 0, 8));
            assertFalse(agreement.isDone());
            assertNull(agreement.check(RecordTypes.TICK, T0 + 1, payload, 0, 0));
            assertNull(agreement.check(RecordTypes.MESSAGE, T0 + 2, message(2), 0, 8));
            assertTrue(agreement.isDone());
        }
        // From a snapshot at record 2: only record 3 is checked.
        try (JournalAgreement agreement = JournalAgreement.open(directory, 3, 3))
        {
            assertNull(agreement.check(RecordTypes.MESSAGE, T0 + 2, message(2), 0, 8));
            assertTrue(agreement.isDone());
        }
        assertNull(JournalAgreement.open(directory, 4, 3), "nothing to check past the journal's end");
    }

    @Test
    void shouldNameTheFirstRecordThatDiffersFromTheLog()
    {
        final Path directory = writeJournal();
        try (JournalAgreement agreement = JournalAgreement.open(directory, 1, 3))
        {
            assertNull(agreement.check(RecordTypes.MESSAGE, T0, message(1), 0, 8));
            // The log gives a message where the journal holds a tick: a record more in the journal.
            assertEquals("journal record 2 is TICK, 0 bytes, at 1970-01-01T00:00:01.000000001Z (" + (T0 + 1) +
                " ns) but the cluster's log gives MESSAGE template 0, 8 bytes, at 1970-01-01T00:00:01.000000002Z (" +
                (T0 + 2) + " ns) there (they differ in its type)",
                agreement.check(RecordTypes.MESSAGE, T0 + 2, message(2), 0, 8));
        }
        try (JournalAgreement agreement = JournalAgreement.open(directory, 1, 3))
        {
            // Same type, time and length, other bytes.
            assertEquals("journal record 1 is MESSAGE template 0, 8 bytes, at 1970-01-01T00:00:01Z (" + T0 + " ns) " +
                "but the cluster's log gives MESSAGE template 0, 8 bytes, at 1970-01-01T00:00:01Z (" + T0 + " ns) " +
                "there (they differ in its payload from byte 0)",
                agreement.check(RecordTypes.MESSAGE, T0, message(9), 0, 8));
        }
    }

    private UnsafeBuffer message(final long value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        buffer.putLong(0, value);
        return buffer;
    }

    private Path writeJournal()
    {
        final Path directory = temp.resolve("journal");
        try (Journal journal = Journal.open(new JournalContext().directory(directory).flushLevel(FlushLevel.NONE)
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).preallocate(false)))
        {
            journal.append(RecordTypes.MESSAGE, T0, message(1), 0, 8);
            journal.append(RecordTypes.TICK, T0 + 1, payload, 0, 0);
            journal.append(RecordTypes.MESSAGE, T0 + 2, message(2), 0, 8);
        }
        return directory;
    }
}
