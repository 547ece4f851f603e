package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two services that mark one ingress in the same moment, each after the other looked for a mark: the older mark
 * keeps the ingress and the other start is refused, whichever looked first. The mark is added here through the
 * hook a start adds it with, so the rival's mark lands exactly in between.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IngressClaimTest
{
    @TempDir
    Path dir;

    private MediaDriver driver;
    private Aeron self;
    private Aeron rival;
    private final TransportContext context = new TransportContext()
        .ingressChannel("aeron:udp?endpoint=localhost:39977").ingressStreamId(1001);

    @BeforeEach
    void before()
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        self = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        rival = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(self, rival, driver);
    }

    @Test
    void shouldRefuseTheStartWhoseMarkCameSecondWhenBothLookedFirst()
    {
        final String label = PaycoreServer.ingressClaimLabel(context);
        final Counter[] mine = new Counter[1];
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () ->
            PaycoreServer.claimIngress(self, context, () ->
            {
                rival.addCounter(PaycoreServer.INGRESS_CLAIM_TYPE_ID, label);
                mine[0] = self.addCounter(PaycoreServer.INGRESS_CLAIM_TYPE_ID, label);
                return mine[0];
            }));
        assertTrue(ex.getMessage().contains("another paycore service already takes in " + context.ingressChannel()),
            ex.getMessage());
        assertTrue(mine[0].isClosed(), "the refused start's own mark is taken away again");
    }

    @Test
    void shouldKeepTheIngressWhenItsMarkCameFirst()
    {
        final String label = PaycoreServer.ingressClaimLabel(context);
        final Counter mine = PaycoreServer.claimIngress(self, context, () ->
        {
            final Counter counter = self.addCounter(PaycoreServer.INGRESS_CLAIM_TYPE_ID, label);
            rival.addCounter(PaycoreServer.INGRESS_CLAIM_TYPE_ID, label);
            return counter;
        });
        assertFalse(mine.isClosed());
    }
}
