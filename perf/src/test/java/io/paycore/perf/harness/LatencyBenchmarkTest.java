package io.paycore.perf.harness;

import io.paycore.codec.ProtocolLimits;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.PaycoreServer;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.ClientContext;
import io.paycore.service.pinning.ThreadPinning;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny real run: paycore's pipeline and Aeron transport in this process (the {@code service} module's
 * {@code PaycoreService} is out of reach from {@code perf}, so the test wires the same parts), 1,000 msg/s for one
 * second over IPC, then the baseline echo; checks the counts and the files, never a latency.
 */
class LatencyBenchmarkTest
{
    private static final String SECRET = "bench-test-secret";

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void shouldMeasureBothSidesOfATinyRunAndWriteTheFiles() throws Exception
    {
        final BenchSettings settings = new BenchSettings()
            .ratePerSecond(1_000)
            .batch(2)
            .warmupSeconds(0)
            .durationSeconds(1)
            .accounts(100)
            .drainSeconds(10)
            .outDirectory(dir.resolve("out"));

        final LatencyReport report = LatencyBenchmark.run(settings, this::launch, System.out);

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("paycore  rate: target 1,000 msg/s"), printed);
        assertTrue(printed.contains("baseline rate: target 1,000 msg/s"), printed);
        assertEquals(2, printed.split("1,000 sent, 1,000 answered, 0 lost", -1).length - 1, printed);

        final List<Path> files = report.write(settings.outDirectory());
        assertEquals(4, files.size());
        for (final Path file : files)
        {
            assertTrue(Files.size(file) > 0, file.toString());
        }
        final String json = Files.readString(settings.outDirectory().resolve(LatencyReport.SUMMARY_JSON));
        assertTrue(json.contains("\"histogramCount\": 1000"), json);
        assertTrue(json.contains("\"failedEvents\": 0"), json);
        assertTrue(json.contains("\"batch\": 2"), json);
    }

    private ServiceUnderTest launch(final BenchSettings settings, final ThreadPinning pinning)
    {
        return new TestService(dir.resolve("service"), settings);
    }

    private static final class TestService implements ServiceUnderTest
    {
        private final Journal journal;
        private final Pipeline pipeline;
        private final PaycoreServer server;
        private final BenchChannels channels;

        TestService(final Path directory, final BenchSettings settings)
        {
            channels = settings.channels();
            journal = Journal.open(new JournalContext()
                .directory(directory.resolve("journal"))
                .flushLevel(FlushLevel.NONE)
                .segmentLength(16 * 1024 * 1024)
                .maxRecordLength(ProtocolLimits.MAX_MESSAGE_LENGTH));
            final Ledger ledger = new Ledger(new LedgerLimits()
                .maxAccounts(1024)
                .maxTransfers(1 << 16)
                .maxPendingTransfers(16)
                .maxBatchEvents(16));
            pipeline = new Pipeline(new PipelineContext().profile(ThreadingProfile.SHARED), journal,
                new CommandProcessor(ledger));
            pipeline.start();
            server = PaycoreServer.launch(new TransportContext()
                .embeddedAeronDirectoryName(directory.resolve("aeron").toString())
                .ingressChannel(channels.ingressChannel())
                .ingressStreamId(channels.ingressStreamId())
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(1, SECRET, 1)), "test"))
                .profile(ThreadingProfile.SHARED), pipeline);
        }

        public ClientContext clientContext()
        {
            return new ClientContext()
                .aeronDirectoryName(server.aeronDirectoryName())
                .clientId(1)
                .secret(SECRET)
                .ingressChannel(channels.ingressChannel())
                .ingressStreamId(channels.ingressStreamId())
                .responseChannel(channels.responseChannel())
                .responseStreamId(channels.responseStreamId());
        }

        public boolean isInProcess()
        {
            return true;
        }

        public String aeronDirectoryName()
        {
            return server.aeronDirectoryName();
        }

        public String describe()
        {
            return "test pipeline and transport";
        }

        public void close()
        {
            CloseHelper.closeAll(server, pipeline, journal);
            assertNull(pipeline.failure());
        }
    }
}
