package io.paycore.service.cluster;

import io.aeron.Aeron;
import io.aeron.cluster.service.Cluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.core.cold.ColdTierException;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's service closes its cold tier as it ends ({@code onTerminate}), and that close forces the tier's last
 * writes: a close that fails leaves transfers the member's snapshots may name as written not known durable. It must
 * be the member's failure, as a journal that fails to close is (so {@code paycore node} says so and exits non-zero),
 * and the member's counters must still be freed. The failure escaped {@code onTerminate} to Aeron's error handler
 * instead: not recorded, and the counters left allocated.
 */
class ColdTierCloseFailureReviewTest
{
    private static final String FAILURE = "injected: the cold tier's last force failed as it closed";

    @TempDir
    Path data;

    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void startDriver()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(data.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRecordAColdTierThatFailsToCloseAsTheFailureAndStillFreeTheCounters()
    {
        final LedgerLimits limits = new LedgerLimits().maxAccounts(64).maxTransfers(1024).maxPendingTransfers(64);
        final PaycoreClusteredService service = new PaycoreClusteredService(0, limits,
            new JournalContext().directory(data.resolve("journal")).segmentLength(JournalContext.SEGMENT_LENGTH_MIN)
                .flushLevel(FlushLevel.NONE).preallocate(false),
            0, data.resolve("cold"), 64L * 1024 * 1024);
        final List<AtomicCounter> loginsRefused = new ArrayList<>();
        service.loginsRefusedCounter(loginsRefused::add);
        service.coldTierCloser((cold) ->
        {
            cold.close();
            throw new ColdTierException(FAILURE);
        });
        service.onStart(cluster(), null);
        final AtomicCounter counter = loginsRefused.get(0);
        assertNotNull(counter);
        assertNull(service.failure());

        service.onTerminate(null);

        assertNotNull(service.failure(), "a cold tier that failed to close was not recorded as the failure");
        assertEquals(FAILURE, service.failure().getMessage());
        assertTrue(counter.isClosed(), "the member's counters were left allocated");
        assertNull(loginsRefused.get(loginsRefused.size() - 1));
    }

    private Cluster cluster()
    {
        return (Cluster)Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] { Cluster.class },
            (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "aeron":
                        return aeron;
                    case "role":
                        return Cluster.Role.LEADER;
                    case "toString":
                        return "fake";
                    default:
                        final Class<?> type = method.getReturnType();
                        return boolean.class == type ? Boolean.FALSE : long.class == type ? (Object)0L :
                            int.class == type ? (Object)0 : null;
                }
            });
    }
}
