package io.paycore.service.cluster;

import io.paycore.service.PaycoreMain;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code paycore} command run in this process with what it prints captured, errors too, so that an assertion's
 * message says why a command failed.
 */
record CapturedRun(int status, String text)
{
    static CapturedRun of(final String... args)
    {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8))
        {
            System.setOut(out);
            System.setErr(out);
            status = PaycoreMain.execute(args);
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new CapturedRun(status, printed.toString(StandardCharsets.UTF_8));
    }
}
