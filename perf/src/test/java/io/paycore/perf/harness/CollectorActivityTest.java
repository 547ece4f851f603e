package io.paycore.perf.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectorActivityTest
{
    @Test
    void shouldNameTheCollectorsThatRanWithTheirCountsAndTimes()
    {
        final CollectorActivity before = CollectorActivity.now();

        System.gc();

        final String since = before.since();
        assertTrue(since.matches("[^,]+ [1-9][0-9,]* \\([0-9,]+ ms\\)(, [^,]+ [1-9][0-9,]* \\([0-9,]+ ms\\))*"), since);
    }
}
