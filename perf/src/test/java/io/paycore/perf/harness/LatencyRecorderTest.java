package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest
{
    private static final long INTERVAL_NANOS = 10_000;

    @Test
    void shouldChargeAStallToEveryMessageMeantToBeSentDuringIt()
    {
        // 100k msg/s; the system answers each message 5 µs after it is due, except that it stalls for 10 ms
        // from t = 1 s: the 1,000 messages meant for the stall are sent late and answered when it ends.
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 100_000);
        final LatencyRecorder recorder = new LatencyRecorder(4096);
        recorder.measureFromNanos(0);
        final long stallStartNanos = 1_000_000_000L;
        final long stallEndNanos = stallStartNanos + 10_000_000L;
        long correlationId = 1;
        for (long index = 0; index < 200_000; index++)
        {
            final long intended = schedule.intendedSendNanos(index);
            final boolean inStall = intended >= stallStartNanos && intended < stallEndNanos;
            final long sent = inStall ? stallEndNanos : intended;
            recorder.onSent(correlationId, intended, sent);
            recorder.onAnswer(correlationId, sent + 5_000, 0);
            correlationId++;
        }

        final Histogram histogram = recorder.histogram();
        assertEquals(200_000, histogram.getTotalCount());
        assertEquals(200_000, recorder.measuredAnswered());
        // the first message of the stall waited the whole 10 ms, the last one 10 µs; 1,000 of 200,000 (0.5 %)
        // waited longer than the normal 5 µs, so p99 is still 5 µs but p99.9 is in the stall and the max is ~10 ms
        assertEquals(10_005_000, histogram.getMaxValue(), 10_005_000 / 500.0);
        assertEquals(5_000, histogram.getValueAtPercentile(99), 5);
        final long p999 = histogram.getValueAtPercentile(99.9);
        assertTrue(p999 > 7_000_000 && p999 < 9_000_000, "p99.9 inside the stall's ramp: " + p999);
        // a closed-loop (send time) measurement would have recorded 5 µs for all of them
        assertEquals(1_000, histogram.getCountBetweenValues(15_000, Long.MAX_VALUE / 2), 2);
    }

    @Test
    void shouldNotRecordWarmUpMessagesButStillMatchTheirAnswers()
    {
        final LatencyRecorder recorder = new LatencyRecorder(16);
        recorder.measureFromNanos(1_000);
        recorder.onSent(1, 500, 500);
        recorder.onSent(2, 1_000, 1_000);
        assertEquals(-1, recorder.onAnswer(1, 900, 0));
        assertEquals(300, recorder.onAnswer(2, 1_300, 0));

        assertEquals(1, recorder.histogram().getTotalCount());
        assertEquals(1, recorder.measuredSent());
        assertEquals(1, recorder.measuredAnswered());
        assertEquals(0, recorder.inFlight());
    }

    @Test
    void shouldCountAnswersThatMatchNothingAndRejections()
    {
        final LatencyRecorder recorder = new LatencyRecorder(16);
        recorder.measureFromNanos(0);
        recorder.onSent(1, 0, 0);
        recorder.onSent(2, 10, 10);
        recorder.onAnswer(1, 100, 1);
        recorder.onAnswer(1, 100, 0);
        recorder.onAnswer(99, 100, 0);
        recorder.onRejected(2, 200);

        assertEquals(2, recorder.unexpected());
        assertEquals(1, recorder.rejected());
        assertEquals(1, recorder.failedEvents());
        assertEquals(2, recorder.measuredAnswered());
    }

    @Test
    void shouldRefuseMoreInFlightThanItsCapacity()
    {
        final LatencyRecorder recorder = new LatencyRecorder(4);
        for (long id = 1; id <= 4; id++)
        {
            assertTrue(recorder.hasCapacity());
            recorder.onSent(id, id, id);
        }
        assertEquals(false, recorder.hasCapacity());
        assertThrows(IllegalStateException.class, () -> recorder.onSent(5, 5, 5));
    }

    /**
     * One message that is never answered must not, {@link #capacity} messages later, abort the run as "more than
     * N messages in flight" while one is.
     * <p>
     * The recorder keeps a message's intended time in slot {@code correlationId % capacity} until its answer comes.
     * A lost message (a cluster failover, a dropped answer) keeps its slot forever, so when the correlation ids come
     * round to it again {@code onSent} throws although {@link LatencyRecorder#hasCapacity()} said there was room:
     * the load generator stops sending and the phase is reported as failed with "more than 1048576 messages in
     * flight", after 2<sup>20</sup> messages (10.5 s at 100,000 msg/s; the default {@code bench latency} sends 2.5
     * million). The message should be given up as lost (it has waited while {@code capacity} later messages were
     * sent) and the run go on.
     */
    @Test
    void shouldGiveUpAMessageNeverAnsweredRatherThanFailWhenItsSlotComesRound()
    {
        final LatencyRecorder recorder = new LatencyRecorder(4);
        recorder.measureFromNanos(0);
        recorder.onSent(1, 0, 0);
        for (long id = 2; id <= 4; id++)
        {
            recorder.onSent(id, id, id);
            recorder.onAnswer(id, id + 100, 0);
        }
        assertEquals(1, recorder.inFlight());
        assertTrue(recorder.hasCapacity(), "one message in flight of 4");

        for (long id = 5; id <= 12; id++)
        {
            recorder.onSent(id, id, id);
            recorder.onAnswer(id, id + 100, 0);
        }

        assertEquals(11, recorder.measuredAnswered());
        assertEquals(12, recorder.measuredSent());
        assertEquals(0, recorder.inFlight(), "message 1 is given up, nothing else in flight");
        assertEquals(-1, recorder.onAnswer(1, 1_000_000, 0), "its answer, if it ever comes, matches nothing");
    }
}
