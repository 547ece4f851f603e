package io.paycore.service.query;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query and feed servers name the option of a bound out of range (README, Limits).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayServerLimitErrorsReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /**
     * Refused with exit status 2, but in words naming no option: {@code the most queries in flight and clients must
     * be at least 1: 0, 64}, {@code the wait timeout must be positive: 0}, {@code the most subscribers must be at
     * least 1: 0}, {@code the stall timeout must be positive: 0}.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "query-server|--max-in-flight|0",
        "query-server|--max-clients|0",
        "query-server|--wait-timeout|0s",
        "feed-server|--max-subscribers|0",
        "feed-server|--connect-timeout|0s",
        "feed-server|--stall-timeout|0s" })
    void shouldNameTheOptionOutOfRange(final String command, final String option, final String value)
    {
        assertEquals(2, PaycoreMain.execute(command, "--data", temp.resolve("data").toString(), "--state",
            temp.resolve("state").toString(), "--channel", "aeron:udp?endpoint=localhost:26470", "--max-accounts",
            "1000", "--hot-transfers", "1000", "--max-pending", "1000", option, value), console.err());

        assertTrue(console.err().contains(option), console.err());
    }
}
