package io.paycore.service.cli;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThrottledLogTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> lines = new ArrayList<>();

    @Test
    void shouldPassAtMostTheLinesOfASecondAndSayHowManyWereLeftOut()
    {
        final ThrottledLog log = new ThrottledLog(lines::add, 3, clock);

        for (int i = 0; i < 10; i++)
        {
            log.accept("refused " + i);
        }
        assertEquals(List.of("refused 0", "refused 1", "refused 2"), lines);
        assertEquals(7, log.leftOut());

        clock.advance(TimeUnit.MILLISECONDS.toNanos(999));
        log.accept("refused 10");
        assertEquals(3, lines.size(), "the same second");

        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
        log.accept("subscriber 5 went away");
        assertEquals(List.of("refused 0", "refused 1", "refused 2", "8 log line(s) left out: more than 3 a second",
            "subscriber 5 went away"), lines);
        assertEquals(0, log.leftOut());

        clock.advance(TimeUnit.SECONDS.toNanos(5));
        log.accept("quiet again");
        assertEquals("quiet again", lines.get(lines.size() - 1), "nothing left out, nothing to say");
        assertEquals(6, lines.size());
    }

    @Test
    void shouldRefuseNoLinesASecond()
    {
        assertThrows(IllegalArgumentException.class, () -> new ThrottledLog(lines::add, 0, clock));
    }
}
