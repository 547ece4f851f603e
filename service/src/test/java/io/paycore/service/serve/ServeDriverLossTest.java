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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve} on a media driver of another process's ({@code --aeron-dir}) whose driver goes away: its Aeron client
 * then unmaps the driver's files, and threads still writing counters there crashed the JVM with SIGSEGV. It must
 * instead stop at once with its own status and reason, and start again on the same data directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeDriverLossTest
{
    @TempDir
    Path temp;

    private MediaDriver driver;
    private PaycoreProcess service;

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != service)
        {
            service.kill();
        }
        CloseHelper.close(driver);
    }

    @Test
    void shouldStopWithItsOwnStatusWhenItsMediaDriverGoesAndStartAgain() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        ServeCommandTest.writeClients(data);
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(temp.resolve("driver").toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000))
            .dirDeleteOnStart(true));
        service = PaycoreProcess.start(temp.resolve("serve.out"),
            serveArgs(data, "--aeron-dir", temp.resolve("driver").toString()));
        service.awaitReady(60_000);

        driver.close();

        assertEquals(ServeCommand.EXIT_TRANSPORT_LOST, service.awaitExit(30_000));
        final String output = service.output();
        assertTrue(output.contains("DriverTimeoutException"), output);
        assertTrue(output.contains("paycore serve: stopping at once (exit status 5): its Aeron client failed"),
            output);
        assertFalse(output.contains("SIGSEGV"), output);

        service = PaycoreProcess.start(temp.resolve("serve-again.out"), serveArgs(data));
        service.awaitReady(60_000);
        assertEquals(143, service.terminate(30_000));
        service = null;
    }

    private static List<String> serveArgs(final DataDirectory data, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("serve", "--data", data.root().toString(),
            "--channel", "aeron:ipc", "--max-accounts", "1000", "--hot-transfers", "10000", "--max-pending", "100"));
        args.addAll(List.of(more));
        return args;
    }
}
