package io.paycore.service.journal;

import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalVerifier;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.JournalComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code paycore journal compare DIR_A DIR_B}: whether two data directories' journals hold the same records, and
 * if not, the first record where they part and what each holds there.
 */
@Command(
    name = "compare",
    header = "Compare two data directories' journals record by record.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Read the journals of two data directories (DIR/journal, or DIR itself if it holds the segments) side",
        "by side over the records both hold, and print the first record where they differ (its type, message,",
        "correlation id and time in each), or that they agree. Records are equal when their type, timestamp and",
        "bytes are. Every record read is verified as a replay verifies it. For the members of a cluster, whose",
        "journals must hold the same history, and for a journal and a copy of it. Read-only, and safe while a",
        "service writes either journal (the records appended meanwhile may or may not be read).",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the journals hold the same records wherever both hold one (one may hold more)",
        "1:they differ at a record",
        "2:usage error",
        "3:a journal is missing, cannot be read or holds a damaged record"
    })
public final class JournalCompareCommand implements Callable<Integer>
{
    /** Exit status when the journals agree. */
    public static final int EXIT_AGREE = 0;
    /** Exit status when they differ at a record. */
    public static final int EXIT_DIFFER = 1;
    /** Exit status when a journal is missing, cannot be read or holds a damaged record. */
    public static final int EXIT_UNREADABLE = 3;

    @Parameters(index = "0", paramLabel = "DIR_A",
        description = "A data directory (its journal is DIR_A/journal), or a journal directory itself.")
    private Path first;

    @Parameters(index = "1", paramLabel = "DIR_B", description = "Another data directory, or a journal directory itself (an archive, say).")
    private Path second;

    /**
     * Compare.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final Path journalA;
        final Path journalB;
        final JournalComparison.Result result;
        try
        {
            journalA = journalOf(first);
            journalB = journalOf(second);
            checkHead(journalA, !journalA.equals(first));
            checkHead(journalB, !journalB.equals(second));
            result = JournalComparison.compare(journalA, journalB);
        }
        catch (final JournalException | UncheckedIOException ex)
        {
            // A directory that cannot be read (permissions) is a journal this command cannot read: one line, as audit
            System.err.println("paycore journal compare: " + ex.getMessage());
            return EXIT_UNREADABLE;
        }
        print(out, result, journalA, journalB);
        return result.agrees() ? EXIT_AGREE : EXIT_DIFFER;
    }

    /**
     * Print a comparison as this command does.
     *
     * @param out      where to.
     * @param result   of the comparison.
     * @param journalA the first journal's directory.
     * @param journalB the second's.
     */
    public static void print(
        final PrintStream out, final JournalComparison.Result result, final Path journalA, final Path journalB)
    {
        out.println("A: " + journalA + ", " + range(result.firstSequence(), result.lastSequenceA()));
        out.println("B: " + journalB + ", " + range(result.firstSequence(), result.lastSequenceB()));
        if (result.agrees())
        {
            final long common = result.lastCommonSequence();
            out.println("the journals agree on every record both hold" +
                (common >= result.firstSequence() ? " (" + range(result.firstSequence(), common) + ")" : ": none"));
            final long more = result.lastSequenceA() - result.lastSequenceB();
            if (0 != more)
            {
                out.printf(Locale.ROOT, "%s holds %,d record(s) more%n", more > 0 ? "A" : "B", Math.abs(more));
            }
            return;
        }
        final long firstDifference = result.firstDifference();
        out.printf(Locale.ROOT, "the journals differ at record %d (in its %s); %s%n", firstDifference,
            result.difference(), firstDifference == result.firstSequence() ? "it is the first both hold" :
            "they agree on " + range(result.firstSequence(), firstDifference - 1));
        out.println("  A holds: " + result.recordA());
        out.println("  B holds: " + result.recordB());
    }

    /**
     * @return DIR/journal for a data directory; DIR itself when it holds journal segments and no journal directory
     * (a journal copied on its own, an archive).
     */
    static Path journalOf(final Path directory)
    {
        final Path journal = new DataDirectory(directory).journalDirectory();
        return !Files.isDirectory(journal) && JournalVerifier.segments(directory).length > 0 ? directory : journal;
    }

    /**
     * As {@code serve} and {@code audit}: a data directory's journal, or one with an archive marker, that starts
     * after sequence 1 must say so in its marker, or its first segments are missing, not archived. A journal
     * directory given itself without a marker (an archive of later segments) may start anywhere.
     */
    static void checkHead(final Path journal, final boolean ofDataDirectory)
    {
        if (!Files.isDirectory(journal))
        {
            return; // the comparison says there is no journal
        }
        final long firstSequence = JournalArchive.firstSequence(journal);
        if (firstSequence <= 1)
        {
            return;
        }
        final JournalArchive.Marker marker = JournalArchive.readMarker(journal);
        if ((null == marker && ofDataDirectory) || (null != marker && firstSequence > marker.firstSequence()))
        {
            final long missingFrom = null == marker ? 1 : marker.firstSequence();
            throw new JournalException("the journal's first segment starts at sequence " + firstSequence +
                (null == marker ? " and no segments were archived (" + JournalArchive.MARKER_FILE_NAME + ")" :
                ", after " + missingFrom + ", the first its archive marker keeps") + ": sequences " + missingFrom +
                ".." + (firstSequence - 1) + " are missing", journal, JournalException.UNKNOWN, missingFrom, null);
        }
    }

    private static String range(final long first, final long last)
    {
        return last < first ? "no records from " + first : "records " + first + ".." + last;
    }
}
