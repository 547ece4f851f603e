package io.paycore.service;

import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.service.serve.ServiceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Limits too large for the JVM's heap (or, for the cluster demo, the machine's memory) are refused by every command
 * that builds a ledger, with the sizes and what to change, exit status 2, before anything is allocated or written:
 * not an OutOfMemoryError part way through a start.
 */
class HeapLimitTest
{
    private static final String MOST = Integer.toString(LedgerLimits.MAX_RECORDS_BOUND);

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void serveShouldRefuseAHotWindowLargerThanTheHeap() throws Exception
    {
        assumeTooLargeForTheHeap();
        final Path data = temp.resolve("data");
        final String clients = clientsFile();

        assertEquals(2, PaycoreMain.execute("serve", "--data", data.toString(), "--clients", clients,
            "--hot-transfers", MOST));

        final String err = console.err();
        assertTrue(err.startsWith("paycore serve: 2 copies of a ledger of 1,048,576 accounts, 134,217,728 " +
            "transfers in memory (with a cold tier) and 1,048,576 pending transfers take about "), err);
        assertTrue(err.contains(" MiB of heap and the pipeline's rings (1024 + 1024 slots) and the cold tier's " +
            "prefetch pool (65,536 ids, paycore.cold.prefetch.entries) 270 MiB: "), err);
        assertTrue(err.contains(" MiB, more than " + LedgerLimits.heapDescription(LedgerLimits.longLivedHeapBytes()) +
            " (the snapshotter thread keeps the second copy; --snapshot-thread blp does not): lower " +
            "--max-accounts, --hot-transfers or --max-pending, or give the JVM more heap"), err);
        assertFalse(Files.exists(data), "nothing is written before the refusal");

        console.reset();
        assertEquals(2, PaycoreMain.execute("serve", "--data", data.toString(), "--clients", clients,
            "--hot-transfers", MOST, "--snapshot-thread", "blp", "--cold-tier-size", "0"));
        assertTrue(console.err().startsWith("paycore serve: a ledger of 1,048,576 accounts, 134,217,728 " +
            "transfers in memory and 1,048,576 pending transfers takes about "), console.err());
    }

    @Test
    void serveShouldRefuseRingsLargerThanTheHeap() throws Exception
    {
        // 65,536 slots of the longest request (1,024 events) and as many of the longest answer: 16 GiB.
        final long ringBytes = 65_536L * 131_092 * 2;
        assumeTrue(ringBytes > Runtime.getRuntime().maxMemory(), "a heap smaller than the largest rings");
        final Path data = temp.resolve("data");
        final String clients = clientsFile();

        assertEquals(2, PaycoreMain.execute("serve", "--data", data.toString(), "--clients", clients,
            "--max-accounts", "1000", "--hot-transfers", "1000", "--max-pending", "1000",
            "--input-ring-size", "65536", "--output-ring-size", "65536"));

        final String err = console.err();
        assertTrue(err.startsWith("paycore serve: 2 copies of a ledger of 1,000 accounts, 1,000 transfers in " +
            "memory (with a cold tier) and 1,000 pending transfers take about "), err);
        assertTrue(err.contains(" MiB of heap and the pipeline's rings (65536 + 65536 slots) and the cold tier's " +
            "prefetch pool (65,536 ids, paycore.cold.prefetch.entries) 16,400 MiB: "), err);
        assertTrue(err.contains("(or, for the rings, --input-ring-size, --output-ring-size or --max-batch)"), err);
        assertFalse(Files.exists(data), "nothing is written before the refusal");
    }

    @Test
    void serveShouldRefuseAPrefetchPoolLargerThanTheHeap() throws Exception
    {
        // 100,000,000 ids of some 230 bytes each: 22 GB.
        assumeTrue(AsyncLmdbColdTier.prefetchHeapBytes(100_000_000) > Runtime.getRuntime().maxMemory(),
            "a heap smaller than the prefetch pool");
        final Path data = temp.resolve("data");
        final String clients = clientsFile();
        System.setProperty(ServiceContext.COLD_PREFETCH_ENTRIES_PROP_NAME, "100000000");
        try
        {
            assertEquals(2, PaycoreMain.execute("serve", "--data", data.toString(), "--clients", clients,
                "--max-accounts", "1000", "--hot-transfers", "1000", "--max-pending", "1000"));
        }
        finally
        {
            System.clearProperty(ServiceContext.COLD_PREFETCH_ENTRIES_PROP_NAME);
        }

        final String err = console.err();
        assertTrue(err.contains(" MiB of heap and the pipeline's rings (1024 + 1024 slots) and the cold tier's " +
            "prefetch pool (100,000,000 ids, paycore.cold.prefetch.entries) "), err);
        assertFalse(Files.exists(data), "nothing is written before the refusal");
    }

    @Test
    void demoShouldRefuseToKeepMoreTransfersInMemoryThanTheHeapHolds()
    {
        assumeTooLargeForTheHeap();

        assertEquals(2, PaycoreMain.execute("demo", "--transfers", MOST, "--accounts", "200"));

        final String err = console.err();
        assertTrue(err.startsWith("paycore demo: the service's ledger (1,024 accounts, 134,217,728 transfers in " +
            "memory)"), err);
        assertTrue(err.contains("keep only the newest transfers in memory with --hot-transfers N"), err);
        assertEquals("", console.out());
    }

    @Test
    void clusterDemoShouldRefuseMembersLargerThanTheMachine()
    {
        final long machineBytes =
            ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
        assumeTrue(3 * new LedgerLimits().maxAccounts(1024).maxTransfers(LedgerLimits.MAX_RECORDS_BOUND)
            .heapBytesEstimate(true) > machineBytes, "a machine with less memory than three such members");

        assertEquals(2, PaycoreMain.execute("demo", "--cluster", "--transfers", MOST, "--accounts", "200"));

        final String err = console.err();
        assertTrue(err.startsWith("paycore demo: --cluster keeps every transfer in memory on each of its 3 " +
            "members: 134,217,728 transfers take about "), err);
        assertTrue(err.contains("of memory: send fewer with --transfers"), err);
    }

    @Test
    void auditShouldRefuseAHotWindowLargerThanTheHeap() throws Exception
    {
        assumeTooLargeForTheHeap();
        Files.createDirectories(temp.resolve("data"));

        assertEquals(2, PaycoreMain.execute("audit", "--data", temp.resolve("data").toString(),
            "--hot-transfers", MOST));

        assertTrue(console.err().startsWith("paycore audit: a ledger of 1,048,576 accounts, 134,217,728 transfers " +
            "in memory (with a cold tier) and 1,048,576 pending transfers takes about "), console.err());
    }

    @Test
    void feedsAndQueryServerShouldRefuseAHotWindowLargerThanTheHeap() throws Exception
    {
        assumeTooLargeForTheHeap();
        final String data = Files.createDirectories(temp.resolve("data")).toString();
        final String refusal = "a ledger of 1,048,576 accounts, 134,217,728 transfers in memory (with a cold tier) " +
            "and 1,048,576 pending transfers takes about ";

        assertEquals(2, PaycoreMain.execute("feed", "--data", data, "--hot-transfers", MOST));
        assertTrue(console.err().startsWith("paycore feed: " + refusal), console.err());

        console.reset();
        assertEquals(2, PaycoreMain.execute("query-server", "--data", data, "--state",
            temp.resolve("state").toString(), "--channel", "aeron:ipc", "--hot-transfers", MOST));
        assertTrue(console.err().startsWith("paycore query-server: " + refusal), console.err());

        console.reset();
        assertEquals(2, PaycoreMain.execute("feed-kafka", "--data", data, "--state",
            temp.resolve("kafka-state").toString(), "--bootstrap", "localhost:1", "--topic", "changes",
            "--hot-transfers", MOST));
        assertTrue(console.err().startsWith("paycore feed-kafka: " + refusal), console.err());
        assertFalse(Files.exists(temp.resolve("kafka-state")), "refused before it takes its state directory");

        console.reset();
        assertEquals(2, PaycoreMain.execute("feed-amqp", "--data", data, "--state",
            temp.resolve("amqp-state").toString(), "--uri", "amqp://localhost:1", "--exchange", "changes",
            "--hot-transfers", MOST));
        assertTrue(console.err().startsWith("paycore feed-amqp: " + refusal), console.err());
        assertFalse(Files.exists(temp.resolve("amqp-state")), "refused before it takes its state directory");
    }

    @Test
    void nodeShouldRefuseAHotWindowLargerThanTheHeap()
    {
        assumeTooLargeForTheHeap();

        assertEquals(2, PaycoreMain.execute("node", "--id", "0", "--members", "localhost:22900", "--data",
            temp.resolve("node").toString(), "--hot-transfers", MOST));

        // Two copies by default: the member's snapshotter thread keeps the second.
        assertTrue(console.err().startsWith("paycore node: 2 copies of a ledger of 1,048,576 accounts, " +
            "134,217,728 transfers in " +
            "memory (with a cold tier) and 1,048,576 pending transfers take about "), console.err());
        assertTrue(console.err().contains("(the snapshotter thread keeps the second copy; --snapshot-thread " +
            "service does not)"), console.err());
        assertFalse(Files.exists(temp.resolve("node")));
    }

    private static void assumeTooLargeForTheHeap()
    {
        assumeTrue(new LedgerLimits().maxTransfers(LedgerLimits.MAX_RECORDS_BOUND).heapBytesEstimate(false) >
            Runtime.getRuntime().maxMemory(), "a heap smaller than a ledger of the most transfers");
    }

    /**
     * @return a credentials file with one client, for serve to start as far as its checks; the console cleared.
     */
    private String clientsFile()
    {
        final String clients = temp.resolve("clients").toString();
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", clients, "--client-id", "1", "--secret",
            "a-secret-of-some-length"), console.err());
        console.reset();
        return clients;
    }

}
