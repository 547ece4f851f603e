package io.paycore.service.feed;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.JournalException;
import io.paycore.replay.feed.ChangeFeed;
import io.paycore.replay.feed.ChangeJson;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;

/**
 * Publishes a data directory's change feed to a RabbitMQ (AMQP 0.9.1) exchange, at least once and in order: each
 * change is one persistent message with a JSON body ({@link ChangeJson}), published with publisher confirms. The
 * timestamp of the last change of the confirmed prefix is kept in the state directory ({@link FeedState}), so a
 * restart resumes after it; what was sent and not confirmed when the publisher or the broker died is sent again.
 * Consumers dedupe by the change's timestamp (the message id), which strictly increases.
 * <p>
 * Message: exchange as configured, durable; routing key {@code <event type>.<ledger>} (e.g.
 * {@code two_phase_posted.840}); content type {@code application/json}; delivery mode 2 (persistent); message id
 * and header {@code timestamp_nanos}: the change's timestamp; type and header {@code event_type}: the change's type;
 * headers {@code ledger}, {@code transfer_code}, {@code debit_account_code}, {@code credit_account_code}; app id
 * {@code paycore}; timestamp: the change's, in seconds.
 * <p>
 * At most {@link AmqpFeedContext#maxInFlight()} changes are unconfirmed: when the window is full the publisher stops
 * reading the journal until confirms come. When the broker cannot be reached or the connection fails, the error is
 * printed and counted and the publisher reconnects with a doubling backoff, then sends the whole unconfirmed window
 * again, in order, before anything new: no change is skipped. A broker that refuses the publisher's setup
 * (authentication, permissions, unknown virtual host, an exchange of that name with another type) stops it:
 * retrying would not help.
 * <p>
 * <b>Threading</b>: an {@link Agent}, run by one thread; {@link #requestStop()} may be called from any thread.
 */
public final class AmqpFeedPublisher implements Agent, AutoCloseable
{
    /**
     * Why the publisher stopped.
     */
    public enum Outcome
    {
        /** Still running. */
        RUNNING,
        /** Asked to stop. */
        STOPPED,
        /** Stopped at the journal's end with everything confirmed, as asked ({@link AmqpFeedContext#exitAtEnd()}). */
        AT_END,
        /** The broker refused the publisher's setup: credentials, permissions, virtual host, exchange type. */
        REFUSED,
        /** The journal is damaged at the feed's position. */
        DAMAGED,
        /** Another error stopped it: I/O on the state directory, an unreadable record. */
        FAILED
    }

    /** The JSON body's content type. */
    public static final String CONTENT_TYPE = "application/json";
    /** AMQP delivery mode of a persistent message. */
    public static final int DELIVERY_MODE_PERSISTENT = 2;
    /** The app id of every message. */
    public static final String APP_ID = "paycore";
    /** Header: the change's type, e.g. {@code two_phase_posted}. */
    public static final String HEADER_EVENT_TYPE = "event_type";
    /** Header: the transfer's ledger. */
    public static final String HEADER_LEDGER = "ledger";
    /** Header: the transfer's code. */
    public static final String HEADER_TRANSFER_CODE = "transfer_code";
    /** Header: the debit account's code. */
    public static final String HEADER_DEBIT_ACCOUNT_CODE = "debit_account_code";
    /** Header: the credit account's code. */
    public static final String HEADER_CREDIT_ACCOUNT_CODE = "credit_account_code";
    /** Header: the change's timestamp in epoch nanoseconds, also the message id. */
    public static final String HEADER_TIMESTAMP_NANOS = "timestamp_nanos";

    private static final String NAME = "paycore feed-amqp";
    private static final long WAIT_SLICE_MS = 100;
    private static final long END_CHECK_INTERVAL_MS = 5_000;
    private static final long END_RECHECK_INTERVAL_MS = 1_000;
    private static final int REPLY_ACCESS_REFUSED = 403;
    private static final int REPLY_NOT_FOUND = 404;
    private static final int REPLY_PRECONDITION_FAILED = 406;
    private static final int REPLY_NOT_ALLOWED = 530;
    private static final RuntimeException STOP = new StopRequestedException();

    private final AmqpFeedContext context;
    private final FeedState state;
    private final FeedCounters counters;
    private final ChangeFeed feed;
    private final ConfirmWindow window;
    private final ConnectionFactory factory;
    private final Runnable onTermination;
    private final PrintStream out;
    private final PrintStream err;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final StringBuilder json = new StringBuilder(1024);
    private final LedgerChangeListener publishing = this::publish;
    private final long startTimestampNanos;

    private volatile boolean stopRequested;
    private volatile Outcome outcome = Outcome.RUNNING;
    private volatile String failure;

    private Connection connection;
    private Channel channel;
    private long connects;
    private long confirmedAtConnect;
    private long failureBackoffMs = AmqpFeedContext.RECONNECT_BACKOFF_MIN_MS;
    private long lastProgressMs;
    private long lastEndCheckMs;
    private long suspectSequence = -1;
    private boolean closed;

    private AmqpFeedPublisher(
        final AmqpFeedContext context,
        final ConnectionFactory factory,
        final FeedState state,
        final FeedCounters counters,
        final ChangeFeed feed,
        final long lastConfirmedTimestampNanos,
        final Runnable onTermination)
    {
        this.context = context;
        this.state = state;
        this.counters = counters;
        this.feed = feed;
        this.onTermination = onTermination;
        this.out = context.out();
        this.err = context.err();
        this.startTimestampNanos = feed.context().fromTimestampNanos();
        this.window = new ConfirmWindow(context.maxInFlight(), lastConfirmedTimestampNanos);
        this.factory = factory;
        counters.lastConfirmedTimestamp().setRelease(lastConfirmedTimestampNanos);
    }

    /**
     * Lock the state directory, read its progress, make the counters and open the change feed after the last
     * confirmed change (or from {@link AmqpFeedContext#fromTimestampNanos()}, whichever is later). Nothing is sent
     * until the agent runs.
     *
     * @param context       concluded here.
     * @param onTermination run (on the agent's thread) when the publisher stops by itself: at the end with
     *                      {@link AmqpFeedContext#exitAtEnd()}, or on an error it cannot retry.
     * @return the publisher, holding the state directory's lock until closed.
     * @throws IllegalArgumentException if the context is not valid.
     * @throws FeedStateLockedException if another publisher holds the state directory.
     * @throws IllegalStateException    if there is no journal to follow, or the progress file is not readable.
     * @throws java.io.UncheckedIOException if the state directory cannot be used.
     */
    public static AmqpFeedPublisher launch(final AmqpFeedContext context, final Runnable onTermination)
    {
        context.conclude();
        final ConnectionFactory factory = connectionFactory(context);
        final FeedState state = FeedState.open(context.stateDirectory());
        FeedCounters counters = null;
        try
        {
            final long lastConfirmedTimestampNanos = state.readProgress();
            counters = new FeedCounters(context.stateDirectory(), "amqp");
            final long from = Math.max(context.fromTimestampNanos(), lastConfirmedTimestampNanos + 1);
            final ChangeFeed feed = ChangeFeed.open(context.feedContext().fromTimestampNanos(from));
            return new AmqpFeedPublisher(
                context, factory, state, counters, feed, lastConfirmedTimestampNanos, onTermination);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(counters, state);
            throw ex;
        }
    }

    /**
     * @return the first change timestamp this run publishes.
     */
    public long startTimestampNanos()
    {
        return startTimestampNanos;
    }

    /**
     * Ask the agent to stop: it leaves any wait for the broker, and {@link #onClose()} drains what is unconfirmed for
     * up to {@link AmqpFeedContext#drainTimeoutMs()} and writes the progress.
     */
    public void requestStop()
    {
        stopRequested = true;
    }

    /**
     * @return why the publisher stopped, or {@link Outcome#RUNNING}.
     */
    public Outcome outcome()
    {
        return outcome;
    }

    /**
     * @return what stopped it when the outcome is an error, or null.
     */
    public String failure()
    {
        return failure;
    }

    /**
     * @return changes the broker confirmed since the publisher started; valid after {@link #close()} too.
     */
    public long confirmedCount()
    {
        return window.confirmedCount();
    }

    /**
     * @return the publisher's counters; unmapped by {@link #close()}, so read them only before.
     */
    public FeedCounters counters()
    {
        return counters;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "feed-amqp";
    }

    /**
     * Connect (so that a refusal shows at once), then publish what the journal holds and follow it.
     *
     * @return work done: journal records read and progress written.
     */
    public int doWork()
    {
        if (stopRequested)
        {
            return 0;
        }
        try
        {
            int work = 0;
            if (null == channel || !channel.isOpen() || window.nacked())
            {
                ensureChannel();
            }
            final int read = feed.poll(publishing, AmqpFeedContext.RECORDS_PER_POLL);
            counters.onPoll(read, feed.lastRecordTimestampNanos(), clock.nanoTime());
            work += read;
            work += updateProgress(false);
            if (0 == read)
            {
                work += atEnd();
            }
            return work;
        }
        catch (final StopRequestedException ex)
        {
            return 0;
        }
        catch (final JournalException ex)
        {
            throw terminate(Outcome.DAMAGED, "the journal is damaged: " + ex.getMessage());
        }
        catch (final BrokerRefusedException ex)
        {
            throw terminate(Outcome.REFUSED, ex.getMessage());
        }
        catch (final AgentTerminationException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw terminate(Outcome.FAILED, ex.toString());
        }
    }

    /**
     * Wait up to the drain timeout for what is unconfirmed, write the progress, and close everything.
     */
    public void onClose()
    {
        if (!closed && null != channel && channel.isOpen() && !window.isEmpty())
        {
            final long deadlineMs = monotonicMs() + context.drainTimeoutMs();
            try
            {
                while (!window.isEmpty() && channel.isOpen() && !window.nacked() &&
                    monotonicMs() < deadlineMs)
                {
                    window.awaitEmpty(Math.min(WAIT_SLICE_MS, Math.max(1, deadlineMs - monotonicMs())));
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    /**
     * Write the progress and release everything: connection, feed, counters file, state directory lock. Safe to call
     * twice.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            updateProgress(true);
        }
        catch (final RuntimeException ex)
        {
            counters.errors().increment();
            err.println(NAME + ": cannot write the progress file: " + ex.getMessage());
        }
        final int unconfirmed = window.size();
        out.println(NAME + ": stopped: published " + counters.published().get() + ", confirmed " +
            window.confirmedCount() + ", last confirmed timestamp " + window.lastConfirmedTimestampNanos() +
            ", unconfirmed " + unconfirmed + (0 == unconfirmed ? "" : " (published again at the next start)") +
            ", errors " + counters.errors().get());
        closeConnection();
        CloseHelper.quietCloseAll(feed, counters, state);
    }

    private RuntimeException terminate(final Outcome outcome, final String failure)
    {
        this.failure = failure;
        this.outcome = outcome;
        if (Outcome.AT_END != outcome && Outcome.STOPPED != outcome)
        {
            err.println(NAME + ": stopping: " + failure);
        }
        if (null != onTermination)
        {
            onTermination.run();
        }
        return new AgentTerminationException(failure);
    }

    private int atEnd()
    {
        if (context.exitAtEnd() && !window.isEmpty())
        {
            awaitConfirms();
            return 0;
        }
        final long nowMs = monotonicMs();
        final long intervalMs = suspectSequence >= 0 ? END_RECHECK_INTERVAL_MS :
            context.exitAtEnd() ? 0 : END_CHECK_INTERVAL_MS;
        if (nowMs - lastEndCheckMs < intervalMs)
        {
            return 0;
        }
        lastEndCheckMs = nowMs;
        final JournalException damage = feed.checkEnd();
        if (null != damage)
        {
            // a record being written looks the same for a moment: damage is what is still there a second later
            if (suspectSequence == feed.nextSequence())
            {
                throw damage;
            }
            suspectSequence = feed.nextSequence();
            return 0;
        }
        suspectSequence = -1;
        if (context.exitAtEnd())
        {
            updateProgress(true);
            throw terminate(Outcome.AT_END, "at the journal's end with every change confirmed");
        }
        return 0;
    }

    private void awaitConfirms()
    {
        try
        {
            window.awaitEmpty(WAIT_SLICE_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }

    private int updateProgress(final boolean force)
    {
        final long lastConfirmed = window.lastConfirmedTimestampNanos();
        counters.confirmed().setRelease(window.confirmedCount());
        counters.lastConfirmedTimestamp().setRelease(lastConfirmed);
        final long nowMs = monotonicMs();
        if (force || nowMs - lastProgressMs >= context.progressIntervalMs())
        {
            lastProgressMs = nowMs;
            return state.writeProgress(lastConfirmed) ? 1 : 0;
        }
        return 0;
    }

    private void publish(final LedgerChange change)
    {
        awaitRoom();

        final ConfirmWindow.Entry entry = window.next();
        fill(entry, change);
        final long position = window.commit();
        counters.published().increment();
        if (null != channel)
        {
            send(entry, position);
        }
        // Here as well as after each poll: with a small window a poll's worth of changes (up to 64 records) takes
        // seconds to confirm, and the counters and the progress file would lag by all of it.
        updateProgress(false);
    }

    private void awaitRoom()
    {
        while (true)
        {
            ensureChannel();
            try
            {
                if (window.awaitRoom(WAIT_SLICE_MS))
                {
                    return;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
            if (stopRequested)
            {
                throw STOP;
            }
            updateProgress(false);
        }
    }

    private void fill(final ConfirmWindow.Entry entry, final LedgerChange change)
    {
        final long timestampNanos = change.timestampNanos();
        final String eventType = ChangeJson.typeName(change.type());

        json.setLength(0);
        ChangeJson.append(change, json);
        final int length = json.length();
        final byte[] body = new byte[length];
        for (int i = 0; i < length; i++)
        {
            body[i] = (byte)json.charAt(i); // the JSON form is ASCII: digits, fixed keys, type names
        }

        final Map<String, Object> headers = new HashMap<>(16);
        headers.put(HEADER_EVENT_TYPE, eventType);
        headers.put(HEADER_LEDGER, change.ledger());
        headers.put(HEADER_TRANSFER_CODE, change.code());
        headers.put(HEADER_DEBIT_ACCOUNT_CODE, change.debitAccountCode());
        headers.put(HEADER_CREDIT_ACCOUNT_CODE, change.creditAccountCode());
        headers.put(HEADER_TIMESTAMP_NANOS, timestampNanos);

        entry.timestampNanos = timestampNanos;
        entry.routingKey = eventType + '.' + change.ledger();
        entry.body = body;
        entry.properties = new AMQP.BasicProperties.Builder()
            .contentType(CONTENT_TYPE)
            .deliveryMode(DELIVERY_MODE_PERSISTENT)
            .messageId(Long.toString(timestampNanos))
            .type(eventType)
            .appId(APP_ID)
            .timestamp(new Date(timestampNanos / 1_000_000L))
            .headers(headers)
            .build();
    }

    private void send(final ConfirmWindow.Entry entry, final long position)
    {
        final Channel channel = this.channel;
        try
        {
            final long expectedTag = position - window.position(1) + 1;
            if (channel.getNextPublishSeqNo() != expectedTag)
            {
                throw new IllegalStateException("delivery tags out of step with the window: next tag " +
                    channel.getNextPublishSeqNo() + ", position " + position + " expects " + expectedTag);
            }
            channel.basicPublish(context.exchange(), entry.routingKey, false, entry.properties, entry.body);
        }
        catch (final IOException | ShutdownSignalException ex)
        {
            channelFailed("publish failed", ex);
        }
    }

    private void ensureChannel()
    {
        long backoffMs = AmqpFeedContext.RECONNECT_BACKOFF_MIN_MS;
        while (null == channel || !channel.isOpen() || window.nacked())
        {
            if (stopRequested)
            {
                throw STOP;
            }
            if (null != channel)
            {
                channelFailed(window.nacked() ? "the broker refused (nacked) a message" : "the connection was lost",
                    null != connection ? connection.getCloseReason() : null);
                if (window.confirmedCount() == confirmedAtConnect)
                {
                    // nothing was confirmed on that channel: a broker that nacks or drops every time is not hammered
                    sleep(failureBackoffMs);
                    failureBackoffMs = Math.min(failureBackoffMs * 2, context.reconnectBackoffMaxMs());
                }
                else
                {
                    failureBackoffMs = AmqpFeedContext.RECONNECT_BACKOFF_MIN_MS;
                }
            }
            try
            {
                connect();
                if (null != channel)
                {
                    return;
                }
            }
            catch (final IOException | TimeoutException | ShutdownSignalException ex)
            {
                final String refusal = refusal(ex);
                closeConnection();
                if (null != refusal)
                {
                    throw new BrokerRefusedException("the broker at " + context.redactedUri() + " refused the " +
                        "publisher: " + refusal);
                }
                counters.errors().increment();
                err.println(NAME + ": cannot publish to " + context.redactedUri() + ": " + describe(ex) +
                    "; retrying in " + backoffMs + " ms");
            }
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, context.reconnectBackoffMaxMs());
        }
    }

    private void connect() throws IOException, TimeoutException
    {
        closeConnection();
        connection = factory.newConnection(NAME);
        final Channel channel = connection.createChannel();
        if (null == channel)
        {
            throw new IOException("the broker has no channel left for this connection");
        }
        channel.confirmSelect();
        channel.exchangeDeclare(context.exchange(), context.exchangeType(), true);
        final int generation = window.beginChannel();
        channel.addConfirmListener(
            (tag, multiple) -> window.onConfirm(generation, tag, multiple, true),
            (tag, multiple) -> window.onConfirm(generation, tag, multiple, false));
        this.channel = channel;
        connects++;
        confirmedAtConnect = window.confirmedCount();

        final long head = window.head();
        final long tail = window.tail();
        out.println(NAME + ": connected to " + context.redactedUri() + ", exchange '" + context.exchange() + "' (" +
            context.exchangeType() + ")" + (tail > head ? ", publishing again " + (tail - head) + " unconfirmed " +
            "change(s) from timestamp " + window.entry(head).timestampNanos : "") +
            (1 == connects ? ", from timestamp " + startTimestampNanos : ""));
        for (long position = head; position < tail && this.channel == channel; position++)
        {
            send(window.entry(position), position);
        }
    }

    private void channelFailed(final String what, final Throwable cause)
    {
        if (null != channel)
        {
            counters.errors().increment();
            err.println(NAME + ": " + what + (null == cause ? "" : ": " + describe(cause)) + "; " +
                window.size() + " unconfirmed change(s) will be published again");
        }
        closeConnection();
    }

    private void closeConnection()
    {
        channel = null;
        final Connection connection = this.connection;
        this.connection = null;
        if (null != connection)
        {
            connection.abort(context.connectTimeoutMs());
        }
    }

    private void sleep(final long ms)
    {
        try
        {
            final long deadlineMs = monotonicMs() + ms;
            long remainingMs = ms;
            while (remainingMs > 0 && !stopRequested)
            {
                Thread.sleep(Math.min(remainingMs, WAIT_SLICE_MS));
                remainingMs = deadlineMs - monotonicMs();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }

    private static ConnectionFactory connectionFactory(final AmqpFeedContext context)
    {
        final ConnectionFactory factory = new ConnectionFactory();
        try
        {
            factory.setUri(context.uri());
        }
        catch (final Exception ex)
        {
            throw new IllegalArgumentException("--uri is not a usable AMQP URI (" + context.redactedUri() + "): " +
                ex.getMessage(), ex);
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout(context.connectTimeoutMs());
        factory.setHandshakeTimeout(context.connectTimeoutMs());
        factory.setShutdownTimeout(context.connectTimeoutMs());
        factory.setRequestedHeartbeat(context.heartbeatSeconds());
        return factory;
    }

    /**
     * @return why the broker refused the setup for good, or null for a failure worth retrying.
     */
    private static String refusal(final Throwable ex)
    {
        for (Throwable t = ex; null != t; t = t.getCause())
        {
            if (t instanceof PossibleAuthenticationFailureException)
            {
                return "authentication failed (check the user and password of --uri): " + t.getMessage();
            }
            if (t instanceof ShutdownSignalException)
            {
                final Object reason = ((ShutdownSignalException)t).getReason();
                final int code = replyCode(reason);
                if (REPLY_ACCESS_REFUSED == code || REPLY_NOT_FOUND == code || REPLY_PRECONDITION_FAILED == code ||
                    REPLY_NOT_ALLOWED == code)
                {
                    return replyText(reason) + " (reply code " + code + ")";
                }
            }
        }
        return null;
    }

    private static int replyCode(final Object reason)
    {
        if (reason instanceof AMQP.Connection.Close)
        {
            return ((AMQP.Connection.Close)reason).getReplyCode();
        }
        if (reason instanceof AMQP.Channel.Close)
        {
            return ((AMQP.Channel.Close)reason).getReplyCode();
        }
        return 0;
    }

    private static String replyText(final Object reason)
    {
        if (reason instanceof AMQP.Connection.Close)
        {
            return ((AMQP.Connection.Close)reason).getReplyText();
        }
        if (reason instanceof AMQP.Channel.Close)
        {
            return ((AMQP.Channel.Close)reason).getReplyText();
        }
        return reason instanceof Method ? ((Method)reason).protocolMethodName() : String.valueOf(reason);
    }

    private static String describe(final Throwable ex)
    {
        final StringBuilder sb = new StringBuilder();
        for (Throwable t = ex; null != t; t = t.getCause())
        {
            if (sb.length() > 0)
            {
                sb.append(": ");
            }
            if (t instanceof ShutdownSignalException)
            {
                final Object reason = ((ShutdownSignalException)t).getReason();
                final int code = replyCode(reason);
                sb.append(0 != code ? replyText(reason) + " (reply code " + code + ")" : t.getMessage());
            }
            else
            {
                sb.append(null != t.getMessage() ? t.getMessage() : t.getClass().getSimpleName());
            }
            if (t == t.getCause())
            {
                break;
            }
        }
        return sb.toString();
    }

    /**
     * Leaves a wait for the broker when a stop is asked; preallocated, no stack trace.
     */
    private static final class StopRequestedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StopRequestedException()
        {
            super("stop requested", null, false, false);
        }
    }

    /**
     * The broker refused the setup for good.
     */
    private static final class BrokerRefusedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        BrokerRefusedException(final String message)
        {
            super(message);
        }
    }

    /**
     * Milliseconds from {@link System#nanoTime()}: for waits, intervals and deadlines, which a wall clock set back
     * or forward (NTP, a VM restored) would stretch or cut short.
     */
    private static long monotonicMs()
    {
        return System.nanoTime() / 1_000_000L;
    }
}
