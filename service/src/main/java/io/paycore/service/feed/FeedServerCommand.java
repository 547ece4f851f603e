package io.paycore.service.feed;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.cli.CredentialGateOptions;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.DurationNanosConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.ReplayColdTierOptions;
import io.paycore.service.cli.StandaloneAgent;
import io.paycore.service.cli.ThrottledLog;
import io.paycore.service.serve.ServeCommand;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore feed-server}: serve the change feed of a data directory over Aeron to any number of subscribers
 * (up to a limit), each from the timestamp it asks for ({@link FeedServer}), if it is a client of the credentials
 * file ({@code --clients}, default {@code DATA/clients}, the file {@code serve} reads).
 */
@Command(
    name = "feed-server",
    header = "Serve the change feed over Aeron: each subscriber from its own timestamp, history then live.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Listen on a request channel for SubscribeFeed messages (the Java API: FeedSubscriber) and send each",
        "subscriber every change to the ledger's transfers from the timestamp it asked for, on a channel of its own:",
        "the history from the journal, then live as the service writes, with no gap and no duplicate. Each",
        "subscriber has its own replay of the journal (a ledger of the service's limits: its memory), so at most",
        "--max-subscribers are served at once; more are answered FULL. Runs beside the service, reading its",
        "journal: it takes no lock and writes nothing in the data directory, and a slow subscriber slows nobody",
        "else. Counters (changes sent, last timestamp sent, lag, errors, subscribers) are in STATE/counters.dat:",
        "paycore stat --feed-state STATE. Prints 'ready: channel <c> stream <s>' when it listens; runs until a",
        "signal stops it.",
        "",
        "Only the clients of a credentials file are served: --clients, by default DATA/clients, the file serve",
        "reads (made with 'paycore clients add'), read once at start. Each SubscribeFeed carries a client id and",
        "secret (protocol version 3). A request of an unknown client, with a wrong secret, or of version 2 is",
        "answered UNAUTHENTICATED, at most --refusal-answers-per-second such answers a second; the rest are",
        "dropped unanswered and counted as errors.",
        "A secret's first check takes tens of milliseconds on a thread of its own: at most --max-credential-checks",
        "wait at once, one a client, and a request past them is dropped unanswered and counted. Nothing (no stream,",
        "no replay, no place) is opened for a request before its credential passed.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "143:stopped by SIGTERM (130 by SIGINT), after closing every subscriber's stream: the JVM's status for " +
            "the signal",
        "2:usage or configuration error, a credentials file that is missing, unreadable, malformed or writable " +
            "by users other than its owner included",
        "3:stopped by a fatal error of its Aeron client, such as the loss of the media driver it runs on",
        "4:cannot start (no data directory or journal, the channel or the media driver refused)"
    })
public final class FeedServerCommand implements Callable<Integer>
{
    /** Exit status: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: cannot start. */
    public static final int EXIT_CANNOT_START = StandaloneAgent.EXIT_CANNOT_START;

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--state", paramLabel = "DIR", required = true,
        description = "The server's own directory: its counters file and, unless --aeron-dir is given, its media " +
            "driver (made if missing; no default).")
    private Path state;

    @Option(names = "--channel", paramLabel = "CHANNEL", required = true,
        description = "Where subscribers send requests, e.g. aeron:udp?endpoint=10.0.0.5:20121 (no default).")
    private String channel;

    @Option(names = "--stream", paramLabel = "ID", defaultValue = "" + FeedServerContext.REQUEST_STREAM_ID_DEFAULT,
        description = "Stream id of the request channel (default: ${DEFAULT-VALUE}).")
    private int streamId;

    @Option(names = "--max-subscribers", paramLabel = "N",
        defaultValue = "" + FeedServerContext.MAX_SUBSCRIBERS_DEFAULT,
        description = "Most subscribers served at once; each holds a replay ledger of the service's limits " +
            "(default: ${DEFAULT-VALUE}).")
    private int maxSubscribers;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
        converter = DurationNanosConverter.class,
        description = "How long a subscriber's channel has to connect before it is dropped (default: " +
            "${DEFAULT-VALUE}).")
    private long connectTimeoutNanos;

    @Option(names = "--stall-timeout", paramLabel = "DURATION", defaultValue = "10s",
        converter = DurationNanosConverter.class,
        description = "How long a connected subscriber may take no change (it stopped reading) before it is " +
            "dropped and its place freed (default: ${DEFAULT-VALUE}).")
    private long stallTimeoutNanos;

    @Mixin
    private CredentialGateOptions credentialOptions;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the running media driver of this directory (default: an embedded one in STATE/aeron).")
    private Path aeronDir;

    @Mixin
    private ReplayColdTierOptions coldTier;

    @Mixin
    private LedgerLimitOptions ledgerLimits;

    /**
     * Serve until stopped.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final Path data = dataDirectory.data();
        // Without its data directory, the default credentials file in it is not what to report: the limits are
        // checked (usage errors), then the directory named missing.
        final boolean noData = null == credentialOptions.clients() && !Files.isDirectory(data);
        final FeedServerContext context;
        try
        {
            context = new FeedServerContext()
                .journal(coldTier.applyTo(new ChangeFeedContext()
                    .directory(new DataDirectory(data))
                    .limits(ledgerLimits.limits())))
                .requestChannel(channel)
                .requestStreamId(streamId)
                .maxSubscribers(maxSubscribers)
                .connectTimeoutNanos(connectTimeoutNanos)
                .stallTimeoutNanos(stallTimeoutNanos)
                .maxCredentialChecks(credentialOptions.maxCredentialChecks())
                .refusalRepliesPerSecond(credentialOptions.refusalAnswersPerSecond())
                .clientsFile(null != credentialOptions.clients() ? credentialOptions.clients() :
                    data.resolve(ServeCommand.CLIENTS_FILE_NAME))
                .credentials(noData ? ClientCredentials.parse(List.of(), "none") : null)
                .log(new ThrottledLog(line -> out.println("feed-server: " + line), ThrottledLog.LINES_PER_SECOND_DEFAULT,
                    SystemNanoClock.INSTANCE))
                .conclude();
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            // A credentials file missing, unreadable, malformed or writable by others included, as serve.
            err.println("paycore feed-server: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(data)) // with --clients elsewhere too: not "no journal in" a directory not there
        {
            err.println("paycore feed-server: no data directory " + data.toAbsolutePath());
            return EXIT_CANNOT_START;
        }
        if (!Files.isDirectory(new DataDirectory(data).journalDirectory()))
        {
            err.println("paycore feed-server: no journal in " + data.toAbsolutePath());
            return EXIT_CANNOT_START;
        }

        try (StateDirectoryLock lock = StandaloneAgent.lockState("feed-server", state, err))
        {
            if (null == lock)
            {
                return EXIT_CANNOT_START;
            }
            final FeedCounters counters;
            try
            {
                counters = new FeedCounters(state, "aeron");
            }
            catch (final UncheckedIOException | IllegalStateException ex)
            {
                err.println("paycore feed-server: cannot start: " + ex.getMessage());
                return EXIT_CANNOT_START;
            }
            try
            {
                context.counters(counters);
                return StandaloneAgent.run("feed-server", state, aeronDir, (aeron) -> new FeedServer(aeron, context),
                    (server) -> "ready: channel " + server.requestChannel() + " stream " + streamId + " state " +
                    state.toAbsolutePath(), out, err);
            }
            finally
            {
                counters.close();
            }
        }
    }
}
