package io.paycore.service.cluster;

import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore node} refuses more events per message than the protocol carries as a usage error, before it
 * touches its data directory (it had failed with a stack trace from the codec).
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
}
