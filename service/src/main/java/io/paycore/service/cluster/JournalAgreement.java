package io.paycore.service.cluster;

import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.RecordHandler;
import io.paycore.replay.JournalComparison;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.nio.file.Path;

/**
 * A restarted member replays the cluster's log from its start (or its snapshot), and its journal already holds the
 * records of what it applied before: those are not appended again. This checks, record by record, that the journal
 * holds what the log gives, so that a member whose journal went another way (a record more, one fewer, another one)
 * stops and says where, instead of carrying a history its audit would not agree with. It reads only the records the
 * journal held when the member started, on the service thread, before the member applies anything new.
 */
final class JournalAgreement implements RecordHandler, AutoCloseable
{
    private final JournalReader reader;
    private final long lastSequence;
    private long sequence;
    private int type;
    private long timestampNanos;
    private DirectBuffer expected;
    private int expectedOffset;
    private int expectedLength;
    private String mismatch;

    private JournalAgreement(final JournalReader reader, final long firstSequence, final long lastSequence)
    {
        this.reader = reader;
        this.sequence = firstSequence - 1;
        this.lastSequence = lastSequence;
    }

    /**
     * @param journalDirectory the member's journal.
     * @param firstSequence    the first record the log will give (1, or one after the snapshot's).
     * @param lastSequence     the journal's last record when the member started.
     * @return the check, or null when there is nothing to check or the records cannot be read from there (archived:
     * the journal itself refuses what it cannot hold).
     */
    static JournalAgreement open(final Path journalDirectory, final long firstSequence, final long lastSequence)
    {
        if (firstSequence > lastSequence)
        {
            return null;
        }
        try
        {
            return new JournalAgreement(JournalReader.open(journalDirectory, firstSequence), firstSequence,
                lastSequence);
        }
        catch (final JournalException ex)
        {
            return null;
        }
    }

    /**
     * Check the next record the log gives against the journal's.
     *
     * @return null if the journal holds the same record (type, timestamp and payload), else what differs.
     */
    String check(final int type, final long timestampNanos, final DirectBuffer buffer, final int offset,
        final int length)
    {
        this.type = type;
        this.timestampNanos = timestampNanos;
        this.expected = buffer;
        this.expectedOffset = offset;
        this.expectedLength = length;
        this.mismatch = null;
        final long wanted = sequence + 1;
        if (0 == reader.poll(this, 1))
        {
            mismatch = "journal record " + wanted + " cannot be read";
        }
        sequence = wanted;
        return mismatch;
    }

    /**
     * @return whether every record the journal held when the member started has been checked.
     */
    boolean isDone()
    {
        return sequence >= lastSequence;
    }

    public void onRecord(
        final int type, final long sequence, final long timestampNanos, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final String difference = JournalComparison.difference(type, timestampNanos, buffer, offset, length,
            this.type, this.timestampNanos, expected, expectedOffset, expectedLength);
        if (null != difference)
        {
            mismatch = "journal record " + sequence + " is " +
                JournalComparison.describe(type, timestampNanos, buffer, offset, length) + " but the cluster's log " +
                "gives " + JournalComparison.describe(this.type, this.timestampNanos, expected, expectedOffset,
                expectedLength) + " there (they differ in its " + difference + ")";
        }
    }

    public void close()
    {
        CloseHelper.quietClose(reader);
    }
}
