package io.paycore.service.inspect;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.paycore.replay.DataDirectory;
import io.paycore.service.PaycoreMain;
import io.paycore.service.PaycoreProcess;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServeCommand;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code serve} in a child JVM records a real error (its snapshot directory replaced by a file), is SIGKILLed, and
 * then {@code paycore errors} prints that error from the mark file, {@code paycore stat} and Aeron's own readers
 * read the counters and error log of the driver directory left behind, and the next start takes it all over.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PostMortemTest
{
    private static final long CLIENT_ID = 1;
    private static final String SECRET = "post-mortem-secret";

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private PaycoreProcess service;
    private PaycoreClient client;

    @BeforeEach
    void captureOutput()
    {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void after()
    {
        System.setOut(savedOut);
        System.setErr(savedErr);
        CloseHelper.quietCloseAll(client, service);
    }

    @Test
    void shouldLeaveTheErrorsAndTheDriversCountersReadableAfterSigkill() throws Exception
    {
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        Files.createDirectories(data.root());
        Files.writeString(data.root().resolve(ServeCommand.CLIENTS_FILE_NAME),
            ClientCredentials.line(CLIENT_ID, SECRET, 1) + System.lineSeparator());

        service = PaycoreProcess.start(temp.resolve("serve.out"), serveArgs(data));
        service.awaitReady(60_000);
        client = PaycoreClient.connect(new ClientContext()
            .aeronDirectoryName(service.ready("aeron-dir"))
            .clientId(CLIENT_ID)
            .secret(SECRET)
            .ingressChannel("aeron:ipc")
            .ingressStreamId(Integer.parseInt(service.ready("stream")))
            .responseChannel("aeron:ipc")
            .responseStreamId(2001)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(20)));
        assertTermBuffersAreWrittenOutInFull(data.aeronDirectory());

        // A real error: snapshots (taken at every tick) can no longer be written.
        if (Files.exists(data.snapshotDirectory()))
        {
            Files.move(data.snapshotDirectory(), temp.resolve("snapshots-moved"));
        }
        Files.createFile(data.snapshotDirectory());
        final String whileRunning = awaitErrors(data, "cannot create snapshot");
        assertTrue(whileRunning.contains(": running;"), whileRunning);
        assertTrue(run("stat", "--data", data.root().toString(), "--filter", "paycore: errors")
            .matches("(?s).*\\d+: +[1-9][\\d,]* - paycore: errors.*"), out.toString(StandardCharsets.UTF_8));

        CloseHelper.quietClose(client);
        client = null;
        service.kill();

        final String afterKill = run("errors", "--data", data.root().toString());
        assertTrue(afterKill.contains("not running (stopped or died)"), afterKill);
        assertTrue(afterKill.contains("cannot create snapshot"), afterKill);
        assertTrue(afterKill.matches("(?s).*\\d+ observation\\(s\\) from \\S+ to \\S+ for:.*"), afterKill);
        assertTrue(afterKill.contains("at io.paycore.replay.SnapshotTaker"), "a stack trace: " + afterKill);

        final String stat = run("stat", "--data", data.root().toString());
        assertTrue(stat.matches("(?s).*\\d+: +[1-9][\\d,]* - paycore: errors.*"), stat);
        assertTrue(stat.contains("paycore: ingress messages in"), stat);

        final long[] driverCounters = readWithAeron(data.aeronDirectory());
        assertTrue(driverCounters[0] > 0, "counters in the CnC left behind");
        assertTrue(driverCounters[1] >= 1, "the paycore errors counter in the CnC left behind");

        Files.delete(data.snapshotDirectory());
        service = PaycoreProcess.start(temp.resolve("serve-again.out"), serveArgs(data));
        service.awaitReady(60_000);
        final String restarted = run("errors", "--data", data.root().toString());
        assertTrue(restarted.contains(": running;"), restarted);
        assertTrue(restarted.contains("0 distinct error(s)"), "a new start begins a new log: " + restarted);
        final String savedLine = service.awaitLine("errors recorded by the previous run saved to ", 10_000);
        final String saved = Files.readString(Path.of(savedLine.substring(savedLine.lastIndexOf(' ') + 1)));
        assertTrue(saved.contains("not running (stopped or died)"), saved);
        assertTrue(saved.contains("cannot create snapshot"), "the killed run's errors are kept: " + saved);
        assertEquals(ServeCommand.EXIT_SIGTERM, service.terminate(30_000), service.output());
        assertTrue(service.output().contains(PaycoreService.FINAL_DIGEST_PREFIX), service.output());
        assertTrue(Files.exists(data.aeronDirectory().resolve(CncFileDescriptor.CNC_FILE)),
            "the driver directory is kept at a clean stop too");
    }

    @Test
    void shouldSayClearlyWhenTheDirectoryIsNotAPaycoreOne() throws Exception
    {
        final Path missing = temp.resolve("missing");
        assertEquals(ErrorsCommand.EXIT_FAILED, PaycoreMain.execute("errors", "--data", missing.toString()));
        assertEquals(StatCommand.EXIT_FAILED, PaycoreMain.execute("stat", "--data", missing.toString()));
        assertTrue(errText().contains("no data directory " + missing), errText());

        final Path empty = Files.createDirectories(temp.resolve("empty"));
        err.reset();
        assertEquals(ErrorsCommand.EXIT_FAILED, PaycoreMain.execute("errors", "--data", empty.toString()));
        assertTrue(errText().contains("no paycore mark file " + empty.resolve("paycore-mark.dat")), errText());
        err.reset();
        assertEquals(StatCommand.EXIT_FAILED, PaycoreMain.execute("stat", "--data", empty.toString()));
        assertTrue(errText().contains("not a paycore data directory"), errText());

        assertEquals(0, PaycoreMain.execute("errors", "--help"));
        assertEquals(0, PaycoreMain.execute("stat", "--help"));
        final String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--data=DIR") && help.contains("--filter=TEXT"), help);
    }

    private List<String> serveArgs(final DataDirectory data)
    {
        return List.of(
            "serve",
            "--data", data.root().toString(),
            "--profile", "shared",
            "--channel", "aeron:ipc",
            "--stream", "1001",
            "--max-accounts", "1024",
            "--max-transfers", "65536",
            "--max-pending", "1024",
            "--snapshot-every", "1",
            "--snapshot-on-shutdown", "false",
            "--tick-interval", "20ms");
    }

    private String awaitErrors(final DataDirectory data, final String text) throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + 30_000;
        String errors = "";
        while (System.currentTimeMillis() < deadlineMs)
        {
            errors = run("errors", "--data", data.root().toString());
            if (errors.contains(text))
            {
                return errors;
            }
            Thread.sleep(50);
        }
        fail("no '" + text + "' in paycore errors:\n" + errors + "\nservice:\n" + service.output());
        return errors;
    }

    private String run(final String... args)
    {
        out.reset();
        final int status = PaycoreMain.execute(args);
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, String.join(" ", args) + ":\n" + text + errText());
        return text;
    }

    private String errText()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * @return counters allocated, and the value of the paycore errors counter; read with Aeron's own API, as
     * AeronStat does, and the driver's error log printed as ErrorStat does.
     */
    private static long[] readWithAeron(final Path aeronDirectory)
    {
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(
            aeronDirectory.resolve(CncFileDescriptor.CNC_FILE).toFile(), FileChannel.MapMode.READ_ONLY, "cnc");
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            CncFileDescriptor.checkVersion(metaData.getInt(CncFileDescriptor.cncVersionOffset(0)));
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            final long[] result = new long[2];
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                result[0]++;
                if (PaycoreService.ERRORS_COUNTER_TYPE_ID == typeId)
                {
                    result[1] = counters.getCounterValue(counterId);
                }
            });
            final ByteArrayOutputStream errorStat = new ByteArrayOutputStream();
            final int driverErrors = CommonContext.printErrorLog(CommonContext.errorLogBuffer(cnc),
                new PrintStream(errorStat, true, StandardCharsets.UTF_8));
            assertTrue(driverErrors >= 0, errorStat.toString(StandardCharsets.UTF_8));
            return result;
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * Every term buffer file in the driver directory has as many bytes allocated on disk as its length: none is
     * sparse. Checked with {@code stat}, which Java cannot do.
     */
    private static void assertTermBuffersAreWrittenOutInFull(final Path aeronDirectory) throws Exception
    {
        final List<Path> logs;
        try (Stream<Path> files = Files.walk(aeronDirectory))
        {
            logs = files.filter((file) -> file.toString().endsWith(".logbuffer")).collect(Collectors.toList());
        }
        assertFalse(logs.isEmpty(), "a connected client has term buffers in " + aeronDirectory);
        for (final Path log : logs)
        {
            final Process stat = new ProcessBuilder("stat", "--format=%b %B %s", log.toString())
                .redirectErrorStream(true).start();
            final String text = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, stat.waitFor(), text);
            final String[] fields = text.split(" ");
            final long allocatedBytes = Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
            final long lengthBytes = Long.parseLong(fields[2]);
            assertTrue(allocatedBytes >= lengthBytes, log + " is sparse: " + allocatedBytes + " of " +
                lengthBytes + " bytes allocated");
        }
    }
}
