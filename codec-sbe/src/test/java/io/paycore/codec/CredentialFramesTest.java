package io.paycore.codec;

import io.paycore.codec.sbe.GetAccountBalancesDecoder;
import io.paycore.codec.sbe.GetAccountBalancesEncoder;
import io.paycore.codec.sbe.GetAccountTransfersDecoder;
import io.paycore.codec.sbe.GetAccountTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.QueryAccountsDecoder;
import io.paycore.codec.sbe.QueryAccountsEncoder;
import io.paycore.codec.sbe.QueryTransfersDecoder;
import io.paycore.codec.sbe.QueryTransfersEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.SubscribeFeedDecoder;
import io.paycore.codec.sbe.SubscribeFeedEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version 3 added a client id and credential to {@code SubscribeFeed} and the four queries. A frame of version 3
 * carries both; a frame of version 2 has the shorter block and one var data field it had then, is still valid, and
 * decodes with no client id and an empty credential, so that the server can answer it {@code UNAUTHENTICATED}.
 */
class CredentialFramesTest
{
    private static final long CORRELATION_ID = 42;
    private static final long CLIENT_ID = 7;
    private static final String CHANNEL = "aeron:udp?endpoint=localhost:40123";
    private static final String SECRET = "s3cret";
    private static final int STREAM_ID = 1101;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @Test
    void shouldReadClientIdAndCredentialOfAVersionThreeQuery()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new GetAccountTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(CORRELATION_ID).resultLimit(10).responseStreamId(STREAM_ID).code(3)
            .clientId(CLIENT_ID).responseChannel(CHANNEL).credential(SECRET).encodedLength();

        final FrameValidator validator = FrameValidator.forQueryRequests();
        assertTrue(validator.validate(buffer, 0, length), validator::detail);

        final GetAccountTransfersDecoder decoder = decode(new GetAccountTransfersDecoder());
        assertEquals(3, decoder.code());
        assertEquals(CLIENT_ID, decoder.clientId());
        assertEquals(CHANNEL, decoder.responseChannel());
        assertEquals(SECRET, decoder.credential());
    }

    @ParameterizedTest
    @ValueSource(ints = {
        GetAccountTransfersDecoder.TEMPLATE_ID, GetAccountBalancesDecoder.TEMPLATE_ID,
        QueryAccountsDecoder.TEMPLATE_ID, QueryTransfersDecoder.TEMPLATE_ID })
    void shouldTakeAVersionTwoQueryAndReadItWithoutACredential(final int templateId)
    {
        final int blockLength = versionTwoBlockLength(templateId);
        final int length = versionTwoFrame(templateId, blockLength);

        final FrameValidator validator = FrameValidator.forQueryRequests();
        assertTrue(validator.validate(buffer, 0, length), validator::detail);
        assertEquals(CORRELATION_ID, validator.correlationId());

        headerDecoder.wrap(buffer, 0);
        final String channel;
        final long clientId;
        final String credential;
        switch (templateId)
        {
            case GetAccountTransfersDecoder.TEMPLATE_ID:
            {
                final GetAccountTransfersDecoder d = new GetAccountTransfersDecoder()
                    .wrapAndApplyHeader(buffer, 0, headerDecoder);
                clientId = d.clientId();
                channel = d.responseChannel();
                credential = d.credential();
                break;
            }
            case GetAccountBalancesDecoder.TEMPLATE_ID:
            {
                final GetAccountBalancesDecoder d = new GetAccountBalancesDecoder()
                    .wrapAndApplyHeader(buffer, 0, headerDecoder);
                clientId = d.clientId();
                channel = d.responseChannel();
                credential = d.credential();
                break;
            }
            case QueryAccountsDecoder.TEMPLATE_ID:
            {
                final QueryAccountsDecoder d = new QueryAccountsDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
                clientId = d.clientId();
                channel = d.responseChannel();
                credential = d.credential();
                break;
            }
            default:
            {
                final QueryTransfersDecoder d = new QueryTransfersDecoder()
                    .wrapAndApplyHeader(buffer, 0, headerDecoder);
                clientId = d.clientId();
                channel = d.responseChannel();
                credential = d.credential();
                break;
            }
        }
        assertEquals(GetAccountTransfersDecoder.clientIdNullValue(), clientId);
        assertEquals(CHANNEL, channel);
        assertEquals("", credential);
    }

    @Test
    void shouldTakeAVersionTwoSubscribeFeedAndReadItWithoutACredential()
    {
        final int length = versionTwoFrame(SubscribeFeedDecoder.TEMPLATE_ID, 20);

        final FrameValidator validator = FrameValidator.forFeedRequests();
        assertTrue(validator.validate(buffer, 0, length), validator::detail);

        final SubscribeFeedDecoder decoder = decode(new SubscribeFeedDecoder());
        assertEquals(SubscribeFeedDecoder.clientIdNullValue(), decoder.clientId());
        assertEquals(CHANNEL, decoder.responseChannel());
        assertEquals("", decoder.credential());
    }

    @Test
    void shouldReadClientIdAndCredentialOfAVersionThreeSubscribeFeed()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeFeedEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(CORRELATION_ID).fromTimestamp(5).responseStreamId(STREAM_ID)
            .clientId(CLIENT_ID).responseChannel(CHANNEL).credential(SECRET).encodedLength();

        final FrameValidator validator = FrameValidator.forFeedRequests();
        assertTrue(validator.validate(buffer, 0, length), validator::detail);

        final SubscribeFeedDecoder decoder = decode(new SubscribeFeedDecoder());
        assertEquals(5, decoder.fromTimestamp());
        assertEquals(CLIENT_ID, decoder.clientId());
        assertEquals(CHANNEL, decoder.responseChannel());
        assertEquals(SECRET, decoder.credential());
    }

    @Test
    void shouldRefuseAVersionThreeQueryWithoutItsCredentialField()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new QueryAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(CORRELATION_ID).clientId(CLIENT_ID).responseChannel(CHANNEL).encodedLength() -
            MessageLayout.VAR_DATA_HEADER_LENGTH;

        final FrameValidator validator = FrameValidator.forQueryRequests();
        assertFalse(validator.validate(buffer, 0, length));
        assertEquals(RejectReason.TRUNCATED, validator.reason());
    }

    @Test
    void shouldRefuseAVersionTwoQueryThatCarriesVersionThreeFields()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new QueryTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(CORRELATION_ID).clientId(CLIENT_ID).responseChannel(CHANNEL).credential(SECRET)
            .encodedLength();
        buffer.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)2, ByteOrder.LITTLE_ENDIAN);

        final FrameValidator validator = FrameValidator.forQueryRequests();
        assertFalse(validator.validate(buffer, 0, length), "version 2 had one var data field");
        assertEquals(RejectReason.LENGTH_MISMATCH, validator.reason());
    }

    @Test
    void shouldGiveEveryVersionTwoShapeTheBlockItHadThen()
    {
        // The block lengths of version 2, as its generated codecs had them.
        assertEquals(90, versionTwoBlockLength(GetAccountTransfersDecoder.TEMPLATE_ID));
        assertEquals(90, versionTwoBlockLength(GetAccountBalancesDecoder.TEMPLATE_ID));
        assertEquals(78, versionTwoBlockLength(QueryAccountsDecoder.TEMPLATE_ID));
        assertEquals(78, versionTwoBlockLength(QueryTransfersDecoder.TEMPLATE_ID));
        assertEquals(20, MessageLayout.byTemplateId(MessageLayout.FEED_REQUESTS)[SubscribeFeedDecoder.TEMPLATE_ID]
            .forVersion(2).blockLengthBytes);
        assertEquals(GetAccountBalancesEncoder.BLOCK_LENGTH, MessageLayout.byTemplateId(MessageLayout.QUERY_REQUESTS)
            [GetAccountBalancesDecoder.TEMPLATE_ID].forVersion(3).blockLengthBytes);
    }

    private static int versionTwoBlockLength(final int templateId)
    {
        return MessageLayout.byTemplateId(MessageLayout.QUERY_REQUESTS)[templateId].forVersion(2).blockLengthBytes;
    }

    /**
     * A frame as a version 2 client wrote it: the version 2 block (correlation id first, zeros after it), then the
     * response channel, the one var data field of version 2.
     */
    private int versionTwoFrame(final int templateId, final int blockLength)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        headerEncoder.wrap(buffer, 0).blockLength(blockLength).templateId(templateId)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(2);
        int position = MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putLong(position, CORRELATION_ID, ByteOrder.LITTLE_ENDIAN);
        position += blockLength;
        final byte[] channel = CHANNEL.getBytes(StandardCharsets.US_ASCII);
        buffer.putShort(position, (short)channel.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(position + MessageLayout.VAR_DATA_HEADER_LENGTH, channel);

        return position + MessageLayout.VAR_DATA_HEADER_LENGTH + channel.length;
    }

    private <T> T decode(final T decoder)
    {
        headerDecoder.wrap(buffer, 0);
        if (decoder instanceof GetAccountTransfersDecoder)
        {
            ((GetAccountTransfersDecoder)decoder).wrapAndApplyHeader(buffer, 0, headerDecoder);
        }
        else
        {
            ((SubscribeFeedDecoder)decoder).wrapAndApplyHeader(buffer, 0, headerDecoder);
        }
        return decoder;
    }
}
