package io.paycore.service.clients;

import io.paycore.transport.ClientCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * {@code paycore clients add --file F --client-id N --secret S}: append a client to a credentials file, its secret
 * stored only as a salted PBKDF2 hash ({@link ClientCredentials#line(long, String, int)}).
 * <p>
 * A new file is created readable and writable by its owner only (0600). An existing file must parse and must not
 * list the client already; a file readable by others draws a warning. Without {@code --secret} the secret is read
 * from the console (not echoed) or, when there is none, from the first line of standard input, so it need not
 * appear in the process list or shell history. A secret given must have at least {@link #MIN_SECRET_LENGTH}
 * characters; {@code --generate} makes one of {@link #GENERATED_SECRET_LENGTH} from {@link SecureRandom} and prints
 * it once, the only place it is ever shown.
 */
@Command(
    name = "add",
    header = "Append a client with a hashed secret to a credentials file.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Append a client, with its secret hashed (PBKDF2-HMAC-SHA256, random salt), to a credentials " +
        "file; the file is created 0600 if missing.")
public final class ClientsAddCommand implements Callable<Integer>
{
    /** Exit status when the client was added. */
    public static final int EXIT_OK = 0;
    /** Exit status when the client could not be added (bad argument, file error, client listed already). */
    public static final int EXIT_FAILED = 1;

    /**
     * Fewest characters of a secret given to {@code clients add}: a short secret is one a client's attacker can
     * guess, however many PBKDF2 rounds guard the file. Files made otherwise (by hand, or before this limit) still
     * load and verify.
     */
    public static final int MIN_SECRET_LENGTH = 16;

    /**
     * Characters of a secret made by {@code --generate}: 24 random bytes in URL-safe base64 (192 bits).
     */
    public static final int GENERATED_SECRET_LENGTH = 32;

    private static final int GENERATED_SECRET_BYTES = 24;

    private static final Object IN_PROCESS_LOCK = new Object();

    @Option(names = "--file", paramLabel = "FILE", required = true,
        description = "Credentials file to append to; created 0600 if missing (no default).")
    private Path file;

    @Option(names = "--client-id", paramLabel = "N", required = true,
        description = "Client id, a positive integer, not yet in the file (no default).")
    private long clientId;

    @Option(names = "--secret", paramLabel = "S",
        description = "The client's secret, printable ASCII, " + MIN_SECRET_LENGTH + " to 1024 characters; " +
            "other users can read it in the process list (default: read from the console, or the first line of " +
            "standard input).")
    private String secret;

    @Option(names = "--generate",
        description = "Make a random secret of " + GENERATED_SECRET_LENGTH + " characters and print it once, " +
            "for the client to use; not with --secret.")
    private boolean generate;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + ClientCredentials.DEFAULT_ITERATIONS,
        description = "PBKDF2 rounds: each Connect costs the most of any line in the file (default: " +
            "${DEFAULT-VALUE}).")
    private int iterations;

    /**
     * Append the client.
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        try
        {
            if (clientId <= 0)
            {
                throw new IllegalArgumentException("client id must be positive: " + clientId);
            }
            if (generate && null != secret)
            {
                throw new IllegalArgumentException("give --secret or --generate, not both");
            }
            if (null != secret)
            {
                err.println("paycore clients add: note: a secret given with --secret is in the process list, where " +
                    "other users can read it, and in your shell's history; leave --secret out to type it (not " +
                    "echoed) or to pipe it on standard input");
            }
            final String theSecret = generate ? generateSecret() : checkLength(null != secret ? secret : readSecret());
            final String line = ClientCredentials.line(clientId, theSecret, iterations);
            append(line, err);
            out.println("added client " + clientId + " to " + file);
            if (generate)
            {
                out.println("secret: " + theSecret);
                out.println("(shown only now: the file keeps its hash; give it to client " + clientId + ")");
            }
            return EXIT_OK;
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            err.println("paycore clients add: " + ex.getMessage());
            return EXIT_FAILED;
        }
        catch (final IOException ex)
        {
            err.println("paycore clients add: cannot write " + file + ": " + ex);
            return EXIT_FAILED;
        }
    }

    private void append(final String line, final PrintStream err) throws IOException
    {
        final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        final boolean existed = Files.exists(file);
        if (!existed)
        {
            final Path parent = file.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            try
            {
                if (posix)
                {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(CredentialsFileMode.OWNER_ONLY));
                }
                else
                {
                    Files.createFile(file);
                }
            }
            catch (final FileAlreadyExistsException ex)
            {
                // Another operator's add made it meanwhile: append to it as to any existing file.
            }
        }

        // Check and append under the file's OS lock, so that two operators adding at once cannot both find a client
        // missing and both append it (a file listing a client twice no longer loads, and serve refuses it). An OS
        // lock belongs to the whole JVM, so adds in one process take turns on a monitor as well.
        synchronized (IN_PROCESS_LOCK)
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock())
            {
                final long size = channel.size();
                final byte[] bytes = new byte[(int)Math.min(size, Integer.MAX_VALUE)];
                final ByteBuffer contents = ByteBuffer.wrap(bytes);
                while (contents.hasRemaining() && channel.read(contents, contents.position()) >= 0)
                {
                    // Reading the whole file.
                }
                final ClientCredentials existing = ClientCredentials.parse(
                    decode(ByteBuffer.wrap(bytes, 0, contents.position())).lines().toList(), file.toString());
                if (existing.contains(clientId))
                {
                    throw new IllegalArgumentException("client " + clientId + " is already in " + file +
                        "; remove its line first to change its secret");
                }
                if (existed && !CredentialsFileMode.beyondOwner(file).isEmpty())
                {
                    err.println("paycore clients add: warning: " + file + " is readable or writable by others (" +
                        CredentialsFileMode.modeText(file) + "); chmod 600 it");
                }

                final String prefix = size > 0 && '\n' != bytes[bytes.length - 1] ? System.lineSeparator() : "";
                final ByteBuffer appended = ByteBuffer.wrap(
                    (prefix + line + System.lineSeparator()).getBytes(StandardCharsets.US_ASCII));
                try
                {
                    while (appended.hasRemaining())
                    {
                        channel.write(appended, size + appended.position());
                    }
                    channel.force(true);
                }
                catch (final IOException ex)
                {
                    // A full disk, say: take back whatever part of the line was written, so that the file still
                    // loads as it did.
                    channel.truncate(size);
                    channel.force(true);
                    throw ex;
                }
            }
        }
    }

    private String decode(final ByteBuffer bytes)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new UncheckedIOException("cannot read the credentials file " + file + ": " + ex, ex);
        }
    }

    /**
     * @return a secret of {@link #GENERATED_SECRET_LENGTH} characters from {@link SecureRandom}, in URL-safe base64
     * (letters, digits, '-' and '_'), so it needs no quoting in a shell.
     */
    static String generateSecret()
    {
        final byte[] bytes = new byte[GENERATED_SECRET_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String checkLength(final String secret)
    {
        if (secret.length() < MIN_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("secret must have at least " + MIN_SECRET_LENGTH + " characters, " +
                "has " + secret.length() + " (or use --generate for a random one)");
        }
        return secret;
    }

    private static String readSecret() throws IOException
    {
        final Console console = System.console();
        if (null != console)
        {
            final char[] chars = console.readPassword("secret: ");
            if (null == chars)
            {
                throw new IllegalArgumentException("no secret given");
            }
            return new String(chars);
        }

        final BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        final String line = reader.readLine();
        if (null == line)
        {
            throw new IllegalArgumentException("no secret given: use --secret S or write it to standard input");
        }
        return line;
    }
}
