package io.paycore.transport;

import io.aeron.Aeron;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smallest rings the options accept, in every stage layout, with several clients in flight at once and an
 * ingress that reads more per duty cycle than egress drains: answers must keep flowing. In the inline layout the
 * thread that applies records also drains the output ring, so a stage that took more records than the output ring
 * had free slots used to park that thread for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmallRingsTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SMALLEST_RING = 2;
    private static final int LEDGER = 1;
    private static final int CODE = 1;
    private static final long[] CLIENTS = { TestService.CLIENT_A, TestService.CLIENT_B, TestService.CLIENT_C };
    private static final String[] SECRETS = { TestService.SECRET_A, TestService.SECRET_B, TestService.SECRET_C };

    @TempDir
    Path dir;

    private TestService service;
    private final List<PaycoreClient> clients = new ArrayList<>();
    private ExecutorService executor;

    @AfterEach
    void after()
    {
        if (null != executor)
        {
            executor.shutdownNow();
        }
        CloseHelper.closeAll(clients);
        CloseHelper.close(service);
    }

    static Stream<Arguments> layoutsAndBatches()
    {
        return Stream.of(StageLayout.values())
            .flatMap((layout) -> Stream.of(Arguments.of(layout, 1, 200), Arguments.of(layout, 1024, 3)));
    }

    @ParameterizedTest(name = "{0}, {1} per message")
    @MethodSource("layoutsAndBatches")
    void shouldKeepAnsweringWithTheSmallestRings(final StageLayout layout, final int batch, final int messages)
        throws Exception
    {
        service = new TestService(
            dir,
            false,
            (transport) -> transport.ingressFragmentLimit(128).egressPollLimit(1),
            (pipeline) -> pipeline.layout(layout).inputRingSize(SMALLEST_RING).outputRingSize(SMALLEST_RING));
        for (int i = 0; i < CLIENTS.length; i++)
        {
            clients.add(PaycoreClient.connect(service.clientContext(CLIENTS[i], SECRETS[i])));
        }
        final CreateResults<CreateAccountResult> accounts = clients.get(0).createAccountsAndWait(
            new AccountEventArray(2).add(1, 0, LEDGER, CODE, 0).add(2, 0, LEDGER, CODE, 0), TIMEOUT);
        assertEquals(List.of(CreateAccountResult.OK, CreateAccountResult.OK), accounts.results());

        executor = Executors.newFixedThreadPool(CLIENTS.length);
        final List<Future<Long>> sent = new ArrayList<>();
        for (int c = 0; c < CLIENTS.length; c++)
        {
            final PaycoreClient client = clients.get(c);
            final long firstId = 1_000_000L * (c + 1);
            sent.add(executor.submit(() -> send(client, firstId, batch, messages)));
        }

        long created = 0;
        for (final Future<Long> future : sent)
        {
            created += future.get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        }
        assertEquals((long)CLIENTS.length * batch * messages, created);
        assertEquals(1L + CLIENTS.length * messages, service.journaledMessages());

        // The counters that explain a latency tail are there and move.
        try (Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace)))
        {
            final CountersReader reader = aeron.countersReader();
            final long deadlineNs = System.nanoTime() + TIMEOUT.toNanos();
            while (counter(reader, "paycore: duty cycle max (ns): ") <= 0)
            {
                assertTrue(System.nanoTime() < deadlineNs, "the transport's duty cycle was never measured");
                Thread.yield();
            }
            assertTrue(counter(reader, "paycore: duty cycles over 1 ms: ") >= 0);
            for (final String stageThread : service.pipeline.stageThreadNames())
            {
                while (counter(reader, "paycore: duty cycle max (ns): " + stageThread) <= 0)
                {
                    assertTrue(System.nanoTime() < deadlineNs, stageThread + "'s duty cycle was never measured");
                    Thread.yield();
                }
                assertTrue(counter(reader, "paycore: duty cycles over 1 ms: " + stageThread) >= 0);
            }
            assertTrue(counter(reader, "paycore: input ring occupancy") >= 0);
            assertTrue(counter(reader, "paycore: output ring occupancy") >= 0);
            assertEquals(service.pipeline.segmentRolls(), counter(reader, "paycore: journal segment rolls"));
        }
    }

    private static long counter(final CountersReader reader, final String labelPrefix)
    {
        final long[] value = { -1 };
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.startsWith(labelPrefix))
            {
                value[0] = Math.max(value[0], reader.getCounterValue(counterId));
            }
        });
        return value[0];
    }

    private static long send(final PaycoreClient client, final long firstId, final int batch, final int messages)
    {
        long created = 0;
        long id = firstId;
        final TransferEventArray transfers = new TransferEventArray(batch);
        for (int m = 0; m < messages; m++)
        {
            transfers.reset();
            for (int i = 0; i < batch; i++)
            {
                transfers.add(id++, 1, 2, 1, 0, 0, LEDGER, 0, CODE, 0);
            }
            for (final CreateTransferResult result : client.createTransfersAndWait(transfers, TIMEOUT).results())
            {
                created += CreateTransferResult.OK == result ? 1 : 0;
            }
        }
        return created;
    }
}
