package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Paths;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Child process for {@link PowerCutTest}: opens the journal at flush {@code batch}, appends records (payloads a
 * function of the sequence) without flushing them, says so, and waits to be killed: a process crash between the
 * appends of a batch and its flush, so nothing it appended was ever acknowledged.
 * Arguments: directory, segment length, records, max payload length.
 */
final class UnflushedChild
{
    private UnflushedChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int segmentLength = Integer.parseInt(args[1]);
        final int records = Integer.parseInt(args[2]);
        final int maxLength = Integer.parseInt(args[3]);
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(maxLength + 64));
        final Journal journal = Journal.open(TestJournals.context(Paths.get(args[0]), FlushLevel.BATCH)
            .segmentLength(segmentLength).maxRecordLength(maxLength).preallocate(false));
        for (int i = 0; i < records; i++)
        {
            TestJournals.appendExpected(journal, scratch, maxLength);
        }
        System.out.println("appended " + journal.lastSequence() + " durable " + journal.durableSequence());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
