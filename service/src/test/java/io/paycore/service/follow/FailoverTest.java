package io.paycore.service.follow;

import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.Recovery;
import io.paycore.replay.replication.Follower;
import io.paycore.replay.replication.ReplicationContext;
import io.paycore.replay.replication.ReplicationMode;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServeCommand;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import io.paycore.transport.client.Transfer;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes that die: the primary SIGKILLed mid-load in sync mode and its standby promoted; a standby SIGKILLed
 * mid-load and restarted. The node that must die runs in a child JVM; the other in this one, so the test can watch
 * its sequences.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FailoverTest
{
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PaycoreService node;
    private PaycoreService newStandby;
    private PaycoreProcess child;
    private PaycoreClient client;

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(client, child, newStandby, node);
    }

    @Test
    void shouldKeepEveryAnsweredResultWhenTheSyncPrimaryIsKilledAndTheStandbyPromotedThenShipToANewStandby()
        throws Exception
    {
        final int recordsPort = ReplicationTest.freePort();
        final int controlPort = ReplicationTest.freePort();
        final int onwardRecordsPort = ReplicationTest.freePort();
        final int onwardControlPort = ReplicationTest.freePort();
        final DataDirectory primaryData = dataDirectory("primary");
        final DataDirectory standbyData = dataDirectory("standby");

        node = PaycoreService.launch(context(standbyData)
            .standby(true)
            .replication(replication(recordsPort, controlPort))
            .onwardReplication(replication(onwardRecordsPort, onwardControlPort).mode(ReplicationMode.ASYNC)));
        child = PaycoreProcess.start(temp.resolve("primary.out"), List.of("serve",
            "--data", primaryData.root().toString(),
            "--channel", "aeron:ipc", "--stream", "1001",
            "--flush", "batch",
            "--segment-length", "4m",
            "--max-accounts", "1024", "--max-transfers", "" + (1 << 20), "--max-pending", "" + (1 << 16),
            "--max-batch", "64",
            "--snapshot-every", "2000",
            "--replicate-to", "aeron:udp?endpoint=localhost:" + recordsPort,
            "--replication-control", "aeron:udp?endpoint=localhost:" + controlPort,
            "--replication", "sync"));
        child.awaitReady(60_000);
        assertEquals("sync", child.ready("replication"));

        client = connect(child.ready("aeron-dir"), 6001);
        final MixedLoad load = new MixedLoad(17, CLIENT_TIMEOUT);
        load.createAccounts(client);
        final long killAfterMs = System.nanoTime() % 500;
        final AtomicInteger answered = new AtomicInteger();
        final AtomicBoolean loadStopped = new AtomicBoolean();
        final Thread killer = new Thread(() ->
        {
            try
            {
                while (answered.get() < 30 && !loadStopped.get())
                {
                    Thread.sleep(5);
                }
                Thread.sleep(killAfterMs);
                child.kill();
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        int batches = 0;
        try
        {
            while (true)
            {
                load.send(client, load.nextBatch(40));
                batches = answered.incrementAndGet();
            }
        }
        catch (final PaycoreClientException expected)
        {
            // the primary died
        }
        loadStopped.set(true);
        killer.join();
        CloseHelper.quietClose(client);
        client = null;
        assertTrue(batches >= 30, "too few batches answered before the kill: " + batches);
        System.out.println("primary killed " + killAfterMs + " ms after 30 batches, " + batches + " answered, " +
            "standby at sequence " + node.pipeline().processedSequence());

        assertEquals(0, PaycoreMain.execute("promote", "--data", standbyData.root().toString()));
        assertEquals(Follower.PROMOTED, node.follower().state(), out.toString(StandardCharsets.UTF_8));
        assertEquals(1, node.follower().epoch());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("promoted: epoch 1"), out.toString());

        client = connect(standbyData.aeronDirectory().toString(), 6002);
        final int verified = load.verifyCreatedOn(client);
        assertTrue(verified > 100, "too few created transfers to mean anything: " + verified);
        verifyFailedAreAbsent(load, client);

        final TransferEventArray after = new TransferEventArray(2)
            .add(load.nextTransferId() + 1000, 1, 2, 10, 0, 0, MixedLoad.LEDGER, 0, 1, 0)
            .add(load.nextTransferId() + 1001, 2, 3, 10, 0, 0, MixedLoad.LEDGER, 0, 1, 0);
        final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(after, CLIENT_TIMEOUT);
        assertTrue(results.all(CreateTransferResult.OK), "the new primary takes writes: " + results);

        final ByteArrayOutputStream newStandbyOut = new ByteArrayOutputStream();
        newStandby = PaycoreService.launch(context(dataDirectory("new-standby"))
            .standby(true)
            .replication(replication(onwardRecordsPort, onwardControlPort))
            .out(new PrintStream(newStandbyOut, true, StandardCharsets.UTF_8)));
        load.run(client, 20, 40);
        CloseHelper.quietClose(client);
        client = null;

        final long beforeClose = node.pipeline().processedSequence();
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (newStandby.pipeline().processedSequence() < beforeClose)
        {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "the new primary's standby is at " +
                newStandby.pipeline().processedSequence() + " of " + beforeClose + "; the new primary's " +
                "replicator: " + node.replicator().standbyStatus() + ":\n" +
                newStandbyOut.toString(StandardCharsets.UTF_8));
            Thread.sleep(10);
        }
        node.close();
        final long last = node.pipeline().processedSequence();
        while (newStandby.pipeline().processedSequence() < last)
        {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "the new primary's standby is at " +
                newStandby.pipeline().processedSequence() + " of " + last + "; the new primary's replicator: " +
                node.replicator().standbyStatus() + ", " + node.replicator().catchUpRecords() + " caught up:\n" +
                newStandbyOut.toString(StandardCharsets.UTF_8) + "\nnew primary:\n" +
                out.toString(StandardCharsets.UTF_8) + "\nnew standby's transport errors: " + errors(newStandby));
            Thread.sleep(10);
        }
        newStandby.close();
        assertEquals(1, newStandby.follower().epoch(), "the new standby journaled the epoch record");
        assertEquals(node.finalDigest(), newStandby.finalDigest(), "the new primary's own standby is in step");
        try (Recovery offline = Recovery.open(standbyData, ReplicationTest.limits(), new JournalContext(), false))
        {
            assertEquals(node.finalDigest(), offline.ledger().digestHex());
        }
    }

    @Test
    void shouldCatchUpAStandbyKilledMidLoadAndRestarted() throws Exception
    {
        final int recordsPort = ReplicationTest.freePort();
        final int controlPort = ReplicationTest.freePort();
        final DataDirectory primaryData = dataDirectory("primary");
        final DataDirectory standbyData = dataDirectory("standby");
        final List<String> followArgs = List.of("follow",
            "--primary", "aeron:udp?endpoint=localhost:" + controlPort,
            "--listen", "aeron:udp?endpoint=localhost:" + recordsPort,
            "--data", standbyData.root().toString(),
            "--channel", "aeron:ipc", "--stream", "1001",
            "--flush", "batch",
            "--segment-length", "4m",
            "--max-accounts", "1024", "--max-transfers", "" + (1 << 20), "--max-pending", "" + (1 << 16),
            "--max-batch", "64",
            "--snapshot-every", "700");

        final ServiceContext primaryContext = context(primaryData).replication(
            replication(recordsPort, controlPort).mode(ReplicationMode.ASYNC));
        primaryContext.transportContext().tickIntervalNanos(TimeUnit.HOURS.toNanos(1));
        node = PaycoreService.launch(primaryContext);
        child = PaycoreProcess.start(temp.resolve("standby-0.out"), followArgs);
        child.awaitReady(60_000);
        assertEquals("standby", child.ready("role"));

        client = connect(primaryData.aeronDirectory().toString(), 6101);
        final MixedLoad load = new MixedLoad(23);
        load.createAccounts(client);
        load.run(client, 150, 40);
        awaitAcknowledged(100);
        child.kill();
        final long primaryAtKill = node.pipeline().processedSequence();
        load.run(client, 150, 40);

        child = PaycoreProcess.start(temp.resolve("standby-1.out"), followArgs);
        child.awaitReady(60_000);
        final long restartedAt = Long.parseLong(child.ready("last-sequence"));
        assertTrue(restartedAt <= primaryAtKill && restartedAt > 0,
            "standby restarted at " + restartedAt + ", primary was at " + primaryAtKill + " at the kill");
        load.run(client, 150, 40);
        CloseHelper.quietClose(client);
        client = null;

        final long last = node.pipeline().processedSequence();
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.replicator().acknowledgedSequence() < last)
        {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "standby acknowledged only " +
                node.replicator().acknowledgedSequence() + " of " + last + ":\n" + child.output());
            Thread.sleep(10);
        }
        assertEquals(ServeCommand.EXIT_SIGTERM, child.terminate(30_000), child.output());
        node.close();
        final String standbyOutput = child.output();
        final String finalLine = standbyOutput.lines()
            .filter((line) -> line.startsWith(PaycoreService.FINAL_DIGEST_PREFIX)).findFirst().orElseThrow();
        assertEquals(PaycoreService.FINAL_DIGEST_PREFIX + " " + node.finalDigest(), finalLine, standbyOutput);
        assertTrue(standbyOutput.contains("stopped: last-sequence " + last + ","), standbyOutput);
    }

    private void awaitAcknowledged(final long sequence) throws InterruptedException
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.replicator().acknowledgedSequence() < sequence)
        {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "the standby acknowledged only " +
                node.replicator().acknowledgedSequence() + " of " + sequence);
            Thread.sleep(10);
        }
    }

    private static String errors(final PaycoreService service)
    {
        final StringBuilder sb = new StringBuilder();
        service.server().readErrors((error) -> sb.append(error).append('\n'));
        return sb.toString();
    }

    private static void verifyFailedAreAbsent(final MixedLoad load, final PaycoreClient client)
    {
        final List<Long> failed = new ArrayList<>();
        for (final Map.Entry<Long, long[]> entry : load.received.entrySet())
        {
            if (CreateTransferResult.OK.ordinal() != entry.getValue()[0] && failed.size() < 64)
            {
                failed.add(entry.getKey());
            }
        }
        assertTrue(!failed.isEmpty(), "the load should have failures");
        final long[] ids = failed.stream().mapToLong(Long::longValue).toArray();
        final List<Transfer> found = client.lookupTransfersAndWait(CLIENT_TIMEOUT, ids);
        for (final Transfer transfer : found)
        {
            final long[] told = load.received.get(transfer.id());
            // a failed id may have been reused by a later event only if the client was told so
            throw new AssertionError("transfer " + transfer.id() + " was answered " +
                CreateTransferResult.values()[(int)told[0]] + " but exists on the new primary");
        }
    }

    private DataDirectory dataDirectory(final String name) throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve(name));
        Files.createDirectories(data.root());
        Files.writeString(data.root().resolve(ServeCommand.CLIENTS_FILE_NAME),
            ClientCredentials.line(ReplicationTest.CLIENT_ID, ReplicationTest.SECRET, 1) + System.lineSeparator());
        return data;
    }

    private static ReplicationContext replication(final int recordsPort, final int controlPort)
    {
        return new ReplicationContext()
            .recordsChannel("aeron:udp?endpoint=localhost:" + recordsPort)
            .controlChannel("aeron:udp?endpoint=localhost:" + controlPort);
    }

    private ServiceContext context(final DataDirectory data)
    {
        return new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(ReplicationTest.limits())
            .journalContext(new JournalContext().flushLevel(FlushLevel.BATCH).segmentLength(4 * 1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256).snapshotEveryRecords(1000))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .ingressStreamId(1001)
                .clientsFile(data.root().resolve(ServeCommand.CLIENTS_FILE_NAME)))
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static PaycoreClient connect(final String aeronDirectoryName, final int responseStreamId)
    {
        return PaycoreClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDirectoryName)
            .clientId(ReplicationTest.CLIENT_ID)
            .secret(ReplicationTest.SECRET)
            .ingressChannel("aeron:ipc")
            .ingressStreamId(1001)
            .responseChannel("aeron:ipc")
            .responseStreamId(responseStreamId)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(20)));
    }
}
