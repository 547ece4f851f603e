package io.paycore.service.query;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.DurationNanosConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.LongByteSizeConverter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
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
        "it. Clients are not authenticated: listen on an interface only they reach.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:stopped (by a signal: the status is then the signal's)",
        "2:usage error",
        "4:cannot start (no journal, the channel or the media driver refused)"
    })
public final class QueryServerCommand implements Callable<Integer>
{
    /** Exit status: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: cannot start. */
    public static final int EXIT_CANNOT_START = 4;
    private static final long STOP_WAIT_SECONDS = 10;

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
            "connect); more are answered BUSY (default: ${DEFAULT-VALUE}).")
    private int maxInFlight;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "" + QueryServerContext.MAX_CLIENTS_DEFAULT,
        description = "Most response channels kept open; the least recently used is closed past it (default: " +
            "${DEFAULT-VALUE}).")
    private int maxClients;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "5s",
        converter = DurationNanosConverter.class,
        description = "How long a query waits for the asker's last write to be applied and its channel to " +
            "connect; then NOT_CAUGHT_UP (default: ${DEFAULT-VALUE}).")
    private long waitTimeoutNanos;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the running media driver of this directory (default: an embedded one in STATE/aeron).")
    private Path aeronDir;

    @Option(names = "--cold-tier-size", paramLabel = "BYTES", defaultValue = "256g",
        converter = LongByteSizeConverter.class,
        description = "The replay keeps --hot-transfers transfers in memory and the rest in a temporary cold tier " +
            "of at most this many bytes, as serve does; 0 keeps every transfer in memory (default: " +
            "${DEFAULT-VALUE}).")
    private long coldTierSizeBytes;

    @Option(names = "--cold-tier-dir", paramLabel = "DIR",
        description = "Where the temporary cold tier is made (default: the system's temporary directory).")
    private Path coldTierParent;

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
        final QueryServerContext context;
        try
        {
            context = new QueryServerContext()
                .journal(new ChangeFeedContext()
                    .directory(new DataDirectory(data))
                    .limits(ledgerLimits.limits())
                    .coldTierSizeBytes(coldTierSizeBytes)
                    .coldTierParent(coldTierParent))
                .requestChannel(channel)
                .requestStreamId(streamId)
                .maxInFlight(maxInFlight)
                .maxClients(maxClients)
                .waitTimeoutNanos(waitTimeoutNanos)
                .log(line -> out.println("query-server: " + line))
                .conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore query-server: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(new DataDirectory(data).journalDirectory()))
        {
            err.println("paycore query-server: no journal in " + data.toAbsolutePath());
            return EXIT_CANNOT_START;
        }

        MediaDriver driver = null;
        Aeron aeron = null;
        AgentRunner runner = null;
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread stopper = new Thread(() -> stopAndWait(stop, closed), "paycore-query-server-stop");
        try
        {
            Files.createDirectories(state);
            if (null == aeronDir)
            {
                driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(state.resolve("aeron").toAbsolutePath().toString())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(false));
            }
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(null != driver ?
                driver.aeronDirectoryName() : aeronDir.toAbsolutePath().toString()));
            final QueryServer server = new QueryServer(aeron, context, state.resolve("store"));
            runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000),
                ex -> err.println("paycore query-server: " + ex), null, server);
            AgentRunner.startOnThread(runner);
            Runtime.getRuntime().addShutdownHook(stopper);
            out.println("ready: channel " + channel + " stream " + streamId + " state " + state.toAbsolutePath());
            out.flush();
            stop.await();
            return 0;
        }
        catch (final java.io.IOException ex)
        {
            err.println("paycore query-server: cannot make " + state + ": " + ex);
            return EXIT_CANNOT_START;
        }
        catch (final AeronException | IllegalStateException | IllegalArgumentException | UncheckedIOException ex)
        {
            err.println("paycore query-server: cannot start: " + ex.getMessage());
            return EXIT_CANNOT_START;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
        finally
        {
            CloseHelper.quietCloseAll(runner, aeron, driver);
            closed.countDown();
        }
    }

    private static void stopAndWait(final CountDownLatch stop, final CountDownLatch closed)
    {
        stop.countDown();
        try
        {
            closed.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
