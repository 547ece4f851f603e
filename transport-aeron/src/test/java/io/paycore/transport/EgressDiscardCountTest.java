package io.paycore.transport;

import io.aeron.Aeron;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.paycore.transport.EndToEndTest.awaitCounter;

/**
 * README, counters: "answers dropped". When egress removes a session, the answers still held in its backlog are
 * dropped: each must be counted, like an answer that arrives after the session has gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EgressDiscardCountTest
{
    private static final int REQUESTS = 12;
    private static final int ACCOUNTS = 1000;

    enum Removal
    {
        /** No progress for the egress timeout. */
        TIMEOUT,
        /** The next answer would take the backlog past its bound. */
        BACKLOG_FULL,
        /** The client's image goes (MSG_CLOSE). */
        IMAGE_GONE
    }

    @TempDir
    Path dir;

    private TestService service;
    private Aeron aeron;
    private RawSession session;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(session, aeron, service);
    }

    /**
     * A session whose response stream no one reads: nothing it is answered (its ConnectResult and one answer a
     * request) is ever delivered. Every answer is counted dropped, but for those of requests ingress dropped (and
     * counted) after the disconnect.
     */
    @ParameterizedTest
    @EnumSource(Removal.class)
    void shouldCountEveryAnswerDiscardedWithItsSession(final Removal removal)
    {
        service = new TestService(dir, false, (context) ->
        {
            if (Removal.TIMEOUT == removal)
            {
                context.egressBackPressureTimeoutNanos(TimeUnit.SECONDS.toNanos(2))
                    .egressBacklogLength(8 * 1024 * 1024);
            }
            else if (Removal.BACKLOG_FULL == removal)
            {
                context.egressBackPressureTimeoutNanos(TimeUnit.MINUTES.toNanos(10))
                    .egressBacklogLength(TransportContext.EGRESS_BACKLOG_LENGTH_MIN);
            }
            else
            {
                context.egressBackPressureTimeoutNanos(TimeUnit.MINUTES.toNanos(10))
                    .egressBacklogLength(8 * 1024 * 1024);
            }
        });
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        final TransportCounters counters = service.server.counters();

        session = new RawSession(aeron, service.ingressChannel, TestService.INGRESS_STREAM_ID,
            service.nextResponseStreamId());
        session.connect(1, TestService.CLIENT_B, TestService.SECRET_B, "aeron:ipc", service.nextResponseStreamId());
        awaitCounter(() -> counters.clientsConnected().get(), 1);

        final long messagesInBefore = counters.messagesIn().get();
        final long droppedUnauthenticatedBefore = counters.droppedUnauthenticated().get();
        final AccountEventArray accounts = new AccountEventArray(ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++)
        {
            accounts.add(i + 1, 0, 1, 1, 0);
        }
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256 * 1024]);
        final RequestEncoder encoder = new RequestEncoder();
        for (int i = 0; i < REQUESTS; i++)
        {
            // The first creates the accounts, each later one is answered with a result for every account.
            session.send(frame, 0, encoder.createAccounts(frame, 0, 2 + i, accounts));
        }
        awaitCounter(() -> counters.messagesIn().get(), messagesInBefore + REQUESTS);

        if (Removal.IMAGE_GONE == removal)
        {
            CloseHelper.close(session);
        }
        else
        {
            awaitCounter(() -> counters.backPressureDisconnects().get(), 1);
        }
        awaitCounter(() -> counters.clientsConnected().get(), 0);

        awaitCounter(
            () -> counters.answersDropped().get() +
                (counters.droppedUnauthenticated().get() - droppedUnauthenticatedBefore),
            1 + REQUESTS);
    }
}
