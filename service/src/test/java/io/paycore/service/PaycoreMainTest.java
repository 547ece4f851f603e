package io.paycore.service;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The help of every command, as a whole.
 */
class PaycoreMainTest
{
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
        final List<CommandLine> commands = new ArrayList<>(List.of(new CommandLine(new PaycoreMain())));
        for (int i = 0; i < commands.size(); i++)
        {
            final CommandLine command = commands.get(i);
            commands.addAll(command.getSubcommands().values());
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
     * Every command and sub-command answers {@code --help} with its usage and exit status 0, and picocli has nothing
     * to warn about on standard error (it does for a description that is not a valid format: an unescaped %).
     */
    @Test
    void shouldPrintEveryCommandsHelpWithoutAWarning()
    {
        final List<List<String>> paths = new ArrayList<>();
        final List<CommandLine> commands = new ArrayList<>(List.of(new CommandLine(new PaycoreMain())));
        final List<List<String>> commandPaths = new ArrayList<>(List.of(List.of()));
        for (int i = 0; i < commands.size(); i++)
        {
            for (final Map.Entry<String, CommandLine> sub : commands.get(i).getSubcommands().entrySet())
            {
                final List<String> path = new ArrayList<>(commandPaths.get(i));
                path.add(sub.getKey());
                commands.add(sub.getValue());
                commandPaths.add(path);
                paths.add(path);
            }
        }
        assertTrue(paths.size() >= 20, "commands found: " + paths);

        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        for (final List<String> path : paths)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int status;
            try
            {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                final List<String> args = new ArrayList<>(path);
                args.add("--help");
                status = PaycoreMain.execute(args.toArray(String[]::new));
            }
            finally
            {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
            final String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, path + ": " + printed + err.toString(StandardCharsets.UTF_8));
            assertTrue(printed.contains("Usage: paycore "), path + ": " + printed);
            assertEquals("", err.toString(StandardCharsets.UTF_8), path.toString());
        }
    }
}
