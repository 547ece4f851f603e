package io.paycore.service.query;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.query.QueryEngine;
import io.paycore.service.cli.CredentialGateOptions;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.DurationNanosConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.ReplayColdTierOptions;
import io.paycore.service.cli.StandaloneAgent;
import io.paycore.service.cli.ThrottledLog;
import io.paycore.service.feed.StateDirectoryLock;
import io.paycore.service.serve.ServeCommand;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore query-server}: answer TigerBeetle's four history queries over the whole history of a data
 * directory, off the service ({@link QueryServer}).
 */
@Command(
    name = "query-server",
    header = "Answer history queries (account transfers and balances, query accounts and transfers) off the service.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Follow the journal of a data directory, index every change, and answer GetAccountTransfers,",
        "GetAccountBalances, QueryAccounts and QueryTransfers (PaycoreClient with ClientContext.queryChannel) with",
        "TigerBeetle's semantics over the whole history, on each client's own response channel. A query is",
        "answered once the server has applied the asking client's last write (read your writes), as of a journal",
        "sequence the answer states. Runs beside the service: it only reads the journal, so writes never wait for",
        "a query. Keeps every transfer in STATE/store (128 bytes each on disk) and per-account indexes in memory",
        "(8 bytes per transfer). Its counters ('paycore query: ...') are in its driver: paycore stat --data DIR",
        "--aeron-dir STATE/aeron. Prints 'ready: channel <c> stream <s>' when it listens; runs until a signal stops",
        "it.",
        "",
        "Serves only the clients of a credentials file (--clients, default: 'clients' in the --data directory, the",
        "file 'paycore serve' reads; read once at start): each query carries its client's id and secret (protocol",
        "version 3). A query of an unknown client, with a wrong secret, or of version 2 (no secret) is answered",
        "UNAUTHENTICATED, at most --refusal-answers-per-second a second; past that, and past",
        "--max-credential-checks (one a client), queries are dropped unanswered. Each is counted in 'paycore",
        "query: queries refused'. Nothing is opened for a query until its credential has passed, but for those",
        "rationed answers.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "143:stopped by SIGTERM (130 by SIGINT): the JVM's status for the signal",
        "2:usage or configuration error (a credentials file missing, unreadable, malformed, or writable by users " +
            "other than its owner included)",
        "3:stopped by a fatal error of its Aeron client, such as the loss of the media driver it runs on",
        "4:cannot start (no data directory or journal, the channel or the media driver refused)"
    })
public final class QueryServerCommand implements Callable<Integer>
{
    /** Exit status: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: cannot start. */
    public static final int EXIT_CANNOT_START = StandaloneAgent.EXIT_CANNOT_START;

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--state", paramLabel = "DIR", required = true,
        description = "The server's own directory: its transfer store and, unless --aeron-dir is given, its media " +
            "driver (made if missing; the store is rebuilt at each start; no default).")
    private Path state;

    @Option(names = "--channel", paramLabel = "CHANNEL", required = true,
        description = "Where clients send queries, e.g. aeron:udp?endpoint=10.0.0.5:20131 (no default).")
    private String channel;

    @Option(names = "--stream", paramLabel = "ID", defaultValue = "" + QueryServerContext.REQUEST_STREAM_ID_DEFAULT,
        description = "Stream id of the query channel (default: ${DEFAULT-VALUE}).")
    private int streamId;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + QueryServerContext.MAX_IN_FLIGHT_DEFAULT,
        description = "Most queries waiting at once (for the asker's write to be applied or its channel to " +
            "connect); more are answered BUSY; as many may wait for their credential check, more are dropped " +
            "(default: ${DEFAULT-VALUE}).")
    private int maxInFlight;

    @Option(names = "--max-scan", paramLabel = "N", defaultValue = "" + QueryEngine.MAX_SCAN_DEFAULT,
        description = "Most entries (transfers, balances or accounts) one query reads in its timestamp range; a " +
            "query that reads them all without reaching its limit is refused SCAN_LIMIT, naming the timestamp it " +
            "reached (default: ${DEFAULT-VALUE}).")
    private long maxScan;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "" + QueryServerContext.MAX_CLIENTS_DEFAULT,
        description = "Most response channels kept open; past it the least recently used one no query waits on " +
            "is closed, or, a query waiting on each, the query is answered BUSY (default: ${DEFAULT-VALUE}).")
    private int maxClients;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "5s",
        converter = DurationNanosConverter.class,
        description = "How long a query waits for the asker's last write to be applied and its channel to " +
            "connect; then NOT_CAUGHT_UP (default: ${DEFAULT-VALUE}).")
    private long waitTimeoutNanos;

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
        final QueryServerContext context;
        try
        {
            context = new QueryServerContext()
                .journal(coldTier.applyTo(new ChangeFeedContext()
                    .directory(new DataDirectory(data))
                    .limits(ledgerLimits.limits())))
                .requestChannel(channel)
                .requestStreamId(streamId)
                .maxInFlight(maxInFlight)
                .maxScan(maxScan)
                .maxClients(maxClients)
                .waitTimeoutNanos(waitTimeoutNanos)
                .maxCredentialChecks(credentialOptions.maxCredentialChecks())
                .refusalRepliesPerSecond(credentialOptions.refusalAnswersPerSecond())
                .clientsFile(null != credentialOptions.clients() ? credentialOptions.clients() :
                    data.resolve(ServeCommand.CLIENTS_FILE_NAME))
                .credentials(noData ? ClientCredentials.parse(List.of(), "none") : null)
                .log(new ThrottledLog(line -> out.println("query-server: " + line), ThrottledLog.LINES_PER_SECOND_DEFAULT,
                    SystemNanoClock.INSTANCE))
                .conclude();
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            err.println("paycore query-server: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(data)) // with --clients elsewhere too: not "no journal in" a directory not there
        {
            err.println("paycore query-server: no data directory " + data.toAbsolutePath());
            return EXIT_CANNOT_START;
        }
        if (!Files.isDirectory(new DataDirectory(data).journalDirectory()))
        {
            err.println("paycore query-server: no journal in " + data.toAbsolutePath());
            return EXIT_CANNOT_START;
        }
        try (StateDirectoryLock lock = StandaloneAgent.lockState("query-server", state, err))
        {
            if (null == lock)
            {
                return EXIT_CANNOT_START;
            }
            return StandaloneAgent.run("query-server", state, aeronDir,
                (aeron) -> new QueryServer(aeron, context, state.resolve("store")),
                (server) -> "ready: channel " + channel + " stream " + streamId + " state " + state.toAbsolutePath(),
                out, err);
        }
    }
}
