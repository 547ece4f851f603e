package io.paycore.service.feed;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.demo.DemoWorkload;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore feed | head -1}: standard output closed by its reader. System.out swallows the EPIPE and only sets
 * its error flag, so the command must look at that flag and stop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedCommandClosedPipeTest
{
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final String[] LIMITS = { "--max-accounts", "1024", "--hot-transfers", "65536", "--max-pending",
        "1024", "--cold-tier-size", "0" };
    private static final int ACCEPTED_BYTES = 4096;

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldStopReplayingWhenTheReaderClosesTheOutput()
    {
        final Path data = journal();
        final ClosingPipe pipe = new ClosingPipe(ACCEPTED_BYTES);
        System.setOut(new PrintStream(pipe, true, StandardCharsets.UTF_8));

        final int status = feed("--data", data.toString());

        assertTrue(pipe.offeredAfterClose < 2 * 65_536,
            "kept writing into a closed pipe: " + pipe.offeredAfterClose + " bytes after it closed");
        assertEquals(FeedCommand.EXIT_CANNOT_FEED, status, console.err());
        assertTrue(console.err().startsWith("paycore feed: standard output closed"), console.err());
    }

    @Test
    void shouldEndWithFollowWhenTheReaderClosesTheOutput() throws Exception
    {
        final Path data = journal();
        System.setOut(new PrintStream(new ClosingPipe(ACCEPTED_BYTES), true, StandardCharsets.UTF_8));

        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try
        {
            final Future<Integer> status = executor.submit(() -> feed("--data", data.toString(), "--follow"));
            assertEquals(FeedCommand.EXIT_CANNOT_FEED, status.get(10, TimeUnit.SECONDS), console.err());
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    private Path journal()
    {
        final Path data = temp.resolve("data");
        final DemoWorkload workload = new DemoWorkload(10, 2_000, 8, 1);
        try (Journal journal = Journal.open(new JournalContext()
            .directory(new DataDirectory(data).journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE)))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
            long timestamp = START_NANOS;
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeAccounts(message, 0));
            }
            while (workload.hasMoreTransfers())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeTransfers(message, 0));
            }
        }
        return data;
    }

    private static int feed(final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("feed"));
        all.addAll(List.of(args));
        all.addAll(List.of(LIMITS));
        return PaycoreMain.execute(all.toArray(new String[0]));
    }

    /**
     * A pipe whose reader goes away after taking some bytes: every later write fails, as a write to a closed pipe
     * (EPIPE) does.
     */
    private static final class ClosingPipe extends OutputStream
    {
        private final int accepted;
        private long taken;
        private volatile long offeredAfterClose;

        ClosingPipe(final int accepted)
        {
            this.accepted = accepted;
        }

        public void write(final int b) throws IOException
        {
            write(new byte[] { (byte)b }, 0, 1);
        }

        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            if (taken + length > accepted)
            {
                offeredAfterClose += length;
                throw new IOException("Broken pipe");
            }
            taken += length;
        }
    }
}
