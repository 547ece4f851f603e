package io.paycore.core.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.Uint128Decoder;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.SbeTransferEvents;
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
 * re-record the pending transfer it resolves).
 * <p>
 * It also <b>prefetches</b>: for each record it releases, it reads the stored values of the ids the record names
 * (each transfer's id and pending id, each looked-up id) into the tier's pool, and notes on the record the tier's
 * written count it read them at. The BLP opens that share before it applies the record, so the ledger answers a
 * miss in its index from memory: the BLP reads no disk. When the pool is full, records wait, as they do for room.
 */
final class ColdTierGate implements Agent
{
    static final String ROLE_NAME = "paycore-cold-gate";

    private final RingBuffer<InputEvent> input;
    private final Sequence[] upstream;
    private final Sequence sequence = new Sequence(-1);
    private final Ledger ledger;
    private final AsyncLmdbColdTier tier;
    private final long windowAndLag;
    private final long[] eventsThrough;
    private final int mask;
    private final int maxBatch;
    private final FrameValidator validator;
    private final SbeTransferEvents sbeTransfers = new SbeTransferEvents();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final LookupTransfersDecoder lookupDecoder = new LookupTransfersDecoder();
    private Sequence blp;
    private long totalEvents;
    private int templateId;

    ColdTierGate(
        final RingBuffer<InputEvent> input,
        final Sequence[] upstream,
        final Ledger ledger,
        final AsyncLmdbColdTier tier,
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
        final long written = tier.writtenRecordsNow();
        final long eventsThroughBlp = blpSequence < 0 ? 0 : eventsThrough[(int)blpSequence & mask];
        final long last = Math.min(available, first + maxBatch - 1);
        long released = first - 1;
        for (long next = first; next <= last; next++)
        {
            final InputEvent event = input.get(next);
            final int events = transferEvents(event);
            final long recordsAhead = 2 * (totalEvents + events - eventsThroughBlp);
            if (published + recordsAhead - windowAndLag > written || !tier.hasPrefetchRoom(idsNamed(event, events)))
            {
                break;
            }
            prefetch(event, events, written);
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

    /**
     * @return the transfer events of a record: what it may write. Also notes its template for the prefetch.
     */
    private int transferEvents(final InputEvent event)
    {
        templateId = 0;
        if (RecordTypes.MESSAGE != event.type || !validator.validate(event.buffer, 0, event.length))
        {
            return 0;
        }
        templateId = validator.templateId();
        return CreateTransfersDecoder.TEMPLATE_ID == templateId ? validator.groupCount() : 0;
    }

    private int idsNamed(final InputEvent event, final int transferEvents)
    {
        if (CreateTransfersDecoder.TEMPLATE_ID == templateId)
        {
            return 2 * transferEvents;
        }
        return LookupTransfersDecoder.TEMPLATE_ID == templateId ? validator.groupCount() : 0;
    }

    private void prefetch(final InputEvent event, final int transferEvents, final long written)
    {
        final AsyncLmdbColdTier tier = this.tier;
        final long start = tier.prefetchPosition();
        // The ledger indexes every record the tier has not written: an empty tier has nothing to give it.
        if (written > 0 && CreateTransfersDecoder.TEMPLATE_ID == templateId)
        {
            tier.beginPrefetch();
            final SbeTransferEvents events = sbeTransfers.wrap(event.buffer, 0);
            for (int i = 0; i < transferEvents; i++)
            {
                tier.prefetch(events.idHi(i), events.idLo(i));
                final long pendingIdHi = events.pendingIdHi(i);
                final long pendingIdLo = events.pendingIdLo(i);
                if (0 != (pendingIdHi | pendingIdLo))
                {
                    tier.prefetch(pendingIdHi, pendingIdLo);
                }
            }
            tier.endPrefetch();
        }
        else if (written > 0 && LookupTransfersDecoder.TEMPLATE_ID == templateId)
        {
            final LookupTransfersDecoder.IdsDecoder ids =
                lookupDecoder.wrapAndApplyHeader(event.buffer, 0, headerDecoder).ids();
            tier.beginPrefetch();
            while (ids.hasNext())
            {
                final Uint128Decoder id = ids.next().id();
                tier.prefetch(id.hi(), id.lo());
            }
            tier.endPrefetch();
        }
        event.coldWrittenRecords = written;
        event.coldPoolStart = start;
        event.coldPoolCount = (int)(tier.prefetchPosition() - start);
    }
}
