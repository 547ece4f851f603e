package io.paycore.transport;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.IdArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.paycore.transport.EndToEndTest.awaitCounter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int ACCOUNTS = 1000;
    private static final int STALLED_LOOKUPS = 40;
    private static final int GOOD_TRANSFERS = 100;

    @TempDir
    Path dir;

    private TestService service;
    private PaycoreClient good;
    private PaycoreClient stalled;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(stalled, good, service);
    }

    /**
     * A client that never reads its answers is disconnected once its backlog makes no progress for the time bound
     * (timeBound) or would grow past the byte bound (otherwise); meanwhile another client is served throughout.
     */
    @ParameterizedTest(name = "timeBound={0}")
    @ValueSource(booleans = { true, false })
    void shouldDisconnectAStalledClientWithoutHoldingUpAnother(final boolean timeBound)
    {
        service = new TestService(dir, false, (context) ->
        {
            if (timeBound)
            {
                context.egressBackPressureTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(500))
                    .egressBacklogLength(8 * 1024 * 1024);
            }
            else
            {
                context.egressBackPressureTimeoutNanos(TimeUnit.MINUTES.toNanos(10))
                    .egressBacklogLength(TransportContext.EGRESS_BACKLOG_LENGTH_MIN);
            }
        });
        final TransportCounters counters = service.server.counters();

        good = PaycoreClient.connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        final AccountEventArray accounts = new AccountEventArray(ACCOUNTS);
        final long[] ids = new long[ACCOUNTS];
        final IdArray allIds = new IdArray(ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++)
        {
            ids[i] = i + 1;
            accounts.add(ids[i], 0, 1, 1, 0);
            allIds.add(ids[i]);
        }
        assertTrue(good.createAccountsAndWait(accounts, TIMEOUT).all(CreateAccountResult.OK));

        stalled = PaycoreClient.connect(service.clientContext(TestService.CLIENT_B, TestService.SECRET_B));
        for (int i = 0; i < STALLED_LOOKUPS; i++)
        {
            final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stalled.lookupAccounts(allIds) < 0)
            {
                assertTrue(System.nanoTime() < deadlineNanos, "stalled client could not send");
                Thread.yield();
            }
        }

        final TransferEventArray transfer = new TransferEventArray(1);
        for (int i = 0; i < GOOD_TRANSFERS; i++)
        {
            transfer.reset().add(10_000 + i, 1 + (i % ACCOUNTS), 1 + ((i + 1) % ACCOUNTS), 1, 0, 0, 1, 0, 1, 0);
            assertEquals(CreateTransferResult.OK, good.createTransfersAndWait(transfer, TIMEOUT).result(0));
        }

        awaitCounter(() -> counters.backPressureDisconnects().get(), 1);
        awaitCounter(() -> counters.clientsConnected().get(), 1);

        final long droppedBefore = counters.droppedUnauthenticated().get();
        while (stalled.lookupAccounts(new IdArray(1).add(ids[0])) < 0)
        {
            Thread.yield();
        }
        awaitCounter(() -> counters.droppedUnauthenticated().get(), droppedBefore + 1);

        assertEquals(ACCOUNTS, good.lookupAccountsAndWait(TIMEOUT, ids).size(), "the good client is still served");
        assertEquals(1, counters.backPressureDisconnects().get());
    }
}
