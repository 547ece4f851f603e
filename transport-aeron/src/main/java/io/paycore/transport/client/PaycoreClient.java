package io.paycore.transport.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.AccountBalancesResultDecoder;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.ConnectEncoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.GetAccountBalancesEncoder;
import io.paycore.codec.sbe.GetAccountTransfersEncoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.LookupTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.QueryAccountsEncoder;
import io.paycore.codec.sbe.QueryAccountsResultDecoder;
import io.paycore.codec.sbe.QueryRefusedDecoder;
import io.paycore.codec.sbe.QueryStatus;
import io.paycore.codec.sbe.QueryTransfersEncoder;
import io.paycore.codec.sbe.QueryTransfersResultDecoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEvents;
import io.paycore.core.ledger.IdArray;
import io.paycore.core.ledger.TransferEvents;
import io.paycore.core.ledger.UInt128;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.LangUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A client of the paycore service over Aeron: of a single-node service ({@code serve}), or of a cluster
 * ({@code node}) when {@link ClientContext#clusterIngressEndpoints(String)} is set. To a cluster, the client speaks
 * through Aeron Cluster's client, logging in with its client id and secret: it finds the leader and follows a new
 * one by itself. While it waits for one, a send answers {@link Publication#BACK_PRESSURED}: poll, and send again.
 * It keeps every request in flight (up to {@link ClientContext#clusterMaxInFlightRequests()} and
 * {@link ClientContext#clusterMaxInFlightBytes()}; past them a send answers {@link Publication#BACK_PRESSURED}) and
 * sends them again, in order, to a new leader, in either API: the same bytes, so the same ids (events the old leader
 * had committed answer {@code EXISTS}) and the same correlation ids. A second answer to a request is dropped, so
 * the caller sees one answer per request.
 * <h2>Two APIs</h2>
 * <ul>
 *     <li>Callback, for latency-sensitive users: {@link #createAccounts}, {@link #createTransfers},
 *     {@link #lookupAccounts} and {@link #lookupTransfers} encode into a preallocated buffer and offer it once,
 *     returning the request's correlation id, or a negative {@link Publication} code ({@link
 *     Publication#BACK_PRESSURED}, {@link Publication#NOT_CONNECTED}, {@link Publication#ADMIN_ACTION},
 *     {@link Publication#CLOSED}, {@link Publication#MAX_POSITION_EXCEEDED}) when nothing was sent, in which case
 *     the correlation id is not used up. {@link #poll(EgressListener)} hands the answers to a listener, decoded in
 *     place. None of these allocates.</li>
 *     <li>Blocking, for everyone else: {@link #createAccountsAndWait}, {@link #createTransfersAndWait},
 *     {@link #lookupAccountsAndWait} and {@link #lookupTransfersAndWait} send, wait for the answer and return it
 *     as plain objects, or throw {@link PaycoreClientException} on timeout, {@code Rejected} or disconnection.
 *     Answers to other requests that arrive meanwhile are discarded, so do not mix the two APIs with requests in
 *     flight. The timeout bounds the whole call, a new session with a cluster included. A timeout that is not
 *     positive is refused ({@link IllegalArgumentException}) before anything is sent. After a timeout, a
 *     disconnection while waiting, or {@code Rejected(UNAVAILABLE)}, the request's outcome is unknown: send it
 *     again with the same ids (what was applied answers {@code EXISTS}).</li>
 * </ul>
 * Correlation ids are this client's, increasing by one per request sent (from 1 to a cluster; to a single service
 * from 2, its {@code Connect} having taken 1's place). A client whose service session is gone sends nothing
 * more ({@link Publication#NOT_CONNECTED}): connect a new one.
 * <p>
 * Not thread safe: one thread uses a client.
 */
public final class PaycoreClient implements AutoCloseable, FragmentHandler
{
    /**
     * Queries take correlation ids from here up (from a point no one can guess), apart from requests to the
     * service, whose ids a cluster's client keeps consecutive.
     */
    public static final long FIRST_QUERY_CORRELATION_ID = 1L << 62;

    private final ClientContext context;
    private final ClientLink link;
    private final IdleStrategy idleStrategy;
    private final int fragmentLimit;
    private static final SecureRandom UNGUESSABLE_IDS = new SecureRandom();

    private final FrameValidator validator = FrameValidator.forEgress();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(BitUtil.align(ProtocolLimits.MAX_MESSAGE_LENGTH, 64), 64));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final RequestEncoder requestEncoder = new RequestEncoder();
    private final LookupAccountsEncoder lookupAccountsEncoder = new LookupAccountsEncoder();
    private final LookupTransfersEncoder lookupTransfersEncoder = new LookupTransfersEncoder();
    private final ConnectResultDecoder connectResultDecoder = new ConnectResultDecoder();
    private final CreateAccountsResultDecoder createAccountsResultDecoder = new CreateAccountsResultDecoder();
    private final CreateTransfersResultDecoder createTransfersResultDecoder = new CreateTransfersResultDecoder();
    private final AccountsDecoder accountsDecoder = new AccountsDecoder();
    private final TransfersDecoder transfersDecoder = new TransfersDecoder();
    private final RejectedDecoder rejectedDecoder = new RejectedDecoder();
    private final FrameValidator queryValidator = FrameValidator.forQueryAnswers();
    private final GetAccountTransfersEncoder getAccountTransfersEncoder = new GetAccountTransfersEncoder();
    private final GetAccountBalancesEncoder getAccountBalancesEncoder = new GetAccountBalancesEncoder();
    private final QueryAccountsEncoder queryAccountsEncoder = new QueryAccountsEncoder();
    private final QueryTransfersEncoder queryTransfersEncoder = new QueryTransfersEncoder();
    private final QueryTransfersResultDecoder queryTransfersResultDecoder = new QueryTransfersResultDecoder();
    private final QueryAccountsResultDecoder queryAccountsResultDecoder = new QueryAccountsResultDecoder();
    private final AccountBalancesResultDecoder accountBalancesResultDecoder = new AccountBalancesResultDecoder();
    private final QueryRefusedDecoder queryRefusedDecoder = new QueryRefusedDecoder();
    private ExclusivePublication queryPublication;
    private Subscription queryAnswers;
    private FragmentAssembler queryAssembler;
    private String queryResponseChannel;
    private int queryResponseStreamId;
    // Where no one can guess: query answers share the query server's one publication per channel, so another asker
    // naming this client's channel could otherwise answer its next query first.
    private final long firstQueryCorrelationId = FIRST_QUERY_CORRELATION_ID + (UNGUESSABLE_IDS.nextLong() >>> 3);
    private long nextQueryCorrelationId = firstQueryCorrelationId;
    private long lastWriteTimestamp;
    private final Waiter waiter = new Waiter();

    private EgressListener listener;
    private Throwable listenerFailure;
    private long nextCorrelationId = 1;
    private long malformedAnswers;
    private long foreignAnswers;
    private long foreignQueryAnswers;
    private boolean lockedToService;
    private int serviceSessionId;
    private final InFlightRequests inFlight;
    private long leaderChangesSeen;
    private final long reconnectAfterNanos;
    private long lastProgressNanos;
    private boolean closed;
    private boolean inBlockingCall;
    private long blockingCallDeadlineNanos;

    private PaycoreClient(final ClientContext context, final long connectDeadlineNanos)
    {
        this.context = context;
        this.idleStrategy = context.idleStrategy();
        this.fragmentLimit = context.fragmentLimit();
        this.link = null != context.clusterIngressEndpoints() ?
            new ClusterLink(context, connectDeadlineNanos) : new DirectLink(context, connectDeadlineNanos);
        inFlight = null == context.clusterIngressEndpoints() ? null :
            new InFlightRequests(context.clusterMaxInFlightRequests(), context.clusterMaxInFlightBytes());
        reconnectAfterNanos = context.clusterReconnectAfterNanos();
    }

    /**
     * Connect to the service and authenticate: wait for the ingress publication to connect, send {@code Connect},
     * wait for {@code ConnectResult}, all within the connect timeout.
     *
     * @param context who the client is and where the service is; concluded here.
     * @return a connected client.
     * @throws PaycoreClientException when no service answered within the timeout ("no paycore service answered on
     *                                &lt;channel&gt; stream &lt;id&gt; within 5 s"), or it refused the connect (see
     *                                {@link PaycoreClientException#connectStatus()}).
     */
    public static PaycoreClient connect(final ClientContext context)
    {
        context.conclude();
        final long deadlineNanos = System.nanoTime() + context.connectTimeoutNanos();
        final PaycoreClient client = new PaycoreClient(context, deadlineNanos);
        try
        {
            if (client.link.needsConnect())
            {
                client.handshake(deadlineNanos);
            }
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
        return client;
    }

    private void handshake(final long deadlineNanos)
    {
        while (!((DirectLink)link).isPublicationConnected())
        {
            if (System.nanoTime() - deadlineNanos > 0)
            {
                throw noService();
            }
            idleStrategy.idle();
        }
        idleStrategy.reset();

        // Not the next request's id but one no one can guess: another client may name this one's response channel
        // and stream in its own Connect, and must not be able to answer this Connect (see onFragment).
        final long correlationId = (UNGUESSABLE_IDS.nextLong() >>> 2) | 1;
        connectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .clientId(context.clientId())
            .responseStreamId(context.responseStreamId())
            .credential(context.secret())
            .responseChannel(context.responseChannel());
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength();
        sendWithRetry(() -> offer(correlationId, length), deadlineNanos, true);

        waiter.expect(correlationId);
        while (!waiter.answered)
        {
            final int fragments = poll(waiter);
            if (System.nanoTime() - deadlineNanos > 0)
            {
                throw noService();
            }
            idleStrategy.idle(fragments);
        }
        if (ConnectStatus.OK != waiter.connectStatus)
        {
            throw new PaycoreClientException("paycore service on " + context.ingressChannel() + " stream " +
                context.ingressStreamId() + " refused client " + context.clientId() + ": " + waiter.connectStatus +
                " (" + waiter.detail + ")", waiter.connectStatus, null);
        }
        serviceSessionId = waiter.connectSessionId;
        lockedToService = true;
    }

    private PaycoreClientException noService()
    {
        return new PaycoreClientException("no paycore service answered on " + context.ingressChannel() +
            " stream " + context.ingressStreamId() + " within " + format(context.connectTimeoutNanos()));
    }

    /**
     * Send a batch of account events. Callback API: does not allocate.
     *
     * @param events at most {@link ProtocolLimits#MAX_BATCH_EVENTS} (the service may set a lower limit).
     * @return the correlation id of the request, or a negative {@link Publication} code if it was not sent.
     * @throws IllegalArgumentException if the batch is larger than the protocol allows.
     */
    public long createAccounts(final AccountEvents events)
    {
        checkCount(events.count());
        final long correlationId = nextCorrelationId;
        return offer(correlationId, requestEncoder.createAccounts(sendBuffer, 0, correlationId, events));
    }

    /**
     * Send a batch of transfer events. Callback API: does not allocate.
     *
     * @param events at most {@link ProtocolLimits#MAX_BATCH_EVENTS} (the service may set a lower limit).
     * @return the correlation id of the request, or a negative {@link Publication} code if it was not sent.
     * @throws IllegalArgumentException if the batch is larger than the protocol allows.
     */
    public long createTransfers(final TransferEvents events)
    {
        checkCount(events.count());
        final long correlationId = nextCorrelationId;
        return offer(correlationId, requestEncoder.createTransfers(sendBuffer, 0, correlationId, events));
    }

    /**
     * What a callback-API send's result means to a caller that keeps requests in flight against one service:
     * sent, back-pressured (try again), or never to be sent because the service went away.
     *
     * @param result what {@link #createTransfers} or another callback-API send returned.
     * @return true if it was sent, false if it was back-pressured or the publication is not yet free.
     * @throws PaycoreClientException if the publication is not connected, closed or at its maximum position.
     */
    public static boolean sent(final long result)
    {
        if (result >= 0)
        {
            return true;
        }
        if (Publication.NOT_CONNECTED == result || Publication.CLOSED == result ||
            Publication.MAX_POSITION_EXCEEDED == result)
        {
            throw new PaycoreClientException("the service went away: offer returned " +
                Publication.errorString(result));
        }
        return false;
    }

    /**
     * Look accounts up by id. Callback API: does not allocate.
     *
     * @param ids the 128-bit ids, as (hi, lo) pairs.
     * @return the correlation id of the request, or a negative {@link Publication} code if it was not sent.
     */
    public long lookupAccounts(final IdArray ids)
    {
        final int count = ids.count();
        checkCount(count);
        final long correlationId = nextCorrelationId;
        final LookupAccountsEncoder.IdsEncoder group = lookupAccountsEncoder
            .wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .idsCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next().id().lo(ids.lo(i)).hi(ids.hi(i));
        }
        return offer(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + lookupAccountsEncoder.encodedLength());
    }

    /**
     * Look transfers up by id. Callback API: does not allocate.
     *
     * @param ids the 128-bit ids, as (hi, lo) pairs.
     * @return the correlation id of the request, or a negative {@link Publication} code if it was not sent.
     */
    public long lookupTransfers(final IdArray ids)
    {
        final int count = ids.count();
        checkCount(count);
        final long correlationId = nextCorrelationId;
        final LookupTransfersEncoder.IdsEncoder group = lookupTransfersEncoder
            .wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .idsCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next().id().lo(ids.lo(i)).hi(ids.hi(i));
        }
        return offer(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + lookupTransfersEncoder.encodedLength());
    }

    /**
     * Hand the answers that have arrived to a listener, decoded in place. Answers that are not well-formed paycore
     * egress messages are skipped and counted ({@link #malformedAnswers()}). Does not allocate.
     * <p>
     * What the listener throws is thrown from here once the answers read in this poll have each been handed to
     * it (the answer it threw on counts as handed on: it is not handed on again); further throws in the same poll
     * are added to the first as suppressed. Aeron would otherwise catch it and hand it to its error handler.
     * <p>
     * A cluster's client whose session the cluster closed takes a new one here, blocking for up to the connect
     * timeout. Once this client is closed, reads nothing.
     *
     * @param listener receives the answers.
     * @return the number of fragments read.
     */
    public int poll(final EgressListener listener)
    {
        this.listener = listener;
        listenerFailure = null;
        final int fragments;
        try
        {
            // Once closed, nothing more: a new session here would be one that nothing closes.
            if (null != inFlight && !closed)
            {
                if (!link.isConnected())
                {
                    // The cluster closed the session: no leader took it in time (an election longer than the new
                    // leader timeout), or a leader closed it. Take a new one, within the connect timeout; what is
                    // in flight is then sent again, as to a new leader. If none is had, the session stays closed
                    // and the caller is told why.
                    lastProgressNanos = System.nanoTime();
                    link.reconnect(reconnectDeadlineNanos(lastProgressNanos));
                }
                else if (inFlight.size() > 0)
                {
                    // No answer at all for a while: the requests may be stamped with a leadership term the leader
                    // drops (a leader restarted at once and elected again, its new term never heard of). A new
                    // session learns the term; what is in flight is then sent again, as to a new leader.
                    final long nowNanos = System.nanoTime();
                    if (nowNanos - lastProgressNanos > reconnectAfterNanos)
                    {
                        lastProgressNanos = nowNanos;
                        link.reconnect(reconnectDeadlineNanos(nowNanos));
                    }
                }
                final long leaderChanges = link.leaderChanges();
                if (leaderChanges != leaderChangesSeen)
                {
                    leaderChangesSeen = leaderChanges;
                    inFlight.onNewLeader();
                }
                inFlight.resend(link);
            }
            final int answers = link.poll(this, fragmentLimit);
            fragments = null == queryAnswers ? answers : answers + queryAnswers.poll(queryAssembler, fragmentLimit);
        }
        finally
        {
            this.listener = null;
        }
        final Throwable failure = listenerFailure;
        if (null != failure)
        {
            listenerFailure = null;
            LangUtil.rethrowUnchecked(failure);
        }
        return fragments;
    }

    /**
     * A new session taken in a blocking call ends with the call's wait; one taken in a plain poll may take the whole
     * connect timeout.
     */
    private long reconnectDeadlineNanos(final long nowNanos)
    {
        return inBlockingCall ? blockingCallDeadlineNanos : nowNanos + context.connectTimeoutNanos();
    }

    /**
     * Create accounts and wait for the results.
     *
     * @param events  the batch.
     * @param timeout how long to wait, sending included.
     * @return one result per event, in order.
     * @throws PaycoreClientException on timeout, {@code Rejected} or disconnection.
     */
    public CreateResults<CreateAccountResult> createAccountsAndWait(final AccountEvents events, final Duration timeout)
    {
        final long deadlineNanos = deadline(timeout);
        final long correlationId = sendWithRetry(() -> createAccounts(events), deadlineNanos, false);
        await(correlationId, deadlineNanos, timeout);
        return new CreateResults<>(correlationId, waiter.accountResults, waiter.timestamps);
    }

    /**
     * Create transfers and wait for the results.
     *
     * @param events  the batch.
     * @param timeout how long to wait, sending included.
     * @return one result per event, in order.
     * @throws PaycoreClientException on timeout, {@code Rejected} or disconnection.
     */
    public CreateResults<CreateTransferResult> createTransfersAndWait(
        final TransferEvents events, final Duration timeout)
    {
        final long deadlineNanos = deadline(timeout);
        final long correlationId = sendWithRetry(() -> createTransfers(events), deadlineNanos, false);
        await(correlationId, deadlineNanos, timeout);
        return new CreateResults<>(correlationId, waiter.transferResults, waiter.timestamps);
    }

    /**
     * Look accounts up by ids below 2<sup>64</sup> and wait for them.
     *
     * @param timeout how long to wait, sending included.
     * @param ids     the ids to look up, their high halves 0.
     * @return the accounts found, in the order of {@code ids}; ids not found are left out.
     * @throws PaycoreClientException on timeout, {@code Rejected} or disconnection.
     */
    public List<Account> lookupAccountsAndWait(final Duration timeout, final long... ids)
    {
        final IdArray batch = new IdArray(ids.length);
        for (final long id : ids)
        {
            batch.add(id);
        }
        return lookupAccountsAndWait(timeout, batch);
    }

    /**
     * Look accounts up and wait for them.
     *
     * @param timeout how long to wait, sending included.
     * @param ids     the 128-bit ids to look up.
     * @return the accounts found, in the order of {@code ids}; ids not found are left out.
     * @throws PaycoreClientException on timeout, {@code Rejected} or disconnection.
     */
    public List<Account> lookupAccountsAndWait(final Duration timeout, final IdArray ids)
    {
        final long deadlineNanos = deadline(timeout);
        final long correlationId = sendWithRetry(() -> lookupAccounts(ids), deadlineNanos, false);
        await(correlationId, deadlineNanos, timeout);
        return List.copyOf(waiter.accounts);
    }

    /**
     * Look transfers up by ids below 2<sup>64</sup> and wait for them.
     *
     * @param timeout how long to wait, sending included.
     * @param ids     the ids to look up, their high halves 0.
     * @return the transfers found, in the order of {@code ids}; ids not found are left out.
     * @throws PaycoreClientException on timeout, {@code Rejected} or disconnection.
     */
    public List<Transfer> lookupTransfersAndWait(final Duration timeout, final long... ids)
    {
        final IdArray batch = new IdArray(ids.length);
        for (final long id : ids)
        {
            batch.add(id);
        }
        return lookupTransfersAndWait(timeout, batch);
    }

    /**
     * Look transfers up and wait for them.
     *
     * @param timeout how long to wait, sending included.
     * @param ids     the 128-bit ids to look up.
     * @return the transfers found, in the order of {@code ids}; ids not found are left out.
     * @throws PaycoreClientException on timeout, {@code Rejected} or disconnection.
     */
    public List<Transfer> lookupTransfersAndWait(final Duration timeout, final IdArray ids)
    {
        final long deadlineNanos = deadline(timeout);
        final long correlationId = sendWithRetry(() -> lookupTransfers(ids), deadlineNanos, false);
        await(correlationId, deadlineNanos, timeout);
        return List.copyOf(waiter.transfers);
    }

    /**
     * Ask the query server ({@link ClientContext#queryChannel()}) for the transfers an account took part in, as
     * TigerBeetle's {@code get_account_transfers}; the answer ({@link EgressListener#onQueryTransfersResult}) comes
     * on this client's response channel, as of a journal sequence that includes this client's last write. Page by
     * timestamp: ask again from the last result's timestamp + 1 (or, reversed, up to its timestamp - 1).
     *
     * @param filter which transfers; its limit at most {@link ProtocolLimits#MAX_BATCH_EVENTS}.
     * @return the correlation id of the query, or a negative {@link Publication} code if it was not sent.
     * @throws PaycoreClientException if no query server is configured.
     */
    public long getAccountTransfers(final AccountFilter filter)
    {
        final long correlationId = nextQueryCorrelationId;
        if (!queryLinkReady())
        {
            return Publication.NOT_CONNECTED;
        }
        final GetAccountTransfersEncoder e = getAccountTransfersEncoder.wrapAndApplyHeader(sendBuffer, 0,
            headerEncoder).correlationId(correlationId).minTimestamp(lastWriteTimestamp);
        e.accountId().lo(filter.accountIdLo()).hi(filter.accountIdHi());
        e.userData128().lo(filter.userData128Lo()).hi(filter.userData128Hi());
        e.userData64(filter.userData64()).timestampMin(filter.timestampMin()).timestampMax(filter.timestampMax())
            .userData32(filter.userData32()).resultLimit(filter.limit()).flags(filter.flags() & 0xFFFF_FFFFL)
            .responseStreamId(queryResponseStreamId).code(filter.code())
            .clientId(context.clientId()).responseChannel(queryResponseChannel).credential(context.secret());
        return offerQuery(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    /**
     * Ask the query server for an account's balances after each change, as TigerBeetle's
     * {@code get_account_balances} (accounts with the {@code history} flag); answered by
     * {@link EgressListener#onAccountBalancesResult}. As {@link #getAccountTransfers(AccountFilter)} otherwise.
     *
     * @param filter which balances.
     * @return the correlation id of the query, or a negative {@link Publication} code if it was not sent.
     * @throws PaycoreClientException if no query server is configured.
     */
    public long getAccountBalances(final AccountFilter filter)
    {
        final long correlationId = nextQueryCorrelationId;
        if (!queryLinkReady())
        {
            return Publication.NOT_CONNECTED;
        }
        final GetAccountBalancesEncoder e = getAccountBalancesEncoder.wrapAndApplyHeader(sendBuffer, 0,
            headerEncoder).correlationId(correlationId).minTimestamp(lastWriteTimestamp);
        e.accountId().lo(filter.accountIdLo()).hi(filter.accountIdHi());
        e.userData128().lo(filter.userData128Lo()).hi(filter.userData128Hi());
        e.userData64(filter.userData64()).timestampMin(filter.timestampMin()).timestampMax(filter.timestampMax())
            .userData32(filter.userData32()).resultLimit(filter.limit()).flags(filter.flags() & 0xFFFF_FFFFL)
            .responseStreamId(queryResponseStreamId).code(filter.code())
            .clientId(context.clientId()).responseChannel(queryResponseChannel).credential(context.secret());
        return offerQuery(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    /**
     * Ask the query server for the accounts matching a filter, as TigerBeetle's {@code query_accounts}; answered by
     * {@link EgressListener#onQueryAccountsResult}.
     *
     * @param filter which accounts.
     * @return the correlation id of the query, or a negative {@link Publication} code if it was not sent.
     * @throws PaycoreClientException if no query server is configured.
     */
    public long queryAccounts(final QueryFilter filter)
    {
        final long correlationId = nextQueryCorrelationId;
        if (!queryLinkReady())
        {
            return Publication.NOT_CONNECTED;
        }
        final QueryAccountsEncoder e = queryAccountsEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId).minTimestamp(lastWriteTimestamp);
        e.userData128().lo(filter.userData128Lo()).hi(filter.userData128Hi());
        e.userData64(filter.userData64()).timestampMin(filter.timestampMin()).timestampMax(filter.timestampMax())
            .userData32(filter.userData32()).ledger(filter.ledger()).resultLimit(filter.limit())
            .flags(filter.flags() & 0xFFFF_FFFFL).responseStreamId(queryResponseStreamId).code(filter.code())
            .clientId(context.clientId()).responseChannel(queryResponseChannel).credential(context.secret());
        return offerQuery(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    /**
     * Ask the query server for the transfers matching a filter, as TigerBeetle's {@code query_transfers};
     * answered by {@link EgressListener#onQueryTransfersResult}.
     *
     * @param filter which transfers.
     * @return the correlation id of the query, or a negative {@link Publication} code if it was not sent.
     * @throws PaycoreClientException if no query server is configured.
     */
    public long queryTransfers(final QueryFilter filter)
    {
        final long correlationId = nextQueryCorrelationId;
        if (!queryLinkReady())
        {
            return Publication.NOT_CONNECTED;
        }
        final QueryTransfersEncoder e = queryTransfersEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId).minTimestamp(lastWriteTimestamp);
        e.userData128().lo(filter.userData128Lo()).hi(filter.userData128Hi());
        e.userData64(filter.userData64()).timestampMin(filter.timestampMin()).timestampMax(filter.timestampMax())
            .userData32(filter.userData32()).ledger(filter.ledger()).resultLimit(filter.limit())
            .flags(filter.flags() & 0xFFFF_FFFFL).responseStreamId(queryResponseStreamId).code(filter.code())
            .clientId(context.clientId()).responseChannel(queryResponseChannel).credential(context.secret());
        return offerQuery(correlationId, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    /**
     * {@link #getAccountTransfers(AccountFilter)} and wait for the answer.
     *
     * @param filter  which transfers.
     * @param timeout how long to wait, sending included.
     * @return the transfers, in the filter's order.
     * @throws PaycoreClientException on timeout, a refusal (its status and detail), or disconnection.
     */
    public List<Transfer> getAccountTransfersAndWait(final AccountFilter filter, final Duration timeout)
    {
        final long deadlineNanos = deadline(timeout);
        await(sendQueryWithRetry(() -> getAccountTransfers(filter), deadlineNanos), deadlineNanos, timeout);
        return List.copyOf(waiter.transfers);
    }

    /**
     * {@link #getAccountBalances(AccountFilter)} and wait for the answer.
     *
     * @param filter  which balances.
     * @param timeout how long to wait, sending included.
     * @return the balances, in the filter's order.
     * @throws PaycoreClientException on timeout, a refusal, or disconnection.
     */
    public List<AccountBalance> getAccountBalancesAndWait(final AccountFilter filter, final Duration timeout)
    {
        final long deadlineNanos = deadline(timeout);
        await(sendQueryWithRetry(() -> getAccountBalances(filter), deadlineNanos), deadlineNanos, timeout);
        return List.copyOf(waiter.balances);
    }

    /**
     * {@link #queryAccounts(QueryFilter)} and wait for the answer.
     *
     * @param filter  which accounts.
     * @param timeout how long to wait, sending included.
     * @return the accounts, in the filter's order.
     * @throws PaycoreClientException on timeout, a refusal, or disconnection.
     */
    public List<Account> queryAccountsAndWait(final QueryFilter filter, final Duration timeout)
    {
        final long deadlineNanos = deadline(timeout);
        await(sendQueryWithRetry(() -> queryAccounts(filter), deadlineNanos), deadlineNanos, timeout);
        return List.copyOf(waiter.accounts);
    }

    /**
     * {@link #queryTransfers(QueryFilter)} and wait for the answer.
     *
     * @param filter  which transfers.
     * @param timeout how long to wait, sending included.
     * @return the transfers, in the filter's order.
     * @throws PaycoreClientException on timeout, a refusal, or disconnection.
     */
    public List<Transfer> queryTransfersAndWait(final QueryFilter filter, final Duration timeout)
    {
        final long deadlineNanos = deadline(timeout);
        await(sendQueryWithRetry(() -> queryTransfers(filter), deadlineNanos), deadlineNanos, timeout);
        return List.copyOf(waiter.transfers);
    }

    /**
     * @return the greatest timestamp of a write of this client's the service answered {@code OK}: every query
     * this client sends is answered as of a journal sequence that includes it (read your writes).
     */
    public long lastWriteTimestamp()
    {
        return lastWriteTimestamp;
    }

    /**
     * @return true while both directions to the service are connected. A client the service disconnected (for
     * example because it did not read its answers) sees false once the response image goes.
     */
    public boolean isConnected()
    {
        return !closed && link.isConnected();
    }

    /**
     * @return the correlation id the next request will get.
     */
    public long nextCorrelationId()
    {
        return nextCorrelationId;
    }

    /**
     * @return answers skipped because they were not well-formed paycore egress messages.
     */
    public long malformedAnswers()
    {
        return malformedAnswers;
    }

    /**
     * @return service answers skipped because they came on a publication other than the one this client's
     * {@code ConnectResult} came on: another session's, sent to the same response channel and stream.
     */
    public long foreignAnswers()
    {
        return foreignAnswers;
    }

    /**
     * @return query answers skipped because they answer no query this client sent: the query server answers every
     * asker naming the same channel and stream on one publication, so another asker's answers come here too.
     */
    public long foreignQueryAnswers()
    {
        return foreignQueryAnswers;
    }

    /**
     * @return the configuration.
     */
    public ClientContext context()
    {
        return context;
    }

    /**
     * Close the publication and subscription, and the Aeron client if this client connected it. Closing twice is
     * safe.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(queryPublication, queryAnswers, link);
        }
    }

    /**
     * Decode one reassembled answer; part of {@link #poll(EgressListener)}.
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        try
        {
            decode(buffer, offset, length, header);
        }
        catch (final Throwable ex)
        {
            // Not to Aeron, whose Image.poll would catch it and hand it to its error handler: to poll's caller.
            if (null == listenerFailure)
            {
                listenerFailure = ex;
            }
            else if (listenerFailure != ex)
            {
                listenerFailure.addSuppressed(ex);
            }
        }
    }

    private void decode(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final EgressListener listener = this.listener;
        if (!validator.validate(buffer, offset, length))
        {
            if (queryValidator.validate(buffer, offset, length))
            {
                onQueryAnswer(listener, buffer, offset);
                return;
            }
            malformedAnswers++;
            return;
        }
        // The service answers on one publication, the one its ConnectResult came on. Another client that named this
        // client's response channel in its own Connect gets a publication of its own onto the same stream: what
        // comes on it is that client's, not this one's.
        final int sessionId = header.sessionId();
        if (lockedToService && sessionId != serviceSessionId)
        {
            foreignAnswers++;
            return;
        }
        waiter.fragmentSessionId = sessionId;
        // From a cluster: an answer releases its request; one to a request answered already is a duplicate. A
        // Rejected that could not name its request (0) releases nothing.
        final long correlationId = validator.correlationId();
        if (null != inFlight && 0 != correlationId)
        {
            if (!inFlight.answered(correlationId))
            {
                return;
            }
            lastProgressNanos = System.nanoTime();
        }

        switch (validator.templateId())
        {
            case CreateAccountsResultDecoder.TEMPLATE_ID:
                noteWriteTimestamps(createAccountsResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                listener.onCreateAccountsResult(
                    createAccountsResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case CreateTransfersResultDecoder.TEMPLATE_ID:
                noteWriteTimestamps(createTransfersResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                listener.onCreateTransfersResult(
                    createTransfersResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case AccountsDecoder.TEMPLATE_ID:
                listener.onAccounts(accountsDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case TransfersDecoder.TEMPLATE_ID:
                listener.onTransfers(transfersDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case RejectedDecoder.TEMPLATE_ID:
                listener.onRejected(rejectedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case ConnectResultDecoder.TEMPLATE_ID:
                listener.onConnectResult(connectResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            default:
                malformedAnswers++;
        }
    }

    private long offer(final long correlationId, final int length)
    {
        if (null != inFlight && !inFlight.canSend(length))
        {
            return Publication.BACK_PRESSURED;
        }
        if (closed)
        {
            return Publication.CLOSED;
        }
        if (null == inFlight && lockedToService && !link.isConnected())
        {
            // The service's session is gone (its answers' image went): a service restarted on the same media driver
            // connects the ingress publication again, but drops what comes from a session it never authenticated.
            return Publication.NOT_CONNECTED;
        }
        final long result = link.offer(sendBuffer, 0, length);
        if (result > 0)
        {
            nextCorrelationId++;
            if (null != inFlight)
            {
                if (0 == inFlight.size())
                {
                    // The silence before a new session counts from the first request in flight.
                    lastProgressNanos = System.nanoTime();
                }
                inFlight.sent(correlationId, sendBuffer, 0, length);
            }
            return correlationId;
        }
        if (null != inFlight && (Publication.NOT_CONNECTED == result || Publication.CLOSED == result) &&
            link.isConnected())
        {
            // A cluster's session waiting for a new leader: Aeron Cluster's client answers NOT_CONNECTED, then
            // CLOSED, until one takes it or the new leader timeout closes the session. Not sent, but not the end.
            return Publication.BACK_PRESSURED;
        }
        return result;
    }

    /**
     * Open the way to the query server on first use: its publication and, for a cluster's client, a subscription
     * of the client's own for the answers (a single service's client takes them on its response channel).
     *
     * @return true once the channel the answers go to is known (a port 0 resolved).
     */
    private boolean queryLinkReady()
    {
        if (null == queryPublication)
        {
            if (null == context.queryChannel())
            {
                throw new PaycoreClientException("no query server: set ClientContext.queryChannel to the channel " +
                    "of a paycore query-server");
            }
            final Aeron aeron = link.aeron();
            if (link instanceof DirectLink)
            {
                queryResponseChannel = context.responseChannel();
                queryResponseStreamId = context.responseStreamId();
            }
            else
            {
                queryAnswers = aeron.addSubscription(context.queryResponseChannel(), context.queryResponseStreamId());
                queryAssembler = new FragmentAssembler(this, ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);
                queryResponseStreamId = context.queryResponseStreamId();
            }
            queryPublication = aeron.addExclusivePublication(context.queryChannel(), context.queryStreamId());
        }
        if (null == queryResponseChannel)
        {
            queryResponseChannel = queryAnswers.tryResolveChannelEndpointPort();
        }
        return null != queryResponseChannel;
    }

    private long offerQuery(final long correlationId, final int length)
    {
        final long result = queryPublication.offer(sendBuffer, 0, length);
        if (result > 0)
        {
            nextQueryCorrelationId++;
            return correlationId;
        }
        return result;
    }

    private long sendQueryWithRetry(final LongSupplier send, final long deadlineNanos)
    {
        inBlockingCall = true;
        blockingCallDeadlineNanos = deadlineNanos;
        try
        {
            return trySendQueryUntil(send, deadlineNanos);
        }
        finally
        {
            inBlockingCall = false;
        }
    }

    private long trySendQueryUntil(final LongSupplier send, final long deadlineNanos)
    {
        idleStrategy.reset();
        while (true)
        {
            final long result = send.getAsLong();
            if (result > 0)
            {
                return result;
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new PaycoreClientException("cannot send to the query server on " + context.queryChannel() +
                    ": " + offerName(result));
            }
            if (System.nanoTime() - deadlineNanos > 0)
            {
                throw new PaycoreClientException("no query server on " + context.queryChannel() + " stream " +
                    context.queryStreamId() + " took the query: " + offerName(result));
            }
            waiter.expect(-1);
            idleStrategy.idle(poll(waiter));
        }
    }

    private void onQueryAnswer(final EgressListener listener, final DirectBuffer buffer, final int offset)
    {
        // This client's query ids run from an unguessable first one up: an answer outside them is another asker's.
        final long correlationId = queryValidator.correlationId();
        if (correlationId - firstQueryCorrelationId < 0 || correlationId - nextQueryCorrelationId >= 0)
        {
            foreignQueryAnswers++;
            return;
        }
        switch (queryValidator.templateId())
        {
            case QueryTransfersResultDecoder.TEMPLATE_ID:
                listener.onQueryTransfersResult(
                    queryTransfersResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case QueryAccountsResultDecoder.TEMPLATE_ID:
                listener.onQueryAccountsResult(
                    queryAccountsResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            case AccountBalancesResultDecoder.TEMPLATE_ID:
                listener.onAccountBalancesResult(
                    accountBalancesResultDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;

            default:
                listener.onQueryRefused(queryRefusedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;
        }
    }

    private void noteWriteTimestamps(final CreateAccountsResultDecoder result)
    {
        for (final CreateAccountsResultDecoder.ResultsDecoder entry : result.results())
        {
            if (CreateAccountResult.OK == entry.result() && entry.timestamp() > lastWriteTimestamp)
            {
                lastWriteTimestamp = entry.timestamp();
            }
        }
    }

    private void noteWriteTimestamps(final CreateTransfersResultDecoder result)
    {
        for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
        {
            if (CreateTransferResult.OK == entry.result() && entry.timestamp() > lastWriteTimestamp)
            {
                lastWriteTimestamp = entry.timestamp();
            }
        }
    }

    private long sendWithRetry(final LongSupplier send, final long deadlineNanos, final boolean connecting)
    {
        inBlockingCall = true;
        blockingCallDeadlineNanos = deadlineNanos;
        try
        {
            return trySendUntil(send, deadlineNanos, connecting);
        }
        finally
        {
            inBlockingCall = false;
        }
    }

    private long trySendUntil(final LongSupplier send, final long deadlineNanos, final boolean connecting)
    {
        idleStrategy.reset();
        while (true)
        {
            final long result = send.getAsLong();
            if (result > 0)
            {
                return result;
            }
            // NOT_CONNECTED is final for a single node's link, whose publication has lost the service; a cluster's
            // link says it while the ingress to a new leader comes up, and retries until the deadline while its
            // session is open.
            if (Publication.CLOSED == result && null != inFlight && !closed)
            {
                // A cluster's session closed by the cluster: poll takes a new one, then the send is tried again. Or
                // one waiting for a new leader (Aeron Cluster's client answers CLOSED meanwhile): poll hears of it.
                waiter.expect(-1);
                final int fragments = poll(waiter);
                if (!link.isConnected())
                {
                    throw new PaycoreClientException("cannot send to " + link.describe() + ": " +
                        link.disconnectedReason() + "; nothing was sent");
                }
                if (System.nanoTime() - deadlineNanos > 0)
                {
                    throw new PaycoreClientException("timed out sending to " + link.describe() + ": no leader " +
                        "took the session (CLOSED); nothing was sent");
                }
                idleStrategy.idle(fragments);
                continue;
            }
            if (closed)
            {
                throw new PaycoreClientException("this PaycoreClient is closed; nothing was sent");
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result ||
                (Publication.NOT_CONNECTED == result && !connecting && !link.isConnected()))
            {
                throw new PaycoreClientException("cannot send to " + link.describe() + ": " + offerName(result) +
                    (Publication.NOT_CONNECTED == result ? " (" + link.disconnectedReason() + ")" : "") +
                    "; nothing was sent" + (null == inFlight ? ": connect a new PaycoreClient" : ""));
            }
            if (System.nanoTime() - deadlineNanos > 0)
            {
                throw connecting ? noService() : new PaycoreClientException(
                    "timed out sending to " + link.describe() + ": " + offerName(result) + "; nothing was sent");
            }
            waiter.expect(-1);
            idleStrategy.idle(poll(waiter));
        }
    }

    private void await(final long correlationId, final long deadlineNanos, final Duration timeout)
    {
        inBlockingCall = true;
        blockingCallDeadlineNanos = deadlineNanos;
        try
        {
            awaitAnswer(correlationId, deadlineNanos, timeout);
        }
        finally
        {
            inBlockingCall = false;
        }
    }

    private void awaitAnswer(final long correlationId, final long deadlineNanos, final Duration timeout)
    {
        waiter.expect(correlationId);
        idleStrategy.reset();
        while (!waiter.answered)
        {
            final int fragments = poll(waiter);
            if (waiter.answered)
            {
                break;
            }
            if (!link.isConnected() && null != inFlight && !closed)
            {
                // The cluster closed the session during that poll: the next takes a new one if it can.
                poll(waiter);
            }
            if (!link.isConnected())
            {
                throw new PaycoreClientException(link.disconnectedReason() + " while waiting for request " +
                    correlationId + " (its results, if any, are in the journal: look them up after reconnecting)");
            }
            if (System.nanoTime() - deadlineNanos > 0)
            {
                throw new PaycoreClientException(
                    "no answer to request " + correlationId + " within " + format(timeout.toNanos()));
            }
            idleStrategy.idle(fragments);
        }
        if (null != waiter.queryRefusal)
        {
            throw new PaycoreClientException("query " + correlationId + " refused: " + waiter.queryRefusal + " (" +
                waiter.detail + ")");
        }
        if (RejectReason.UNAVAILABLE == waiter.rejectReason)
        {
            // Not a refusal: a record whose journal force failed may still be on the disk, applied at the next start.
            throw new PaycoreClientException("request " + correlationId + " answered UNAVAILABLE (" + waiter.detail +
                "): its outcome is unknown, the service may still apply it when it restarts: once it is back, send " +
                "it again with the same ids (what was applied answers EXISTS)", null, waiter.rejectReason);
        }
        if (null != waiter.rejectReason)
        {
            throw new PaycoreClientException("request " + correlationId + " rejected: " + waiter.rejectReason +
                " (" + waiter.detail + ")", null, waiter.rejectReason);
        }
    }

    /**
     * @return the cluster member this client takes for the leader, or -1 when it speaks to a single node.
     */
    public int clusterLeaderMemberId()
    {
        return link.leaderMemberId();
    }

    /**
     * @return requests sent again because the cluster's leader changed while they were in flight, or the client took
     * a new session ({@link #reconnects()}); 0 for a single node.
     */
    public long resends()
    {
        return null == inFlight ? 0 : inFlight.resends();
    }

    /**
     * @return new sessions this client took with the cluster: because no answer came for
     * {@link ClientContext#clusterReconnectAfterNanos()} while requests were in flight, or because the cluster closed
     * the session; 0 for a single node.
     */
    public long reconnects()
    {
        return link.reconnects();
    }

    /**
     * @return answers from a cluster dropped because their request had been answered already (by the old leader
     * and again by the new one); 0 for a single node.
     */
    public long duplicateAnswers()
    {
        return null == inFlight ? 0 : inFlight.duplicateAnswers();
    }

    /**
     * @return requests sent to a cluster and not answered yet; 0 for a single node.
     */
    public int requestsInFlight()
    {
        return null == inFlight ? 0 : inFlight.size();
    }

    private static long deadline(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero())
        {
            // Checked before anything is sent: a request sent with no time to wait would have an unknown outcome.
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return System.nanoTime() + timeout.toNanos();
    }

    private static int checkCount(final int count)
    {
        if (count < 0 || count > ProtocolLimits.MAX_BATCH_EVENTS)
        {
            throw new IllegalArgumentException(
                "a batch holds 0.." + ProtocolLimits.MAX_BATCH_EVENTS + " events: " + count);
        }
        return count;
    }

    private static String offerName(final long result)
    {
        if (Publication.NOT_CONNECTED == result)
        {
            return "NOT_CONNECTED";
        }
        if (Publication.BACK_PRESSURED == result)
        {
            return "BACK_PRESSURED";
        }
        if (Publication.ADMIN_ACTION == result)
        {
            return "ADMIN_ACTION";
        }
        if (Publication.CLOSED == result)
        {
            return "CLOSED";
        }
        if (Publication.MAX_POSITION_EXCEEDED == result)
        {
            return "MAX_POSITION_EXCEEDED";
        }
        return "offer result " + result;
    }

    static String format(final long nanos)
    {
        if (nanos % TimeUnit.SECONDS.toNanos(1) == 0)
        {
            return TimeUnit.NANOSECONDS.toSeconds(nanos) + " s";
        }
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }

    /**
     * Collects the one answer the blocking API waits for; discards the others.
     */
    private static final class Waiter implements EgressListener
    {
        long expected;
        boolean answered;
        int fragmentSessionId;
        int connectSessionId;
        ConnectStatus connectStatus;
        io.paycore.codec.sbe.RejectReason rejectReason;
        String detail;
        final List<CreateAccountResult> accountResults = new ArrayList<>();
        final List<CreateTransferResult> transferResults = new ArrayList<>();
        final List<Account> accounts = new ArrayList<>();
        final List<Transfer> transfers = new ArrayList<>();
        final List<AccountBalance> balances = new ArrayList<>();
        QueryStatus queryRefusal;
        long[] timestamps = new long[0];

        void expect(final long correlationId)
        {
            expected = correlationId;
            answered = false;
            connectStatus = null;
            rejectReason = null;
            detail = null;
            accountResults.clear();
            transferResults.clear();
            accounts.clear();
            transfers.clear();
            balances.clear();
            queryRefusal = null;
        }

        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
        {
            if (result.correlationId() == expected)
            {
                final CreateAccountsResultDecoder.ResultsDecoder results = result.results();
                timestamps = new long[results.count()];
                int i = 0;
                for (final CreateAccountsResultDecoder.ResultsDecoder entry : results)
                {
                    timestamps[i++] = entry.timestamp();
                    accountResults.add(entry.result());
                }
                answered = true;
            }
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
            if (result.correlationId() == expected)
            {
                final CreateTransfersResultDecoder.ResultsDecoder results = result.results();
                timestamps = new long[results.count()];
                int i = 0;
                for (final CreateTransfersResultDecoder.ResultsDecoder entry : results)
                {
                    timestamps[i++] = entry.timestamp();
                    transferResults.add(entry.result());
                }
                answered = true;
            }
        }

        public void onAccounts(final AccountsDecoder decoder)
        {
            if (decoder.correlationId() == expected)
            {
                for (final AccountsDecoder.AccountDecoder a : decoder.account())
                {
                    accounts.add(new Account(
                        u128(a.id().hi(), a.id().lo()),
                        u128(a.debitsPending().hi(), a.debitsPending().lo()),
                        u128(a.debitsPosted().hi(), a.debitsPosted().lo()),
                        u128(a.creditsPending().hi(), a.creditsPending().lo()),
                        u128(a.creditsPosted().hi(), a.creditsPosted().lo()),
                        u128(a.userData128().hi(), a.userData128().lo()),
                        a.userData64(), a.userData32(), a.ledger(), a.code(), a.flags(), a.timestamp()));
                }
                answered = true;
            }
        }

        public void onTransfers(final TransfersDecoder decoder)
        {
            if (decoder.correlationId() == expected)
            {
                for (final TransfersDecoder.TransferDecoder t : decoder.transfer())
                {
                    transfers.add(new Transfer(
                        u128(t.id().hi(), t.id().lo()),
                        u128(t.debitAccountId().hi(), t.debitAccountId().lo()),
                        u128(t.creditAccountId().hi(), t.creditAccountId().lo()),
                        u128(t.amount().hi(), t.amount().lo()),
                        u128(t.pendingId().hi(), t.pendingId().lo()),
                        u128(t.userData128().hi(), t.userData128().lo()),
                        t.userData64(), t.userData32(), t.timeoutSeconds(), t.ledger(), t.code(), t.flags(),
                        t.timestamp()));
                }
                answered = true;
            }
        }

        public void onQueryTransfersResult(final QueryTransfersResultDecoder result)
        {
            if (result.correlationId() == expected)
            {
                for (final QueryTransfersResultDecoder.TransferDecoder t : result.transfer())
                {
                    transfers.add(new Transfer(
                        u128(t.id().hi(), t.id().lo()),
                        u128(t.debitAccountId().hi(), t.debitAccountId().lo()),
                        u128(t.creditAccountId().hi(), t.creditAccountId().lo()),
                        u128(t.amount().hi(), t.amount().lo()),
                        u128(t.pendingId().hi(), t.pendingId().lo()),
                        u128(t.userData128().hi(), t.userData128().lo()),
                        t.userData64(), t.userData32(), t.timeoutSeconds(), t.ledger(), t.code(), t.flags(),
                        t.timestamp()));
                }
                answered = true;
            }
        }

        public void onQueryAccountsResult(final QueryAccountsResultDecoder result)
        {
            if (result.correlationId() == expected)
            {
                for (final QueryAccountsResultDecoder.AccountDecoder a : result.account())
                {
                    accounts.add(new Account(
                        u128(a.id().hi(), a.id().lo()),
                        u128(a.debitsPending().hi(), a.debitsPending().lo()),
                        u128(a.debitsPosted().hi(), a.debitsPosted().lo()),
                        u128(a.creditsPending().hi(), a.creditsPending().lo()),
                        u128(a.creditsPosted().hi(), a.creditsPosted().lo()),
                        u128(a.userData128().hi(), a.userData128().lo()),
                        a.userData64(), a.userData32(), a.ledger(), a.code(), a.flags(), a.timestamp()));
                }
                answered = true;
            }
        }

        public void onAccountBalancesResult(final AccountBalancesResultDecoder result)
        {
            if (result.correlationId() == expected)
            {
                for (final AccountBalancesResultDecoder.BalanceDecoder b : result.balance())
                {
                    balances.add(new AccountBalance(
                        u128(b.debitsPending().hi(), b.debitsPending().lo()),
                        u128(b.debitsPosted().hi(), b.debitsPosted().lo()),
                        u128(b.creditsPending().hi(), b.creditsPending().lo()),
                        u128(b.creditsPosted().hi(), b.creditsPosted().lo()),
                        b.timestamp()));
                }
                answered = true;
            }
        }

        public void onQueryRefused(final QueryRefusedDecoder refused)
        {
            if (refused.correlationId() == expected)
            {
                queryRefusal = refused.status();
                detail = refused.detail();
                answered = true;
            }
        }

        public void onRejected(final RejectedDecoder rejected)
        {
            // A Rejected whose correlation id could not be read (0) can only be for the one request in flight.
            if (expected > 0 && (rejected.correlationId() == expected || 0 == rejected.correlationId()))
            {
                rejectReason = rejected.reason();
                detail = rejected.detail();
                answered = true;
            }
        }

        public void onConnectResult(final ConnectResultDecoder connectResult)
        {
            if (connectResult.correlationId() == expected)
            {
                connectStatus = connectResult.status();
                detail = connectResult.detail();
                connectSessionId = fragmentSessionId;
                answered = true;
            }
        }
    }

    /**
     * An unsigned 128-bit value of a decoded answer; the blocking API's results allocate.
     */
    static BigInteger u128(final long hi, final long lo)
    {
        return UInt128.toBigInteger(hi, lo);
    }
}
