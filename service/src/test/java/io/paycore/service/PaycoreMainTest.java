package io.paycore.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The help of every command, as a whole.
 */
class PaycoreMainTest
{
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /**
     * picocli takes each string of an exit status list as {@code status:text} and drops a string with no colon, so
     * a description continued on a string of its own loses that string, or becomes a status of its own named by the
     * words before a colon ({@code serve}'s and {@code feed}'s did both): every string must start with a status.
     */
    @Test
    void shouldListEveryExitStatusOnOneEntry()
    {
        final List<String> problems = new ArrayList<>();
        int statuses = 0;
        for (final CommandLine command : commands().values())
        {
            final Command annotation = command.getCommandSpec().userObject().getClass().getAnnotation(Command.class);
            for (final String entry : null == annotation ? new String[0] : annotation.exitCodeList())
            {
                statuses++;
                if (!entry.matches("\\d{1,3}:.+"))
                {
                    problems.add(command.getCommandSpec().qualifiedName() + ": '" + entry + "'");
                }
            }
        }
        assertTrue(statuses >= 40, "exit statuses found: " + statuses);
        assertEquals(List.of(), problems);
    }

    /**
     * @return {@code paycore} and every command and sub-command under it, each by its path of names from
     * {@code paycore} (the empty path for {@code paycore} itself), parents before their children.
     */
    private static Map<List<String>, CommandLine> commands()
    {
        final Map<List<String>, CommandLine> commands = new LinkedHashMap<>();
        commands.put(List.of(), new CommandLine(new PaycoreMain()));
        final List<List<String>> toVisit = new ArrayList<>(commands.keySet());
        for (int i = 0; i < toVisit.size(); i++)
        {
            for (final Map.Entry<String, CommandLine> sub : commands.get(toVisit.get(i)).getSubcommands().entrySet())
            {
                final List<String> path = new ArrayList<>(toVisit.get(i));
                path.add(sub.getKey());
                commands.put(path, sub.getValue());
                toVisit.add(path);
            }
        }
        return commands;
    }

    /**
     * Every command and sub-command answers {@code --help} with its usage and exit status 0, and picocli has nothing
     * to warn about on standard error (it does for a description that is not a valid format: an unescaped %).
     */
    @Test
    void shouldPrintEveryCommandsHelpWithoutAWarning()
    {
        final List<List<String>> paths = new ArrayList<>(commands().keySet());
        paths.remove(List.of());
        assertTrue(paths.size() >= 20, "commands found: " + paths);

        for (final List<String> path : paths)
        {
            console.reset();
            final List<String> args = new ArrayList<>(path);
            args.add("--help");
            final int status = PaycoreMain.execute(args.toArray(String[]::new));
            assertEquals(0, status, path + ": " + console.out() + console.err());
            assertTrue(console.out().contains("Usage: paycore "), path + ": " + console.out());
            assertEquals("", console.err(), path.toString());
        }
    }

    /**
     * A usage error of a command is its reason in one line and where to find the options; the whole help after it
     * (until 2026-12-07) buried the reason. A command made of sub-commands still lists them, as naming one is what
     * was missing.
     */
    @Test
    void shouldAnswerAUsageErrorWithItsReasonAndWhereTheOptionsAre()
    {
        assertEquals(2, PaycoreMain.execute("serve"));
        assertEquals("paycore serve: Missing required option: '--data=DIR'" + System.lineSeparator() +
            "Try 'paycore serve --help' for its options." + System.lineSeparator(), console.err());

        console.reset();
        assertEquals(2, PaycoreMain.execute("audit", "--data", "x", "--flsh"));
        assertTrue(console.err().startsWith("paycore audit: Unknown option: '--flsh'"), console.err());
        assertTrue(console.err().endsWith("Try 'paycore audit --help' for its options." + System.lineSeparator()),
            console.err());
        assertFalse(console.err().contains("Usage:"), console.err());

        console.reset();
        assertEquals(2, PaycoreMain.execute("journal"));
        assertTrue(console.err().startsWith("paycore journal: a sub-command is required"), console.err());
        assertTrue(console.err().contains("Usage: paycore journal"), console.err());
        assertTrue(console.err().contains("compare"), console.err());
    }
}
