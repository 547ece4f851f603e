package io.paycore.service.inspect;

import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the inspecting commands share: opening the mark file read-only and saying whose it is.
 */
final class InspectText
{
    private InspectText()
    {
    }

    /**
     * Open a data directory's mark file read-only and print whose it is, or say why not.
     *
     * @param command name of the command, for messages.
     * @param data    the data directory given.
     * @param out     where the owner line goes.
     * @param err     where a failure is said.
     * @return the mark file, or null after saying on {@code err} that there is no data directory or no readable
     * mark file.
     */
    static PaycoreMarkFile openMarkFile(
        final String command, final Path data, final PrintStream out, final PrintStream err)
    {
        final DataDirectory directory = new DataDirectory(data);
        if (!Files.isDirectory(directory.root()))
        {
            err.println("paycore " + command + ": no data directory " + directory.root());
            return null;
        }
        try
        {
            final PaycoreMarkFile markFile = PaycoreMarkFile.openReadOnly(directory.markFile());
            out.println(markFile.describeOwner(PaycoreMarkFile.isOwned(markFile.file())));
            return markFile;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("paycore " + command + ": " + ex.getMessage());
            return null;
        }
    }
}
