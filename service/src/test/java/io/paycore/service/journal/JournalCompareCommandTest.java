package io.paycore.service.journal;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.TestJournals;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalCompareCommandTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldAgreeWithACopyAndSayWhichHoldsMore() throws Exception
    {
        final Path first = demo("first");
        final Path copy = temp.resolve("copy");
        copyTree(first, copy);
        console.reset();

        assertEquals(JournalCompareCommand.EXIT_AGREE,
            PaycoreMain.execute("journal", "compare", first.toString(), copy.toString()), console.err());
        final String agreed = console.out();
        assertTrue(agreed.startsWith("A: " + first.resolve("journal") + ", records 1.."), agreed);
        assertTrue(agreed.matches("(?s).*\nthe journals agree on every record both hold \\(records 1\\.\\.\\d+\\)\n"),
            agreed);

        // The copy gains a record past the first's end.
        try (Journal journal = Journal.open(new JournalContext().directory(copy.resolve("journal"))
            .flushLevel(FlushLevel.NONE)))
        {
            journal.append(RecordTypes.TICK, Long.MAX_VALUE, new UnsafeBuffer(new byte[0]), 0, 0);
        }
        console.reset();
        assertEquals(JournalCompareCommand.EXIT_AGREE,
            PaycoreMain.execute("journal", "compare", first.toString(), copy.toString()), console.err());
        assertTrue(console.out().endsWith("\nB holds 1 record(s) more\n"), console.out());

        // A journal directory given itself, as a journal copied on its own.
        console.reset();
        assertEquals(JournalCompareCommand.EXIT_AGREE, PaycoreMain.execute("journal", "compare",
            first.toString(), copy.resolve("journal").toString()), console.err());
        assertTrue(console.out().contains("\nB: " + copy.resolve("journal") + ", records 1.."), console.out());
    }

    @Test
    void shouldNameTheFirstRecordTwoRunsDifferIn()
    {
        // Each run's service stamps its records with its own clock: the two differ from their first record on.
        final Path first = demo("first");
        final Path second = demo("second");
        console.reset();

        assertEquals(JournalCompareCommand.EXIT_DIFFER,
            PaycoreMain.execute("journal", "compare", first.toString(), second.toString()), console.err());
        final String differed = console.out();
        assertTrue(differed.matches("(?s).*\nthe journals differ at record 1 \\(in its timestamp\\); it is the first " +
            "both hold\n  A holds: [A-Z]+.*, at 20.*Z \\(\\d+ ns\\)\n  B holds: .*"), differed);
    }

    @Test
    void shouldSayWhichRecordsAgreeBeforeTheFirstDifference()
    {
        final Path first = temp.resolve("first");
        final Path second = temp.resolve("second");
        TestJournals.ticks(first, 5, 3, 1_000);
        TestJournals.ticks(second, 4, 3, 2_000);

        assertEquals(JournalCompareCommand.EXIT_DIFFER,
            PaycoreMain.execute("journal", "compare", first.toString(), second.toString()), console.err());
        assertEquals("A: " + first.resolve("journal") + ", records 1..5\n" +
            "B: " + second.resolve("journal") + ", records 1..4\n" +
            "the journals differ at record 3 (in its timestamp); they agree on records 1..2\n" +
            "  A holds: TICK, 0 bytes, at 1970-01-01T00:00:00.000001002Z (1002 ns)\n" +
            "  B holds: TICK, 0 bytes, at 1970-01-01T00:00:00.000002002Z (2002 ns)\n", console.out());
    }

    @Test
    void shouldExitThreeForAMissingJournalAndTwoForAMissingDirectory()
    {
        final Path first = demo("first");

        assertEquals(JournalCompareCommand.EXIT_UNREADABLE, PaycoreMain.execute("journal", "compare",
            first.toString(), temp.resolve("none").toString()));
        assertTrue(console.err().contains("paycore journal compare: no journal in " +
            temp.resolve("none").resolve("journal")), console.err());
        assertEquals(2, PaycoreMain.execute("journal", "compare", first.toString()));
    }

    private Path demo(final String name)
    {
        final Path data = temp.resolve(name);
        assertEquals(0, PaycoreMain.execute("demo", "--data", data.toString(), "--accounts", "300",
            "--transfers", "1000", "--batch", "100"), console.err());
        return data;
    }


    private static void copyTree(final Path from, final Path to) throws Exception
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
