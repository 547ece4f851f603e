package io.paycore.perf.harness;

/**
 * What the {@link LoadGenerator} sends to and polls answers from: paycore through its client, or the raw Aeron echo
 * of the baseline. Both methods are called on the load generator's thread only and must not allocate.
 */
public interface LoadTarget extends AutoCloseable
{
    /**
     * Send the next message, once.
     *
     * @return its correlation id (one more than the last one sent), or a negative {@link io.aeron.Publication}
     * code when nothing was sent: back-pressure or admin action (try again), or not connected / closed (give up).
     */
    long offer();

    /**
     * Hand the answers that have arrived to the recorder.
     *
     * @param recorder receives each answer with its arrival time.
     * @return the number of fragments read.
     */
    int poll(LatencyRecorder recorder);

    /**
     * @return bytes of each message sent.
     */
    int messageLengthBytes();

    /**
     * @return a short name for reports, for example {@code paycore} or {@code baseline}.
     */
    String name();

    /**
     * Release the target's resources.
     */
    void close();
}
