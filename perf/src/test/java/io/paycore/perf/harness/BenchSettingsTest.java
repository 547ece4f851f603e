package io.paycore.perf.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSettingsTest
{
    /**
     * With {@code --connect} the bench measures a service it did not start, whose flush level and profile it does
     * not know; before 2026-12-07 its report said "flush none, profile shared" whatever that service ran with.
     */
    @Test
    void shouldNotClaimAFlushLevelForAServiceItDidNotStart()
    {
        final String own = new BenchSettings().describe();
        assertTrue(own.contains("flush none, profile "), own);

        final String connected = new BenchSettings().connect(true).describe();
        assertFalse(connected.contains("flush none"), connected);
        assertTrue(connected.contains("flush and profile the connected service's"), connected);
    }
}
