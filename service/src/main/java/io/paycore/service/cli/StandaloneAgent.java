package io.paycore.service.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * Runs one agent that serves beside the service (feed-server, query-server) until a signal stops it: on a media
 * driver of its own, embedded in {@code STATE/aeron}, or on a running one; prints its ready line; on SIGINT or SIGTERM
 * closes the agent, the client and the driver before the JVM exits.
 */
public final class StandaloneAgent
{
    /** Exit status: cannot start. */
    public static final int EXIT_CANNOT_START = 4;
    private static final long STOP_WAIT_SECONDS = 10;

    private StandaloneAgent()
    {
    }

    /**
     * Run an agent until a signal stops it.
     *
     * @param name      the command's name, for messages ({@code feed-server}).
     * @param state     the agent's own directory, made if missing; its driver goes in {@code state/aeron}.
     * @param aeronDir  a running driver's directory to use instead, or null.
     * @param agent     makes the agent from the Aeron client; it may throw to refuse to start.
     * @param readyLine what to print once it runs, given the agent.
     * @param out       for the ready line.
     * @param err       for errors.
     * @return 0 when stopped, {@link #EXIT_CANNOT_START} if it could not start.
     */
    public static <A extends Agent> int run(
        final String name,
        final Path state,
        final Path aeronDir,
        final Function<Aeron, A> agent,
        final Function<A, String> readyLine,
        final PrintStream out,
        final PrintStream err)
    {
        MediaDriver driver = null;
        Aeron aeron = null;
        AgentRunner runner = null;
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread stopper = new Thread(() -> stopAndWait(stop, closed), "paycore-" + name + "-stop");
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
            final A started = agent.apply(aeron);
            runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000),
                ex -> err.println("paycore " + name + ": " + ex), null, started);
            AgentRunner.startOnThread(runner);
            Runtime.getRuntime().addShutdownHook(stopper);
            out.println(readyLine.apply(started));
            out.flush();
            stop.await();
            return 0;
        }
        catch (final IOException ex)
        {
            err.println("paycore " + name + ": cannot make " + state + ": " + ex);
            return EXIT_CANNOT_START;
        }
        catch (final AeronException | IllegalStateException | IllegalArgumentException | UncheckedIOException ex)
        {
            err.println("paycore " + name + ": cannot start: " + ex.getMessage());
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
