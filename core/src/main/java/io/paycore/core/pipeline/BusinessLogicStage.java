package io.paycore.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedEncoder;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.journal.Journal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The business logic processor: the one thread that owns the ledger. Applies each journaled record with the
 * {@link CommandProcessor} and puts the answer, if any, on the output ring for egress.
 */
final class BusinessLogicStage implements EventHandler<InputEvent>
{
    private static final byte[] UNAVAILABLE_DETAIL = "journal failed: the service takes no more input".getBytes(
        StandardCharsets.US_ASCII);

    private final CommandProcessor processor;
    private final Journal journal;
    private final RingBuffer<OutputEvent> output;
    private final AtomicLong processedSequence;
    private final long snapshotEveryRecords;
    private final SnapshotHandler snapshotHandler;
    private final FrameValidator validator;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RejectedEncoder rejectedEncoder = new RejectedEncoder();
    private final AsyncLmdbColdTier prefetched;

    BusinessLogicStage(
        final CommandProcessor processor,
        final RingBuffer<OutputEvent> output,
        final AtomicLong processedSequence,
        final long snapshotEveryRecords,
        final SnapshotHandler snapshotHandler,
        final Journal journal)
    {
        this.journal = journal;
        this.snapshotEveryRecords = snapshotEveryRecords;
        this.snapshotHandler = snapshotHandler;
        this.processor = processor;
        this.output = output;
        this.processedSequence = processedSequence;
        this.validator = FrameValidator.forIngress(processor.ledger().limits().maxBatchEvents());
        this.prefetched = processor.ledger().coldTier() instanceof AsyncLmdbColdTier ?
            (AsyncLmdbColdTier)processor.ledger().coldTier() : null;
    }

    public void onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
    {
        final AsyncLmdbColdTier prefetched = this.prefetched;
        if (null == prefetched)
        {
            onRecord(event);
            return;
        }
        // What the cold-tier gate read ahead for this record is the only cold state the ledger sees while it
        // applies it.
        prefetched.beginRecord(event.coldWrittenRecords, event.coldPoolStart, event.coldPoolCount);
        try
        {
            onRecord(event);
        }
        finally
        {
            prefetched.endRecord();
        }
    }

    private void onRecord(final InputEvent event)
    {
        if (event.journaled && event.sequence > journal.durableSequence())
        {
            // Appended, but the force that ended its batch failed: nothing of that batch is known durable, so none
            // of it may be applied or answered as done, however early in the batch it was appended.
            event.journaled = false;
        }
        apply(event);
        if (event.journaled)
        {
            processedSequence.lazySet(event.sequence);
            if (snapshotEveryRecords > 0 && 0 == event.sequence % snapshotEveryRecords)
            {
                snapshotHandler.onSnapshotPoint(processor.ledger(), event.sequence);
            }
        }
    }

    private void apply(final InputEvent event)
    {
        if (!event.journaled)
        {
            if (RecordTypes.MESSAGE == event.type)
            {
                rejectUnavailable(event);
            }
            return;
        }

        if (RecordTypes.TICK == event.type)
        {
            processor.apply(event.type, event.timestampNanos, event.buffer, 0, 0, event.buffer, 0);
            return;
        }

        final RingBuffer<OutputEvent> output = this.output;
        final long outputSequence = output.next();
        final OutputEvent answer = output.get(outputSequence);
        final int length = processor.apply(
            event.type, event.timestampNanos, event.buffer, 0, event.length, answer.buffer, 0);
        answer.sessionId = event.sessionId;
        answer.sequence = event.sequence;
        answer.length = length;
        output.publish(outputSequence);
    }

    private void rejectUnavailable(final InputEvent event)
    {
        validator.validate(event.buffer, 0, event.length);
        final long outputSequence = output.next();
        final OutputEvent answer = output.get(outputSequence);
        rejectedEncoder.wrapAndApplyHeader(answer.buffer, 0, headerEncoder)
            .correlationId(validator.correlationId())
            .templateId(validator.templateId())
            .reason(RejectReason.UNAVAILABLE)
            .putDetail(UNAVAILABLE_DETAIL, 0, UNAVAILABLE_DETAIL.length);
        answer.sessionId = event.sessionId;
        answer.sequence = event.sequence;
        answer.length = MessageHeaderEncoder.ENCODED_LENGTH + rejectedEncoder.encodedLength();
        output.publish(outputSequence);
    }
}
