package io.paycore.service.cluster;

import io.paycore.journal.JournalContext;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore node} refuses options out of range as usage errors, before it touches its data directory: more
 * events per message than the protocol carries (it had failed with a stack trace from the codec), a journal segment
 * too short for the largest message, and snapshot options.
 */
class NodeCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldRefuseMoreEventsPerMessageThanTheProtocolCarries()
    {
        final Path data = temp.resolve("node");

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
            data.toString(), "--max-batch", "1025"));

        assertTrue(console.err().startsWith("events per message (paycore.ledger.max.batch.events, --max-batch) " +
            "must be in 1..1024, the protocol's most: 1025"), console.err());
        assertFalse(Files.exists(data));
    }

    @Test
    void shouldRefuseASegmentLengthTooShortForTheLargestMessage()
    {
        final Path data = temp.resolve("node");

        System.setProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME, "64k");
        try
        {
            assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
                data.toString()));
        }
        finally
        {
            System.clearProperty(JournalContext.SEGMENT_LENGTH_PROP_NAME);
        }

        assertTrue(console.err().startsWith("a journal segment of 65,536 bytes (paycore.journal.segment.length) " +
            "cannot hold the largest message of 1,024 events (--max-batch): 131,092 bytes; use " +
            "-Dpaycore.journal.segment.length=132k or more, or a smaller --max-batch"), console.err());
        assertFalse(Files.exists(data));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--snapshot-thread|blp|--snapshot-thread must be snapshotter or service: blp",
        "--snapshot-rate|-1|Invalid value for option '--snapshot-rate': '-1' is not a size in bytes" })
    void shouldRefuseASnapshotOptionOutOfRange(final String option, final String value, final String error)
    {
        final Path data = temp.resolve("node");

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
            data.toString(), option, value));

        assertTrue(console.err().startsWith(error), console.err());
        assertFalse(Files.exists(data));
    }
}
