package io.paycore.transport;


import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message path (client encode and offer, ingress poll to pipeline, egress poll to offer, client poll and decode)
 * allocates nothing once warm: measured with the JVM's per-thread allocation counters.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AllocationTest
{
    private static final int WARM_UP_REQUESTS = 20_000;
    private static final int MEASURED_REQUESTS = 20_000;
    private static final long SLACK_BYTES = 16 * 1024;

    @TempDir
    Path dir;

    private TestService service;
    private PaycoreClient client;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(client, service);
    }

    @ParameterizedTest
    @EnumSource(value = StageLayout.class, names = { "COMBINED", "INLINE" })
    void shouldNotAllocateOnTheMessagePathOnceWarm(final StageLayout layout)
    {
        service = new TestService(dir, false, (context) -> {}, layout);
        client = PaycoreClient.connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        assertTrue(client.createAccountsAndWait(new AccountEventArray(2).add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0),
            Duration.ofSeconds(10)).all(CreateAccountResult.OK));

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Thread transport = findThread("paycore-ingress");
        final Thread stages = StageLayout.INLINE == layout ? transport : findThread(Pipeline.BLP_THREAD_NAME);
        final long clientThread = Thread.currentThread().getId();
        final Counter counter = new Counter();
        final TransferEventArray events = new TransferEventArray(4);

        run(events, counter, WARM_UP_REQUESTS, 0);
        final long transportBefore = threads.getThreadAllocatedBytes(transport.getId());
        final long clientBefore = threads.getThreadAllocatedBytes(clientThread);
        final long stagesBefore = threads.getThreadAllocatedBytes(stages.getId());
        run(events, counter, MEASURED_REQUESTS, WARM_UP_REQUESTS);
        final long transportBytes = threads.getThreadAllocatedBytes(transport.getId()) - transportBefore;
        final long clientBytes = threads.getThreadAllocatedBytes(clientThread) - clientBefore;
        final long stagesBytes = threads.getThreadAllocatedBytes(stages.getId()) - stagesBefore;

        assertEquals(WARM_UP_REQUESTS + MEASURED_REQUESTS, counter.answers);
        assertTrue(transportBytes < SLACK_BYTES, "ingress+egress thread allocated " + transportBytes + " bytes for " +
            MEASURED_REQUESTS + " requests");
        assertTrue(clientBytes < SLACK_BYTES, "client thread allocated " + clientBytes + " bytes for " +
            MEASURED_REQUESTS + " requests");
        assertTrue(stagesBytes < SLACK_BYTES, "journal and BLP thread (" + layout.label() + ") allocated " +
            stagesBytes + " bytes for " + MEASURED_REQUESTS + " requests");
    }

    private void run(final TransferEventArray events, final Counter counter, final int requests, final int idBase)
    {
        final int target = counter.answers + requests;
        int sent = 0;
        while (counter.answers < target)
        {
            if (sent < requests && sent - (counter.answers - (target - requests)) < 64)
            {
                events.reset()
                    .add(100 + idBase + sent, 1, 2, 1, 0, 0, 1, 0, 1, 0);
                if (client.createTransfers(events) > 0)
                {
                    sent++;
                }
            }
            client.poll(counter);
        }
    }

    private static Thread findThread(final String namePart)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().contains(namePart))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread named like " + namePart);
    }

    private static final class Counter implements EgressListener
    {
        int answers;

        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
        {
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
            answers++;
        }

        public void onAccounts(final AccountsDecoder accounts)
        {
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
        }

        public void onRejected(final RejectedDecoder rejected)
        {
        }
    }
}
