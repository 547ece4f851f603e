package io.paycore.transport;

import io.paycore.codec.ProtocolLimits;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.Pipeline;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import io.paycore.transport.client.ClientContext;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A journal, ledger, pipeline and server in a temporary directory, with three known clients, for the transport's
 * tests. Shared profile, embedded driver, small terms and rings.
 */
final class TestService implements AutoCloseable
{
    static final long CLIENT_A = 1;
    static final long CLIENT_B = 2;
    static final long CLIENT_C = 3;
    static final String SECRET_A = "secret-of-a";
    static final String SECRET_B = "secret-of-b";
    static final String SECRET_C = "secret-of-c";
    static final int INGRESS_STREAM_ID = 1001;
    static final int TEST_ITERATIONS = 1000;

    final Path dir;
    final Path journalDir;
    final Path aeronDir;
    final String ingressChannel;
    final boolean udp;
    final Journal journal;
    final Pipeline pipeline;
    final PaycoreServer server;
    private int nextResponseStreamId = 2001;

    TestService(final Path dir, final boolean udp, final Consumer<TransportContext> customize)
    {
        this(dir, udp, customize, (StageLayout)null);
    }

    TestService(
        final Path dir, final boolean udp, final Consumer<TransportContext> customize, final StageLayout layout)
    {
        this(dir, udp, customize, (pipelineContext) -> pipelineContext.layout(layout));
    }

    TestService(
        final Path dir,
        final boolean udp,
        final Consumer<TransportContext> customize,
        final Consumer<PipelineContext> customizePipeline)
    {
        this(dir, udp, customize, customizePipeline, new LedgerLimits()
            .maxAccounts(8 * 1024)
            .maxTransfers(16 * 1024)
            .maxPendingTransfers(1024));
    }

    TestService(
        final Path dir,
        final boolean udp,
        final Consumer<TransportContext> customize,
        final Consumer<PipelineContext> customizePipeline,
        final LedgerLimits limits)
    {
        this.dir = dir;
        this.udp = udp;
        this.journalDir = dir.resolve("journal");
        this.aeronDir = dir.resolve("aeron");
        this.ingressChannel = udp ? "aeron:udp?endpoint=localhost:" + freeUdpPort() : "aeron:ipc";
        final Path clients = dir.resolve("clients.txt");
        try
        {
            Files.write(clients, List.of(
                "# test clients",
                ClientCredentials.line(CLIENT_A, SECRET_A, TEST_ITERATIONS),
                ClientCredentials.line(CLIENT_B, SECRET_B, TEST_ITERATIONS),
                "",
                ClientCredentials.line(CLIENT_C, SECRET_C, TEST_ITERATIONS)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        journal = Journal.open(new JournalContext()
            .directory(journalDir)
            .flushLevel(FlushLevel.NONE)
            .segmentLength(8 * 1024 * 1024)
            .maxRecordLength(ProtocolLimits.MAX_MESSAGE_LENGTH));
        final Ledger ledger = new Ledger(limits);
        Pipeline pipeline = null;
        PaycoreServer server = null;
        try
        {
            final PipelineContext pipelineContext = new PipelineContext()
                .profile(ThreadingProfile.SHARED).inputRingSize(256).outputRingSize(256);
            customizePipeline.accept(pipelineContext);
            pipeline = new Pipeline(
                pipelineContext,
                journal,
                new CommandProcessor(ledger));
            final TransportContext context = new TransportContext()
                .profile(ThreadingProfile.SHARED)
                .embeddedAeronDirectoryName(aeronDir.toString())
                .ingressChannel(ingressChannel)
                .ingressStreamId(INGRESS_STREAM_ID)
                .clientsFile(clients)
                .tickIntervalNanos(TimeUnit.MILLISECONDS.toNanos(100));
            customize.accept(context);
            server = PaycoreServer.launch(context, pipeline);
            pipeline.start(server::measured);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(server, pipeline, journal);
            throw ex;
        }
        this.pipeline = pipeline;
        this.server = server;
    }

    /**
     * A client context for this service, with a response channel of its own.
     */
    ClientContext clientContext(final long clientId, final String secret)
    {
        final int streamId = nextResponseStreamId++;
        final String responseChannel = udp ? "aeron:udp?endpoint=localhost:" + freeUdpPort() : "aeron:ipc";
        return new ClientContext()
            .aeronDirectoryName(server.aeronDirectoryName())
            .clientId(clientId)
            .secret(secret)
            .ingressChannel(ingressChannel)
            .ingressStreamId(INGRESS_STREAM_ID)
            .responseChannel(responseChannel)
            .responseStreamId(streamId)
            .connectTimeoutNanos(TimeUnit.SECONDS.toNanos(5));
    }

    int nextResponseStreamId()
    {
        return nextResponseStreamId++;
    }

    /**
     * Count the MESSAGE records in the journal (ticks left out). Read after {@link #close()} or while running.
     */
    long journaledMessages()
    {
        final long[] count = new long[1];
        try (JournalReader reader = JournalReader.open(journalDir, 1))
        {
            while (reader.poll((type, sequence, timestampNanos, buffer, offset, length) ->
            {
                if (RecordTypes.MESSAGE == type)
                {
                    count[0]++;
                }
            }, 1024) > 0)
            {
                Thread.onSpinWait();
            }
        }
        return count[0];
    }

    List<String> errors()
    {
        final List<String> errors = new java.util.ArrayList<>();
        server.readErrors(errors::add);
        return errors;
    }

    public void close()
    {
        CloseHelper.closeAll(server, pipeline, journal);
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
