package io.paycore.perf;

import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersResultEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PipelineBenchmarkTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    @Test
    void shouldCountNotOkTransfersOfAResult()
    {
        final CreateTransfersResultEncoder encoder = new CreateTransfersResultEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(7);
        encoder.resultsCount(3)
            .next().timestamp(1).result(CreateTransferResult.OK)
            .next().timestamp(2).result(CreateTransferResult.EXCEEDS_CREDITS)
            .next().timestamp(3).result(CreateTransferResult.OK);
        final PipelineBenchmark.Answers answers = new PipelineBenchmark.Answers();

        answers.onOutput(1, 1, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());

        assertEquals(1, answers.received);
        assertEquals(1, answers.failed, "the one transfer that was not OK");
    }

    @Test
    void shouldCountARejectedMessageAsNotOk()
    {
        // What the pipeline answers to every message once its journal failed: nothing was applied, and a run of
        // them is fast, so it must not pass for a run of OK transfers.
        final RejectedEncoder encoder = new RejectedEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(7)
            .templateId(CreateTransfersDecoder.TEMPLATE_ID)
            .reason(RejectReason.UNAVAILABLE)
            .detail("the journal failed");
        final PipelineBenchmark.Answers answers = new PipelineBenchmark.Answers();

        answers.onOutput(1, 1, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());

        assertEquals(1, answers.received);
        assertEquals(1, answers.failed, "a Rejected answer is a message that was not OK");
    }
}
