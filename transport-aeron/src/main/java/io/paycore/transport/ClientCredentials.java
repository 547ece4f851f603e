package io.paycore.transport;

import io.paycore.codec.sbe.ConnectStatus;
import org.agrona.collections.Long2ObjectHashMap;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The clients allowed to connect, with their secrets stored hashed (PBKDF2 with HMAC-SHA256), read from a
 * credentials file ({@code --clients FILE}). One client per line:
 * <pre>
 * # comment
 * clientId:base64(salt):iterations:base64(PBKDF2WithHmacSHA256(secret, salt, iterations, 256 bits))
 * </pre>
 * The client id is a positive decimal int64. Blank lines and lines starting with {@code #} are ignored. Make a line
 * with {@link #line(long, String)}.
 * <p>
 * {@link #verify(long, String)} derives a key from the secret presented: it costs {@link #DEFAULT_ITERATIONS}
 * rounds of HMAC for a line made with the default, a few tens of milliseconds. It is called on the ingress thread
 * for each {@code Connect}, never on the message path. Immutable once loaded, so safe on any thread.
 */
public final class ClientCredentials
{
    /**
     * PBKDF2 rounds of lines made by {@link #line(long, String)}.
     */
    public static final int DEFAULT_ITERATIONS = 100_000;

    /**
     * Fewest PBKDF2 rounds a line may name.
     */
    public static final int MIN_ITERATIONS = 1;

    /**
     * Most PBKDF2 rounds a line may name, so that a typo cannot make each {@code Connect} take minutes.
     */
    public static final int MAX_ITERATIONS = 10_000_000;

    /**
     * Length of the salt of lines made by {@link #line(long, String)}, in bytes.
     */
    public static final int SALT_LENGTH_BYTES = 16;

    /**
     * Fewest salt bytes a line may have.
     */
    public static final int MIN_SALT_LENGTH_BYTES = 8;

    /**
     * Length of the derived key, in bytes.
     */
    public static final int HASH_LENGTH_BYTES = 32;

    /**
     * Most clients one file may list.
     */
    public static final int MAX_CLIENTS = 1 << 16;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Long2ObjectHashMap<Entry> entries;
    private final Entry decoy;
    private final String source;

    private ClientCredentials(final Long2ObjectHashMap<Entry> entries, final String source)
    {
        this.entries = entries;
        this.source = source;
        final byte[] salt = new byte[SALT_LENGTH_BYTES];
        int iterations = MIN_ITERATIONS;
        for (final Entry entry : entries.values())
        {
            iterations = Math.max(iterations, entry.iterations);
        }
        decoy = new Entry(salt, iterations, new byte[HASH_LENGTH_BYTES]);
    }

    /**
     * Read a credentials file.
     *
     * @param file the credentials file.
     * @return the credentials it lists.
     * @throws IllegalArgumentException naming the file and line of the first malformed or duplicate entry.
     * @throws UncheckedIOException     if the file cannot be read.
     */
    public static ClientCredentials load(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the credentials file " + file + ": " + ex.getMessage(), ex);
        }

        return parse(lines, file.toString());
    }

    /**
     * Parse the lines of a credentials file.
     *
     * @param lines  the lines, as in a file.
     * @param source name of where they come from, for error messages.
     * @return the credentials they list.
     * @throws IllegalArgumentException naming the source and line of the first malformed or duplicate entry.
     */
    public static ClientCredentials parse(final List<String> lines, final String source)
    {
        final Long2ObjectHashMap<Entry> entries = new Long2ObjectHashMap<>();
        final Long2ObjectHashMap<Integer> lineOfClient = new Long2ObjectHashMap<>();
        int lineNumber = 0;
        for (final String rawLine : lines)
        {
            lineNumber++;
            final String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }

            final String where = source + " line " + lineNumber + ": ";
            final String[] fields = line.split(":", -1);
            if (fields.length != 4)
            {
                throw new IllegalArgumentException(where +
                    "expected clientId:base64(salt):iterations:base64(hash), found " + fields.length + " fields");
            }

            final long clientId = parseLong(where, "client id", fields[0]);
            if (clientId <= 0)
            {
                throw new IllegalArgumentException(where + "client id must be positive: " + clientId);
            }
            final byte[] salt = decode(where, "salt", fields[1]);
            if (salt.length < MIN_SALT_LENGTH_BYTES)
            {
                throw new IllegalArgumentException(where + "salt must have at least " + MIN_SALT_LENGTH_BYTES +
                    " bytes, has " + salt.length);
            }
            final long iterations = parseLong(where, "iterations", fields[2]);
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS)
            {
                throw new IllegalArgumentException(where + "iterations must be in " + MIN_ITERATIONS + ".." +
                    MAX_ITERATIONS + ": " + iterations);
            }
            final byte[] hash = decode(where, "hash", fields[3]);
            if (hash.length != HASH_LENGTH_BYTES)
            {
                throw new IllegalArgumentException(where + "hash must have " + HASH_LENGTH_BYTES + " bytes, has " +
                    hash.length);
            }
            final Integer previous = lineOfClient.get(clientId);
            if (null != previous)
            {
                throw new IllegalArgumentException(where + "client id " + clientId + " is already listed on line " +
                    previous);
            }
            if (entries.size() == MAX_CLIENTS)
            {
                throw new IllegalArgumentException(where + "more than " + MAX_CLIENTS + " clients");
            }
            lineOfClient.put(clientId, Integer.valueOf(lineNumber));
            entries.put(clientId, new Entry(salt, (int)iterations, hash));
        }

        return new ClientCredentials(entries, source);
    }

    /**
     * Make a credentials-file line for a client, with a fresh random salt and {@link #DEFAULT_ITERATIONS} rounds.
     *
     * @param clientId the client id, positive.
     * @param secret   the client's secret; at most {@link io.paycore.codec.ProtocolLimits#MAX_VAR_DATA_LENGTH}
     *                 ASCII characters so that it fits in {@code Connect}.
     * @return the line, without a line separator.
     */
    public static String line(final long clientId, final String secret)
    {
        return line(clientId, secret, DEFAULT_ITERATIONS);
    }

    /**
     * Make a credentials-file line for a client, with a fresh random salt.
     *
     * @param clientId   the client id, positive.
     * @param secret     the client's secret, ASCII.
     * @param iterations PBKDF2 rounds, in {@link #MIN_ITERATIONS}..{@link #MAX_ITERATIONS}.
     * @return the line, without a line separator.
     * @throws IllegalArgumentException if an argument is out of range.
     */
    public static String line(final long clientId, final String secret, final int iterations)
    {
        if (clientId <= 0)
        {
            throw new IllegalArgumentException("client id must be positive: " + clientId);
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS)
        {
            throw new IllegalArgumentException(
                "iterations must be in " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ": " + iterations);
        }
        checkSecret(secret);
        final byte[] salt = new byte[SALT_LENGTH_BYTES];
        RANDOM.nextBytes(salt);
        final Base64.Encoder encoder = Base64.getEncoder();

        return clientId + ":" + encoder.encodeToString(salt) + ":" + iterations + ":" +
            encoder.encodeToString(derive(secret, salt, iterations));
    }

    /**
     * Check a secret presented by a client. Takes as long for an unknown client as for a known one, and compares
     * in constant time: each check costs the rounds of the file's line with the most, whatever the line of the client
     * presented.
     *
     * @param clientId the client id presented.
     * @param secret   the secret presented.
     * @return {@link ConnectStatus#OK}, {@link ConnectStatus#UNKNOWN_CLIENT} or {@link ConnectStatus#BAD_CREDENTIAL}.
     */
    public ConnectStatus verify(final long clientId, final String secret)
    {
        final Entry entry = entries.get(clientId);
        final Entry checked = null != entry ? entry : decoy;
        final String presented = null == secret ? "" : secret;
        final byte[] derived = derive(presented, checked.salt, checked.iterations);
        final boolean equal = MessageDigest.isEqual(derived, checked.hash);
        if (checked.iterations < decoy.iterations)
        {
            // A line with fewer rounds than the file's most would be answered sooner than an unknown client (checked
            // against the decoy, with the most): make up the difference, so that the time does not tell it is listed.
            derive(presented, decoy.salt, decoy.iterations - checked.iterations);
        }
        if (null == entry)
        {
            return ConnectStatus.UNKNOWN_CLIENT;
        }

        return equal ? ConnectStatus.OK : ConnectStatus.BAD_CREDENTIAL;
    }

    /**
     * @param clientId a client id.
     * @return true if the credentials list it.
     */
    public boolean contains(final long clientId)
    {
        return entries.containsKey(clientId);
    }

    /**
     * @return the number of clients listed.
     */
    public int size()
    {
        return entries.size();
    }

    /**
     * @return where the credentials were read from.
     */
    public String source()
    {
        return source;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "ClientCredentials{source=" + source + ", clients=" + entries.size() + '}';
    }

    private static void checkSecret(final String secret)
    {
        if (null == secret || secret.isEmpty())
        {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (secret.length() > io.paycore.codec.ProtocolLimits.MAX_VAR_DATA_LENGTH)
        {
            throw new IllegalArgumentException("secret must be at most " +
                io.paycore.codec.ProtocolLimits.MAX_VAR_DATA_LENGTH + " characters: " + secret.length());
        }
        for (int i = 0; i < secret.length(); i++)
        {
            final char c = secret.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new IllegalArgumentException("secret must be printable ASCII: character " + i + " is not");
            }
        }
    }

    private static byte[] derive(final String secret, final byte[] salt, final int iterations)
    {
        final PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_LENGTH_BYTES * 8);
        try
        {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", ex);
        }
        finally
        {
            spec.clearPassword();
        }
    }

    private static long parseLong(final String where, final String name, final String text)
    {
        try
        {
            return Long.parseLong(text.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(where + name + " is not a decimal integer: '" + text + "'", ex);
        }
    }

    private static byte[] decode(final String where, final String name, final String text)
    {
        try
        {
            return Base64.getDecoder().decode(text.strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(where + name + " is not base64: " + ex.getMessage(), ex);
        }
    }

    private static final class Entry
    {
        final byte[] salt;
        final int iterations;
        final byte[] hash;

        Entry(final byte[] salt, final int iterations, final byte[] hash)
        {
            this.salt = salt;
            this.iterations = iterations;
            this.hash = hash;
        }
    }
}
