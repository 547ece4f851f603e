package io.paycore.service.serve;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.Recovery;
import io.paycore.service.PaycoreProcess;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.Transfer;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL the service mid-stream, again and again: after each restart every result the client received is in the
 * ledger as the client was told, and the ledger the service recovered (from a snapshot and the journal after it)
 * has the digest of an offline replay of the journal alone. Run twice: with every transfer in memory (no cold
 * tier), and with a hot window of a few hundred transfers, so the kills land during eviction, cold-tier writes and
 * snapshots, and most of what is checked after each restart (by lookup, and by re-sending it for {@code EXISTS})
 * comes back from the cold tier.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class CrashTest
{
    private static final int KILLS = 6;
    private static final long CLIENT_ID = 1;
    private static final String SECRET = "crash-test-secret";
    private static final int ACCOUNTS = 100;
    private static final int LEDGER = 840;
    private static final int BATCH = 20;
    private static final int WINDOW = 8;
    private static final long MISSING_ACCOUNT = 1_000_000;
    private static final int MAX_ACCOUNTS = 1024;
    private static final int MAX_TRANSFERS = 1 << 18;
    private static final int MAX_PENDING = 1024;
    private static final int MAX_BATCH = 64;
    private static final int SEGMENT_LENGTH = 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int HOT_WINDOW = 300;
    private static final int MAX_TRANSFERS_WITH_TIER = 1 << 21;
    /**
     * Room for every record the seven rounds may make: they send for a time, not a count, and 64 MiB (about 324,000
     * records) filled on 2026-12-08 in a fresh-clone run, when the service stopped with the tier full and refused
     * to start. 256 MiB holds about 1.3 million, under {@link #MAX_TRANSFERS_WITH_TIER}; the file is sparse.
     */
    private static final String COLD_TIER_SIZE = "256m";

    private int hotTransfers;

    @TempDir
    Path temp;

    private PaycoreProcess service;
    private PaycoreClient client;

    /** Transfer id to what the client was told: its result and, when created, its timestamp. */
    private final Map<Long, Received> received = new HashMap<>();
    private final Map<Long, long[]> sent = new HashMap<>();
    private long nextTransferId = 1;
    private int rejected;

    @AfterEach
    void after()
    {
        CloseHelper.quietClose(client);
        CloseHelper.quietClose(service);
    }

    @ParameterizedTest(name = "hot transfers {0} (0: no cold tier)")
    @ValueSource(ints = { 0, HOT_WINDOW })
    void shouldRecoverEveryReceivedResultAndTheJournalsDigestAfterEachKill(final int hotTransfers) throws Exception
    {
        this.hotTransfers = hotTransfers;
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        Files.createDirectories(data.root());
        Files.writeString(data.root().resolve(ServeCommand.CLIENTS_FILE_NAME),
            ClientCredentials.line(CLIENT_ID, SECRET, 1) + System.lineSeparator());
        final SplittableRandom random = new SplittableRandom(0xC0FFEE);
        String offlineDigest = null;
        long offlineLastSequence = 0;
        int restartsFromSnapshot = 0;
        long lastKillSequence = 0;

        for (int round = 0; round <= KILLS; round++)
        {
            service = PaycoreProcess.start(temp.resolve("serve-" + round + ".out"), serveArgs(data));
            service.awaitReady(60_000);
            final String output = service.output();
            if (round > 0)
            {
                assertEquals(offlineDigest, service.ready("digest"),
                    "round " + round + ": recovered digest differs from an offline replay of the journal:\n" +
                    output);
                assertEquals(Long.toString(offlineLastSequence), service.ready("last-sequence"), output);
                if (output.contains(".snap (sequence"))
                {
                    restartsFromSnapshot++;
                }
            }

            client = PaycoreClient.connect(new ClientContext()
                .aeronDirectoryName(service.ready("aeron-dir"))
                .clientId(CLIENT_ID)
                .secret(SECRET)
                .ingressChannel("aeron:ipc")
                .ingressStreamId(Integer.parseInt(service.ready("stream")))
                .responseChannel("aeron:ipc")
                .responseStreamId(2000 + round)
                .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(20)));

            if (0 == round)
            {
                createAccounts();
            }
            else
            {
                verifyEveryReceivedResult(round);
            }
            if (KILLS == round)
            {
                break;
            }

            sendUntilKilled(random, 150 + random.nextInt(700));
            CloseHelper.quietClose(client);
            client = null;

            final Path copy = temp.resolve("copy-" + round);
            copyDataDirectory(data.root(), copy);
            try (Recovery offline = Recovery.open(new DataDirectory(copy), offlineLimits(), journalContext(), false))
            {
                offlineDigest = offline.ledger().digestHex();
                offlineLastSequence = offline.report().lastSequence();
                assertTrue(0 == hotTransfers || offline.ledger().transferCount() < offlineLimits().maxTransfers(),
                    "round " + round + ": the reference replay is full: " + offline.ledger().transferCount());
            }
            assertTrue(offlineLastSequence > lastKillSequence, "round " + round + ": nothing was journaled");
            System.out.println("round " + round + ": killed at journal sequence " + offlineLastSequence + ", " +
                received.size() + " transfer results received so far, of " + sent.size() + " sent");
            lastKillSequence = offlineLastSequence;
        }

        CloseHelper.quietClose(client);
        client = null;
        final int status = service.terminate(30_000);
        final String output = service.output();
        assertEquals(ServeCommand.EXIT_SIGTERM, status, output);
        final String finalLine = output.lines().filter(l -> l.startsWith(PaycoreService.FINAL_DIGEST_PREFIX))
            .findFirst().orElse(null);
        assertNotNull(finalLine, output);
        final String finalDigest = finalLine.substring(PaycoreService.FINAL_DIGEST_PREFIX.length()).trim();
        try (Recovery offline = Recovery.open(data, offlineLimits(), journalContext(), false))
        {
            assertEquals(finalDigest, offline.ledger().digestHex(),
                "clean shutdown digest differs from an offline replay:\n" + output);
        }

        service = PaycoreProcess.start(temp.resolve("serve-after-clean-stop.out"), serveArgs(data));
        service.awaitReady(60_000);
        final String restarted = service.output();
        assertEquals(finalDigest, service.ready("digest"), restarted);
        assertTrue(restarted.contains("replayed    0 record(s)"), "a clean stop's snapshot covers everything:\n" +
            restarted);

        assertEquals(0, rejected, "no request should be rejected");
        final long created = received.values().stream().filter(r -> CreateTransferResult.OK == r.result).count();
        assertTrue(created > KILLS * 20L, "too few transfers acknowledged to mean anything: " + created);
        assertTrue(received.values().stream().anyMatch(r -> CreateTransferResult.OK != r.result),
            "the workload should include failures");
        assertTrue(restartsFromSnapshot > 0, "no restart recovered from a snapshot");
        if (0 != hotTransfers)
        {
            assertTrue(created > 5L * hotTransfers, "too few transfers to have most of them cold: " + created);
            assertTrue(restarted.contains("cold tier"), restarted);
        }
    }

    private List<String> serveArgs(final DataDirectory data)
    {
        return List.of(
            "serve",
            "--data", data.root().toString(),
            "--flush", "batch",
            "--profile", "shared",
            "--channel", "aeron:ipc",
            "--stream", "1001",
            "--segment-length", Integer.toString(SEGMENT_LENGTH),
            "--max-accounts", Integer.toString(MAX_ACCOUNTS),
            "--hot-transfers", Integer.toString(0 == hotTransfers ? MAX_TRANSFERS : hotTransfers),
            "--cold-tier-size", 0 == hotTransfers ? "0" : COLD_TIER_SIZE,
            "--max-pending", Integer.toString(MAX_PENDING),
            "--max-batch", Integer.toString(MAX_BATCH),
            "--snapshot-every", "40",
            "--snapshots-kept", "2",
            "--tick-interval", "50ms");
    }

    /**
     * The reference replay keeps every transfer in memory. With a cold tier the service has no bound on transfers,
     * so the reference must hold all it may have made in the run (a fast machine makes over 262,144 in the seven
     * rounds; a reference that refused them with TRANSFERS_FULL would differ from the service, not the service
     * from the journal). Without a tier the service's own bound applies, and the reference must share it.
     */
    private LedgerLimits offlineLimits()
    {
        return 0 == hotTransfers ? limits() : new LedgerLimits().maxAccounts(MAX_ACCOUNTS)
            .maxTransfers(MAX_TRANSFERS_WITH_TIER).maxPendingTransfers(MAX_PENDING).maxBatchEvents(MAX_BATCH)
            .validate();
    }

    private static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(MAX_ACCOUNTS).maxTransfers(MAX_TRANSFERS)
            .maxPendingTransfers(MAX_PENDING).maxBatchEvents(MAX_BATCH).validate();
    }

    private static JournalContext journalContext()
    {
        return new JournalContext().flushLevel(FlushLevel.NONE).segmentLength(SEGMENT_LENGTH);
    }

    private void createAccounts()
    {
        for (int first = 1; first <= ACCOUNTS; first += MAX_BATCH)
        {
            final AccountEventArray accounts = new AccountEventArray(MAX_BATCH);
            for (int id = first; id < first + MAX_BATCH && id <= ACCOUNTS; id++)
            {
                accounts.add(id, id, LEDGER, 1, 0);
            }
            final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(accounts, TIMEOUT);
            assertTrue(results.all(CreateAccountResult.OK), results.toString());
        }
    }

    /**
     * Keep up to {@link #WINDOW} batches in flight, recording every result, and SIGKILL the service after
     * {@code killAfterMs}; then read whatever answers had already reached the client.
     */
    private void sendUntilKilled(final SplittableRandom random, final long killAfterMs) throws Exception
    {
        final Long2LongHashMap batchFirstId = new Long2LongHashMap(-1);
        final Listener listener = new Listener(batchFirstId);
        final TransferEventArray events = new TransferEventArray(BATCH);
        final long killAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfterMs);
        long pendingFirstId = -1;
        while (System.nanoTime() < killAtNanos)
        {
            if (-1 == pendingFirstId && batchFirstId.size() < WINDOW)
            {
                events.reset();
                pendingFirstId = nextTransferId;
                for (int i = 0; i < BATCH; i++)
                {
                    final long id = nextTransferId++;
                    final long debit = 1 + random.nextInt(ACCOUNTS);
                    final long credit = 0 == random.nextInt(40) ? MISSING_ACCOUNT :
                        1 + (debit + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    final long amount = 1 + random.nextInt(1000);
                    events.add(id, debit, credit, amount, 0, id, LEDGER, 0, 1, 0);
                    sent.put(id, new long[]{ debit, credit, amount });
                }
            }
            if (-1 != pendingFirstId)
            {
                final long correlationId = client.createTransfers(events);
                if (correlationId > 0)
                {
                    batchFirstId.put(correlationId, pendingFirstId);
                    pendingFirstId = -1;
                }
            }
            client.poll(listener);
        }

        service.kill();
        final long drainUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < drainUntilNanos)
        {
            client.poll(listener);
        }
    }

    private void verifyEveryReceivedResult(final int round)
    {
        final List<Long> ids = new ArrayList<>(received.keySet());
        for (int from = 0; from < ids.size(); from += MAX_BATCH)
        {
            final int to = Math.min(ids.size(), from + MAX_BATCH);
            final long[] chunk = new long[to - from];
            for (int i = 0; i < chunk.length; i++)
            {
                chunk[i] = ids.get(from + i);
            }
            final Map<Long, Transfer> found = new HashMap<>();
            for (final Transfer transfer : client.lookupTransfersAndWait(TIMEOUT, chunk))
            {
                found.put(transfer.id().longValueExact(), transfer);
            }
            for (final long id : chunk)
            {
                final Received result = received.get(id);
                final Transfer transfer = found.get(id);
                if (CreateTransferResult.OK == result.result)
                {
                    assertNotNull(transfer, "round " + round + ": transfer " + id + " was acknowledged OK but is " +
                        "missing after the restart");
                    final long[] fields = sent.get(id);
                    assertEquals(BigInteger.valueOf(fields[0]), transfer.debitAccountId(), "transfer " + id);
                    assertEquals(BigInteger.valueOf(fields[1]), transfer.creditAccountId(), "transfer " + id);
                    assertEquals(BigInteger.valueOf(fields[2]), transfer.amount(), "transfer " + id);
                    assertEquals(result.timestamp, transfer.timestamp(), "transfer " + id + " timestamp");
                }
                else
                {
                    assertFalse(found.containsKey(id), "round " + round + ": transfer " + id + " was answered " +
                        result.result + " but exists after the restart");
                }
            }
        }
        resendOldest(round);
    }

    /**
     * Re-send the oldest transfers acknowledged OK, unchanged and then with another amount: however long ago they
     * were created (in the cold tier, with a small hot window), the ledger answers EXISTS and
     * EXISTS_WITH_DIFFERENT_AMOUNT, and creates nothing.
     */
    private void resendOldest(final int round)
    {
        final long[] oldest = received.entrySet().stream()
            .filter(e -> CreateTransferResult.OK == e.getValue().result)
            .mapToLong(Map.Entry::getKey).sorted().limit(BATCH).toArray();
        final TransferEventArray same = new TransferEventArray(BATCH);
        final TransferEventArray different = new TransferEventArray(BATCH);
        for (final long id : oldest)
        {
            final long[] fields = sent.get(id);
            same.add(id, fields[0], fields[1], fields[2], 0, id, LEDGER, 0, 1, 0);
            different.add(id, fields[0], fields[1], fields[2] + 1, 0, id, LEDGER, 0, 1, 0);
        }
        final CreateResults<CreateTransferResult> sameResults = client.createTransfersAndWait(same, TIMEOUT);
        assertTrue(sameResults.all(CreateTransferResult.EXISTS), "round " + round + ": " + sameResults);
        final CreateResults<CreateTransferResult> differentResults =
            client.createTransfersAndWait(different, TIMEOUT);
        assertTrue(differentResults.all(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT),
            "round " + round + ": " + differentResults);
    }

    private static void copyDataDirectory(final Path from, final Path to) throws IOException
    {
        for (final String name : new String[]{ DataDirectory.JOURNAL_DIR_NAME, DataDirectory.SNAPSHOTS_DIR_NAME })
        {
            final Path source = from.resolve(name);
            final Path target = to.resolve(name);
            Files.createDirectories(target);
            if (!Files.isDirectory(source))
            {
                continue;
            }
            try (Stream<Path> files = Files.list(source))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private record Received(CreateTransferResult result, long timestamp)
    {
    }

    private final class Listener implements EgressListener
    {
        private final Long2LongHashMap batchFirstId;

        Listener(final Long2LongHashMap batchFirstId)
        {
            this.batchFirstId = batchFirstId;
        }

        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
        {
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
            final long firstId = batchFirstId.remove(result.correlationId());
            assertTrue(firstId > 0, "answer to a request not sent: " + result.correlationId());
            long id = firstId;
            for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
            {
                final Received previous = received.put(id, new Received(entry.result(), entry.timestamp()));
                assertEquals(null, previous, "transfer " + id + " answered twice");
                id++;
            }
        }

        public void onAccounts(final AccountsDecoder accounts)
        {
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
        }

        public void onRejected(final RejectedDecoder rejectedDecoder)
        {
            rejected++;
        }
    }
}
