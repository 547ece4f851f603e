package io.paycore.service.follow;

import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.Recovery;
import io.paycore.replay.replication.Epochs;
import io.paycore.replay.replication.ReplicationContext;
import io.paycore.replay.replication.ReplicationMode;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServeCommand;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code follow} and {@code promote} command lines.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FollowCommandTest
{
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PaycoreService primary;
    private PaycoreProcess child;

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(child, primary);
    }

    @Test
    void shouldRequireThePrimarysChannel()
    {
        assertEquals(2, PaycoreMain.execute("follow", "--data", temp.resolve("standby").toString()));
    }

    @Test
    void shouldPromoteAStoppedStandbyByJournalingTheNextEpoch() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("standby"));
        final long written = ReplicationTest.writeJournal(data, 50, 4);

        assertEquals(0, PaycoreMain.execute("promote", "--data", data.root().toString()));
        assertEquals(1, Epochs.currentEpoch(data.journalDirectory(), written + 1));
        assertEquals(0, PaycoreMain.execute("promote", "--data", data.root().toString()));
        assertEquals(2, Epochs.currentEpoch(data.journalDirectory(), written + 2));

        primary = PaycoreService.launch(context(data).replication(new ReplicationContext()
            .recordsChannel("aeron:udp?endpoint=localhost:" + ReplicationTest.freePort())
            .controlChannel("aeron:udp?endpoint=localhost:" + ReplicationTest.freePort())
            .mode(ReplicationMode.ASYNC)));
        assertEquals(written + 2, primary.recoveryReport().lastSequence());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(" role primary epoch 2 replication async"),
            out.toString(StandardCharsets.UTF_8));
        assertEquals(2, primary.replicator().epoch());
        primary.close();
        try (Recovery offline = Recovery.open(data, ReplicationTest.limits(), new JournalContext(), false))
        {
            assertEquals(primary.finalDigest(), offline.ledger().digestHex());
        }
    }

    @Test
    void shouldRefuseToPromoteADirectoryWithoutAJournal()
    {
        assertEquals(PromoteCommand.EXIT_USAGE,
            PaycoreMain.execute("promote", "--data", temp.resolve("nothing").toString()));
    }

    @Test
    void shouldExitWithStatus5WhenTheStandbysJournalDiverges() throws Exception
    {
        final int recordsPort = ReplicationTest.freePort();
        final int controlPort = ReplicationTest.freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));
        ReplicationTest.writeJournal(primaryData, 120, 8);
        ReplicationTest.writeJournal(standbyData, 100, 9);
        Files.writeString(standbyData.root().resolve(ServeCommand.CLIENTS_FILE_NAME),
            ClientCredentials.line(ReplicationTest.CLIENT_ID, ReplicationTest.SECRET, 1) + System.lineSeparator());

        primary = PaycoreService.launch(context(primaryData).replication(new ReplicationContext()
            .recordsChannel("aeron:udp?endpoint=localhost:" + recordsPort)
            .controlChannel("aeron:udp?endpoint=localhost:" + controlPort)
            .mode(ReplicationMode.ASYNC)));
        child = PaycoreProcess.start(temp.resolve("standby.out"), List.of("follow",
            "--primary", "aeron:udp?endpoint=localhost:" + controlPort,
            "--listen", "aeron:udp?endpoint=localhost:" + recordsPort,
            "--data", standbyData.root().toString(),
            "--channel", "aeron:ipc",
            "--max-accounts", "1024", "--max-transfers", "" + (1 << 20), "--max-pending", "" + (1 << 16),
            "--max-batch", "64"));
        child.awaitReady(60_000);
        final int status = child.awaitExit(30_000);
        final String output = child.output();
        assertEquals(ServeCommand.EXIT_DIVERGED, status, output);
        assertTrue(output.contains("following stopped: this standby's journal diverged from the primary's at " +
            "sequence 100"), output);
        assertTrue(output.contains("stopped: last-sequence 100,"), output);
    }

    private ServiceContext context(final DataDirectory data)
    {
        return new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(ReplicationTest.limits())
            .journalContext(new JournalContext().flushLevel(FlushLevel.BATCH).segmentLength(4 * 1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .credentials(ClientCredentials.parse(
                    List.of(ClientCredentials.line(ReplicationTest.CLIENT_ID, ReplicationTest.SECRET, 1)), "test")))
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
