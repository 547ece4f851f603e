package io.paycore.transport.client;

import io.aeron.Publication;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The requests a client of a cluster has sent and not yet had answered, with their bytes, in the order sent: what
 * it sends again, in that order, when the cluster elects a new leader, which may not have them. Their ids make a
 * second copy harmless (an event the old leader committed answers {@code EXISTS}), and the answer carries the same
 * correlation id.
 * <p>
 * A cluster answers one session's requests in the order they were sent, so an answer releases its request and
 * every one sent before it. An answer to a request no longer here (the old leader's answer to a request already
 * answered by the new one, or the other way round) is a duplicate: the client drops it, so the caller sees one
 * answer per request.
 * <p>
 * Bounded: at most {@code maxRequests} requests and {@code maxBytes} of them; a send past either is refused (the
 * caller polls for answers and tries again), as is a new request while the old ones are still being sent again, so
 * the new leader sees the requests in the order they were first sent. Preallocated up to its bounds: allocates only
 * when it grows.
 * <p>
 * Not thread safe: the client's thread.
 */
final class InFlightRequests
{
    private final ExpandableRingBuffer bytes;
    private final long[] correlationIds;
    private final int mask;
    private final int maxRequests;
    private long head;
    private long tail;
    private long resendFromCorrelationId = Long.MAX_VALUE;
    private long resends;
    private long duplicateAnswers;

    private final ExpandableRingBuffer.MessageConsumer resender = this::resendOne;
    private final ExpandableRingBuffer.MessageConsumer release = (buffer, offset, length, headOffset) -> true;
    private ClientLink link;
    private int index;
    private long stoppedAt;

    /**
     * @param maxRequests most requests in flight; rounded up to a power of two.
     * @param maxBytes    most bytes of requests in flight: at least one message of the largest size.
     */
    InFlightRequests(final int maxRequests, final int maxBytes)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(maxRequests);
        correlationIds = new long[capacity];
        mask = capacity - 1;
        this.maxRequests = maxRequests;
        final int maxCapacity = BitUtil.findNextPositivePowerOfTwo(maxBytes);
        bytes = new ExpandableRingBuffer(Math.min(maxCapacity, 64 * 1024), maxCapacity, false);
    }

    /**
     * @param length of a request about to be sent.
     * @return true if it may be sent now: there is room for it, and no older request waits to be sent again.
     */
    boolean canSend(final int length)
    {
        return resendFromCorrelationId == Long.MAX_VALUE && tail - head < maxRequests &&
            bytes.size() + BitUtil.align(length + ExpandableRingBuffer.HEADER_LENGTH,
            ExpandableRingBuffer.HEADER_ALIGNMENT) <= bytes.maxCapacity();
    }

    /**
     * Keep a request just sent (after {@link #canSend} allowed it).
     */
    void sent(final long correlationId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!bytes.append(buffer, offset, length))
        {
            throw new IllegalStateException("no room for a request canSend allowed: " + length + " bytes");
        }
        correlationIds[(int)(tail++ & mask)] = correlationId;
    }

    /**
     * An answer arrived: release its request and those sent before it.
     *
     * @param correlationId of the answer.
     * @return true if its request was in flight; false for a duplicate, to be dropped.
     */
    boolean answered(final long correlationId)
    {
        if (head == tail || correlationId < correlationIds[(int)(head & mask)])
        {
            duplicateAnswers++;
            return false;
        }
        int released = 0;
        while (head < tail && correlationIds[(int)(head & mask)] <= correlationId)
        {
            head++;
            released++;
        }
        bytes.consume(release, released);
        return true;
    }

    /**
     * The cluster has a new leader: every request in flight is to be sent again, oldest first.
     */
    void onNewLeader()
    {
        if (head < tail)
        {
            resendFromCorrelationId = correlationIds[(int)(head & mask)];
        }
    }

    /**
     * Send again what a new leader may lack, as far as the link takes it now; what it refuses is tried at the next
     * call.
     *
     * @param link to send on.
     * @return true when nothing is left to send again.
     */
    boolean resend(final ClientLink link)
    {
        if (resendFromCorrelationId == Long.MAX_VALUE)
        {
            return true;
        }
        this.link = link;
        this.index = 0;
        this.stoppedAt = Long.MAX_VALUE;
        bytes.forEach(resender, Integer.MAX_VALUE);
        this.link = null;
        resendFromCorrelationId = stoppedAt;
        return resendFromCorrelationId == Long.MAX_VALUE;
    }

    private boolean resendOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long correlationId = correlationIds[(int)((head + index++) & mask)];
        if (correlationId < resendFromCorrelationId)
        {
            return true;
        }
        final long result = link.offer(buffer, offset, length);
        if (result > 0 || Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            // A closed link is the client's to report; nothing more can be sent on it.
            resends += result > 0 ? 1 : 0;
            return result > 0;
        }
        stoppedAt = correlationId;
        return false;
    }

    /**
     * @return requests in flight.
     */
    int size()
    {
        return (int)(tail - head);
    }

    /**
     * @return requests sent again since the client connected.
     */
    long resends()
    {
        return resends;
    }

    /**
     * @return answers dropped because their request had been answered already.
     */
    long duplicateAnswers()
    {
        return duplicateAnswers;
    }
}
