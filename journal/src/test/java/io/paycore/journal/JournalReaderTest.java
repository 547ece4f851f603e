package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.paycore.journal.TestJournals.appendExpected;
import static io.paycore.journal.TestJournals.context;
import static io.paycore.journal.TestJournals.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JournalReaderTest
{
    private static final int MAX = 600;

    @TempDir
    Path dir;

    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(8192));
    private Journal journal;
    private JournalReader reader;

    @AfterEach
    void tearDown()
    {
        if (null != reader)
        {
            reader.close();
        }
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldReadFromArbitrarySequences()
    {
        final int records = 5_000;
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < records; i++)
        {
            appendExpected(journal, scratch, MAX);
        }

        final Random random = new Random(42);
        for (int i = 0; i < 200; i++)
        {
            final long from = 1 + random.nextInt(records);
            assertEquals(records - from + 1, readAll(dir, from, MAX), "from " + from);
        }
        assertEquals(records, readAll(dir, 1, MAX));
        assertEquals(1, readAll(dir, records, MAX));
        assertEquals(0, readAll(dir, records + 1, MAX));
    }

    @Test
    void shouldDeliverAtMostLimitRecordsPerPoll()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        for (int i = 0; i < 10; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        reader = JournalReader.open(dir, 1);
        final TestJournals.Checker checker = new TestJournals.Checker(1, MAX);
        assertEquals(3, reader.poll(checker, 3));
        assertEquals(7, reader.poll(checker, 100));
        assertEquals(0, reader.poll(checker, 100));
        assertEquals(11, reader.nextSequence());
    }

    @Test
    void shouldRefuseSequenceBeforeTheJournal()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE));
        assertThrows(IllegalArgumentException.class, () -> JournalReader.open(dir, 0));
        assertThrows(JournalException.class, () -> JournalReader.open(dir.resolve("absent"), 1));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldTailALiveAppenderInAnotherThread() throws Exception
    {
        final int records = 100_000;
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        appendExpected(journal, scratch, MAX);
        final long startFrom = 1;
        final AtomicReference<Throwable> writerError = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8192));
                for (int i = 1; i < records; i++)
                {
                    appendExpected(journal, buffer, MAX);
                    if (0 == (i & 1023))
                    {
                        Thread.yield();
                    }
                }
            }
            catch (final Throwable ex)
            {
                writerError.set(ex);
            }
        }, "journal-writer");

        reader = JournalReader.open(dir, startFrom);
        final TestJournals.Checker checker = new TestJournals.Checker(startFrom, MAX);
        writer.start();
        long idlePolls = 0;
        while (checker.count < records && null == writerError.get())
        {
            if (0 == reader.poll(checker, 64))
            {
                idlePolls++;
                Thread.onSpinWait();
            }
        }
        writer.join();

        assertNull(writerError.get());
        assertEquals(records, checker.count, "idle polls " + idlePolls);
        assertEquals(records + 1, reader.nextSequence());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldWaitAtTheEndThenDeliverRecordsAppendedLater()
    {
        journal = Journal.open(context(dir, FlushLevel.NONE).maxRecordLength(MAX));
        reader = JournalReader.open(dir, 3);
        final TestJournals.Checker checker = new TestJournals.Checker(3, MAX);
        assertEquals(0, reader.poll(checker, 10));
        appendExpected(journal, scratch, MAX);
        appendExpected(journal, scratch, MAX);
        assertEquals(0, reader.poll(checker, 10));
        for (int i = 0; i < 3000; i++)
        {
            appendExpected(journal, scratch, MAX);
        }
        long delivered = 0;
        int polled;
        while ((polled = reader.poll(checker, 10)) > 0)
        {
            delivered += polled;
        }
        assertEquals(3000, delivered);
    }
}
