package io.paycore.service.demo;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore demo}'s options at their edges: every value the demo cannot run with is a usage error (exit status
 * 2, one line naming the option), never a stack trace with picocli's exit status 1.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoCommandReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /**
     * {@code --accounts} and {@code --hot-transfers} above the ledger's bound ({@link LedgerLimits#MAX_RECORDS_BOUND},
     * 2^27) and a {@code --cluster-base-port} whose ports do not exist passed the demo's own checks and reached
     * {@code LedgerLimits.validate()} / {@code ClusterMembers.parse}, whose {@link IllegalArgumentException} left
     * {@code call()}: picocli printed a stack trace and exited 1, the status the demo documents for "the digests
     * differ". An operator (or a script reading the status) could not tell a typo from a broken recovery.
     */
    @ParameterizedTest
    @CsvSource({
        "--accounts, 200000000, --accounts",
        "--hot-transfers, 200000000, --hot-transfers",
        "--cluster-base-port, 70000, --cluster-base-port",
        "--cluster-base-port, 0, --cluster-base-port",
    })
    void shouldRefuseAValueTooLargeForTheLedgerOrThePortsAsAUsageError(
        final String option, final String value, final String named)
    {
        final String[] args = "--cluster-base-port".equals(option) ?
            new String[]{ "demo", "--cluster", "--transfers", "10", option, value } :
            new String[]{ "demo", "--transfers", "1000", option, value };

        final int status = PaycoreMain.execute(args);

        final String err = console.err();
        assertEquals(2, status, err);
        assertTrue(err.startsWith("paycore demo: "), err);
        assertTrue(err.contains(named), err);
        assertFalse(err.contains("\tat "), "a stack trace: " + err);
        assertEquals(1, err.lines().count(), err);
    }

    /**
     * {@code --hot-transfers N} keeps the service's ledger small, and the demo's own heap check looks only at that
     * ledger; but the recovery after the run replays the journal into a ledger with no cold tier and room for every
     * transfer ({@code limitsFor(accounts, transfers, batch)}), which the check never sizes. So a run the demo
     * accepts, even one its own refusal advises ("keep only the newest transfers in memory with --hot-transfers N
     * ... 1000000 is plenty"), sends every transfer and then dies in recovery with an
     * {@link IllegalArgumentException} stack trace, exit status 1 (the status of "the digests differ"), and no
     * digest lines: seen with {@code bin/paycore demo --transfers 20000000 --hot-transfers 100000} (4 GB heap: 32 s,
     * then "a ledger of 10,000 accounts, 20,000,100 transfers in memory ... takes about 3,348 MiB of heap, more than
     * this JVM's old generation of 2,732 MiB"). Here the same in a child JVM of 512 MiB (serial collector): 2,000,000
     * transfers with a hot window of 1,000. Fixed, it either recovers within the hot window (exit 0) or refuses the
     * run before sending anything (exit 2, one line).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldNotSendEveryTransferAndThenFailToRecoverThemWithAStackTrace() throws Exception
    {
        try (PaycoreProcess demo = PaycoreProcess.start(temp.resolve("demo.out"), List.of("demo", "--accounts",
            "200", "--transfers", "2000000", "--batch", "100", "--hot-transfers", "1000")))
        {
            final int status = demo.awaitExit(110_000);
            final String output = demo.output();
            assertFalse(output.contains("\tat "), "a stack trace: " + output);
            assertTrue(0 == status || 2 == status, "exit status " + status + ": " + output);
            if (0 == status)
            {
                assertTrue(output.contains("recovered digest: "), output);
            }
        }
    }
}
