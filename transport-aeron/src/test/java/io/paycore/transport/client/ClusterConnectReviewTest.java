package io.paycore.transport.client;

import io.aeron.CncFileDescriptor;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a cluster's client fails to connect, from a review of the cluster client on 2026-12-07; each test failed
 * before its fix. No cluster runs: nothing here gets as far as sending to one (ports 27000-27499 only).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterConnectReviewTest
{
    private static final String ENDPOINTS = "0=localhost:27002,1=localhost:27012";

    @TempDir
    Path temp;

    private MediaDriver driver;

    @AfterEach
    void close()
    {
        CloseHelper.quietClose(driver);
    }

    /**
     * Endpoints without member ids ({@code localhost:27002,localhost:27012}), or with ids that are not numbers,
     * passed the context's checks and reached Aeron Cluster's client, which threw its own {@code
     * ConfigurationException: ERROR - endpoint missing '=' separator} (or a {@code NumberFormatException}) from
     * {@code PaycoreClient.connect}. They are refused as every other setting is, naming the property and the form.
     */
    @Test
    void shouldRefuseIngressEndpointsWithoutMemberIdsNamingTheSetting()
    {
        driver = launchDriver(temp.resolve("aeron"));
        for (final String endpoints : new String[]{
            "localhost:27002,localhost:27012", "0=localhost:27002,localhost:27012", "a=localhost:27002",
            "0=localhost", "0=:27002", "0=localhost:x"})
        {
            final Throwable thrown = assertThrows(Throwable.class, () -> PaycoreClient.connect(context(endpoints)
                .aeronDirectoryName(driver.aeronDirectoryName())).close());

            assertEquals(IllegalArgumentException.class, thrown.getClass(), endpoints + ": " + thrown);
            assertTrue(thrown.getMessage().startsWith("cluster ingress endpoints (" +
                ClientContext.CLUSTER_INGRESS_ENDPOINTS_PROP_NAME + ") must be "), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("0=host:port,1=host:port,..."), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("'" + endpoints + "'"), thrown.getMessage());
        }
        context(ENDPOINTS).conclude();
        context("0=[::1]:27002").conclude();
    }

    /**
     * A media driver that died (killed) leaves its CnC file with its last heartbeat, which Aeron takes for a running
     * driver for 10 s. A first connect in those 10 s passed the client's check for a driver, and with a connect
     * timeout longer than what was left of them, threw Aeron's own {@code AeronException: Aeron client is
     * terminating} when Aeron's client found the driver gone. Here the CnC file of a driver copied while it ran
     * stands for the one a killed driver leaves.
     */
    @Test
    void shouldReportADriverThatDiedJustBeforeTheFirstConnectAsAPaycoreClientException() throws IOException
    {
        final Path live = temp.resolve("live");
        final Path dead = temp.resolve("dead");
        driver = launchDriver(live);
        Files.createDirectories(dead);
        Files.copy(live.resolve(CncFileDescriptor.CNC_FILE), dead.resolve(CncFileDescriptor.CNC_FILE));
        driver.close();
        driver = null;
        assertTrue(DriverCheck.isDriverActive(dead.toFile()), "the copied CnC file looks like a running driver");

        final long startNanos = System.nanoTime();
        final Throwable thrown = assertThrows(Throwable.class, () -> PaycoreClient.connect(context(ENDPOINTS)
            .aeronDirectoryName(dead.toString())
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(15))).close());
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

        assertEquals(PaycoreClientException.class, thrown.getClass(), thrown.toString());
        assertTrue(thrown.getMessage().contains("media driver in " + dead), thrown.getMessage());
        assertFalse(thrown.getMessage().contains("\n"), thrown.getMessage());
        assertTrue(elapsedMillis < 17_000, "took " + elapsedMillis + " ms");
    }

    private static ClientContext context(final String endpoints)
    {
        return new ClientContext()
            .clusterIngressEndpoints(endpoints)
            .clientId(1)
            .secret("cluster-connect-review-secret")
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(2));
    }

    private static MediaDriver launchDriver(final Path directory)
    {
        return MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(directory.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
    }
}
