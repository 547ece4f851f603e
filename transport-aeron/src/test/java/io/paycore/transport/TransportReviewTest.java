package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.paycore.transport.EndToEndTest.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holes found reviewing the transport: each test fails against the code as it is.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TransportReviewTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TestService service;
    private Aeron aeron;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[256 * 1024]);

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(closeables);
        CloseHelper.closeAll(aeron, service);
    }

    private void start(final java.util.function.Consumer<TransportContext> customize)
    {
        service = new TestService(dir, false, customize);
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
    }

    /**
     * README, Protocol: "a root block or group entry at least as long as the one they know" is read, fields a newer
     * peer appended are skipped. A full batch (1,024 transfers) from such a peer, each entry one byte longer, passes
     * FrameValidator (which never compares the frame with its maxMessageLength) and is longer than an input ring
     * slot (ProtocolLimits.maxMessageLength(maxBatch) = 131,092 bytes). It must be answered (applied or Rejected) and
     * must not stop the service for everyone else.
     */
    @Test
    void shouldServeOthersAfterAValidFrameLongerThanAnInputSlot()
    {
        start((context) -> {});
        final PaycoreClient good = PaycoreClient.connect(
            service.clientContext(TestService.CLIENT_C, TestService.SECRET_C));
        closeables.add(good);
        assertTrue(good.createAccountsAndWait(new AccountEventArray(2)
            .add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0), TIMEOUT).all(CreateAccountResult.OK));

        final RawSession newer = rawSession();
        newer.connect(1, TestService.CLIENT_B, TestService.SECRET_B, "aeron:ipc", newer.responseStreamId);
        newer.assertConnectResult(1, ConnectStatus.OK);

        final int length = widenedTransfers(77, ProtocolLimits.MAX_BATCH_EVENTS, 1);
        assertTrue(length > service.pipeline.maxMessageLength(), length + " bytes");
        newer.send(frame, 0, length);

        sleep(200);

        // The good client is served as before.
        for (int i = 0; i < 3; i++)
        {
            final TransferEventArray transfer = new TransferEventArray(1).add(50_000 + i, 1, 2, 1, 0, 0, 1, 0, 1, 0);
            final CreateResults<CreateTransferResult> results = good.createTransfersAndWait(transfer, TIMEOUT);
            assertEquals(CreateTransferResult.OK, results.result(0));
        }
        // And the newer client's batch is answered: applied, or Rejected with a reason.
        final UnsafeBuffer answer = newer.awaitMessage();
        final int templateId = new MessageHeaderDecoder().wrap(answer, 0).templateId();
        assertTrue(io.paycore.codec.sbe.CreateTransfersResultDecoder.TEMPLATE_ID == templateId ||
            io.paycore.codec.sbe.RejectedDecoder.TEMPLATE_ID == templateId, "template " + templateId);
        assertEquals(77, answer.getLong(MessageHeaderEncoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN));
        assertEquals(List.of(), service.errors(), "errors recorded by the transport");
    }

    /**
     * Another session names client A's response channel and stream in its Connect and is let in: here a second
     * process of client A itself (the service refuses another client id there; see the next test). The service
     * opens a second publication onto A's stream and sends that session's answers there, with whatever correlation
     * ids it chooses (A's are 1, 2, 3, ... and A's next is public). A's client must take answers only from the
     * publication its own ConnectResult came on: here it is handed nothing.
     */
    @Test
    void shouldNotDeliverAnotherClientsAnswersOnAClientsResponseStream()
    {
        start((context) -> {});
        final ClientContext contextA = service.clientContext(TestService.CLIENT_A, TestService.SECRET_A);
        final PaycoreClient clientA = PaycoreClient.connect(contextA);
        closeables.add(clientA);
        assertTrue(clientA.createAccountsAndWait(new AccountEventArray(1).add(1, 0, 1, 1, 0), TIMEOUT)
            .all(CreateAccountResult.OK));
        final long nextOfA = clientA.nextCorrelationId();

        // An observer on A's stream, to know when the service has sent there what B asked for.
        final Subscription observer = aeron.addSubscription(contextA.responseChannel(), contextA.responseStreamId());
        closeables.add(observer);

        final RawSession b = rawSession();
        b.connect(900, TestService.CLIENT_A, TestService.SECRET_A, contextA.responseChannel(),
            contextA.responseStreamId());
        final int length = new RequestEncoder().createAccounts(frame, 0, nextOfA,
            new AccountEventArray(1).add(1, 0, 1, 1, 0));
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // Template and correlation id of what arrives on A's stream from now on (an observer may also see A's own
        // earlier answer, correlation id 2).
        final List<String> observed = new ArrayList<>();
        final String connectOfB = ConnectResultDecoder.TEMPLATE_ID + ":900";
        final String answerToB = io.paycore.codec.sbe.CreateAccountsResultDecoder.TEMPLATE_ID + ":" + nextOfA;
        boolean sent = false;
        while (!observed.contains(answerToB))
        {
            assertTrue(System.nanoTime() < deadlineNanos, "observed on A's stream: " + observed);
            if (!sent && observed.contains(connectOfB))
            {
                b.send(frame, 0, length);
                sent = true;
            }
            if (0 == observer.poll((buffer, offset, len, header) -> observed.add(
                new MessageHeaderDecoder().wrap(buffer, offset).templateId() + ":" +
                buffer.getLong(offset + MessageHeaderEncoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN)), 10))
            {
                sleep(1);
            }
        }

        // A has sent nothing since its last answer: it should be handed nothing.
        final List<String> handedToA = new ArrayList<>();
        final long pollDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < pollDeadlineNanos && handedToA.isEmpty())
        {
            clientA.poll(new io.paycore.transport.client.EgressListener()
            {
                public void onCreateAccountsResult(final io.paycore.codec.sbe.CreateAccountsResultDecoder r)
                {
                    handedToA.add("CreateAccountsResult correlationId=" + r.correlationId() +
                        " (A's next is " + nextOfA + ")");
                }

                public void onCreateTransfersResult(final io.paycore.codec.sbe.CreateTransfersResultDecoder r)
                {
                    handedToA.add("CreateTransfersResult " + r.correlationId());
                }

                public void onAccounts(final io.paycore.codec.sbe.AccountsDecoder r)
                {
                    handedToA.add("Accounts " + r.correlationId());
                }

                public void onTransfers(final io.paycore.codec.sbe.TransfersDecoder r)
                {
                    handedToA.add("Transfers " + r.correlationId());
                }

                public void onRejected(final io.paycore.codec.sbe.RejectedDecoder r)
                {
                    handedToA.add("Rejected " + r.correlationId());
                }
            });
            sleep(5);
        }
        assertEquals(List.of(), handedToA, "answers to the other session's requests handed to client A");
    }

    /**
     * A Connect with a wrong secret (answered, within the refusal reply rate) makes the service open a publication
     * on the response channel exactly as the caller wrote it, term-length included: an unauthenticated caller picks
     * the size of the term buffers the embedded driver writes out in full (not sparse) on the service's disk, up to
     * Aeron's 1 GiB a term (3 GiB a log). AuthenticatorAgent's javadoc: "a flood of bad logins cannot fill the
     * driver's directory with term buffers". Here 16 MiB terms: a 48 MiB log for one refused Connect.
     */
    @Test
    void shouldNotLetARefusedCallerChooseTheSizeOfTheLogTheServiceWrites() throws IOException
    {
        start((context) -> {});
        final RawSession caller = rawSession();
        caller.connect(5, TestService.CLIENT_A, "not the secret of a", "aeron:ipc?term-length=16m",
            caller.responseStreamId);
        caller.assertConnectResult(5, ConnectStatus.BAD_CREDENTIAL);

        final long bound = 3L * TransportContext.TERM_LENGTH_DEFAULT + 64 * 1024;
        final List<String> larger = new ArrayList<>();
        try (Stream<Path> files = Files.walk(service.aeronDir))
        {
            files.filter(Files::isRegularFile).filter((f) -> f.toString().endsWith(".logbuffer")).forEach((f) ->
            {
                try
                {
                    if (Files.size(f) > bound)
                    {
                        larger.add(service.aeronDir.relativize(f) + " " + Files.size(f) + " bytes");
                    }
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        assertEquals(List.of(), larger, "logs larger than the service's own term length allows (" + bound +
            " bytes) written for a refused Connect");
    }

    /**
     * The service side of the test above: a Connect naming a response channel and stream another client's live
     * session uses is refused ({@code BAD_RESPONSE_CHANNEL}), so that a client of an older build, which takes any
     * answer on its stream as its own, is not handed another client's answers either. The refusal itself goes to
     * that stream (there is nowhere else to send it), where such a client ignores a ConnectResult it did not ask
     * for. The same client id naming its own stream again (a second process of one client) is let in.
     */
    @Test
    void shouldRefuseAConnectNamingAnotherClientsResponseChannelAndStream()
    {
        start((context) -> {});
        final ClientContext contextA = service.clientContext(TestService.CLIENT_A, TestService.SECRET_A);
        final PaycoreClient clientA = PaycoreClient.connect(contextA);
        closeables.add(clientA);
        final Subscription observer = aeron.addSubscription(contextA.responseChannel(), contextA.responseStreamId());
        closeables.add(observer);

        final RawSession b = rawSession();
        b.connect(900, TestService.CLIENT_B, TestService.SECRET_B, contextA.responseChannel(),
            contextA.responseStreamId());
        assertEquals(ConnectStatus.BAD_RESPONSE_CHANNEL, awaitConnectResult(observer, 900));

        final RawSession sameClient = rawSession();
        sameClient.connect(901, TestService.CLIENT_A, TestService.SECRET_A, contextA.responseChannel(),
            contextA.responseStreamId());
        assertEquals(ConnectStatus.OK, awaitConnectResult(observer, 901));
    }

    private static ConnectStatus awaitConnectResult(final Subscription subscription, final long correlationId)
    {
        final ConnectStatus[] status = new ConnectStatus[1];
        final ConnectResultDecoder decoder = new ConnectResultDecoder();
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (null == status[0])
        {
            assertTrue(System.nanoTime() < deadlineNanos, "no ConnectResult " + correlationId);
            if (0 == subscription.poll((buffer, offset, length, header) ->
            {
                final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(buffer, offset);
                if (ConnectResultDecoder.TEMPLATE_ID == headerDecoder.templateId())
                {
                    decoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    if (correlationId == decoder.correlationId())
                    {
                        status[0] = decoder.status();
                    }
                }
            }, 10))
            {
                sleep(1);
            }
        }
        return status[0];
    }

    /**
     * A session egress disconnected (its answers could not be delivered within the back-pressure bound) stops
     * counting as a connected client, but ingress keeps counting it among the sessions holding a response
     * publication (IngressAgent.drainDisconnected never decrements sessionsWithPublication; only the image going
     * does) although egress closed that publication. Two such sessions (maxSessions = 2 x maxClients) and, with no
     * client connected, every new Connect is dropped without an answer: the caller sees "no service answered", not
     * TOO_MANY_CLIENTS, and the service never serves again while those images stay.
     */
    @Test
    void shouldStillServeANewClientOnceEarlierSessionsWereDisconnected()
    {
        start((context) -> context.maxClients(1).egressBackPressureTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(200)));
        final TransportCounters counters = service.server.counters();
        for (int i = 0; i < 2; i++)
        {
            // A client whose response stream nobody reads: its ConnectResult cannot be delivered.
            final RawSession gone = rawSession();
            gone.connect(10 + i, TestService.CLIENT_B, TestService.SECRET_B, "aeron:ipc", 7700 + i);
            final int disconnects = i + 1;
            EndToEndTest.awaitCounter(() -> counters.backPressureDisconnects().get(), disconnects);
            EndToEndTest.awaitCounter(() -> counters.clientsConnected().get(), 0);
        }
        sleep(100);
        assertEquals(0, counters.clientsConnected().get());

        final PaycoreClient client = PaycoreClient.connect(
            service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        closeables.add(client);
        assertTrue(client.createAccountsAndWait(new AccountEventArray(1).add(1, 0, 1, 1, 0), TIMEOUT)
            .all(CreateAccountResult.OK));
    }

    /**
     * A CreateTransfers of count transfers whose group entries are each extra bytes longer than version 2's (a newer
     * minor version's appended field).
     */
    private int widenedTransfers(final long correlationId, final int count, final int extra)
    {
        final TransferEventArray transfers = new TransferEventArray(count);
        for (int i = 0; i < count; i++)
        {
            transfers.add(900_000 + i, 1, 2, 1, 0, 0, 1, 0, 1, 0);
        }
        final UnsafeBuffer plain = new UnsafeBuffer(new byte[ProtocolLimits.MAX_MESSAGE_LENGTH]);
        final int plainLength = new RequestEncoder().createTransfers(plain, 0, correlationId, transfers);
        final int entry = CreateTransfersEncoder.TransfersEncoder.sbeBlockLength();
        final int groupHeader = MessageHeaderEncoder.ENCODED_LENGTH + CreateTransfersEncoder.BLOCK_LENGTH;
        final int entriesStart = groupHeader + 4;
        assertEquals(entriesStart + count * entry, plainLength);
        frame.setMemory(0, frame.capacity(), (byte)0);
        frame.putBytes(0, plain, 0, entriesStart);
        frame.putShort(groupHeader, (short)(entry + extra), java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++)
        {
            frame.putBytes(entriesStart + i * (entry + extra), plain, entriesStart + i * entry, entry);
        }
        return entriesStart + count * (entry + extra);
    }

    private RawSession rawSession()
    {
        final RawSession session = new RawSession(aeron, service.ingressChannel, TestService.INGRESS_STREAM_ID,
            service.nextResponseStreamId());
        closeables.add(session);
        return session;
    }
}
