package io.paycore.core.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import org.agrona.concurrent.Agent;

/**
 * Between the journal and the business logic processor of a ledger with a cold tier whose writer runs on a thread
 * of its own: releases a record to the BLP only when the ledger's ring will have room for what it writes, that is,
 * when the tier has written enough that the sealed records it has not written, plus the records of the commands
 * ahead, fit in the ledger's cold lag ({@code maxColdLagRecords}). So the BLP never finds its ring full and never
 * waits for the disk; when the tier's writer falls that far behind, this stage holds records back, the input ring
 * fills, and ingress stops taking input: back-pressure, not loss.
 * <p>
 * The room a record needs is bounded from what is known without the BLP: the record count the ledger last published,
 * plus two records for every transfer event between the BLP's position and the record (a post or void may also
 * re-record the pending transfer it resolves). Loading the cold records the BLP will read is the next step (the
 * prefetch); for now the BLP reads them from the tier itself.
 */
final class ColdTierGate implements Agent
{
    static final String ROLE_NAME = "paycore-cold-gate";

    private final RingBuffer<InputEvent> input;
    private final Sequence[] upstream;
    private final Sequence sequence = new Sequence(-1);
    private final Ledger ledger;
    private final ColdTier tier;
    private final long windowAndLag;
    private final long[] eventsThrough;
    private final int mask;
    private final int maxBatch;
    private final FrameValidator validator;
    private Sequence blp;
    private long totalEvents;

    ColdTierGate(
        final RingBuffer<InputEvent> input,
        final Sequence[] upstream,
        final Ledger ledger,
        final ColdTier tier,
        final int maxBatch)
    {
        this.input = input;
        this.upstream = upstream;
        this.ledger = ledger;
        this.tier = tier;
        this.maxBatch = maxBatch;
        windowAndLag = (long)ledger.limits().maxTransfers() + ledger.limits().maxColdLagRecords();
        eventsThrough = new long[input.getBufferSize()];
        mask = input.getBufferSize() - 1;
        validator = FrameValidator.forIngress(ledger.limits().maxBatchEvents());
    }

    /**
     * @param blp the business logic stage's sequence, which this stage gates.
     */
    void blp(final Sequence blp)
    {
        this.blp = blp;
    }

    /**
     * @return the sequence of the last record released to the BLP.
     */
    Sequence sequence()
    {
        return sequence;
    }

    public int doWork()
    {
        long available = Long.MAX_VALUE;
        for (final Sequence s : upstream)
        {
            available = Math.min(available, s.get());
        }
        final long first = sequence.get() + 1;
        if (first > available)
        {
            return 0;
        }

        final long blpSequence = blp.get();
        final long published = ledger.publishedRecordCount();
        final long written = tier.writtenRecords();
        final long eventsThroughBlp = blpSequence < 0 ? 0 : eventsThrough[(int)blpSequence & mask];
        final long last = Math.min(available, first + maxBatch - 1);
        long released = first - 1;
        for (long next = first; next <= last; next++)
        {
            final int events = transferEvents(input.get(next));
            final long recordsAhead = 2 * (totalEvents + events - eventsThroughBlp);
            if (published + recordsAhead - windowAndLag > written)
            {
                break;
            }
            totalEvents += events;
            eventsThrough[(int)next & mask] = totalEvents;
            released = next;
        }
        if (released < first)
        {
            return 0;
        }
        sequence.set(released);
        return (int)(released - first + 1);
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    private int transferEvents(final InputEvent event)
    {
        if (RecordTypes.MESSAGE != event.type || !validator.validate(event.buffer, 0, event.length) ||
            CreateTransfersDecoder.TEMPLATE_ID != validator.templateId())
        {
            return 0;
        }
        return validator.groupCount();
    }
}
