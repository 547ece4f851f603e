package io.paycore.perf.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenLoopScheduleTest
{
    @Test
    void shouldSpaceMessagesEvenlyFromTheStart()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 100_000);

        assertEquals(1_000, schedule.intendedSendNanos(0));
        assertEquals(11_000, schedule.intendedSendNanos(1));
        assertEquals(1_000 + 1_000_000_000L, schedule.intendedSendNanos(100_000));
    }

    @Test
    void shouldNotDriftOverALongRunAtARateThatDoesNotDivideASecond()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 3);

        assertEquals(333_333_333L, schedule.intendedSendNanos(1));
        assertEquals(666_666_666L, schedule.intendedSendNanos(2));
        assertEquals(3_600_000_000_000L, schedule.intendedSendNanos(3 * 3_600));
    }

    @Test
    void shouldCountAsDueExactlyTheMessagesIntendedAtOrBeforeATime()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(500, 7_919);
        assertEquals(0, schedule.dueCount(499));
        for (long index = 0; index < 50_000; index += 37)
        {
            final long intended = schedule.intendedSendNanos(index);
            assertEquals(index + 1, schedule.dueCount(intended), "due at its own time: " + index);
            assertEquals(index, schedule.dueCount(intended - 1), "not due just before: " + index);
        }
    }

    @Test
    void shouldRefuseARateOutsideItsRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 2_000_000_000L));
    }

    /**
     * The schedule must hold for every run {@code BenchSettings.validate()} accepts.
     * <p>
     * {@code intendedSendNanos} computes {@code index * 1e9} in a long, which overflows from index 9.2e9 on. The
     * settings accept up to 10,000,000 msg/s for up to 3,600 s of warm-up plus 3,600 s measured (7.2e10 messages), so
     * a long fast run (an echo baseline at 2.6M msg/s for an hour) reaches it: the intended times jump back by
     * 2<sup>64</sup> ns, every later message is "due" and its latency, measured from that time, is garbage.
     */
    @Test
    void shouldNotOverflowForAnyIndexTheSettingsAllow()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 10_000_000);
        final long index = 7_200L * 10_000_000L;

        assertEquals(1_000 + 7_200_000_000_000L, schedule.intendedSendNanos(index));
        assertEquals(1_000 + 7_200_000_000_000L + 100, schedule.intendedSendNanos(index + 1));
        final OpenLoopSchedule odd = new OpenLoopSchedule(0, 9_999_991);
        assertEquals(999_999_899L, odd.intendedSendNanos(9_999_990));
        assertEquals(3_600_000_000_000L, odd.intendedSendNanos(3_600L * 9_999_991L));
    }
}
