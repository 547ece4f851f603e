package io.paycore.service.serve;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.TransportContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore serve}'s start-up against its contract (README, Using the service and Limits).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeCommandReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /**
     * The README's Limits table names a system property beside each option, and says in so many words that
     * {@code serve} takes {@code paycore.snapshots.off.blp} and {@code paycore.snapshot.write.rate}; but serve's
     * options have fixed defaults ({@code "snapshotter"}, {@code "32m"}, {@code 1048576}) that are always handed to
     * {@link ServiceContext}, so the properties are silently ignored: {@code PAYCORE_JAVA_OPTS=
     * -Dpaycore.snapshots.off.blp=false bin/paycore serve ...} still keeps the snapshotter's second copy of the
     * ledger (seen: its heap refusal says "2 copies of a ledger"), and {@code -Dpaycore.ledger.max.accounts=1000}
     * still runs with 1,048,576 accounts. An operator who sized the heap for one copy, or set a limit the documented
     * way, gets another service than asked, with nothing said. {@code --print-config} prints the effective options.
     */
    @Test
    void shouldTakeTheDocumentedSystemPropertiesAsItsDefaults()
    {
        final String[][] properties = {
            { ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME, "false", "snapshot-thread=blp" },
            { SnapshotTaker.WRITE_RATE_PROP_NAME, "64m", "snapshot-rate=64m" },
            { LedgerLimits.MAX_ACCOUNTS_PROP_NAME, "2048", "max-accounts=2048" },
            { ServiceContext.COLD_TIER_SIZE_PROP_NAME, "1073741824", "cold-tier-size=1073741824" },
            { JournalContext.SEGMENT_LENGTH_PROP_NAME, "1048576", "segment-length=1048576" },
            { TransportContext.MAX_CLIENTS_PROP_NAME, "7", "max-clients=7" },
            { PaycoreMarkFile.ERROR_LOG_LENGTH_PROP_NAME, "8192", "error-log-length=8192" },
            { PipelineContext.LAYOUT_PROP_NAME, "split", "layout=split" },
            { TransportContext.TICK_INTERVAL_PROP_NAME, "250ms", "tick-interval=250ms" },
        };
        for (final String[] property : properties)
        {
            console.reset();
            final String before = System.getProperty(property[0]);
            System.setProperty(property[0], property[1]);
            try
            {
                assertEquals(0, PaycoreMain.execute("serve", "--data", temp.toString(), "--print-config"),
                    console.err());
            }
            finally
            {
                if (null == before)
                {
                    System.clearProperty(property[0]);
                }
                else
                {
                    System.setProperty(property[0], before);
                }
            }
            assertTrue(console.out().contains(property[2] + System.lineSeparator()),
                "-D" + property[0] + "=" + property[1] + " ignored: " + console.out());
        }
    }

    /**
     * A limit out of its range was named only by its system property ({@code paycore.ledger.max.accounts must be in
     * [1, 134217728] but was 0}), though the operator gave {@code --max-accounts 0}.
     */
    @Test
    void shouldNameTheOptionOfALimitOutOfRange()
    {
        console.reset();
        assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), "--max-accounts", "0"));
        assertTrue(console.err().contains("--max-accounts (" + LedgerLimits.MAX_ACCOUNTS_PROP_NAME + ") must be in "),
            console.err());
    }

    /**
     * Two options were taken and then not kept: {@code --tick-interval} had no upper bound, so a typo such as
     * {@code 100s} for {@code 100ms} or an hour-long value left pending transfers of an idle service unexpired for
     * as long; and {@code --cpus loadgen=1}, the benchmark's role, was accepted and ignored. Both are usage errors.
     */
    @Test
    void shouldRefuseATickIntervalOverAnHourAndTheBenchmarksCpuRole()
    {
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", temp.resolve("clients").toString(),
            "--client-id", "1", "--secret", "a-secret-of-16-chars"));
        console.reset();
        assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), "--tick-interval", "3601s"));
        assertTrue(console.err().contains("--tick-interval"), console.err());
        assertTrue(console.err().contains("at most 3600s"), console.err());
        assertFalse(Files.exists(temp.resolve("journal")), "nothing is made for a start that is refused");

        console.reset();
        assertEquals(2, PaycoreMain.execute("serve", "--data", temp.toString(), "--cpus", "loadgen=1"));
        assertTrue(console.err().contains("no loadgen thread"), console.err());
    }

    /**
     * A {@code DIR/journal} that cannot be opened as a directory (here a regular file there; the same for a
     * journal directory the service may not write) is refused with exit status 3 and "refusing to start: the
     * journal is damaged (not a torn tail), and starting would lose or invent history" — but nothing is damaged,
     * and status 3 is the one the README tells an operator means damage (restore, or {@code journal archive}).
     * It is a directory that cannot be used: status 4, as for a data directory that cannot be made.
     */
    @Test
    void shouldNotCallAJournalDirectoryItCannotOpenDamaged() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        ServeCommandTest.writeClients(data);
        Files.writeString(data.journalDirectory(), "not a directory");

        final int status = PaycoreMain.execute("serve", "--data", data.root().toString(), "--channel", "aeron:ipc",
            "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096");

        final String message = console.err();
        assertEquals(ServeCommand.EXIT_START_FAILED, status, message);
        assertFalse(message.contains("damaged"), message);
        assertTrue(message.contains(data.journalDirectory().toString()), message);
        assertFalse(console.out().contains(PaycoreService.READY_PREFIX));
    }
}
