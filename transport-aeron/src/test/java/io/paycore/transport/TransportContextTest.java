package io.paycore.transport;

import io.paycore.codec.ProtocolLimits;
import io.aeron.logbuffer.FrameDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportContextTest
{
    private static final ClientCredentials CREDENTIALS =
        ClientCredentials.parse(List.of(ClientCredentials.line(1, "s", 1)), "test");

    @Test
    void shouldDefaultToAnEmbeddedDriverAndATermLongEnoughForTheLongestAnswer()
    {
        final TransportContext context = new TransportContext().credentials(CREDENTIALS).conclude();

        assertTrue(context.isEmbeddedDriver());
        assertNotNull(context.embeddedAeronDirectoryName());
        assertEquals(context.embeddedAeronDirectoryName(), context.effectiveAeronDirectoryName());
        // A term carries a message of at most an eighth of its length: 2 MiB for v2's 131,092-byte answers.
        assertEquals(2 * 1024 * 1024, TransportContext.TERM_LENGTH_MIN);
        assertTrue(FrameDescriptor.computeMaxMessageLength(context.termLength()) >=
            ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);
        assertEquals(TransportContext.INGRESS_CHANNEL_DEFAULT, context.ingressChannel());
        assertEquals(2 * context.maxClients(), context.maxSessions());
    }

    @Test
    void shouldUseAnExternalDriverWhenGivenItsDirectory()
    {
        final TransportContext context = new TransportContext()
            .credentials(CREDENTIALS).aeronDirectoryName("/dev/shm/elsewhere").conclude();

        assertEquals("/dev/shm/elsewhere", context.effectiveAeronDirectoryName());
    }

    @Test
    void shouldNameTheSettingThatIsWrong()
    {
        assertWrong(TransportContext.CLIENTS_FILE_PROP_NAME, (c) -> c.credentials(null));
        assertWrong(TransportContext.TERM_LENGTH_PROP_NAME, (c) -> c.termLength(512 * 1024));
        assertWrong(TransportContext.TERM_LENGTH_PROP_NAME, (c) -> c.termLength(3 * 1024 * 1024));
        assertWrong(TransportContext.INGRESS_CHANNEL_PROP_NAME, (c) -> c.ingressChannel("aeron:tcp?endpoint=x:1"));
        assertWrong(TransportContext.INGRESS_CHANNEL_PROP_NAME, (c) -> c.ingressChannel("aeron:udp"));
        assertWrong(TransportContext.INGRESS_CHANNEL_PROP_NAME, (c) -> c.ingressChannel("udp://localhost"));
        assertWrong(TransportContext.INGRESS_CHANNEL_PROP_NAME,
            (c) -> c.ingressChannel("aeron:udp?endpoint=localhost:99999"));
        assertWrong(TransportContext.INGRESS_CHANNEL_PROP_NAME, (c) -> c.ingressChannel("aeron:udp?endpoint=localhost"));
        assertWrong(TransportContext.INGRESS_CHANNEL_PROP_NAME, (c) -> c.ingressChannel("aeron:udp?endpoint=[::1]"));
        assertWrong(TransportContext.INGRESS_STREAM_ID_PROP_NAME, (c) -> c.ingressStreamId(0));
        assertWrong(TransportContext.MAX_CLIENTS_PROP_NAME, (c) -> c.maxClients(0));
        assertWrong(TransportContext.EGRESS_BACK_PRESSURE_TIMEOUT_PROP_NAME, (c) -> c.egressBackPressureTimeoutNanos(0));
        assertWrong(TransportContext.EGRESS_BACK_PRESSURE_TIMEOUT_PROP_NAME,
            (c) -> c.egressBackPressureTimeoutNanos(TransportContext.EGRESS_BACK_PRESSURE_TIMEOUT_MIN_NANOS - 1));
        assertWrong(TransportContext.EGRESS_BACKLOG_LENGTH_PROP_NAME, (c) -> c.egressBacklogLength(1024));
        assertWrong(TransportContext.EGRESS_BACKLOG_LENGTH_PROP_NAME,
            (c) -> c.egressBacklogLength(TransportContext.EGRESS_BACKLOG_LENGTH_MAX + 1));
        assertWrong(TransportContext.TICK_INTERVAL_PROP_NAME, (c) -> c.tickIntervalNanos(-1));
        assertWrong(TransportContext.TICK_INTERVAL_PROP_NAME,
            (c) -> c.tickIntervalNanos(TransportContext.TICK_INTERVAL_MIN_NANOS - 1));
        assertWrong(TransportContext.TICK_INTERVAL_PROP_NAME,
            (c) -> c.tickIntervalNanos(TransportContext.TICK_INTERVAL_MAX_NANOS + 1));
        assertWrong(TransportContext.CONTROL_RING_LENGTH_PROP_NAME, (c) -> c.controlRingLength(100_000));
    }

    @Test
    void shouldSayWhichCredentialsFileIsMissing()
    {
        final Path missing = Path.of("/nonexistent/paycore-clients");
        final RuntimeException ex = assertThrows(RuntimeException.class,
            () -> new TransportContext().clientsFile(missing).conclude());
        assertTrue(ex.getMessage().contains(missing.toString()), ex.getMessage());
    }

    @Test
    void shouldTakeEndpointsWithAPort()
    {
        for (final String channel : new String[] {
            "aeron:udp?endpoint=localhost:40123", "aeron:udp?endpoint=[::1]:40123", "aeron:udp?endpoint=10.0.0.1:0",
            "aeron:ipc" })
        {
            new TransportContext().credentials(CREDENTIALS).ingressChannel(channel).conclude();
        }
    }

    private static void assertWrong(final String setting, final Consumer<TransportContext> change)
    {
        final TransportContext context = new TransportContext().credentials(CREDENTIALS);
        change.accept(context);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(setting), ex.getMessage());
    }
}
