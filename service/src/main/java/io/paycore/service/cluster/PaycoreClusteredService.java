package io.paycore.service.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedEncoder;
import io.paycore.core.cold.ColdTierException;
import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.PropertyValues;
import io.paycore.journal.RecordHandler;
import io.paycore.journal.Snapshot;
import io.paycore.journal.SnapshotStore;
import io.paycore.replay.JournalComparison;
import io.paycore.replay.Recovery;
import io.paycore.replay.SnapshotAgent;
import io.paycore.replay.SnapshotTaker;
import io.paycore.service.serve.StartupCollection;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The ledger hosted on Aeron Cluster: its only inputs are the messages the cluster committed to its log and the
 * cluster's timers, and its time is the cluster's (in nanoseconds), so every member applies the same records in
 * the same order and ends with the same digest.
 * <p>
 * Each committed message is checked as ingress checks it on a single node: a malformed one is answered
 * {@code Rejected} and changes nothing (every member reaches the same verdict from the same bytes). A
 * {@code Connect} (a client logs in when its session opens) is answered {@code Rejected} too, but keeps its record,
 * journaled with its credential zeroed and applied as a tick. Any other valid one is
 * appended to paycore's own journal on this member (same format, same checksum chain as {@code serve} writes, so
 * {@code paycore audit} works on any member's directory), applied, and answered to its session.
 * <p>
 * The journal's record numbers follow the records applied: after a restart the cluster replays its log from the
 * last snapshot, and records the journal holds already are applied without being appended again. Pending-transfer
 * expiry runs on a cluster timer: while transfers are pending, each timer event is journaled and applied as a
 * tick.
 * <p>
 * A snapshot is taken through the cluster, so every member takes it at the same log position. By default
 * ({@link #ledgerSnapshots}) it holds only the number of records applied and checks of the ledger there (its history
 * hash and counts), and a snapshotter thread with its own copy of the ledger writes the ledger at that record to
 * this member's snapshot directory afterwards, paced; the service thread does not wait for it. A member starting
 * from such a snapshot rebuilds its ledger from its newest ledger snapshot at or before that record and its own
 * journal up to it, and checks the result against the cluster's snapshot. Without a snapshot directory the
 * cluster's snapshot holds the whole ledger, written on the service thread (every member stops applying until it is
 * in the archive). A member reads either kind.
 * <p>
 * With a cold tier, transfers older than the hot window are written to this member's tier as they are sealed and
 * read from it on a miss, both on the service thread: there is no stage ahead of the service to prefetch, so a
 * lookup of an old transfer costs the service a read of the store (from the page cache, a few microseconds; from
 * disk, a disk read). The tier is forced before each snapshot, which names it as written.
 * <p>
 * A member that cannot write its journal or its tier (a full disk, an I/O error) cannot apply what the cluster
 * committed, so it stops: the service records why ({@link #failure()}) and ends its agent, and the member's
 * termination hook runs. The other members go on; the stopped one, restarted once its disk is fixed, catches up
 * from its snapshot and the log.
 */
public final class PaycoreClusteredService implements ClusteredService
{
    /**
     * How often, in cluster time, time passes for the ledger when no message does.
     */
    public static final long TICK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long TICK_TIMER_ID = 1;
    private static final int SNAPSHOT_CHUNK_BYTES = 1024;
    private static final byte SNAPSHOT_DATA = 1;
    private static final byte SNAPSHOT_END = 2;
    private static final int SNAPSHOT_HEADER_BYTES = 4 * Long.BYTES;
    private static final long SNAPSHOT_MAGIC = 0x5041_5943_4C53_4E31L;
    private static final long SNAPSHOT_MAGIC_V2 = 0x5041_5943_4C53_4E32L;
    private static final int SNAPSHOT_V2_HEADER_BYTES = 8 * Long.BYTES;
    private static final int ANSWER_CAPACITY = BitUtil.align(CommandProcessor.MAX_ANSWER_LENGTH, 64);
    /** First long of a history check in the cluster's log: no SBE header of paycore's starts with it. */
    private static final long HISTORY_CHECK_MAGIC = 0x5041_5943_4849_5354L;
    private static final int HISTORY_CHECK_LENGTH = 4 * Long.BYTES;
    /** History checks remembered until the cluster's log gives them back: the log's lag behind the service. */
    private static final int HISTORY_CHECKS_KEPT = 64;
    /** How long an answer waits for its client's session before the client counts as one that stopped reading. */
    private static final long OFFER_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final UnsafeBuffer CONNECT_AS_MESSAGE_DETAIL = new UnsafeBuffer(("Connect is not a cluster " +
        "session message: a cluster client logs in when its session opens; nothing was done").getBytes(
        StandardCharsets.US_ASCII));

    private final LedgerLimits limits;
    private final JournalContext journalContext;
    private final int memberId;
    private final Path coldDirectory;
    private final long coldTierSizeBytes;
    private final long snapshotEveryRecords;
    private volatile Runnable snapshotRequester = () -> {};
    private volatile Consumer<AtomicCounter> loginsRefusedCounter = (counter) -> {};
    private volatile Consumer<String> startupCollectionReport;
    private volatile Consumer<Journal> journalCloser = Journal::close;
    private volatile Consumer<LmdbColdTier> coldTierCloser = LmdbColdTier::close;
    private long lastSnapshotRecords;
    private boolean snapshotRequested;
    private final FrameValidator validator;
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[ANSWER_CAPACITY]);
    private final UnsafeBuffer detail = new UnsafeBuffer(new byte[FrameValidator.MAX_DETAIL_LENGTH]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RejectedEncoder rejectedEncoder = new RejectedEncoder();
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final ExpandableArrayBuffer redacted = new ExpandableArrayBuffer(0);

    private Cluster cluster;
    private Journal journal;
    /** Checks the records the journal held at start against the log's, until they are all replayed; then null. */
    private JournalAgreement agreement;
    private LmdbColdTier cold;
    private ClusterCounters counters;
    private CommandProcessor processor;
    private volatile RuntimeException failure;
    private long appliedRecords;
    private volatile long rejectedMessages;
    private volatile long answersDropped;
    private boolean tickScheduled;
    private volatile long appliedRecordsNow;
    private volatile long coldWrittenRecordsNow;
    private volatile boolean digestRequested;
    private volatile State state = new State(0, "");
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile long snapshotsTaken;
    private volatile long recordsInLoadedSnapshot = -1;
    private Path ledgerSnapshotDirectory;
    private boolean ledgerSnapshotsOffThread;
    private long ledgerSnapshotWriteRate;
    private ErrorHandler ledgerSnapshotErrors = Throwable::printStackTrace;
    private volatile SnapshotTaker snapshotTaker;
    private volatile SnapshotAgent snapshotAgent;
    private AgentRunner snapshotRunner;
    private volatile String rebuildReport;
    private long historyCheckEvery;
    private ErrorHandler historyCheckErrors = Throwable::printStackTrace;
    private final long[] historyCheckRecords = new long[HISTORY_CHECKS_KEPT];
    private final long[] historyCheckHashes = new long[2 * HISTORY_CHECKS_KEPT];
    private final UnsafeBuffer historyCheck = new UnsafeBuffer(new byte[HISTORY_CHECK_LENGTH]);
    private volatile long historyChecksPassed;
    private volatile long historyChecksFailed;
    private volatile long historyChecksSkipped;

    /**
     * @param memberId             of the member this service runs on, for its counters' labels.
     * @param limits               of the ledger.
     * @param journalContext       of this member's journal (its directory and flush level); concluded here.
     * @param snapshotEveryRecords the leader asks the cluster for a snapshot once this many records have been
     *                             applied since the last one; 0 for snapshots on command only.
     * @param coldDirectory        of this member's cold tier; null for none.
     * @param coldTierSizeBytes    the most the cold tier may take on disk; 0 for none: every transfer stays in
     *                             memory, up to the limits' {@code maxTransfers}.
     */
    public PaycoreClusteredService(
        final int memberId,
        final LedgerLimits limits,
        final JournalContext journalContext,
        final long snapshotEveryRecords,
        final Path coldDirectory,
        final long coldTierSizeBytes)
    {
        if (coldTierSizeBytes < 0 || (coldTierSizeBytes > 0 && null == coldDirectory))
        {
            throw new IllegalArgumentException("a cold tier needs a directory and a size of at least 0 bytes, not " +
                coldDirectory + " and " + coldTierSizeBytes);
        }
        this.memberId = memberId;
        this.coldDirectory = coldDirectory;
        this.coldTierSizeBytes = coldTierSizeBytes;
        if (snapshotEveryRecords < 0)
        {
            throw new IllegalArgumentException("snapshotEveryRecords must not be negative: " + snapshotEveryRecords);
        }
        this.limits = limits;
        this.journalContext = journalContext;
        this.snapshotEveryRecords = snapshotEveryRecords;
        validator = FrameValidator.forIngress(limits.maxBatchEvents());
    }

    /**
     * Where this member keeps its own ledger snapshots, and whether the cluster's snapshots name them. Call before
     * the service starts.
     *
     * @param directory      of this member's ledger snapshots; a member reads them to start from a cluster snapshot
     *                       that names a record, whichever way it takes snapshots itself. Null for none.
     * @param offThread      true for cluster snapshots that name a record, the ledger written there by a
     *                       snapshotter thread with its own copy of the ledger (twice the ledger's memory); false for
     *                       cluster snapshots that hold the whole ledger, written on the service thread.
     * @param bytesPerSecond the snapshotter's pace; 0 for as fast as the disk takes them.
     * @param errorHandler   told of a ledger snapshot that fails, or of the snapshotter stopping (the service goes on;
     *                       a restart replays more of the journal).
     * @return this.
     */
    public PaycoreClusteredService ledgerSnapshots(
        final Path directory, final boolean offThread, final long bytesPerSecond, final ErrorHandler errorHandler)
    {
        if (offThread && null == directory)
        {
            throw new IllegalArgumentException("ledger snapshots off the service thread need a directory");
        }
        if (bytesPerSecond < 0)
        {
            throw new IllegalArgumentException("the snapshot write rate must not be negative: " + bytesPerSecond);
        }
        this.ledgerSnapshotDirectory = directory;
        this.ledgerSnapshotsOffThread = offThread;
        this.ledgerSnapshotWriteRate = bytesPerSecond;
        this.ledgerSnapshotErrors = errorHandler;
        return this;
    }

    /**
     * Check this member's ledger against the leader's as they go, through the cluster's log. Every
     * {@code everyRecords} records applied, each member offers the cluster a service message with its ledger's
     * history hash there; Aeron Cluster puts one of them (the leader's) into the log, and every member compares it,
     * when the log gives it, with its own hash at that record. They can only differ if a member's ledger went another
     * way than the leader's. Nothing is journaled or applied for it, and a member that differs does not stop (it
     * cannot tell whether it or the leader went wrong): it counts the check failed and reports it. Every member must
     * run with the same {@code everyRecords}: the members offer the same service messages in the same order, as
     * Aeron Cluster requires. Call before the service starts.
     *
     * @param everyRecords records applied between checks; 0 for none.
     * @param errorHandler told of a check that failed, with both hashes.
     * @return this.
     */
    public PaycoreClusteredService historyChecks(final long everyRecords, final ErrorHandler errorHandler)
    {
        if (everyRecords < 0)
        {
            throw new IllegalArgumentException("the history check interval (" +
                ClusterNodeContext.HISTORY_CHECK_EVERY_PROP_NAME + ") must not be negative: " + everyRecords);
        }
        this.historyCheckEvery = everyRecords;
        this.historyCheckErrors = errorHandler;
        return this;
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        // The journal first, opened (a torn tail repaired) and checked before the tier and the snapshot: a member
        // directory an older paycore wrote is refused by what its journal holds, not by what fails to read after.
        journal = Journal.open(journalContext);
        try
        {
            checkJournalProtocolVersion(journal.directory());
            if (coldTierSizeBytes > 0)
            {
                cold = new LmdbColdTier(
                    coldDirectory, coldTierSizeBytes, null, FlushLevel.NONE != journalContext.flushLevel());
                cold.useHotWindow(limits.maxTransfers());
            }
            final Ledger ledger =
                null == snapshotImage ? new Ledger(limits, cold) : loadSnapshot(snapshotImage, cluster);
            // The snapshot's limits were in force up to it; from here on this member's own are (members do not
            // journal limits: each runs with the same).
            ledger.useOwnLimits();
            recordsInLoadedSnapshot = null == snapshotImage ? -1 : appliedRecords;
            lastSnapshotRecords = appliedRecords;
            processor = new CommandProcessor(ledger);
            final Consumer<String> collectionReport = startupCollectionReport;
            if (null != collectionReport)
            {
                // Before this service acknowledges its start: the consensus module waits for that before it joins
                // an election, so the pause cannot cost this member a leadership it holds.
                collectionReport.accept(StartupCollection.collect());
            }
            if (journal.lastSequence() < appliedRecords)
            {
                throw new IllegalStateException("the journal in " + journal.directory() + " ends at record " +
                    journal.lastSequence() + " but the cluster's snapshot has applied " + appliedRecords +
                    ": a member's journal must hold every record it applied");
            }
            agreement = JournalAgreement.open(journal.directory(), appliedRecords + 1, journal.lastSequence());
            publish();
            if (ledgerSnapshotsOffThread)
            {
                startSnapshotter(ledger);
            }
        }
        catch (final RuntimeException ex)
        {
            // A member that cannot start leaves its journal and tier closed, for the next start or an audit.
            CloseHelper.quietClose(agreement);
            agreement = null;
            stopSnapshotter();
            CloseHelper.quietCloseAll(cold, journal);
            cold = null;
            journal = null;
            throw ex;
        }
        counters = new ClusterCounters(cluster.aeron(), memberId, null != cold, null != snapshotAgent);
        loginsRefusedCounter.accept(counters.loginsRefused());
    }

    /**
     * Refuse a member's journal an older paycore wrote. The service checks each committed message as ingress does,
     * so on a replay of the cluster's log a version 1 message would be answered {@code Rejected} and not applied:
     * without a cluster snapshot the member would come up with a short ledger beside a version 1 journal. A journal
     * is written by one version, so its first message record is enough to tell; ticks carry no message.
     *
     * @param journalDirectory of the member's journal; nothing is checked if it holds no segment.
     * @throws IllegalStateException naming the record and its protocol version, as
     *                               {@link LedgerRecordHandler#checkProtocolVersion} does.
     * @throws JournalException      if a record before the first message cannot be read.
     */
    static void checkJournalProtocolVersion(final Path journalDirectory)
    {
        if (!Files.isDirectory(journalDirectory))
        {
            return;
        }
        final boolean[] sawMessage = new boolean[1];
        final RecordHandler check = (type, sequence, timestampNanos, buffer, offset, length) ->
        {
            LedgerRecordHandler.checkProtocolVersion(type, sequence, buffer, offset, length);
            sawMessage[0] = RecordTypes.MESSAGE == type;
        };
        try (JournalReader reader = JournalReader.open(journalDirectory, JournalArchive.firstSequence(journalDirectory)))
        {
            // Up to the first message record, or the journal's end.
            int delivered;
            do
            {
                delivered = reader.poll(check, 1);
            }
            while (delivered > 0 && !sawMessage[0]);
        }
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        scheduleTick(timestamp);
    }

    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
    }

    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (null == session && HISTORY_CHECK_LENGTH == length && HISTORY_CHECK_MAGIC == buffer.getLong(offset))
        {
            onHistoryCheck(buffer, offset);
            return;
        }
        if (!validator.validate(buffer, offset, length))
        {
            rejectedMessages++;
            reject(session);
            return;
        }
        if (ConnectDecoder.TEMPLATE_ID == validator.templateId())
        {
            onConnectMessage(session, timestamp, buffer, offset, length);
            return;
        }
        final int answerLength = applyRecord(RecordTypes.MESSAGE, timestamp, buffer, offset, length);
        if (null != session && answerLength > 0)
        {
            offer(session, answer, answerLength);
        }
        scheduleTick(timestamp);
    }

    /**
     * A {@code Connect} sent as a session message: a cluster client logs in when its session opens, so this one
     * does nothing but tick the ledger, as a {@code Connect} always did here. It keeps its place among the records
     * (a journal written before 2026-12-07 holds it, with the client's secret in clear, and must still agree with
     * the log), but is journaled with its credential zeroed, and answered {@code Rejected(UNKNOWN_TEMPLATE)} and
     * counted, on every member alike: the template alone decides.
     */
    private void onConnectMessage(
        final ClientSession session, final long timestamp, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final long correlationId = validator.correlationId();
        redacted.putBytes(0, buffer, offset, length);
        JournalComparison.redactCredential(redacted, 0, length);
        applyRecord(RecordTypes.MESSAGE, timestamp, redacted, 0, length);
        rejectedMessages++;
        rejectedEncoder.wrapAndApplyHeader(answer, 0, headerEncoder)
            .correlationId(correlationId)
            .templateId(ConnectDecoder.TEMPLATE_ID)
            .reason(RejectReason.UNKNOWN_TEMPLATE)
            .putDetail(CONNECT_AS_MESSAGE_DETAIL, 0, CONNECT_AS_MESSAGE_DETAIL.capacity());
        if (null != session)
        {
            offer(session, answer, MessageHeaderEncoder.ENCODED_LENGTH + rejectedEncoder.encodedLength());
        }
        scheduleTick(timestamp);
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        if (TICK_TIMER_ID != correlationId)
        {
            return;
        }
        tickScheduled = false;
        if (processor.ledger().pendingCount() > 0)
        {
            applyRecord(RecordTypes.TICK, timestamp, empty, 0, 0);
            scheduleTick(timestamp);
        }
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        journal.flush();
        if (null != snapshotAgent)
        {
            // The record and the ledger's checks only: the snapshotter writes the ledger at this record behind us.
            final Ledger ledger = processor.ledger();
            final UnsafeBuffer header = new UnsafeBuffer(new byte[SNAPSHOT_V2_HEADER_BYTES]);
            header.putLong(0, SNAPSHOT_MAGIC_V2);
            header.putLong(Long.BYTES, appliedRecords);
            header.putLong(2 * Long.BYTES, tickScheduled ? 1 : 0);
            header.putLong(3 * Long.BYTES, ledger.historyHash(0));
            header.putLong(4 * Long.BYTES, ledger.historyHash(1));
            header.putLong(5 * Long.BYTES, ledger.transferCount());
            header.putLong(6 * Long.BYTES, ledger.recordCount());
            header.putLong(7 * Long.BYTES, ledger.accountCount());
            offerFully(snapshotPublication, header, 0, header.capacity());
            snapshotAgent.requestPoint(appliedRecords);
        }
        else
        {
            writeWholeLedger(snapshotPublication);
        }
        final UnsafeBuffer end = new UnsafeBuffer(new byte[1]);
        end.putByte(0, SNAPSHOT_END);
        offerFully(snapshotPublication, end, 0, 1);
        lastSnapshotRecords = appliedRecords;
        snapshotRequested = false;
        snapshotsTaken++;
    }

    private void writeWholeLedger(final ExclusivePublication snapshotPublication)
    {
        if (null != cold)
        {
            // The snapshot names the tier's records as written: they must be on disk before it is.
            cold.force();
        }
        final UnsafeBuffer header = new UnsafeBuffer(new byte[SNAPSHOT_HEADER_BYTES]);
        header.putLong(0, SNAPSHOT_MAGIC);
        header.putLong(Long.BYTES, appliedRecords);
        header.putLong(2 * Long.BYTES, tickScheduled ? 1 : 0);
        header.putLong(3 * Long.BYTES, 0);
        offerFully(snapshotPublication, header, 0, header.capacity());
        // Straight from the ledger to the publication, a chunk at a time: no copy of the whole ledger in memory.
        try (PublicationChannel channel = new PublicationChannel(snapshotPublication))
        {
            processor.ledger().writeSnapshot(channel);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the ledger's snapshot", ex);
        }
    }

    /**
     * @param requester asks the cluster for a snapshot (the member's consensus module's control toggle); called on
     *                  the service thread of the leader only. The snapshot itself then comes through the log, so
     *                  every member takes it at the same position.
     */
    public void snapshotRequester(final Runnable requester)
    {
        this.snapshotRequester = requester;
    }

    /**
     * @param report given the line of one full collection run when {@link #onStart} has built the ledger (on the
     *               service thread; see {@link StartupCollection}), or null, the default, for no collection.
     */
    public void startupCollectionReport(final Consumer<String> report)
    {
        this.startupCollectionReport = report;
    }

    /**
     * @param taker given the counter of logins refused when the service starts (the member's authenticator counts
     *              into it), and null when it stops and the counter is freed.
     */
    public void loginsRefusedCounter(final Consumer<AtomicCounter> taker)
    {
        this.loginsRefusedCounter = taker;
    }

    /**
     * @return snapshots this member took since it started. Any thread.
     */
    public long snapshotsTaken()
    {
        return snapshotsTaken;
    }

    /**
     * @return the records applied in the snapshot this member started from, or -1 if it started from none. Any
     * thread.
     */
    public long recordsInLoadedSnapshot()
    {
        return recordsInLoadedSnapshot;
    }

    /**
     * @return how this member rebuilt its ledger from a cluster snapshot that names a record (which ledger snapshot,
     * how many journal records), or null if it did not. Any thread.
     */
    public String rebuildReport()
    {
        return rebuildReport;
    }

    /**
     * @return ledger snapshots this member's snapshotter wrote since it started; 0 without one. Any thread.
     */
    public long ledgerSnapshotsWritten()
    {
        final SnapshotTaker taker = snapshotTaker;
        return null == taker ? 0 : taker.snapshotsTaken();
    }

    /**
     * @return ledger snapshots this member's snapshotter failed to write, plus 1 if it stopped (a record it could not
     * apply); 0 without a snapshotter. Any thread.
     */
    public long ledgerSnapshotFailures()
    {
        final SnapshotTaker taker = snapshotTaker;
        final SnapshotAgent agent = snapshotAgent;
        return null == taker || null == agent ? 0 : taker.failures() + (agent.isFailed() ? 1 : 0);
    }

    /**
     * @return the snapshotter's agent, or null if this member writes its snapshots on the service thread. Any
     * thread, once started.
     */
    public SnapshotAgent snapshotAgent()
    {
        return snapshotAgent;
    }

    public void onNewLeadershipTermEvent(
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        // The ledger's timestamps are nanoseconds: a cluster on another clock would stamp its transfers wrongly.
        if (TimeUnit.NANOSECONDS != timeUnit)
        {
            throw new IllegalStateException("the cluster's time unit must be nanoseconds but is " + timeUnit);
        }
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
    }

    public void onTerminate(final Cluster cluster)
    {
        CloseHelper.quietClose(agreement);
        agreement = null;
        stopSnapshotter();
        try
        {
            // Each close forces what is not yet durable: one that fails is this member's failure (the first kept),
            // said and given a status by the node, not left to the container's error handler.
            if (null != journal)
            {
                try
                {
                    journalCloser.accept(journal);
                }
                catch (final JournalException ex)
                {
                    recordFailure(ex);
                }
                journal = null;
            }
            if (null != cold)
            {
                try
                {
                    coldTierCloser.accept(cold);
                }
                catch (final RuntimeException ex)
                {
                    // A ColdTierException, or the store's own (LMDB's) from its last sync or its close.
                    recordFailure(ex);
                }
                cold = null;
            }
        }
        finally
        {
            if (null != counters)
            {
                loginsRefusedCounter.accept(null);
                counters.close();
                counters = null;
            }
        }
    }

    private void recordFailure(final RuntimeException ex)
    {
        if (null == failure)
        {
            failure = ex;
        }
    }

    /**
     * How {@link #onTerminate(Cluster)} closes the journal: {@link Journal#close()}, which forces what is not yet
     * durable and throws if it cannot. For tests, to make that close fail.
     *
     * @param closer closes the journal it is given, or throws a {@link JournalException}.
     * @return this.
     */
    PaycoreClusteredService journalCloser(final Consumer<Journal> closer)
    {
        this.journalCloser = closer;
        return this;
    }

    /**
     * How {@link #onTerminate(Cluster)} closes the cold tier: {@link LmdbColdTier#close()}, which forces its last
     * writes and throws if it cannot. For tests, to make that close fail.
     *
     * @param closer closes the tier it is given, or throws.
     * @return this.
     */
    PaycoreClusteredService coldTierCloser(final Consumer<LmdbColdTier> closer)
    {
        this.coldTierCloser = closer;
        return this;
    }

    /**
     * @return why this member stopped applying the cluster's log (its journal or cold tier could not be written),
     * or why it could not close either as it ended ({@link #onTerminate(Cluster)}); null while it applies it and
     * once it closed both. Any thread.
     */
    public RuntimeException failure()
    {
        return failure;
    }

    public int doBackgroundWork(final long nowNs)
    {
        // Group commit: whatever the last duty cycle appended is forced once (at flush batch; every forces each).
        if (null != journal)
        {
            try
            {
                journal.flush();
            }
            catch (final JournalException ex)
            {
                throw stop(ex);
            }
        }
        if (null != counters)
        {
            counters.update(appliedRecords, rejectedMessages, snapshotsTaken, coldWrittenRecordsNow,
                ledgerSnapshotsWritten(), ledgerSnapshotFailures(), historyChecksPassed, historyChecksFailed);
        }
        if (digestRequested && null != processor)
        {
            digestRequested = false;
            state = new State(appliedRecords, processor.ledger().digestHex());
            return 1;
        }
        return 0;
    }

    /**
     * @return records applied to the ledger (messages and ticks), as of the last one. Any thread.
     */
    public long appliedRecords()
    {
        return appliedRecordsNow;
    }

    /**
     * @return transfer records this member's cold tier holds, as of the last record applied; 0 without a tier. Any
     * thread.
     */
    public long coldWrittenRecords()
    {
        return coldWrittenRecordsNow;
    }

    /**
     * Ask the service thread for the ledger's digest; {@link #state()} has it after a duty cycle or so. Any thread.
     */
    public void requestDigest()
    {
        digestRequested = true;
    }

    /**
     * @return the records applied and the ledger's digest as of the last {@link #requestDigest()} answered. Any
     * thread.
     */
    public State state()
    {
        return state;
    }

    /**
     * What the ledger was at one point: the records applied up to it and its digest.
     *
     * @param appliedRecords records applied.
     * @param digest         the ledger's digest after them.
     */
    public record State(long appliedRecords, String digest)
    {
    }

    /**
     * @return this member's role, as the cluster last told it. Any thread.
     */
    public Cluster.Role role()
    {
        return role;
    }

    /**
     * @return messages answered {@code Rejected}: malformed ones, never applied, and {@code Connect}s sent as session
     * messages, journaled without their credential and applied as a tick. Any thread.
     */
    public long rejectedMessages()
    {
        return rejectedMessages;
    }

    /**
     * @return answers not delivered: because their client's session stayed back-pressured (it stopped reading; each
     * such session is closed, and its client sends what it has in flight again on a new one), or was closing, or its
     * response publication was not connected or closed. Any thread.
     */
    public long answersDropped()
    {
        return answersDropped;
    }

    private void scheduleTick(final long timestamp)
    {
        if (!tickScheduled && processor.ledger().pendingCount() > 0)
        {
            tickScheduled = true;
            cluster.scheduleTimer(TICK_TIMER_ID, timestamp + TICK_INTERVAL_NANOS);
        }
    }

    private int applyRecord(
        final int type, final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        final long record = appliedRecords + 1;
        final int answerLength;
        try
        {
            if (record > journal.lastSequence())
            {
                journal.append(type, timestamp, buffer, offset, length);
            }
            else if (null != agreement)
            {
                checkAgreement(type, timestamp, buffer, offset, length);
            }
            answerLength = processor.apply(type, timestamp, buffer, offset, length, answer, 0);
        }
        catch (final JournalException | ColdTierException ex)
        {
            throw stop(ex);
        }
        appliedRecords = record;
        publish();
        if (historyCheckEvery > 0 && 0 == record % historyCheckEvery)
        {
            offerHistoryCheck(record);
        }
        if (snapshotEveryRecords > 0 && !snapshotRequested && Cluster.Role.LEADER == role &&
            record - lastSnapshotRecords >= snapshotEveryRecords)
        {
            snapshotRequested = true;
            snapshotRequester.run();
        }
        return answerLength;
    }

    /**
     * A record the journal held when the member started: the journal must hold what the log gives, or this member
     * stops before it applies it (see {@link JournalAgreement}).
     */
    private void checkAgreement(
        final int type, final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        final String mismatch = agreement.check(type, timestamp, buffer, offset, length);
        if (null != mismatch)
        {
            throw stop(new JournalDisagreementException("this member's journal (" + journal.directory() + ") " +
                "does not hold what the cluster's log gives: " + mismatch + ". Move this member's data directory " +
                "aside (keep it for an audit and 'paycore journal compare') and start the member again on an empty " +
                "one: it replays the cluster's log into a new journal", appliedRecords + 1));
        }
        if (agreement.isDone())
        {
            agreement.close();
            agreement = null;
        }
    }

    /**
     * This member can no longer apply the log as the others do: note why, and end the service's agent (which runs
     * the member's termination hook) before it applies anything more.
     */
    private AgentTerminationException stop(final RuntimeException cause)
    {
        if (null == failure)
        {
            failure = cause;
        }
        return new AgentTerminationException("paycore member stops: " + cause.getMessage(), cause);
    }

    /**
     * Remember this member's history hash at the record, and offer it to the cluster. Every member offers at the
     * same records, so Aeron Cluster can match the followers' offers with the leader's in the log; an offer is never
     * dropped for back-pressure, or they would no longer match.
     */
    private void offerHistoryCheck(final long record)
    {
        final Ledger ledger = processor.ledger();
        final int slot = (int)((record / historyCheckEvery) % HISTORY_CHECKS_KEPT);
        historyCheckRecords[slot] = record;
        historyCheckHashes[2 * slot] = ledger.historyHash(0);
        historyCheckHashes[2 * slot + 1] = ledger.historyHash(1);
        historyCheck.putLong(0, HISTORY_CHECK_MAGIC);
        historyCheck.putLong(Long.BYTES, record);
        historyCheck.putLong(2 * Long.BYTES, historyCheckHashes[2 * slot]);
        historyCheck.putLong(3 * Long.BYTES, historyCheckHashes[2 * slot + 1]);
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        while (true)
        {
            final long result = cluster.offer(historyCheck, 0, HISTORY_CHECK_LENGTH);
            // Waited out only while the log is there and can take it: a log not connected or full for good never
            // will, and spinning here would keep the member from stopping.
            if (result > 0 || ClientSession.MOCKED_OFFER == result || io.aeron.Publication.CLOSED == result ||
                io.aeron.Publication.NOT_CONNECTED == result || io.aeron.Publication.MAX_POSITION_EXCEEDED == result)
            {
                return;
            }
            idle.idle();
        }
    }

    /**
     * A history check the cluster's log gives: the hash the leader's ledger had at a record, against this member's.
     */
    private void onHistoryCheck(final DirectBuffer buffer, final int offset)
    {
        final long record = buffer.getLong(offset + Long.BYTES);
        final long hash0 = buffer.getLong(offset + 2 * Long.BYTES);
        final long hash1 = buffer.getLong(offset + 3 * Long.BYTES);
        final int slot = historyCheckEvery > 0 ? (int)((record / historyCheckEvery) % HISTORY_CHECKS_KEPT) : 0;
        if (historyCheckEvery > 0 && record > appliedRecords)
        {
            // The leader had applied that record by this point of the log, and the log's messages before it are
            // this member's too: it refused one the leader applied (a smaller --max-batch, say).
            historyChecksFailed++;
            historyCheckErrors.onError(new IllegalStateException("history check at record " + record + " failed: " +
                "this member has applied " + appliedRecords + " records where the leader had applied " + record +
                " at the same point of the cluster's log: it refused a message the leader applied. Every member " +
                "must run with the same limits (--max-batch and the others); compare the members' journals " +
                "(paycore journal compare)"));
            return;
        }
        if (historyCheckEvery <= 0 || historyCheckRecords[slot] != record)
        {
            // Before this member's snapshot, or longer ago than it remembers: nothing to compare.
            historyChecksSkipped++;
            return;
        }
        final long own0 = historyCheckHashes[2 * slot];
        final long own1 = historyCheckHashes[2 * slot + 1];
        if (own0 == hash0 && own1 == hash1)
        {
            historyChecksPassed++;
            return;
        }
        historyChecksFailed++;
        historyCheckErrors.onError(new IllegalStateException("history check at record " + record + " failed: " +
            "this member's ledger has history hash " + hex(own0, own1) + " there, the cluster's log gives " +
            hex(hash0, hash1) + " (the leader's when it applied that record): one of their ledgers went another " +
            "way. Compare the members' journals (paycore journal compare) and audit each member's directory up to " +
            "record " + record + " (paycore audit --until-sequence " + record + ")"));
    }

    private static String hex(final long hash0, final long hash1)
    {
        return String.format(Locale.ROOT, "%016x%016x", hash0, hash1);
    }

    /**
     * @return history checks whose hash was this member's at that record. Any thread.
     */
    public long historyChecksPassed()
    {
        return historyChecksPassed;
    }

    /**
     * @return history checks whose hash was not this member's at that record: its ledger or the leader's went
     * another way. Any thread.
     */
    public long historyChecksFailed()
    {
        return historyChecksFailed;
    }

    /**
     * @return history checks this member could not compare: for records before its snapshot, or older than it
     * remembers. Any thread.
     */
    public long historyChecksSkipped()
    {
        return historyChecksSkipped;
    }

    private void publish()
    {
        appliedRecordsNow = appliedRecords;
        if (null != cold)
        {
            coldWrittenRecordsNow = cold.writtenRecords();
        }
    }

    private void reject(final ClientSession session)
    {
        rejectedEncoder.wrapAndApplyHeader(answer, 0, headerEncoder)
            .correlationId(validator.correlationId())
            .templateId(validator.templateId() & 0xFFFF)
            .reason(validator.reason());
        final int detailLength = validator.putDetail(detail, 0);
        rejectedEncoder.putDetail(detail, 0, detailLength);
        if (null != session)
        {
            offer(session, answer, MessageHeaderEncoder.ENCODED_LENGTH + rejectedEncoder.encodedLength());
        }
    }

    private void offer(final ClientSession session, final DirectBuffer buffer, final int length)
    {
        if (session.isClosing())
        {
            answersDropped++;
            return;
        }
        // Waits at most OFFER_PATIENCE_NANOS: the service thread applies every client's messages, so a client that
        // stopped reading must not hold it (before 2026-12-07 it could for about a second an answer). The clock
        // bounds the wait only; nothing the ledger holds depends on it.
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        final long deadlineNanos = System.nanoTime() + OFFER_PATIENCE_NANOS;
        while (true)
        {
            final long result = session.offer(buffer, 0, length);
            if (result > 0 || ClientSession.MOCKED_OFFER == result)
            {
                return;
            }
            if (io.aeron.Publication.NOT_CONNECTED == result || io.aeron.Publication.CLOSED == result)
            {
                // The client's response publication is gone: nobody takes this answer.
                answersDropped++;
                return;
            }
            if (System.nanoTime() - deadlineNanos > 0)
            {
                break;
            }
            idle.idle();
        }
        // Its answers cannot be delivered in order any more: close the session (through the log, so every member
        // closes it), and the client sends what it has in flight again on a new one, answered from the ledger.
        answersDropped++;
        session.close();
    }

    private void offerFully(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return;
            }
            if (io.aeron.Publication.CLOSED == result || io.aeron.Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("the snapshot publication refused the snapshot: " + result);
            }
            idle.idle();
        }
    }

    /**
     * Offers what a ledger writes to the snapshot publication in messages of at most {@value #SNAPSHOT_CHUNK_BYTES}
     * bytes, each a type byte ({@code SNAPSHOT_DATA}) and the bytes, waiting on back-pressure with the cluster's idle
     * strategy.
     */
    private final class PublicationChannel implements WritableByteChannel
    {
        private final ExclusivePublication publication;
        private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[SNAPSHOT_CHUNK_BYTES]);
        private int filled = 1;
        private boolean open = true;

        PublicationChannel(final ExclusivePublication publication)
        {
            this.publication = publication;
            chunk.putByte(0, SNAPSHOT_DATA);
        }

        public int write(final ByteBuffer source)
        {
            final int written = source.remaining();
            while (source.hasRemaining())
            {
                final int length = Math.min(SNAPSHOT_CHUNK_BYTES - filled, source.remaining());
                chunk.putBytes(filled, source, source.position(), length);
                source.position(source.position() + length);
                filled += length;
                if (SNAPSHOT_CHUNK_BYTES == filled)
                {
                    offerFully(publication, chunk, 0, filled);
                    filled = 1;
                }
            }
            return written;
        }

        public boolean isOpen()
        {
            return open;
        }

        public void close()
        {
            if (open)
            {
                open = false;
                if (filled > 1)
                {
                    offerFully(publication, chunk, 0, filled);
                    filled = 1;
                }
            }
        }
    }

    private Ledger loadSnapshot(final Image image, final Cluster cluster)
    {
        final ExpandableArrayBuffer received = new ExpandableArrayBuffer(1 << 16);
        final UnsafeBuffer header = new UnsafeBuffer(new byte[SNAPSHOT_V2_HEADER_BYTES]);
        final int[] length = { 0 };
        final boolean[] headerRead = { false };
        final boolean[] ended = { false };
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        while (!ended[0])
        {
            final int fragments = image.poll((buffer, offset, fragmentLength, fragmentHeader) ->
            {
                if (!headerRead[0])
                {
                    final long magic = fragmentLength >= Long.BYTES ? buffer.getLong(offset) : 0;
                    if (!(SNAPSHOT_HEADER_BYTES == fragmentLength && SNAPSHOT_MAGIC == magic) &&
                        !(SNAPSHOT_V2_HEADER_BYTES == fragmentLength && SNAPSHOT_MAGIC_V2 == magic))
                    {
                        throw new IllegalStateException("the cluster's snapshot is not a paycore ledger snapshot");
                    }
                    header.putBytes(0, buffer, offset, fragmentLength);
                    headerRead[0] = true;
                }
                else if (SNAPSHOT_DATA == buffer.getByte(offset))
                {
                    received.putBytes(length[0], buffer, offset + 1, fragmentLength - 1);
                    length[0] += fragmentLength - 1;
                }
                else if (SNAPSHOT_END == buffer.getByte(offset))
                {
                    ended[0] = true;
                }
            }, 64);
            if (0 == fragments && !ended[0] && image.isEndOfStream())
            {
                throw new IllegalStateException("the cluster's snapshot ended after " + length[0] + " bytes " +
                    "without its end marker");
            }
            idle.idle(fragments);
        }
        appliedRecords = header.getLong(Long.BYTES);
        tickScheduled = 0 != header.getLong(2 * Long.BYTES);
        if (SNAPSHOT_MAGIC_V2 == header.getLong(0))
        {
            return rebuild(header);
        }
        try
        {
            return Ledger.readSnapshot(
                Channels.newChannel(new ByteArrayInputStream(received.byteArray(), 0, length[0])), limits, cold);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the ledger from the cluster's snapshot", ex);
        }
    }


    /**
     * The ledger at the record a cluster snapshot names: this member's newest usable ledger snapshot at or before
     * it, and the journal's records after that snapshot up to it, checked against the cluster snapshot's history
     * hash and counts.
     */
    private Ledger rebuild(final UnsafeBuffer header)
    {
        final long records = header.getLong(Long.BYTES);
        final Path journalDirectory = journal.directory();
        if (journal.lastSequence() < records)
        {
            throw new IllegalStateException("the journal in " + journalDirectory + " ends at record " +
                journal.lastSequence() + " but the cluster's snapshot names record " + records +
                ": a member's journal must hold every record it applied");
        }
        final long firstSequence = JournalArchive.firstSequence(journalDirectory);
        final List<String> skipped = new ArrayList<>();
        Ledger ledger = null;
        long from = 0;
        if (null != ledgerSnapshotDirectory && Files.isDirectory(ledgerSnapshotDirectory))
        {
            final long[] sequences = new SnapshotStore(ledgerSnapshotDirectory).sequences();
            for (int i = sequences.length - 1; i >= 0 && null == ledger; i--)
            {
                final Path file = ledgerSnapshotDirectory.resolve(SnapshotStore.fileName(sequences[i]));
                if (sequences[i] > records)
                {
                    continue;
                }
                if (sequences[i] + 1 < firstSequence)
                {
                    skipped.add(file + ": the journal after it was archived");
                    continue;
                }
                try (Snapshot snapshot = SnapshotStore.open(file))
                {
                    ledger = Ledger.readSnapshot(snapshot.channel(), limits, cold);
                    from = sequences[i];
                }
                catch (final IOException | RuntimeException ex)
                {
                    skipped.add(file + ": " + ex.getMessage());
                }
            }
        }
        if (null == ledger)
        {
            if (firstSequence > 1)
            {
                throw new IllegalStateException("the cluster's snapshot names record " + records + " but no ledger " +
                    "snapshot in " + ledgerSnapshotDirectory + " covers the journal's archived part (it starts at " +
                    firstSequence + ")" + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped)) +
                    ": move the archived segments back into " + journalDirectory);
            }
            ledger = new Ledger(limits, cold);
        }
        Recovery.replay(journalDirectory, from + 1, records, new LedgerRecordHandler(new CommandProcessor(ledger)));
        if (ledger.historyHash(0) != header.getLong(3 * Long.BYTES) ||
            ledger.historyHash(1) != header.getLong(4 * Long.BYTES) ||
            ledger.transferCount() != header.getLong(5 * Long.BYTES) ||
            ledger.recordCount() != header.getLong(6 * Long.BYTES) ||
            ledger.accountCount() != header.getLong(7 * Long.BYTES))
        {
            throw new IllegalStateException("this member's " + (0 == from ? "journal" : "ledger snapshot at record " +
                from + " and journal") + " up to record " + records + " give a ledger other than the one the " +
                "cluster's snapshot names (history hash, transfers, records, accounts: " +
                Long.toHexString(ledger.historyHash(0)) + Long.toHexString(ledger.historyHash(1)) + ", " +
                ledger.transferCount() + ", " + ledger.recordCount() + ", " + ledger.accountCount() + " against " +
                Long.toHexString(header.getLong(3 * Long.BYTES)) + Long.toHexString(header.getLong(4 * Long.BYTES)) +
                ", " + header.getLong(5 * Long.BYTES) + ", " + header.getLong(6 * Long.BYTES) + ", " +
                header.getLong(7 * Long.BYTES) + "): the member's directory is not this cluster's history");
        }
        rebuildReport = (0 == from ? "the journal alone" : "the ledger snapshot at record " + from) + " and " +
            (records - from) + " journal record(s) after it" +
            (skipped.isEmpty() ? "" : " (skipped: " + String.join("; ", skipped) + ")");
        return ledger;
    }

    private void startSnapshotter(final Ledger ledger)
    {
        snapshotTaker = new SnapshotTaker(ledgerSnapshotDirectory,
            PropertyValues.intValue(SnapshotTaker.SNAPSHOTS_KEPT_PROP_NAME, SnapshotTaker.SNAPSHOTS_KEPT_DEFAULT),
            ledgerSnapshotErrors).pace(ledgerSnapshotWriteRate);
        snapshotAgent = new SnapshotAgent(
            SnapshotAgent.copyOf(ledger, null == cold ? null : cold.follower()),
            journal.directory(),
            appliedRecords,
            () -> appliedRecordsNow,
            0,
            snapshotTaker,
            ledgerSnapshotErrors);
        snapshotRunner = new AgentRunner(
            new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            ledgerSnapshotErrors, null, snapshotAgent);
        AgentRunner.startOnThread(snapshotRunner, (runnable) ->
        {
            final Thread thread = new Thread(runnable, SnapshotAgent.ROLE_NAME + "-" + memberId);
            thread.setDaemon(true);
            return thread;
        });
    }

    private void stopSnapshotter()
    {
        if (null != snapshotRunner)
        {
            // A snapshot in progress finishes at full speed; one not written is rebuilt from an older one and the
            // journal on the next start.
            snapshotTaker.hurry();
            CloseHelper.quietClose(snapshotRunner);
            snapshotRunner = null;
        }
    }
}
