package io.paycore.service;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.service.demo.DemoWorkload;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Small journals written by hand for the tests of the commands that read them, and the media driver they run on.
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

    /**
     * Give a data directory a journal of the demo's history: 10 accounts, then {@code transfers} transfers in
     * messages of 8 (seed 3), one message a nanosecond from {@code startNanos}.
     *
     * @param data       the data directory.
     * @param transfers  how many transfers.
     * @param startNanos the first message's timestamp.
     */
    public static void demoHistory(final DataDirectory data, final int transfers, final long startNanos)
    {
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE)))
        {
            final DemoWorkload workload = new DemoWorkload(10, transfers, 8, 3);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
            long timestamp = startNanos;
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeAccounts(message, 0));
            }
            while (workload.hasMoreTransfers())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeTransfers(message, 0));
            }
        }
    }

    /**
     * An embedded media driver for a test, as the shared profile runs one: one thread that backs off when idle,
     * 64 KiB IPC terms, its directory deleted at start and shutdown.
     *
     * @param directory the driver's directory.
     * @return the driver launched.
     */
    public static MediaDriver sharedDriver(final Path directory)
    {
        return MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(directory.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .ipcTermBufferLength(64 * 1024));
    }
}
