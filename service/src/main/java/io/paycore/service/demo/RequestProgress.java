package io.paycore.service.demo;

/**
 * The clock behind the cluster demo's request timeout: how long its requests in flight have gone without an answer.
 * It runs only while the demo waits on the cluster for answers: from the first request sent with none in flight, or
 * the last answer, whichever is later. A pause the demo takes on its own (waiting for a restarted member to catch
 * up before the next kill, which can outlast the timeout on a loaded machine) starts it again, so that the first
 * poll after the pause is not taken for 30 s of silence.
 * <p>
 * <b>Threading</b>: the demo's thread only.
 */
final class RequestProgress
{
    private final long timeoutNanos;
    private long sinceNanos;

    /**
     * @param timeoutNanos how long requests in flight may go without an answer.
     * @param nowNanos     {@link System#nanoTime()} now.
     */
    RequestProgress(final long timeoutNanos, final long nowNanos)
    {
        this.timeoutNanos = timeoutNanos;
        this.sinceNanos = nowNanos;
    }

    /**
     * @param inFlightBefore requests in flight before this one.
     * @param nowNanos       when it was sent.
     */
    void onSent(final int inFlightBefore, final long nowNanos)
    {
        if (0 == inFlightBefore)
        {
            sinceNanos = nowNanos;
        }
    }

    /**
     * @param nowNanos when an answer came.
     */
    void onAnswered(final long nowNanos)
    {
        sinceNanos = nowNanos;
    }

    /**
     * @param nowNanos when a pause of the demo's own ended.
     */
    void onPauseEnded(final long nowNanos)
    {
        sinceNanos = nowNanos;
    }

    /**
     * @param inFlight requests in flight now.
     * @param nowNanos {@link System#nanoTime()} now.
     * @return true when requests are in flight and none has been answered for longer than the timeout.
     */
    boolean timedOut(final int inFlight, final long nowNanos)
    {
        return inFlight > 0 && nowNanos - sinceNanos > timeoutNanos;
    }

    /**
     * @param nowNanos {@link System#nanoTime()} now.
     * @return how long the requests in flight have waited, in ns.
     */
    long waitedNanos(final long nowNanos)
    {
        return nowNanos - sinceNanos;
    }
}
