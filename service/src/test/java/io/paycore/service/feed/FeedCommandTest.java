package io.paycore.service.feed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.demo.DemoWorkload;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedCommandTest
{
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    /** Small ledger limits, given to the command and to the expectation alike. */
    private static final String[] LIMITS = { "--max-accounts", "1024", "--hot-transfers", "65536", "--max-pending",
        "1024", "--cold-tier-size", "0" };

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldPrintEveryChangeAsAJsonLineFromTheGivenTime()
    {
        final Path data = temp.resolve("data");
        final DemoWorkload workload = new DemoWorkload(10, 2_000, 8, 1);
        try (Journal journal = Journal.open(journalContext(data)))
        {
            write(journal, workload, Long.MAX_VALUE);
        }

        assertEquals(FeedCommand.EXIT_OK, feed("--data", data.toString()), console.err());
        final List<String> lines = console.out().lines().collect(Collectors.toList());
        assertEquals(expected(data, 0), lines);
        assertTrue(lines.size() > workload.transfersMade() * 9 / 10 && lines.size() <= workload.transfersMade(),
            "one change per demo transfer that succeeded: " + lines.size());
        assertTrue(lines.get(0).startsWith("{\"timestamp\":"), lines.get(0));
        assertTrue(lines.get(0).contains("\"type\":\"single_phase\""), lines.get(0));
        assertTrue(console.err().startsWith("paycore feed: " + lines.size() + " changes printed"), console.err());

        final long from = timestampOf(lines.get(500));
        console.reset();
        assertEquals(FeedCommand.EXIT_OK, feed("--data", data.toString(), "--from",
            java.time.Instant.ofEpochSecond(from / 1_000_000_000L, from % 1_000_000_000L).toString()), console.err());
        assertEquals(lines.subList(500, lines.size()),
            console.out().lines().collect(Collectors.toList()), "--from as an instant");
    }

    @Test
    void shouldFollowTheJournalAsItIsWrittenUntilStopped() throws Exception
    {
        final Path data = temp.resolve("data");
        final DemoWorkload workload = new DemoWorkload(10, 400, 4, 2);
        try (Journal journal = Journal.open(journalContext(data)))
        {
            write(journal, workload, 50);
            final List<String> args = new ArrayList<>(List.of("feed", "--data", data.toString(), "--follow"));
            args.addAll(List.of(LIMITS));
            try (PaycoreProcess feed = PaycoreProcess.start(temp.resolve("feed.out"), args))
            {
                final List<String> firstPart = expected(data, 0);
                awaitLines(feed, firstPart.size());
                write(journal, workload, Long.MAX_VALUE);
                final List<String> all = expected(data, 0);
                assertTrue(all.size() > firstPart.size(), "more was written");
                awaitLines(feed, all.size());

                assertEquals(128 + 15, feed.terminate(30_000), "the JVM's status after SIGTERM: " + feed.output());
                final List<String> printed = feed.output().lines()
                    .filter(line -> line.startsWith("{")).collect(Collectors.toList());
                assertEquals(all, printed, "history then live: no gap, no duplicate");
                assertTrue(feed.output().contains("paycore feed: " + all.size() + " changes printed"),
                    feed.output());
            }
        }
    }

    @Test
    void shouldRefuseBadUsageAndSayWhatIsMissing() throws Exception
    {
        assertEquals(2, feed("--data", temp.toString(), "--from", "yesterday"));
        assertTrue(console.err().contains("'yesterday' is not an ISO-8601 instant"), console.err());

        console.reset();
        assertEquals(FeedCommand.EXIT_CANNOT_FEED, feed("--data", temp.resolve("none").toString()));
        assertTrue(console.err().startsWith("paycore feed: no data directory"), console.err());

        console.reset();
        Files.createDirectories(new DataDirectory(temp).journalDirectory());
        assertEquals(FeedCommand.EXIT_CANNOT_FEED, feed("--data", temp.toString()));
        assertTrue(console.err().startsWith("paycore feed: no journal to follow"), console.err());
    }

    @Test
    void shouldRefuseAMaxBatchOutsideTheProtocolsRangeAsAOneLineUsageError() throws Exception
    {
        try (Journal journal = Journal.open(journalContext(temp)))
        {
            write(journal, new DemoWorkload(10, 40, 4, 1), 2);
        }

        assertEquals(FeedCommand.EXIT_USAGE, feed("--data", temp.toString(), "--max-batch", "2000"),
            console.out() + console.err());
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("paycore feed: ") && console.err().contains("1..1024"), console.err());
    }

    /**
     * The servers that replay the journal take the same option: refused before they start, in the same words.
     */
    @Test
    void shouldRefuseAMaxBatchOutsideTheProtocolsRangeBeforeServing()
    {
        final List<String> servers = List.of("feed-server", "query-server");
        for (final String command : List.of("feed-server", "query-server", "serve"))
        {
            for (final String maxBatch : List.of("0", "2000"))
            {
                final List<String> args = new ArrayList<>(List.of(command, "--data", temp.resolve(command).toString(),
                    "--max-batch", maxBatch));
                if (servers.contains(command))
                {
                    args.addAll(List.of("--state", temp.resolve(command + "-state").toString(), "--channel",
                        "aeron:udp?endpoint=localhost:20999"));
                }
                console.reset();
                assertEquals(2, PaycoreMain.execute(args.toArray(new String[0])),
                    command + " " + maxBatch + ": " + console.out() + console.err());
                assertEquals(1, console.err().lines().count(), console.err());
                assertTrue(console.err().contains("--max-batch) must be in 1..1024"), console.err());
            }
        }
    }

    private static int feed(final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("feed"));
        all.addAll(List.of(args));
        all.addAll(List.of(LIMITS));
        return PaycoreMain.execute(all.toArray(new String[0]));
    }

    private static JournalContext journalContext(final Path data)
    {
        return new JournalContext().directory(new DataDirectory(data).journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE);
    }

    /**
     * Append the workload's accounts, then up to {@code transferMessages} of its transfer messages.
     */
    private static void write(final Journal journal, final DemoWorkload workload, final long transferMessages)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        long timestamp = START_NANOS + journal.lastSequence() * 1_000;
        while (workload.hasMoreAccounts())
        {
            journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeAccounts(message, 0));
        }
        for (long m = 0; m < transferMessages && workload.hasMoreTransfers(); m++)
        {
            journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeTransfers(message, 0));
        }
    }

    private static List<String> expected(final Path data, final long from)
    {
        final List<String> lines = new ArrayList<>();
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(new DataDirectory(data))
            .limits(new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(1024))
            .coldTierSizeBytes(0).fromTimestampNanos(from)))
        {
            while (feed.poll(change -> lines.add(ChangeJson.toJson(change)), 1024) > 0)
            {
                // to the end
            }
        }
        return lines;
    }

    private static long timestampOf(final String line)
    {
        final int start = "{\"timestamp\":".length();
        return Long.parseLong(line.substring(start, line.indexOf(',', start)));
    }

    private static void awaitLines(final PaycoreProcess feed, final long count) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (feed.output().lines().filter(line -> line.startsWith("{")).count() < count)
        {
            assertTrue(System.currentTimeMillis() < deadline, "fewer than " + count + " lines:\n" + feed.output());
            Thread.sleep(50);
        }
    }
}
