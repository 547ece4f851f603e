package io.paycore.replay.feed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.Journal;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.audit.AuditRuns;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeFeedTest
{
    private static final int TRANSFER_MESSAGES = 300;

    @TempDir
    static Path written;

    private static AuditRuns.Run run;
    /** What a ledger replaying the run's records reports, as JSON: what the feed must hand on. */
    private static final List<String> EXPECTED = new ArrayList<>();
    private static final List<Long> EXPECTED_TIMESTAMPS = new ArrayList<>();
    private static final EnumSet<ChangeType> EXPECTED_TYPES = EnumSet.noneOf(ChangeType.class);

    @BeforeAll
    static void writeRun()
    {
        run = AuditRuns.write(new DataDirectory(written), TRANSFER_MESSAGES, 7);
        final Ledger ledger = new Ledger(AuditRuns.limits());
        ledger.changeListener(change ->
        {
            EXPECTED.add(ChangeJson.toJson(change));
            EXPECTED_TIMESTAMPS.add(change.timestampNanos());
            EXPECTED_TYPES.add(change.type());
        });
        final LedgerRecordHandler applier = new LedgerRecordHandler(new CommandProcessor(ledger));
        for (final AuditRuns.Record record : run.records)
        {
            applier.onRecord(record.type, record.sequence, record.timestampNanos, new UnsafeBuffer(record.payload), 0,
                record.payload.length);
        }
    }

    @Test
    void shouldHandOnEveryChangeInOrderWithBothAccountsBalances()
    {
        final List<String> lines = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();
        try (ChangeFeed feed = ChangeFeed.open(context(written).coldTierSizeBytes(64L << 20)))
        {
            drain(feed, change ->
            {
                lines.add(ChangeJson.toJson(change));
                timestamps.add(change.timestampNanos());
            });
            assertNull(feed.checkEnd(), "the feed stopped at the journal's end");
            assertEquals(run.lastSequence + 1, feed.nextSequence());
            assertEquals(lines.size(), feed.changesDelivered());
            assertEquals(0, feed.changesSkipped());
            assertEquals(timestamps.get(timestamps.size() - 1), feed.lastTimestampNanos());
        }

        assertEquals(EXPECTED, lines);
        assertEquals(EnumSet.allOf(ChangeType.class), EXPECTED_TYPES, "the run makes every kind of change");
        for (int i = 1; i < timestamps.size(); i++)
        {
            assertTrue(timestamps.get(i) > timestamps.get(i - 1), "timestamps strictly increase at " + i);
        }
        final long transfersAnsweredOk = run.events.stream()
            .filter(sent -> sent.transfer && "OK".equals(sent.result)).count();
        final long expiries = lines.stream().filter(line -> line.contains("\"type\":\"two_phase_expired\"")).count();
        assertEquals(transfersAnsweredOk, lines.size() - expiries,
            "one change per transfer the ledger answered OK, and one per expiry");
    }

    @Test
    void shouldStartAtTheGivenTimestamp()
    {
        final int start = EXPECTED.size() / 3;
        final List<String> lines = new ArrayList<>();
        try (ChangeFeed feed = ChangeFeed.open(context(written).coldTierSizeBytes(0)
            .fromTimestampNanos(EXPECTED_TIMESTAMPS.get(start))))
        {
            drain(feed, change -> lines.add(ChangeJson.toJson(change)));
            assertEquals(start, feed.changesSkipped());
        }
        assertEquals(EXPECTED.subList(start, EXPECTED.size()), lines, "from a change's timestamp: it and after");

        lines.clear();
        try (ChangeFeed feed = ChangeFeed.open(context(written).coldTierSizeBytes(0)
            .fromTimestampNanos(EXPECTED_TIMESTAMPS.get(start) + 1)))
        {
            drain(feed, change -> lines.add(ChangeJson.toJson(change)));
        }
        assertEquals(EXPECTED.subList(start + 1, EXPECTED.size()), lines, "resuming after a change: the ones after");
    }

    @Test
    void shouldFollowAJournalWhileItIsWrittenWithNoGapAndNoDuplicate(@TempDir final Path live)
    {
        final DataDirectory directory = new DataDirectory(live);
        final List<String> lines = new ArrayList<>();
        final int half = run.records.size() / 2;
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            append(journal, 0, half);
            try (ChangeFeed feed = ChangeFeed.open(context(live).coldTierSizeBytes(0)))
            {
                drain(feed, change -> lines.add(ChangeJson.toJson(change)));
                final int seenAtHalf = lines.size();
                assertTrue(seenAtHalf > 0 && seenAtHalf < EXPECTED.size(), "half the journal, part of the changes");
                assertEquals(0, feed.poll(change -> lines.add("unexpected"), 100), "nothing new yet");

                append(journal, half, run.records.size());
                drain(feed, change -> lines.add(ChangeJson.toJson(change)));
            }
        }
        assertEquals(EXPECTED, lines);
    }

    @Test
    void shouldSayWhenThereIsNoJournal(@TempDir final Path empty) throws Exception
    {
        Files.createDirectories(new DataDirectory(empty).journalDirectory());
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> ChangeFeed.open(context(empty)));
        assertTrue(ex.getMessage().startsWith("no journal to follow"), ex.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> ChangeFeed.open(context(written).fromTimestampNanos(-1)));
    }

    private static ChangeFeedContext context(final Path data)
    {
        return new ChangeFeedContext().directory(new DataDirectory(data)).limits(AuditRuns.limits());
    }

    private static void drain(final ChangeFeed feed, final LedgerChangeListener listener)
    {
        while (feed.poll(listener, 17) > 0)
        {
            // an odd record limit, so polls end mid-batch and mid-tick
        }
    }

    private static void append(final Journal journal, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final AuditRuns.Record record = run.records.get(i);
            assertEquals(record.sequence, journal.append(record.type, record.timestampNanos,
                new UnsafeBuffer(record.payload), 0, record.payload.length));
        }
    }
}
