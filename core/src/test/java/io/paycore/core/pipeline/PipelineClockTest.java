package io.paycore.core.pipeline;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.LimitsRecord;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clock that stamps records is the machine's, and it may be behind the journal when the service starts again
 * (an NTP step back, a VM restored from an image, another machine): the records stamped then must still come after
 * every record the journal holds.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PipelineClockTest
{
    private static final long T = 1_800_000_000_000_000_000L;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(16).maxTransfers(16).maxPendingTransfers(16);

    @TempDir
    Path dir;

    private final long[] now = new long[1];
    private Journal journal;
    private Pipeline pipeline;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(pipeline, journal);
    }

    @Test
    void shouldStampAfterTheLimitsRecordWhenTheClockIsBehindItAtTheNextStart()
    {
        // First run: the service journals its limits before any client, then stops (or dies) before a tick.
        now[0] = T;
        open();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[LimitsRecord.LENGTH]);
        final int length = LimitsRecord.encode(LIMITS, false, payload, 0);
        pipeline.journalBeforeStart(RecordTypes.LIMITS, payload, 0, length);
        CloseHelper.closeAll(pipeline, journal);

        // Next start, on a clock an hour behind the journal: the ledger is recovered from the journal, then serves.
        now[0] = T - HOUR;
        open();
        pipeline.start();
        assertTrue(pipeline.offerTick());
        pipeline.doStageWork();
        CloseHelper.closeAll(pipeline, journal);
        pipeline = null;
        journal = null;

        final List<Long> timestamps = timestamps();
        assertEquals(2, timestamps.size());
        assertTrue(timestamps.get(1) > timestamps.get(0),
            () -> "record 2 stamped " + timestamps.get(1) + ", before record 1 at " + timestamps.get(0));
    }

    private void open()
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.NONE));
        final Ledger ledger = new Ledger(LIMITS);
        final CommandProcessor processor = new CommandProcessor(ledger);
        final LedgerRecordHandler recovery = new LedgerRecordHandler(processor);
        try (JournalReader reader = JournalReader.open(dir, 1))
        {
            while (reader.poll(recovery, 100) > 0)
            {
                Thread.yield();
            }
        }
        pipeline = new Pipeline(
            new PipelineContext().inputRingSize(16).outputRingSize(16).layout(StageLayout.INLINE)
                .clock(() -> now[0]),
            journal,
            processor);
    }

    private List<Long> timestamps()
    {
        final List<Long> timestamps = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 1))
        {
            reader.poll((type, sequence, timestampNanos, buffer, offset, length) -> timestamps.add(timestampNanos),
                100);
        }
        return timestamps;
    }
}
