package io.paycore.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system command for a test (mount, umount): what the tests that fill small file systems need.
 */
public final class Commands
{
    private Commands()
    {
    }

    /**
     * @param timeoutSeconds how long it may take.
     * @param command        the command and its arguments.
     * @return null if it exits 0; else its exit status and output, "timed out", or why it could not start.
     * @throws Exception if interrupted.
     */
    public static String run(final long timeoutSeconds, final String... command) throws Exception
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return "timed out";
        }
        return 0 == process.exitValue() ? null : "exit " + process.exitValue() + ": " + output.trim();
    }
}
