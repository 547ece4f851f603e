package io.paycore.perf.harness;

import io.aeron.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorTest
{
    @Test
    @Timeout(30)
    void shouldSendEveryScheduledMessageAndRecordEveryAnswer() throws Exception
    {
        final EchoingTarget target = new EchoingTarget(0, false);
        final PhaseResult result = new LoadGenerator(target, null).run(
            2_000, 1, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(5),
            null);

        assertNull(result.failure());
        assertEquals(2_000, result.measuredSent());
        assertEquals(2_000, result.measuredAnswered());
        assertEquals(2_000, result.histogram().getTotalCount());
        assertEquals(0, result.lost());
        assertEquals(2_400, target.offered, "warm-up and measurement, nothing after the window");
    }

    @Test
    @Timeout(30)
    void shouldKeepOfferingThroughBackPressureAndCountIt() throws Exception
    {
        final EchoingTarget target = new EchoingTarget(500, false);
        final PhaseResult result = new LoadGenerator(target, null).run(
            1_000, 1, 0, TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(5), null);

        assertEquals(1_000, result.measuredSent());
        assertEquals(0, result.lost());
        assertEquals(500, result.backPressured());
        assertEquals(0, result.warmupBackPressured());
    }

    @Test
    @Timeout(30)
    void shouldCountTheWarmUpsBackPressureApart() throws Exception
    {
        final EchoingTarget target = new EchoingTarget(500, false);
        final PhaseResult result = new LoadGenerator(target, null).run(
            1_000, 1, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.MILLISECONDS.toNanos(500),
            TimeUnit.SECONDS.toNanos(5), null);

        assertEquals(500, result.measuredSent());
        assertEquals(0, result.lost());
        assertEquals(0, result.backPressured(), "the first message, refused 500 times, is the warm-up's");
        assertEquals(500, result.warmupBackPressured());
        assertTrue(result.warmupMaxSendLagNanos() >= 0);
    }

    @Test
    @Timeout(30)
    void shouldReportMessagesNeverAnsweredAsLost() throws Exception
    {
        final EchoingTarget target = new EchoingTarget(0, true);
        final PhaseResult result = new LoadGenerator(target, null).run(
            1_000, 1, 0, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(200), null);

        assertEquals(500, result.measuredSent());
        assertEquals(250, result.lost(), "every other message is dropped");
        assertFalse(result.isRateMet());
    }

    @Test
    @Timeout(30)
    void shouldStopWhenTheTargetGoesAway() throws Exception
    {
        final EchoingTarget target = new EchoingTarget(0, false);
        target.closeAfter = 10;
        final PhaseResult result = new LoadGenerator(target, null).run(
            1_000, 1, 0, TimeUnit.SECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(200), null);

        assertTrue(result.failure().contains("went away"), result.failure());
        assertFalse(result.isRateMet());
    }

    /**
     * Answers every message on the next poll; optionally refuses the first offers, drops every other answer, or
     * goes away after some messages.
     */
    static final class EchoingTarget implements LoadTarget
    {
        private final long[] pending = new long[1 << 16];
        private final boolean dropEveryOther;
        private int backPressureLeft;
        private int head;
        private int tail;
        private long nextCorrelationId = 1;
        long offered;
        long closeAfter = Long.MAX_VALUE;

        EchoingTarget(final int backPressureFirst, final boolean dropEveryOther)
        {
            this.backPressureLeft = backPressureFirst;
            this.dropEveryOther = dropEveryOther;
        }

        public long offer()
        {
            if (offered >= closeAfter)
            {
                return Publication.CLOSED;
            }
            if (backPressureLeft > 0)
            {
                backPressureLeft--;
                return Publication.BACK_PRESSURED;
            }
            final long correlationId = nextCorrelationId++;
            offered++;
            if (!dropEveryOther || (correlationId & 1) == 0)
            {
                pending[tail++ & (pending.length - 1)] = correlationId;
            }
            return correlationId;
        }

        public int poll(final LatencyRecorder recorder)
        {
            int count = 0;
            while (head != tail)
            {
                recorder.onAnswer(pending[head++ & (pending.length - 1)], System.nanoTime(), 0);
                count++;
            }
            return count;
        }

        public int messageLengthBytes()
        {
            return 80;
        }

        public String name()
        {
            return "fake";
        }

        public void close()
        {
        }
    }
}
