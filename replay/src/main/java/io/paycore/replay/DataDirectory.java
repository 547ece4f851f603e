package io.paycore.replay;

import io.paycore.journal.JournalVerifier;

import java.nio.file.Path;

/**
 * The layout of a paycore data directory, the one thing {@code paycore serve --data DIR} is given:
 * <pre>
 *   DIR/
 *     paycore-mark.dat  the mark file: pid, start time, version and error log of the owning (or last) process;
 *                       held (an OS file lock) by the one process that owns the directory, released on any exit,
 *                       kept afterwards for post-mortems (paycore errors)
 *     paycore-errors-*.txt  errors an earlier owner left in the mark file, saved by the next owner
 *     journal/        journal segment files, 00000000000000000001.seg, ... (see io.paycore.journal.Journal)
 *     snapshots/      ledger snapshots, snapshot-&lt;sequence&gt;.snap, the newest few kept
 *     aeron/          the embedded media driver's directory, unless an external driver is used; kept at
 *                     shutdown (AeronStat, ErrorStat, paycore stat read it), cleaned at the next start
 * </pre>
 * Every path is derived from the root; nothing is created here (see {@link DataDirectoryLock} and
 * {@link Recovery}, which create what they need).
 */
public final class DataDirectory
{
    /**
     * Name of the journal directory under the root.
     */
    public static final String JOURNAL_DIR_NAME = "journal";

    /**
     * Name of the snapshot directory under the root.
     */
    public static final String SNAPSHOTS_DIR_NAME = "snapshots";

    /**
     * Name of the embedded media driver's directory under the root.
     */
    public static final String AERON_DIR_NAME = "aeron";

    /**
     * Name of the mark file under the root.
     */
    public static final String MARK_FILE_NAME = "paycore-mark.dat";

    /**
     * Name of the cold tier's directory, under the data directory.
     */
    public static final String COLD_DIR_NAME = "cold";

    private final Path root;

    /**
     * @param root the data directory; made absolute.
     */
    public DataDirectory(final Path root)
    {
        if (null == root)
        {
            throw new IllegalArgumentException("data directory must be given");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * @return the data directory itself.
     */
    public Path root()
    {
        return root;
    }

    /**
     * @return {@code DIR/journal}.
     */
    public Path journalDirectory()
    {
        return root.resolve(JOURNAL_DIR_NAME);
    }

    /**
     * What to add to "no segment files in {@code DIR/journal}" when the data directory given holds segment files
     * itself: it is then a journal directory, given where its parent was meant.
     *
     * @return the hint, starting with "; ", or "" when there is none to give.
     */
    public String journalDirectoryGivenHint()
    {
        return JournalVerifier.segments(root).length > 0 ? "; " + root + " holds segment files itself: it is a " +
            "journal directory, so give its parent, the data directory, instead" : "";
    }

    /**
     * @return {@code DIR/snapshots}.
     */
    public Path snapshotDirectory()
    {
        return root.resolve(SNAPSHOTS_DIR_NAME);
    }

    /**
     * @return {@code DIR/aeron}, the embedded media driver's directory.
     */
    public Path aeronDirectory()
    {
        return root.resolve(AERON_DIR_NAME);
    }

    /**
     * @return {@code DIR/cold}, the cold tier: every transfer that left the ledger's hot window, by id.
     */
    public Path coldDirectory()
    {
        return root.resolve(COLD_DIR_NAME);
    }

    /**
     * @return {@code DIR/paycore-mark.dat}, the mark file (see {@link PaycoreMarkFile}).
     */
    public Path markFile()
    {
        return root.resolve(MARK_FILE_NAME);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return root.toString();
    }
}
