package io.paycore.service.demo;

import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.FlushLevel;
import io.paycore.replay.audit.AuditReport;
import io.paycore.service.cluster.LocalCluster;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code paycore demo --cluster}: three members on this machine, each a {@code paycore node} process; the demo's
 * transfer mix sent with up to {@code --window} requests in flight; the leader killed with SIGKILL while the run goes on (as many times as
 * asked, each killed member restarted to catch up); then every acknowledged transfer looked up, every member stopped,
 * and each member's journal audited: its digest printed. Succeeds only when every acknowledged transfer is there and
 * every member's digest is the same.
 */
final class ClusterDemo
{
    static final int MEMBERS = 3;
    /** Every how many records the demo's members check their ledgers against the leader's. */
    static final long HISTORY_CHECK_EVERY_RECORDS = 32;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final DemoWorkload workload;
    private final long totalTransfers;
    private final LedgerLimits limits;
    private final FlushLevel flushLevel;
    private final int basePort;
    private final int kills;
    private final Path dataDir;
    private final LocalCluster cluster;
    private final long[] failoverMillis;
    private final int window;

    ClusterDemo(
        final PrintStream out,
        final DemoWorkload workload,
        final long totalTransfers,
        final LedgerLimits limits,
        final FlushLevel flushLevel,
        final int basePort,
        final int kills,
        final int window,
        final Path dataDir)
    {
        this.window = window;
        this.out = out;
        this.workload = workload;
        this.totalTransfers = totalTransfers;
        this.limits = limits;
        this.flushLevel = flushLevel;
        this.basePort = basePort;
        this.kills = kills;
        this.dataDir = dataDir;
        // Checks often, so that a run of a few hundred records checks several times, across every change of leader.
        this.cluster = new LocalCluster(dataDir, MEMBERS, basePort, limits, flushLevel)
            .historyCheckEvery(HISTORY_CHECK_EVERY_RECORDS);
        this.failoverMillis = new long[kills];
    }

    /**
     * @return the members' processes, for whoever must stop them before deleting their directory.
     */
    LocalCluster cluster()
    {
        return cluster;
    }

    int run() throws IOException, InterruptedException
    {
        out.printf(Locale.ROOT, "paycore demo --cluster: %d members on localhost (base ports %d, %d, %d), " +
            "one process each; data in %s%n", MEMBERS, basePort, basePort + 10, basePort + 20, dataDir);
        MediaDriver clientDriver = null;
        PaycoreClient client = null;
        final LongArrayList acknowledged = new LongArrayList();
        final long[] results = new long[CreateTransferResult.values().length + 1];
        long transferNanos = 0;
        long transfersSent = 0;
        long resends = 0;
        long duplicates = 0;
        try
        {
            cluster.startAll();
            clientDriver = LocalCluster.launchClientDriver(dataDir.resolve("client-aeron"));
            try
            {
                client = PaycoreClient.connect(cluster.clientContext(clientDriver.aeronDirectoryName()));
            }
            catch (final PaycoreClientException ex)
            {
                System.err.println("paycore demo: " + ex.getMessage() + "; the members:" + cluster.describeMembers());
                return 1;
            }
            out.printf(Locale.ROOT, "  leader             member %d%n", client.clusterLeaderMemberId());

            final AccountEventArray accounts = new AccountEventArray(workload.batchEvents());
            while (workload.hasMoreAccounts())
            {
                workload.nextAccounts(accounts);
                final CreateResults<CreateAccountResult> created =
                    client.createAccountsAndWait(accounts, REQUEST_TIMEOUT);
                if (!created.all(CreateAccountResult.OK))
                {
                    System.err.println("paycore demo: accounts were not all created: " + created);
                    return 1;
                }
            }

            final TransferEventArray batch = new TransferEventArray(workload.batchEvents());
            final Answers answers = new Answers(window, workload.batchEvents(), acknowledged, results);
            final PaycoreClient pipelined = client;
            final IdleStrategy idle = new BackoffIdleStrategy(
                1, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            int killsDone = 0;
            long pausedNanos = 0;
            boolean haveBatch = false;
            final RequestProgress progress = new RequestProgress(REQUEST_TIMEOUT.toNanos(), System.nanoTime());
            final long startNanos = System.nanoTime();
            Killer killer = null;
            while (haveBatch || workload.hasMoreTransfers() || answers.inFlight > 0)
            {
                if (null == killer && killsDone < kills &&
                    transfersSent >= (killsDone + 1) * totalTransfers / (kills + 1))
                {
                    if (killsDone > 0)
                    {
                        // Kill a leader only when the member killed last has restarted and caught up: with two
                        // members down, the third waits for a majority (not counted in the throughput).
                        final long waitStartNanos = System.nanoTime();
                        final long records = cluster.awaitCaughtUp(() -> pipelined.poll(answers));
                        pausedNanos += System.nanoTime() - waitStartNanos;
                        progress.onPauseEnded(System.nanoTime());
                        out.printf(Locale.ROOT, "  caught up          every member's journal at record %,d%n",
                            records);
                    }
                    // Killed from another thread a moment after the next request goes out, so that the kill lands
                    // with requests in flight, as it would under load.
                    killer = new Killer(client.clusterLeaderMemberId());
                    out.printf(Locale.ROOT, "  kill %d             leader member %d to be killed (SIGKILL) after " +
                        "%,d transfers, %d requests in flight%n", killsDone + 1, killer.memberId, transfersSent,
                        answers.inFlight);
                    killer.start();
                }
                while (answers.inFlight < window && (haveBatch || workload.hasMoreTransfers()))
                {
                    if (!haveBatch)
                    {
                        workload.nextTransfers(batch);
                        haveBatch = true;
                    }
                    final long correlationId = client.createTransfers(batch);
                    if (correlationId < 0)
                    {
                        if (Publication.CLOSED == correlationId || Publication.MAX_POSITION_EXCEEDED == correlationId)
                        {
                            System.err.println("paycore demo: the cluster session closed; the members:" +
                                cluster.describeMembers());
                            return 1;
                        }
                        break;
                    }
                    progress.onSent(answers.inFlight, System.nanoTime());
                    answers.sent(correlationId, batch);
                    transfersSent += batch.count();
                    haveBatch = false;
                }
                final long answered = answers.answered;
                final int fragments = client.poll(answers);
                if (answers.answered != answered)
                {
                    progress.onAnswered(System.nanoTime());
                }
                else if (progress.timedOut(answers.inFlight, System.nanoTime()))
                {
                    final long waitedMs = TimeUnit.NANOSECONDS.toMillis(progress.waitedNanos(System.nanoTime()));
                    System.err.println("paycore demo: no answer from the cluster within " + REQUEST_TIMEOUT +
                        " (" + answers.inFlight + " requests in flight, unanswered for " + waitedMs + " ms; the " +
                        "client takes member " + client.clusterLeaderMemberId() + " for the leader" +
                        (null == killer ? "" : "; " + killer.describe()) + "); the members:" +
                        cluster.describeMembers());
                    return 1;
                }
                if (!client.isConnected())
                {
                    System.err.println("paycore demo: the client lost the cluster; the members:" +
                        cluster.describeMembers());
                    return 1;
                }
                if (null != killer && killer.killedNanos != 0 && answers.answered != answered &&
                    client.clusterLeaderMemberId() != killer.memberId)
                {
                    killer.join();
                    failoverMillis[killsDone] =
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killer.killedNanos);
                    out.printf(Locale.ROOT, "  election %d         member %d leads; first answer from it %,d ms " +
                        "after the kill%n", killsDone + 1, client.clusterLeaderMemberId(), failoverMillis[killsDone]);
                    cluster.start(killer.memberId);
                    out.printf(Locale.ROOT, "  restart %d          member %d restarted to catch up%n",
                        killsDone + 1, killer.memberId);
                    killer = null;
                    killsDone++;
                }
                idle.idle(fragments);
            }
            if (answers.rejected > 0)
            {
                System.err.println("paycore demo: " + answers.rejected + " requests were answered Rejected");
                return 1;
            }
            if (null != killer)
            {
                killer.join();
                cluster.start(killer.memberId);
                System.err.println("paycore demo: the run ended before the cluster answered from a new leader after " +
                    "kill " + (killsDone + 1) + "; use more --transfers");
                return 1;
            }
            transferNanos = System.nanoTime() - startNanos - pausedNanos;

            int missing = 0;
            final int chunk = Math.min(workload.batchEvents(), 1024);
            for (int from = 0; from < acknowledged.size(); from += chunk)
            {
                final int to = Math.min(acknowledged.size(), from + chunk);
                final long[] ids = new long[to - from];
                for (int i = from; i < to; i++)
                {
                    ids[i - from] = acknowledged.getLong(i);
                }
                missing += ids.length - client.lookupTransfersAndWait(REQUEST_TIMEOUT, ids).size();
            }
            // An id counts once per answer OK or EXISTS: the workload's own retries, answered EXISTS, count again.
            out.printf(Locale.ROOT, "  acknowledged       %,d transfers created (%,d distinct ids: an id answered " +
                "EXISTS, as the workload's retries are, counts again); %,d of them missing on the leader%n",
                acknowledged.size(), distinct(acknowledged), missing);
            for (final CreateTransferResult result : CreateTransferResult.values())
            {
                if (CreateTransferResult.NULL_VAL != result && results[result.ordinal()] > 0)
                {
                    out.printf(Locale.ROOT, "    %-44s %,12d%n", result.name(), results[result.ordinal()]);
                }
            }
            resends = client.resends();
            duplicates = client.duplicateAnswers();
            client.close();
            client = null;
            final long records = cluster.awaitCaughtUp(() -> {});
            out.printf(Locale.ROOT, "  caught up          every member's journal at record %,d%n", records);
            cluster.stopAll();

            final List<String> digests = new ArrayList<>();
            int countsDiffer = 0;
            final long distinct = distinct(acknowledged);
            final List<AuditReport> reports = cluster.auditCommonHistory();
            for (int i = 0; i < MEMBERS; i++)
            {
                final AuditReport report = reports.get(i);
                digests.add(report.digest());
                final long created = report.transferResults(CreateTransferResult.OK);
                out.printf(Locale.ROOT, "  member %d           %,d transfers created in its journal; %,d distinct " +
                    "acknowledged%n", i, created, distinct);
                countsDiffer += created == distinct ? 0 : 1;
            }
            out.println("throughput: " + (long)(transfersSent * 1e9 / Math.max(1, transferNanos)) + " transfers/s");
            long worst = 0;
            for (final long millis : failoverMillis)
            {
                worst = Math.max(worst, millis);
            }
            out.println("failover: " + (kills > 0 ? worst + " ms" : "none (--kills 0)"));
            for (int i = 0; i < MEMBERS; i++)
            {
                out.println("digest: " + digests.get(i) + " (member " + i + ")");
            }
            out.printf(Locale.ROOT, "  re-sent            %,d requests after a change of leader; %,d second " +
                "answers dropped%n", resends, duplicates);
            final long[] historyChecks = cluster.historyChecks();
            out.printf(Locale.ROOT, "  history checks     %,d passed, %,d failed (each member against the leader, " +
                "every %d records)%n", historyChecks[0], historyChecks[1], HISTORY_CHECK_EVERY_RECORDS);
            for (final String repair : cluster.archiveRepairs())
            {
                out.println("  archive repaired   " + repair);
            }
            for (final String restart : cluster.supervisedRestarts())
            {
                out.println("  member restarted   " + restart);
            }
            if (missing > 0)
            {
                System.err.println("paycore demo: " + missing + " acknowledged transfers are missing");
                return 1;
            }
            if (countsDiffer > 0)
            {
                System.err.println("paycore demo: a member's journal created another number of transfers than " +
                    "were acknowledged (lost or applied twice); their journals against member 0's:" +
                    cluster.compareJournals());
                return 1;
            }
            if (historyChecks[1] > 0)
            {
                System.err.println("paycore demo: a member's history check failed (its member log says where); " +
                    "their journals against member 0's:" + cluster.compareJournals());
                return 1;
            }
            if (digests.stream().distinct().count() != 1)
            {
                System.err.println("paycore demo: the members' digests differ; their journals against member 0's:" +
                    cluster.compareJournals());
                return 1;
            }
            return 0;
        }
        finally
        {
            CloseHelper.quietClose(client);
            cluster.close();
            CloseHelper.quietClose(clientDriver);
        }
    }

    /**
     * Kills a member with SIGKILL on a thread of its own, two milliseconds after it starts.
     */
    private final class Killer extends Thread
    {
        private final long createdNanos = System.nanoTime();

        final int memberId;
        volatile long killedNanos;

        Killer(final int memberId)
        {
            super("paycore-demo-killer");
            this.memberId = memberId;
            setDaemon(true);
        }

        volatile long startedNanos;
        volatile long killSentNanos;

        public void run()
        {
            try
            {
                startedNanos = System.nanoTime();
                Thread.sleep(2);
                killSentNanos = System.nanoTime();
                cluster.kill(memberId);
                killedNanos = System.nanoTime();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * @return where the kill of the leader got to, for a timeout's report: whether the thread ran, sent the
         * SIGKILL, and saw the member exit, in ms from when it was made.
         */
        String describe()
        {
            return "the kill of member " + memberId + ": thread " + getState() + ", started " + since(startedNanos) +
                ", SIGKILL sent " + since(killSentNanos) + ", member exited " + since(killedNanos);
        }

        private String since(final long nanos)
        {
            return 0 == nanos ? "no" : "at +" + TimeUnit.NANOSECONDS.toMillis(nanos - createdNanos) + " ms";
        }
    }

    /**
     * The requests in flight (a window of them, by correlation id: a cluster answers in order, so those in flight
     * are consecutive) and what their answers say: each transfer created (or found created) is acknowledged.
     */
    private static final class Answers implements EgressListener
    {
        private final int window;
        private final long[][] ids;
        private final int[] counts;
        private final long[] correlationIds;
        private final LongArrayList acknowledged;
        private final long[] results;
        int inFlight;
        long answered;
        long rejected;

        Answers(final int window, final int batchEvents, final LongArrayList acknowledged, final long[] results)
        {
            this.window = window;
            ids = new long[window][batchEvents];
            counts = new int[window];
            correlationIds = new long[window];
            this.acknowledged = acknowledged;
            this.results = results;
        }

        void sent(final long correlationId, final TransferEventArray batch)
        {
            final int slot = (int)(correlationId % window);
            correlationIds[slot] = correlationId;
            counts[slot] = batch.count();
            for (int i = 0; i < batch.count(); i++)
            {
                ids[slot][i] = batch.idLo(i); // the demo's ids fit in the low half
            }
            inFlight++;
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
            final long correlationId = result.correlationId();
            final int slot = (int)(correlationId % window);
            if (correlationIds[slot] != correlationId)
            {
                throw new IllegalStateException("an answer to request " + correlationId + ", not in flight");
            }
            int i = 0;
            for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
            {
                final CreateTransferResult outcome = entry.result();
                results[outcome.ordinal()]++;
                if (CreateTransferResult.OK == outcome || CreateTransferResult.EXISTS == outcome)
                {
                    acknowledged.addLong(ids[slot][i]);
                }
                i++;
            }
            correlationIds[slot] = 0;
            inFlight--;
            answered++;
        }

        public void onRejected(final RejectedDecoder answer)
        {
            final int slot = (int)(answer.correlationId() % window);
            if (correlationIds[slot] == answer.correlationId())
            {
                correlationIds[slot] = 0;
            }
            rejected++;
            inFlight--;
            answered++;
        }

        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
        {
        }

        public void onAccounts(final AccountsDecoder accounts)
        {
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
        }
    }

    private static long distinct(final LongArrayList ids)
    {
        final LongHashSet set = new LongHashSet(ids.size());
        for (int i = 0; i < ids.size(); i++)
        {
            set.add(ids.getLong(i));
        }
        return set.size();
    }
}
