package io.paycore.service.cluster;

import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's own checks as it starts, without a cluster: those that refuse before the service touches it.
 */
class PaycoreClusteredServiceTest
{
    private static final LedgerLimits LIMITS = new LedgerLimits()
        .maxAccounts(4).maxTransfers(4).maxPendingTransfers(4).maxBatchEvents(8);

    @TempDir
    Path data;

    @Test
    void shouldRefuseToStartOnAJournalAVersion1PaycoreWrote()
    {
        final Path journalDirectory = data.resolve("journal");
        writeJournal(journalDirectory, 1);
        final PaycoreClusteredService service = new PaycoreClusteredService(
            0, LIMITS, journalContext(journalDirectory), 0, data.resolve("cold"), 0);

        // Refused before it reads a snapshot or touches the cluster: neither is given.
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> service.onStart(null, null));
        assertRefusesVersion1AtRecord2(ex);
        // The journal was closed: another start (or paycore audit) may open it.
        assertDoesNotThrow(() -> Journal.open(journalContext(journalDirectory)).close());
    }

    @Test
    void shouldHaveTheNodeCommandRefuseAVersion1JournalWithAStatusOfItsOwn() throws Exception
    {
        writeJournal(data.resolve("journal"), 1);
        final Path clients = data.resolve("clients");
        Files.writeString(clients, ClientCredentials.line(1, "node-version-test-secret", 1_000) + "\n");
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);

        // Refused before anything of the cluster starts: no port is bound.
        final CapturedRun run = CapturedRun.of("node", "--id", "0", "--members",
            "localhost:20750,localhost:20760,localhost:20770", "--data", data.toString(), "--clients",
            clients.toString(), "--flush", "none", "--cold-tier-size", "0");
        final String text = run.text();
        assertEquals(NodeCommand.EXIT_CANNOT_START, run.status(), text);
        assertTrue(text.contains("paycore node 0: cannot start: journal record 2 holds a message of protocol " +
            "version 1: "), text);
        assertFalse(Files.exists(data.resolve("cluster")), "nothing of the cluster was started");
    }

    @Test
    void shouldFindTheFirstMessageRecordPastTicks()
    {
        final Path journalDirectory = data.resolve("journal");
        writeJournal(journalDirectory, 1);

        assertRefusesVersion1AtRecord2(assertThrows(IllegalStateException.class,
            () -> PaycoreClusteredService.checkJournalProtocolVersion(journalDirectory)));
    }

    @Test
    void shouldPassAJournalOfThisVersionAnEmptyOneAndNone()
    {
        final Path current = data.resolve("current");
        writeJournal(current, MessageHeaderEncoder.SCHEMA_VERSION);
        PaycoreClusteredService.checkJournalProtocolVersion(current);

        final Path empty = data.resolve("empty");
        Journal.open(journalContext(empty)).close();
        PaycoreClusteredService.checkJournalProtocolVersion(empty);

        PaycoreClusteredService.checkJournalProtocolVersion(data.resolve("none"));
    }

    private static void assertRefusesVersion1AtRecord2(final IllegalStateException ex)
    {
        final String message = ex.getMessage();
        assertTrue(message.startsWith("journal record 2 holds a message of protocol version 1: "), message);
        assertTrue(message.contains("read it with the release that wrote it, and start this one on a new data " +
            "directory"), message);
    }

    private static JournalContext journalContext(final Path directory)
    {
        return new JournalContext().directory(directory).segmentLength(JournalContext.SEGMENT_LENGTH_MIN)
            .flushLevel(FlushLevel.NONE).preallocate(false);
    }

    /** A tick, then a message with {@code version} in its header (as an older paycore journaled it), then a tick. */
    private static void writeJournal(final Path directory, final int version)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
        final int length = new RequestEncoder().createTransfers(message, 0, 99,
            new TransferEventArray(1).add(1, 1, 2, 5, 0, 0, 1, 0, 1, 0));
        message.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)version, MessageHeaderEncoder.BYTE_ORDER);
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        try (Journal journal = Journal.open(journalContext(directory)))
        {
            journal.append(RecordTypes.TICK, 1, empty, 0, 0);
            assertEquals(2, journal.append(RecordTypes.MESSAGE, 2, message, 0, length));
            journal.append(RecordTypes.TICK, 3, empty, 0, 0);
        }
    }
}
