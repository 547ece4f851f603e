package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.paycore.codec.sbe.ConnectEncoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A hand-made client session for the transport's tests: its own publication (so its own image at the service) and
 * response stream, frames sent and answers read as raw bytes.
 */
final class RawSession implements AutoCloseable
{
    final ExclusivePublication publication;
    final Subscription subscription;
    final int responseStreamId;
    private final ArrayDeque<UnsafeBuffer> received = new ArrayDeque<>();
    private final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        received.add(new UnsafeBuffer(copy));
    });
    final UnsafeBuffer connectBuffer = new UnsafeBuffer(new byte[4096]);

    RawSession(final Aeron aeron, final String channel, final int streamId, final int responseStreamId)
    {
        this.responseStreamId = responseStreamId;
        subscription = aeron.addSubscription("aeron:ipc", responseStreamId);
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(TransportContext.TERM_LENGTH_MIN));
        publication = aeron.addExclusivePublication(uri.toString(), streamId);
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!publication.isConnected())
        {
            assertTrue(System.nanoTime() < deadlineNanos, "ingress did not connect");
            Thread.yield();
        }
    }

    void connect(final long correlationId, final long clientId, final String secret)
    {
        connect(correlationId, clientId, secret, "aeron:ipc", responseStreamId);
    }

    void connect(
        final long correlationId, final long clientId, final String secret, final String channel, final int stream)
    {
        connect(correlationId, clientId, secret, channel, stream, ConnectEncoder.SCHEMA_VERSION);
    }

    void connect(
        final long correlationId,
        final long clientId,
        final String secret,
        final String channel,
        final int stream,
        final int version)
    {
        send(connectBuffer, 0, encodeConnect(correlationId, clientId, secret, channel, stream, version));
    }

    int encodeConnect(
        final long correlationId,
        final long clientId,
        final String secret,
        final String channel,
        final int stream,
        final int version)
    {
        final ConnectEncoder encoder = new ConnectEncoder();
        encoder.wrapAndApplyHeader(connectBuffer, 0, new MessageHeaderEncoder().wrap(connectBuffer, 0))
            .correlationId(correlationId)
            .clientId(clientId)
            .responseStreamId(stream)
            .credential(secret)
            .responseChannel(channel);
        connectBuffer.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)version,
            MessageHeaderEncoder.BYTE_ORDER);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    void send(final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publication.offer(buffer, offset, length) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNanos, "could not send");
            Thread.yield();
        }
    }

    UnsafeBuffer awaitMessage()
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.isEmpty())
        {
            if (subscription.poll(assembler, 10) == 0)
            {
                if (System.nanoTime() > deadlineNanos)
                {
                    fail("no answer");
                }
                Thread.yield();
            }
        }
        return received.poll();
    }

    ConnectResultDecoder awaitConnectResult(final long correlationId)
    {
        final ConnectResultDecoder decoder = new ConnectResultDecoder();
        final UnsafeBuffer message = awaitMessage();
        assertEquals(ConnectResultDecoder.TEMPLATE_ID, templateId(message));
        decoder.wrapAndApplyHeader(message, 0, new MessageHeaderDecoder());
        assertEquals(correlationId, decoder.correlationId());
        return decoder;
    }

    void assertConnectResult(final long correlationId, final ConnectStatus status)
    {
        final ConnectResultDecoder decoder = awaitConnectResult(correlationId);
        assertEquals(status, decoder.status(), decoder.toString());
    }

    void assertRejected(final long correlationId, final int templateId, final RejectReason reason)
    {
        final RejectedDecoder decoder = new RejectedDecoder();
        final UnsafeBuffer message = awaitMessage();
        assertEquals(RejectedDecoder.TEMPLATE_ID, templateId(message));
        decoder.wrapAndApplyHeader(message, 0, new MessageHeaderDecoder());
        final String text = decoder.toString();
        assertEquals(reason, decoder.reason(), text);
        assertEquals(correlationId, decoder.correlationId(), text);
        assertEquals(templateId, decoder.templateId(), text);
        assertTrue(decoder.detail().length() > 0, text);
    }

    private static int templateId(final DirectBuffer message)
    {
        return new MessageHeaderDecoder().wrap(message, 0).templateId();
    }

    public void close()
    {
        CloseHelper.closeAll(publication, subscription);
    }
}
