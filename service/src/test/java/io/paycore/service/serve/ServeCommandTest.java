package io.paycore.service.serve;

import io.paycore.core.command.RecordTypes;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.DataDirectoryLock;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.service.demo.DemoWorkload;
import io.paycore.transport.ClientCredentials;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeCommandTest
{
    private static final int SEGMENT_HEADER_LENGTH = 64;
    private static final int RECORD_HEADER_LENGTH = 32;

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void shouldListEveryOptionWithItsDefaultInHelp()
    {
        assertEquals(0, PaycoreMain.execute("serve", "--help"));
        final String help = console.out().replaceAll("\\s+", " ");

        final CommandLine serve = new CommandLine(new ServeCommand());
        int checked = 0;
        for (final OptionSpec option : serve.getCommandSpec().options())
        {
            if (option.usageHelp() || option.versionHelp())
            {
                continue;
            }
            final String name = option.longestName();
            assertTrue(help.contains(name), name + " missing from help: " + help);
            final String description = String.join(" ", option.description());
            assertTrue(description.toLowerCase(Locale.ROOT).contains("default"),
                name + " does not document its default: " + description);
            if (null != option.defaultValue())
            {
                assertTrue(help.replace(" ", "").contains(("(default: " + option.defaultValue() + ")").replace(" ", "")),
                    name + " default " + option.defaultValue() + " not shown in help: " + help);
            }
            checked++;
        }
        assertTrue(checked >= 25, "expected every serve option, checked " + checked);
        for (final String required : new String[]{ "--data", "--flush", "--profile", "--input-ring-size",
            "--output-ring-size", "--idle-strategy", "--max-accounts", "--hot-transfers", "--max-pending", "--cold-tier-size",
            "--max-batch", "--snapshot-every", "--snapshots-kept", "--channel", "--stream", "--aeron-dir", "--clients",
            "--max-clients", "--egress-timeout", "--tick-interval", "--config" })
        {
            assertTrue(help.contains(required), required + " missing from help");
        }
        assertTrue(help.contains("--flush=LEVEL Journal flush level"), help);
        assertTrue(help.contains("(default: batch)"), help);
    }

    @Test
    void shouldTakeOptionsFromAPropertiesFileWithTheCommandLineWinning() throws Exception
    {
        final Path config = temp.resolve("serve.properties");
        Files.writeString(config, String.join(System.lineSeparator(),
            "# options for a test",
            "data=" + temp.resolve("data"),
            "flush=every",
            "snapshot-every=5000",
            "max-accounts=2048",
            "channel=aeron:ipc",
            "stream=77",
            "tick-interval=250ms",
            "max-pending=512",
            ""));

        assertEquals(0, PaycoreMain.execute("serve", "--config", config.toString(), "--snapshot-every", "9",
            "--print-config"), console.err());
        final String printed = console.out();

        assertTrue(printed.contains("data=" + temp.resolve("data") + System.lineSeparator()), printed);
        assertTrue(printed.contains("flush=every" + System.lineSeparator()), printed);
        assertTrue(printed.contains("max-accounts=2048" + System.lineSeparator()), printed);
        assertTrue(printed.contains("channel=aeron:ipc" + System.lineSeparator()), printed);
        assertTrue(printed.contains("stream=77" + System.lineSeparator()), printed);
        assertTrue(printed.contains("tick-interval=250ms" + System.lineSeparator()), printed);
        assertTrue(printed.contains("snapshot-every=9" + System.lineSeparator()), "command line wins: " + printed);
        assertTrue(printed.contains("hot-transfers=4194304" + System.lineSeparator()), "default kept: " + printed);
        assertTrue(printed.contains("max-pending=512" + System.lineSeparator()), printed);
        assertTrue(printed.contains("cold-tier-size=256g" + System.lineSeparator()), "default kept: " + printed);
    }

    @Test
    void shouldReadAConfigKeyedByAnOptionsFormerName() throws Exception
    {
        final Path config = temp.resolve("old.properties");
        Files.writeString(config, "data=" + temp.resolve("data") + System.lineSeparator() +
            "max-transfers=65536" + System.lineSeparator());
        assertEquals(0, PaycoreMain.execute("serve", "--config", config.toString(), "--print-config"), console.err());
        assertTrue(console.out().contains("hot-transfers=65536" + System.lineSeparator()), console.out());
    }

    @Test
    void shouldPrintAConfigThatReadsBackAsTheSameOptions() throws Exception
    {
        assertEquals(0, PaycoreMain.execute("serve", "--data", temp.toString(), "--flush", "none",
            "--max-batch", "100", "--print-config"));
        final String first = console.out();
        final Path config = temp.resolve("printed.properties");
        Files.writeString(config, first);
        console.reset();

        assertEquals(0, PaycoreMain.execute("serve", "--config", config.toString(), "--print-config"), console.err());
        assertEquals(first, console.out());
    }

    @Test
    void shouldRejectAConfigKeyThatIsNotAnOption() throws Exception
    {
        final String message = refusedConfig("typo.properties", "data=" + temp + "\nsnapshot-evry=10\n");

        assertTrue(message.contains("snapshot-evry"), message);
        assertTrue(message.contains(temp.resolve("typo.properties").toString()), message);
    }

    @Test
    void shouldReadAnOlderPrintedConfigWithoutItsRetiredReplicationOptions() throws Exception
    {
        final Path config = temp.resolve("printed-before.properties");
        Files.writeString(config, String.join(System.lineSeparator(),
            "data=" + temp.resolve("data"),
            "# replicate-to=",
            "replication=async",
            "replication-control=aeron:udp?endpoint=localhost:40126",
            "replication-stream=1101",
            ""));

        assertEquals(0, PaycoreMain.execute("serve", "--config", config.toString(), "--print-config"), console.err());
        assertFalse(console.out().contains("replicat"), console.out());
        final String message = console.err();
        assertTrue(message.contains("ignoring [replication, replication-control, replication-stream]"), message);
    }

    @Test
    void shouldRefuseAConfigThatAsksToShipRecordsToAStandby() throws Exception
    {
        final String message = refusedConfig(
            "primary.properties", "data=" + temp + "\nreplicate-to=aeron:udp?endpoint=standby:40125\n");

        assertTrue(message.contains("replicate-to") && message.contains("paycore node"), message);
    }

    @Test
    void shouldRequireADataDirectory()
    {
        assertEquals(ServeCommand.EXIT_USAGE, PaycoreMain.execute("serve"));
        assertTrue(console.err().contains("--data"), console.err());
    }

    @Test
    void shouldRefuseToStartWithoutACredentialsFileSayingHowToMakeOne()
    {
        assertEquals(ServeCommand.EXIT_USAGE, PaycoreMain.execute("serve", "--data", temp.toString()));
        final String message = console.err();
        assertTrue(message.contains(temp.resolve(ServeCommand.CLIENTS_FILE_NAME).toString()), message);
        assertTrue(message.contains("paycore clients add"), message);
        assertFalse(Files.exists(temp.resolve("journal")), "nothing should be created without credentials");
    }

    @ParameterizedTest
    @CsvSource({ "--input-ring-size, 1000, input ring size", "--snapshot-rate, -1, --snapshot-rate" })
    void shouldRejectAnOutOfRangeSettingNamingIt(final String option, final String value, final String named)
        throws Exception
    {
        writeClients(new DataDirectory(temp));
        assertEquals(ServeCommand.EXIT_USAGE, PaycoreMain.execute("serve", "--data", temp.toString(), option, value));
        final String message = console.err();
        assertTrue(message.contains(named), message);
        assertFalse(Files.exists(temp.resolve("journal")), "nothing should be created for a bad setting");
    }

    @Test
    void shouldRefuseMoreEventsPerMessageThanTheProtocolCarriesBeforeTouchingTheDisk() throws Exception
    {
        writeClients(new DataDirectory(temp));

        assertEquals(ServeCommand.EXIT_USAGE,
            PaycoreMain.execute("serve", "--data", temp.toString(), "--max-batch", "1025"));

        final String message = console.err();
        assertTrue(message.contains("paycore serve: events per message (paycore.ledger.max.batch.events, " +
            "--max-batch) must be in 1..1024, the protocol's most: 1025"), message);
        assertFalse(Files.exists(temp.resolve("paycore-mark.dat")), "nothing should be created for a bad setting");
    }

    @Test
    void shouldRefuseASegmentTooShortForTheLargestMessageBeforeTouchingTheDisk() throws Exception
    {
        writeClients(new DataDirectory(temp));

        // 64k is within the segment length's bounds, but the largest message of 1,024 events is 128 KiB.
        assertEquals(ServeCommand.EXIT_USAGE,
            PaycoreMain.execute("serve", "--data", temp.toString(), "--segment-length", "64k"));

        final String message = console.err();
        assertTrue(message.contains("a journal segment of 65,536 bytes (--segment-length, " +
            "paycore.journal.segment.length) cannot hold the largest message of 1,024 events (--max-batch)"), message);
        assertTrue(message.contains("use --segment-length 132k or more, or a smaller --max-batch"), message);
        assertFalse(message.contains("damaged"), message);
        assertFalse(Files.exists(temp.resolve("paycore-mark.dat")), "nothing should be created for a bad setting");
        assertFalse(Files.exists(temp.resolve("cold")), "nothing should be created for a bad setting");
    }

    @Test
    void shouldRefuseTheDedicatedProfileOnTooFewCoresBeforeTouchingTheDisk() throws Exception
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        org.junit.jupiter.api.Assumptions.assumeTrue(cores < 6, "this machine has enough cores for dedicated");
        writeClients(new DataDirectory(temp));

        assertEquals(ServeCommand.EXIT_USAGE,
            PaycoreMain.execute("serve", "--data", temp.toString(), "--profile", "dedicated"));

        final String message = console.err();
        assertTrue(message.contains("needs at least 6 cores"), message);
        assertTrue(message.contains("has " + cores), message);
        assertFalse(Files.exists(temp.resolve("journal")));
    }

    @Test
    void shouldRefuseToStartOnACorruptJournalNamingFileOffsetAndSequence() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeClients(data);
        writeJournal(data, 40);
        final Path first;
        try (var files = Files.list(data.journalDirectory()))
        {
            first = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        flipByte(first, SEGMENT_HEADER_LENGTH + RECORD_HEADER_LENGTH + 9);
        final byte[] before = Files.readAllBytes(first);

        final int status = PaycoreMain.execute("serve", "--data", data.root().toString(),
            "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096");

        final String message = console.err();
        assertEquals(ServeCommand.EXIT_DAMAGED_JOURNAL, status, message);
        assertTrue(message.contains("refusing to start"), message);
        assertTrue(message.contains("file=" + first), message);
        assertTrue(message.contains("offset=" + SEGMENT_HEADER_LENGTH), message);
        assertTrue(message.contains("sequence=1"), message);
        assertFalse(console.out().contains(PaycoreService.READY_PREFIX));
        assertArrayEquals(before, Files.readAllBytes(first), "a refused journal must be left as it was");
        DataDirectoryLock.acquire(data).close();
    }

    @Test
    void shouldRefuseADataDirectoryInUse() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeClients(data);
        try (DataDirectoryLock ignored = DataDirectoryLock.acquire(data))
        {
            assertEquals(ServeCommand.EXIT_START_FAILED, PaycoreMain.execute("serve", "--data", data.root().toString(),
                "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096"));
        }
        final String message = console.err();
        assertTrue(message.contains(data.markFile().toString()), message);
    }

    @Test
    void shouldSayWhyADataDirectoryCannotBeMade() throws Exception
    {
        final DataDirectory clientsHome = new DataDirectory(temp.resolve("clients-home"));
        writeClients(clientsHome);
        final Path notADirectory = Files.writeString(temp.resolve("a-file"), "not a directory");

        assertEquals(ServeCommand.EXIT_START_FAILED, PaycoreMain.execute("serve",
            "--data", notADirectory.resolve("data").toString(),
            "--clients", clientsHome.root().resolve(ServeCommand.CLIENTS_FILE_NAME).toString(),
            "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096"));

        final String message = console.err().trim();
        assertTrue(message.startsWith("paycore serve: cannot start: cannot create or lock data directory " +
            notADirectory.resolve("data") + " ("), message);
        assertTrue(message.contains(notADirectory.toString()), message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void shouldRefuseACredentialsFileOthersMayWrite() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        writeClients(data);
        final Path clients = data.root().resolve(ServeCommand.CLIENTS_FILE_NAME);
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertEquals(ServeCommand.EXIT_USAGE, PaycoreMain.execute("serve", "--data", data.root().toString(),
            "--max-accounts", "1024", "--max-transfers", "65536", "--max-pending", "4096"));

        final String message = console.err();
        assertTrue(message.contains("credentials file " + clients + " is writable by users other than its owner " +
            "(rw-rw-rw-)"), message);
        assertTrue(message.contains("chmod 600 " + clients), message);
        assertFalse(console.out().contains(PaycoreService.READY_PREFIX));
        assertFalse(Files.exists(data.journalDirectory()), "nothing is started with such a file");
    }

    static void writeClients(final DataDirectory data) throws Exception
    {
        Files.createDirectories(data.root());
        Files.writeString(data.root().resolve(ServeCommand.CLIENTS_FILE_NAME),
            ClientCredentials.line(1, "secret-1", 1) + System.lineSeparator());
    }

    static void writeJournal(final DataDirectory data, final int transfers)
    {
        final DemoWorkload workload = new DemoWorkload(10, transfers, 4, 1);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        long timestamp = 1;
        try (Journal journal = Journal.open(new JournalContext().directory(data.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE)))
        {
            while (workload.hasMoreAccounts())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeAccounts(message, 0));
            }
            while (workload.hasMoreTransfers())
            {
                journal.append(RecordTypes.MESSAGE, timestamp++, message, 0, workload.encodeTransfers(message, 0));
            }
        }
    }

    static void flipByte(final Path file, final long offset) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x20);
        }
    }

    /**
     * Run serve with a config file that it must refuse as a usage error.
     *
     * @return what it printed on stderr.
     */
    private String refusedConfig(final String fileName, final String properties) throws Exception
    {
        final Path config = temp.resolve(fileName);
        Files.writeString(config, properties);

        assertEquals(ServeCommand.EXIT_USAGE, PaycoreMain.execute("serve", "--config", config.toString()));
        return console.err();
    }

    @SuppressWarnings("unused")
    private static String lines(final String... lines)
    {
        return String.join(System.lineSeparator(), Arrays.asList(lines));
    }
}
