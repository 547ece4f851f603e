package io.paycore.perf.bench;

import io.paycore.core.ledger.LedgerLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A setting the service refuses reaches the bench user as one line naming the command and the reason, exit status 2,
 * not as a stack trace.
 */
class BenchMainTest
{
    @Test
    void shouldReportARefusedSettingAsAUsageErrorWithoutATrace()
    {
        assumeTrue(new LedgerLimits().maxTransfers(LedgerLimits.MAX_RECORDS_BOUND).heapBytesEstimate(true) >
            Runtime.getRuntime().maxMemory(), "a heap smaller than a ledger of the most transfers");
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream saved = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int status;
        try
        {
            status = BenchMain.execute("latency", "--hot-transfers", Integer.toString(LedgerLimits.MAX_RECORDS_BOUND),
                "--duration", "1", "--warmup", "0");
        }
        finally
        {
            System.setErr(saved);
        }

        final String err = captured.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, err);
        assertTrue(err.startsWith("paycore bench latency: a ledger of 10,000 accounts, 134,217,728 transfers in " +
            "memory (with a cold tier) and 1,024 pending transfers takes about "), err);
        assertFalse(err.contains("\tat "), err);
    }
}
