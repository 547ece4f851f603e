package io.paycore.replay;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.journal.JournalReader;
import io.paycore.journal.RecordHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Takes the service's snapshots off the business logic processor: an {@link Agent} with a ledger of its own, a copy
 * of the BLP's, that applies the journal's records behind the BLP (never past the sequence the BLP has applied) and,
 * at every {@code snapshotEvery}-th sequence, writes that ledger through a {@link SnapshotTaker}. The BLP never
 * waits for a snapshot: what it costs is a second copy of the hot state in memory and a second application of every
 * record, on another thread.
 * <p>
 * The copy applies exactly the records the BLP applied, in order, so its state at each sequence is the BLP's at that
 * sequence (recovery checks this: a snapshot's digest is the replayed journal's). A ledger with a cold tier is copied
 * onto the tier's follower view ({@link io.paycore.core.cold.AsyncLmdbColdTier#follower()}): it reads the tier, and
 * staying behind the BLP keeps its own records within what the tier's writer has room for.
 * <p>
 * A snapshot point the BLP has already passed by a whole interval is skipped ({@link #snapshotsSkipped()}): the
 * agent is behind because its last snapshot took longer than an interval (a paced taker writing a large ledger), and
 * writing this one would only put it further behind, where the next point is as good and newer. So the agent is never
 * more than about one snapshot's writing behind the BLP, however long that takes.
 * <p>
 * With an interval of 0 the agent takes snapshots only where asked ({@link #requestPoint(long)}): at the sequences a
 * cluster member's snapshots name, so that a member restarting from one finds a ledger snapshot of its own at that
 * sequence, or an older one and the journal between. A point asked for before the agent reached the one before is
 * the only one taken: the newer point is as good.
 * <p>
 * A failure to apply a record (which the BLP applied) stops the agent and is reported: snapshots stop, the service
 * goes on, and the next recovery replays more of the journal. A failed snapshot is reported and counted by the taker.
 * <p>
 * <b>Threading</b>: {@link #doWork()} on the agent's thread; counters from any.
 */
public final class SnapshotAgent implements Agent
{
    /**
     * Role name of the agent's thread.
     */
    public static final String ROLE_NAME = "paycore-snapshotter";

    private static final int POLL_LIMIT = 256;

    private final Ledger ledger;
    private final Path journalDirectory;
    private final LongSupplier appliedByBlp;
    private final long snapshotEvery;
    private final SnapshotTaker taker;
    private final ErrorHandler errorHandler;
    private final LedgerRecordHandler applier;
    private final RecordHandler handler = this::onRecord;
    private JournalReader reader;
    private volatile long appliedSequence;
    private volatile long requestedPoint;
    private volatile long lastPointTaken;
    private volatile long snapshotsSkipped;
    private volatile boolean failed;

    /**
     * @param ledger           the agent's own ledger, equal to the BLP's at {@code appliedSequence}; see
     *                         {@link #copyOf(Ledger, ColdTier)}.
     * @param journalDirectory of the journal the BLP's records are in.
     * @param appliedSequence  the journal sequence {@code ledger} has applied.
     * @param appliedByBlp     the journal sequence the BLP has applied, read on the agent's thread.
     * @param snapshotEvery    take a snapshot at every sequence that is a multiple of this; 0 to take them only
     *                         where {@link #requestPoint(long)} asks.
     * @param taker            writes the snapshots; used by this agent alone while it runs.
     * @param errorHandler     told of a record that fails to apply; snapshot failures go to the taker's.
     */
    public SnapshotAgent(
        final Ledger ledger,
        final Path journalDirectory,
        final long appliedSequence,
        final LongSupplier appliedByBlp,
        final long snapshotEvery,
        final SnapshotTaker taker,
        final ErrorHandler errorHandler)
    {
        if (snapshotEvery < 0)
        {
            throw new IllegalArgumentException("snapshotEvery must not be negative: " + snapshotEvery);
        }
        this.ledger = ledger;
        this.journalDirectory = journalDirectory;
        this.appliedSequence = appliedSequence;
        this.requestedPoint = appliedSequence;
        this.lastPointTaken = appliedSequence;
        this.appliedByBlp = appliedByBlp;
        this.snapshotEvery = snapshotEvery;
        this.taker = taker;
        this.errorHandler = errorHandler;
        this.applier = new LedgerRecordHandler(new CommandProcessor(ledger));
    }

    /**
     * A copy of a ledger, through its snapshot format, for the agent to own. The snapshot streams through a pipe from
     * a thread that writes it to this one that reads it, so the copy costs the heap one more ledger and a pipe's
     * buffer, not the snapshot's bytes as well: held whole, a full default window's 605 MB (and the array it grew
     * in) did not fit beside two ledgers in a 4 GiB heap. For start-up, not a hot path.
     *
     * @param ledger the BLP's ledger, quiescent for the call.
     * @param cold   the copy's cold tier: the follower view of the ledger's tier, or null if it has none.
     * @return the copy, with the same digest.
     */
    public static Ledger copyOf(final Ledger ledger, final ColdTier cold)
    {
        final Pipe pipe;
        try
        {
            pipe = Pipe.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy the ledger: " + ex, ex);
        }
        final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try (Pipe.SinkChannel sink = pipe.sink())
            {
                ledger.writeSnapshot(sink);
            }
            catch (final Throwable ex)
            {
                writeFailure.set(ex);
            }
        }, "paycore-ledger-copy");
        writer.setDaemon(true);
        writer.start();
        Ledger copy = null;
        Throwable readFailure = null;
        try (Pipe.SourceChannel source = pipe.source())
        {
            copy = Ledger.readSnapshot(source, ledger.limits(), cold);
            if (source.read(ByteBuffer.allocate(1)) >= 0)
            {
                throw new IllegalStateException("the ledger's snapshot ran on past what its copy read");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Closing the source ends a writer still writing.
            readFailure = ex;
        }
        try
        {
            writer.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying the ledger", ex);
        }
        final Throwable failure = null != readFailure ? readFailure : writeFailure.get();
        if (null != failure)
        {
            throw new IllegalStateException("cannot copy the ledger: " + failure.getMessage(), failure);
        }
        return copy;
    }

    public int doWork()
    {
        if (failed)
        {
            return 0;
        }
        long limit = appliedByBlp.getAsLong();
        final long applied = appliedSequence;
        final long point = requestedPoint;
        if (point > lastPointTaken)
        {
            if (point == applied)
            {
                lastPointTaken = point;
                taker.onSnapshotPoint(ledger, point);
                return 1;
            }
            // Stop at the point: a snapshot is of the ledger exactly there.
            limit = point > applied ? Math.min(limit, point) : limit;
        }
        if (applied >= limit)
        {
            return 0;
        }
        try
        {
            if (null == reader)
            {
                reader = JournalReader.open(journalDirectory, applied + 1);
            }
            return reader.poll(handler, (int)Math.min(POLL_LIMIT, limit - applied));
        }
        catch (final RuntimeException ex)
        {
            failed = true;
            errorHandler.onError(new IllegalStateException("the snapshot agent stopped at sequence " +
                appliedSequence + " (snapshots stop; the service goes on): " + ex, ex));
            return 0;
        }
    }

    public void onClose()
    {
        CloseHelper.quietClose(reader);
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    /**
     * @return the journal sequence the agent's ledger has applied. Any thread.
     */
    public long appliedSequence()
    {
        return appliedSequence;
    }

    /**
     * Ask for a snapshot of the ledger at a sequence, for an agent made with an interval of 0. The agent takes it
     * once it has applied that far, unless a later point is asked for first. Any thread.
     *
     * @param sequence the BLP has applied (or will): the agent never applies past it before taking the snapshot.
     * @throws IllegalArgumentException if the point is before one asked for already.
     */
    public void requestPoint(final long sequence)
    {
        final long previous = requestedPoint;
        if (sequence < previous)
        {
            throw new IllegalArgumentException("snapshot point " + sequence + " is before " + previous);
        }
        if (sequence > previous && previous > lastPointTaken)
        {
            snapshotsSkipped++;
        }
        requestedPoint = sequence;
    }

    /**
     * @return snapshot points skipped because the BLP had passed the next one already (or, with points asked for, a
     * later point was asked for before the agent reached this one). Any thread.
     */
    public long snapshotsSkipped()
    {
        return snapshotsSkipped;
    }

    /**
     * @return true once the agent has stopped because a record failed to apply. Any thread.
     */
    public boolean isFailed()
    {
        return failed;
    }

    private void onRecord(
        final int type,
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        applier.onRecord(type, sequence, timestampNanos, buffer, offset, length);
        appliedSequence = sequence;
        if (snapshotEvery > 0 && 0 == sequence % snapshotEvery)
        {
            if (appliedByBlp.getAsLong() >= sequence + snapshotEvery)
            {
                snapshotsSkipped++;
            }
            else
            {
                taker.onSnapshotPoint(ledger, sequence);
            }
        }
    }
}
