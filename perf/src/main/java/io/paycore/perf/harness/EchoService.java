package io.paycore.perf.harness;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.service.pinning.CpuPlan;
import io.paycore.service.pinning.ThreadPinning;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The baseline's server: a raw Aeron echo that sends every message it receives straight back, with no journal and
 * no ledger, set up the way {@code PaycoreServer} sets up paycore's transport for the same profile: an embedded
 * media driver (or the external one of {@code aeronDirectoryName}) with the same threading mode, term length and
 * idle strategies, its own Aeron client, and the echo on one thread ({@value #THREAD_NAME}) with the idle strategy
 * of paycore's ingress/egress thread.
 * <p>
 * Start with {@link #launch}; {@link #close()} stops the thread, the client and the driver. Closing twice is safe.
 */
public final class EchoService implements AutoCloseable
{
    /** Name of the echo thread, for pinning. */
    public static final String THREAD_NAME = ThreadPinning.ECHO_THREAD_NAME;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentRunner runner;
    private final String aeronDirectoryName;

    private EchoService(
        final MediaDriver driver, final Aeron aeron, final AgentRunner runner, final String aeronDirectoryName)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.runner = runner;
        this.aeronDirectoryName = aeronDirectoryName;
    }

    /**
     * Start the echo.
     *
     * @param channels           where it listens and answers.
     * @param profile            shared (driver SHARED, backoff idling) or dedicated (DEDICATED, busy spin).
     * @param aeronDirectoryName an external driver's directory, or null to embed a driver in a fresh directory.
     * @param pinning            pins the echo thread (role ingress) and the embedded driver's (role driver).
     * @return the running echo.
     */
    public static EchoService launch(
        final BenchChannels channels,
        final ThreadingProfile profile,
        final String aeronDirectoryName,
        final ThreadPinning pinning)
    {
        final boolean shared = ThreadingProfile.SHARED == profile;
        MediaDriver driver = null;
        Aeron aeron = null;
        try
        {
            final String directory;
            if (null == aeronDirectoryName)
            {
                final MediaDriver.Context context = new MediaDriver.Context()
                    .aeronDirectoryName(io.aeron.CommonContext.generateRandomDirName())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .publicationTermBufferLength(TransportContext.TERM_LENGTH_MIN)
                    .ipcTermBufferLength(TransportContext.TERM_LENGTH_MIN);
                final ThreadFactory driverThreads = pinning.threadFactory(CpuPlan.Role.DRIVER);
                context.conductorThreadFactory(driverThreads)
                    .senderThreadFactory(driverThreads)
                    .receiverThreadFactory(driverThreads)
                    .sharedThreadFactory(driverThreads)
                    .sharedNetworkThreadFactory(driverThreads);
                if (shared)
                {
                    context.threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(sharedIdleStrategy());
                }
                else
                {
                    context.threadingMode(ThreadingMode.DEDICATED)
                        .conductorIdleStrategy(new BusySpinIdleStrategy())
                        .senderIdleStrategy(new BusySpinIdleStrategy())
                        .receiverIdleStrategy(new BusySpinIdleStrategy());
                }
                driver = MediaDriver.launch(context);
                directory = driver.aeronDirectoryName();
            }
            else
            {
                directory = aeronDirectoryName;
            }
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory));
            final Subscription subscription = aeron.addSubscription(
                channels.baselineIngressChannel(), channels.baselineIngressStreamId());
            final ExclusivePublication publication = aeron.addExclusivePublication(
                channels.baselineResponseChannel(), channels.baselineResponseStreamId());
            final IdleStrategy idle = shared ? sharedIdleStrategy() : new BusySpinIdleStrategy();
            final AgentRunner runner = new AgentRunner(
                idle, Throwable::printStackTrace, null, new EchoAgent(subscription, publication));
            AgentRunner.startOnThread(runner, pinning.threadFactory());
            return new EchoService(driver, aeron, runner, directory);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
    }

    /**
     * @return the idle strategy of paycore's shared-profile transport threads.
     */
    static IdleStrategy sharedIdleStrategy()
    {
        return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    }

    /**
     * @return the Aeron directory of the driver the echo uses; clients of the echo use it too.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * Stop the echo, its Aeron client and its driver.
     */
    public void close()
    {
        CloseHelper.closeAll(runner, aeron, driver);
    }

    private static final class EchoAgent implements Agent, FragmentHandler
    {
        private static final int FRAGMENT_LIMIT = 64;

        private final Subscription subscription;
        private final ExclusivePublication publication;
        private final FragmentAssembler assembler = new FragmentAssembler(this);
        private final IdleStrategy backPressureIdle = new BusySpinIdleStrategy();

        EchoAgent(final Subscription subscription, final ExclusivePublication publication)
        {
            this.subscription = subscription;
            this.publication = publication;
        }

        public int doWork()
        {
            return subscription.poll(assembler, FRAGMENT_LIMIT);
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            long result;
            while ((result = publication.offer(buffer, offset, length)) < 0)
            {
                if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                {
                    return;
                }
                if (Publication.NOT_CONNECTED == result && !publication.isConnected())
                {
                    return;
                }
                backPressureIdle.idle();
                Thread.yield();
            }
        }

        public String roleName()
        {
            return THREAD_NAME;
        }

        public void onClose()
        {
            CloseHelper.closeAll(subscription, publication);
        }
    }
}
