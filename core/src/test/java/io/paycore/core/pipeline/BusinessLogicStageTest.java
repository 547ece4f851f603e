package io.paycore.core.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BusinessLogicStageTest
{
    private static final long SESSION = 9;

    @TempDir
    Path dir;

    private Journal journal;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @AfterEach
    void after()
    {
        CloseHelper.close(journal);
    }

    @Test
    void shouldAnswerNothingOfABatchWhoseForceDidNotHappenAsDone()
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.BATCH));
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
            .maxPendingTransfers(16).maxBatchEvents(8));
        final RingBuffer<OutputEvent> output = RingBuffer.createSingleProducer(
            () -> new OutputEvent(CommandProcessor.MAX_ANSWER_LENGTH), 8);
        final AtomicLong processed = new AtomicLong();
        final BusinessLogicStage stage = new BusinessLogicStage(
            new CommandProcessor(ledger), output, processed, 0, null, journal);

        // Two records appended and marked journaled by the journaler, as the first records of a batch are, but the
        // force that ends the batch has not succeeded: the journal's durable sequence stays 0.
        final InputEvent first = appended(1, 1);
        final InputEvent second = appended(2, 2);
        assertEquals(0, journal.durableSequence());
        stage.onEvent(first, 0, false);
        stage.onEvent(second, 1, true);

        assertEquals(RejectReason.UNAVAILABLE, rejectReason(output.get(0)));
        assertEquals(RejectReason.UNAVAILABLE, rejectReason(output.get(1)));
        assertEquals(0, ledger.accountCount(), "nothing of a batch not known durable is applied");
        assertEquals(0, processed.get());

        // Once forced, the next record is applied and answered.
        final InputEvent third = appended(3, 3);
        journal.flush();
        stage.onEvent(third, 2, true);
        final CreateAccountsResultDecoder result = new CreateAccountsResultDecoder();
        result.wrapAndApplyHeader(output.get(2).buffer, 0, headerDecoder);
        assertEquals(3, result.correlationId());
        assertEquals(1, ledger.accountCount());
        assertEquals(3, processed.get());
    }

    private InputEvent appended(final long correlationId, final long accountId)
    {
        final InputEvent event = new InputEvent(1024);
        final int length = new RequestEncoder().createAccounts(
            event.buffer, 0, correlationId, new AccountEventArray(1).add(accountId, 0, 1, 1, 0));
        event.type = RecordTypes.MESSAGE;
        event.sessionId = SESSION;
        event.timestampNanos = correlationId;
        event.length = length;
        event.sequence = journal.append(event.type, event.timestampNanos, event.buffer, 0, event.length);
        event.journaled = true;
        return event;
    }

    private RejectReason rejectReason(final OutputEvent answer)
    {
        final RejectedDecoder rejected = new RejectedDecoder();
        rejected.wrapAndApplyHeader(answer.buffer, 0, headerDecoder);
        return rejected.reason();
    }
}
