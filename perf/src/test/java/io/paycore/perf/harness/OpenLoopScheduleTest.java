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
}
