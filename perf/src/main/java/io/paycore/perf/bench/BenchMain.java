package io.paycore.perf.bench;

import io.paycore.service.PaycoreMain;
import picocli.CommandLine;

/**
 * Entry point of {@code bin/paycore bench ...}: the latency and throughput harness, run from the perf module's jar
 * so that the shipped service jar carries no benchmark code.
 */
public final class BenchMain
{
    private BenchMain()
    {
    }

    /**
     * Run a bench command and exit with its status.
     *
     * @param args the arguments after {@code bench}.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Run a bench command without exiting, for tests.
     *
     * @param args the arguments after {@code bench}.
     * @return the exit status.
     */
    public static int execute(final String... args)
    {
        return new CommandLine(new BenchCommand())
            .setCommandName("paycore bench")
            .setParameterExceptionHandler(PaycoreMain::onUsageError)
            .setExecutionExceptionHandler(BenchMain::usageError)
            .execute(args);
    }

    /**
     * A setting the service or harness refuses (limits larger than the heap, say) reaches here as an
     * {@link IllegalArgumentException}: its message says what and why, so it is printed as a usage error, without
     * the trace; anything else keeps picocli's report.
     */
    private static int usageError(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult) throws Exception
    {
        if (ex instanceof IllegalArgumentException)
        {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            return 2;
        }
        throw ex;
    }
}
