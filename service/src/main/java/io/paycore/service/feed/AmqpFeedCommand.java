package io.paycore.service.feed;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.DurationNanosConverter;
import io.paycore.service.cli.InstantNanosConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.ReplayColdTierOptions;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore feed-amqp --data DIR --state DIR --uri URI --exchange NAME}: publish the change feed of a data
 * directory to a RabbitMQ exchange, beside the service, at least once and in order; see {@link AmqpFeedPublisher}.
 * <p>
 * Exit status: 0 at the journal's end with {@code --exit-at-end}, every change confirmed; 143 (130) after a clean
 * stop on SIGTERM (SIGINT), as {@code serve}; 1 the broker refused the
 * publisher (credentials, permissions, virtual host, exchange type); 2 usage error; 3 the journal is damaged; 4 no
 * journal to follow, or an I/O error (state or data directory); 5 another publisher holds the state directory.
 */
@Command(
    name = "feed-amqp",
    header = "Publish the change feed to a RabbitMQ (AMQP 0.9.1) exchange, at least once, in order.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Replay the journal of a data directory with the service's ledger limits and publish every ledger change",
        "(single_phase, two_phase_pending, two_phase_posted, two_phase_voided, two_phase_expired) to a durable",
        "exchange as a persistent JSON message with publisher confirms, then follow the journal live. Runs beside",
        "the service, reading its journal; it takes no lock on the data directory and never slows payments.",
        "",
        "Routing key '<event type>.<ledger>'; headers event_type, ledger, transfer_code, debit_account_code,",
        "credit_account_code, timestamp_nanos; message id: the change's timestamp, unique and strictly increasing,",
        "by which consumers dedupe. The state directory holds the lock (one publisher at a time), the progress",
        "(the last confirmed timestamp: a restart resumes after it) and the counters. Broker down: the error is",
        "printed and counted, the publisher reconnects with backoff and publishes the unconfirmed changes again.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:at the journal's end with --exit-at-end, every change confirmed",
        "143:stopped by SIGTERM (130: SIGINT) after a clean stop: drained for up to 3 s, progress written",
        "1:the broker refused the publisher: credentials, permissions, virtual host, or exchange type",
        "2:usage error",
        "3:the journal is damaged at the feed's position (the message names file, offset and sequence)",
        "4:no journal to follow, or an I/O error on the state or data directory",
        "5:another publisher holds the state directory"
    })
public final class AmqpFeedCommand implements Callable<Integer>
{
    /** Exit status: at the journal's end with {@code --exit-at-end}, every change confirmed. */
    public static final int EXIT_OK = 0;
    /** Exit status of the JVM after a clean stop on SIGTERM (128 + 15), as {@code serve}'s. */
    public static final int EXIT_SIGTERM = 143;
    /** Exit status: the broker refused the publisher. */
    public static final int EXIT_REFUSED = 1;
    /** Exit status: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: the journal is damaged. */
    public static final int EXIT_DAMAGED = 3;
    /** Exit status: nothing to follow, or an I/O error. */
    public static final int EXIT_CANNOT_PUBLISH = 4;
    /** Exit status: another publisher holds the state directory. */
    public static final int EXIT_LOCKED = 5;

    /** The environment variable read when {@code --uri} is not given, to keep a password off the command line. */
    public static final String URI_ENV_NAME = "PAYCORE_AMQP_URI";

    private static final String NAME = "paycore feed-amqp";

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--state", paramLabel = "DIR", required = true,
        description = "The publisher's own directory, made if missing: lock, progress (last confirmed timestamp) " +
            "and counters.dat. One publisher at a time; keep it across restarts (no default).")
    private Path stateDirectory;

    @Option(names = "--uri", paramLabel = "URI",
        description = "The broker: amqp://user:password@host:port/vhost, or amqps:// (default: the environment " +
            "variable " + URI_ENV_NAME + ", which keeps the password out of the process list).")
    private String uri;

    @Option(names = "--exchange", paramLabel = "NAME", required = true,
        description = "The exchange to declare (durable) and publish to (no default).")
    private String exchange;

    @Option(names = "--exchange-type", paramLabel = "TYPE", defaultValue = "topic",
        description = "topic, direct, fanout or headers; an existing exchange must have this type " +
            "(default: ${DEFAULT-VALUE}).")
    private String exchangeType;

    @Option(names = "--from", paramLabel = "T",
        description = "Publish changes from time T: an ISO-8601 instant (2026-11-22T09:30:00Z) or epoch " +
            "nanoseconds. With progress in the state directory, the publisher resumes after the last confirmed " +
            "change, or at T if that is later (default: the first change).")
    private String from;

    // No picocli default for these two: the context's, which a system property may set, holds unless one is given.
    @Option(names = "--max-in-flight", paramLabel = "N",
        description = "Changes published and not yet confirmed, at most, 1.." + AmqpFeedContext.MAX_IN_FLIGHT_MAX +
            "; when reached, the publisher stops reading the journal until confirms come (default: " +
            AmqpFeedContext.MAX_IN_FLIGHT_DEFAULT + ", or -D" + AmqpFeedContext.MAX_IN_FLIGHT_PROP_NAME + ").")
    private Integer maxInFlight;

    @Option(names = "--reconnect-backoff-max", paramLabel = "DURATION", converter = DurationNanosConverter.class,
        description = "The longest wait between two attempts to reach the broker; waits start at " +
            AmqpFeedContext.RECONNECT_BACKOFF_MIN_MS + "ms and double. Suffix s, ms, us or ns (default: " +
            AmqpFeedContext.RECONNECT_BACKOFF_MAX_MS_DEFAULT + "ms, or -D" +
            AmqpFeedContext.RECONNECT_BACKOFF_MAX_PROP_NAME + " in ms).")
    private Long reconnectBackoffMaxNanos;

    @Option(names = "--exit-at-end",
        description = "Stop (exit 0) once every change written so far is published and confirmed, instead of " +
            "following the journal. Default: follow.")
    private boolean exitAtEnd;

    @Mixin
    private ReplayColdTierOptions coldTier;

    @Mixin
    private LedgerLimitOptions ledgerLimits;

    /**
     * Run the publisher until it is stopped or stops by itself.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final Path data = dataDirectory.data();
        final AmqpFeedContext context;
        try
        {
            final AmqpFeedContext given = new AmqpFeedContext();
            if (null != maxInFlight)
            {
                given.maxInFlight(maxInFlight);
            }
            if (null != reconnectBackoffMaxNanos)
            {
                given.reconnectBackoffMaxMs(reconnectBackoffMaxNanos / 1_000_000L);
            }
            context = given
                .feedContext(new ChangeFeedContext()
                    .directory(new DataDirectory(data))
                    .limits(ledgerLimits.limits())
                    .coldTierSizeBytes(coldTier.sizeBytes())
                    .coldTierParent(coldTier.parent()))
                .stateDirectory(stateDirectory)
                .uri(null != uri ? uri : System.getenv(URI_ENV_NAME))
                .exchange(exchange)
                .exchangeType(exchangeType)
                .fromTimestampNanos(null != from ? parseTime(from) : 0)
                .exitAtEnd(exitAtEnd)
                .out(out)
                .err(err)
                .conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println(NAME + ": " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(data))
        {
            err.println(NAME + ": no data directory " + data.toAbsolutePath());
            return EXIT_CANNOT_PUBLISH;
        }

        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            final AmqpFeedPublisher publisher;
            try
            {
                publisher = AmqpFeedPublisher.launch(context, barrier::signal);
            }
            catch (final FeedStateLockedException ex)
            {
                err.println(NAME + ": refusing to start: " + ex.getMessage());
                return EXIT_LOCKED;
            }
            catch (final IllegalArgumentException ex)
            {
                err.println(NAME + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            catch (final IllegalStateException | UncheckedIOException ex)
            {
                err.println(NAME + ": cannot start: " + ex.getMessage());
                return EXIT_CANNOT_PUBLISH;
            }

            out.println(NAME + ": publishing the changes of " + data.toAbsolutePath() + " from timestamp " +
                publisher.startTimestampNanos() + " to exchange '" + exchange + "' at " + context.redactedUri() +
                ", at most " + context.maxInFlight() + " unconfirmed; state " + stateDirectory.toAbsolutePath());
            final AgentRunner runner = new AgentRunner(
                new SleepingMillisIdleStrategy(1),
                (ex) ->
                {
                    if (!(ex instanceof AgentTerminationException))
                    {
                        publisher.counters().errors().increment();
                        err.println(NAME + ": " + ex);
                    }
                },
                null,
                publisher);
            try
            {
                AgentRunner.startOnThread(runner);
                barrier.await();
            }
            finally
            {
                stop(publisher, runner, context, err);
            }
            return exitStatus(publisher);
        }
    }

    /**
     * Stop the publisher and its runner, waiting for its whole drain: {@link AgentRunner#close()} would interrupt the
     * agent after {@link AgentRunner#RETRY_CLOSE_TIMEOUT_MS}, cutting short a longer drain.
     *
     * @param publisher the running publisher.
     * @param runner    its runner.
     * @param context   its context: the drain and connect timeouts bound the wait.
     * @param err       where a stop that takes longer than that is reported.
     */
    static void stop(
        final AmqpFeedPublisher publisher,
        final AgentRunner runner,
        final AmqpFeedContext context,
        final PrintStream err)
    {
        publisher.requestStop();
        // a stop may wait for a connect attempt (TCP connect and handshake), then for the drain and the close of the
        // connection, each bounded: wait for all of them
        final int closeWaitMs = (int)Math.min(Integer.MAX_VALUE,
            context.drainTimeoutMs() + 3L * context.connectTimeoutMs() + AgentRunner.RETRY_CLOSE_TIMEOUT_MS);
        runner.close(closeWaitMs, (thread) -> err.println(NAME + ": still stopping after " + closeWaitMs + " ms"));
        publisher.close();
    }

    private static int exitStatus(final AmqpFeedPublisher publisher)
    {
        switch (publisher.outcome())
        {
            case RUNNING:
            case STOPPED:
            case AT_END:
                return EXIT_OK;
            case REFUSED:
                return EXIT_REFUSED;
            case DAMAGED:
                return EXIT_DAMAGED;
            default:
                return EXIT_CANNOT_PUBLISH;
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
        try
        {
            return InstantNanosConverter.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--from must be an ISO-8601 instant (e.g. 2026-11-22T09:30:00Z) " +
                "or epoch nanoseconds: " + ex.getMessage(), ex);
        }
    }
}
