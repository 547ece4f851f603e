package io.paycore.transport.client;

import io.aeron.Aeron;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.DirectBuffer;

/**
 * How a {@link PaycoreClient} reaches paycore: a single-node service's ingress and response streams, or a
 * cluster's leader through Aeron Cluster's client.
 */
interface ClientLink extends AutoCloseable
{
    /**
     * @return the result of offering the message: a new position, or a negative {@code Publication} code.
     */
    long offer(DirectBuffer buffer, int offset, int length);

    /**
     * Hand each whole answer that has arrived to the handler.
     *
     * @return work done.
     */
    int poll(FragmentHandler handler, int fragmentLimit);

    /**
     * @return true while answers can come back.
     */
    boolean isConnected();

    /**
     * @return true until the link has been authenticated by a {@code Connect} (single node); a cluster's client
     * is connected once it has a session.
     */
    boolean needsConnect();

    /**
     * @return how many times the link has moved to a new leader since it opened (0 for a single node).
     */
    long leaderChanges();

    /**
     * @return the cluster member the link takes for the leader, or -1 for a single node.
     */
    int leaderMemberId();

    /**
     * @return where the link goes, for messages.
     */
    String describe();

    /**
     * @return why answers can no longer come back, once {@link #isConnected()} is false.
     */
    String disconnectedReason();

    void close();

    /**
     * Take a new session with the service and leave the old one, for requests lost where the service's own events
     * will not say so; a new session counts as a change of leader ({@link #leaderChanges()}). If no service answers
     * within the connect timeout, or by the deadline if that is sooner, the link keeps the session it has. Blocks
     * for as long as the connect takes.
     *
     * @param deadlineNanos when the caller's own wait ends ({@link System#nanoTime()}).
     */
    default void reconnect(long deadlineNanos)
    {
    }

    /**
     * @return new sessions taken by {@link #reconnect(long)}.
     */
    default long reconnects()
    {
        return 0;
    }

    /**
     * @return the Aeron client the link publishes and subscribes with.
     */
    Aeron aeron();
}
