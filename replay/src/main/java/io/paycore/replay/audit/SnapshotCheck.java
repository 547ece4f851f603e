package io.paycore.replay.audit;

import java.nio.file.Path;

/**
 * The outcome of checking one snapshot against the replay ({@code --verify-snapshot}): the snapshot's state and
 * the state replayed from the journal up to the snapshot's sequence are compared by digest.
 * <p>
 * Immutable.
 */
public final class SnapshotCheck
{
    /**
     * What the check found.
     */
    public enum Status
    {
        /**
         * The snapshot's digest equals the replayed state's at its sequence.
         */
        MATCH,

        /**
         * The digests differ: the snapshot is not the state the journal gives at its sequence.
         */
        MISMATCH,

        /**
         * The snapshot could not be read or loaded (damaged, another format, too big for the limits).
         */
        UNREADABLE,

        /**
         * The replay did not reach the snapshot's sequence: it is past the audit's end point.
         */
        NOT_REACHED,

        /**
         * The snapshot's sequence is past the journal's last record: the journal lost records the snapshot covers
         * (a tail cut or deleted segments, which the checksum chain alone cannot show), or the snapshot is of
         * another history. A failed check.
         */
        PAST_JOURNAL_END
    }

    private final Path file;
    private final long sequence;
    private final Status status;
    private final String snapshotDigest;
    private final String replayedDigest;
    private final String detail;

    SnapshotCheck(
        final Path file,
        final long sequence,
        final Status status,
        final String snapshotDigest,
        final String replayedDigest,
        final String detail)
    {
        this.file = file;
        this.sequence = sequence;
        this.status = status;
        this.snapshotDigest = snapshotDigest;
        this.replayedDigest = replayedDigest;
        this.detail = detail;
    }

    /**
     * @return the snapshot file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the journal sequence the snapshot covers.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return what the check found.
     */
    public Status status()
    {
        return status;
    }

    /**
     * @return the snapshot's digest, or null if it could not be loaded.
     */
    public String snapshotDigest()
    {
        return snapshotDigest;
    }

    /**
     * @return the replayed state's digest at the snapshot's sequence, or null if not reached.
     */
    public String replayedDigest()
    {
        return replayedDigest;
    }

    /**
     * @return why the snapshot is unreadable or not reached, else null.
     */
    public String detail()
    {
        return detail;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "SnapshotCheck{file=" + file + ", sequence=" + sequence + ", status=" + status +
            ", snapshotDigest=" + snapshotDigest + ", replayedDigest=" + replayedDigest + ", detail=" + detail + '}';
    }
}
