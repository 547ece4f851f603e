package io.paycore.transport;

import io.aeron.ExclusivePublication;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A client session as egress sees it: where its answers go, and the answers held back while it is back-pressured.
 * Created by ingress when a {@code Connect} opens the response publication, then handed to egress, which alone uses
 * it from then on (ingress reads only the final fields).
 */
final class EgressSession
{
    static final int LENGTH_PREFIX_BYTES = 4;
    private static final int INITIAL_BACKLOG_BYTES = 16 * 1024;

    final long sessionId;
    final int imageSessionId;
    final long clientId;
    final ExclusivePublication publication;

    private final int maxBacklogBytes;
    private ExpandableArrayBuffer backlog;
    private int head;
    private int tail;
    private long stalledSinceNanos;
    private boolean closed;
    boolean inBacklogList;
    boolean closeWhenSent;

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
    }

    boolean hasBacklog()
    {
        return tail > head;
    }

    int backlogBytes()
    {
        return tail - head;
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
        final int needed = LENGTH_PREFIX_BYTES + length;
        final int held = tail - head;
        if (held + needed > maxBacklogBytes)
        {
            return false;
        }
        if (null == backlog)
        {
            backlog = new ExpandableArrayBuffer(Math.max(INITIAL_BACKLOG_BYTES, needed));
        }
        if (0 == held)
        {
            head = 0;
            tail = 0;
            stalledSinceNanos = nowNanos;
        }
        else if (tail + needed > maxBacklogBytes)
        {
            final byte[] bytes = backlog.byteArray();
            System.arraycopy(bytes, head, bytes, 0, held);
            head = 0;
            tail = held;
        }
        backlog.putInt(tail, length);
        backlog.putBytes(tail + LENGTH_PREFIX_BYTES, buffer, offset, length);
        tail += needed;
        return true;
    }

    /**
     * Offer the oldest answer held back.
     *
     * @return the result of {@link ExclusivePublication#offer}; the answer is consumed when it is positive.
     */
    long offerHead()
    {
        final int length = backlog.getInt(head);
        final long result = publication.offer(backlog, head + LENGTH_PREFIX_BYTES, length);
        if (result > 0)
        {
            head += LENGTH_PREFIX_BYTES + length;
            if (head == tail)
            {
                head = 0;
                tail = 0;
            }
        }
        return result;
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
            head = 0;
            tail = 0;
            CloseHelper.quietClose(publication);
        }
    }

    public String toString()
    {
        return "EgressSession{sessionId=" + sessionId + ", clientId=" + clientId + ", imageSessionId=" +
            imageSessionId + ", backlogBytes=" + (tail - head) + '}';
    }
}
