package io.paycore.service.follow;

import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.DataDirectoryLock;
import io.paycore.replay.replication.Epochs;
import io.paycore.service.cli.DataDirectoryOption;
import io.paycore.service.serve.PaycoreService;
import org.agrona.SystemUtil;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore promote --data DIR}: make a standby the primary. If a standby ({@code paycore follow}) is running
 * on DIR, it is asked to promote itself (the file {@code DIR/promote}) and this waits until it has: it journals an
 * epoch record with the next epoch and serves clients' writes from the next sequence. If nothing runs on DIR, the
 * epoch record is appended to its journal here; start it with {@code paycore serve --data DIR}.
 * <p>
 * The epoch fences the old primary: a standby of the newer epoch refuses its records and tells it so, and a fenced
 * primary takes no more input.
 */
@Command(
    name = "promote",
    header = "Turn a standby into the primary, fencing the old one with a new epoch.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Make the standby on DIR the primary: a running 'paycore follow' promotes itself and serves writes from",
        "the next sequence; a stopped one gets the epoch record now (then start it with 'paycore serve').",
        "Stop or fence the old primary first: it is refused by any standby of the new epoch.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:promoted",
        "1:a running node on DIR did not promote itself within --timeout (is it a primary?)",
        "2:usage error, or DIR holds no journal",
        "3:the journal is damaged"
    })
public final class PromoteCommand implements Callable<Integer>
{
    /** Exit status: promoted. */
    public static final int EXIT_OK = 0;
    /** Exit status: the running node did not promote itself in time. */
    public static final int EXIT_NOT_PROMOTED = 1;
    /** Exit status: usage error or no journal. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: the journal is damaged. */
    public static final int EXIT_DAMAGED_JOURNAL = 3;

    @Mixin
    private DataDirectoryOption dataDirectory;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
        description = "How long to wait for a running standby to promote itself (default: ${DEFAULT-VALUE}).")
    private String timeout;

    /**
     * Promote.
     *
     * @return the exit status.
     * @throws Exception if interrupted or the request file cannot be written.
     */
    public Integer call() throws Exception
    {
        final Path data = dataDirectory.data();
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final DataDirectory directory = new DataDirectory(data);
        if (!Files.isDirectory(directory.journalDirectory()))
        {
            err.println("paycore promote: no journal in " + directory.journalDirectory());
            return EXIT_USAGE;
        }
        final long timeoutNanos = SystemUtil.parseDuration("--timeout", timeout);

        DataDirectoryLock lock = null;
        try
        {
            lock = DataDirectoryLock.acquire(directory);
        }
        catch (final IllegalStateException inUse)
        {
            return promoteRunning(directory, timeoutNanos, out, err);
        }

        try
        {
            return promoteStopped(directory, out, err);
        }
        finally
        {
            lock.close();
        }
    }

    private static int promoteRunning(
        final DataDirectory directory, final long timeoutNanos, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Path request = directory.root().resolve(PaycoreService.PROMOTE_REQUEST_FILE_NAME);
        Files.writeString(request, "promote requested at " + java.time.Instant.now() + System.lineSeparator());
        final long deadlineNanos = System.nanoTime() + timeoutNanos;
        while (Files.exists(request))
        {
            if (System.nanoTime() - deadlineNanos > 0)
            {
                Files.deleteIfExists(request);
                err.println("paycore promote: the node running on " + directory + " did not promote itself within " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: is it a primary ('serve') rather than a " +
                    "standby ('follow')?");
                return EXIT_NOT_PROMOTED;
            }
            Thread.sleep(20);
        }
        out.println("paycore promote: the standby running on " + directory + " is the primary now (see its output " +
            "for the epoch and sequence)");
        return EXIT_OK;
    }

    private static int promoteStopped(final DataDirectory directory, final PrintStream out, final PrintStream err)
    {
        final JournalContext journalContext = new JournalContext()
            .directory(directory.journalDirectory())
            .flushLevel(FlushLevel.EVERY)
            .maxRecordLength(JournalContext.MAX_RECORD_LENGTH_LIMIT);
        try (Journal journal = Journal.open(journalContext))
        {
            final long last = journal.lastSequence();
            final long epoch = Epochs.currentEpoch(directory.journalDirectory(), last) + 1;
            final long timestampNanos = Math.max(lastTimestampNanos(directory.journalDirectory(), last) + 1,
                TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
            final long sequence = Epochs.appendEpoch(
                journal, epoch, timestampNanos, new UnsafeBuffer(new byte[Epochs.EPOCH_PAYLOAD_LENGTH]));
            out.println("paycore promote: epoch " + epoch + " journaled at sequence " + sequence + " in " +
                directory + "; start it with 'paycore serve --data " + directory + "' to serve as the primary");
            return EXIT_OK;
        }
        catch (final JournalException ex)
        {
            err.println("paycore promote: the journal is damaged; nothing was changed: " + ex.getMessage());
            return EXIT_DAMAGED_JOURNAL;
        }
    }

    private static long lastTimestampNanos(final Path journalDirectory, final long last)
    {
        if (last < 1)
        {
            return 0;
        }
        final long[] timestamp = new long[1];
        try (JournalReader reader = JournalReader.open(journalDirectory, last))
        {
            reader.poll((type, sequence, timestampNanos, buffer, offset, length) -> timestamp[0] = timestampNanos, 1);
        }
        return timestamp[0];
    }
}
