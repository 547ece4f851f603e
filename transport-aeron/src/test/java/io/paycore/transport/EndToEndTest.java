package io.paycore.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.IdArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.transport.client.Account;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import io.paycore.transport.client.Transfer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.paycore.codec.sbe.CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
import static io.paycore.codec.sbe.CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
import static io.paycore.codec.sbe.CreateTransferResult.EXCEEDS_CREDITS;
import static io.paycore.codec.sbe.CreateTransferResult.EXISTS;
import static io.paycore.codec.sbe.CreateTransferResult.LINKED_EVENT_CHAIN_OPEN;
import static io.paycore.codec.sbe.CreateTransferResult.LINKED_EVENT_FAILED;
import static io.paycore.codec.sbe.CreateTransferResult.OK;
import static io.paycore.codec.sbe.CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
import static io.paycore.codec.sbe.CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int LEDGER = 1;
    private static final int OTHER_LEDGER = 2;
    private static final int CODE = 7;

    @TempDir
    Path dir;

    private TestService service;
    private final List<PaycoreClient> clients = new ArrayList<>();

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(clients);
        if (null != service)
        {
            service.errors().forEach(System.out::println);
        }
        CloseHelper.close(service);
    }

    @ParameterizedTest(name = "udp={0}")
    @ValueSource(booleans = { false, true })
    void shouldApplyEveryKindOfTransferAndAnswerLookups(final boolean udp)
    {
        service = new TestService(dir, udp, (context) -> {});
        final PaycoreClient client = connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));

        final CreateResults<CreateAccountResult> accounts = client.createAccountsAndWait(new AccountEventArray(8)
            .add(1, 11, LEDGER, CODE, 0)
            .add(2, 22, LEDGER, CODE, 0)
            .add(3, 33, LEDGER, CODE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
            .add(4, 44, OTHER_LEDGER, CODE, 0)
            .add(0, 0, LEDGER, CODE, 0)
            .add(5, 0, 0, CODE, 0)
            .add(1, 11, LEDGER, CODE, 0), TIMEOUT);
        assertEquals(List.of(CreateAccountResult.OK, CreateAccountResult.OK, CreateAccountResult.OK,
            CreateAccountResult.OK, CreateAccountResult.ID_MUST_NOT_BE_ZERO, CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO,
            CreateAccountResult.EXISTS), accounts.results());
        assertEquals(accounts.timestamp(0), accounts.timestamp(6), "EXISTS answers the original timestamp");

        final CreateResults<CreateTransferResult> singles = client.createTransfersAndWait(new TransferEventArray(8)
            .add(100, 1, 2, 100, 0, 0, LEDGER, 0, CODE, 0)
            .add(101, 3, 2, 10, 0, 0, LEDGER, 0, CODE, 0)
            .add(102, 1, 99, 10, 0, 0, LEDGER, 0, CODE, 0)
            .add(103, 1, 4, 10, 0, 0, LEDGER, 0, CODE, 0)
            .add(104, 1, 2, 50, 0, 0, LEDGER, 0, CODE, TransferFlags.PENDING)
            .add(105, 1, 2, 40, 0, 0, LEDGER, 0, CODE, TransferFlags.PENDING)
            .add(106, 1, 2, 30, 0, 0, LEDGER, 3600, CODE, TransferFlags.PENDING), TIMEOUT);
        assertEquals(List.of(OK, EXCEEDS_CREDITS, CREDIT_ACCOUNT_NOT_FOUND, ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER,
            OK, OK, OK), singles.results());

        final TransferEventArray phaseTwoEvents = new TransferEventArray(8);
        phaseTwoEvents.add().id(0, 200).pendingId(0, 104).amount(Ledger.AMOUNT_MAX_HI, Ledger.AMOUNT_MAX_LO)
            .flags(TransferFlags.POST_PENDING);
        final CreateResults<CreateTransferResult> phaseTwo = client.createTransfersAndWait(phaseTwoEvents
            .add(201, 0, 0, 25, 105, 0, 0, 0, 0, TransferFlags.POST_PENDING)
            .add(202, 0, 0, 0, 106, 0, 0, 0, 0, TransferFlags.VOID_PENDING)
            .add(203, 0, 0, 0, 104, 0, 0, 0, 0, TransferFlags.POST_PENDING)
            .add(204, 0, 0, 0, 999, 0, 0, 0, 0, TransferFlags.POST_PENDING)
            .add(100, 1, 2, 100, 0, 0, LEDGER, 0, CODE, 0), TIMEOUT);
        assertEquals(List.of(OK, OK, OK, PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_NOT_FOUND, EXISTS),
            phaseTwo.results());

        final CreateResults<CreateTransferResult> chains = client.createTransfersAndWait(new TransferEventArray(8)
            .add(300, 1, 2, 10, 0, 0, LEDGER, 0, CODE, TransferFlags.LINKED)
            .add(301, 1, 2, 5, 0, 0, LEDGER, 0, CODE, 0)
            .add(310, 1, 2, 7, 0, 0, LEDGER, 0, CODE, TransferFlags.LINKED)
            .add(311, 3, 2, 5, 0, 0, LEDGER, 0, CODE, 0)
            .add(320, 1, 2, 1, 0, 0, LEDGER, 0, CODE, TransferFlags.LINKED), TIMEOUT);
        assertEquals(List.of(OK, OK, LINKED_EVENT_FAILED, EXCEEDS_CREDITS, LINKED_EVENT_CHAIN_OPEN),
            chains.results());

        final List<Account> found = client.lookupAccountsAndWait(TIMEOUT, 1, 99, 2);
        assertEquals(2, found.size());
        final Account one = found.get(0);
        final Account two = found.get(1);
        assertEquals(BigInteger.ONE, one.id());
        assertEquals(BigInteger.valueOf(100 + 50 + 25 + 10 + 5), one.debitsPosted());
        assertEquals(BigInteger.ZERO, one.debitsPending());
        assertEquals(11, one.userData64());
        assertEquals(LEDGER, one.ledger());
        assertEquals(CODE, one.code());
        assertEquals(BigInteger.TWO, two.id());
        assertEquals(BigInteger.valueOf(190), two.creditsPosted());
        assertEquals(BigInteger.ZERO, two.creditsPending());

        final List<Transfer> transfers = client.lookupTransfersAndWait(TIMEOUT, 100, 999, 201, 311);
        assertEquals(2, transfers.size());
        assertEquals(BigInteger.valueOf(100), transfers.get(0).amount());
        assertEquals(BigInteger.valueOf(201), transfers.get(1).id());
        assertEquals(BigInteger.valueOf(105), transfers.get(1).pendingId());
        assertEquals(BigInteger.valueOf(25), transfers.get(1).amount());
        assertEquals(TransferFlags.POST_PENDING, transfers.get(1).flags());

        assertEquals(1, service.server.counters().clientsConnected().get());
        client.close();
        awaitCounter(() -> service.server.counters().clientsConnected().get(), 0);

        service.close();
        assertEquals(6, service.journaledMessages(), "one record per request, no Connect");
        assertEquals(0, service.server.errorCount(), () -> String.join("\n", service.errors()));
    }

    @ParameterizedTest(name = "udp={0}")
    @ValueSource(booleans = { false, true })
    void shouldAnswerTheCallbackApiInOrderWithIncreasingCorrelationIds(final boolean udp)
    {
        service = new TestService(dir, udp, (context) -> {});
        final PaycoreClient client = connect(service.clientContext(TestService.CLIENT_B, TestService.SECRET_B));
        assertEquals(CreateAccountResult.OK, client.createAccountsAndWait(
            new AccountEventArray(2).add(1, 0, LEDGER, CODE, 0).add(2, 0, LEDGER, CODE, 0), TIMEOUT).result(1));

        final int requests = 200;
        final TransferEventArray events = new TransferEventArray(1);
        final IdArray ids = new IdArray(2).add(1).add(2);
        final Recorder recorder = new Recorder();
        long lastCorrelationId = 0;
        int sent = 0;
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.transferResults < requests || recorder.accounts < 1)
        {
            if (sent < requests)
            {
                events.reset().add(1000 + sent, 1, 2, 1, 0, 0, LEDGER, 0, CODE, 0);
                final long correlationId = client.createTransfers(events);
                if (correlationId > 0)
                {
                    assertEquals(lastCorrelationId + 1 + (0 == lastCorrelationId ? correlationId - 1 : 0),
                        correlationId);
                    lastCorrelationId = correlationId;
                    if (++sent == requests)
                    {
                        while (client.lookupAccounts(ids) < 0)
                        {
                            client.poll(recorder);
                        }
                    }
                }
            }
            client.poll(recorder);
            assertTrue(System.nanoTime() < deadlineNanos, "answers did not all arrive");
        }

        assertEquals(requests, recorder.ok);
        assertEquals(0, recorder.outOfOrder);
        assertEquals(requests, recorder.debitsPostedOfOne);
        assertEquals(0, recorder.rejected);

        final long ticks = service.server.counters().ticks().get();
        awaitCounter(() -> Math.min(service.server.counters().ticks().get(), ticks + 2), ticks + 2);
    }

    @Test
    void shouldServeThroughAnExternalMediaDriver()
    {
        final Path external = dir.resolve("external-aeron");
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(external.toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .ipcTermBufferLength(TransportContext.TERM_LENGTH_MIN)
            .publicationTermBufferLength(TransportContext.TERM_LENGTH_MIN)))
        {
            service = new TestService(dir, false, (context) -> context.aeronDirectoryName(external.toString()));
            assertEquals(external.toString(), service.server.aeronDirectoryName());
            final PaycoreClient client = connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
            assertEquals(CreateAccountResult.OK,
                client.createAccountsAndWait(new AccountEventArray(1).add(1, 0, LEDGER, CODE, 0), TIMEOUT).result(0));
            CloseHelper.closeAll(clients);
            clients.clear();
            service.close();
            assertTrue(driver.context().aeronDirectory().exists(), "the external driver is left running");
        }
    }

    @Test
    void shouldRefuseAWrongCredentialAndAnUnknownClientWithTheirStatus()
    {
        service = new TestService(dir, false, (context) -> {});

        final PaycoreClientException wrong = assertThrows(PaycoreClientException.class,
            () -> connect(service.clientContext(TestService.CLIENT_A, "not-the-secret")));
        assertEquals(ConnectStatus.BAD_CREDENTIAL, wrong.connectStatus());
        assertTrue(wrong.getMessage().contains("does not match"), wrong.getMessage());

        final PaycoreClientException unknown = assertThrows(PaycoreClientException.class,
            () -> connect(service.clientContext(42, "whatever")));
        assertEquals(ConnectStatus.UNKNOWN_CLIENT, unknown.connectStatus());
        assertTrue(unknown.getMessage().contains("client 42"), unknown.getMessage());

        final PaycoreClient good = connect(service.clientContext(TestService.CLIENT_C, TestService.SECRET_C));
        assertEquals(CreateAccountResult.OK,
            good.createAccountsAndWait(new AccountEventArray(1).add(9, 0, LEDGER, CODE, 0), TIMEOUT).result(0));
        assertEquals(2, service.server.counters().connectsRefused().get());
    }

    @Test
    void shouldSayClearlyWhenNoServiceAnswers()
    {
        service = new TestService(dir, false, (context) -> {});
        final ClientContext context = service.clientContext(TestService.CLIENT_A, TestService.SECRET_A)
            .ingressStreamId(4242)
            .connectTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(300));

        final PaycoreClientException ex = assertThrows(PaycoreClientException.class, () -> connect(context));
        assertEquals("no paycore service answered on aeron:ipc stream 4242 within 300 ms", ex.getMessage());
    }

    private PaycoreClient connect(final ClientContext context)
    {
        final PaycoreClient client = PaycoreClient.connect(context);
        clients.add(client);
        return client;
    }

    static void awaitCounter(final java.util.function.LongSupplier counter, final long expected)
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counter.getAsLong() != expected)
        {
            assertTrue(System.nanoTime() < deadlineNanos, "counter stayed at " + counter.getAsLong() + ", expected " +
                expected);
            sleep(5);
        }
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static final class Recorder implements EgressListener
    {
        long lastCorrelationId;
        int transferResults;
        int ok;
        int outOfOrder;
        int rejected;
        int accounts;
        long debitsPostedOfOne;

        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
        {
            order(result.correlationId());
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
            order(result.correlationId());
            transferResults++;
            for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
            {
                if (OK == entry.result())
                {
                    ok++;
                }
            }
        }

        public void onAccounts(final AccountsDecoder decoder)
        {
            order(decoder.correlationId());
            accounts++;
            for (final AccountsDecoder.AccountDecoder account : decoder.account())
            {
                if (0 == account.id().hi() && 1 == account.id().lo())
                {
                    debitsPostedOfOne = account.debitsPosted().lo();
                }
            }
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
            order(transfers.correlationId());
        }

        public void onRejected(final RejectedDecoder rejected)
        {
            this.rejected++;
        }

        private void order(final long correlationId)
        {
            if (0 != lastCorrelationId && correlationId != lastCorrelationId + 1)
            {
                outOfOrder++;
            }
            lastCorrelationId = correlationId;
        }
    }
}
