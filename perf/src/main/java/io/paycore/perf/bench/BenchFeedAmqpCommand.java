package io.paycore.perf.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.service.feed.AmqpFeedContext;
import io.paycore.service.feed.AmqpFeedPublisher;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paycore bench feed-amqp --uri URI}: the sustained rate of {@code paycore feed-amqp} into a RabbitMQ broker,
 * against the rate of a bare AMQP client sending messages of the same size, properties and headers, with the same
 * confirm window, to the same exchange and durable queue, in the same run. The publisher's figure includes all of
 * its work: replaying the journal into its ledger, the JSON, the window, the progress file.
 */
@Command(
    name = "feed-amqp",
    header = "Sustained changes/s of paycore feed-amqp into RabbitMQ against a bare client's rate, same run.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Write a journal of demo traffic, then alternate, --rounds times: a bare AMQP client publishing as many",
        "persistent messages as there are changes, of their mean size, with the same properties, headers and",
        "confirm window; and feed-amqp publishing the journal's changes (replay, JSON, confirms, progress file)",
        "from a fresh state directory. Both go to one durable exchange bound to one durable queue, purged between",
        "runs. Prints each run's rate and the ratio. The broker should be on this machine and otherwise idle."
    })
public final class BenchFeedAmqpCommand implements Callable<Integer>
{
    private static final String EXCHANGE = "paycore.bench.feed";
    private static final String QUEUE = "paycore.bench.feed";

    @Option(names = "--uri", paramLabel = "URI", required = true,
        description = "The broker, amqp://user:password@host:port (no path: the default virtual host).")
    private String uri;

    @Option(names = "--transfers", paramLabel = "N", defaultValue = "100000",
        description = "Transfer events in the journal; the changes are about as many (default: ${DEFAULT-VALUE}).")
    private int transfers;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + AmqpFeedContext.MAX_IN_FLIGHT_DEFAULT,
        description = "The unconfirmed window of both publishers (default: ${DEFAULT-VALUE}).")
    private int maxInFlight;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
        description = "Pairs of runs, bare client then feed-amqp (default: ${DEFAULT-VALUE}).")
    private int rounds;

    /**
     * Run the benchmark.
     *
     * @return 0, or 1 if a run failed.
     */
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final Path root = Files.createTempDirectory("paycore-bench-feed-");
        try
        {
            final DataDirectory data = new DataDirectory(root.resolve("data"));
            final LedgerLimits limits = new LedgerLimits()
                .maxAccounts(1024)
                .maxTransfers(Math.max(65_536, Integer.highestOneBit(transfers) << 2))
                .maxPendingTransfers(16_384);
            writeJournal(data, transfers);

            final long replayStartNs = System.nanoTime();
            final long[] countAndBytes = new long[2];
            final StringBuilder json = new StringBuilder(1024);
            try (ChangeFeed feed = ChangeFeed.open(feedContext(data, limits)))
            {
                while (feed.poll((change) ->
                {
                    json.setLength(0);
                    countAndBytes[0]++;
                    countAndBytes[1] += ChangeJson.append(change, json).length();
                }, 1_000) > 0)
                {
                    assert countAndBytes[0] > 0;
                }
            }
            final double replaySeconds = (System.nanoTime() - replayStartNs) / 1e9;
            final int changes = (int)countAndBytes[0];
            final int bodyBytes = (int)(countAndBytes[1] / Math.max(1, changes));
            out.printf(Locale.ROOT, "journal: %d transfer events, %d changes, mean JSON body %d bytes; replay and " +
                "JSON alone: %.0f changes/s%n", transfers, changes, bodyBytes, changes / replaySeconds);

            final ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            factory.setAutomaticRecoveryEnabled(false);
            final double[] bare = new double[rounds];
            final double[] feed = new double[rounds];
            try (Connection connection = factory.newConnection("paycore bench feed-amqp");
                Channel admin = connection.createChannel())
            {
                admin.exchangeDeclare(EXCHANGE, "topic", true);
                admin.queueDeclare(QUEUE, true, false, false, null);
                admin.queueBind(QUEUE, EXCHANGE, "#");
                admin.queuePurge(QUEUE);

                for (int round = 0; round < rounds; round++)
                {
                    bare[round] = bareClient(connection, changes, bodyBytes);
                    admin.queuePurge(QUEUE);
                    feed[round] = feedAmqp(data, limits, root.resolve("state-" + round), changes);
                    admin.queuePurge(QUEUE);
                    out.printf(Locale.ROOT, "round %d: bare client %.0f msg/s, feed-amqp %.0f changes/s: %.1f%%%n",
                        round + 1, bare[round], feed[round], 100 * feed[round] / bare[round]);
                }
                admin.queueDelete(QUEUE);
                admin.exchangeDelete(EXCHANGE);
            }

            final double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++)
            {
                ratios[round] = feed[round] / bare[round];
            }
            final double bareMedian = median(bare);
            final double feedMedian = median(feed);
            out.printf(Locale.ROOT, "median of %d rounds: bare client %.0f msg/s, feed-amqp %.0f changes/s: %.1f%%; " +
                "median of the rounds' ratios (each pair run back to back): %.1f%% (%d-byte bodies, window %d)%n",
                rounds, bareMedian, feedMedian, 100 * feedMedian / bareMedian, 100 * median(ratios), bodyBytes,
                maxInFlight);
            return 0;
        }
        finally
        {
            IoUtil.delete(root.toFile(), true);
        }
    }

    private double bareClient(final Connection connection, final int messages, final int bodyBytes)
        throws Exception
    {
        final byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte)'x');
        final long[] confirmedUpTo = { 0 };
        final boolean[] nacked = { false };
        final Object lock = new Object();
        try (Channel channel = connection.createChannel())
        {
            channel.confirmSelect();
            channel.addConfirmListener(
                (tag, multiple) ->
                {
                    synchronized (lock)
                    {
                        confirmedUpTo[0] = Math.max(confirmedUpTo[0], tag);
                        lock.notifyAll();
                    }
                },
                (tag, multiple) ->
                {
                    synchronized (lock)
                    {
                        nacked[0] = true;
                        lock.notifyAll();
                    }
                });

            final long startNs = System.nanoTime();
            final long timestampBase = System.currentTimeMillis() * 1_000_000L;
            for (long tag = 1; tag <= messages; tag++)
            {
                synchronized (lock)
                {
                    while (tag - confirmedUpTo[0] > maxInFlight && !nacked[0])
                    {
                        lock.wait(100);
                    }
                    if (nacked[0])
                    {
                        throw new IllegalStateException("the broker nacked a message of the bare client");
                    }
                }
                final long timestampNanos = timestampBase + tag;
                final Map<String, Object> headers = new HashMap<>(16);
                headers.put("event_type", "single_phase");
                headers.put("ledger", 840L);
                headers.put("transfer_code", 1);
                headers.put("debit_account_code", 1);
                headers.put("credit_account_code", 1);
                headers.put("timestamp_nanos", timestampNanos);
                final AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(2)
                    .messageId(Long.toString(timestampNanos))
                    .type("single_phase")
                    .appId("paycore")
                    .timestamp(new java.util.Date(timestampNanos / 1_000_000L))
                    .headers(headers)
                    .build();
                channel.basicPublish(EXCHANGE, "single_phase.840", false, properties, body);
            }
            synchronized (lock)
            {
                while (confirmedUpTo[0] < messages && !nacked[0])
                {
                    lock.wait(100);
                }
            }
            return messages / ((System.nanoTime() - startNs) / 1e9);
        }
    }

    private double feedAmqp(final DataDirectory data, final LedgerLimits limits, final Path state, final int changes)
        throws Exception
    {
        final AmqpFeedContext context = new AmqpFeedContext()
            .feedContext(feedContext(data, limits))
            .stateDirectory(state)
            .uri(uri)
            .exchange(EXCHANGE)
            .maxInFlight(maxInFlight)
            .exitAtEnd(true)
            .out(new PrintStream(OutputStream.nullOutputStream()));
        final long startNs = System.nanoTime();
        final AmqpFeedPublisher publisher = AmqpFeedPublisher.launch(context, null);
        try
        {
            while (AmqpFeedPublisher.Outcome.RUNNING == publisher.outcome())
            {
                try
                {
                    if (0 == publisher.doWork())
                    {
                        Thread.sleep(1);
                    }
                }
                catch (final AgentTerminationException ex)
                {
                    break;
                }
            }
        }
        finally
        {
            publisher.onClose();
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        if (AmqpFeedPublisher.Outcome.AT_END != publisher.outcome() ||
            publisher.confirmedCount() != changes)
        {
            throw new IllegalStateException("feed-amqp did not publish every change: " + publisher.outcome() + " " +
                publisher.failure() + ", confirmed " + publisher.confirmedCount() + " of " + changes);
        }
        return changes / seconds;
    }

    private static ChangeFeedContext feedContext(final DataDirectory data, final LedgerLimits limits)
    {
        return new ChangeFeedContext().directory(data).limits(limits).coldTierSizeBytes(0);
    }

    private static void writeJournal(final DataDirectory data, final int transfers)
    {
        final DemoWorkload workload = new DemoWorkload(1_000, transfers, 100, DemoWorkload.SEED_DEFAULT);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        long timestampNanos = System.currentTimeMillis() * 1_000_000L;
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .flushLevel(FlushLevel.NONE)))
        {
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestampNanos++, message, 0, workload.encodeAccounts(message, 0));
            }
            while (workload.hasMoreTransfers())
            {
                journal.append(RecordTypes.MESSAGE, timestampNanos++, message, 0,
                    workload.encodeTransfers(message, 0));
            }
        }
    }

    private static double median(final double[] values)
    {
        final List<Double> sorted = new ArrayList<>();
        for (final double value : values)
        {
            sorted.add(value);
        }
        sorted.sort(Double::compare);
        final int n = sorted.size();
        return 0 == n % 2 ? (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2 : sorted.get(n / 2);
    }
}
