package io.paycore.perf.harness;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The baseline's client: sends messages of a given length, with its correlation id in the first 8 bytes, to an
 * {@link EchoService} and records the echoes. {@link #offer()} and {@link #poll} allocate nothing.
 */
public final class EchoLoadTarget implements LoadTarget, FragmentHandler
{
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int FRAGMENT_LIMIT = 64;

    private final Aeron aeron;
    private final ExclusivePublication publication;
    private final Subscription subscription;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final UnsafeBuffer message;
    private final int messageLengthBytes;
    private LatencyRecorder recorder;
    private long nextCorrelationId = 1;

    private EchoLoadTarget(
        final Aeron aeron,
        final ExclusivePublication publication,
        final Subscription subscription,
        final int messageLengthBytes)
    {
        this.aeron = aeron;
        this.publication = publication;
        this.subscription = subscription;
        this.messageLengthBytes = messageLengthBytes;
        this.message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            org.agrona.BitUtil.align(messageLengthBytes, 64), 64));
    }

    /**
     * Connect to an echo and wait until both directions are connected.
     *
     * @param echo               the echo.
     * @param channels           where it listens and answers.
     * @param messageLengthBytes length of each message, at least 8.
     * @return the target, ready.
     * @throws IllegalStateException if the echo does not connect within 10 s.
     */
    public static EchoLoadTarget connect(
        final EchoService echo, final BenchChannels channels, final int messageLengthBytes)
    {
        if (messageLengthBytes < 8)
        {
            throw new IllegalArgumentException("message length must be at least 8 bytes: " + messageLengthBytes);
        }
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(echo.aeronDirectoryName()));
        try
        {
            final Subscription subscription = aeron.addSubscription(
                channels.baselineResponseChannel(), channels.baselineResponseStreamId());
            final ExclusivePublication publication = aeron.addExclusivePublication(
                channels.baselineIngressChannel(), channels.baselineIngressStreamId());
            final long deadlineNanos = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
            while (!publication.isConnected() || !subscription.isConnected())
            {
                if (System.nanoTime() - deadlineNanos > 0)
                {
                    throw new IllegalStateException("the baseline echo did not connect within 10 s");
                }
                Thread.yield();
            }
            return new EchoLoadTarget(aeron, publication, subscription, messageLengthBytes);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(aeron);
            throw ex;
        }
    }

    /**
     * {@inheritDoc}
     */
    public long offer()
    {
        final long correlationId = nextCorrelationId;
        message.putLong(0, correlationId);
        final long result = publication.offer(message, 0, messageLengthBytes);
        if (result < 0)
        {
            return result;
        }
        nextCorrelationId++;
        return correlationId;
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final LatencyRecorder recorder)
    {
        this.recorder = recorder;
        return subscription.poll(assembler, FRAGMENT_LIMIT);
    }

    /**
     * Records the echo's arrival.
     *
     * @param buffer holding the echo.
     * @param offset of the echo.
     * @param length of the echo.
     * @param header ignored.
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        recorder.onAnswer(buffer.getLong(offset), System.nanoTime(), 0);
    }

    /**
     * {@inheritDoc}
     */
    public int messageLengthBytes()
    {
        return messageLengthBytes;
    }

    /**
     * {@inheritDoc}
     */
    public String name()
    {
        return "baseline";
    }

    /**
     * Close the publication, subscription and Aeron client.
     */
    public void close()
    {
        CloseHelper.closeAll(publication, subscription, aeron);
    }
}
