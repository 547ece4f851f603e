package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.LogBufferDescriptor;
import io.aeron.status.HeartbeatTimestamp;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The paycore service's Aeron side: media driver (embedded, or an external one), Aeron client, counters, and the
 * ingress and egress agents around a {@link Pipeline}.
 * <h2>Threads</h2>
 * <ul>
 *     <li>{@link ThreadingProfile#SHARED}: an embedded driver in {@link ThreadingMode#SHARED} (one thread,
 *     backoff idling), the Aeron client's conductor (sleeping), and ingress and egress together in one
 *     {@link CompositeAgent} on one thread with a {@link BackoffIdleStrategy}.</li>
 *     <li>{@link ThreadingProfile#DEDICATED}: an embedded driver in {@link ThreadingMode#DEDICATED}, busy spinning;
 *     ingress and egress each on a thread of its own, busy spinning.</li>
 * </ul>
 * In both, a {@link AuthenticatorAgent} thread (backoff idling, parked when idle) checks credentials and adds
 * response publications, so a {@code Connect} never holds up ingress. The pipeline's stages run on its own threads:
 * start it before or after {@link #launch}; the server does not.
 * <p>
 * {@link #close()} stops ingress, lets the pipeline apply what it was given ({@link Pipeline#close()}), lets egress
 * send the answers, then closes the agents, counters, Aeron client and driver. Closing twice is safe. The journal
 * stays the caller's to close, after this.
 * <h2>The embedded driver's directory</h2>
 * Kept when the driver stops and cleaned when the next one starts, so that the driver's counters and error log
 * (its {@code cnc.dat}) can be read after a stop or a crash, by {@code paycore stat}, Aeron's {@code AeronStat} or
 * {@code ErrorStat}. Term buffers are written out in full when created, not sparse: on a full disk creating a
 * publication or an image fails with the driver's "insufficient usable storage" error (that one connect is refused
 * and the error recorded), instead of a SIGBUS later when a sparse page is first touched. The driver does not
 * start when its own files ({@code cnc.dat}, loss report) and a log of each kind would not fit.
 */
public final class PaycoreServer implements AutoCloseable
{
    private static final int ERROR_LOG_LENGTH_BYTES = 1024 * 1024;
    private static final int LOG_BUFFER_COUNT = LogBufferDescriptor.PARTITION_COUNT;
    private static final long STOP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Type id of {@code paycore: ingress CHANNEL stream ID}, the mark of the service that takes in that ingress. */
    static final int INGRESS_CLAIM_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 16;
    /**
     * An ingress mark's owner counts as running if its Aeron client's heartbeat (every 0.5 s) moves before it is
     * this old.
     */
    private static final long INGRESS_OWNER_ALIVE_MS = 2_000;

    private final TransportContext context;
    private final Pipeline pipeline;
    private final UnsafeBuffer errorLogBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ERROR_LOG_LENGTH_BYTES));
    private final DistinctErrorLog errorLog = new DistinctErrorLog(errorLogBuffer, SystemEpochClock.INSTANCE);
    private final AtomicLong errorCount = new AtomicLong();
    private final ErrorHandler errorHandler;
    /**
     * Name of the ingress thread, its agent's role; in the shared profile the one transport thread's name contains it.
     */
    public static final String INGRESS_THREAD_NAME = IngressAgent.ROLE_NAME;

    /**
     * Name of the egress thread (dedicated profile), its agent's role.
     */
    public static final String EGRESS_THREAD_NAME = EgressAgent.ROLE_NAME;

    private MediaDriver driver;
    private Aeron aeron;
    private TransportCounters counters;
    private Subscription subscription;
    private Counter ingressClaim;
    private IngressAgent ingress;
    private EgressAgent egress;
    private AgentRunner ingressRunner;
    private AgentRunner egressRunner;
    private AgentRunner authenticatorRunner;
    private boolean closed;

    private PaycoreServer(final TransportContext context, final Pipeline pipeline)
    {
        this.context = context;
        this.pipeline = pipeline;
        final ErrorHandler userHandler = context.errorHandler();
        this.errorHandler = (throwable) ->
        {
            errorCount.incrementAndGet();
            errorLog.record(throwable);
            if (null != userHandler)
            {
                userHandler.onError(throwable);
            }
        };
    }

    /**
     * Start the transport around a pipeline.
     *
     * @param context  configuration; concluded here.
     * @param pipeline the pipeline to feed and drain; started by the caller, before or after this.
     * @return the running server.
     * @throws IllegalArgumentException when the context is wrong.
     * @throws RuntimeException         from Aeron when the driver or channels cannot be set up; what was started
     *                                  is closed again.
     */
    public static PaycoreServer launch(final TransportContext context, final Pipeline pipeline)
    {
        context.conclude();
        final PaycoreServer server = new PaycoreServer(context, pipeline);
        try
        {
            server.start();
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(server);
            throw ex;
        }
        return server;
    }

    private void start()
    {
        final boolean shared = ThreadingProfile.SHARED == context.profile();
        if (StageLayout.INLINE == pipeline.layout() && !shared)
        {
            throw new IllegalStateException("the pipeline's inline layout runs its stages on the transport's shared " +
                "thread, and the transport's profile is " + context.profile().name().toLowerCase() +
                ": use the shared profile or another layout");
        }
        if (context.isEmbeddedDriver())
        {
            final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(context.embeddedAeronDirectoryName())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(false)
                .termBufferSparseFile(false)
                .performStorageChecks(true)
                .publicationTermBufferLength(context.termLength())
                .ipcTermBufferLength(context.termLength())
                .errorHandler(errorHandler)
                .conductorThreadFactory(context.driverThreadFactory())
                .senderThreadFactory(context.driverThreadFactory())
                .receiverThreadFactory(context.driverThreadFactory())
                .sharedThreadFactory(context.driverThreadFactory())
                .sharedNetworkThreadFactory(context.driverThreadFactory());
            if (shared)
            {
                driverContext.threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(sharedIdleStrategy());
            }
            else
            {
                driverContext.threadingMode(ThreadingMode.DEDICATED)
                    .conductorIdleStrategy(new BusySpinIdleStrategy())
                    .senderIdleStrategy(new BusySpinIdleStrategy())
                    .receiverIdleStrategy(new BusySpinIdleStrategy());
            }
            checkDriverStorage(driverContext);
            driver = MediaDriver.launch(driverContext);
        }

        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(context.effectiveAeronDirectoryName())
            .errorHandler(errorHandler));
        counters = new TransportCounters(aeron);
        ingressClaim = claimIngress(aeron, context,
            () -> aeron.addCounter(INGRESS_CLAIM_TYPE_ID, ingressClaimLabel(context)));
        subscription = aeron.addSubscription(context.ingressChannel(), context.ingressStreamId());

        final OneToOneRingBuffer controlRing = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
            context.controlRingLength() + RingBufferDescriptor.TRAILER_LENGTH)));
        final int queueCapacity = 2 * context.maxSessions();
        final OneToOneConcurrentArrayQueue<EgressSession> newSessions =
            new OneToOneConcurrentArrayQueue<>(queueCapacity);
        final OneToOneConcurrentArrayQueue<EgressSession> disconnected =
            new OneToOneConcurrentArrayQueue<>(queueCapacity);

        final OneToOneConcurrentArrayQueue<ConnectRequest> connectRequests =
            new OneToOneConcurrentArrayQueue<>(AuthenticatorAgent.MAX_PENDING);
        final OneToOneConcurrentArrayQueue<ConnectRequest> connectOutcomes =
            new OneToOneConcurrentArrayQueue<>(AuthenticatorAgent.MAX_PENDING);
        authenticatorRunner = new AgentRunner(
            new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(1)),
            errorHandler, null, new AuthenticatorAgent(aeron, context, connectRequests, connectOutcomes, errorHandler));
        AgentRunner.startOnThread(authenticatorRunner, context.threadFactory());
        ingress = new IngressAgent(context, connectRequests, connectOutcomes, subscription, pipeline, controlRing, newSessions, disconnected,
            counters, errorHandler);
        egress = new EgressAgent(context, pipeline, controlRing, newSessions, disconnected, counters, errorHandler);

        if (shared)
        {
            final Agent composite = StageLayout.INLINE == pipeline.layout() ?
                new CompositeAgent(ingress, new PipelineStageAgent(pipeline), egress) :
                new CompositeAgent(ingress, egress);
            ingressRunner = new AgentRunner(sharedIdleStrategy(), errorHandler, null, new DutyCycleMeasuredAgent(
                composite, counters.dutyCycleTracker(composite.roleName()), SystemNanoClock.INSTANCE));
            AgentRunner.startOnThread(ingressRunner, context.threadFactory());
        }
        else
        {
            ingressRunner = new AgentRunner(new BusySpinIdleStrategy(), errorHandler, null, new DutyCycleMeasuredAgent(
                ingress, counters.dutyCycleTracker(ingress.roleName()), SystemNanoClock.INSTANCE));
            egressRunner = new AgentRunner(new BusySpinIdleStrategy(), errorHandler, null, new DutyCycleMeasuredAgent(
                egress, counters.dutyCycleTracker(egress.roleName()), SystemNanoClock.INSTANCE));
            AgentRunner.startOnThread(ingressRunner, context.threadFactory());
            AgentRunner.startOnThread(egressRunner, context.threadFactory());
        }
    }

    /**
     * Wrap an agent so that its duty cycles are measured into a pair of this transport's counters named after its
     * role: the longest cycle and the cycles over {@link TransportCounters#DUTY_CYCLE_STALL_THRESHOLD_NANOS}. The
     * service measures the pipeline's stage threads so.
     *
     * @param agent the agent a thread runs.
     * @return the measured agent, of the same role name.
     */
    public Agent measured(final Agent agent)
    {
        return new DutyCycleMeasuredAgent(agent, counters.dutyCycleTracker(agent.roleName()), SystemNanoClock.INSTANCE);
    }

    /**
     * Stop reading input, let the pipeline apply what it has and egress send the answers, then close everything.
     * Closing twice is safe.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;

        if (null != ingress && null != ingressRunner)
        {
            ingress.stop();
            final long deadlineNanos = System.nanoTime() + STOP_TIMEOUT_NANOS;
            while (!ingress.isStopped() && !ingressRunner.isClosed() && System.nanoTime() < deadlineNanos)
            {
                sleepBriefly();
            }
        }
        CloseHelper.quietClose(pipeline);
        if (null != egress)
        {
            final long deadlineNanos = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
            while ((!pipeline.isDrained() || egress.backloggedCount() > 0) && System.nanoTime() < deadlineNanos)
            {
                sleepBriefly();
            }
        }
        CloseHelper.closeAll(
            ingressRunner, egressRunner, authenticatorRunner, subscription, ingressClaim, counters, aeron, driver);
    }

    /**
     * A media driver shares one subscription endpoint between every client that subscribes to a channel and stream,
     * so two services on one driver (an external one, {@code --aeron-dir}) with the same ingress would both take in,
     * journal and answer every request. Each service marks its ingress with a counter in the driver; a mark whose
     * owner's Aeron client still heartbeats refuses this start. A killed owner's mark stays until the driver times
     * its client out (10 s), and a restart must not wait that: a heartbeat that does not move within
     * {@link #INGRESS_OWNER_ALIVE_MS} is a dead owner's.
     *
     * @param aeron    this service's client.
     * @param context  the ingress.
     * @param addClaim adds this service's mark, a counter of {@link #INGRESS_CLAIM_TYPE_ID} and
     *                 {@link #ingressClaimLabel(TransportContext)}.
     * @return this service's mark, freed when its Aeron client closes or times out.
     * @throws IllegalStateException if a live service holds the same ingress.
     */
    static Counter claimIngress(final Aeron aeron, final TransportContext context, final Supplier<Counter> addClaim)
    {
        final String label = ingressClaimLabel(context);
        final CountersReader reader = aeron.countersReader();
        final List<long[]> owners = new ArrayList<>();
        final List<Integer> seen = new ArrayList<>();
        reader.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (INGRESS_CLAIM_TYPE_ID == typeId && label.equals(counterLabel))
            {
                seen.add(counterId);
                final long ownerId = reader.getCounterOwnerId(counterId);
                final int heartbeatId = HeartbeatTimestamp.findCounterIdByRegistrationId(
                    reader, HeartbeatTimestamp.HEARTBEAT_TYPE_ID, ownerId);
                if (CountersReader.NULL_COUNTER_ID != heartbeatId)
                {
                    owners.add(new long[] { ownerId, heartbeatId, reader.getCounterValue(heartbeatId) });
                }
            }
        });
        for (final long[] owner : owners)
        {
            final int heartbeatId = (int)owner[1];
            while (System.currentTimeMillis() - owner[2] < INGRESS_OWNER_ALIVE_MS)
            {
                if (HeartbeatTimestamp.isActive(reader, heartbeatId, HeartbeatTimestamp.HEARTBEAT_TYPE_ID, owner[0]) &&
                    reader.getCounterValue(heartbeatId) != owner[2])
                {
                    throw ingressTaken(context, owner[0]);
                }
                sleepBriefly();
            }
        }
        final Counter claim = addClaim.get();
        // A service that started in the same moment marked the ingress after this one looked: of two new marks, the
        // older (the lower registration id, handed out in order by the driver) keeps the ingress.
        final long[] olderOwner = { Aeron.NULL_VALUE };
        reader.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (INGRESS_CLAIM_TYPE_ID == typeId && label.equals(counterLabel) && counterId != claim.id() &&
                !seen.contains(counterId) &&
                reader.getCounterRegistrationId(counterId) < claim.registrationId())
            {
                olderOwner[0] = reader.getCounterOwnerId(counterId);
            }
        });
        if (Aeron.NULL_VALUE != olderOwner[0])
        {
            claim.close();
            throw ingressTaken(context, olderOwner[0]);
        }
        return claim;
    }

    /**
     * @param context the ingress.
     * @return the label of the counter that marks the service taking in that ingress.
     */
    static String ingressClaimLabel(final TransportContext context)
    {
        return "paycore: ingress " + context.ingressChannel() + " stream " + context.ingressStreamId();
    }

    private static IllegalStateException ingressTaken(final TransportContext context, final long ownerId)
    {
        return new IllegalStateException("another paycore service already takes in " + context.ingressChannel() +
            " stream " + context.ingressStreamId() + " on the media driver in " +
            context.effectiveAeronDirectoryName() + " (its Aeron client " + ownerId + "): both would journal and " +
            "answer every request; stop it, or give this one another --channel or --stream");
    }

    /**
     * @return the service's counters.
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * @return the Aeron client of the server, for the service's own counters (allocate them with
     * {@link Aeron#addCounter(int, String)} so that they sit in the driver's counters file); closed by
     * {@link #close()}.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the concluded context.
     */
    public TransportContext context()
    {
        return context;
    }

    /**
     * @return the Aeron directory clients must use.
     */
    public String aeronDirectoryName()
    {
        return context.effectiveAeronDirectoryName();
    }

    /**
     * @return errors reported by the transport's agents, Aeron client and embedded driver so far.
     */
    public long errorCount()
    {
        return errorCount.get();
    }

    /**
     * Read the distinct errors recorded so far.
     *
     * @param consumer receives each distinct error's text (with stack trace) and its observation count.
     * @return the number of distinct errors.
     */
    public int readErrors(final Consumer<String> consumer)
    {
        return ErrorLogReader.read(errorLogBuffer,
            (count, firstTimestamp, lastTimestamp, encodedException) ->
                consumer.accept(count + " x " + encodedException));
    }

    /**
     * Refuse to start the embedded driver when its directory's file system cannot hold the driver's own files (its
     * {@code cnc.dat} and loss report, which the driver maps and fills without a storage check: a fault there is a
     * SIGBUS) plus one IPC and one publication log, counting what the clean at start will free.
     */
    private static void checkDriverStorage(final MediaDriver.Context driverContext)
    {
        final Path directory = Path.of(driverContext.aeronDirectoryName()).toAbsolutePath();
        checkDriverStorage(driverContext, directory, usableBytes(directory));
    }

    /**
     * @param driverContext the embedded driver's settings.
     * @param directory     its directory, for the message.
     * @param usableBytes   free on its file system, plus what cleaning the directory at start frees.
     * @throws IllegalStateException if the driver's files and a log of each kind do not fit, saying what to do.
     */
    static void checkDriverStorage(
        final MediaDriver.Context driverContext, final Path directory, final long usableBytes)
    {
        final long countersBytes = (long)driverContext.counterValuesBufferLength() *
            (1 + CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
        final long neededBytes = (long)driverContext.conductorBufferLength() + driverContext.toClientsBufferLength() +
            countersBytes + driverContext.errorBufferLength() + driverContext.lossReportBufferLength() +
            LOG_BUFFER_COUNT * ((long)driverContext.ipcTermBufferLength() + driverContext.publicationTermBufferLength());
        if (usableBytes < neededBytes)
        {
            throw new IllegalStateException("not enough free disk space for the embedded media driver in " +
                directory + ": it needs " + neededBytes + " bytes and " + usableBytes + " are free; free some " +
                "space, or run an external driver on another file system (--aeron-dir)");
        }
    }

    private static long usableBytes(final Path directory)
    {
        try
        {
            Path existing = directory;
            while (null != existing && !Files.exists(existing))
            {
                existing = existing.getParent();
            }
            if (null == existing)
            {
                return Long.MAX_VALUE;
            }
            long reclaimableBytes = 0;
            if (Files.isDirectory(directory))
            {
                try (Stream<Path> files = Files.walk(directory))
                {
                    reclaimableBytes = files.filter(Files::isRegularFile).mapToLong(PaycoreServer::sizeOf).sum();
                }
            }
            return Files.getFileStore(existing).getUsableSpace() + reclaimableBytes;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot check the free space for the media driver in " + directory, ex);
        }
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static IdleStrategy sharedIdleStrategy()
    {
        return new BackoffIdleStrategy(
            100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    }

    private static void sleepBriefly()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
