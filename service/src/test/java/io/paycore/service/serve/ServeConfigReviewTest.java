package io.paycore.service.serve;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve --config} and {@code --print-config} against the README: a printed config reads back as the same
 * options, a file that cannot be read as options is one usage error (exit status 2), and the command line wins over
 * the file, the file over a system property, a system property over the option's own default.
 * Nothing here starts a service: every run prints its config or is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeConfigReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    static Stream<Arguments> everyOption()
    {
        return Stream.of(
            Arguments.of("--data", "a data dir", "data=" + "a data dir"),
            Arguments.of("--data", "dätä-dir", "data=dätä-dir"),
            Arguments.of("--data", "back\\slash", "data=back\\\\slash"),
            Arguments.of("--flush", "every", "flush=every"),
            Arguments.of("--segment-length", "128k", "segment-length=128k"),
            Arguments.of("--profile", "dedicated", "profile=dedicated"),
            Arguments.of("--cpus", "ingress=1,journaler=2+3,driver=4", "cpus=ingress=1,journaler=2+3,driver=4"),
            Arguments.of("--idle-strategy", "yielding", "idle-strategy=yielding"),
            Arguments.of("--wait-strategy", "busy-spin", "idle-strategy=busy-spin"),
            Arguments.of("--layout", "combined", "layout=combined"),
            Arguments.of("--input-ring-size", "2048", "input-ring-size=2048"),
            Arguments.of("--output-ring-size", "4096", "output-ring-size=4096"),
            Arguments.of("--max-stage-batch", "64", "max-stage-batch=64"),
            Arguments.of("--max-accounts", "2048", "max-accounts=2048"),
            Arguments.of("--hot-transfers", "65536", "hot-transfers=65536"),
            Arguments.of("--max-transfers", "32768", "hot-transfers=32768"),
            Arguments.of("--max-pending", "512", "max-pending=512"),
            Arguments.of("--max-batch", "100", "max-batch=100"),
            Arguments.of("--cold-tier-size", "2g", "cold-tier-size=2g"),
            Arguments.of("--snapshot-every", "5000", "snapshot-every=5000"),
            Arguments.of("--snapshot-thread", "blp", "snapshot-thread=blp"),
            Arguments.of("--snapshots-kept", "3", "snapshots-kept=3"),
            Arguments.of("--snapshot-rate", "1m", "snapshot-rate=1m"),
            Arguments.of("--snapshot-on-shutdown", "false", "snapshot-on-shutdown=false"),
            Arguments.of("--channel", "aeron:udp?endpoint=localhost:40123|mtu=8k|term-length=64k",
                "channel=aeron:udp?endpoint=localhost:40123|mtu=8k|term-length=64k"),
            Arguments.of("--stream", "99", "stream=99"),
            Arguments.of("--aeron-dir", "an aeron dir", "aeron-dir=an aeron dir"),
            Arguments.of("--clients", "the clients", "clients=the clients"),
            Arguments.of("--max-clients", "9", "max-clients=9"),
            Arguments.of("--egress-timeout", "500ms", "egress-timeout=500ms"),
            Arguments.of("--egress-backlog", "4m", "egress-backlog=4m"),
            Arguments.of("--tick-interval", "1s", "tick-interval=1s"),
            Arguments.of("--error-log-length", "64k", "error-log-length=64k"),
            Arguments.of("--warmup", "1000", "warmup=1000"));
    }

    /**
     * Each option {@code serve --help} lists, given a value that is not its default, is printed as given, and the
     * printed config, read back with {@code --config}, prints the same text again.
     */
    @ParameterizedTest
    @MethodSource("everyOption")
    void shouldPrintEachOptionAsGivenAndReadItBack(final String option, final String value, final String line)
        throws Exception
    {
        final String given = value.contains("dir") || value.contains("slash") || value.contains("clients") ?
            temp.resolve(value).toString() : value;
        final String expected = line.replace(value.replace("\\", "\\\\"), given.replace("\\", "\\\\"));
        final List<String> args = new ArrayList<>(List.of("serve", option, given, "--print-config"));
        if (!"--data".equals(option))
        {
            args.addAll(List.of("--data", temp.resolve("data").toString()));
        }
        assertEquals(0, PaycoreMain.execute(args.toArray(new String[0])), console.err());
        final String first = console.out();
        assertTrue(first.contains(System.lineSeparator() + expected + System.lineSeparator()), first);

        final Path config = temp.resolve("printed.properties");
        Files.writeString(config, first);
        console.reset();
        assertEquals(0, PaycoreMain.execute("serve", "--config", config.toString(), "--print-config"), console.err());
        assertEquals(first, console.out());
    }

    /**
     * The file's values are the ones the service gets, as {@code serve --config} reads them (the file is the
     * default provider of a fresh command), here read back from the {@link ServiceContext} it would start with.
     */
    @Test
    void shouldHandTheFilesValuesToTheService() throws Exception
    {
        final Path config = temp.resolve("effective.properties");
        Files.writeString(config, "data=" + temp.resolve("a data dir") + "\nsnapshot-thread=blp\n" +
            "segment-length=256k\ncold-tier-size=2g\nsnapshot-rate=1m\nsnapshot-on-shutdown=false\n" +
            "egress-timeout=500ms\ntick-interval=1s\nerror-log-length=64k\negress-backlog=4m\n" +
            "channel=aeron:udp?endpoint=localhost:40123|mtu=8k\nstream=99\n");
        final java.util.Properties properties = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(config))
        {
            properties.load(in);
        }
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", temp.resolve("a data dir/clients").toString(),
            "--client-id", "1", "--secret", "a-secret-of-16-chars"));
        final ServeCommand command = new ServeCommand();
        new picocli.CommandLine(command)
            .setDefaultValueProvider(new picocli.CommandLine.PropertiesDefaultProvider(properties))
            .parseArgs();
        final ServiceContext context = command.serviceContext(System.out, System.err);

        assertEquals(temp.resolve("a data dir"), context.dataDirectory().root());
        assertFalse(context.snapshotsOffBlp());
        assertEquals(256 * 1024, context.journalContext().segmentLength());
        assertEquals(2L << 30, context.coldTierSizeBytes());
        assertEquals(1 << 20, context.snapshotWriteRate());
        assertFalse(context.snapshotOnShutdown());
        assertEquals(64 * 1024, context.errorLogLengthBytes());
        assertEquals(500_000_000L, context.transportContext().egressBackPressureTimeoutNanos());
        assertEquals(1_000_000_000L, context.transportContext().tickIntervalNanos());
        assertEquals(4 << 20, context.transportContext().egressBacklogLength());
        assertEquals("aeron:udp?endpoint=localhost:40123|mtu=8k", context.transportContext().ingressChannel());
        assertEquals(99, context.transportContext().ingressStreamId());
    }

    @Test
    void shouldListEveryOptionOfHelpInTheRoundTrip()
    {
        assertEquals(0, PaycoreMain.execute("serve", "--help"));
        final String help = console.out();
        final List<String> covered = everyOption().map((arguments) -> (String)arguments.get()[0]).toList();
        final java.util.regex.Matcher words = java.util.regex.Pattern.compile("--[a-z][a-z-]*").matcher(help);
        int listed = 0;
        while (words.find())
        {
            final String word = words.group();
            if (!List.of("--config", "--print-config", "--help", "--version").contains(word))
            {
                assertTrue(covered.contains(word), word + " is in serve --help but not in the round trip");
                listed++;
            }
        }
        assertTrue(listed >= 30, help);
    }

    /**
     * A key given twice in a file: {@link java.util.Properties} keeps the last without a word, so the operator who
     * edited one of two {@code flush=} lines gets the other.
     */
    @Test
    void shouldRefuseAKeyGivenTwice() throws Exception
    {
        final String message = refused("twice.properties", "data=" + temp + "\nflush=every\nsnapshot-every=5\n" +
            "flush = none\n");
        assertTrue(message.contains("flush"), message);
        assertTrue(message.contains("twice.properties"), message);
    }

    @Test
    void shouldRefuseAnUnknownAndAMisspeltKey() throws Exception
    {
        assertTrue(refused("unknown.properties", "data=" + temp + "\nfrobnicate=1\n").contains("frobnicate"));
        console.reset();
        assertTrue(refused("misspelt.properties", "data=" + temp + "\nflsuh=every\n").contains("flsuh"));
        console.reset();
        assertTrue(refused("dashes.properties", "data=" + temp + "\n--flush=every\n").contains("--flush"));
    }

    /**
     * A value in the file that does not parse is a usage error that names the file and the key, on one line: not
     * picocli's whole usage help after a message about an option the command line never gave.
     */
    @Test
    void shouldRefuseAValueThatDoesNotParseOnOneLine() throws Exception
    {
        final String[][] cases = {
            { "stream", "abc" },
            { "segment-length", "12q" },
            { "egress-timeout", "fast" },
            { "snapshot-on-shutdown", "yes" },
            { "flush", "sometimes" },
            { "snapshot-every", "" },
        };
        for (final String[] entry : cases)
        {
            console.reset();
            final String message = refused(entry[0] + ".properties",
                "data=" + temp + "\n" + entry[0] + "=" + entry[1] + "\n");
            assertTrue(message.contains(entry[0] + ".properties"), message);
            assertTrue(message.contains(entry[0]), message);
        }
    }

    @Test
    void shouldRefuseAFileThatIsMissingOrUnreadable() throws Exception
    {
        console.reset();
        assertEquals(2, PaycoreMain.execute("serve", "--config", temp.resolve("missing.properties").toString(),
            "--print-config"));
        oneLine(console.err());
        assertTrue(console.err().contains("missing.properties"), console.err());

        console.reset();
        assertEquals(2, PaycoreMain.execute("serve", "--config", temp.toString(), "--print-config"));
        oneLine(console.err());

        final Path latin = temp.resolve("bad-utf8.properties");
        Files.write(latin, ("data=" + temp + "/d\u00e4ta\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        console.reset();
        final int status = PaycoreMain.execute("serve", "--config", latin.toString(), "--print-config");
        assertTrue(2 == status || console.out().contains("data=" + temp + "/d\u00e4ta"),
            status + " " + console.out() + console.err());
    }

    @Test
    void shouldRefuseAKeyOfAnOptionThatTakesNoValue() throws Exception
    {
        for (final String key : new String[]{ "print-config=true", "help=true", "version=", "config=other" })
        {
            console.reset();
            assertTrue(refused("novalue.properties", "data=" + temp + "\n" + key + "\n").contains(key.split("=")[0]));
        }
    }

    /**
     * README: the command line wins over the file; a system property is the default of its option, so the file,
     * which gives the option, wins over it; the property wins over the option's own default.
     */
    @Test
    void shouldTakeTheCommandLineOverTheFileOverASystemPropertyOverTheDefault() throws Exception
    {
        final Path config = temp.resolve("precedence.properties");
        Files.writeString(config, "data=" + temp + "\nmax-accounts=3000\nmax-pending=700\n" +
            "snapshot-thread=snapshotter\n");
        final String accounts = System.getProperty(LedgerLimits.MAX_ACCOUNTS_PROP_NAME);
        final String pending = System.getProperty(LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME);
        final String batch = System.getProperty(LedgerLimits.MAX_BATCH_EVENTS_PROP_NAME);
        final String offBlp = System.getProperty(ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME);
        System.setProperty(LedgerLimits.MAX_ACCOUNTS_PROP_NAME, "4000");
        System.setProperty(LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME, "800");
        System.setProperty(LedgerLimits.MAX_BATCH_EVENTS_PROP_NAME, "50");
        System.setProperty(ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME, "false");
        try
        {
            assertEquals(0, PaycoreMain.execute("serve", "--config", config.toString(), "--max-accounts", "5000",
                "--print-config"), console.err());
        }
        finally
        {
            restore(LedgerLimits.MAX_ACCOUNTS_PROP_NAME, accounts);
            restore(LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME, pending);
            restore(LedgerLimits.MAX_BATCH_EVENTS_PROP_NAME, batch);
            restore(ServiceContext.SNAPSHOTS_OFF_BLP_PROP_NAME, offBlp);
        }
        final String printed = console.out();
        assertTrue(printed.contains("\nmax-accounts=5000\n".replace("\n", System.lineSeparator())), printed);
        assertTrue(printed.contains("\nmax-pending=700\n".replace("\n", System.lineSeparator())), printed);
        assertTrue(printed.contains("\nsnapshot-thread=snapshotter\n".replace("\n", System.lineSeparator())), printed);
        assertTrue(printed.contains("\nmax-batch=50\n".replace("\n", System.lineSeparator())), printed);
        assertTrue(printed.contains("\nhot-transfers=" + LedgerLimits.MAX_TRANSFERS_DEFAULT + "\n"
            .replace("\n", System.lineSeparator())), printed);
    }

    private static void restore(final String name, final String value)
    {
        if (null == value)
        {
            System.clearProperty(name);
        }
        else
        {
            System.setProperty(name, value);
        }
    }

    private String refused(final String fileName, final String properties) throws Exception
    {
        final Path config = temp.resolve(fileName);
        Files.writeString(config, properties);
        final int status = PaycoreMain.execute("serve", "--config", config.toString(), "--print-config");
        assertEquals(ServeCommand.EXIT_USAGE, status, properties + ": " + console.out() + console.err());
        assertFalse(console.out().contains("# paycore serve: effective options"), console.out());
        return oneLine(console.err());
    }

    private static String oneLine(final String err)
    {
        assertFalse(err.contains("\tat "), "a stack trace: " + err);
        assertEquals(1, err.strip().lines().count(), "not one line: " + err);
        assertTrue(err.startsWith("paycore serve: "), err);
        return err;
    }
}
