package io.paycore.transport;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error logs (the transport's and, in serve, the mark file's) hold distinct errors up to a fixed length and then
 * only count new ones. A caller that has not authenticated must not be able to fill them: once full, the error that
 * explains a later failure (a journal or cold tier failing) is counted but not recorded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorLogBoundsTest
{
    private static final int CONNECTS = 300;

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

    @Test
    void shouldNotRecordADistinctErrorPerBadChannelOfARefusedCaller()
    {
        service = new TestService(dir, false, (context) -> context.refusalRepliesPerSecond(100_000));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(service.server.aeronDirectoryName()));
        session = new RawSession(aeron, service.ingressChannel, TestService.INGRESS_STREAM_ID,
            service.nextResponseStreamId());
        final TransportCounters counters = service.server.counters();
        final long refusedBefore = counters.connectsRefused().get();
        for (int i = 0; i < CONNECTS; i++)
        {
            // A wrong secret, and a response channel of its own text each time.
            session.connect(i, TestService.CLIENT_B, "not-the-secret-of-b", "not-a-channel-" + i, 5000);
            EndToEndTest.awaitCounter(() -> counters.connectsRefused().get(), refusedBefore + i + 1);
        }

        final int distinct = service.errors().size();
        assertTrue(distinct <= 1, CONNECTS + " refused Connects left " + distinct + " distinct errors in the " +
            "transport's error log (one per caller-chosen channel), e.g. " +
            (service.errors().isEmpty() ? "" : service.errors().get(0).lines().findFirst().orElse("")));
        assertTrue(service.server.errorCount() <= 1, "errors reported: " + service.server.errorCount());
    }
}
