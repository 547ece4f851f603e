package io.paycore.service.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.QueryRefusedDecoder;
import io.paycore.codec.sbe.QueryTransfersEncoder;
import io.paycore.codec.sbe.QueryTransfersResultDecoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holes a review of the query server found; each test fails against the code it was written for. The server is
 * driven on the test's thread (doWork), so that what escapes a duty cycle is seen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueryServerReviewTest
{
    private static final String REQUESTS = "aeron:ipc?term-length=64k";
    private static final int REQUEST_STREAM = 1200;
    private static final long CLIENT_ID = 7;
    private static final String SECRET = "review-secret";
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(1024).maxTransfers(65536).maxPendingTransfers(1024);

    @TempDir
    Path temp;

    private MediaDriver driver;
    private Aeron aeron;
    private DataDirectory data;
    private QueryServer server;
    private final List<Throwable> thrown = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start()
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(temp.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .ipcTermBufferLength(64 * 1024));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        data = new DataDirectory(temp.resolve("data"));
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE)))
        {
            final DemoWorkload workload = new DemoWorkload(10, 3_000, 8, 3);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
            long timestamp = START_NANOS;
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeAccounts(message, 0));
            }
            for (int m = 0; m < 50 && workload.hasMoreTransfers(); m++)
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeTransfers(message, 0));
            }
        }
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.onClose();
        }
        CloseHelper.quietCloseAll(aeron, driver);
    }

    /**
     * The service lowers a caller's term-length to its own and drops its linger (AuthenticatorAgent.openResponse);
     * the query server opens the asker's channel string as given (QueryServer.publication), so an unauthenticated
     * asker sizes the log the server's driver allocates: up to 1 GiB a term, 3 GiB a log, and --max-clients of them
     * open, more lingering after the least recently used are closed.
     */
    @Test
    void shouldSizeTheLogItWritesItselfNotAsTheAskerSays()
    {
        startServer(64, TimeUnit.SECONDS.toNanos(5));
        try (Subscription answers = aeron.addSubscription("aeron:ipc", 3001);
            ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            send(requests, 1, 10, "aeron:ipc?term-length=16m|linger=3600s", 3001);
            spinUntil(() -> answers.imageCount() > 0);
            final Image image = answers.imageAtIndex(0);
            assertTrue(image.termBufferLength() <= TransportContext.TERM_LENGTH_DEFAULT,
                "the query server wrote a log of " + image.termBufferLength() + "-byte terms, as the asker said " +
                "(the service's own terms are " + TransportContext.TERM_LENGTH_DEFAULT + " bytes)");
        }
    }

    /**
     * An asker whose channel carries messages shorter than its answer (term-length=64k: 8 KiB messages; 400
     * transfers are 50 KiB): ExclusivePublication.offer throws IllegalArgumentException from tryAnswer. A query that
     * waited for its channel to connect (the usual case for a new UDP channel) throws out of doWork every duty cycle
     * after: it never leaves the waiting list, is never answered or dropped, starves the queries behind it, and with
     * it held every later query is BUSY. (Answered at once, the exception goes to the Aeron client's error handler
     * from inside Image.poll and the query is lost unanswered and uncounted.)
     */
    @Test
    void shouldAnswerAnAskerWhoseChannelCannotCarryTheAnswerAndGoOnServingOthers()
    {
        startServer(1, TimeUnit.MILLISECONDS.toNanos(500));
        final List<String> small = new ArrayList<>();
        final List<String> good = new ArrayList<>();
        try (ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM);
            Subscription goodAnswers = aeron.addSubscription("aeron:ipc", 3003))
        {
            spinUntil(() -> server.doWork() >= 0 && requests.isConnected());
            send(requests, 1, ProtocolLimits.MAX_BATCH_EVENTS, "aeron:ipc?term-length=64k", 3002);
            runFor(100, null, null); // the query waits for its channel
            try (Subscription smallAnswers = aeron.addSubscription("aeron:ipc", 3002))
            {
                runFor(2_000, smallAnswers, small);
            }
            final int thrownBefore = thrown.size();

            // Well past the wait timeout: another asker, on a channel that carries any answer.
            send(requests, 2, 10, "aeron:ipc", 3003);
            runFor(2_000, goodAnswers, good);

            assertEquals(List.of("2 transfers 10"), good, "the other asker's answer; doWork threw " +
                thrown.size() + " times, first: " + (thrown.isEmpty() ? "-" : thrown.get(0)));
            assertEquals(1, small.size(), "an answer (a refusal, say) to the asker whose channel is too small: " +
                small + "; doWork threw " + thrownBefore + " times");
            assertEquals(0, thrown.size(), "doWork threw, first: " + (thrown.isEmpty() ? "-" : thrown.get(0)));
        }
    }

    /**
     * --max-in-flight is "most queries waiting at once", but a query whose channel is not connected yet is added to
     * the waiting list whatever its length (a BUSY refusal waits for its channel too): the list grows with whatever
     * arrives within the wait timeout, and every duty cycle walks it.
     */
    @Test
    void shouldHoldAtMostMaxInFlightQueriesWaiting()
    {
        final int maxInFlight = 2;
        startServer(maxInFlight, TimeUnit.SECONDS.toNanos(5));
        try (ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM))
        {
            spinUntil(() -> server.doWork() >= 0 && requests.isConnected());
            for (int i = 0; i < 50; i++)
            {
                send(requests, 100 + i, 10, "aeron:ipc", 3100 + i % 4); // no one listens: never connects
            }
            runFor(500, null, null);
            final long waiting = counter("paycore query: queries waiting");
            assertTrue(waiting <= maxInFlight, waiting + " queries waiting, with --max-in-flight " + maxInFlight);
        }
    }

    /**
     * Past --max-clients channels the least recently used is closed, even when a query waits on it (for the asker's
     * write, here): that query is then dropped as "did not connect", its asker left to time out unanswered, while
     * its channel was connected.
     */
    @Test
    void shouldAnswerAQueryWaitingOnItsChannelWhenANewAskerComesPastMaxClients()
    {
        startServer(4, 1, TimeUnit.MILLISECONDS.toNanos(1_000));
        final List<String> first = new ArrayList<>();
        final List<String> second = new ArrayList<>();
        try (ExclusivePublication requests = aeron.addExclusivePublication(REQUESTS, REQUEST_STREAM);
            Subscription firstAnswers = aeron.addSubscription("aeron:ipc", 3201);
            Subscription secondAnswers = aeron.addSubscription("aeron:ipc", 3202))
        {
            spinUntil(() -> server.doWork() >= 0 && requests.isConnected());
            send(requests, 1, 10, "aeron:ipc", 3201, START_NANOS + TimeUnit.HOURS.toNanos(1)); // waits for a write
            runFor(200, firstAnswers, first);
            send(requests, 2, 10, "aeron:ipc", 3202, 0);
            runFor(200, secondAnswers, second);
            runFor(2_000, firstAnswers, first);

            assertEquals(1, first.size(), "the waiting query's answer: " + first + "; log " + log);
            assertTrue(first.get(0).startsWith("1 refused NOT_CAUGHT_UP"), first.get(0));
            assertEquals(1, second.size(), "an answer to the new asker: " + second + "; log " + log);
            assertTrue(second.get(0).startsWith("2 refused BUSY"), second.get(0));

            // No query waits now: the channel no one waits on makes room for a third asker's.
            final List<String> third = new ArrayList<>();
            try (Subscription thirdAnswers = aeron.addSubscription("aeron:ipc", 3203))
            {
                send(requests, 3, 10, "aeron:ipc", 3203, 0);
                runFor(500, thirdAnswers, third);
            }
            assertEquals(List.of("3 transfers 10"), third, "log " + log);
        }
    }

    private void startServer(final int maxInFlight, final long waitTimeoutNanos)
    {
        startServer(maxInFlight, QueryServerContext.MAX_CLIENTS_DEFAULT, waitTimeoutNanos);
    }

    private void startServer(final int maxInFlight, final int maxClients, final long waitTimeoutNanos)
    {
        server = new QueryServer(aeron, new QueryServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(REQUESTS)
            .requestStreamId(REQUEST_STREAM)
            .maxInFlight(maxInFlight)
            .maxClients(maxClients)
            .waitTimeoutNanos(waitTimeoutNanos)
            .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)), "test"))
            .log(log::add), temp.resolve("store"));
    }

    private long counter(final String label)
    {
        final long[] value = { -1 };
        aeron.countersReader().forEach((id, type, key, l) ->
        {
            if (l.equals(label))
            {
                value[0] = aeron.countersReader().getCounterValue(id);
            }
        });
        return value[0];
    }

    private void runFor(final long millis, final Subscription answers, final List<String> into)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final QueryTransfersResultDecoder result = new QueryTransfersResultDecoder();
        final QueryRefusedDecoder refused = new QueryRefusedDecoder();
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, h) ->
        {
            header.wrap(buffer, offset);
            if (QueryTransfersResultDecoder.TEMPLATE_ID == header.templateId())
            {
                result.wrapAndApplyHeader(buffer, offset, header);
                into.add(result.correlationId() + " transfers " + result.transfer().count());
            }
            else if (QueryRefusedDecoder.TEMPLATE_ID == header.templateId())
            {
                refused.wrapAndApplyHeader(buffer, offset, header);
                into.add(refused.correlationId() + " refused " + refused.status() + " " + refused.detail());
            }
            else
            {
                into.add("template " + header.templateId());
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0)
        {
            doWork();
            if (null != answers)
            {
                answers.poll(assembler, 10);
            }
            sleep(1);
        }
    }

    private void doWork()
    {
        try
        {
            server.doWork();
        }
        catch (final Throwable ex)
        {
            thrown.add(ex);
        }
    }

    private void send(
        final ExclusivePublication requests, final long correlationId, final long limit, final String channel,
        final int streamId)
    {
        send(requests, correlationId, limit, channel, streamId, 0);
    }

    private void send(
        final ExclusivePublication requests, final long correlationId, final long limit, final String channel,
        final int streamId, final long minTimestamp)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final QueryTransfersEncoder encoder = new QueryTransfersEncoder().wrapAndApplyHeader(buffer, 0,
            new MessageHeaderEncoder())
            .correlationId(correlationId)
            .minTimestamp(minTimestamp)
            .userData64(0)
            .timestampMin(0)
            .timestampMax(0)
            .userData32(0)
            .ledger(0)
            .resultLimit(limit)
            .flags(0)
            .responseStreamId(streamId)
            .code(0)
            .clientId(CLIENT_ID)
            .responseChannel(channel)
            .credential(SECRET);
        encoder.userData128().lo(0).hi(0);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        spinUntil(() -> requests.offer(buffer, 0, length) > 0);
    }

    private void spinUntil(final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "not done within 30 s");
            doWork();
            sleep(1);
        }
    }

    private static void sleep(final long millis)
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
}
