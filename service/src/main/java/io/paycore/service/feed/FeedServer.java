package io.paycore.service.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.ChangeType;
import io.paycore.codec.sbe.ConnectStatus;
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
import io.paycore.transport.CredentialGate;
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
 * Only the clients of a credentials file ({@link FeedServerContext#credentials()}) are served: a request carries a
 * client id and credential (protocol version 3), checked by a {@link CredentialGate} off this thread (at most
 * {@link FeedServerContext#maxCredentialChecks()} checks wait at once; a request past them is dropped unanswered and
 * counted). Until its credential passed, nothing is opened for a request: no publication, no replay, no subscriber's
 * place. A request refused (no credential, version 2, an unknown client, a wrong credential) is answered
 * {@link FeedStatus#UNAUTHENTICATED} if at most {@link FeedServerContext#refusalRepliesPerSecond()} were answered in
 * the last second, since an answer opens a publication to the channel the request named; else it is dropped
 * unanswered and counted.
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
    private static final int CREDENTIAL_VERSION = SubscribeFeedDecoder.credentialSinceVersion();

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
    // Answers UNAUTHENTICATED waiting for their channel (until the connect timeout): at most refusalRepliesPerSecond
    // are added a second. Kept apart from the subscribers, so that they take no place there.
    private final List<Subscriber> refusals = new ArrayList<>();
    private final List<CredentialCheck> checks;
    private final int maxChecks;
    private final CredentialGate gate;
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
        // Every check waiting holds a place of the gate's; those done since the last duty cycle wait for it too.
        this.maxChecks = context.maxCredentialChecks() + REQUESTS_PER_POLL;
        this.checks = new ArrayList<>(maxChecks);
        this.requests = aeron.addSubscription(context.requestChannel(), context.requestStreamId());
        this.gate = new CredentialGate(context.credentials(), "paycore-feed-credentials",
            context.maxCredentialChecks(), context.refusalRepliesPerSecond(), nanoClock);
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
        int work = pollChecks();
        work += requests.poll(requestHandler, REQUESTS_PER_POLL);
        for (int i = refusals.size() - 1; i >= 0; i--)
        {
            final Subscriber refusal = refusals.get(i);
            work += refusal.serve();
            if (refusal.done)
            {
                refusal.close();
                refusals.remove(i);
            }
        }
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
        for (final Subscriber refusal : refusals)
        {
            refusal.close();
        }
        refusals.clear();
        checks.clear();
        CloseHelper.quietCloseAll(gate, requests);
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
        // In the schema's order: the decoders check it.
        subscribeDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final int version = subscribeDecoder.actingVersion();
        final long correlationId = subscribeDecoder.correlationId();
        final long fromTimestampNanos = subscribeDecoder.fromTimestamp();
        final int streamId = subscribeDecoder.responseStreamId();
        final long clientId = subscribeDecoder.clientId();
        final String channel = subscribeDecoder.responseChannel();
        final String credential = subscribeDecoder.credential();
        if (isKnown(correlationId, channel, streamId))
        {
            return; // a re-sent request: it is being checked or served already
        }

        if (version < CREDENTIAL_VERSION)
        {
            refuse(correlationId, fromTimestampNanos, channel, streamId,
                name(correlationId, "(protocol version " + version + ")", channel, streamId), "a SubscribeFeed " +
                "of protocol version " + version + " carries no credential: upgrade the subscriber to protocol " +
                "version " + CREDENTIAL_VERSION + ", with a client id and secret of the feed server's credentials " +
                "file");
            return;
        }
        final String name = name(correlationId, "of client " + clientId, channel, streamId);
        if (credential.isEmpty())
        {
            refuse(correlationId, fromTimestampNanos, channel, streamId, name, "the request carries no credential " +
                "(protocol version " + version + "): give the subscriber the secret of client " + clientId +
                " in the feed server's credentials file");
            return;
        }

        final CredentialGate.Check check = checks.size() < maxChecks ? gate.check(clientId, credential) : null;
        if (null == check)
        {
            error(name + " dropped unanswered: " + (checks.size() < maxChecks && gate.droppedForAnotherCredential() ?
                "a check of another credential of that client runs already" :
                gate.maxPending() + " credential checks wait already (--max-credential-checks)"));
        }
        else if (!check.isDone() && gate.sharedRunningCheck() &&
            checks.size() + gate.maxPending() - gate.pending() >= maxChecks)
        {
            // A request that shares a check running takes a place of the list, not of the gate: it may not take
            // those kept for the checks the gate may still start, else a flood of one guess under ever new
            // correlation ids fills the list and every other client's request is dropped.
            error(name + " dropped unanswered: " + checks.size() + " requests wait for credential checks already, " +
                "the rest of the room is kept for other clients' checks (--max-credential-checks)");
        }
        else if (check.isDone())
        {
            onChecked(correlationId, fromTimestampNanos, channel, streamId, clientId, name, check.status());
        }
        else
        {
            checks.add(new CredentialCheck(correlationId, fromTimestampNanos, channel, streamId, clientId, name,
                check));
        }
    }

    private boolean isKnown(final long correlationId, final String channel, final int streamId)
    {
        for (int i = 0; i < checks.size(); i++)
        {
            final CredentialCheck pending = checks.get(i);
            if (pending.correlationId == correlationId && pending.streamId == streamId &&
                pending.channel.equals(channel))
            {
                return true;
            }
        }
        return isKnown(subscribers, correlationId, channel, streamId) ||
            isKnown(refusals, correlationId, channel, streamId);
    }

    private static boolean isKnown(
        final List<Subscriber> list, final long correlationId, final String channel, final int streamId)
    {
        for (int i = 0; i < list.size(); i++)
        {
            final Subscriber existing = list.get(i);
            if (existing.correlationId == correlationId && existing.streamId == streamId &&
                existing.channel.equals(channel))
            {
                return true;
            }
        }
        return false;
    }

    private int pollChecks()
    {
        int work = 0;
        int i = 0;
        while (i < checks.size())
        {
            final CredentialCheck pending = checks.get(i);
            if (pending.check.isDone())
            {
                checks.remove(i);
                onChecked(pending.correlationId, pending.fromTimestampNanos, pending.channel, pending.streamId,
                    pending.clientId, pending.name, pending.check.status());
                work++;
            }
            else
            {
                i++;
            }
        }
        return work;
    }

    private void onChecked(
        final long correlationId,
        final long fromTimestampNanos,
        final String channel,
        final int streamId,
        final long clientId,
        final String name,
        final ConnectStatus status)
    {
        if (ConnectStatus.OK == status)
        {
            admit(correlationId, fromTimestampNanos, channel, streamId, name);
        }
        else if (ConnectStatus.UNKNOWN_CLIENT == status)
        {
            refuse(correlationId, fromTimestampNanos, channel, streamId, name,
                "client " + clientId + " is not in the feed server's credentials file");
        }
        else
        {
            refuse(correlationId, fromTimestampNanos, channel, streamId, name,
                "the credential of client " + clientId + " does not match");
        }
    }

    private static String name(final long correlationId, final String who, final String channel, final int streamId)
    {
        return "subscriber " + correlationId + " " + who + " on " + channel + " stream " + streamId;
    }

    /**
     * Answer UNAUTHENTICATED, if the refusals answered this second leave room: a publication is opened only then.
     */
    private void refuse(
        final long correlationId,
        final long fromTimestampNanos,
        final String channel,
        final int streamId,
        final String name,
        final String refusal)
    {
        if (!gate.mayAnswerRefusal())
        {
            error(name + " refused unanswered (" + context.refusalRepliesPerSecond() + " refusals answered this " +
                "second already): " + refusal);
            return;
        }
        final ExclusivePublication publication = openPublication(channel, streamId);
        if (null != publication)
        {
            refusals.add(new Subscriber(name, correlationId, fromTimestampNanos, channel, streamId, publication,
                FeedStatus.UNAUTHENTICATED, refusal, nowNanos + context.connectTimeoutNanos()));
            error(name + " refused: " + refusal);
        }
    }

    /**
     * A request whose credential passed: served, or answered FULL or BAD_REQUEST.
     */
    private void admit(
        final long correlationId,
        final long fromTimestampNanos,
        final String channel,
        final int streamId,
        final String name)
    {
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
        // Bounds the FULL and BAD_REQUEST answers waiting for their channel too: each holds a publication.
        if (subscribers.size() >= context.maxSubscribers() + context.maxSubscribers())
        {
            error("request refused unanswered: too many refusals pending, from " + channel + " stream " + streamId);
            return;
        }

        final ExclusivePublication publication = openPublication(channel, streamId);
        if (null == publication)
        {
            return;
        }
        final Subscriber subscriber = new Subscriber(name, correlationId, fromTimestampNanos, channel, streamId,
            publication, status, refusal, nowNanos + context.connectTimeoutNanos());
        subscribers.add(subscriber);
        if (null == refusal)
        {
            log.accept(name + " from " + fromTimestampNanos);
        }
        else
        {
            error(name + " refused: " + refusal);
        }
    }

    private ExclusivePublication openPublication(final String channel, final int streamId)
    {
        // The server sizes the logs it writes, not whoever sent the request.
        return TransportContext.addServerSizedPublication(aeron, channel, streamId, (reason) ->
            error("request refused unanswered: cannot publish to " + channel + " stream " + streamId + ": " + reason));
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

    /**
     * A request whose credential is being checked: nothing is opened for it yet.
     */
    private static final class CredentialCheck
    {
        final long correlationId;
        final long fromTimestampNanos;
        final String channel;
        final int streamId;
        final long clientId;
        final String name;
        final CredentialGate.Check check;

        CredentialCheck(
            final long correlationId,
            final long fromTimestampNanos,
            final String channel,
            final int streamId,
            final long clientId,
            final String name,
            final CredentialGate.Check check)
        {
            this.correlationId = correlationId;
            this.fromTimestampNanos = fromTimestampNanos;
            this.channel = channel;
            this.streamId = streamId;
            this.clientId = clientId;
            this.name = name;
            this.check = check;
        }
    }

    private final class Subscriber implements LedgerChangeListener
    {
        final String name;
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
            final String name,
            final long correlationId,
            final long fromTimestampNanos,
            final String channel,
            final int streamId,
            final ExclusivePublication publication,
            final FeedStatus status,
            final String refusal,
            final long connectDeadlineNanos)
        {
            this.name = name;
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
                    log.accept(name + " " + (connected ? "went away" : "never connected") + (null == feed ? "" :
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
                    error(name + ": " + refusal);
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
                    error(name + ": " + refusal);
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
                        log.accept(name + " dropped: it took no change for " + context.stallTimeoutNanos() / 1_000_000 +
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
                error(name + ": " + refusal);
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
