package io.paycore.service.cluster;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aeron ends a consensus module's thread without running the termination hook when the module fails while it
 * starts; a member left like that stays up and does nothing. {@code paycore node} notices and stops with
 * {@link NodeCommand#EXIT_PART_STOPPED}, printing the module's error log, so that its supervisor starts it again.
 * The failure is made for real: a recording log naming a snapshot the archive does not hold, which the module
 * cannot load.
 */
class NodeWatchdogTest
{
    private static final String MEMBERS = "localhost:20700,localhost:20710,localhost:20720";
    private static final long MISSING_RECORDING_ID = 999;

    @TempDir
    Path temp;

    @Test
    void shouldTellAnEndedThreadFromARunningOne() throws Exception
    {
        final ClusterNode.AgentThreads threads = new ClusterNode.AgentThreads();
        final CountDownLatch release = new CountDownLatch(1);
        final Thread running = threads.newThread(() -> awaitQuietly(release));
        running.start();
        assertFalse(threads.anyEnded(), "a thread still running");

        release.countDown();
        running.join();
        assertTrue(threads.anyEnded(), "a thread that has ended");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldStopTheMemberWhenItsConsensusModuleFailsAsItStarts() throws Exception
    {
        final Path data = temp.resolve("member-0");
        final Path clusterDir = data.resolve("cluster");
        Files.createDirectories(clusterDir);
        try (RecordingLog log = new RecordingLog(clusterDir.toFile(), true))
        {
            log.appendSnapshot(MISSING_RECORDING_ID, 0, 0, 1024, 1, ConsensusModule.Configuration.SERVICE_ID);
            log.appendSnapshot(MISSING_RECORDING_ID + 1, 0, 0, 1024, 1, 0);
        }
        final Path clients = temp.resolve("clients");
        Files.writeString(clients, ClientCredentials.line(1, "watchdog-test-secret", 1_000) + "\n");
        Files.setPosixFilePermissions(clients, CredentialsFileMode.OWNER_ONLY);

        final CapturedRun run = CapturedRun.of("node", "--id", "0", "--members", MEMBERS, "--data", data.toString(),
            "--clients", clients.toString(), "--flush", "none", "--cold-tier-size", "0");
        final String text = run.text();
        assertEquals(NodeCommand.EXIT_PART_STOPPED, run.status(), text);
        assertTrue(text.contains("paycore node 0: its consensus module stopped by itself"), text);
        assertTrue(text.contains(Long.toString(MISSING_RECORDING_ID)), "the module's error names the recording: " +
            text);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
