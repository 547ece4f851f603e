package io.paycore.service.feed;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedStateTest
{
    @TempDir
    Path temp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureErr()
    {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr()
    {
        System.setErr(savedErr);
    }

    @Test
    void shouldKeepProgressAcrossOpensAndNeverGoBack()
    {
        final Path directory = temp.resolve("state");
        try (FeedState state = FeedState.open(directory))
        {
            assertEquals(0, state.readProgress(), "no progress yet");
            assertTrue(state.writeProgress(1_700_000_000_000_000_123L));
            assertFalse(state.writeProgress(1_700_000_000_000_000_123L), "unchanged: not rewritten");
            assertThrows(IllegalStateException.class, () -> state.writeProgress(5));
        }
        try (FeedState state = FeedState.open(directory))
        {
            assertEquals(1_700_000_000_000_000_123L, state.readProgress());
        }
        assertFalse(Files.exists(directory.resolve(FeedState.PROGRESS_TEMP_FILE_NAME)), "renamed, not left");
    }

    @Test
    void shouldWriteProgressOnAnInterruptedThreadAndKeepTheInterrupt()
    {
        // A stopping publisher's thread may be interrupted (AgentRunner.close() interrupts an agent that takes more
        // than 5 s to close): the progress of what the broker confirmed must still be written.
        final Path directory = temp.resolve("state");
        try (FeedState state = FeedState.open(directory))
        {
            Thread.currentThread().interrupt();
            try
            {
                assertTrue(state.writeProgress(1_700_000_000_000_000_456L));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            }
            finally
            {
                Thread.interrupted();
            }
        }
        try (FeedState state = FeedState.open(directory))
        {
            assertEquals(1_700_000_000_000_000_456L, state.readProgress());
        }
    }

    @Test
    void shouldRefuseASecondHolderAndNameTheFirst()
    {
        final Path directory = temp.resolve("state");
        try (FeedState ignore = FeedState.open(directory))
        {
            final FeedStateLockedException ex =
                assertThrows(FeedStateLockedException.class, () -> FeedState.open(directory));
            assertTrue(ex.getMessage().contains("by process " + ProcessHandle.current().pid()), ex.getMessage());
        }
        FeedState.open(directory).close();
    }

    @Test
    void shouldExitLockedBeforeTouchingTheBrokerWhenTheStateIsHeld() throws Exception
    {
        final Path directory = temp.resolve("state");
        Files.createDirectories(temp.resolve("data"));
        try (FeedState ignore = FeedState.open(directory))
        {
            final int status = PaycoreMain.execute("feed-amqp", "--data", temp.resolve("data").toString(),
                "--state", directory.toString(), "--uri", "amqp://127.0.0.1:1", "--exchange", "changes");
            assertEquals(AmqpFeedCommand.EXIT_LOCKED, status, err.toString(StandardCharsets.UTF_8));
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
            "paycore feed-amqp: refusing to start: another publisher holds the state directory"),
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitWithAClearErrorOnAProgressFileThatIsNotATimestamp() throws Exception
    {
        final Path directory = Files.createDirectories(temp.resolve("state"));
        Files.writeString(directory.resolve(FeedState.PROGRESS_FILE_NAME), "twelve\n");
        Files.createDirectories(temp.resolve("data"));

        final int status = PaycoreMain.execute("feed-amqp", "--data", temp.resolve("data").toString(),
            "--state", directory.toString(), "--uri", "amqp://127.0.0.1:1", "--exchange", "changes");

        assertEquals(AmqpFeedCommand.EXIT_CANNOT_PUBLISH, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not hold a timestamp (epoch nanoseconds): " +
            "'twelve'"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseBadOptionsAsUsageErrors()
    {
        final Path data = temp.resolve("data");
        assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute("feed-amqp", "--data", data.toString(),
            "--state", temp.resolve("s").toString(), "--uri", "http://127.0.0.1:1", "--exchange", "changes"));
        assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute("feed-amqp", "--data", data.toString(),
            "--state", temp.resolve("s").toString(), "--uri", "amqp://127.0.0.1:1", "--exchange", "changes",
            "--max-in-flight", "0"));
        assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute("feed-amqp", "--data", data.toString(),
            "--state", temp.resolve("s").toString(), "--uri", "amqp://127.0.0.1:1", "--exchange", "changes",
            "--from", "yesterday"));
        final String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("--uri must start with amqp:// or amqps://"), printed);
        assertTrue(printed.contains("--max-in-flight must be 1..65536: 0"), printed);
        assertTrue(printed.contains("--from must be an ISO-8601 instant"), printed);
        assertFalse(Files.exists(temp.resolve("s")), "nothing made on a usage error");
    }

    @Test
    void shouldTakeTheWindowFromItsPropertyUnlessTheOptionIsGiven()
    {
        // Out of range on purpose, so that the refusal shows which value reached the publisher, with no broker.
        System.setProperty(AmqpFeedContext.MAX_IN_FLIGHT_PROP_NAME, "70000");
        try
        {
            assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute("feed-amqp", "--data",
                temp.resolve("data").toString(), "--state", temp.resolve("s").toString(), "--uri",
                "amqp://127.0.0.1:1", "--exchange", "changes"));
            assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute("feed-amqp", "--data",
                temp.resolve("data").toString(), "--state", temp.resolve("s").toString(), "--uri",
                "amqp://127.0.0.1:1", "--exchange", "changes", "--max-in-flight", "0"));
        }
        finally
        {
            System.clearProperty(AmqpFeedContext.MAX_IN_FLIGHT_PROP_NAME);
        }
        final String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("--max-in-flight must be 1..65536: 70000"), printed);
        assertTrue(printed.contains("--max-in-flight must be 1..65536: 0"), printed);
    }

    @Test
    void shouldNeverPrintTheBrokersPassword()
    {
        for (final String password : new String[]{ "sec ret", "p%zzSECRET", "SEC/RET", "s@cret" })
        {
            final String uri = "amqp://paycore:" + password + "@127.0.0.1:1/";
            assertEquals("amqp://paycore:***@127.0.0.1:1/", new AmqpFeedContext().uri(uri).redactedUri(), password);
        }
        assertEquals("amqp://127.0.0.1:1/", new AmqpFeedContext().uri("amqp://127.0.0.1:1/").redactedUri());

        // Not parsed as a URI at all: the refusal says where, not what.
        assertEquals(AmqpFeedCommand.EXIT_USAGE, PaycoreMain.execute("feed-amqp", "--data",
            temp.resolve("data").toString(), "--state", temp.resolve("s").toString(), "--uri",
            "amqp://paycore:sec ret@127.0.0.1:1", "--exchange", "changes"));
        final String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("--uri is not a URI (Illegal character in authority at index 7): " +
            "amqp://paycore:***@127.0.0.1:1"), printed);
        assertFalse(printed.contains("sec ret"), printed);
    }
}
