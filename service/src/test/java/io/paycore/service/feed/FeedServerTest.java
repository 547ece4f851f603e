package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.FeedChangeDecoder;
import io.paycore.codec.sbe.FeedStatus;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.SubscribeFeedEncoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.UInt128;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalVerifier;
import io.paycore.journal.SegmentDescriptor;
import io.paycore.replay.DataDirectory;
import io.paycore.service.TestJournals;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.FeedSubscriber;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedServerTest
{
    private static final String REQUESTS = "aeron:ipc?term-length=64k";
    private static final int REQUEST_STREAM = 1100;
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(1024);
    private static final long CLIENT_ID = 1;
    private static final String SECRET = "the-feed-secret-of-client-1";

    @TempDir
    Path temp;

    private MediaDriver driver;
    private Aeron aeron;
    private Journal journal;
    private DemoWorkload workload;
    private DataDirectory data;
    private final List<AgentRunner> servers = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private FeedCounters counters;

    @BeforeEach
    void start()
    {
        driver = TestJournals.sharedDriver(temp.resolve("aeron"));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        data = new DataDirectory(temp.resolve("data"));
        journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE));
        workload = new DemoWorkload(10, 3_000, 8, 3);
        write(200);
    }

    @AfterEach
    void stop()
    {
        for (final AgentRunner server : servers)
        {
            CloseHelper.quietClose(server);
        }
        CloseHelper.quietCloseAll(counters, journal, aeron, driver); // counters after the servers that count
    }

    @Test
    void shouldServeEachSubscriberFromItsTimestampThroughHistoryAndLive()
    {
        final FeedCounters counters = counters();
        startServer(4, counters);
        final List<String> history = expected();
        final long middle = timestampOf(history.get(history.size() / 2));

        final List<String> fromStart = new ArrayList<>();
        final List<String> fromMiddle = new ArrayList<>();
        try (FeedSubscriber a = subscriber("aeron:ipc", 2001);
            FeedSubscriber b = subscriber("aeron:ipc", 2002))
        {
            a.subscribe(0);
            b.subscribe(middle);
            await(() -> poll(a, fromStart) + poll(b, fromMiddle) >= 0 &&
                fromStart.size() == history.size() && fromMiddle.size() == history.size() - history.size() / 2);
            assertEquals(FeedStatus.SUBSCRIBED, a.status());
            assertEquals(history, fromStart);
            assertEquals(history.subList(history.size() / 2, history.size()), fromMiddle);

            write(Long.MAX_VALUE); // the service goes on writing
            final List<String> all = expected();
            assertTrue(all.size() > history.size());
            await(() -> poll(a, fromStart) + poll(b, fromMiddle) >= 0 &&
                fromStart.size() == all.size() && fromMiddle.size() == all.size() - history.size() / 2);
            assertEquals(all, fromStart, "history then live, no gap, no duplicate");
            assertEquals(all.subList(history.size() / 2, all.size()), fromMiddle);
            assertEquals(0, a.duplicatesDropped() + b.duplicatesDropped() + a.invalidFrames());

            assertEquals(fromStart.size() + fromMiddle.size(), counters.published().get());
            assertEquals(timestampOf(all.get(all.size() - 1)), counters.lastConfirmedTimestamp().get());
        }
    }

    @Test
    void shouldAnswerFullPastItsLimitAndSurviveGarbage()
    {
        final FeedCounters counters = counters();
        startServer(1, counters);
        final List<String> first = new ArrayList<>();
        final List<String> second = new ArrayList<>();
        try (FeedSubscriber a = subscriber("aeron:ipc", 2001);
            FeedSubscriber b = subscriber("aeron:ipc", 2002);
            ExclusivePublication garbage = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            a.subscribe(0);
            await(() -> poll(a, first) >= 0 && FeedStatus.SUBSCRIBED == a.status());
            await(() -> garbage.offer(new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8, 9 })) > 0);

            b.subscribe(0);
            await(() -> poll(a, first) + poll(b, second) >= 0 && null != b.status());
            assertEquals(FeedStatus.FULL, b.status());
            assertTrue(b.detail().contains("serves 1 subscribers already"), b.detail());
            assertTrue(second.isEmpty());

            final List<String> history = expected();
            await(() -> poll(a, first) >= 0 && first.size() == history.size());
            assertEquals(history, first, "the subscriber served goes on regardless");
            assertEquals(2, counters.errors().get(), "the garbage frame and the refusal: " + log);
        }
    }

    @Test
    void shouldAnswerFullWhenAnotherReplayWouldNotFitInTheHeap()
    {
        // A replay that fits the heap on its own (a server of limits that never fit is refused at start), and a
        // ballast that leaves less than it free.
        final Runtime runtime = Runtime.getRuntime();
        final LedgerLimits large = new LedgerLimits().maxAccounts(1024)
            .maxTransfers((int)Math.min(LedgerLimits.MAX_RECORDS_BOUND, runtime.maxMemory() * 3 / 5 / 200));
        final long[] ballast = new long[(int)Math.min(Integer.MAX_VALUE - 8, runtime.maxMemory() / 2 / 8)];
        final long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        assertTrue(large.heapBytesEstimate(false) <= runtime.maxMemory() && large.heapBytesEstimate(false) > free,
            "the test needs a ledger between the free and the whole heap");
        startServer(4, null, large);
        try (FeedSubscriber a = subscriber("aeron:ipc", 2001))
        {
            a.subscribe(0);
            await(() -> a.poll(change -> { }, 10) >= 0 && null != a.status());
            assertEquals(FeedStatus.FULL, a.status());
            assertTrue(a.detail().startsWith("no heap for another replay"), a.detail());
        }
        assertEquals(ballast.length, ballast.length + ballast[0], "the ballast is live until here");
    }

    @Test
    void shouldPickUpWhereItWasWhenTheServerRestarts()
    {
        final AgentRunner firstServer = startServer(4, null);
        final List<String> history = expected();
        final List<String> got = new ArrayList<>();
        try (FeedSubscriber a = subscriber("aeron:ipc", 2001))
        {
            a.subscribe(0);
            await(() -> poll(a, got) >= 0 && got.size() >= history.size() / 3);
            firstServer.close();
            write(Long.MAX_VALUE);
            startServer(4, null);

            final List<String> all = expected();
            await(() -> poll(a, got) >= 0 && got.size() >= all.size());
            assertEquals(all, got, "no gap and no duplicate across the restart");
            assertEquals(1, a.resubscriptions());
        }
    }

    @Test
    void shouldServeOverUdpFromTheCommandLine() throws Exception
    {
        final Path clients = data.root().resolve("clients");
        Files.writeString(clients, ClientCredentials.line(CLIENT_ID, SECRET, 1) + System.lineSeparator());
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);
        final Path state = temp.resolve("server-state");
        final List<String> args = new ArrayList<>(List.of("feed-server", "--data", data.root().toString(),
            "--state", state.toString(), "--channel", "aeron:udp?endpoint=localhost:20901", "--max-accounts", "1024",
            "--hot-transfers", "65536", "--max-pending", "1024", "--cold-tier-size", "0"));
        try (PaycoreProcess server = PaycoreProcess.start(temp.resolve("server.out"), args))
        {
            final String ready = server.awaitLine("ready:", 30_000);
            assertTrue(ready.startsWith("ready: channel aeron:udp?endpoint=127.0.0.1:20901 stream 1100"), ready);

            final List<String> history = expected();
            final List<String> got = new ArrayList<>();
            try (FeedSubscriber a = new FeedSubscriber(aeron, "aeron:udp?endpoint=localhost:20901", 1100,
                "aeron:udp?endpoint=localhost:20902", 2001, CLIENT_ID, SECRET))
            {
                a.subscribe(0);
                await(() -> poll(a, got) >= 0 && got.size() >= history.size());
                assertEquals(history, got);
                // A subscriber's request id starts where no one can guess (FeedSubscriber), so the line names it.
                final String from = server.awaitLine("feed-server: subscriber ", 10_000);
                assertTrue(from.matches("feed-server: subscriber \\d+ of client 1 on " +
                    "aeron:udp\\?endpoint=localhost:20902 stream 2001 from 0"), from);
            }
            final String subscriber = server.awaitLine("feed-server: subscriber ", 10_000).split(" ")[2];
            server.awaitLine("feed-server: subscriber " + subscriber + " of client 1 on " +
                "aeron:udp?endpoint=localhost:20902 stream 2001 went away", 30_000);

            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final PrintStream savedOut = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try
            {
                assertEquals(0, PaycoreMain.execute("stat", "--feed-state", state.toString()));
            }
            finally
            {
                System.setOut(savedOut);
            }
            final String stat = out.toString(StandardCharsets.UTF_8);
            assertTrue(stat.matches("(?s).*\\s" + String.format(Locale.ROOT, "%,d", history.size()) +
                " - paycore feed aeron: changes published.*"), stat);
            assertTrue(stat.contains(" 0 - paycore feed aeron: subscribers"), stat);

            assertEquals(128 + 15, server.terminate(30_000), server.output());
        }
    }

    /**
     * The service lowers a caller's term-length to its own and drops its linger (AuthenticatorAgent.openResponse);
     * the feed server opens the subscriber's channel string as given, so an unauthenticated caller sizes the log the
     * server's driver allocates (up to 1 GiB a term, 3 GiB a log), for refused requests too.
     */
    @Test
    void shouldSizeTheLogItWritesItselfNotAsTheSubscriberSays()
    {
        startServer(4, null, TimeUnit.SECONDS.toNanos(10));
        try (Subscription answers = aeron.addSubscription("aeron:ipc", 2101);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            send(requests, 7, 0, "aeron:ipc?term-length=16m|linger=3600s", 2101);
            await(() -> answers.imageCount() > 0);
            final Image image = answers.imageAtIndex(0);
            assertTrue(image.termBufferLength() <= TransportContext.TERM_LENGTH_DEFAULT,
                "the feed server wrote a log of " + image.termBufferLength() + "-byte terms, as the caller asked " +
                "(the service's own terms are " + TransportContext.TERM_LENGTH_DEFAULT + " bytes)");
        }
    }

    /**
     * Anyone who reaches the request channel can name a subscriber's channel and stream with a later timestamp: the
     * server opens a second stream onto it, and FeedSubscriber takes changes from every session on its subscription,
     * so the first later timestamp it sees makes it drop the rest of its own feed as "duplicates": a silent gap.
     */
    @Test
    void shouldNotLetAnotherRequestOnItsChannelCutAGapInASubscribersFeed()
    {
        final FeedCounters counters = counters();
        startServer(4, counters, TimeUnit.SECONDS.toNanos(10));
        final List<String> history = expected();
        final int late = history.size() * 3 / 4;
        final List<String> got = new ArrayList<>();
        try (FeedSubscriber victim = subscriber("aeron:ipc", 2001);
            ExclusivePublication other = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            // Another party (or a second instance with the same configuration) asks for the feed from a later
            // timestamp, to the victim's channel and stream.
            send(other, 999, timestampOf(history.get(late)), "aeron:ipc", 2001);
            await(() -> counters.published().get() > 0); // the first changes wait in the victim's image
            sleep(200);

            victim.subscribe(0);
            await(() -> 0 == victim.poll(change -> got.add(render(change)), 100) &&
                (got.size() >= history.size() || counters.published().get() == 2L * history.size() - late &&
                got.size() + victim.duplicatesDropped() >= 2L * history.size() - late));
            assertEquals(FeedStatus.SUBSCRIBED, victim.status());
            assertEquals(history.size(), got.size(), "changes handed on: the victim's feed from 0 lost " +
                (history.size() - got.size()) + " of " + history.size() + " changes, " +
                victim.duplicatesDropped() + " dropped as duplicates");
            assertEquals(history, got);
        }
    }

    /**
     * A subscriber that connects and then never reads keeps its place (and its replay ledger, about 1 GiB with the
     * service's limits) for ever: --max-subscribers of them and every other subscriber is answered FULL for good.
     * The service bounds a client's egress back-pressure; the feed server has no such bound.
     */
    @Test
    void shouldNotLetSubscribersThatNeverReadHoldEveryPlaceForEver()
    {
        final long connectTimeoutNanos = TimeUnit.SECONDS.toNanos(1);
        final FeedCounters counters = counters();
        startServer(1, counters, connectTimeoutNanos);
        final List<String> history = expected();
        try (Subscription stalled = aeron.addSubscription("aeron:ipc", 2003);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            send(requests, 5, 0, "aeron:ipc", 2003); // connects, and is never polled
            await(() -> stalled.imageCount() > 0 && counters.published().get() > 0);
            final long stuckAt = counters.published().get();
            sleep(TimeUnit.NANOSECONDS.toMillis(3 * connectTimeoutNanos));
            assertTrue(counters.published().get() < history.size(), "the stalled subscriber is back-pressured: " +
                stuckAt + " .. " + counters.published().get());

            try (FeedSubscriber other = subscriber("aeron:ipc", 2004))
            {
                other.subscribe(0);
                await(() -> other.poll(c -> { }, 100) >= 0 && null != other.status());
                assertNotEquals(FeedStatus.FULL, other.status(), "a subscriber that has read nothing for " +
                    TimeUnit.NANOSECONDS.toSeconds(3 * connectTimeoutNanos) + " s still holds the only place: " +
                    other.detail());
            }
        }
    }

    /**
     * {@code paycore journal archive} runs beside the service, so beside the feed server too: a subscriber whose
     * replay is behind the cut (replaying history, or held back by its own stream) reads its segment to the end from
     * the mapping, then waits for the next segment, which was moved and will not come. It was answered SUBSCRIBED and
     * then got nothing, for ever: no refusal, no error counted, no lag shown, its place held.
     */
    @Test
    void shouldTellASubscriberBehindAnArchiveCutThatItsFeedStoppedRatherThanGoQuiet() throws Exception
    {
        write(Long.MAX_VALUE);
        final FeedCounters counters = counters();
        startServer(4, counters, TimeUnit.SECONDS.toNanos(60));
        final List<String> all = expected();
        final List<String> got = new ArrayList<>();
        try (FeedSubscriber a = subscriber("aeron:ipc?term-length=64k", 2001))
        {
            a.subscribe(0);
            // The answer and nothing more: the server's replay then waits on back pressure, in the first segment.
            await(() -> a.poll(change -> got.add(render(change)), 1) >= 0 && null != a.status());
            assertEquals(FeedStatus.SUBSCRIBED, a.status());
            sleep(500);
            final Path journalDirectory = data.journalDirectory();
            final Path[] segments = JournalVerifier.segments(journalDirectory);
            assertTrue(segments.length > 4, "the journal should span segments: " + segments.length);
            final JournalArchive.Result result = JournalArchive.archive(journalDirectory, temp.resolve("archive"),
                SegmentDescriptor.firstSequence(segments[segments.length - 1]));
            assertEquals(segments.length - 1, result.segmentsMoved());

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (FeedStatus.SUBSCRIBED == a.status() && System.nanoTime() < deadline)
            {
                if (0 == poll(a, got))
                {
                    sleep(1);
                }
            }
            assertEquals(FeedStatus.FAILED, a.status(), "the subscriber got " + got.size() + " of " + all.size() +
                " changes and then nothing for 10 s, still SUBSCRIBED; server log: " + log);
            assertTrue(a.detail().contains("moved"), a.detail());
            assertTrue(got.size() < all.size(), got.size() + " of " + all.size());
            assertEquals(all.subList(0, got.size()), got, "no gap before it stopped");

            // Asking again from where it got to: refused, saying where the journal's start went.
            a.subscribe(a.lastTimestampNanos() + 1);
            await(() -> a.poll(change -> got.add(render(change)), 100) >= 0 && null != a.status());
            assertEquals(FeedStatus.FAILED, a.status());
            assertTrue(a.detail().contains("archived"), a.detail());
        }
    }

    private static void send(
        final ExclusivePublication requests, final long correlationId, final long from, final String channel,
        final int streamId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final SubscribeFeedEncoder encoder = new SubscribeFeedEncoder().wrapAndApplyHeader(buffer, 0,
            new MessageHeaderEncoder())
            .correlationId(correlationId)
            .fromTimestamp(from)
            .responseStreamId(streamId)
            .clientId(CLIENT_ID)
            .responseChannel(channel)
            .credential(SECRET);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        await(() -> requests.offer(buffer, 0, length) > 0);
    }

    private FeedCounters counters()
    {
        counters = new FeedCounters(temp.resolve("state"), "aeron");
        return counters;
    }

    private AgentRunner startServer(final int maxSubscribers, final FeedCounters counters)
    {
        return startServer(maxSubscribers, counters, LIMITS);
    }

    private AgentRunner startServer(final int maxSubscribers, final FeedCounters counters, final LedgerLimits limits)
    {
        return startServer(maxSubscribers, counters, limits, FeedServerContext.CONNECT_TIMEOUT_NANOS_DEFAULT);
    }

    /**
     * @param timeoutNanos the connect timeout and the stall timeout both.
     */
    private AgentRunner startServer(final int maxSubscribers, final FeedCounters counters, final long timeoutNanos)
    {
        return startServer(maxSubscribers, counters, LIMITS, timeoutNanos);
    }

    private AgentRunner startServer(
        final int maxSubscribers, final FeedCounters counters, final LedgerLimits limits, final long timeoutNanos)
    {
        final FeedServer server = new FeedServer(aeron, new FeedServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(limits).coldTierSizeBytes(0))
            .requestChannel(REQUESTS)
            .requestStreamId(REQUEST_STREAM)
            .maxSubscribers(maxSubscribers)
            .connectTimeoutNanos(timeoutNanos)
            .stallTimeoutNanos(timeoutNanos)
            .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)), "test"))
            .counters(counters)
            .log(line ->
            {
                synchronized (log)
                {
                    log.add(line);
                }
            }));
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(1, 1, 1_000, 1_000_000), Throwable::printStackTrace, null, server);
        AgentRunner.startOnThread(runner);
        servers.add(runner);
        return runner;
    }

    private void write(final long transferMessages)
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

    private List<String> expected()
    {
        final List<String> lines = new ArrayList<>();
        try (ChangeFeed feed = ChangeFeed.open(new ChangeFeedContext().directory(data).limits(LIMITS)
            .coldTierSizeBytes(0)))
        {
            while (feed.poll(change -> lines.add(render(change)), 1024) > 0)
            {
                // to the end
            }
        }
        return lines;
    }

    private FeedSubscriber subscriber(final String channel, final int streamId)
    {
        return new FeedSubscriber(aeron, REQUESTS, REQUEST_STREAM, channel, streamId, CLIENT_ID, SECRET);
    }

    private static int poll(final FeedSubscriber subscriber, final List<String> into)
    {
        return subscriber.poll(change -> into.add(render(change)), 100);
    }

    private static String render(final LedgerChange change)
    {
        return change.timestampNanos() + " " + change.type().ordinal() + " " +
            UInt128.toString(change.transferIdHi(), change.transferIdLo()) + " " +
            UInt128.toString(change.debitAccountIdHi(), change.debitAccountIdLo()) + " " +
            UInt128.toString(change.amountHi(), change.amountLo()) + " " +
            UInt128.toString(change.debitAccountDebitsPostedHi(), change.debitAccountDebitsPostedLo()) + " " +
            UInt128.toString(change.creditAccountCreditsPostedHi(), change.creditAccountCreditsPostedLo()) + " " +
            change.ledger() + " " + change.code() + " " + change.creditAccountFlags();
    }

    private static String render(final FeedChangeDecoder change)
    {
        return change.timestamp() + " " + change.changeType().value() + " " +
            UInt128.toString(change.transferId().hi(), change.transferId().lo()) + " " +
            UInt128.toString(change.debitAccountId().hi(), change.debitAccountId().lo()) + " " +
            UInt128.toString(change.amount().hi(), change.amount().lo()) + " " +
            UInt128.toString(change.debitAccountDebitsPosted().hi(), change.debitAccountDebitsPosted().lo()) + " " +
            UInt128.toString(change.creditAccountCreditsPosted().hi(), change.creditAccountCreditsPosted().lo()) +
            " " + change.ledger() + " " + change.code() + " " + change.creditAccountFlags();
    }

    private static long timestampOf(final String rendered)
    {
        return Long.parseLong(rendered.substring(0, rendered.indexOf(' ')));
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    static void await(final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "not done within 30 s");
            Thread.yield();
            sleep(1);
        }
    }
}
