package io.paycore.service.cluster;

import io.paycore.journal.JournalException;
import io.paycore.service.ShutdownSignals;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paycore node} stopped by a signal closes its member, and the service closes its journal as it does
 * ({@code onTerminate}): a journal that cannot be closed (its last force failed) leaves records not known durable.
 * The command must say so and give the storage failure's status; it read the service's failure before closing the
 * member, so such a failure went unreported and the command ended as after a clean stop (0, nothing said).
 * The signal is delivered as the JVM's shutdown hook delivers SIGTERM: every {@link ShutdownSignalBarrier} signalled.
 */
class NodeCloseFailureReviewTest
{
    private static final String FAILURE = "injected: the journal's last force failed as it closed";

    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldReportAJournalThatFailsToCloseAfterASignal() throws Exception
    {
        final SingleMemberNode node = new SingleMemberNode(temp, 33500, executor, (launched) ->
            launched.service().journalCloser((journal) ->
            {
                journal.close();
                throw new JournalException(FAILURE);
            }));

        ShutdownSignals.deliver();

        assertEquals(
            NodeCommand.EXIT_STORAGE_FAILED, node.status.get(60, TimeUnit.SECONDS), node.out + "\n" + node.err);
        assertTrue(node.err.toString().contains("paycore node 0: stopped: " + FAILURE), node.err.toString());
        assertEquals(FAILURE, node.service.failure().getMessage());
    }
}
