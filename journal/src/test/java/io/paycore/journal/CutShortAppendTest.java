package io.paycore.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed in the middle of an append leaves the record's payload in the segment without its frame length.
 * The payload of a batch of transfers is full of small numbers (account ids, amounts), and some of them, read as a
 * record header, look like the header of a later record; recovery took that for damage followed by later records
 * ("corruption, not a torn tail") and refused to open the journal: a cluster member SIGKILLed by the demo could then
 * never start again. A record now carries minus its length while it is appended, so recovery knows how far the cut
 * record reaches and treats it as the torn tail it is.
 */
class CutShortAppendTest
{
    private static final int MAX = 4096;
    private static final int PAYLOAD = 2048;

    @Test
    void shouldTakeARecordCutShortInItsAppendForATornTailThoughItsPayloadLooksLikeALaterRecord() throws Exception
    {
        final Path dir = Files.createTempDirectory("cut-short");
        try
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
            final byte[] crashed;
            final int cutOffset;
            try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
            {
                for (int i = 0; i < 3; i++)
                {
                    TestJournals.appendExpected(journal, scratch, MAX);
                }
                // The fourth append is under way: its payload is written, its header is not.
                final int payloadOffset = journal.tryClaim(PAYLOAD);
                cutOffset = payloadOffset - RecordDescriptor.HEADER_LENGTH;
                final UnsafeBuffer buffer = (UnsafeBuffer)journal.buffer();
                for (int i = 0; i < PAYLOAD; i += Long.BYTES)
                {
                    buffer.putLong(payloadOffset + i, 0x0101_0101_0101_0101L);
                }
                // What a later record's header looks like, 8-aligned in the payload: a frame length, a zero
                // reserved field, the next sequence.
                final int fake = payloadOffset + 512;
                buffer.putInt(fake + RecordDescriptor.LENGTH_OFFSET, 40);
                buffer.putInt(fake + RecordDescriptor.RESERVED_OFFSET, 0);
                buffer.putLong(fake + RecordDescriptor.SEQUENCE_OFFSET, 5);
                // The segment as the page cache holds it when the process is killed now.
                crashed = TestJournals.read(TestJournals.segments(dir)[0]);
            }
            TestJournals.write(TestJournals.segments(dir)[0], crashed);

            try (Journal journal = Journal.open(TestJournals.context(dir, FlushLevel.NONE).maxRecordLength(MAX)))
            {
                final OpenReport report = journal.openReport();
                assertEquals(3, report.lastSequence(), report.toString());
                assertTrue(report.hasTornTail(), report.toString());
                assertEquals(cutOffset, report.tornTailOffset(), report.toString());
                assertEquals(4, TestJournals.appendExpected(journal, scratch, MAX));
            }
            assertEquals(4, TestJournals.readAll(dir, 1, MAX));
        }
        finally
        {
            TestJournals.deleteRecursively(dir);
        }
    }
}
