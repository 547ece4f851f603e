package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.paycore.journal.TestJournals.appendExpected;
import static io.paycore.journal.TestJournals.context;
import static io.paycore.journal.TestJournals.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest
{
    private static final int MAX = 1000;

    @TempDir
    Path dir;

    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
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
    void shouldRoundTripAcrossManySegmentRolls()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < 20_000; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        assertEquals(20_000, journal.lastSequence());
        final long rolls = journal.segmentRolls();
        journal.close();

        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        final OpenReport report = journal.openReport();
        assertEquals(report.segments() - 1, rolls, "every segment after the first was rolled to");
        assertEquals(0, journal.segmentRolls(), "counted since open");
        assertEquals(20_000, report.records());
        assertTrue(report.segments() > 100, report.toString());
        assertFalse(report.hasTornTail());
        assertEquals(20_000, readAll(dir, 1, MAX));
    }

    @Test
    void shouldContinueTheChainAfterReopen()
    {
        for (int round = 0; round < 5; round++)
        {
            journal = Journal.open(context(dir, FlushLevel.BATCH).maxRecordLength(MAX));
            for (int i = 0; i < 777; i++)
            {
                appendExpected(journal, scratch, MAX);
            }
            journal.flush();
            journal.close();
        }

        journal = Journal.open(context(dir, FlushLevel.BATCH).maxRecordLength(MAX));
        assertEquals(5 * 777, journal.openReport().records());
        assertEquals(5 * 777, readAll(dir, 1, MAX));
    }

    @Test
    void shouldReportDurableSequenceAtEachFlushLevel()
    {
        journal = Journal.open(context(dir.resolve("none"), FlushLevel.NONE));
        appendExpected(journal, scratch, MAX);
        assertEquals(1, journal.durableSequence());
        journal.close();

        journal = Journal.open(context(dir.resolve("batch"), FlushLevel.BATCH));
        appendExpected(journal, scratch, MAX);
        appendExpected(journal, scratch, MAX);
        assertEquals(2, journal.lastSequence());
        assertEquals(0, journal.durableSequence());
        journal.flush();
        assertEquals(2, journal.durableSequence());
        journal.close();

        journal = Journal.open(context(dir.resolve("every"), FlushLevel.EVERY));
        appendExpected(journal, scratch, MAX);
        assertEquals(1, journal.durableSequence());
        appendExpected(journal, scratch, MAX);
        assertEquals(2, journal.durableSequence());
    }

    @Test
    void shouldRefuseRecordOverMaxLengthAndStayUsable()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(100));
        final JournalException ex = assertThrows(JournalException.class, () -> journal.append(1, 1, scratch, 0, 101));
        assertTrue(ex.getMessage().contains(JournalContext.MAX_RECORD_LENGTH_PROP_NAME), ex.getMessage());
        assertThrows(JournalException.class, () -> journal.append(1, 1, scratch, 0, -1));
        assertNull(journal.failure());
        assertEquals(1, journal.append(1, 1, scratch, 0, 100));
    }

    @Test
    void shouldRejectOutOfBoundsConfigurationNamingTheProperty()
    {
        assertRejected(context(dir, FlushLevel.NONE).segmentLength(32 * 1024), JournalContext.SEGMENT_LENGTH_PROP_NAME);
        assertRejected(context(dir, FlushLevel.NONE).segmentLength(65 * 1024 + 1),
            JournalContext.SEGMENT_LENGTH_PROP_NAME);
        assertRejected(context(dir, FlushLevel.NONE).segmentLength(Integer.MAX_VALUE - 4095),
            JournalContext.SEGMENT_LENGTH_PROP_NAME);
        assertRejected(context(dir, FlushLevel.NONE).maxRecordLength(-1), JournalContext.MAX_RECORD_LENGTH_PROP_NAME);
        assertRejected(context(dir, FlushLevel.NONE).maxRecordLength(JournalContext.MAX_RECORD_LENGTH_LIMIT + 1),
            JournalContext.MAX_RECORD_LENGTH_PROP_NAME);
        assertRejected(context(dir, FlushLevel.NONE).maxRecordLength(64 * 1024),
            JournalContext.MAX_RECORD_LENGTH_PROP_NAME);
    }

    @Test
    void shouldNameTheLeastSegmentLengthThatHoldsTheLargestRecord() throws Exception
    {
        // A payload of 128 KiB and a little, its frame header and the segment's header: one page more than 128 KiB.
        final int largest = 128 * 1024 + 20;
        final long least = JournalContext.minSegmentLength(largest);
        assertEquals(132 * 1024, least);
        assertEquals(JournalContext.SEGMENT_LENGTH_MIN, JournalContext.minSegmentLength(0));

        final JournalException ex = assertThrows(JournalException.class, () -> Journal.open(
            context(dir, FlushLevel.NONE).segmentLength((int)least - 4096).maxRecordLength(largest)));
        assertTrue(ex.getMessage().endsWith("the least segment length that does is " + least), ex.getMessage());

        journal = Journal.open(context(dir, FlushLevel.NONE).segmentLength((int)least).maxRecordLength(largest));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[largest]);
        assertTrue(journal.append(1, 1, payload, 0, largest) > 0);
        assertTrue(journal.append(1, 1, payload, 0, largest) > 0);
        journal.close();
    }

    @Test
    void shouldDefaultFromSystemProperties()
    {
        System.setProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME, "128k");
        System.setProperty(JournalContext.FLUSH_LEVEL_PROP_NAME, "every");
        try
        {
            final JournalContext context = new JournalContext();
            assertEquals(128 * 1024, context.segmentLength());
            assertEquals(FlushLevel.EVERY, context.flushLevel());
            assertEquals(JournalContext.MAX_RECORD_LENGTH_DEFAULT, context.maxRecordLength());
        }
        finally
        {
            System.clearProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME);
            System.clearProperty(JournalContext.FLUSH_LEVEL_PROP_NAME);
        }
    }

    @Test
    void shouldAcceptRecordsThatExactlyFillASegment()
    {
        final int segmentPayload = TestJournals.MIN_SEGMENT - SegmentDescriptor.HEADER_LENGTH;
        final int length = segmentPayload / 4 - RecordDescriptor.HEADER_LENGTH;
        journal = Journal.open(context(dir, FlushLevel.BATCH).maxRecordLength(length));
        for (int i = 0; i < 4 * 3 + 1; i++)
        {
            journal.append(7, i, scratch, 0, length);
        }
        journal.close();

        journal = Journal.open(context(dir, FlushLevel.BATCH).maxRecordLength(length));
        assertEquals(13, journal.lastSequence());
        assertEquals(4, journal.openReport().segments());
    }

    @Test
    void shouldBeSafeToCloseTwiceAndRefuseAppendsAfterClose()
    {
        journal = Journal.open(context(dir, FlushLevel.BATCH));
        appendExpected(journal, scratch, MAX);
        journal.close();
        journal.close();
        final JournalException ex = assertThrows(JournalException.class, () -> journal.append(1, 1, scratch, 0, 1));
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
    }

    @Test
    void shouldFailToOpenWhenAMiddleSegmentIsMissing() throws Exception
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < 2000; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        journal.close();
        final Path[] segments = TestJournals.segments(dir);
        java.nio.file.Files.delete(segments[2]);

        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX)));
        assertEquals(segments[3], ex.file());
        assertEquals(SegmentDescriptor.firstSequence(segments[2]), ex.sequence());
        assertTrue(ex.getMessage().contains("missing segment"), ex.getMessage());
    }

    @Test
    void shouldFailToOpenWhenTheFirstSegmentIsMissing() throws Exception
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < 2000; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        journal.close();
        final Path[] segments = TestJournals.segments(dir);
        java.nio.file.Files.delete(segments[0]);

        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX)));
        assertEquals(segments[1], ex.file());
        assertEquals(1, ex.sequence());
    }

    @Test
    void shouldRefuseASecondWriterOnTheSameDirectory()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE));
        final JournalException ex = assertThrows(JournalException.class,
            () -> Journal.open(context(dir, FlushLevel.NONE)));
        assertTrue(ex.getMessage().contains("already open"), ex.getMessage());
        journal.close();
        journal = Journal.open(context(dir, FlushLevel.NONE));
        assertEquals(0, journal.lastSequence());
    }

    private static void assertRejected(final JournalContext context, final String propName)
    {
        final JournalException ex = assertThrows(JournalException.class, () -> Journal.open(context));
        assertTrue(ex.getMessage().contains(propName), ex.getMessage());
    }
}
