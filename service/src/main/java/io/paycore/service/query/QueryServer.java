package io.paycore.service.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.AccountBalancesResultEncoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.GetAccountBalancesDecoder;
import io.paycore.codec.sbe.GetAccountTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.QueryAccountsDecoder;
import io.paycore.codec.sbe.QueryAccountsResultEncoder;
import io.paycore.codec.sbe.QueryRefusedEncoder;
import io.paycore.codec.sbe.QueryStatus;
import io.paycore.codec.sbe.QueryTransfersDecoder;
import io.paycore.codec.sbe.QueryTransfersResultEncoder;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.query.AccountFilter;
import io.paycore.core.query.QueryFilter;
import io.paycore.journal.JournalException;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.replay.query.AccountBalance;
import io.paycore.replay.query.QueryEngine;
import io.paycore.replay.query.StoredTransfer;
import io.paycore.transport.CredentialGate;
import io.paycore.transport.TransportContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Serves TigerBeetle's four history queries over Aeron, off the service: a {@link QueryEngine} follows the journal
 * and indexes it; a client sends a query (with its response channel and stream, and the timestamp of its last
 * write) to the server's channel and gets the answer on its own response channel, as of a journal sequence at or
 * after that write (read your writes). Writes never wait for a query: the server only reads the journal.
 * <p>
 * A query waits, up to {@link QueryServerContext#waitTimeoutNanos()}, until the engine has applied the asker's last
 * write and the asker's channel is connected; at most {@link QueryServerContext#maxInFlight()} wait at once, more
 * are answered {@code BUSY}. A limit above {@link ProtocolLimits#MAX_BATCH_EVENTS} is answered
 * {@code LIMIT_TOO_LARGE}; a filter TigerBeetle deems invalid gets an empty answer, as there. Answers go to at
 * most {@link QueryServerContext#maxClients()} response channels kept open, the least recently used one no query
 * waits on closed first; when a query waits on each, a query on another channel is answered {@code BUSY} on a
 * channel opened for that answer alone (at most {@link QueryServerContext#maxInFlight()} such at once).
 * <p>
 * Only the clients of {@link QueryServerContext#credentials()} are served: each query (protocol version 3) carries a
 * client id and credential, checked by a {@link CredentialGate} off this thread (a credential's first check derives
 * its PBKDF2 key; one that passed is checked at once after that). A query waits for its check: at most
 * {@link QueryServerContext#maxCredentialChecks()} checks run at once and {@link QueryServerContext#maxInFlight()}
 * queries wait for one (a client's queries that come while its credential is checked wait for that one check, but
 * not in the places kept for checks still to start; one with another credential of that client is dropped, so a
 * flood of wrong secrets for one client holds one check); more are dropped unanswered. A query opens nothing until
 * its credential has passed: then it goes on as above. A query refused (an unknown client, a credential that does
 * not match, a version 2 query, which carries none) is answered {@code UNAUTHENTICATED} on a channel opened for that
 * answer alone, at most {@link QueryServerContext#refusalRepliesPerSecond()} a second (and as many waiting for their
 * channel at once); past that it is dropped unanswered. Every query dropped or refused is counted.
 * <p>
 * <b>Threading</b>: an {@link Agent} on one thread.
 */
public final class QueryServer implements Agent
{
    /** Journal records the engine applies per duty cycle at most. */
    public static final int RECORDS_PER_POLL = 256;
    private static final int REQUESTS_PER_POLL = 10;
    /** The protocol version whose queries carry a client id and credential. */
    private static final int CREDENTIAL_VERSION = QueryTransfersDecoder.credentialSinceVersion();

    private final QueryServerContext context;
    private final Aeron aeron;
    private final QueryEngine engine;
    private final Subscription requests;
    private final FrameValidator validator = FrameValidator.forQueryRequests();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final GetAccountTransfersDecoder accountTransfersDecoder = new GetAccountTransfersDecoder();
    private final GetAccountBalancesDecoder accountBalancesDecoder = new GetAccountBalancesDecoder();
    private final QueryAccountsDecoder queryAccountsDecoder = new QueryAccountsDecoder();
    private final QueryTransfersDecoder queryTransfersDecoder = new QueryTransfersDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QueryTransfersResultEncoder transfersEncoder = new QueryTransfersResultEncoder();
    private final QueryAccountsResultEncoder accountsEncoder = new QueryAccountsResultEncoder();
    private final AccountBalancesResultEncoder balancesEncoder = new AccountBalancesResultEncoder();
    private final QueryRefusedEncoder refusedEncoder = new QueryRefusedEncoder();
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
        QueryAccountsResultEncoder.BLOCK_LENGTH + 4 + ProtocolLimits.MAX_BATCH_EVENTS * 128 + 256]);
    private final FragmentHandler requestHandler = this::onRequest;
    private final List<Query> waiting = new ArrayList<>();
    private final List<Query> authenticating = new ArrayList<>();
    private final List<Query> unauthenticated = new ArrayList<>();
    private final CredentialGate gate;
    private final Map<String, ExclusivePublication> publications;
    private final AtomicCounter answered;
    private final AtomicCounter refused;
    private final AtomicCounter inFlight;
    private final AtomicCounter lagNanos;
    private final AtomicCounter appliedSequence;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final Consumer<String> log;
    private QueryTransfersResultEncoder.TransferEncoder transferGroup;
    private QueryAccountsResultEncoder.AccountEncoder accountGroup;
    private AccountBalancesResultEncoder.BalanceEncoder balanceGroup;
    private String failure;
    private long nowNanos;

    /**
     * @param aeron   client to subscribe and publish with; the server's counters are added to its driver.
     * @param context what to serve, where, and its limits; concluded here.
     * @param store   where the engine keeps its transfer store (deleted on close).
     */
    public QueryServer(final Aeron aeron, final QueryServerContext context, final Path store)
    {
        this.context = context.conclude();
        this.aeron = aeron;
        this.nanoClock = context.nanoClock();
        this.epochClock = context.epochClock();
        this.log = context.log();
        this.publications = new LinkedHashMap<>(16, 0.75f, true); // least recently used first
        this.engine = QueryEngine.open(context.feedContext(new ChangeFeedContext()), store)
            .maxScan(context.maxScan());
        this.requests = aeron.addSubscription(context.requestChannel(), context.requestStreamId());
        this.answered = aeron.addCounter(QueryServerContext.COUNTER_TYPE_ID, "paycore query: queries answered");
        this.refused = aeron.addCounter(QueryServerContext.COUNTER_TYPE_ID,
            "paycore query: queries refused (unauthenticated, limit, busy, not caught up, scan limit, failed, " +
            "malformed)");
        this.inFlight = aeron.addCounter(QueryServerContext.COUNTER_TYPE_ID, "paycore query: queries waiting");
        this.lagNanos = aeron.addCounter(QueryServerContext.COUNTER_TYPE_ID,
            "paycore query: lag behind the journal (ns)");
        this.appliedSequence = aeron.addCounter(QueryServerContext.COUNTER_TYPE_ID,
            "paycore query: journal sequence applied");
        this.gate = new CredentialGate(context.credentials(), "paycore-query-credentials",
            context.maxCredentialChecks(), context.refusalRepliesPerSecond(), nanoClock);
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "paycore-query-server";
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        nowNanos = nanoClock.nanoTime();
        int work = 0;
        if (null == failure)
        {
            try
            {
                final int read = engine.poll(RECORDS_PER_POLL);
                lagNanos.setRelease(0 == read ? 0 : Math.max(0, epochClock.nanoTime() -
                    engine.lastRecordTimestampNanos()));
                appliedSequence.setRelease(engine.asOfSequence());
                work += read;
            }
            catch (final JournalException | IllegalStateException ex)
            {
                failure = "the query server stopped following the journal: " + ex.getMessage();
                log.accept(failure);
            }
        }
        work += requests.poll(requestHandler, REQUESTS_PER_POLL);
        work += pollAuthenticating();
        for (int i = unauthenticated.size() - 1; i >= 0; i--)
        {
            final Query query = unauthenticated.get(i);
            if (tryAnswer(query))
            {
                unauthenticated.remove(i);
                done(query);
                work++;
            }
        }
        for (int i = waiting.size() - 1; i >= 0; i--)
        {
            final Query query = waiting.get(i);
            if (tryAnswer(query))
            {
                waiting.remove(i);
                done(query);
                work++;
            }
        }
        inFlight.setRelease(waiting.size());
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        for (final ExclusivePublication publication : publications.values())
        {
            CloseHelper.quietClose(publication);
        }
        publications.clear();
        for (final Query query : waiting)
        {
            done(query);
        }
        waiting.clear();
        for (final Query query : unauthenticated)
        {
            done(query);
        }
        unauthenticated.clear();
        authenticating.clear();
        CloseHelper.quietCloseAll(
            gate, requests, engine, answered, refused, inFlight, lagNanos, appliedSequence);
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!validator.validate(buffer, offset, length))
        {
            refused.increment();
            log.accept("query dropped: " + validator.detail());
            return;
        }
        final Query query = new Query();
        final String credential;
        headerDecoder.wrap(buffer, offset);
        query.templateId = headerDecoder.templateId();
        switch (query.templateId)
        {
            case GetAccountTransfersDecoder.TEMPLATE_ID:
            {
                final GetAccountTransfersDecoder d = accountTransfersDecoder.wrapAndApplyHeader(
                    buffer, offset, headerDecoder);
                query.accountFilter(d.correlationId(), d.minTimestamp(), d.accountId().hi(), d.accountId().lo(),
                    d.userData128().hi(), d.userData128().lo(), d.userData64(), d.userData32(), d.code(),
                    d.timestampMin(), d.timestampMax(), d.resultLimit(), (int)d.flags());
                query.responseStreamId = d.responseStreamId();
                query.clientId = d.clientId();
                query.responseChannel = d.responseChannel();
                query.version = d.actingVersion();
                credential = d.credential();
                break;
            }
            case GetAccountBalancesDecoder.TEMPLATE_ID:
            {
                final GetAccountBalancesDecoder d = accountBalancesDecoder.wrapAndApplyHeader(
                    buffer, offset, headerDecoder);
                query.accountFilter(d.correlationId(), d.minTimestamp(), d.accountId().hi(), d.accountId().lo(),
                    d.userData128().hi(), d.userData128().lo(), d.userData64(), d.userData32(), d.code(),
                    d.timestampMin(), d.timestampMax(), d.resultLimit(), (int)d.flags());
                query.responseStreamId = d.responseStreamId();
                query.clientId = d.clientId();
                query.responseChannel = d.responseChannel();
                query.version = d.actingVersion();
                credential = d.credential();
                break;
            }
            case QueryAccountsDecoder.TEMPLATE_ID:
            {
                final QueryAccountsDecoder d = queryAccountsDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                query.queryFilter(d.correlationId(), d.minTimestamp(), d.userData128().hi(), d.userData128().lo(),
                    d.userData64(), d.userData32(), d.ledger(), d.code(), d.timestampMin(), d.timestampMax(),
                    d.resultLimit(), (int)d.flags());
                query.responseStreamId = d.responseStreamId();
                query.clientId = d.clientId();
                query.responseChannel = d.responseChannel();
                query.version = d.actingVersion();
                credential = d.credential();
                break;
            }
            default:
            {
                final QueryTransfersDecoder d = queryTransfersDecoder.wrapAndApplyHeader(
                    buffer, offset, headerDecoder);
                query.queryFilter(d.correlationId(), d.minTimestamp(), d.userData128().hi(), d.userData128().lo(),
                    d.userData64(), d.userData32(), d.ledger(), d.code(), d.timestampMin(), d.timestampMax(),
                    d.resultLimit(), (int)d.flags());
                query.responseStreamId = d.responseStreamId();
                query.clientId = d.clientId();
                query.responseChannel = d.responseChannel();
                query.version = d.actingVersion();
                credential = d.credential();
                break;
            }
        }
        query.deadlineNanos = nowNanos + context.waitTimeoutNanos();

        if (query.version < CREDENTIAL_VERSION)
        {
            refuseUnauthenticated(query, "a query of protocol version " + query.version + " carries no " +
                "credential, and this query server serves only the clients of its credentials file: upgrade the " +
                "client to protocol version " + CREDENTIAL_VERSION);
            return;
        }
        if (credential.isEmpty())
        {
            refuseUnauthenticated(query, "the query of client " + query.clientId + " carries no credential, and " +
                "this query server serves only the clients of its credentials file: give the client its secret");
            return;
        }
        // A client's queries that come while its credential's first check runs wait for that check, not one each.
        query.check = gate.check(query.clientId, credential);
        if (null == query.check)
        {
            refused.increment();
            log.accept("query " + query.correlationId + " of client " + query.clientId + " dropped: " +
                (gate.droppedForAnotherCredential() ? "a check of another credential of that client runs already" :
                gate.maxPending() + " credential checks run already (--max-credential-checks)"));
        }
        else if (query.check.isDone())
        {
            authenticated(query);
        }
        else if (authenticating.size() >= context.maxInFlight())
        {
            refused.increment();
            log.accept("query " + query.correlationId + " of client " + query.clientId + " dropped: " +
                context.maxInFlight() + " queries wait for their credential check already (--max-in-flight)");
        }
        else if (gate.sharedRunningCheck() && authenticating.size() + Math.min(gate.maxPending() - gate.pending(),
            context.maxInFlight() / 2) >= context.maxInFlight())
        {
            // A query that shares a check running may not take the places kept for the checks the gate may still
            // start, else a flood of one guess under ever new correlation ids fills them and every other client's
            // first query is dropped.
            refused.increment();
            log.accept("query " + query.correlationId + " of client " + query.clientId + " dropped: " +
                authenticating.size() + " queries wait for credential checks already, the rest of the room is kept " +
                "for other clients' checks (--max-in-flight)");
        }
        else
        {
            authenticating.add(query);
        }
    }

    /**
     * Go on with the queries whose credential check is done: those that passed as any query, the others refused;
     * drop those whose check outlasts their wait timeout.
     *
     * @return the queries done with here.
     */
    private int pollAuthenticating()
    {
        int work = 0;
        for (int i = 0; i < authenticating.size();)
        {
            final Query query = authenticating.get(i);
            if (query.check.isDone())
            {
                authenticating.remove(i);
                authenticated(query);
                work++;
            }
            else if (nowNanos - query.deadlineNanos > 0)
            {
                authenticating.remove(i);
                refused.increment();
                log.accept("query " + query.correlationId + " of client " + query.clientId + " dropped: its " +
                    "credential was not checked within " + context.waitTimeoutNanos() / 1_000_000 + " ms");
                work++;
            }
            else
            {
                i++;
            }
        }
        return work;
    }

    private void authenticated(final Query query)
    {
        final ConnectStatus status = query.check.status();
        query.check = null;
        if (ConnectStatus.OK == status)
        {
            admit(query);
        }
        else if (ConnectStatus.UNKNOWN_CLIENT == status)
        {
            refuseUnauthenticated(query, "client " + query.clientId + " is not in the query server's " +
                "credentials file");
        }
        else
        {
            refuseUnauthenticated(query, "the credential of client " + query.clientId + " does not match the " +
                "query server's credentials file");
        }
    }

    /**
     * Answer a query whose credential did not pass {@code UNAUTHENTICATED}, on a channel opened for that answer
     * alone, if the gate's ration allows one more now and fewer than that many such answers wait for their
     * channel; else drop it unanswered. Counted and logged either way.
     */
    private void refuseUnauthenticated(final Query query, final String detail)
    {
        final String name = "query " + query.correlationId + (query.version < CREDENTIAL_VERSION ?
            " (protocol version " + query.version + ")" : " of client " + query.clientId) + " on " +
            query.responseChannel + " stream " + query.responseStreamId;
        if (unauthenticated.size() >= context.refusalRepliesPerSecond() || !gate.mayAnswerRefusal())
        {
            refused.increment();
            log.accept(name + " refused unanswered (at most " + context.refusalRepliesPerSecond() + " refusals " +
                "answered a second): " + detail);
            return;
        }
        query.refuse(QueryStatus.UNAUTHENTICATED, detail);
        query.publication = openPublication(query.responseChannel, query.responseStreamId);
        if (null == query.publication)
        {
            refused.increment();
            return;
        }
        log.accept(name + " refused UNAUTHENTICATED: " + detail);
        query.ownsPublication = true;
        if (tryAnswer(query))
        {
            done(query);
        }
        else
        {
            unauthenticated.add(query);
        }
    }

    /**
     * A query whose credential passed: answered, refused for a limit, or kept waiting, as it comes.
     */
    private void admit(final Query query)
    {
        query.publication = publication(query);
        if (null == query.publication)
        {
            refused.increment();
            return;
        }
        if (waiting.size() >= context.maxInFlight())
        {
            query.refuse(QueryStatus.BUSY, "the query server holds " + context.maxInFlight() +
                " queries already (its limit, --max-in-flight); try again");
        }
        else if (null == query.refusal && query.limit > ProtocolLimits.MAX_BATCH_EVENTS)
        {
            query.refuse(QueryStatus.LIMIT_TOO_LARGE, "limit " + query.limit + " is above " +
                ProtocolLimits.MAX_BATCH_EVENTS + ", the most results an answer carries; page by timestamp");
        }
        if (!tryAnswer(query))
        {
            if (waiting.size() >= context.maxInFlight())
            {
                // Its channel is not connected yet and the list is full: not even a BUSY could go out now.
                refused.increment();
                log.accept("query " + query.correlationId + " dropped: " + context.maxInFlight() + " queries " +
                    "wait already (--max-in-flight)");
                done(query);
                return;
            }
            waiting.add(query);
        }
        else
        {
            done(query);
        }
    }

    /**
     * The query's response channel: one kept open, or opened and kept, closing the least recently used channel no
     * query waits on when {@link QueryServerContext#maxClients()} are open. When a query waits on every one, the
     * query is refused {@code BUSY} on a channel opened for that answer alone, closed once it is done with.
     *
     * @return the publication, or null if the channel cannot be opened.
     */
    private ExclusivePublication publication(final Query query)
    {
        final String channel = query.responseChannel;
        final int streamId = query.responseStreamId;
        final String key = streamId + " " + channel;
        ExclusivePublication publication = publications.get(key);
        if (null != publication && !publication.isClosed())
        {
            return publication;
        }
        final boolean kept = null != publication || publications.size() < context.maxClients() ||
            closeLeastRecentlyUsedIdle();
        publication = openPublication(channel, streamId);
        if (null == publication)
        {
            return null;
        }
        if (kept)
        {
            publications.put(key, publication);
        }
        else
        {
            query.ownsPublication = true;
            query.refuse(QueryStatus.BUSY, "the query server answers on " + context.maxClients() +
                " channels at most (--max-clients) and a query waits on each; try again");
        }
        return publication;
    }

    /**
     * @return a publication to the asker's channel, sized by the server, or null if the channel cannot be opened.
     */
    private ExclusivePublication openPublication(final String channel, final int streamId)
    {
        // The server sizes the logs it writes, not the asker.
        return TransportContext.addServerSizedPublication(aeron, channel, streamId, (reason) ->
            log.accept("query dropped: cannot answer on " + channel + " stream " + streamId + ": " + reason));
    }

    private boolean closeLeastRecentlyUsedIdle()
    {
        final Iterator<ExclusivePublication> iterator = publications.values().iterator();
        while (iterator.hasNext())
        {
            final ExclusivePublication publication = iterator.next();
            if (!waitedOn(publication))
            {
                iterator.remove();
                CloseHelper.quietClose(publication);
                return true;
            }
        }
        return false;
    }

    private boolean waitedOn(final ExclusivePublication publication)
    {
        for (int i = 0, size = waiting.size(); i < size; i++)
        {
            if (waiting.get(i).publication == publication)
            {
                return true;
            }
        }
        return false;
    }

    private static void done(final Query query)
    {
        if (query.ownsPublication)
        {
            CloseHelper.quietClose(query.publication);
        }
    }

    /**
     * @return true when the query is done with: answered, refused, or given up.
     */
    private boolean tryAnswer(final Query query)
    {
        final boolean late = nowNanos - query.deadlineNanos > 0;
        if (!query.publication.isConnected())
        {
            if (late || query.publication.isClosed())
            {
                refused.increment();
                log.accept("query " + query.correlationId + " dropped: " + query.responseChannel + " stream " +
                    query.responseStreamId + " did not connect");
                return true;
            }
            return false;
        }
        if (null == query.refusal && null != failure)
        {
            query.refuse(QueryStatus.FAILED, failure);
        }
        if (null == query.refusal && Long.compareUnsigned(engine.lastTimestampNanos(), query.minTimestamp) < 0)
        {
            if (!late)
            {
                return false;
            }
            query.refuse(QueryStatus.NOT_CAUGHT_UP, "the query server had applied the journal to timestamp " +
                engine.lastTimestampNanos() + ", not yet the asker's write at " +
                Long.toUnsignedString(query.minTimestamp) + ", within " +
                context.waitTimeoutNanos() / 1_000_000 + " ms");
        }

        int length = null != query.refusal ? encodeRefusal(query) : encode(query);
        if (length > query.publication.maxMessageLength())
        {
            // Offered, it would throw: the asker's channel has terms too short for this answer.
            query.refuse(QueryStatus.LIMIT_TOO_LARGE, "the answer takes " + length + " bytes, and " +
                query.responseChannel + " carries messages of at most " + query.publication.maxMessageLength() +
                ": ask with a smaller limit, or a channel with a longer term-length");
            length = encodeRefusal(query);
        }
        final long result = query.publication.offer(answer, 0, length);
        if (result > 0)
        {
            (null != query.refusal ? refused : answered).increment();
            return true;
        }
        if (late)
        {
            refused.increment();
            log.accept("query " + query.correlationId + " dropped: its answer could not be sent (" + result + ")");
            return true;
        }
        return false; // back pressured: the query runs again, as of a later sequence
    }

    private int encodeRefusal(final Query query)
    {
        refusedEncoder.wrapAndApplyHeader(answer, 0, headerEncoder)
            .correlationId(query.correlationId)
            .status(query.refusal)
            .detail(query.detail.length() > FrameValidator.MAX_DETAIL_LENGTH ?
                query.detail.substring(0, FrameValidator.MAX_DETAIL_LENGTH) : query.detail);
        return MessageHeaderEncoder.ENCODED_LENGTH + refusedEncoder.encodedLength();
    }

    private int encode(final Query query)
    {
        final long asOf = engine.asOfSequence();
        switch (query.templateId)
        {
            case GetAccountTransfersDecoder.TEMPLATE_ID:
            case QueryTransfersDecoder.TEMPLATE_ID:
            {
                final int count = GetAccountTransfersDecoder.TEMPLATE_ID == query.templateId ?
                    engine.getAccountTransfers(query.accountFilter, (t) -> { }) :
                    engine.queryTransfers(query.queryFilter, (t) -> { });
                if (engine.scanCut())
                {
                    return refuseScan(query, "transfers", count);
                }
                transferGroup = transfersEncoder.wrapAndApplyHeader(answer, 0, headerEncoder)
                    .correlationId(query.correlationId)
                    .asOfSequence(asOf)
                    .transferCount(count);
                if (GetAccountTransfersDecoder.TEMPLATE_ID == query.templateId)
                {
                    engine.getAccountTransfers(query.accountFilter, this::putTransfer);
                }
                else
                {
                    engine.queryTransfers(query.queryFilter, this::putTransfer);
                }
                return MessageHeaderEncoder.ENCODED_LENGTH + transfersEncoder.encodedLength();
            }
            case GetAccountBalancesDecoder.TEMPLATE_ID:
            {
                final int count = engine.getAccountBalances(query.accountFilter, (b) -> { });
                if (engine.scanCut())
                {
                    return refuseScan(query, "balances", count);
                }
                balanceGroup = balancesEncoder.wrapAndApplyHeader(answer, 0, headerEncoder)
                    .correlationId(query.correlationId)
                    .asOfSequence(asOf)
                    .balanceCount(count);
                engine.getAccountBalances(query.accountFilter, this::putBalance);
                return MessageHeaderEncoder.ENCODED_LENGTH + balancesEncoder.encodedLength();
            }
            default:
            {
                final int count = engine.queryAccounts(query.queryFilter, (l, i) -> { });
                if (engine.scanCut())
                {
                    return refuseScan(query, "accounts", count);
                }
                accountGroup = accountsEncoder.wrapAndApplyHeader(answer, 0, headerEncoder)
                    .correlationId(query.correlationId)
                    .asOfSequence(asOf)
                    .accountCount(count);
                engine.queryAccounts(query.queryFilter, this::putAccount);
                return MessageHeaderEncoder.ENCODED_LENGTH + accountsEncoder.encodedLength();
            }
        }
    }

    /**
     * Refuse a query that read the most entries a query reads before its range ended or its limit was reached,
     * naming where it stopped so that the asker can ask for what it found, then go on from there.
     */
    private int refuseScan(final Query query, final String entries, final int found)
    {
        final long at = engine.scanCutTimestamp();
        final boolean reversed = query.reversed();
        query.refuse(QueryStatus.SCAN_LIMIT, "read " + engine.scanned() + " " + entries + " (--max-scan) " +
            (reversed ? "down" : "up") + " to timestamp " + Long.toUnsignedString(at) + " and found " + found +
            ", fewer than the limit " + query.limit + ": ask " + (reversed ? "from" : "up to") + " timestamp " +
            Long.toUnsignedString(at) + " for those, then " + (reversed ? "below" : "above") + " it");
        return encodeRefusal(query);
    }

    private void putTransfer(final StoredTransfer t)
    {
        final QueryTransfersResultEncoder.TransferEncoder e = transferGroup.next();
        e.id().lo(t.idLo()).hi(t.idHi());
        e.debitAccountId().lo(t.debitAccountIdLo()).hi(t.debitAccountIdHi());
        e.creditAccountId().lo(t.creditAccountIdLo()).hi(t.creditAccountIdHi());
        e.amount().lo(t.amountLo()).hi(t.amountHi());
        e.pendingId().lo(t.pendingIdLo()).hi(t.pendingIdHi());
        e.userData128().lo(t.userData128Lo()).hi(t.userData128Hi());
        e.userData64(t.userData64()).userData32(t.userData32()).timeoutSeconds(t.timeoutSeconds())
            .ledger(t.ledger()).code(t.code()).flags(t.flags()).timestamp(t.timestamp());
    }

    private void putBalance(final AccountBalance b)
    {
        final AccountBalancesResultEncoder.BalanceEncoder e = balanceGroup.next();
        e.debitsPending().lo(b.debitsPendingLo()).hi(b.debitsPendingHi());
        e.debitsPosted().lo(b.debitsPostedLo()).hi(b.debitsPostedHi());
        e.creditsPending().lo(b.creditsPendingLo()).hi(b.creditsPendingHi());
        e.creditsPosted().lo(b.creditsPostedLo()).hi(b.creditsPostedHi());
        e.timestamp(b.timestamp());
    }

    private void putAccount(final Ledger ledger, final int i)
    {
        final QueryAccountsResultEncoder.AccountEncoder e = accountGroup.next();
        e.id().lo(ledger.accountIdLo(i)).hi(ledger.accountIdHi(i));
        e.debitsPending().lo(ledger.debitsPendingLo(i)).hi(ledger.debitsPendingHi(i));
        e.debitsPosted().lo(ledger.debitsPostedLo(i)).hi(ledger.debitsPostedHi(i));
        e.creditsPending().lo(ledger.creditsPendingLo(i)).hi(ledger.creditsPendingHi(i));
        e.creditsPosted().lo(ledger.creditsPostedLo(i)).hi(ledger.creditsPostedHi(i));
        e.userData128().lo(ledger.accountUserData128Lo(i)).hi(ledger.accountUserData128Hi(i));
        e.userData64(ledger.accountUserData64(i)).userData32(ledger.accountUserData32(i)).reserved(0)
            .ledger(ledger.accountLedger(i)).code(ledger.accountCode(i)).flags(ledger.accountFlags(i))
            .timestamp(ledger.accountTimestamp(i));
    }

    private static final class Query
    {
        int templateId;
        int version;
        long clientId;
        CredentialGate.Check check;
        long correlationId;
        long minTimestamp;
        long limit;
        AccountFilter accountFilter;
        QueryFilter queryFilter;
        String responseChannel;
        int responseStreamId;
        ExclusivePublication publication;
        boolean ownsPublication;
        long deadlineNanos;
        QueryStatus refusal;
        String detail;

        void accountFilter(
            final long correlationId,
            final long minTimestamp,
            final long idHi,
            final long idLo,
            final long userData128Hi,
            final long userData128Lo,
            final long userData64,
            final long userData32,
            final int code,
            final long timestampMin,
            final long timestampMax,
            final long limit,
            final int flags)
        {
            this.correlationId = correlationId;
            this.minTimestamp = minTimestamp;
            this.limit = limit;
            final AccountFilter f = new AccountFilter().accountId(idHi, idLo).timestamps(timestampMin, timestampMax)
                .limit(limit).flags(flags);
            f.userData128(userData128Hi, userData128Lo);
            f.userData64(userData64);
            f.userData32(userData32);
            f.code(code);
            accountFilter = f;
        }

        void queryFilter(
            final long correlationId,
            final long minTimestamp,
            final long userData128Hi,
            final long userData128Lo,
            final long userData64,
            final long userData32,
            final long ledger,
            final int code,
            final long timestampMin,
            final long timestampMax,
            final long limit,
            final int flags)
        {
            this.correlationId = correlationId;
            this.minTimestamp = minTimestamp;
            this.limit = limit;
            final QueryFilter f = new QueryFilter().timestamps(timestampMin, timestampMax).limit(limit);
            f.userData128(userData128Hi, userData128Lo);
            f.userData64(userData64);
            f.userData32(userData32);
            f.ledger(ledger);
            f.code(code);
            f.flags(flags);
            queryFilter = f;
        }

        boolean reversed()
        {
            return null != accountFilter ? 0 != (accountFilter.flags() & AccountFilter.REVERSED) :
                0 != (queryFilter.flags() & QueryFilter.REVERSED);
        }

        void refuse(final QueryStatus status, final String detail)
        {
            refusal = status;
            this.detail = detail;
        }
    }
}
