package io.paycore.transport;

import io.aeron.Aeron;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.PipelineContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Ingress takes batches up to the ledger's {@code --max-batch} and answers larger ones
 * {@code Rejected(GROUP_COUNT_OVER_LIMIT)}, also for a small {@code --max-batch}, where the largest message a slot
 * holds is a {@code Connect}'s and not a full batch's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IngressBatchLimitReviewTest
{
    private static final int MAX_BATCH = 8;

    @TempDir
    Path dir;

    private TestService service;
    private Aeron aeron;
    private RawSession session;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64 * 1024]);

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(session, aeron, service);
    }

    @Test
    void shouldRejectABatchOverTheLedgersLimitWithoutFailingThePipeline()
    {
        service = new TestService(dir, false, (context) -> {}, (PipelineContext pipelineContext) -> {},
            new LedgerLimits().maxAccounts(1024).maxTransfers(1024).maxPendingTransfers(64).maxBatchEvents(MAX_BATCH));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(service.server.aeronDirectoryName()));
        session = new RawSession(aeron, service.ingressChannel, TestService.INGRESS_STREAM_ID,
            service.nextResponseStreamId());
        session.connect(1, TestService.CLIENT_A, TestService.SECRET_A);
        session.assertConnectResult(1, ConnectStatus.OK);

        session.send(frame, 0, createAccounts(2, 100, MAX_BATCH + 1));
        session.assertRejected(2, CreateAccountsDecoder.TEMPLATE_ID, RejectReason.GROUP_COUNT_OVER_LIMIT);

        session.send(frame, 0, createAccounts(3, 200, MAX_BATCH));
        final UnsafeBuffer answer = session.awaitMessage();
        final CreateAccountsResultDecoder result = new CreateAccountsResultDecoder();
        result.wrapAndApplyHeader(answer, 0, new MessageHeaderDecoder());
        assertEquals(3, result.correlationId(), result.toString());
        assertEquals(MAX_BATCH, result.results().count());

        assertFalse(service.pipeline.isFailed(), "a client's oversize batch failed the pipeline");
        service.close();
        assertEquals(1, service.journaledMessages(), "only the batch within the limit is journaled");
    }

    private int createAccounts(final long correlationId, final long firstId, final int count)
    {
        final AccountEventArray accounts = new AccountEventArray(count);
        for (int i = 0; i < count; i++)
        {
            accounts.add(firstId + i, 0, 1, 1, 0);
        }
        return new RequestEncoder().createAccounts(frame, 0, correlationId, accounts);
    }
}
