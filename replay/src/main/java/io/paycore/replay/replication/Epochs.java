package io.paycore.replay.replication;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.RecordChecksum;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Epochs: the number of times the primary role has moved. A promoted standby journals an {@link #EPOCH} record
 * holding the new epoch before it takes its first client request, so the epoch is part of the history every
 * standby replicates, and a standby of a newer epoch refuses records shipped by a primary of an older one (the
 * old primary is fenced).
 * <p>
 * Also reads the facts about a journal that replication starts from: the current epoch, and the checksum of a
 * record (the chain's seed). Allocates; not on any hot path.
 */
public final class Epochs
{
    /**
     * Journal record type of an epoch record: the payload is the new epoch, an int64, little-endian. The ledger
     * ignores it (it changes no state).
     */
    public static final int EPOCH = RecordTypes.EPOCH;

    /**
     * Payload length of an epoch record.
     */
    public static final int EPOCH_PAYLOAD_LENGTH = 8;

    private static final int SCAN_POLL_LIMIT = 4096;

    private Epochs()
    {
    }

    /**
     * @param buffer to write to.
     * @param epoch  the new epoch.
     */
    public static void putEpochPayload(final MutableDirectBuffer buffer, final long epoch)
    {
        buffer.putLong(0, epoch, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The current epoch of a journal: that of its last epoch record, 0 when it has none. Reads (and verifies) the
     * whole journal.
     *
     * @param journalDirectory of the journal.
     * @param lastSequence     read up to and including this sequence.
     * @return the epoch.
     * @throws JournalException if a record fails verification.
     */
    public static long currentEpoch(final Path journalDirectory, final long lastSequence)
    {
        if (lastSequence < 1 || !Files.isDirectory(journalDirectory))
        {
            return 0;
        }
        final long[] epoch = new long[1];
        try (JournalReader reader = JournalReader.open(journalDirectory, 1))
        {
            while (reader.nextSequence() <= lastSequence)
            {
                final int read = reader.poll(
                    (type, sequence, timestampNanos, buffer, offset, length) ->
                    {
                        if (EPOCH == type && EPOCH_PAYLOAD_LENGTH == length)
                        {
                            epoch[0] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                        }
                    },
                    (int)Math.min(SCAN_POLL_LIMIT, lastSequence - reader.nextSequence() + 1));
                if (0 == read)
                {
                    break;
                }
            }
        }

        return epoch[0];
    }

    /**
     * The journaled checksum of one record.
     *
     * @param journalDirectory of the journal.
     * @param sequence         of the record; 0 for "before the first record", whose checksum is 0.
     * @return the record's checksum.
     * @throws JournalException if the record is not in the journal or fails verification.
     */
    public static int checksumOf(final Path journalDirectory, final long sequence)
    {
        if (0 == sequence)
        {
            return 0;
        }
        final int[] checksum = new int[1];
        try (JournalReader reader = JournalReader.open(journalDirectory, sequence))
        {
            if (0 == reader.poll(
                (type, s, timestampNanos, buffer, offset, length) -> checksum[0] = checksumAt(buffer, offset), 1))
            {
                throw new JournalException("no record " + sequence + " in the journal", journalDirectory,
                    JournalException.UNKNOWN, sequence, null);
            }
        }

        return checksum[0];
    }

    /**
     * The checksum of a record a {@link JournalReader} delivered, read from its header in the segment.
     *
     * @param segmentBuffer  the buffer the reader delivered.
     * @param payloadOffset  the payload offset the reader delivered.
     * @return the record's journaled checksum.
     */
    static int checksumAt(final DirectBuffer segmentBuffer, final int payloadOffset)
    {
        return RecordChecksum.storedChecksum(segmentBuffer, payloadOffset);
    }

    /**
     * Append an epoch record to a journal that is open and idle (no pipeline running), and flush it.
     *
     * @param journal        the journal.
     * @param epoch          the new epoch.
     * @param timestampNanos the record's timestamp: not older than the last record's.
     * @param scratch        at least {@link #EPOCH_PAYLOAD_LENGTH} bytes.
     * @return the record's sequence.
     */
    public static long appendEpoch(
        final Journal journal, final long epoch, final long timestampNanos, final MutableDirectBuffer scratch)
    {
        putEpochPayload(scratch, epoch);
        final long sequence = journal.append(EPOCH, timestampNanos, scratch, 0, EPOCH_PAYLOAD_LENGTH);
        journal.flush();
        return sequence;
    }
}
