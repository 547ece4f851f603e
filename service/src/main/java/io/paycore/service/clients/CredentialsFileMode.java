package io.paycore.service.clients;

import io.paycore.transport.ClientCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who besides its owner may read or write a credentials file: {@code paycore clients add} warns about any such
 * access, {@code paycore serve} refuses a file others may write (anyone who can write it can add a client).
 * On a file system without POSIX permissions nothing is reported.
 */
public final class CredentialsFileMode
{
    /**
     * The mode a credentials file should have: read and write by its owner only (0600).
     */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private CredentialsFileMode()
    {
    }

    /**
     * Check that a service may take its clients from a file: it exists, and only its owner may write it.
     *
     * @param clientsFile the credentials file.
     * @throws IllegalArgumentException saying what is wrong and how to put it right.
     */
    public static void checkUsable(final Path clientsFile)
    {
        if (!Files.isRegularFile(clientsFile))
        {
            throw new IllegalArgumentException("no credentials file " + clientsFile + " (--clients FILE): add a " +
                "client with 'paycore clients add --file " + clientsFile + " --client-id N --generate'");
        }
        if (isWritableByOthers(clientsFile))
        {
            throw new IllegalArgumentException("credentials file " + clientsFile + " is writable by users other " +
                "than its owner (" + modeText(clientsFile) + "): anyone who can write it can add a client; " +
                "chmod 600 " + clientsFile);
        }
    }

    /**
     * Read a credentials file a server is to let clients in by, after {@link #checkUsable(Path)}.
     *
     * @param clientsFile the credentials file.
     * @return the clients it lists.
     * @throws IllegalArgumentException naming the file and what is wrong with it (missing, writable by others,
     *                                  malformed).
     * @throws java.io.UncheckedIOException if it cannot be read.
     */
    public static ClientCredentials loadUsable(final Path clientsFile)
    {
        checkUsable(clientsFile);
        return ClientCredentials.load(clientsFile);
    }

    /**
     * @param file an existing credentials file.
     * @return its permissions beyond {@link #OWNER_ONLY} (group and others, and owner execute); empty when none, or
     * when the file system has no POSIX permissions.
     * @throws UncheckedIOException if the permissions cannot be read.
     */
    public static Set<PosixFilePermission> beyondOwner(final Path file)
    {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
        {
            return EnumSet.noneOf(PosixFilePermission.class);
        }
        try
        {
            final Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            permissions.addAll(Files.getPosixFilePermissions(file));
            permissions.removeAll(OWNER_ONLY);
            return permissions;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the permissions of " + file + ": " + ex, ex);
        }
    }

    /**
     * @param file an existing credentials file.
     * @return true if its group or others may write it.
     * @throws UncheckedIOException if the permissions cannot be read.
     */
    public static boolean isWritableByOthers(final Path file)
    {
        final Set<PosixFilePermission> beyond = beyondOwner(file);
        return beyond.contains(PosixFilePermission.GROUP_WRITE) || beyond.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * @param file an existing credentials file.
     * @return its mode as {@code rwxrwxrwx} text, for messages.
     * @throws UncheckedIOException if the permissions cannot be read.
     */
    public static String modeText(final Path file)
    {
        try
        {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "mode unknown";
        }
    }
}
