package io.paycore.service.serve;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paycore.replay.DataDirectory;
import io.paycore.service.PaycoreProcess;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code serve} on one media driver of their host's ({@code --aeron-dir}) with the same {@code --channel} and
 * {@code --stream}, in two data directories (a second deployment started beside the first, say): the driver shares
 * one subscription endpoint between them, so both started, and both took in, journaled and answered every client
 * request (seen: each counted the same 104 messages in, and each had the client connected). With the embedded
 * driver the second's bind fails; on a shared driver nothing stopped it. A service killed and started again at once
 * must still start.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeSharedDriverReviewTest
{
    @TempDir
    Path temp;

    private MediaDriver driver;
    private PaycoreProcess first;
    private PaycoreProcess second;

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != second)
        {
            second.kill();
        }
        if (null != first)
        {
            first.kill();
        }
        CloseHelper.close(driver);
    }

    @Test
    void shouldRefuseASecondServiceOnTheSameChannelAndStreamOfOneMediaDriver() throws Exception
    {
        final DataDirectory one = new DataDirectory(temp.resolve("one"));
        final DataDirectory two = new DataDirectory(temp.resolve("two"));
        ServeCommandTest.writeClients(one);
        ServeCommandTest.writeClients(two);
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(temp.resolve("driver").toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000))
            .dirDeleteOnStart(true));
        first = PaycoreProcess.start(temp.resolve("one.out"), serveArgs(one));
        first.awaitReady(60_000);

        second = PaycoreProcess.start(temp.resolve("two.out"), serveArgs(two));
        final int status = second.awaitExit(60_000);
        final String output = second.output();
        second = null;

        assertEquals(ServeCommand.EXIT_START_FAILED, status, output);
        assertTrue(output.contains("another paycore service already takes in aeron:ipc stream 1001 on the media " +
            "driver in " + temp.resolve("driver")), output);

        // A killed service's mark stays in the driver until its client times out; started again at once, it runs.
        first.kill();
        first = PaycoreProcess.start(temp.resolve("one-again.out"), serveArgs(one));
        first.awaitReady(60_000);
        assertEquals(143, first.terminate(30_000));
        first = null;
        second = PaycoreProcess.start(temp.resolve("two-again.out"), serveArgs(two));
        second.awaitReady(60_000);
        assertEquals(143, second.terminate(30_000));
        second = null;
    }

    private List<String> serveArgs(final DataDirectory data)
    {
        return new ArrayList<>(List.of("serve", "--data", data.root().toString(), "--aeron-dir",
            temp.resolve("driver").toString(), "--channel", "aeron:ipc", "--max-accounts", "1000", "--hot-transfers",
            "10000", "--max-pending", "100"));
    }
}
