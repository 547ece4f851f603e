package io.paycore.replay;

import io.paycore.core.ledger.Ledger;
import io.paycore.core.pipeline.SnapshotHandler;
import io.paycore.journal.JournalException;
import io.paycore.journal.SnapshotStore;
import io.paycore.journal.SnapshotWriter;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Writes ledger snapshots into a {@link SnapshotStore} and keeps only the newest few: the
 * {@link SnapshotHandler} the pipeline calls on the BLP thread every {@code --snapshot-every} records, and what
 * the service calls once more at a clean shutdown.
 * <p>
 * A ledger with a cold tier has the tier forced first, since the snapshot names the tier's records as its own.
 * Each snapshot is {@link Ledger#writeSnapshot} streamed through a {@link SnapshotWriter} (temporary name, forced,
 * renamed, checksummed), so a crash mid-snapshot leaves at worst a temporary file, deleted when the next taker is
 * made. After each snapshot, older ones beyond {@link #snapshotsKept()} are deleted; the bound is
 * {@link #SNAPSHOTS_KEPT_MAX}.
 * <p>
 * A snapshot that fails (disk full, I/O error) is reported to the {@link ErrorHandler} and counted, and the
 * service carries on: the journal, not the snapshot, is the record, so a missing snapshot only makes the next
 * recovery longer.
 * <p>
 * <b>Threading</b>: {@link #onSnapshotPoint} and {@link #take} from one thread at a time (the BLP while the
 * pipeline runs, the caller after it has stopped). The counters may be read from any thread.
 */
public final class SnapshotTaker implements SnapshotHandler
{
    /**
     * How many snapshots to keep: after each new one, the oldest beyond this many are deleted.
     */
    public static final String SNAPSHOTS_KEPT_PROP_NAME = "paycore.snapshots.kept";

    /**
     * Default for {@link #SNAPSHOTS_KEPT_PROP_NAME}: the newest and two older ones, to fall back on if the newest
     * is damaged.
     */
    public static final int SNAPSHOTS_KEPT_DEFAULT = 3;

    /**
     * Most snapshots that may be kept.
     */
    public static final int SNAPSHOTS_KEPT_MAX = 1000;

    /**
     * Average rate, in bytes a second, at which the snapshotter thread writes each snapshot ({@link #pace(long)});
     * 0 for as fast as the disk takes it.
     */
    public static final String WRITE_RATE_PROP_NAME = "paycore.snapshot.write.rate";

    /**
     * Default for {@link #WRITE_RATE_PROP_NAME}: 32 MiB a second, a small share of a disk's bandwidth, so that the
     * journal's forces are not queued behind a snapshot's writes; a snapshot of a full default hot window (4,194,304
     * transfers, some 600 MB) then takes about 20 s. See the README's Performance section for what it was measured
     * against.
     */
    public static final long WRITE_RATE_DEFAULT = 32L << 20;

    private final SnapshotStore store;
    private final int snapshotsKept;
    private final ErrorHandler errorHandler;
    private volatile long snapshotsTaken;
    private volatile long failures;
    private volatile long lastSequence;
    private volatile long lastDurationNanos;
    private volatile long paceBytesPerSecond;
    private volatile boolean hurry;
    private final BooleanSupplier hurried = this::isHurried;

    /**
     * @param directory     holding the snapshots, normally {@link DataDirectory#snapshotDirectory()}; created if
     *                      missing, and left-over temporary files from a crash are deleted.
     * @param snapshotsKept newest snapshots to keep, 1..{@link #SNAPSHOTS_KEPT_MAX}.
     * @param errorHandler  told of each snapshot that fails; called on the snapshotting thread.
     * @throws IllegalArgumentException if snapshotsKept is out of bounds.
     * @throws JournalException         if the directory cannot be created or cleaned.
     */
    public SnapshotTaker(final Path directory, final int snapshotsKept, final ErrorHandler errorHandler)
    {
        if (snapshotsKept < 1 || snapshotsKept > SNAPSHOTS_KEPT_MAX)
        {
            throw new IllegalArgumentException("snapshots kept (" + SNAPSHOTS_KEPT_PROP_NAME + ") must be in 1.." +
                SNAPSHOTS_KEPT_MAX + ": " + snapshotsKept);
        }
        this.store = new SnapshotStore(directory);
        this.snapshotsKept = snapshotsKept;
        this.errorHandler = errorHandler;
        deleteTempFiles(directory);
    }

    /**
     * Write the snapshots of {@link #onSnapshotPoint} at an average of at most this many bytes a second, so that
     * they leave the disk to the journal: for a thread that may take its time, such as the snapshotter's, never the
     * BLP's. {@link #take} is never paced.
     *
     * @param bytesPerSecond 0 for as fast as the disk takes them (the default).
     * @return this.
     * @throws IllegalArgumentException if bytesPerSecond is negative.
     */
    public SnapshotTaker pace(final long bytesPerSecond)
    {
        if (bytesPerSecond < 0)
        {
            throw new IllegalArgumentException("snapshot write rate (" + WRITE_RATE_PROP_NAME +
                ", --snapshot-rate) must not be negative: " + bytesPerSecond);
        }
        paceBytesPerSecond = bytesPerSecond;
        return this;
    }

    /**
     * @return the rate {@link #onSnapshotPoint} writes at, in bytes a second; 0 for unpaced.
     */
    public long paceBytesPerSecond()
    {
        return paceBytesPerSecond;
    }

    /**
     * Write the snapshot in progress, and any later one, as fast as the disk takes it: before a shutdown, which
     * should not wait out a paced snapshot. Any thread.
     */
    public void hurry()
    {
        hurry = true;
    }

    /**
     * Take a snapshot, reporting rather than throwing a failure: at the pace set by {@link #pace(long)}. Called on
     * the BLP thread by the pipeline, or on the snapshotter's.
     *
     * @param ledger   quiescent for the duration of the call.
     * @param sequence the journal sequence it has applied up to.
     */
    public void onSnapshotPoint(final Ledger ledger, final long sequence)
    {
        try
        {
            take(ledger, sequence, paceBytesPerSecond);
        }
        catch (final RuntimeException ex)
        {
            failures++;
            errorHandler.onError(ex);
        }
    }

    /**
     * Take a snapshot now, then delete the oldest beyond {@link #snapshotsKept()}. If a snapshot for this sequence
     * exists already it is kept and nothing is written.
     *
     * @param ledger   to snapshot; must not change during the call.
     * @param sequence the journal sequence the ledger has applied up to.
     * @return the snapshot file.
     * @throws JournalException naming the file if it cannot be written; nothing is left under its final name. It is
     *                          counted in {@link #failures()}, as a failure of {@link #onSnapshotPoint} is.
     */
    public Path take(final Ledger ledger, final long sequence)
    {
        try
        {
            return take(ledger, sequence, 0);
        }
        catch (final RuntimeException ex)
        {
            failures++;
            throw ex;
        }
    }

    private Path take(final Ledger ledger, final long sequence, final long bytesPerSecond)
    {
        final Path file = store.directory().resolve(SnapshotStore.fileName(sequence));
        if (Files.exists(file))
        {
            return file;
        }

        final long startNanos = System.nanoTime();
        if (null != ledger.coldTier())
        {
            // The snapshot leaves every record before its oldest to the tier: the tier must hold them durably first.
            ledger.coldTier().force();
        }
        try (SnapshotWriter writer = store.newSnapshot(sequence).pace(bytesPerSecond, hurried))
        {
            ledger.writeSnapshot(writer);
            writer.commit();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write snapshot: " + ex, file, JournalException.UNKNOWN, sequence, ex);
        }
        lastDurationNanos = System.nanoTime() - startNanos;
        lastSequence = sequence;
        snapshotsTaken++;
        prune();

        return file;
    }

    /**
     * @return the number of snapshots kept.
     */
    public int snapshotsKept()
    {
        return snapshotsKept;
    }

    /**
     * @return the directory holding the snapshots.
     */
    public Path directory()
    {
        return store.directory();
    }

    /**
     * @return snapshots written by this taker. Any thread.
     */
    public long snapshotsTaken()
    {
        return snapshotsTaken;
    }

    /**
     * @return snapshots that failed and were reported. Any thread.
     */
    public long failures()
    {
        return failures;
    }

    /**
     * @return the sequence of the last snapshot this taker wrote, 0 if none. Any thread.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return how long the last snapshot took to write, in nanoseconds. Any thread.
     */
    public long lastDurationNanos()
    {
        return lastDurationNanos;
    }

    private boolean isHurried()
    {
        return hurry;
    }

    private void prune()
    {
        final long[] sequences = store.sequences();
        for (int i = 0, excess = sequences.length - snapshotsKept; i < excess; i++)
        {
            final Path old = store.directory().resolve(SnapshotStore.fileName(sequences[i]));
            try
            {
                Files.deleteIfExists(old);
            }
            catch (final IOException ex)
            {
                errorHandler.onError(new JournalException("cannot delete old snapshot: " + ex, old,
                    JournalException.UNKNOWN, sequences[i], ex));
            }
        }
    }

    private static void deleteTempFiles(final Path directory)
    {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SnapshotStore.TEMP_SUFFIX))
        {
            for (final Path file : stream)
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot delete left-over temporary snapshots: " + ex, directory,
                JournalException.UNKNOWN, JournalException.UNKNOWN, ex);
        }
    }
}
