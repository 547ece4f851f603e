package io.paycore.service;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

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
}
