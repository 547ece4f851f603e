package io.paycore.service.feed;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.service.demo.DemoWorkload;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The service's part in the feed publishers' tests: demo traffic appended to a journal that stays open, so that a
 * publisher follows it live.
 */
final class LiveJournalWriter implements AutoCloseable
{
    private final DemoWorkload workload;
    private final UnsafeBuffer message;
    private final Journal journal;
    private long timestampNanos = 1_700_000_000_000_000_000L;

    /**
     * Open the data directory's journal and write the workload's accounts.
     *
     * @param data     the data directory.
     * @param accounts accounts the workload creates.
     * @param batch    transfers a message.
     */
    LiveJournalWriter(final DataDirectory data, final int accounts, final int batch)
    {
        workload = new DemoWorkload(accounts, Long.MAX_VALUE / 2, batch, 7);
        message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE));
        while (workload.hasMoreAccounts())
        {
            journal.append(RecordTypes.MESSAGE, timestampNanos++, message, 0, workload.encodeAccounts(message, 0));
        }
    }

    /**
     * @param transfers at least this many more transfers, in whole messages.
     */
    void writeTransfers(final int transfers)
    {
        final long target = workload.transfersMade() + transfers;
        while (workload.transfersMade() < target)
        {
            journal.append(RecordTypes.MESSAGE, timestampNanos++, message, 0, workload.encodeTransfers(message, 0));
        }
    }

    public void close()
    {
        journal.close();
    }
}
