package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.driver.status.StreamCounter;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.RejectedEncoder;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.paycore.transport.EndToEndTest.awaitCounter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TestService service;
    private Aeron aeron;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    /** Room for the largest message and one more entry (an oversize batch). */
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[ProtocolLimits.MAX_MESSAGE_LENGTH + 1024]);
    private long nextTransferId = 1000;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(closeables);
        CloseHelper.closeAll(aeron, service);
    }

    @Test
    void shouldRejectOrDropEveryBadFrameAndJournalNoneOfThemWhileServingOthers()
    {
        service = new TestService(dir, false, (context) -> {});
        final TransportCounters counters = service.server.counters();
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        final PaycoreClient good = PaycoreClient.connect(
            service.clientContext(TestService.CLIENT_C, TestService.SECRET_C));
        closeables.add(good);
        assertTrue(good.createAccountsAndWait(new AccountEventArray(2)
            .add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0), TIMEOUT).all(CreateAccountResult.OK));
        int goodRequests = 1;

        // No Connect: no response channel, so dropped and counted, never answered.
        final RawSession anonymous = rawSession();
        anonymous.send(frame, 0, garbage(40));
        anonymous.send(frame, 0, createAccounts(11, 500));
        awaitCounter(() -> counters.droppedUnauthenticated().get(), 2);
        goodRequests += serveGoodTransfer(good);

        // Wrong credential and unknown client: ConnectResult with the status, then the publication that carried it
        // is closed, so later frames have nowhere to be answered: dropped and counted.
        final RawSession wrong = rawSession();
        wrong.connect(21, TestService.CLIENT_A, "wrong secret");
        wrong.assertConnectResult(21, ConnectStatus.BAD_CREDENTIAL);
        final long droppedBefore = counters.droppedUnauthenticated().get();
        wrong.send(frame, 0, createAccounts(22, 501));
        wrong.send(frame, 0, garbage(3));
        awaitCounter(() -> counters.droppedUnauthenticated().get(), droppedBefore + 2);

        final RawSession unknown = rawSession();
        unknown.connect(31, 424242, "who am i");
        unknown.assertConnectResult(31, ConnectStatus.UNKNOWN_CLIENT);
        unknown.send(frame, 0, createTransfers(32, 2));
        awaitCounter(() -> counters.droppedUnauthenticated().get(), droppedBefore + 3);
        goodRequests += serveGoodTransfer(good);

        // Authenticated, but malformed frames: Rejected with the validator's reason.
        final RawSession authed = rawSession();
        authed.connect(41, TestService.CLIENT_B, TestService.SECRET_B);
        authed.assertConnectResult(41, ConnectStatus.OK);

        authed.send(frame, 0, garbage(64));
        authed.assertRejected(0, 0, RejectReason.UNKNOWN_SCHEMA);

        final int full = createTransfers(42, 2);
        authed.send(frame, 0, full - 7);
        authed.assertRejected(42, CreateTransfersDecoder.TEMPLATE_ID, RejectReason.TRUNCATED);

        final int wrongSchema = createAccounts(43, 502);
        frame.putShort(4, (short)99);
        authed.send(frame, 0, wrongSchema);
        authed.assertRejected(0, 0, RejectReason.UNKNOWN_SCHEMA);

        final int versionZero = createAccounts(44, 503);
        frame.putShort(6, (short)0);
        authed.send(frame, 0, versionZero);
        authed.assertRejected(44, CreateAccountsDecoder.TEMPLATE_ID, RejectReason.UNSUPPORTED_VERSION);

        authed.send(frame, 0, oversizeBatch(45));
        authed.assertRejected(45, CreateTransfersDecoder.TEMPLATE_ID, RejectReason.GROUP_COUNT_OVER_LIMIT);

        authed.send(frame, 0, egressMessage(46));
        authed.assertRejected(0, RejectedDecoder.TEMPLATE_ID, RejectReason.UNKNOWN_TEMPLATE);

        authed.send(frame, 0, createAccounts(47, 504) + 5);
        authed.assertRejected(47, CreateAccountsDecoder.TEMPLATE_ID, RejectReason.LENGTH_MISMATCH);
        goodRequests += serveGoodTransfer(good);

        // Connect whose response channel cannot be opened: nothing to answer on, so counted only.
        final long refusedBefore = counters.connectsRefused().get();
        final RawSession badChannel = rawSession();
        badChannel.connect(51, TestService.CLIENT_A, TestService.SECRET_A, "aeron:tcp?endpoint=nowhere", 5);
        awaitCounter(() -> counters.connectsRefused().get(), refusedBefore + 1);
        final RawSession shortTerm = rawSession();
        shortTerm.connect(52, TestService.CLIENT_A, TestService.SECRET_A, "aeron:ipc?term-length=64k",
            shortTerm.responseStreamId);
        shortTerm.assertConnectResult(52, ConnectStatus.BAD_RESPONSE_CHANNEL);
        assertEquals(refusedBefore + 2, counters.connectsRefused().get());
        goodRequests += serveGoodTransfer(good);

        assertEquals(0, counters.rejected(RejectReason.NOT_CONNECTED).get());
        assertEquals(1, counters.rejected(RejectReason.TRUNCATED).get());
        assertEquals(2, counters.rejected(RejectReason.UNKNOWN_SCHEMA).get());
        assertEquals(1, counters.rejected(RejectReason.UNSUPPORTED_VERSION).get());
        assertEquals(1, counters.rejected(RejectReason.GROUP_COUNT_OVER_LIMIT).get());
        assertEquals(1, counters.rejected(RejectReason.UNKNOWN_TEMPLATE).get());
        assertEquals(1, counters.rejected(RejectReason.LENGTH_MISMATCH).get());
        assertEquals(2, counters.clientsConnected().get());
        assertTrue(good.isConnected());
        assertEquals(1, counterValueSeenByAnotherProcess("paycore: rejected TRUNCATED"));
        assertEquals(2, counterValueSeenByAnotherProcess("paycore: clients connected"));

        final long[] accountIds = { 500, 501, 502, 503, 504 };
        assertEquals(List.of(), good.lookupAccountsAndWait(TIMEOUT, accountIds), "nothing of them was applied");
        goodRequests++;

        service.close();
        assertEquals(goodRequests, service.journaledMessages(), "only the good client's requests are journaled");
    }

    @Test
    void shouldKeepServingRealClientsUnderAFloodOfBadLogins()
    {
        final int refusalRepliesPerSecond = 5;
        service = new TestService(dir, false, (context) -> context.maxClients(4)
            .refusalRepliesPerSecond(refusalRepliesPerSecond));
        final TransportCounters counters = service.server.counters();
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        final long publicationsBefore = publicationCount();

        final int bad = 200;
        final long floodStartNanos = System.nanoTime();
        final List<RawSession> flood = new ArrayList<>();
        for (int i = 0; i < bad; i++)
        {
            final RawSession session = rawSession();
            session.connect(1000 + i, TestService.CLIENT_A, "not the secret " + i);
            flood.add(session);
        }

        // A real client logs in and is served while the flood is still being checked.
        final PaycoreClient good = PaycoreClient.connect(
            service.clientContext(TestService.CLIENT_B, TestService.SECRET_B));
        closeables.add(good);
        assertTrue(good.createAccountsAndWait(new AccountEventArray(2)
            .add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0), TIMEOUT).all(CreateAccountResult.OK));
        serveGoodTransfer(good);

        // Every bad login is refused: answered within the refusal reply rate, left unanswered past it, or dropped
        // when the authenticator already had its most pending. None keeps a publication: once the answers are out
        // the driver holds only the real client's.
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counters.connectsRefused().get() < bad)
        {
            assertTrue(System.nanoTime() < deadlineNanos, "refused " + counters.connectsRefused().get() + " of " + bad);
            Thread.yield();
        }
        assertTrue(counters.refusalsUnanswered().get() > 0, "the flood outran the refusal reply rate");
        final long floodSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - floodStartNanos) + 1;
        final long refusalPublications = publicationCount() - publicationsBefore - 1;
        assertTrue(refusalPublications <= refusalRepliesPerSecond * floodSeconds, refusalPublications +
            " publications opened for refusals in " + floodSeconds + " s");

        // Callers that never read their answer keep an IPC publication lingering only while they hold their end.
        CloseHelper.closeAll(flood);
        final long settleNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (publicationCount() > publicationsBefore + 1)
        {
            assertTrue(System.nanoTime() < settleNanos, "publications left open: " +
                (publicationCount() - publicationsBefore));
            Thread.yield();
        }
        serveGoodTransfer(good);
        assertEquals(1, counters.clientsConnected().get());
    }

    /**
     * Publications to clients' response streams the media driver holds, from its own counters: one per open
     * publication (the callers' own publications to the ingress stream left out).
     */
    private long publicationCount()
    {
        final long[] count = { 0 };
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID == typeId &&
                TestService.INGRESS_STREAM_ID != keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET))
            {
                count[0]++;
            }
        });
        return count[0];
    }

    @Test
    void shouldTellAClientOfProtocolVersion1ToUpgradeAndJournalNothingOfIt()
    {
        service = new TestService(dir, false, (context) -> {});
        final TransportCounters counters = service.server.counters();
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));

        // A version 1 client's Connect: the same layout, version 1 in its header, a good credential.
        final RawSession old = rawSession();
        old.connect(61, TestService.CLIENT_A, TestService.SECRET_A, "aeron:ipc", old.responseStreamId, 1);
        final ConnectResultDecoder result = old.awaitConnectResult(61);
        assertEquals(ConnectStatus.BAD_CREDENTIAL, result.status(), "the one refusal status an old client knows");
        final String detail = result.detail();
        assertTrue(detail.startsWith("protocol version 1 is not served: this paycore speaks version 2"), detail);
        assertTrue(detail.contains("upgrade the client"), detail);
        assertEquals(1, counters.connectsRefused().get());
        assertEquals(0, counters.clientsConnected().get());

        // A malformed old Connect (cut short) is not answered: dropped and counted, as any frame before a Connect.
        final RawSession cut = rawSession();
        final int length = cut.encodeConnect(62, TestService.CLIENT_A, TestService.SECRET_A, "aeron:ipc",
            cut.responseStreamId, 1);
        cut.send(cut.connectBuffer, 0, length - 3);
        awaitCounter(() -> counters.droppedUnauthenticated().get(), 1);

        service.close();
        assertEquals(0, service.journaledMessages(), "nothing of an old client is journaled");
    }

    @Test
    void shouldRefuseAClientPastTheLimit()
    {
        service = new TestService(dir, false, (context) -> context.maxClients(1));
        closeables.add(PaycoreClient.connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A)));

        final PaycoreClientException ex = assertThrows(PaycoreClientException.class,
            () -> closeables.add(PaycoreClient.connect(
                service.clientContext(TestService.CLIENT_B, TestService.SECRET_B))));
        assertEquals(ConnectStatus.TOO_MANY_CLIENTS, ex.connectStatus());
        assertTrue(ex.getMessage().contains("at most 1 clients"), ex.getMessage());
    }

    @Test
    void shouldAnswerUnavailableOnceTheJournalHasFailed()
    {
        service = new TestService(dir, false, (context) -> context.tickIntervalNanos(TimeUnit.HOURS.toNanos(1)));
        final PaycoreClient client = PaycoreClient.connect(
            service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        closeables.add(client);
        assertEquals(CreateAccountResult.OK,
            client.createAccountsAndWait(new AccountEventArray(1).add(1, 0, 1, 1, 0), TIMEOUT).result(0));

        service.journal.close();
        for (int i = 0; i < 3; i++)
        {
            final PaycoreClientException ex = assertThrows(PaycoreClientException.class,
                () -> client.createAccountsAndWait(new AccountEventArray(1).add(2, 0, 1, 1, 0), TIMEOUT));
            assertEquals(RejectReason.UNAVAILABLE, ex.rejectReason());
            assertNull(ex.connectStatus());
        }
        assertTrue(service.server.counters().rejected(RejectReason.UNAVAILABLE).get() >= 2,
            "ingress itself rejects once the pipeline has failed");
    }

    /**
     * Read a counter as AeronStat does: by label, from the driver's counters file, through another Aeron client.
     */
    private long counterValueSeenByAnotherProcess(final String label)
    {
        final long[] value = { -1 };
        final CountersReader reader = aeron.countersReader();
        reader.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = reader.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private int serveGoodTransfer(final PaycoreClient good)
    {
        final long id = nextTransferId++;
        assertEquals(CreateTransferResult.OK, good.createTransfersAndWait(
            new TransferEventArray(1).add(id, 1, 2, 1, 0, 0, 1, 0, 1, 0), TIMEOUT).result(0));
        return 1;
    }

    private RawSession rawSession()
    {
        final RawSession session = new RawSession(aeron, service.ingressChannel, TestService.INGRESS_STREAM_ID,
            service.nextResponseStreamId());
        closeables.add(session);
        return session;
    }

    private int garbage(final int length)
    {
        for (int i = 0; i < length; i++)
        {
            frame.putByte(i, (byte)0xFF);
        }
        return length;
    }

    private int createAccounts(final long correlationId, final long accountId)
    {
        return new RequestEncoder().createAccounts(frame, 0, correlationId,
            new AccountEventArray(1).add(accountId, 0, 1, 1, 0));
    }

    private int createTransfers(final long correlationId, final int count)
    {
        final TransferEventArray transfers = new TransferEventArray(count);
        for (int i = 0; i < count; i++)
        {
            transfers.add(900 + i, 1, 2, 1, 0, 0, 1, 0, 1, 0);
        }
        return new RequestEncoder().createTransfers(frame, 0, correlationId, transfers);
    }

    private int oversizeBatch(final long correlationId)
    {
        final int max = ProtocolLimits.MAX_BATCH_EVENTS;
        final int length = createTransfers(correlationId, max);
        final int groupCountOffset = MessageHeaderEncoder.ENCODED_LENGTH + CreateTransfersEncoder.BLOCK_LENGTH + 2;
        frame.putShort(groupCountOffset, (short)(max + 1));
        final int entryLength = CreateTransfersEncoder.TransfersEncoder.sbeBlockLength();
        frame.putBytes(length, frame, length - entryLength, entryLength);
        return length + entryLength;
    }

    private int egressMessage(final long correlationId)
    {
        final RejectedEncoder encoder = new RejectedEncoder();
        encoder.wrapAndApplyHeader(frame, 0, headerEncoder)
            .correlationId(correlationId).templateId(0).reason(RejectReason.UNAVAILABLE).detail("");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
