package io.paycore.service.feed;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.JournalException;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.feed.ChangeJson;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.cli.InstantNanosConverter;
import io.paycore.service.cli.LedgerLimitOptions;
import io.paycore.service.cli.ReplayColdTierOptions;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paycore feed --data DIR [--from T] [--follow]}: print the change feed of a data directory as JSON lines,
 * one object per change ({@link ChangeJson}), from a timestamp, to the journal's end or, with {@code --follow}, on
 * as the service writes. Read only: it takes no lock and writes nothing in the data directory.
 */
@Command(
    name = "feed",
    header = "Print every ledger change (created, posted, voided, expired) as JSON lines, from a timestamp.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Replay the journal of a data directory into a ledger of the feed's own and print each change it makes to",
        "the transfers, in order, as one JSON object per line: the change's unique timestamp and type",
        "(single_phase, two_phase_pending, two_phase_posted, two_phase_voided, two_phase_expired), the transfer,",
        "and both accounts with their balances after it. --from starts at a timestamp; to resume after the last",
        "change you saw, give its timestamp + 1. --follow keeps printing as the service writes (history, then",
        "live, with no gap and no duplicate) until interrupted. Read only: works beside a running service or on a",
        "copy. Give the ledger limits the service runs with.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every change up to the journal's end was printed (--follow runs until a signal stops it, then " +
            "flushes what it read and prints its summary; the status is then the signal's, 130 or 143)",
        "2:usage error",
        "3:the journal is damaged: the message names file, offset and sequence",
        "4:nothing to follow (no data directory or journal, segments archived), or an I/O error, standard " +
            "output closed by its reader (a pipe) included"
    })
public final class FeedCommand implements Callable<Integer>
{
    /** Exit status: printed to the end. */
    public static final int EXIT_OK = 0;
    /** Exit status: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: the journal is damaged. */
    public static final int EXIT_DAMAGED = 3;
    /** Exit status: nothing to follow, or an I/O error. */
    public static final int EXIT_CANNOT_FEED = 4;

    /** Journal records read per poll. */
    static final int POLL_RECORDS = 1024;
    private static final int END_RETRIES = 5;
    private static final long END_RETRY_PAUSE_NANOS = 10_000_000L;
    private static final long STOP_WAIT_SECONDS = 5;

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--from", paramLabel = "T", defaultValue = "0", converter = InstantNanosConverter.class,
        description = "Print changes stamped T or later: an ISO-8601 instant (2026-11-22T09:30:00Z) or epoch " +
            "nanoseconds (default: ${DEFAULT-VALUE}, every change).")
    private long fromTimestampNanos;

    @Option(names = "--follow",
        description = "Keep following the journal as the service writes it, until interrupted (default: stop at " +
            "the journal's end).")
    private boolean follow;

    @Mixin
    private ReplayColdTierOptions coldTier;

    @Mixin
    private LedgerLimitOptions ledgerLimits;

    private volatile boolean running = true;

    /**
     * Print the feed.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final Path data = dataDirectory.data();
        final PrintStream err = System.err;
        final ChangeFeedContext context;
        try
        {
            context = coldTier.applyTo(new ChangeFeedContext()
                .directory(new DataDirectory(data))
                .limits(ledgerLimits.limits())
                .fromTimestampNanos(fromTimestampNanos))
                .conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore feed: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (!Files.isDirectory(data))
        {
            err.println("paycore feed: no data directory " + data.toAbsolutePath());
            return EXIT_CANNOT_FEED;
        }

        final Stdout stdout = new Stdout(System.out);
        final PrintStream out = new PrintStream(new BufferedOutputStream(stdout, 1 << 16), false,
            StandardCharsets.UTF_8);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread stopper = new Thread(() -> stopAndWait(stopped), "paycore-feed-stop");
        if (follow)
        {
            Runtime.getRuntime().addShutdownHook(stopper);
        }
        try (ChangeFeed feed = ChangeFeed.open(context))
        {
            final JsonLines lines = new JsonLines(out);
            final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 50_000_000L);
            int endRetries = 0;
            while (running)
            {
                final int read = feed.poll(lines, POLL_RECORDS);
                if (stdout.closed)
                {
                    break;
                }
                if (read > 0)
                {
                    endRetries = 0;
                    continue;
                }
                out.flush();
                if (stdout.closed)
                {
                    break; // the reader went away (a closed pipe): nothing more to print to
                }
                if (follow)
                {
                    idle.idle();
                    continue;
                }
                final JournalException problem = feed.checkEnd();
                if (null == problem)
                {
                    break;
                }
                if (++endRetries > END_RETRIES)
                {
                    throw problem;
                }
                LockSupport.parkNanos(END_RETRY_PAUSE_NANOS); // a live writer may be publishing that record
            }
            out.flush();
            if (stdout.closed)
            {
                err.println("paycore feed: standard output closed by its reader; stopped after " +
                    feed.changesDelivered() + " changes, journal read to sequence " + (feed.nextSequence() - 1));
                return EXIT_CANNOT_FEED;
            }
            err.println("paycore feed: " + feed.changesDelivered() + " changes printed, journal read to sequence " +
                (feed.nextSequence() - 1) + (feed.changesDelivered() > 0 ?
                ", last timestamp " + feed.lastTimestampNanos() : ""));
            return EXIT_OK;
        }
        catch (final JournalException ex)
        {
            out.flush();
            err.println("paycore feed: the journal is damaged: " + ex.getMessage());
            return EXIT_DAMAGED;
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            out.flush();
            err.println("paycore feed: " + ex.getMessage());
            return EXIT_CANNOT_FEED;
        }
        finally
        {
            stopped.countDown();
            if (follow)
            {
                try
                {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                }
                catch (final IllegalStateException ignore)
                {
                    // shutting down: the hook is running or has run
                }
            }
        }
    }

    /**
     * On SIGINT or SIGTERM with --follow: stop the loop and let it flush and report before the JVM exits.
     */
    private void stopAndWait(final CountDownLatch stopped)
    {
        running = false;
        try
        {
            stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * System.out, whose write errors (EPIPE when the reader of a pipe went away) PrintStream swallows into an error
     * flag: seen here after each write and made an IOException again, and remembered in {@link #closed}.
     */
    private static final class Stdout extends OutputStream
    {
        private final PrintStream target;
        private boolean closed;

        Stdout(final PrintStream target)
        {
            this.target = target;
        }

        public void write(final int b) throws IOException
        {
            write(new byte[] { (byte)b }, 0, 1);
        }

        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            if (!closed)
            {
                target.write(bytes, offset, length);
            }
            check();
        }

        public void flush() throws IOException
        {
            if (!closed)
            {
                target.flush();
            }
            check();
        }

        private void check() throws IOException
        {
            if (closed || target.checkError())
            {
                closed = true;
                throw new IOException("standard output closed");
            }
        }
    }

    private static final class JsonLines implements LedgerChangeListener
    {
        private final PrintStream out;
        private final StringBuilder line = new StringBuilder(1024);

        JsonLines(final PrintStream out)
        {
            this.out = out;
        }

        public void onChange(final LedgerChange change)
        {
            line.setLength(0);
            ChangeJson.append(change, line).append('\n');
            out.append(line);
        }
    }
}
