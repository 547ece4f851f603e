package io.paycore.service.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import io.paycore.service.feed.StateDirectoryLock;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * Runs one agent that serves beside the service (feed-server, query-server) until a signal stops it: on a media
 * driver of its own, embedded in {@code STATE/aeron}, or on a running one; prints its ready line; on SIGINT or SIGTERM
 * closes the agent, the client and the driver before the JVM exits. When its Aeron client meets a fatal error (the
 * driver it runs on gone, {@code --aeron-dir}), it says so, closes the same way and returns {@link #EXIT_FAULT}, for
 * a supervisor to restart it; Aeron's own handler would end the JVM from the client's thread instead.
 */
public final class StandaloneAgent
{
    /** Exit status: stopped by a fatal error of its Aeron client, such as the loss of its media driver. */
    public static final int EXIT_FAULT = 3;
    /** Exit status: cannot start. */
    public static final int EXIT_CANNOT_START = 4;
    private static final long STOP_WAIT_SECONDS = 10;

    private StandaloneAgent()
    {
    }

    /**
     * Lock a server's state directory before anything in it is made or deleted: a second server on the same
     * directory would otherwise delete the first one's counters and, with an embedded media driver, its Aeron
     * directory from under it.
     *
     * @param name  the command, for the messages.
     * @param state its state directory.
     * @param err   where a refusal is printed.
     * @return the lock, or null if it is held by another or cannot be taken (said on err).
     */
    public static StateDirectoryLock lockState(final String name, final Path state, final PrintStream err)
    {
        try
        {
            return StateDirectoryLock.acquire(state, name);
        }
        catch (final StateDirectoryLock.LockedException | UncheckedIOException ex)
        {
            err.println("paycore " + name + ": cannot start: " + ex.getMessage());
            return null;
        }
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
     * @return 0 when stopped, {@link #EXIT_FAULT} after a fatal Aeron error, {@link #EXIT_CANNOT_START} if it could
     * not start.
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
        final AtomicReference<Throwable> fault = new AtomicReference<>();
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
            final String aeronDirectoryName = null != driver ?
                driver.aeronDirectoryName() : aeronDir.toAbsolutePath().toString();
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(aeronDirectoryName)
                .errorHandler((ex) -> onAeronError(name, aeronDirectoryName, ex, fault, stop, err)));
            final A started = agent.apply(aeron);
            runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000),
                ex -> err.println("paycore " + name + ": " + ex), null, started);
            AgentRunner.startOnThread(runner);
            Runtime.getRuntime().addShutdownHook(stopper);
            out.println(readyLine.apply(started));
            out.flush();
            stop.await();
            return null != fault.get() ? EXIT_FAULT : 0;
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

    private static void onAeronError(
        final String name,
        final String aeronDirectoryName,
        final Throwable ex,
        final AtomicReference<Throwable> fault,
        final CountDownLatch stop,
        final PrintStream err)
    {
        if (ex instanceof AeronException && ((AeronException)ex).category() == AeronException.Category.FATAL)
        {
            if (fault.compareAndSet(null, ex))
            {
                err.println("paycore " + name + ": stopping, its Aeron client failed (media driver " +
                    aeronDirectoryName + "): " + ex.getMessage());
                err.flush();
                stop.countDown();
            }
            return;
        }
        err.println("paycore " + name + ": " + ex);
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
