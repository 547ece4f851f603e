package io.paycore.service.journal;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code paycore journal}: the parent of the journal maintenance commands; on its own it prints its usage.
 */
@Command(
    name = "journal",
    header = "Maintain and compare data directories' journals.",
    mixinStandardHelpOptions = true,
    description = "Maintain a data directory's journal (DIR/journal), or compare two.",
    subcommands = { JournalArchiveCommand.class, JournalCompareCommand.class })
public final class JournalCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    /**
     * With no sub-command, fail with the usage.
     */
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required");
    }
}
