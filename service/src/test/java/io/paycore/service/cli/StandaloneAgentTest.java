package io.paycore.service.cli;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server agent (feed-server, query-server) on a media driver of another process's, {@code --aeron-dir}, whose
 * driver goes away: it must close and return its fault status, not have Aeron's default handler end the JVM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StandaloneAgentTest
{
    @TempDir
    Path dir;

    private MediaDriver driver;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown()
    {
        executor.shutdownNow();
        CloseHelper.close(driver);
    }

    @Test
    void shouldStopWithItsFaultStatusWhenItsMediaDriverGoes() throws Exception
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("driver").toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000))
            .dirDeleteOnStart(true));
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        final Future<Integer> status = executor.submit(() -> StandaloneAgent.run("test-server", dir.resolve("state"),
            dir.resolve("driver"), (aeron) -> new IdleAgent(), (agent) -> "ready: " + agent.roleName(), out, err));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!outBytes.toString(StandardCharsets.UTF_8).contains("ready: idle"))
        {
            assertTrue(System.nanoTime() < deadline, "ready line; err: " + errBytes.toString(StandardCharsets.UTF_8));
            Thread.sleep(10);
        }

        driver.close();

        assertEquals(StandaloneAgent.EXIT_FAULT, status.get(30, TimeUnit.SECONDS));
        final String errors = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(errors.startsWith("paycore test-server: stopping, its Aeron client failed (media driver " +
            dir.resolve("driver").toAbsolutePath()), errors);
    }

    private static final class IdleAgent implements Agent
    {
        public int doWork()
        {
            return 0;
        }

        public String roleName()
        {
            return "idle";
        }
    }
}
