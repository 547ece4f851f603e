package io.paycore.service.clients;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code paycore clients}: the parent of the credentials-file commands; on its own it prints its usage.
 */
@Command(
    name = "clients",
    header = "Manage the credentials file that Connect is checked against.",
    mixinStandardHelpOptions = true,
    description = "Manage the credentials file (serve --clients FILE) that Connect is checked against.",
    subcommands = { ClientsAddCommand.class })
public final class ClientsCommand implements Runnable
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
