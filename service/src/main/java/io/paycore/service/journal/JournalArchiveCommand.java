package io.paycore.service.journal;

import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalVerifier;
import io.paycore.journal.Snapshot;
import io.paycore.journal.SnapshotStore;
import io.paycore.replay.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code paycore journal archive --data DIR --before-snapshot [--archive DIR]}: move the journal segments whose
 * records all come before the newest valid snapshot's sequence out of {@code DIR/journal}, so the journal's disk
 * use stays bounded; recovery and {@code audit --from-snapshot} start from that snapshot and need only what stays.
 * See {@link JournalArchive} for how the move survives a crash.
 */
@Command(
    name = "archive",
    header = "Move journal segments wholly before the newest snapshot to an archive directory.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Move every journal segment whose records all come before the newest valid snapshot's sequence from",
        "DIR/journal to the archive directory, and leave a marker (DIR/journal/archived.properties) so the",
        "journal still opens starting later than sequence 1. Recovery and 'audit --from-snapshot' start from a",
        "snapshot and need only the segments kept; 'audit' from the start, recovery without a usable snapshot,",
        "and rebuilding the cold tier need the archived segments moved back first. The newest segment is never",
        "moved. Safe while the service runs. Without this command the journal keeps everything.",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:archived, or nothing lay wholly before the newest snapshot",
        "1:no valid snapshot, or a segment could not be moved (what was moved stays moved; the journal opens)",
        "2:usage error"
    })
public final class JournalArchiveCommand implements Callable<Integer>
{
    /** Exit status when the segments were archived, or there was nothing to archive. */
    public static final int EXIT_OK = 0;
    /** Exit status when there is no valid snapshot or the move failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status of a usage error. */
    public static final int EXIT_USAGE = 2;

    /** Archive directory used unless {@code --archive} says otherwise, under the data directory. */
    public static final String ARCHIVE_DIR_NAME = "archive";

    @Option(names = "--data", paramLabel = "DIR", required = true,
        description = "Data directory whose journal to archive. Required.")
    private Path data;

    @Option(names = "--before-snapshot",
        description = "Archive the segments wholly before the newest valid snapshot's sequence (the only way " +
            "to choose what to archive, and required, so that nothing is moved by accident).")
    private boolean beforeSnapshot;

    @Option(names = "--archive", paramLabel = "DIR",
        description = "Where the segments go; may be on another file system, not the journal directory; a " +
            "different segment already there under the same name is never replaced (default: DIR/archive/journal).")
    private Path archive;

    /**
     * Archive.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        if (!beforeSnapshot)
        {
            err.println("paycore journal archive: say what to archive: --before-snapshot");
            return EXIT_USAGE;
        }
        final DataDirectory directory = new DataDirectory(data);
        if (!Files.isDirectory(directory.journalDirectory()))
        {
            err.println("paycore journal archive: no journal in " + directory.journalDirectory());
            return EXIT_FAILED;
        }
        final long snapshotSequence = newestValidSnapshot(directory, err);
        if (snapshotSequence <= 0)
        {
            err.println("paycore journal archive: no valid snapshot in " + directory.snapshotDirectory() +
                ": nothing can be archived, since recovery would need the whole journal");
            return EXIT_FAILED;
        }
        final Path archiveDirectory = null != archive ? archive :
            directory.root().resolve(ARCHIVE_DIR_NAME).resolve(DataDirectory.JOURNAL_DIR_NAME);
        try
        {
            final JournalArchive.Result result =
                JournalArchive.archive(directory.journalDirectory(), archiveDirectory, snapshotSequence + 1);
            if (0 == result.segmentsMoved())
            {
                out.printf(Locale.ROOT, "nothing to archive: no segment lies wholly before the newest snapshot " +
                    "(sequence %d); the journal starts at sequence %d%n", snapshotSequence, result.firstSequence());
            }
            else
            {
                out.printf(Locale.ROOT, "archived %d segment(s), %,d bytes, to %s; the journal now starts at " +
                    "sequence %d (newest snapshot: sequence %d)%n", result.segmentsMoved(), result.bytesMoved(),
                    result.archive().toAbsolutePath(), result.firstSequence(), snapshotSequence);
            }
            return EXIT_OK;
        }
        catch (final JournalException ex)
        {
            err.println("paycore journal archive: " + ex.getMessage());
            return EXIT_FAILED;
        }
    }

    private static long newestValidSnapshot(final DataDirectory directory, final PrintStream err)
    {
        if (!Files.isDirectory(directory.snapshotDirectory()))
        {
            return 0;
        }
        final SnapshotStore store = new SnapshotStore(directory.snapshotDirectory());
        final long[] sequences = store.sequences();
        // A snapshot past the journal's last record (a power cut at flush none took the tail it covers) is one
        // recovery sets aside: cutting at it would archive what the older snapshot recovery falls back on needs.
        final long lastSequence = JournalVerifier.lastSequenceEstimateOf(directory.journalDirectory());
        for (int i = sequences.length - 1; i >= 0; i--)
        {
            final Path file = store.directory().resolve(SnapshotStore.fileName(sequences[i]));
            if (sequences[i] > lastSequence)
            {
                err.println("paycore journal archive: skipping snapshot " + file + ": it covers sequence " +
                    sequences[i] + " but the journal ends at " + lastSequence);
                continue;
            }
            try (Snapshot ignored = SnapshotStore.open(file))
            {
                return sequences[i];
            }
            catch (final JournalException ex)
            {
                err.println("paycore journal archive: skipping snapshot " + file + ": " + ex.getMessage());
            }
        }
        return 0;
    }
}
