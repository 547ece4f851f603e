package io.paycore.service.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.ChangeType;
import io.paycore.codec.sbe.FeedChangeEncoder;
import io.paycore.codec.sbe.FeedStatus;
import io.paycore.codec.sbe.FeedSubscriptionEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.SubscribeFeedDecoder;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.JournalException;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Serves the change feed over Aeron: a subscriber sends {@code SubscribeFeed} (from a timestamp, to a channel and
 * stream of its own) to the server's request channel, and gets a {@code FeedSubscription} answer on its channel,
 * then every change from that timestamp on as {@code FeedChange} messages, history then live, with no gap and no
 * duplicate: each subscriber has a {@link ChangeFeed} of its own, which replays the journal from the start and
 * follows it. A subscriber joins from any timestamp and leaves by going away (its image closes); a slow one is
 * held back by its own publication's back pressure and slows nobody else, and the server never touches the service.
 * <p>
 * Bounded: at most {@link FeedServerContext#maxSubscribers()} subscribers at once (more are answered
 * {@link FeedStatus#FULL}, as is one whose replay would not fit in the heap left); each holds a replay ledger of the
 * service's limits (its memory, {@link io.paycore.core.ledger.LedgerLimits#heapBytesEstimate}) and the changes of at
 * most {@link #RECORDS_PER_POLL} journal records waiting for its publication. A subscriber whose channel does not
 * connect within {@link FeedServerContext#connectTimeoutNanos()} is dropped.
 * <p>
 * <b>Threading</b>: an {@link Agent} on one thread.
 */
public final class FeedServer implements Agent
{
    /** Journal records a subscriber's feed reads per poll, once what it read before is all sent. */
    public static final int RECORDS_PER_POLL = 4;
    /** Length of every {@code FeedChange} message, header included. */
    public static final int CHANGE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + FeedChangeEncoder.BLOCK_LENGTH;
    private static final int REQUESTS_PER_POLL = 10;
    private static final int MAX_DETAIL_LENGTH = FrameValidator.MAX_DETAIL_LENGTH;

    private final Aeron aeron;
    private final FeedServerContext context;
    private final Subscription requests;
    private final FrameValidator validator = FrameValidator.forFeedRequests();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubscribeFeedDecoder subscribeDecoder = new SubscribeFeedDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final FeedSubscriptionEncoder answerEncoder = new FeedSubscriptionEncoder();
    private final UnsafeBuffer answerBuffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
        FeedSubscriptionEncoder.BLOCK_LENGTH + FeedSubscriptionEncoder.detailHeaderLength() + MAX_DETAIL_LENGTH]);
    private final FragmentHandler requestHandler = this::onRequest;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final FeedCounters counters;
    private final AtomicCounter subscriberCount;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final Consumer<String> log;
    private long nowNanos;

    /**
     * @param aeron   client to publish and subscribe with.
     * @param context what to serve, where, and its limits; concluded here.
     */
    public FeedServer(final Aeron aeron, final FeedServerContext context)
    {
        this.aeron = aeron;
        this.context = context.conclude();
        this.counters = context.counters();
        this.subscriberCount = null == counters ? null : counters.newCounter("subscribers");
        this.nanoClock = context.nanoClock();
        this.epochClock = context.epochClock();
        this.log = context.log();
        this.requests = aeron.addSubscription(context.requestChannel(), context.requestStreamId());
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "paycore-feed-server";
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        nowNanos = nanoClock.nanoTime();
        int work = requests.poll(requestHandler, REQUESTS_PER_POLL);
        long maxLagNanos = 0;
        for (int i = subscribers.size() - 1; i >= 0; i--)
        {
            final Subscriber subscriber = subscribers.get(i);
            work += subscriber.serve();
            if (subscriber.done)
            {
                subscriber.close();
                subscribers.remove(i);
            }
            else
            {
                maxLagNanos = Math.max(maxLagNanos, subscriber.lagNanos);
            }
        }
        if (null != counters)
        {
            counters.lagNanos().setRelease(maxLagNanos);
            subscriberCount.setRelease(servingCount());
        }
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.close();
        }
        subscribers.clear();
        CloseHelper.quietClose(requests);
    }

    /**
     * @return subscribers being served (answered or waiting to be), refusals not counted.
     */
    public int servingCount()
    {
        int count = 0;
        for (int i = 0; i < subscribers.size(); i++)
        {
            count += null == subscribers.get(i).refusal ? 1 : 0;
        }
        return count;
    }

    /**
     * @return the request subscription's channel, as the driver resolved it (the port, if 0 was asked).
     */
    public String requestChannel()
    {
        final List<String> endpoints = requests.localSocketAddresses();
        return endpoints.isEmpty() ? context.requestChannel() :
            context.requestChannel().replaceAll("endpoint=[^|]*", "endpoint=" + endpoints.get(0));
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!validator.validate(buffer, offset, length))
        {
            error("request refused: " + validator.detail());
            return;
        }
        subscribeDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = subscribeDecoder.correlationId();
        final long fromTimestampNanos = subscribeDecoder.fromTimestamp();
        final int streamId = subscribeDecoder.responseStreamId();
        final String channel = subscribeDecoder.responseChannel();
        for (int i = 0; i < subscribers.size(); i++)
        {
            final Subscriber existing = subscribers.get(i);
            if (existing.correlationId == correlationId && existing.streamId == streamId &&
                existing.channel.equals(channel))
            {
                return; // a re-sent request: it is being served already
            }
        }

        String refusal = null;
        FeedStatus status = FeedStatus.SUBSCRIBED;
        if (fromTimestampNanos < 0)
        {
            status = FeedStatus.BAD_REQUEST;
            refusal = "fromTimestamp " + Long.toUnsignedString(fromTimestampNanos) + " is past the largest " +
                "timestamp, 2^63 - 1";
        }
        else if (servingCount() >= context.maxSubscribers())
        {
            status = FeedStatus.FULL;
            refusal = "the feed server serves " + context.maxSubscribers() + " subscribers already " +
                "(its limit, --max-subscribers); try again later";
        }
        else if (subscribers.size() >= context.maxSubscribers() + context.maxSubscribers())
        {
            error("request refused unanswered: too many refusals pending, from " + channel + " stream " + streamId);
            return;
        }

        final ExclusivePublication publication;
        try
        {
            // The server sizes the logs it writes, not whoever sent the request.
            publication = aeron.addExclusivePublication(
                TransportContext.boundedResponseChannel(channel, TransportContext.TERM_LENGTH_DEFAULT, false),
                streamId);
        }
        catch (final AeronException | IllegalArgumentException | IllegalStateException ex)
        {
            error("request refused unanswered: cannot publish to " + channel + " stream " + streamId + ": " +
                ex.getMessage());
            return;
        }
        final Subscriber subscriber = new Subscriber(correlationId, fromTimestampNanos, channel, streamId,
            publication, status, refusal, nowNanos + context.connectTimeoutNanos());
        subscribers.add(subscriber);
        if (null == refusal)
        {
            log.accept("subscriber " + correlationId + " on " + channel + " stream " + streamId + " from " +
                fromTimestampNanos);
        }
        else
        {
            error("subscriber " + correlationId + " on " + channel + " stream " + streamId + " refused: " + refusal);
        }
    }

    private void error(final String message)
    {
        if (null != counters)
        {
            counters.errors().increment();
        }
        log.accept(message);
    }

    private int answer(final Subscriber subscriber)
    {
        answerEncoder.wrapAndApplyHeader(answerBuffer, 0, headerEncoder)
            .correlationId(subscriber.correlationId)
            .fromTimestamp(subscriber.fromTimestampNanos)
            .status(subscriber.status);
        final String detail = null == subscriber.refusal ? "" : subscriber.refusal;
        answerEncoder.detail(detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail);
        final long result = subscriber.publication.offer(answerBuffer, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + answerEncoder.encodedLength());
        return result > 0 ? 1 : 0;
    }

    private static final long NOT_STALLED = Long.MIN_VALUE;

    private final class Subscriber implements LedgerChangeListener
    {
        final long correlationId;
        final long fromTimestampNanos;
        final String channel;
        final int streamId;
        final ExclusivePublication publication;
        final long connectDeadlineNanos;
        final ExpandableDirectByteBuffer queue = new ExpandableDirectByteBuffer(64 * CHANGE_LENGTH);
        final FeedChangeEncoder encoder = new FeedChangeEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        FeedStatus status;
        String refusal;
        ChangeFeed feed;
        boolean answered;
        boolean connected;
        boolean done;
        int queueHead;
        int queueTail;
        long lagNanos;
        long stalledSinceNanos = NOT_STALLED;

        Subscriber(
            final long correlationId,
            final long fromTimestampNanos,
            final String channel,
            final int streamId,
            final ExclusivePublication publication,
            final FeedStatus status,
            final String refusal,
            final long connectDeadlineNanos)
        {
            this.correlationId = correlationId;
            this.fromTimestampNanos = fromTimestampNanos;
            this.channel = channel;
            this.streamId = streamId;
            this.publication = publication;
            this.status = status;
            this.refusal = refusal;
            this.connectDeadlineNanos = connectDeadlineNanos;
        }

        int serve()
        {
            if (!publication.isConnected())
            {
                if (connected || nowNanos - connectDeadlineNanos > 0)
                {
                    log.accept("subscriber " + correlationId + " on " + channel + " stream " + streamId + " " +
                        (connected ? "went away" : "never connected") + (null == feed ? "" :
                        " after " + feed.changesDelivered() + " changes"));
                    done = true;
                }
                return 0;
            }
            connected = true;
            if (null == refusal && null == feed)
            {
                final ChangeFeedContext feedContext = context.feedContext(new ChangeFeedContext());
                final long needed = feedContext.limits().heapBytesEstimate(feedContext.coldTierSizeBytes() > 0);
                final Runtime runtime = Runtime.getRuntime();
                final long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
                if (needed > free)
                {
                    status = FeedStatus.FULL;
                    refusal = "no heap for another replay: it takes about " + (needed >> 20) + " MiB and " +
                        (free >> 20) + " MiB are free; raise the server's heap or lower --max-subscribers";
                    error("subscriber " + correlationId + ": " + refusal);
                }
            }
            if (null == refusal && null == feed)
            {
                try
                {
                    feed = ChangeFeed.open(context.feedContext(new ChangeFeedContext())
                        .fromTimestampNanos(fromTimestampNanos));
                }
                catch (final RuntimeException ex)
                {
                    status = FeedStatus.FAILED;
                    refusal = "cannot follow the journal: " + ex.getMessage();
                    error("subscriber " + correlationId + ": " + refusal);
                }
            }
            if (!answered)
            {
                if (0 == answer(this))
                {
                    return 0;
                }
                answered = true;
                if (null != refusal)
                {
                    done = true;
                }
                return 1;
            }

            int work = 0;
            while (queueHead < queueTail)
            {
                final long result = publication.offer(queue, queueHead, CHANGE_LENGTH);
                if (result < 0)
                {
                    if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                    {
                        done = true;
                    }
                    else if (NOT_STALLED == stalledSinceNanos)
                    {
                        stalledSinceNanos = nowNanos;
                    }
                    else if (nowNanos - stalledSinceNanos > context.stallTimeoutNanos())
                    {
                        // It stopped reading: its place and its replay go to someone who reads.
                        log.accept("subscriber " + correlationId + " on " + channel + " stream " + streamId +
                            " dropped: it took no change for " + context.stallTimeoutNanos() / 1_000_000 +
                            " ms (--stall-timeout)" + (null == feed ? "" :
                            ", after " + feed.changesDelivered() + " changes"));
                        done = true;
                    }
                    return work;
                }
                stalledSinceNanos = NOT_STALLED;
                queueHead += CHANGE_LENGTH;
                work++;
                if (null != counters)
                {
                    counters.published().increment();
                    counters.confirmed().increment();
                    final long timestamp = queue.getLong(queueHead - CHANGE_LENGTH +
                        MessageHeaderEncoder.ENCODED_LENGTH + FeedChangeEncoder.timestampEncodingOffset(),
                        FeedChangeEncoder.BYTE_ORDER);
                    if (timestamp > counters.lastConfirmedTimestamp().get())
                    {
                        counters.lastConfirmedTimestamp().setRelease(timestamp);
                    }
                }
            }
            queueHead = 0;
            queueTail = 0;
            if (null == feed)
            {
                return work;
            }

            try
            {
                final int read = feed.poll(this, RECORDS_PER_POLL);
                lagNanos = 0 == read ? 0 : Math.max(0, epochClock.nanoTime() - feed.lastRecordTimestampNanos());
                return work + read;
            }
            catch (final JournalException | IllegalStateException ex)
            {
                status = FeedStatus.FAILED;
                refusal = "the feed stopped: " + ex.getMessage();
                error("subscriber " + correlationId + ": " + refusal);
                answered = false;
                CloseHelper.quietClose(feed);
                feed = null;
                return work + 1;
            }
        }

        public void onChange(final LedgerChange change)
        {
            queue.checkLimit(queueTail + CHANGE_LENGTH);
            encoder.wrapAndApplyHeader(queue, queueTail, header);
            encoder.transferId().lo(change.transferIdLo()).hi(change.transferIdHi());
            encoder.debitAccountId().lo(change.debitAccountIdLo()).hi(change.debitAccountIdHi());
            encoder.creditAccountId().lo(change.creditAccountIdLo()).hi(change.creditAccountIdHi());
            encoder.amount().lo(change.amountLo()).hi(change.amountHi());
            encoder.pendingId().lo(change.pendingIdLo()).hi(change.pendingIdHi());
            encoder.userData128().lo(change.userData128Lo()).hi(change.userData128Hi());
            encoder.debitAccountDebitsPending()
                .lo(change.debitAccountDebitsPendingLo()).hi(change.debitAccountDebitsPendingHi());
            encoder.debitAccountDebitsPosted()
                .lo(change.debitAccountDebitsPostedLo()).hi(change.debitAccountDebitsPostedHi());
            encoder.debitAccountCreditsPending()
                .lo(change.debitAccountCreditsPendingLo()).hi(change.debitAccountCreditsPendingHi());
            encoder.debitAccountCreditsPosted()
                .lo(change.debitAccountCreditsPostedLo()).hi(change.debitAccountCreditsPostedHi());
            encoder.creditAccountDebitsPending()
                .lo(change.creditAccountDebitsPendingLo()).hi(change.creditAccountDebitsPendingHi());
            encoder.creditAccountDebitsPosted()
                .lo(change.creditAccountDebitsPostedLo()).hi(change.creditAccountDebitsPostedHi());
            encoder.creditAccountCreditsPending()
                .lo(change.creditAccountCreditsPendingLo()).hi(change.creditAccountCreditsPendingHi());
            encoder.creditAccountCreditsPosted()
                .lo(change.creditAccountCreditsPostedLo()).hi(change.creditAccountCreditsPostedHi());
            encoder.timestamp(change.timestampNanos())
                .transferTimestamp(change.transferTimestampNanos())
                .userData64(change.userData64())
                .userData32(change.userData32())
                .timeoutSeconds(change.timeoutSeconds())
                .ledger(change.ledger())
                .code(change.code())
                .flags(change.flags())
                .debitAccountCode(change.debitAccountCode())
                .debitAccountFlags(change.debitAccountFlags())
                .creditAccountCode(change.creditAccountCode())
                .creditAccountFlags(change.creditAccountFlags())
                .changeType(ChangeType.get((short)change.type().ordinal()));
            queueTail += CHANGE_LENGTH;
        }

        void close()
        {
            CloseHelper.closeAll(feed, publication);
        }
    }
}
