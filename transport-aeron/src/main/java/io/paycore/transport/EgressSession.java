package io.paycore.transport;

import io.aeron.ExclusivePublication;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A client session as egress sees it: where its answers go, and the answers held back while it is back-pressured.
 * Created by ingress when a {@code Connect} opens the response publication, then handed to egress, which alone uses
 * it from then on (ingress reads only the final fields). The answers held back are in an Agrona
 * {@link ExpandableRingBuffer}, allocated at the first one.
 */
final class EgressSession implements ExpandableRingBuffer.MessageConsumer
{
    final long sessionId;
    final int imageSessionId;
    final long clientId;
    final ExclusivePublication publication;

    private final int maxBacklogBytes;
    private final ExpandableRingBuffer backlog;
    private long lastOfferResult;
    private long stalledSinceNanos;
    private int backlogCount;
    private boolean closed;
    boolean inBacklogList;
    boolean closeWhenSent;

    /**
     * @param maxBacklogBytes most bytes of answers held back, framing included; the ring holding them grows as
     *                        needed, to at most twice that (room for the padding at its wrap).
     */
    EgressSession(
        final long sessionId,
        final int imageSessionId,
        final long clientId,
        final ExclusivePublication publication,
        final int maxBacklogBytes)
    {
        this.sessionId = sessionId;
        this.imageSessionId = imageSessionId;
        this.clientId = clientId;
        this.publication = publication;
        this.maxBacklogBytes = maxBacklogBytes;
        this.backlog = new ExpandableRingBuffer(
            0, BitUtil.findNextPositivePowerOfTwo(2 * maxBacklogBytes), false);
    }

    /**
     * Bytes an answer of the given length takes in the backlog, framing included.
     *
     * @param length the answer's length.
     * @return its framed length.
     */
    static int framedLength(final int length)
    {
        return BitUtil.align(ExpandableRingBuffer.HEADER_LENGTH + length, ExpandableRingBuffer.HEADER_ALIGNMENT);
    }

    boolean hasBacklog()
    {
        return !backlog.isEmpty();
    }

    int backlogBytes()
    {
        return backlog.size();
    }

    /**
     * @return how many answers are held back.
     */
    int backlogCount()
    {
        return backlogCount;
    }

    long stalledSinceNanos()
    {
        return stalledSinceNanos;
    }

    void stalledSinceNanos(final long nowNanos)
    {
        stalledSinceNanos = nowNanos;
    }

    /**
     * Hold an answer back behind those already held.
     *
     * @return false, having done nothing, when it would take the backlog past its bound.
     */
    boolean appendBacklog(final DirectBuffer buffer, final int offset, final int length, final long nowNanos)
    {
        if (backlog.size() + framedLength(length) > maxBacklogBytes)
        {
            return false;
        }
        if (backlog.isEmpty())
        {
            stalledSinceNanos = nowNanos;
        }
        if (!backlog.append(buffer, offset, length))
        {
            return false;
        }
        backlogCount++;
        return true;
    }

    /**
     * Offer the oldest answer held back.
     *
     * @return the result of {@link ExclusivePublication#offer}; the answer is consumed when it is positive. 0 when
     * nothing is held.
     */
    long offerHead()
    {
        lastOfferResult = 0;
        backlog.consume(this, 1);
        return lastOfferResult;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The oldest answer held, offered: consumed only if the publication took it.
     */
    public boolean onMessage(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long result = publication.offer(buffer, offset, length);
        lastOfferResult = result;
        if (result > 0)
        {
            backlogCount--;
            return true;
        }
        return false;
    }

    boolean isClosed()
    {
        return closed;
    }

    void close()
    {
        if (!closed)
        {
            closed = true;
            backlog.reset(0);
            backlogCount = 0;
            CloseHelper.quietClose(publication);
        }
    }

    public String toString()
    {
        return "EgressSession{sessionId=" + sessionId + ", clientId=" + clientId + ", imageSessionId=" +
            imageSessionId + ", backlogBytes=" + backlog.size() + '}';
    }
}
