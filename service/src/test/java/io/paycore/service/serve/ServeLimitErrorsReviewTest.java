package io.paycore.service.serve;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bound of {@code serve} out of range names the option to change (README, Limits: "each with a name, a default
 * and a clear error").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeLimitErrorsReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /**
     * These options were refused with exit status 2, but the error named only a system property, most of which
     * {@code serve} does not read (its options have fixed defaults): {@code --input-ring-size 1000} said
     * {@code input ring size (paycore.pipeline.input.ring.size) must be a power of two in 2..65536: 1000}, and
     * {@code --segment-length 1k} said {@code paycore.journal.segment.length=1024 out of bounds}.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--input-ring-size|1000",
        "--output-ring-size|3",
        "--max-stage-batch|0",
        "--max-stage-batch|99999999",
        "--snapshot-every|-1",
        "--egress-backlog|1k",
        "--egress-timeout|0s",
        "--egress-timeout|5",
        "--stream|0",
        "--channel|aeron:udp",
        "--channel|aeron:udp?endpoint=localhost:99999",
        "--max-clients|0",
        "--segment-length|1k" })
    void shouldNameTheOptionOutOfRange(final String option, final String value)
    {
        TestClients.addClient(temp);
        console.reset();

        assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), option, value), console.err());

        assertTrue(console.err().contains(option), console.err());
        assertFalse(Files.exists(temp.resolve("journal")), "nothing is made for a start that is refused");
    }

    /**
     * The cold tier's prefetch pool ({@code paycore.cold.prefetch.entries}) must hold two ids per event of a
     * message; one smaller was refused only after the data directory had been made and recovered, with exit status
     * 4 and {@code the cold tier's prefetch pool holds 100 ids, fewer than one record may name (twice
     * paycore.ledger.max.batch.events = 2048)}: not the property to raise. A negative one said {@code prefetchEntries
     * must be at least 1 but was -1}.
     */
    @Test
    void shouldRefuseAPrefetchPoolTooSmallForAMessageNamingItsProperty()
    {
        TestClients.addClient(temp);
        for (final String entries : new String[]{ "100", "-1" })
        {
            console.reset();
            System.setProperty(ServiceContext.COLD_PREFETCH_ENTRIES_PROP_NAME, entries);
            try
            {
                assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), "--max-accounts", "1000",
                    "--hot-transfers", "1000", "--max-pending", "1000"), console.err());
            }
            finally
            {
                System.clearProperty(ServiceContext.COLD_PREFETCH_ENTRIES_PROP_NAME);
            }
            assertTrue(console.err().contains(ServiceContext.COLD_PREFETCH_ENTRIES_PROP_NAME + ")"), console.err());
            assertTrue(console.err().contains("at least 2048"), console.err());
            assertFalse(Files.exists(temp.resolve("journal")), "nothing is made for a start that is refused");
        }
    }
}
