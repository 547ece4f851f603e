package io.paycore.service.demo;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestProgressTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void shouldTimeOutOnlyWhenRequestsInFlightGoUnansweredForLongerThanTheTimeout()
    {
        final RequestProgress progress = new RequestProgress(TIMEOUT_NS, 0);
        progress.onSent(0, seconds(1));
        progress.onSent(1, seconds(2));
        assertFalse(progress.timedOut(2, seconds(31)), "30 s since the first request: not yet longer");
        assertTrue(progress.timedOut(2, seconds(31) + 1));
        assertEquals(seconds(30) + 1, progress.waitedNanos(seconds(31) + 1));

        progress.onAnswered(seconds(40));
        assertFalse(progress.timedOut(1, seconds(70)));
        assertTrue(progress.timedOut(1, seconds(70) + 1), "the clock runs from the last answer");
        assertFalse(progress.timedOut(0, seconds(1_000)), "nothing in flight: nothing to wait for");
    }

    @Test
    void shouldNotCountTheDemosOwnPauseAsSilenceFromTheCluster()
    {
        // Loop run 917: the last answer, then 33 s waiting for a restarted member to catch up (load average 35),
        // then the next kill, eight requests, and the first poll after them taken for 30 s without an answer.
        final RequestProgress progress = new RequestProgress(TIMEOUT_NS, 0);
        progress.onAnswered(seconds(1));
        progress.onPauseEnded(seconds(34));
        for (int inFlight = 0; inFlight < 8; inFlight++)
        {
            progress.onSent(inFlight, seconds(34) + inFlight);
        }
        assertFalse(progress.timedOut(8, seconds(34) + 1_000_000));
        assertTrue(progress.timedOut(8, seconds(64) + 1));
    }

    @Test
    void shouldStartTheClockAtTheFirstRequestAfterNoneWereInFlight()
    {
        final RequestProgress progress = new RequestProgress(TIMEOUT_NS, 0);
        progress.onAnswered(seconds(1)); // the last in flight answered; then nothing sent for a minute
        progress.onSent(0, seconds(61));
        assertFalse(progress.timedOut(1, seconds(62)));
        progress.onSent(1, seconds(80)); // a second request does not restart the clock
        assertTrue(progress.timedOut(2, seconds(91) + 1));
    }

    private static long seconds(final long seconds)
    {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
