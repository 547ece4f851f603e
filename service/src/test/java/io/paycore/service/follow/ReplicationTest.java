package io.paycore.service.follow;

import io.paycore.codec.sbe.RejectReason;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.Recovery;
import io.paycore.replay.replication.Follower;
import io.paycore.replay.replication.ReplicationContext;
import io.paycore.replay.replication.ReplicationMode;
import io.paycore.service.PaycoreMain;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary and a standby in this JVM, each with its own data directory and embedded media driver, replicating over
 * UDP on localhost; clients over IPC.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicationTest
{
    static final long CLIENT_ID = 11;
    static final String SECRET = "replication";
    /** Base of the timestamps of journals written by {@link #writeJournal}: an hour before the tests started. */
    static final long START_MILLIS = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path temp;

    private final ByteArrayOutputStream primaryOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream standbyOut = new ByteArrayOutputStream();
    private PaycoreService primary;
    private PaycoreService standby;
    private PaycoreClient client;
    private PaycoreClient standbyClient;
    private int nextResponseStream = 5001;

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(client, standbyClient, primary, standby);
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void shouldEndWithTheStandbysDigestEqualToThePrimarysAfterAMixedLoad(final ReplicationMode mode) throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));

        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, mode));
        client = connect(primaryData);
        final MixedLoad load = new MixedLoad(mode.ordinal());
        load.createAccounts(client);
        load.run(client, 300, 40);

        standbyClient = connect(standbyData);
        awaitStandbyAt(primary.pipeline().processedSequence());
        assertTrue(load.verifyCreatedOn(standbyClient) > 1000, "too few transfers created to mean anything");
        final PaycoreClientException refused = assertThrows(PaycoreClientException.class,
            () -> standbyClient.createTransfersAndWait(new TransferEventArray(1).add(
                999_999_999L, 1, 2, 1, 0, 0, MixedLoad.LEDGER, 0, 1, 0), MixedLoad.TIMEOUT));
        assertEquals(RejectReason.READ_ONLY, refused.rejectReason(), refused.toString());

        load.run(client, 50, 40);
        assertDigestsEqualAfterStop();
        if (ReplicationMode.SYNC == mode)
        {
            assertEquals(primary.pipeline().processedSequence(), primary.replicator().acknowledgedSequence());
        }
    }

    @Test
    void shouldKeepAStandbyWithASmallHotWindowInStepAndFindEveryTransferOnIt() throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));

        standby = PaycoreService.launch(hotWindow(standbyContext(standbyData, recordsPort, controlPort)));
        primary = PaycoreService.launch(
            hotWindow(primaryContext(primaryData, recordsPort, controlPort, ReplicationMode.ASYNC)));
        client = connect(primaryData);
        final MixedLoad load = new MixedLoad(7);
        load.createAccounts(client);
        load.run(client, 300, 40);

        standbyClient = connect(standbyData);
        awaitStandbyAt(primary.pipeline().processedSequence());
        assertTrue(load.verifyCreatedOn(standbyClient) > 2000, "too few transfers created to mean anything");
        assertTrue(standby.coldTier().writtenRecordsNow() > 1000, "most of the standby's transfers are cold");
        assertDigestsEqualAfterStop();
    }

    private static ServiceContext hotWindow(final ServiceContext context)
    {
        return context.ledgerLimits(limits().maxTransfers(500)).coldTierSizeBytes(64L << 20);
    }

    @Test
    void shouldCatchUpAStandbyStartedLateAfter100000RecordsThenFollowLive() throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));
        final long written = writeJournal(primaryData, 100_000, 5);

        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, ReplicationMode.ASYNC));
        assertEquals(written, primary.recoveryReport().lastSequence());
        client = connect(primaryData);
        final MixedLoad load = new MixedLoad(7);
        load.nextBatch(1);
        load.run(client, 50, 20);

        final long startNanos = System.nanoTime();
        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        load.run(client, 100, 20);
        awaitStandbyAt(primary.pipeline().processedSequence());
        System.out.printf("standby caught up %d records in %.2f s%n", primary.pipeline().processedSequence(),
            (System.nanoTime() - startNanos) / 1e9);
        assertTrue(primary.replicator().catchUpRecords() >= written,
            "caught up " + primary.replicator().catchUpRecords() + " records from the journal");
        assertDigestsEqualAfterStop();
    }

    @Test
    void shouldCatchUpAStandbyRestartedMidLoad() throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));

        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, ReplicationMode.ASYNC));
        client = connect(primaryData);
        final MixedLoad load = new MixedLoad(3);
        load.createAccounts(client);
        load.run(client, 100, 40);
        standby.close();
        final long standbyLast = standby.pipeline().processedSequence();
        load.run(client, 100, 40);
        assertTrue(primary.pipeline().processedSequence() > standbyLast);

        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        assertEquals(standbyLast, standby.recoveryReport().lastSequence());
        load.run(client, 100, 40);
        assertDigestsEqualAfterStop();
    }

    @Test
    void shouldKeepAStandbyInStepWithASyncPrimaryThatRestarts() throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));

        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, ReplicationMode.SYNC));
        client = connect(primaryData);
        final MixedLoad load = new MixedLoad(41);
        load.createAccounts(client);
        load.run(client, 60, 40);
        CloseHelper.quietClose(client);
        primary.close();

        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, ReplicationMode.SYNC));
        client = connect(primaryData);
        load.run(client, 60, 40);
        assertDigestsEqualAfterStop();
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void shouldFenceTheOldPrimaryOnceItsStandbyIsPromoted(final ReplicationMode mode) throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));

        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, mode));
        client = connect(primaryData);
        final MixedLoad load = new MixedLoad(31, Duration.ofSeconds(5));
        load.createAccounts(client);
        load.run(client, 50, 20);
        awaitStandbyAt(primary.pipeline().processedSequence());

        assertEquals(0, PaycoreMain.execute("promote", "--data", standbyData.root().toString()));
        assertEquals(Follower.PROMOTED, standby.follower().state());
        final long epochSequence = standby.pipeline().nextSequence() - 1;
        awaitStandbyAt(epochSequence);

        // Generous: under a loaded CI machine the old primary may need several of the client's 5 s timeouts to learn
        // it is fenced. The loop ends at the first refusal.
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int answeredAfterPromotion = 0;
        int unanswered = 0;
        PaycoreClientException refused = null;
        while (null == refused && System.nanoTime() - deadlineNanos < 0)
        {
            try
            {
                load.send(client, load.nextBatch(5));
                answeredAfterPromotion++;
            }
            catch (final PaycoreClientException ex)
            {
                if (null != ex.rejectReason())
                {
                    refused = ex;
                }
                // else no answer in time: a request caught while the primary learns it is fenced has an unknown
                // outcome (the client retries with the same id); keep asking until the primary refuses.
                unanswered++;
            }
        }
        assertTrue(null != refused, "the old primary was never fenced (" + mode + "): answered " +
            answeredAfterPromotion + ", unanswered " + unanswered + ", primary's replication: " +
            primary.replicator().standbyStatus() + ", fenced " + primary.replicator().isFenced() +
            ", standby " + standby.follower().state());
        assertEquals(RejectReason.UNAVAILABLE, refused.rejectReason(), refused.toString());
        assertTrue(primary.replicator().isFenced(), primary.replicator().standbyStatus());
        assertTrue(primary.pipeline().isFailed());
        if (ReplicationMode.SYNC == mode)
        {
            assertEquals(0, answeredAfterPromotion, "a fenced sync primary answers nothing the standby refused");
        }
        Thread.sleep(200);
        assertEquals(1, standby.follower().epoch());
        final long promotedLast = standby.pipeline().processedSequence();
        final List<Integer> typesAfterEpoch = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(standby.journal().directory(), epochSequence + 1))
        {
            while (reader.nextSequence() <= promotedLast)
            {
                reader.poll((type, sequence, timestampNanos, buffer, offset, length) -> typesAfterEpoch.add(type),
                    100);
            }
        }
        assertTrue(typesAfterEpoch.stream().allMatch((type) -> RecordTypes.TICK == type),
            "the promoted node journaled only its own ticks after its epoch record, nothing from the old primary: " +
            typesAfterEpoch);
    }

    @Test
    void shouldStopAStandbyWhoseJournalDivergesFromThePrimarysAndChangeNothing() throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));
        writeJournal(primaryData, 300, 1);
        writeJournal(standbyData, 200, 2);

        primary = PaycoreService.launch(primaryContext(primaryData, recordsPort, controlPort, ReplicationMode.ASYNC));
        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        awaitStopped();
        assertTrue(standby.follower().stopReason().contains("diverged from the primary's at sequence 200"),
            standby.follower().stopReason());
        assertTrue(standbyOut.toString(StandardCharsets.UTF_8).contains("following stopped:"));
        assertEquals(200, standby.pipeline().nextSequence() - 1, "nothing was taken");
        assertTrue(primary.replicator().standbyStatus().contains("diverged at sequence 200"),
            primary.replicator().standbyStatus());
    }

    @Test
    void shouldStopAStandbyThatHasRecordsPastThePrimarysLast() throws Exception
    {
        final int recordsPort = freePort();
        final int controlPort = freePort();
        final DataDirectory primaryData = new DataDirectory(temp.resolve("primary"));
        final DataDirectory standbyData = new DataDirectory(temp.resolve("standby"));
        writeJournal(primaryData, 100, 3);
        writeJournal(standbyData, 150, 3);

        final ServiceContext primaryContext = primaryContext(
            primaryData, recordsPort, controlPort, ReplicationMode.ASYNC);
        primaryContext.replication().standbyTimeoutNanos(TimeUnit.SECONDS.toNanos(1));
        primaryContext.transportContext().tickIntervalNanos(TimeUnit.HOURS.toNanos(1));
        primary = PaycoreService.launch(primaryContext);
        standby = PaycoreService.launch(standbyContext(standbyData, recordsPort, controlPort));
        awaitStopped();
        assertTrue(standby.follower().stopReason().contains("the standby has records past the primary's last"),
            standby.follower().stopReason());
        assertEquals(150, standby.pipeline().nextSequence() - 1, "nothing was taken");
    }

    private void awaitStopped() throws InterruptedException
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Follower.STOPPED != standby.follower().state())
        {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "the standby did not stop:\n" +
                standbyOut.toString(StandardCharsets.UTF_8));
            Thread.sleep(10);
        }
    }

    private void assertDigestsEqualAfterStop() throws InterruptedException
    {
        CloseHelper.quietCloseAll(client, standbyClient);
        client = null;
        standbyClient = null;
        awaitStandbyAt(primary.pipeline().processedSequence());
        primary.close();
        final long last = primary.pipeline().processedSequence();
        awaitStandbyAt(last);
        standby.close();
        assertEquals(Follower.FOLLOWING, standby.follower().state(), standbyOut.toString(StandardCharsets.UTF_8));
        assertEquals(last, standby.pipeline().processedSequence());
        assertEquals(primary.finalDigest(), standby.finalDigest(),
            "primary:\n" + primaryOut.toString(StandardCharsets.UTF_8) + "\nstandby:\n" +
            standbyOut.toString(StandardCharsets.UTF_8));
        try (Recovery offline = Recovery.open(
            new DataDirectory(standby.journal().directory().getParent()), limits(), new JournalContext(), false))
        {
            assertEquals(primary.finalDigest(), offline.ledger().digestHex(), "standby's journal replayed alone");
        }
    }

    private void awaitStandbyAt(final long sequence) throws InterruptedException
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (standby.pipeline().processedSequence() < sequence)
        {
            if (System.nanoTime() - deadlineNanos > 0 || Follower.STOPPED == standby.follower().state())
            {
                throw new AssertionError("standby at " + standby.pipeline().processedSequence() + ", not " +
                    sequence + ":\n" + standbyOut.toString(StandardCharsets.UTF_8) + "\nprimary:\n" +
                    primaryOut.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(5);
        }
    }

    /**
     * Write a journal of a mixed load directly, as a primary would have; the same seed gives the same records.
     */
    static long writeJournal(final DataDirectory data, final int records, final long seed)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        final RequestEncoder encoder = new RequestEncoder();
        final SplittableRandom random = new SplittableRandom(seed);
        final MixedLoad load = new MixedLoad(seed);
        long timestampNanos = TimeUnit.MILLISECONDS.toNanos(START_MILLIS);
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .flushLevel(FlushLevel.NONE).segmentLength(16 * 1024 * 1024).maxRecordLength(64 * 1024)))
        {
            final AccountEventArray accounts = new AccountEventArray(MixedLoad.ACCOUNTS);
            for (long id = 1; id <= MixedLoad.ACCOUNTS; id++)
            {
                accounts.add(id, 0, MixedLoad.LEDGER, 1, 0);
            }
            journal.append(RecordTypes.MESSAGE, timestampNanos, buffer, 0,
                encoder.createAccounts(buffer, 0, 1, accounts));
            for (int i = 1; i < records; i++)
            {
                timestampNanos += 1000 + random.nextInt(100_000);
                if (0 == i % 1000)
                {
                    journal.append(RecordTypes.TICK, timestampNanos, buffer, 0, 0);
                    continue;
                }
                final TransferEventArray batch = load.nextBatch(4);
                journal.append(RecordTypes.MESSAGE, timestampNanos, buffer, 0,
                    encoder.createTransfers(buffer, 0, i + 1, batch));
            }
            journal.flush();
            return journal.lastSequence();
        }
    }

    private ServiceContext primaryContext(
        final DataDirectory data, final int recordsPort, final int controlPort, final ReplicationMode mode)
    {
        return context(data, primaryOut)
            .replication(new ReplicationContext()
                .recordsChannel("aeron:udp?endpoint=localhost:" + recordsPort)
                .controlChannel("aeron:udp?endpoint=localhost:" + controlPort)
                .termLength(4 * 1024 * 1024)
                .mode(mode));
    }

    private ServiceContext standbyContext(final DataDirectory data, final int recordsPort, final int controlPort)
    {
        return context(data, standbyOut)
            .standby(true)
            .replication(new ReplicationContext()
                .recordsChannel("aeron:udp?endpoint=localhost:" + recordsPort)
                .controlChannel("aeron:udp?endpoint=localhost:" + controlPort)
                .termLength(4 * 1024 * 1024));
    }

    private static ServiceContext context(final DataDirectory data, final ByteArrayOutputStream out)
    {
        return new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(limits())
            .journalContext(new JournalContext().flushLevel(FlushLevel.BATCH).segmentLength(4 * 1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256).snapshotEveryRecords(5000))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(CLIENT_ID, SECRET, 1)), "test")))
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(1 << 20).maxPendingTransfers(1 << 16)
            .maxBatchEvents(64);
    }

    private PaycoreClient connect(final DataDirectory data)
    {
        return PaycoreClient.connect(new ClientContext()
            .aeronDirectoryName(data.aeronDirectory().toString())
            .clientId(CLIENT_ID)
            .secret(SECRET)
            .ingressChannel("aeron:ipc")
            .responseChannel("aeron:ipc")
            .responseStreamId(nextResponseStream++)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(10)));
    }

    static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
