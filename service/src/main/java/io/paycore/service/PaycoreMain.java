package io.paycore.service;

import io.paycore.journal.PropertyValues;
import io.paycore.service.audit.AuditCommand;
import io.paycore.service.clients.ClientsCommand;
import io.paycore.service.cluster.ClusterCommand;
import io.paycore.service.cluster.NodeCommand;
import io.paycore.service.demo.DemoCommand;
import io.paycore.service.feed.AmqpFeedCommand;
import io.paycore.service.feed.FeedCommand;
import io.paycore.service.feed.FeedServerCommand;
import io.paycore.service.feed.KafkaFeedCommand;
import io.paycore.service.inspect.ErrorsCommand;
import io.paycore.service.inspect.StatCommand;
import io.paycore.service.journal.JournalCommand;
import io.paycore.service.query.QueryServerCommand;
import io.paycore.service.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of {@code bin/paycore}: dispatches to the sub-commands.
 */
@Command(
    name = "paycore",
    mixinStandardHelpOptions = true,
    versionProvider = PaycoreMain.Version.class,
    description = "A low-latency payments core: SBE messages, a journal, and one thread that owns the ledger.",
    footer = { "", "Benchmarks: 'bin/paycore bench latency|throughput ...' runs the harness in perf/target/benchmarks.jar " +
        "(see 'bin/paycore bench --help'); the service jar carries no benchmark code." },
    subcommands = { DemoCommand.class, ServeCommand.class, NodeCommand.class, ClusterCommand.class,
        AuditCommand.class, FeedCommand.class, FeedServerCommand.class, AmqpFeedCommand.class, KafkaFeedCommand.class,
        QueryServerCommand.class, ClientsCommand.class, ErrorsCommand.class, StatCommand.class, JournalCommand.class,
        CommandLine.HelpCommand.class })
public final class PaycoreMain implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Run the command line and exit with its status.
     *
     * @param args command line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Run the command line without exiting, for tests.
     *
     * @param args command line arguments.
     * @return the exit status.
     */
    public static int execute(final String... args)
    {
        final CommandLine commandLine;
        try
        {
            // Some commands take their defaults from system properties as they are made.
            commandLine = new CommandLine(new PaycoreMain());
        }
        catch (final RuntimeException ex)
        {
            final PropertyValues.InvalidValueException invalid = PropertyValues.InvalidValueException.in(ex);
            if (null == invalid)
            {
                throw ex;
            }
            System.err.println("paycore: " + invalid.getMessage());
            return CommandLine.ExitCode.USAGE;
        }

        return commandLine
            .setParameterExceptionHandler(PaycoreMain::onUsageError)
            .setExecutionExceptionHandler((ex, command, parseResult) ->
            {
                // A property that does not parse is a usage error wherever it is read, not a stack trace.
                final PropertyValues.InvalidValueException invalid = PropertyValues.InvalidValueException.in(ex);
                if (null == invalid)
                {
                    throw ex;
                }
                command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + invalid.getMessage());
                return CommandLine.ExitCode.USAGE;
            })
            .execute(args);
    }

    /**
     * A usage error: the reason in one line, and where the options are, rather than the whole help after it. A
     * command made of sub-commands ({@code paycore}, {@code paycore journal}) lists them, since naming one is what
     * was missing. {@code paycore bench} answers its usage errors with it too.
     *
     * @param ex   the usage error.
     * @param args the arguments.
     * @return the exit status for invalid input, 2.
     */
    public static int onUsageError(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        final PrintWriter err = command.getErr();
        final String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        if (command.getSubcommands().isEmpty())
        {
            err.println("Try '" + name + " --help' for its options.");
        }
        else
        {
            command.usage(err);
        }
        err.flush();

        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * With no sub-command, print the usage and fail.
     */
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required");
    }

    /**
     * Version from the jar manifest, when there is one.
     */
    static final class Version implements CommandLine.IVersionProvider
    {
        public String[] getVersion()
        {
            final String version = PaycoreMain.class.getPackage().getImplementationVersion();
            return new String[]{ "paycore " + (null != version ? version : "(development build)") };
        }
    }
}
