package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.paycore.service.PaycoreMain;
import io.paycore.service.inspect.StatCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedCountersTest
{
    @TempDir
    Path state;

    @Test
    void shouldBeReadableByStatWhileOpenAndAfterClose()
    {
        try (FeedCounters counters = new FeedCounters(state, "amqp"))
        {
            counters.published().increment();
            counters.published().increment();
            counters.confirmed().increment();
            counters.lastConfirmedTimestamp().set(1_700_000_000_123_456_789L);
            counters.onPoll(100, 1_000_000_000L, 3_500_000_000L);
            assertEquals(2_500_000_000L, counters.lagNanos().get(), "behind: now minus the last record read");
            counters.onPoll(0, 1_000_000_000L, 9_000_000_000L);
            assertEquals(0, counters.lagNanos().get(), "caught up: no lag, however old the last record");
            counters.onPoll(1, 2_000_000_000L, 2_250_000_000L);

            final String printed = stat("--feed-state", state.toString());
            assertTrue(printed.contains("change feed publisher " + state.resolve(FeedCounters.FILE_NAME)), printed);
            assertTrue(printed.matches("(?s).*\\b2 - paycore feed amqp: changes published.*"), printed);
            assertTrue(printed.matches("(?s).*\\b1 - paycore feed amqp: changes confirmed.*"), printed);
            assertTrue(printed.contains("1,700,000,000,123,456,789 - paycore feed amqp: last confirmed change " +
                "timestamp (ns)"), printed);
            assertTrue(printed.contains("250,000,000 - paycore feed amqp: lag behind the journal (ns)"), printed);
        }
        assertTrue(stat("--feed-state", state.toString(), "--filter", "errors")
            .matches("(?s).*\\b0 - paycore feed amqp: publish errors\\s*"), "after close, filtered");
    }

    @Test
    void shouldNeverShowAReaderAFileStillBeingMade() throws Exception
    {
        final AtomicBoolean making = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger wholeReads = new AtomicInteger();
        final Thread reader = new Thread(() ->
        {
            while (making.get() && null == failure.get())
            {
                if (Files.exists(state.resolve(FeedCounters.FILE_NAME)))
                {
                    try
                    {
                        final int[] labels = { 0 };
                        FeedCounters.read(state.resolve(FeedCounters.FILE_NAME),
                            (counters) -> counters.forEach((value, id, label) -> labels[0]++));
                        if (labels[0] != 5)
                        {
                            failure.set(new AssertionError(labels[0] + " counters in the file, not 5"));
                        }
                        wholeReads.incrementAndGet();
                    }
                    catch (final RuntimeException ex)
                    {
                        // Deleted between the check and the read is fine; anything else is not.
                        if (!ex.getMessage().startsWith("no feed counters file"))
                        {
                            failure.set(ex);
                        }
                    }
                }
                Thread.yield();
            }
        });
        reader.start();
        try
        {
            for (int i = 0; i < 300 && null == failure.get(); i++)
            {
                new FeedCounters(state, "amqp").close();
            }
        }
        finally
        {
            making.set(false);
            reader.join();
        }
        if (null != failure.get())
        {
            throw new AssertionError("after " + wholeReads.get() + " whole reads", failure.get());
        }
        assertTrue(Files.notExists(state.resolve(FeedCounters.FILE_NAME + FeedCounters.TEMP_SUFFIX)));
    }

    @Test
    void shouldSayWhatIsMissing()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(StatCommand.EXIT_FAILED, PaycoreMain.execute("stat", "--feed-state", state.toString()));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("no feed counters file"), err.toString());
            assertEquals(StatCommand.EXIT_USAGE, PaycoreMain.execute("stat"));
        }
        finally
        {
            System.setErr(savedErr);
        }
    }

    private static String stat(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream savedOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            final String[] all = new String[args.length + 1];
            all[0] = "stat";
            System.arraycopy(args, 0, all, 1, args.length);
            assertEquals(StatCommand.EXIT_OK, PaycoreMain.execute(all));
        }
        finally
        {
            System.setOut(savedOut);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
