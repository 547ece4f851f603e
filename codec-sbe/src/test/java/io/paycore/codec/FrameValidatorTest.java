package io.paycore.codec;

import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.RejectReason;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.paycore.codec.Frames.HEADER_LENGTH;
import static io.paycore.codec.Frames.putUint16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FrameValidatorTest
{
    private static final long CORRELATION_ID = 0x1122334455667788L;
    private static final int BLOCK_LENGTH_OFFSET = 0;
    private static final int TEMPLATE_ID_OFFSET = 2;
    private static final int SCHEMA_ID_OFFSET = 4;
    private static final int VERSION_OFFSET = 6;
    private static final int GROUP_HEADER_OFFSET = HEADER_LENGTH + CreateTransfersDecoder.BLOCK_LENGTH;
    private static final int CONNECT_CREDENTIAL_OFFSET = HEADER_LENGTH + ConnectDecoder.BLOCK_LENGTH;
    private static final String VERSION_ONE_DETAIL = "schema version 1 (64-bit ids and amounts) is no longer read: " +
        "this service reads version 2 (128-bit ids and amounts) and later; upgrade the client library to one that " +
        "sends version 2";

    private final FrameValidator validator = FrameValidator.forIngress();

    static Stream<Arguments> validIngressFrames()
    {
        return IntStream.of(Frames.INGRESS_TEMPLATE_IDS).boxed()
            .flatMap((templateId) -> IntStream.of(0, 1, 3, 1024).mapToObj((size) -> Arguments.of(templateId, size)));
    }

    @ParameterizedTest
    @MethodSource("validIngressFrames")
    void shouldAcceptEveryIngressMessageKind(final int templateId, final int size)
    {
        final byte[] frame = Frames.frame(templateId, CORRELATION_ID, size);

        assertTrue(validate(validator, frame), () -> detail(validator));
        assertEquals(templateId, validator.templateId());
        assertEquals(CORRELATION_ID, validator.correlationId());
        assertNull(validator.reason());
        assertNull(validator.fault());
        assertNull(validator.detail());
        assertEquals(frame.length, validator.messageLength());
        assertEquals(Frames.hasGroup(templateId) ? size : 0, validator.groupCount());
    }

    @ParameterizedTest
    @MethodSource("validIngressFrames")
    void shouldAcceptFrameInTheMiddleOfALargerBuffer(final int templateId, final int size)
    {
        final byte[] frame = Frames.frame(templateId, CORRELATION_ID, size);
        final byte[] array = new byte[frame.length + 200];
        Arrays.fill(array, (byte)0x5A);
        System.arraycopy(frame, 0, array, 100, frame.length);

        assertTrue(validator.validate(new UnsafeBuffer(array), 100, frame.length), () -> detail(validator));
        assertEquals(CORRELATION_ID, validator.correlationId());
    }

    @Test
    void shouldAcceptEveryEgressMessageKindOnEgressValidator()
    {
        final FrameValidator egress = FrameValidator.forEgress();
        for (final int templateId : Frames.EGRESS_TEMPLATE_IDS)
        {
            for (final int size : new int[]{ 0, 2, 1024 })
            {
                final byte[] frame = Frames.frame(templateId, CORRELATION_ID, size);
                assertTrue(validate(egress, frame), () -> templateId + ": " + detail(egress));
                assertEquals(templateId, egress.templateId());
                assertEquals(CORRELATION_ID, egress.correlationId());
            }
        }
    }

    @Test
    void shouldAcceptEmptyBatchAsValid()
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 0);

        assertEquals(HEADER_LENGTH + CreateTransfersDecoder.BLOCK_LENGTH + 4, frame.length);
        assertTrue(validate(validator, frame));
        assertEquals(0, validator.groupCount());
    }

    @Test
    void shouldAcceptLargestMessagesTheProtocolAllows()
    {
        final byte[] transfers = Frames.createTransfers(CORRELATION_ID, ProtocolLimits.MAX_BATCH_EVENTS);
        final byte[] connect = Frames.connect(
            CORRELATION_ID,
            Frames.ascii(ProtocolLimits.MAX_VAR_DATA_LENGTH, 'a'),
            Frames.ascii(ProtocolLimits.MAX_VAR_DATA_LENGTH, 'b'));

        assertEquals(ProtocolLimits.MAX_MESSAGE_LENGTH, transfers.length);
        assertTrue(validate(validator, transfers), () -> detail(validator));
        assertTrue(validate(validator, connect), () -> detail(validator));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 2, 0x0100, 0xFFFF })
    void shouldRejectUnknownSchema(final int schemaId)
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 1);
        putUint16(frame, SCHEMA_ID_OFFSET, schemaId);

        assertRejected(frame, RejectReason.UNKNOWN_SCHEMA, FrameFault.SCHEMA_ID_UNKNOWN);
        assertEquals(SCHEMA_ID_OFFSET, validator.position());
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, validator.expected());
        assertEquals(schemaId, validator.found());
        assertEquals(0, validator.templateId(), "template id of a foreign schema means nothing");
        assertEquals(0, validator.correlationId());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 6, 99, 100, 107, 199, 0xFFFF })
    void shouldRejectUnknownTemplate(final int templateId)
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 1);
        putUint16(frame, TEMPLATE_ID_OFFSET, templateId);

        assertRejected(frame, RejectReason.UNKNOWN_TEMPLATE, FrameFault.TEMPLATE_UNKNOWN);
        assertEquals(templateId, validator.templateId());
        assertEquals(templateId, validator.found());
        assertEquals(0, validator.correlationId(), "the place of a correlation id is unknown for this template");
    }

    @Test
    void shouldRejectEgressTemplatesOnIngress()
    {
        for (final int templateId : Frames.EGRESS_TEMPLATE_IDS)
        {
            final byte[] frame = Frames.frame(templateId, CORRELATION_ID, 1);

            assertRejected(frame, RejectReason.UNKNOWN_TEMPLATE, FrameFault.TEMPLATE_UNKNOWN);
            assertEquals(templateId, validator.templateId());
            assertEquals("template id " + templateId + " is not an ingress template", detail(validator));
        }
    }

    @Test
    void shouldRejectIngressTemplatesOnEgress()
    {
        final FrameValidator egress = FrameValidator.forEgress();
        for (final int templateId : Frames.INGRESS_TEMPLATE_IDS)
        {
            assertFalse(validate(egress, Frames.frame(templateId, CORRELATION_ID, 1)));
            assertEquals(RejectReason.UNKNOWN_TEMPLATE, egress.reason());
            assertEquals("template id " + templateId + " is not an egress template", detail(egress));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1 })
    void shouldRejectVersionsOlderThanTwo(final int version)
    {
        final byte[] frame = Frames.lookupAccounts(CORRELATION_ID, 2);
        putUint16(frame, VERSION_OFFSET, version);

        assertRejected(frame, RejectReason.UNSUPPORTED_VERSION, FrameFault.VERSION_UNSUPPORTED);
        assertEquals(VERSION_OFFSET, validator.position());
        assertEquals(version, validator.found());
        assertEquals(2, validator.expected());
        assertEquals(CORRELATION_ID, validator.correlationId(), "a Rejected should still name the request");
        assertEquals(LookupAccountsDecoder.TEMPLATE_ID, validator.templateId());
    }

    @Test
    void shouldReadVersionTwoAsTheOldestOfVersionThree()
    {
        assertEquals(2, FrameValidator.MIN_VERSION);
        assertEquals(3, MessageHeaderDecoder.SCHEMA_VERSION,
            "a new schema version must decide whether version 2 frames are still read");
        assertEquals(
            MessageHeaderDecoder.SCHEMA_VERSION,
            Frames.uint16(Frames.createTransfers(CORRELATION_ID, 1), VERSION_OFFSET));
    }

    @ParameterizedTest
    @ValueSource(ints = { 3, 4, 0x7FFF, 0xFFFF })
    void shouldAcceptNewerVersionsOfTheSameLayout(final int version)
    {
        for (final int templateId : Frames.INGRESS_TEMPLATE_IDS)
        {
            final byte[] frame = Frames.frame(templateId, CORRELATION_ID, 3);
            putUint16(frame, VERSION_OFFSET, version);

            assertTrue(validate(validator, frame), () -> detail(validator));
            assertEquals(frame.length, validator.messageLength());
        }
    }

    @Test
    void shouldTellAVersionOneCreateTransfersClientToUpgrade()
    {
        final byte[] frame = VersionOneFrames.createTransfers(CORRELATION_ID, 3, Frames.values(1));
        assertEquals(HEADER_LENGTH + 8 + 4 + 3 * 60, frame.length, "version 1 transfers were 60 bytes");

        assertVersionOneRejected(frame, CreateTransfersDecoder.TEMPLATE_ID);
        assertEquals(3, Frames.uint16(frame, GROUP_HEADER_OFFSET + 2), "a well-formed version 1 batch of 3");
    }

    @Test
    void shouldTellAVersionOneCreateAccountsClientToUpgrade()
    {
        final byte[] frame = VersionOneFrames.createAccounts(CORRELATION_ID, 5, Frames.values(2));
        assertEquals(HEADER_LENGTH + 8 + 4 + 5 * 24, frame.length, "version 1 accounts were 24 bytes");

        assertVersionOneRejected(frame, CreateAccountsDecoder.TEMPLATE_ID);
    }

    @ParameterizedTest
    @ValueSource(ints = { LookupAccountsDecoder.TEMPLATE_ID, LookupTransfersDecoder.TEMPLATE_ID })
    void shouldTellAVersionOneLookupClientToUpgrade(final int templateId)
    {
        final byte[] frame = VersionOneFrames.lookup(templateId, CORRELATION_ID, 4, Frames.values(3));
        assertEquals(HEADER_LENGTH + 8 + 4 + 4 * 8, frame.length, "version 1 ids were 8 bytes");

        assertVersionOneRejected(frame, templateId);
    }

    @Test
    void shouldTellAVersionOneClientToUpgradeWhenItConnects()
    {
        final byte[] frame = VersionOneFrames.connect(CORRELATION_ID, "secret", "aeron:ipc", Frames.values(4));

        assertVersionOneRejected(frame, ConnectDecoder.TEMPLATE_ID);
    }

    @Test
    void shouldTellAVersionOneClientToUpgradeWhateverTheLengthsItsFrameDeclares()
    {
        final byte[] lookup = VersionOneFrames.lookup(LookupAccountsDecoder.TEMPLATE_ID, CORRELATION_ID, 1024,
            Frames.values(5));

        for (final int length : new int[]{ HEADER_LENGTH, HEADER_LENGTH + 7, HEADER_LENGTH + 8, 100, lookup.length })
        {
            assertFalse(validator.validate(new UnsafeBuffer(lookup), 0, length));
            assertEquals(FrameFault.VERSION_UNSUPPORTED, validator.fault(), () -> detail(validator));
            assertEquals(length >= HEADER_LENGTH + 8 ? CORRELATION_ID : 0, validator.correlationId());
        }
    }

    @Test
    void shouldTellAClientOfAVersionOneServiceThatTheServiceMustBeUpgraded()
    {
        final FrameValidator egress = FrameValidator.forEgress();
        final byte[][] frames = {
            VersionOneFrames.transfers(CORRELATION_ID, 2, Frames.values(6)),
            VersionOneFrames.createTransfersResult(CORRELATION_ID, 2, Frames.values(7)),
        };

        for (final byte[] frame : frames)
        {
            assertFalse(validate(egress, frame));
            assertEquals(RejectReason.UNSUPPORTED_VERSION, egress.reason());
            assertEquals(CORRELATION_ID, egress.correlationId());
            assertEquals("schema version 1 (64-bit ids and amounts) is no longer read: this client reads version 2 " +
                "(128-bit ids and amounts) and later; upgrade the service to one that sends version 2",
                detail(egress));
        }
    }

    @Test
    void shouldSayThatVersionZeroIsNoPaycoreVersionAndVersionOneIsRetired()
    {
        final byte[] frame = Frames.createAccounts(CORRELATION_ID, 1);
        putUint16(frame, VERSION_OFFSET, 0);

        assertRejected(frame, RejectReason.UNSUPPORTED_VERSION, FrameFault.VERSION_UNSUPPORTED);
        assertEquals("schema version 0 is not a paycore version, and version 1 (64-bit ids and amounts) is no " +
            "longer read: this service reads version 2 (128-bit ids and amounts) and later; upgrade the client " +
            "library to one that sends version 2", detail(validator));
    }

    @Test
    void shouldAcceptANewerVersionWithLongerBlocksAndDecodeItWithItsActingLengths()
    {
        final int extraBytes = 8;
        final byte[] current = Frames.createTransfers(CORRELATION_ID, 3);
        final int entryLength = CreateTransfersDecoder.TransfersDecoder.sbeBlockLength();
        final int groupStart = HEADER_LENGTH + CreateTransfersDecoder.BLOCK_LENGTH;
        final int groupHeader = CreateTransfersDecoder.TransfersDecoder.HEADER_SIZE;
        final byte[] newer = new byte[current.length + extraBytes + 3 * extraBytes];
        System.arraycopy(current, 0, newer, 0, groupStart);
        System.arraycopy(current, groupStart, newer, groupStart + extraBytes, groupHeader);
        for (int i = 0; i < 3; i++)
        {
            System.arraycopy(current, groupStart + groupHeader + i * entryLength,
                newer, groupStart + extraBytes + groupHeader + i * (entryLength + extraBytes), entryLength);
        }
        putUint16(newer, BLOCK_LENGTH_OFFSET, CreateTransfersDecoder.BLOCK_LENGTH + extraBytes);
        putUint16(newer, VERSION_OFFSET, CreateTransfersDecoder.SCHEMA_VERSION + 1);
        putUint16(newer, groupStart + extraBytes, entryLength + extraBytes);

        assertTrue(validate(validator, newer), () -> detail(validator));
        assertEquals(newer.length, validator.messageLength());

        final CreateTransfersDecoder currentDecoder = new CreateTransfersDecoder();
        final CreateTransfersDecoder newerDecoder = new CreateTransfersDecoder();
        currentDecoder.wrapAndApplyHeader(new UnsafeBuffer(current), 0, new MessageHeaderDecoder());
        newerDecoder.wrapAndApplyHeader(new UnsafeBuffer(newer), 0, new MessageHeaderDecoder());
        assertEquals(currentDecoder.correlationId(), newerDecoder.correlationId());
        final CreateTransfersDecoder.TransfersDecoder currentEntries = currentDecoder.transfers();
        final CreateTransfersDecoder.TransfersDecoder newerEntries = newerDecoder.transfers();
        assertEquals(3, newerEntries.count());
        while (currentEntries.hasNext())
        {
            currentEntries.next();
            newerEntries.next();
            assertEquals(currentEntries.id().lo(), newerEntries.id().lo());
            assertEquals(currentEntries.id().hi(), newerEntries.id().hi());
            assertEquals(currentEntries.amount().lo(), newerEntries.amount().lo());
            assertEquals(currentEntries.amount().hi(), newerEntries.amount().hi());
            assertEquals(currentEntries.flags(), newerEntries.flags());
            assertEquals(currentEntries.timestamp(), newerEntries.timestamp());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { ConnectDecoder.TEMPLATE_ID, CreateAccountsDecoder.TEMPLATE_ID,
        CreateTransfersDecoder.TEMPLATE_ID, LookupAccountsDecoder.TEMPLATE_ID, LookupTransfersDecoder.TEMPLATE_ID })
    void shouldRejectHeaderBlockLengthShorterThanTheTemplates(final int templateId)
    {
        final byte[] frame = Frames.frame(templateId, CORRELATION_ID, 2);
        final int blockLength = Frames.uint16(frame, BLOCK_LENGTH_OFFSET);

        for (final int wrong : new int[]{ 0, blockLength - 1 })
        {
            putUint16(frame, BLOCK_LENGTH_OFFSET, wrong);

            assertRejected(frame, RejectReason.LENGTH_MISMATCH, FrameFault.BLOCK_LENGTH_MISMATCH);
            assertEquals(blockLength, validator.expected());
            assertEquals(wrong, validator.found());
            assertEquals(CORRELATION_ID, validator.correlationId());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3 })
    void shouldRejectGroupBlockLengthShorterThanTheGroups(final int count)
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, count);
        putUint16(frame, GROUP_HEADER_OFFSET, CreateTransfersDecoder.TransfersDecoder.sbeBlockLength() - 1);

        assertRejected(frame, RejectReason.LENGTH_MISMATCH, FrameFault.GROUP_BLOCK_LENGTH_MISMATCH);
        assertEquals(GROUP_HEADER_OFFSET, validator.position());
        assertEquals(CreateTransfersDecoder.TransfersDecoder.sbeBlockLength(), validator.expected());
    }

    @Test
    void shouldRejectGroupCountOverTheConfiguredLimit()
    {
        final FrameValidator limited = FrameValidator.forIngress(10);

        assertTrue(validate(limited, Frames.createAccounts(CORRELATION_ID, 10)), () -> detail(limited));
        assertFalse(validate(limited, Frames.createAccounts(CORRELATION_ID, 11)));
        assertEquals(RejectReason.GROUP_COUNT_OVER_LIMIT, limited.reason());
        assertEquals(FrameFault.GROUP_COUNT_OVER_LIMIT, limited.fault());
        assertEquals(10, limited.expected());
        assertEquals(11, limited.found());
        assertEquals(11, limited.groupCount());
        assertEquals(CORRELATION_ID, limited.correlationId());
        assertEquals("group count 11 at offset 16 is over the limit of 10 events per batch", detail(limited));
    }

    @Test
    void shouldRejectGroupCountOverTheProtocolLimitEvenWhenAllEntriesArePresent()
    {
        final byte[] max = Frames.lookupAccounts(CORRELATION_ID, ProtocolLimits.MAX_BATCH_EVENTS);
        final int entryLength = LookupAccountsDecoder.IdsDecoder.sbeBlockLength();
        final byte[] over = Arrays.copyOf(max, max.length + entryLength);
        putUint16(over, GROUP_HEADER_OFFSET + 2, ProtocolLimits.MAX_BATCH_EVENTS + 1);

        assertRejected(over, RejectReason.GROUP_COUNT_OVER_LIMIT, FrameFault.GROUP_COUNT_OVER_LIMIT);
        assertEquals(ProtocolLimits.MAX_BATCH_EVENTS, validator.expected());
    }

    @Test
    void shouldRejectGroupCountOverTheLimitBeforeCheckingThatItFits()
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 1);
        putUint16(frame, GROUP_HEADER_OFFSET + 2, 0xFFFF);

        assertRejected(frame, RejectReason.GROUP_COUNT_OVER_LIMIT, FrameFault.GROUP_COUNT_OVER_LIMIT);
    }

    @Test
    void shouldRejectShortHeaderAsTruncated()
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 1);
        for (int length = 0; length < HEADER_LENGTH; length++)
        {
            assertFalse(validator.validate(new UnsafeBuffer(frame), 0, length));
            assertEquals(RejectReason.TRUNCATED, validator.reason());
            assertEquals(FrameFault.HEADER_TRUNCATED, validator.fault());
            assertEquals(HEADER_LENGTH, validator.expected());
            assertEquals(length, validator.found());
            assertEquals(0, validator.templateId());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { CreateAccountsDecoder.TEMPLATE_ID, CreateTransfersDecoder.TEMPLATE_ID,
        LookupAccountsDecoder.TEMPLATE_ID, LookupTransfersDecoder.TEMPLATE_ID })
    void shouldRejectBatchTruncatedAtEveryBytePosition(final int templateId)
    {
        final byte[] frame = Frames.frame(templateId, CORRELATION_ID, 3);
        final int blockEnd = HEADER_LENGTH + Frames.uint16(frame, BLOCK_LENGTH_OFFSET);
        final int groupHeaderEnd = blockEnd + 4;

        for (int length = 0; length < frame.length; length++)
        {
            final FrameFault expectedFault = length < HEADER_LENGTH ? FrameFault.HEADER_TRUNCATED :
                length < blockEnd ? FrameFault.BLOCK_TRUNCATED :
                length < groupHeaderEnd ? FrameFault.GROUP_HEADER_TRUNCATED :
                FrameFault.GROUP_TRUNCATED;
            assertTruncatedAt(frame, length, expectedFault);
        }
        assertTrue(validator.validate(new UnsafeBuffer(frame), 0, frame.length));
    }

    @Test
    void shouldRejectConnectTruncatedAtEveryBytePosition()
    {
        final String credential = "secret";
        final String channel = "aeron:ipc";
        final byte[] frame = Frames.connect(CORRELATION_ID, credential, channel);
        final int credentialEnd = CONNECT_CREDENTIAL_OFFSET + 2 + credential.length();
        final int channelEnd = credentialEnd + 2 + channel.length();
        assertEquals(channelEnd, frame.length);

        for (int length = 0; length < frame.length; length++)
        {
            final FrameFault expectedFault = length < HEADER_LENGTH ? FrameFault.HEADER_TRUNCATED :
                length < CONNECT_CREDENTIAL_OFFSET ? FrameFault.BLOCK_TRUNCATED :
                length < CONNECT_CREDENTIAL_OFFSET + 2 ? FrameFault.VAR_DATA_HEADER_TRUNCATED :
                length < credentialEnd ? FrameFault.VAR_DATA_TRUNCATED :
                length < credentialEnd + 2 ? FrameFault.VAR_DATA_HEADER_TRUNCATED :
                FrameFault.VAR_DATA_TRUNCATED;
            assertTruncatedAt(frame, length, expectedFault);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 100 })
    void shouldRejectTrailingBytes(final int trailingBytes)
    {
        for (final int templateId : Frames.INGRESS_TEMPLATE_IDS)
        {
            final byte[] message = Frames.frame(templateId, CORRELATION_ID, 2);
            final byte[] frame = Arrays.copyOf(message, message.length + trailingBytes);

            assertRejected(frame, RejectReason.LENGTH_MISMATCH, FrameFault.TRAILING_BYTES);
            assertEquals(message.length, validator.expected());
            assertEquals(frame.length, validator.found());
            assertEquals(message.length, validator.position());
            assertEquals(CORRELATION_ID, validator.correlationId());
        }
    }

    @Test
    void shouldRejectCredentialLongerThanTheProtocolAllows()
    {
        final byte[] max = Frames.connect(CORRELATION_ID, Frames.ascii(ProtocolLimits.MAX_VAR_DATA_LENGTH, 'k'), "");
        final byte[] frame = new byte[max.length + 1];
        System.arraycopy(max, 0, frame, 0, CONNECT_CREDENTIAL_OFFSET + 2 + ProtocolLimits.MAX_VAR_DATA_LENGTH);
        frame[CONNECT_CREDENTIAL_OFFSET + 2 + ProtocolLimits.MAX_VAR_DATA_LENGTH] = 'k';
        putUint16(frame, CONNECT_CREDENTIAL_OFFSET, ProtocolLimits.MAX_VAR_DATA_LENGTH + 1);

        assertRejected(frame, RejectReason.LENGTH_MISMATCH, FrameFault.VAR_DATA_TOO_LONG);
        assertEquals(CONNECT_CREDENTIAL_OFFSET, validator.position());
        assertEquals(ProtocolLimits.MAX_VAR_DATA_LENGTH, validator.expected());
        assertEquals(ProtocolLimits.MAX_VAR_DATA_LENGTH + 1, validator.found());
        assertEquals("var data credential at offset 28 declares 1025 bytes, over the limit of 1024", detail(validator));
    }

    @Test
    void shouldRejectResponseChannelLongerThanTheProtocolAllowsEvenWhenTheFrameEndsFirst()
    {
        final byte[] frame = Frames.connect(CORRELATION_ID, "secret", "aeron:ipc");
        final int channelOffset = CONNECT_CREDENTIAL_OFFSET + 2 + "secret".length();
        putUint16(frame, channelOffset, 0xFFFF);

        assertRejected(frame, RejectReason.LENGTH_MISMATCH, FrameFault.VAR_DATA_TOO_LONG);
        assertEquals(channelOffset, validator.position());
        assertEquals("var data responseChannel at offset 36 declares 65535 bytes, over the limit of 1024",
            detail(validator));
    }

    @Test
    void shouldRejectRangesOutsideTheBufferWithoutReadingIt()
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 1);
        final RecordingBuffer buffer = new RecordingBuffer(frame);
        final int capacity = frame.length;
        final int[][] offsetAndLength = {
            { -1, capacity }, { 0, -1 }, { Integer.MIN_VALUE, 8 }, { 0, Integer.MIN_VALUE }, { 1, capacity },
            { capacity + 1, 0 }, { capacity, 1 }, { 8, Integer.MAX_VALUE }, { Integer.MAX_VALUE, Integer.MAX_VALUE },
            { Integer.MAX_VALUE, 1 },
        };

        for (final int[] range : offsetAndLength)
        {
            buffer.reset();

            assertFalse(validator.validate(buffer, range[0], range[1]));
            assertEquals(RejectReason.LENGTH_MISMATCH, validator.reason());
            assertEquals(FrameFault.RANGE_OUTSIDE_BUFFER, validator.fault());
            assertEquals(range[0], validator.position());
            assertEquals(range[1], validator.found());
            assertEquals(capacity, validator.expected());
            assertEquals(0, buffer.reads(), "must not touch the buffer");
        }
    }

    @Test
    void shouldRejectNullBufferWithoutThrowing()
    {
        assertFalse(validator.validate(null, 0, 0));
        assertEquals(FrameFault.RANGE_OUTSIDE_BUFFER, validator.fault());
        assertEquals("frame range at offset 0 of length 0 is outside the buffer of 0 bytes", detail(validator));
    }

    @Test
    void shouldAcceptEmptyRangeAtTheEndOfTheBufferAsTruncatedNotOutOfRange()
    {
        final byte[] frame = Frames.createTransfers(CORRELATION_ID, 1);

        assertFalse(validator.validate(new UnsafeBuffer(frame), frame.length, 0));
        assertEquals(FrameFault.HEADER_TRUNCATED, validator.fault());
    }

    @Test
    void shouldForgetThePreviousFrame()
    {
        final byte[] bad = Frames.createTransfers(CORRELATION_ID, 2);
        putUint16(bad, GROUP_HEADER_OFFSET + 2, 0xFFFF);
        assertFalse(validate(validator, bad));

        final byte[] good = Frames.connect(5, "a", "b");
        assertTrue(validate(validator, good));
        assertNull(validator.fault());
        assertEquals(0, validator.position());
        assertEquals(0, validator.expected());
        assertEquals(0, validator.found());
        assertEquals(0, validator.groupCount());
        assertEquals(5, validator.correlationId());

        assertFalse(validator.validate(new UnsafeBuffer(good), 0, 3));
        assertEquals(0, validator.correlationId());
        assertEquals(0, validator.templateId());
        assertEquals(0, validator.messageLength());
    }

    @Test
    void shouldDescribeEachFaultWithItsNumbers()
    {
        final byte[] transfers = Frames.createTransfers(CORRELATION_ID, 2);

        assertFalse(validator.validate(new UnsafeBuffer(transfers), 0, 18));
        assertEquals("frame of 18 bytes ends inside the group header at offset 16: needs 20 bytes", detail(validator));
        assertEquals("frame ends inside the group header", validator.detail());

        assertFalse(validator.validate(new UnsafeBuffer(transfers), 0, 5));
        assertEquals("frame of 5 bytes ends inside the message header at offset 0: needs 8 bytes", detail(validator));

        assertFalse(validator.validate(new UnsafeBuffer(transfers), 0, 12));
        assertEquals("frame of 12 bytes ends inside the root block at offset 8: needs 16 bytes", detail(validator));

        assertFalse(validator.validate(new UnsafeBuffer(transfers), 0, 200));
        assertEquals("frame of 200 bytes ends inside the group of 2 entries at offset 16: needs 276 bytes",
            detail(validator));

        assertFalse(validate(validator, Arrays.copyOf(transfers, 286)));
        assertEquals("frame of 286 bytes has 10 bytes after the end of the CreateTransfers message at offset 276",
            detail(validator));

        putUint16(transfers, VERSION_OFFSET, 1);
        assertFalse(validate(validator, transfers));
        assertEquals(VERSION_ONE_DETAIL, detail(validator));

        putUint16(transfers, SCHEMA_ID_OFFSET, 77);
        assertFalse(validate(validator, transfers));
        assertEquals("schema id 77 is not paycore's 1", detail(validator));

        final byte[] connect = Frames.connect(CORRELATION_ID, "secret", "aeron:ipc");
        assertFalse(validator.validate(new UnsafeBuffer(connect), 0, 33));
        assertEquals("frame of 33 bytes ends inside var data credential at offset 28: needs 36 bytes",
            detail(validator));
        assertFalse(validator.validate(new UnsafeBuffer(connect), 0, 37));
        assertEquals("frame of 37 bytes ends inside the length of var data responseChannel at offset 36: needs 38 bytes",
            detail(validator));

        putUint16(connect, BLOCK_LENGTH_OFFSET, 19);
        assertFalse(validate(validator, connect));
        assertEquals("block length 19 in the message header is shorter than Connect's 20", detail(validator));

        final byte[] ids = Frames.lookupTransfers(CORRELATION_ID, 1);
        putUint16(ids, GROUP_HEADER_OFFSET, 7);
        assertFalse(validate(validator, ids));
        assertEquals(
            "block length 7 in the group header at offset 16 is shorter than LookupTransfers's group entry length 16",
            detail(validator));

        assertTrue(validate(validator, Frames.lookupTransfers(CORRELATION_ID, 1)));
        assertEquals("valid LookupTransfers message of 36 bytes", detail(validator));
    }

    @Test
    void shouldPutTheSameDetailIntoABufferWithoutAStringBuilder()
    {
        final ExpandableArrayBuffer destination = new ExpandableArrayBuffer(16);
        final byte[] connect = Frames.connect(CORRELATION_ID, "secret", "aeron:ipc");
        putUint16(connect, CONNECT_CREDENTIAL_OFFSET, 2000);
        assertFalse(validate(validator, connect));

        final int lengthBytes = validator.putDetail(destination, 10);

        assertEquals(detail(validator), destination.getStringWithoutLengthAscii(10, lengthBytes));
        assertTrue(lengthBytes <= FrameValidator.MAX_DETAIL_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -1, 0, 1025, Integer.MAX_VALUE })
    void shouldRefuseBatchLimitsOutsideTheProtocol(final int maxBatchEvents)
    {
        assertThrows(IllegalArgumentException.class, () -> FrameValidator.forIngress(maxBatchEvents));
    }

    @Test
    void shouldSizeTheLargestAcceptedMessageToTheConfiguredLimit()
    {
        assertEquals(ProtocolLimits.MAX_MESSAGE_LENGTH, FrameValidator.forIngress().maxMessageLength());
        assertEquals(ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH, FrameValidator.forEgress().maxMessageLength());

        final FrameValidator limited = FrameValidator.forIngress(100);
        assertEquals(100, limited.maxBatchEvents());
        assertEquals(Frames.createTransfers(CORRELATION_ID, 100).length, limited.maxMessageLength());
    }

    @Test
    void shouldNotAllocateWhenValidating()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final UnsafeBuffer[] frames = {
            new UnsafeBuffer(Frames.createTransfers(CORRELATION_ID, 10)),
            new UnsafeBuffer(Frames.connect(CORRELATION_ID, "secret", "aeron:ipc")),
            new UnsafeBuffer(Frames.rejected(CORRELATION_ID, "x")),
            new UnsafeBuffer(Arrays.copyOf(Frames.lookupAccounts(CORRELATION_ID, 3), 100)),
        };
        final int iterations = 200_000;
        long checksum = validateMany(frames, iterations);

        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        checksum += validateMany(frames, iterations);
        final long allocatedBytes = threads.getThreadAllocatedBytes(threadId) - before;

        assertTrue(checksum != 0, "the work must not be optimised away");
        assertTrue(allocatedBytes < 4096,
            () -> allocatedBytes + " bytes allocated over " + iterations * frames.length + " validations");
    }

    private long validateMany(final UnsafeBuffer[] frames, final int iterations)
    {
        long checksum = 0;
        for (int i = 0; i < iterations; i++)
        {
            final UnsafeBuffer frame = frames[i & 3];
            final int length = (i & 4) == 0 ? frame.capacity() : i % frame.capacity();
            if (validator.validate(frame, 0, length))
            {
                checksum += validator.correlationId();
            }
            else
            {
                checksum += validator.found() + validator.reason().ordinal() + validator.detail().length();
            }
        }

        return checksum;
    }

    private void assertTruncatedAt(final byte[] frame, final int length, final FrameFault expectedFault)
    {
        assertFalse(validator.validate(new UnsafeBuffer(frame), 0, length), () -> "cut at " + length);
        assertEquals(RejectReason.TRUNCATED, validator.reason(), () -> "cut at " + length);
        assertEquals(expectedFault, validator.fault(), () -> "cut at " + length + ": " + detail(validator));
        assertEquals(length, validator.found());
        assertTrue(validator.expected() > length);
        assertEquals(length >= HEADER_LENGTH + 8 ? CORRELATION_ID : 0, validator.correlationId());
    }

    private void assertVersionOneRejected(final byte[] frame, final int templateId)
    {
        assertEquals(VersionOneFrames.VERSION, Frames.uint16(frame, VERSION_OFFSET));

        assertRejected(frame, RejectReason.UNSUPPORTED_VERSION, FrameFault.VERSION_UNSUPPORTED);
        assertEquals(VERSION_OFFSET, validator.position());
        assertEquals(2, validator.expected());
        assertEquals(1, validator.found());
        assertEquals(templateId, validator.templateId());
        assertEquals(CORRELATION_ID, validator.correlationId(), "the Rejected names the request");

        final String text = detail(validator);
        assertEquals(VERSION_ONE_DETAIL, text);
        assertTrue(text.contains("version 1 (64-bit ids and amounts) is no longer read"), text);
        assertTrue(text.contains("reads version 2"), text);

        final ExpandableArrayBuffer rejectedDetail = new ExpandableArrayBuffer(FrameValidator.MAX_DETAIL_LENGTH);
        final int lengthBytes = validator.putDetail(rejectedDetail, 0);
        assertTrue(lengthBytes <= FrameValidator.MAX_DETAIL_LENGTH);
        assertEquals(text, rejectedDetail.getStringWithoutLengthAscii(0, lengthBytes));
    }

    private void assertRejected(final byte[] frame, final RejectReason reason, final FrameFault fault)
    {
        assertFalse(validate(validator, frame));
        assertEquals(reason, validator.reason(), () -> detail(validator));
        assertEquals(fault, validator.fault(), () -> detail(validator));
        assertEquals(fault.description(), validator.detail());
        assertEquals(0, validator.messageLength());
    }

    static boolean validate(final FrameValidator validator, final byte[] frame)
    {
        return validator.validate(new UnsafeBuffer(frame), 0, frame.length);
    }

    static String detail(final FrameValidator validator)
    {
        return validator.appendDetail(new StringBuilder()).toString();
    }
}
