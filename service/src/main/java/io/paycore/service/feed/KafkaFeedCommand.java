package io.paycore.service.feed;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.paycore.journal.JournalException;
import io.paycore.replay.DataDirectory;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.ReplayColdTierOptions;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore feed-kafka --data DIR --state DIR --bootstrap HOST:PORT --topic NAME [options]}: publish the
 * change feed of a data directory to a Kafka topic, beside the service, until stopped. See
 * {@link KafkaFeedPublisher} for the guarantees and {@link KafkaFeedResume} for the resume rule.
 * <p>
 * Exit status: 143 (130) after SIGTERM (SIGINT), having waited for what was in flight; 1 when the broker refused a
 * change for good; 2 for a usage error; 3 when the journal is damaged or cannot be followed; 4 when another
 * publisher holds the state directory; 5 when the topic is missing or holds messages paycore did not write.
 */
@Command(
    name = "feed-kafka",
    header = "Publish every ledger change of a data directory to a Kafka topic, at least once, in order per key.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Follow the data directory's journal beside the service (read only: it never slows payments), replay it",
        "into a ledger of its own, and send every change (single_phase, two_phase_pending, two_phase_posted,",
        "two_phase_voided, two_phase_expired) with the transfer and both accounts' balances after it to the topic:",
        "one message per change, a one-line JSON body (timestamp, type, ledger, transfer, debit_account,",
        "credit_account; 128-bit values as decimal strings), keyed by --key, with the headers event_type,",
        "ledger, transfer_code, debit_account_code, credit_account_code, timestamp and watermark. The producer is",
        "idempotent with acks=all and retries without end while the broker is away.",
        "",
        "Resume: every message carries the watermark, the timestamp through which every change had been",
        "acknowledged when it was sent. A start reads the last message of every partition and resumes after the",
        "highest watermark, or after the one saved in the state directory (every second and at a clean stop) for",
        "the same topic id if later, or at --from if later still: changes are never skipped; those in flight at a",
        "crash (at most --max-in-flight) may be sent again, and consumers drop a change whose timestamp they have",
        "seen.",
        "The topic must exist and hold only this feed's messages. One publisher per state directory (a lock).",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "143:stopped by SIGTERM (130: SIGINT) after waiting up to 5 s for the broker to acknowledge what was in flight",
        "1:the broker refused a change for good (authorization, message too large, ...): fix it and restart",
        "2:usage error",
        "3:the journal is damaged, missing, archived from its start, or of an older protocol version",
        "4:another publisher holds the state directory",
        "5:the topic is missing, or its last messages were not written by paycore feed-kafka"
    })
public final class KafkaFeedCommand implements Callable<Integer>
{
    /** Exit status when the publisher stopped with nothing wrong (not by a signal: the JVM then gives 143). */
    public static final int EXIT_OK = 0;
    /** Exit status when the broker refused a change for good. */
    public static final int EXIT_REFUSED = 1;
    /** Exit status of a usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status when the journal is damaged or cannot be followed. */
    public static final int EXIT_JOURNAL = 3;
    /** Exit status when another publisher holds the state directory. */
    public static final int EXIT_STATE_IN_USE = 4;
    /** Exit status when the topic is missing or holds messages paycore did not write. */
    public static final int EXIT_TOPIC_UNUSABLE = 5;

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--state", paramLabel = "DIR", required = true,
        description = "The publisher's own directory (made if missing): its lock (" + StateDirectoryLock.FILE_NAME +
            "), saved watermark (progress) and counters (" + FeedCounters.FILE_NAME + ": published, confirmed, " +
            "watermark, lag, errors). Not the data directory.")
    private Path state;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT...]", required = true,
        description = "The Kafka cluster's bootstrap servers.")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "NAME", required = true,
        description = "The topic to publish to; it must exist (its partitions and replication are yours to choose).")
    private String topic;

    @Option(names = "--key", paramLabel = "ledger|debit-account|credit-account", defaultValue = "ledger",
        description = "What messages are keyed by, and so kept in order with (default: ${DEFAULT-VALUE}).")
    private String key;

    @Option(names = "--from", paramLabel = "T",
        description = "Publish changes from time T on (ISO-8601 instant or epoch nanoseconds) when the topic's " +
            "watermark is earlier. Default: from the first change, or after the topic's watermark.")
    private String from;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + KafkaFeedContext.MAX_IN_FLIGHT_DEFAULT,
        description = "Changes sent and not yet acknowledged, at most: bounds memory and what a restart re-sends " +
            "(default: ${DEFAULT-VALUE}).")
    private int maxInFlight;

    @Option(names = "--max-queued", paramLabel = "N", defaultValue = "" + KafkaFeedContext.MAX_QUEUED_DEFAULT,
        description = "Changes replayed and encoded, waiting to be sent, at most: the queue between the thread that " +
            "replays the journal and the one that sends; the replay waits while it is full " +
            "(default: ${DEFAULT-VALUE}).")
    private int maxQueued;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
        description = "A Kafka producer setting (linger.ms, batch.size, compression.type, security...), repeatable; " +
            "also given to the client that reads the watermark. Idempotence, acks, retries, delivery timeout, " +
            "serializers and partitioner are fixed. Default: linger.ms=5, batch.size=131072, max.block.ms=5000.")
    private List<String> producerProperties;

    @Mixin
    private ReplayColdTierOptions coldTier;

    @Mixin
    private LedgerLimitOptions ledgerLimits;

    /**
     * Publish until a signal, or until the publisher stops on its own.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final KafkaFeedContext context;
        try
        {
            context = new KafkaFeedContext()
                .dataDirectory(new DataDirectory(dataDirectory.data()))
                .limits(ledgerLimits.limits())
                .coldTierSizeBytes(coldTier.sizeBytes())
                .coldTierParent(coldTier.parent())
                .stateDirectory(state)
                .bootstrapServers(bootstrap)
                .topic(topic)
                .key(FeedKey.parse(key))
                .fromTimestampNanos(null == from ? 0 : parseTime(from))
                .maxInFlight(maxInFlight)
                .maxQueued(maxQueued)
                .out(out);
            if (null != producerProperties)
            {
                for (final String property : producerProperties)
                {
                    final int equals = property.indexOf('=');
                    if (equals < 1)
                    {
                        throw new IllegalArgumentException("--producer-property must be KEY=VALUE: " + property);
                    }
                    context.producerProperty(property.substring(0, equals), property.substring(equals + 1));
                }
            }
            context.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore feed-kafka: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(dataDirectory.data()))
        {
            err.println("paycore feed-kafka: no data directory " + dataDirectory.data().toAbsolutePath());
            return EXIT_JOURNAL;
        }

        final KafkaFeedPublisher publisher;
        try
        {
            publisher = KafkaFeedPublisher.launch(context);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore feed-kafka: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final StateDirectoryLock.LockedException ex)
        {
            err.println("paycore feed-kafka: " + ex.getMessage());
            return EXIT_STATE_IN_USE;
        }
        catch (final IllegalStateException | JournalException | UncheckedIOException ex)
        {
            err.println("paycore feed-kafka: cannot follow the journal: " + ex.getMessage());
            return EXIT_JOURNAL;
        }

        final ErrorHandler errorHandler = (throwable) -> err.println("paycore feed-kafka: error: " + throwable);
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            publisher.onStop(barrier::signal);
            final AgentRunner runner = new AgentRunner(
                new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
                errorHandler, null, publisher);
            AgentRunner.startOnThread(runner);
            try
            {
                barrier.await();
            }
            finally
            {
                // a stop waits for a resume attempt and for the producer's close, each bounded: wait for both
                final int closeWaitMs = (int)(context.resumeAttemptTimeoutMs() + context.closeTimeoutMs() + 5_000);
                runner.close(closeWaitMs, (thread) -> err.println("paycore feed-kafka: still stopping after " +
                    closeWaitMs + " ms"));
            }
        }

        switch (publisher.stop())
        {
            case REFUSED:
                err.println("paycore feed-kafka: " + publisher.stopMessage());
                return EXIT_REFUSED;
            case JOURNAL:
                err.println("paycore feed-kafka: " + publisher.stopMessage());
                return EXIT_JOURNAL;
            case TOPIC_UNUSABLE:
                err.println("paycore feed-kafka: " + publisher.stopMessage());
                return EXIT_TOPIC_UNUSABLE;
            default:
                return EXIT_OK;
        }
    }

    /**
     * Parse {@code --from}: an ISO-8601 instant or epoch nanoseconds.
     *
     * @param text the option's value.
     * @return epoch nanoseconds.
     * @throws IllegalArgumentException if it is neither.
     */
    static long parseTime(final String text)
    {
        final String trimmed = text.trim();
        try
        {
            if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit))
            {
                return Long.parseLong(trimmed);
            }
            final Instant instant = Instant.parse(trimmed);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final NumberFormatException | DateTimeParseException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("--from must be an ISO-8601 instant (e.g. 2026-11-22T09:30:00Z) or " +
                "epoch nanoseconds: " + text, ex);
        }
    }
}
