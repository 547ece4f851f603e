package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.paycore.journal.TestJournals.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JournalClaimTest
{
    private static final int MAX = 500;

    @TempDir
    Path dir;

    private Journal journal;

    @AfterEach
    void tearDown()
    {
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldWriteClaimedPayloadsInPlaceAcrossRolls()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (long sequence = 1; sequence <= 3000; sequence++)
        {
            final int length = TestJournals.payloadLength(sequence, MAX);
            final int offset = journal.tryClaim(length);
            final MutableDirectBuffer buffer = journal.buffer();
            for (int i = 0; i < length; i++)
            {
                buffer.putByte(offset + i, TestJournals.payloadByte(sequence, i));
            }
            assertEquals(sequence, journal.commitClaim(TestJournals.type(sequence), TestJournals.timestamp(sequence)));
        }
        assertEquals(3000, TestJournals.readAll(dir, 1, MAX));
    }

    @Test
    void shouldLeaveNoTraceOfAnAbortedClaim()
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
        journal = Journal.open(context(dir, FlushLevel.BATCH).maxRecordLength(MAX));
        TestJournals.appendExpected(journal, scratch, MAX);
        final int offset = journal.tryClaim(MAX);
        journal.buffer().setMemory(offset, MAX, (byte)0x5A);
        assertThrows(JournalException.class, () -> TestJournals.appendExpected(journal, scratch, MAX));
        journal.abortClaim();
        TestJournals.appendExpected(journal, scratch, MAX);
        assertThrows(JournalException.class, () -> journal.commitClaim(1, 1));

        final int pendingOffset = journal.tryClaim(100);
        journal.buffer().setMemory(pendingOffset, 100, (byte)0x33);
        journal.close();

        journal = Journal.open(context(dir, FlushLevel.BATCH).maxRecordLength(MAX));
        assertFalse(journal.openReport().hasTornTail(), journal.openReport().toString());
        assertEquals(2, journal.lastSequence());
        assertEquals(2, TestJournals.readAll(dir, 1, MAX));
    }

    @Test
    void shouldLeaveNoTemporaryFilesAfterClose() throws Exception
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < 2000; i++)
        {
            TestJournals.appendExpected(journal, scratch, MAX);
        }
        journal.close();
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(0, files.filter((file) -> file.toString().endsWith(".tmp")).count());
        }

        Files.write(dir.resolve(SegmentPreallocator.spareName(7)), new byte[100]);
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        assertEquals(1, journal.openReport().deletedTempFiles());
        assertEquals(2000, journal.lastSequence());
    }
}
