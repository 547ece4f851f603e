package io.paycore.service;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Small journals written by hand for the tests of the commands that read them.
 */
public final class TestJournals
{
    private TestJournals()
    {
    }

    /**
     * Give a data directory a journal ({@code DIR/journal}) of ticks: record N at N - 1 ns, from record {@code from}
     * on {@code later} ns later, so that two such journals with other {@code later} part at record {@code from}.
     *
     * @param data    the data directory.
     * @param records how many ticks.
     * @param from    the first record moved later.
     * @param later   by how many nanoseconds.
     */
    public static void ticks(final Path data, final int records, final int from, final long later)
    {
        try (Journal journal = Journal.open(new JournalContext().directory(data.resolve("journal"))
            .flushLevel(FlushLevel.NONE).segmentLength(JournalContext.SEGMENT_LENGTH_MIN).preallocate(false)))
        {
            final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
            for (int n = 1; n <= records; n++)
            {
                journal.append(RecordTypes.TICK, n - 1 + (n >= from ? later : 0), empty, 0, 0);
            }
        }
    }
}
