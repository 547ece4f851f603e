package io.paycore.codec;

import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.RejectReason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import static io.paycore.codec.Frames.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameValidatorPropertiesTest
{
    private static final EnumSet<FrameFault> TRUNCATED_AFTER_HEADER = EnumSet.of(
        FrameFault.BLOCK_TRUNCATED,
        FrameFault.GROUP_HEADER_TRUNCATED,
        FrameFault.GROUP_TRUNCATED,
        FrameFault.VAR_DATA_HEADER_TRUNCATED,
        FrameFault.VAR_DATA_TRUNCATED);

    private static final long[] EXTREME_HALVES = { 0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1 };

    private final FrameValidator ingress = FrameValidator.forIngress();
    private final FrameValidator egress = FrameValidator.forEgress();
    private final UnsafeBuffer detailBuffer = new UnsafeBuffer(new byte[FrameValidator.MAX_DETAIL_LENGTH]);

    /**
     * Which part of a valid frame a byte belongs to, so that the effect of changing it can be predicted.
     */
    enum Region
    {
        BLOCK_LENGTH, TEMPLATE_ID, SCHEMA_ID, VERSION, CORRELATION_ID, BLOCK_OTHER,
        GROUP_BLOCK_LENGTH, GROUP_COUNT, GROUP_ENTRY,
        VAR_LENGTH_FIRST, VAR_LENGTH_LAST, VAR_DATA
    }

    /**
     * A valid frame with payload bytes randomised, and the region of each of its bytes.
     */
    record ValidFrame(int templateId, long correlationId, byte[] bytes, Region[] regions)
    {
        ValidFrame copyOf(final byte[] newBytes)
        {
            return new ValidFrame(templateId, correlationId, newBytes, regions);
        }

        public String toString()
        {
            return "template " + templateId + ", " + bytes.length + " bytes: " + BitUtil.toHex(bytes);
        }
    }

    @Provide
    Arbitrary<ValidFrame> ingressFrames()
    {
        return validFrames(Frames.INGRESS_TEMPLATE_IDS, MessageLayout.INGRESS);
    }

    @Provide
    Arbitrary<ValidFrame> egressFrames()
    {
        return validFrames(Frames.EGRESS_TEMPLATE_IDS, MessageLayout.EGRESS);
    }

    @Provide
    Arbitrary<byte[]> mutatedIngressFrames()
    {
        return Combinators.combine(ingressFrames(), Arbitraries.longs(), Arbitraries.integers().between(1, 3))
            .as((frame, seed, mutations) -> mutate(frame.bytes(), new Random(seed), mutations));
    }

    @Provide
    Arbitrary<Integer> offsetsAndLengths()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().between(-4, 80)),
            Tuple.of(1, Arbitraries.integers()));
    }

    @Provide
    Arbitrary<Integer> versionOneIngressTemplateIds()
    {
        return Arbitraries.of(IntStream.of(VersionOneFrames.INGRESS_TEMPLATE_IDS).boxed().toArray(Integer[]::new));
    }

    @Property(tries = 1000)
    void shouldAcceptEveryWellFormedIngressMessage(@ForAll("ingressFrames") final ValidFrame frame)
    {
        assertAcceptedAsSbeReadsIt(ingress, frame);
    }

    @Property(tries = 1000)
    void shouldAcceptEveryWellFormedEgressMessage(@ForAll("egressFrames") final ValidFrame frame)
    {
        assertAcceptedAsSbeReadsIt(egress, frame);
    }

    @Property(tries = 500)
    void shouldCarryAnyUint128IdLowHalfFirst(
        @ForAll final long lo,
        @ForAll final long hi,
        @ForAll @IntRange(min = 4, max = 5) final int templateId,
        @ForAll("sizesUpToTheLimit") final int count)
    {
        final long[] halves = { lo, hi };
        final int[] draws = { 0 };
        final byte[] bytes = Frames.frame(templateId, 42, count, () -> halves[draws[0]++ & 1]);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertTrue(ingress.validate(buffer, 0, bytes.length), () -> FrameValidatorTest.detail(ingress));
        assertEquals(count, ingress.groupCount());
        assertEquals(HEADER_LENGTH + Long.BYTES + 4 + count * 16, ingress.messageLength(), "16 bytes an id");

        for (int i = 0; i < count; i++)
        {
            final int entry = HEADER_LENGTH + Long.BYTES + 4 + i * 16;
            assertEquals(lo, buffer.getLong(entry, ByteOrder.LITTLE_ENDIAN), "low half first, as TigerBeetle's u128");
            assertEquals(hi, buffer.getLong(entry + Long.BYTES, ByteOrder.LITTLE_ENDIAN));
        }

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int decoded = 0;
        if (LookupAccountsDecoder.TEMPLATE_ID == templateId)
        {
            for (final LookupAccountsDecoder.IdsDecoder ids :
                new LookupAccountsDecoder().wrapAndApplyHeader(buffer, 0, header).ids())
            {
                assertEquals(lo, ids.id().lo());
                assertEquals(hi, ids.id().hi());
                decoded++;
            }
        }
        else
        {
            for (final LookupTransfersDecoder.IdsDecoder ids :
                new LookupTransfersDecoder().wrapAndApplyHeader(buffer, 0, header).ids())
            {
                assertEquals(lo, ids.id().lo());
                assertEquals(hi, ids.id().hi());
                decoded++;
            }
        }
        assertEquals(count, decoded);
    }

    @Property(tries = 1000)
    void shouldAnswerEveryVersionOneFrameWithUnsupportedVersionWhateverItsLength(
        @ForAll("versionOneIngressTemplateIds") final int templateId,
        @ForAll("sizesUpToTheLimit") final int size,
        @ForAll final long correlationId,
        @ForAll @IntRange(max = 64) final int prefixLength,
        @ForAll final Random random)
    {
        final byte[] frame = VersionOneFrames.ingress(
            templateId, correlationId, size, fieldValues(random.nextLong()));
        final int length = HEADER_LENGTH + random.nextInt(frame.length - HEADER_LENGTH + 1);
        final byte[] array = new byte[prefixLength + frame.length];
        random.nextBytes(array);
        System.arraycopy(frame, 0, array, prefixLength, frame.length);
        final RecordingBuffer recording = new RecordingBuffer(array);

        final boolean valid = ingress.validate(recording, prefixLength, length);

        assertFalse(valid);
        assertConsistent(ingress, false, length);
        assertReadsInside(recording, prefixLength, length);
        assertEquals(RejectReason.UNSUPPORTED_VERSION, ingress.reason());
        assertEquals(FrameFault.VERSION_UNSUPPORTED, ingress.fault());
        assertEquals(1, ingress.found());
        assertEquals(2, ingress.expected());
        assertEquals(templateId, ingress.templateId());
        assertEquals(length >= HEADER_LENGTH + Long.BYTES ? correlationId : 0, ingress.correlationId());
        final String detail = FrameValidatorTest.detail(ingress);
        assertTrue(detail.startsWith("schema version 1 (64-bit ids and amounts) is no longer read"), detail);
        assertTrue(detail.contains("reads version 2"), detail);
    }

    @Property(tries = 200)
    void shouldAnswerVersionOneEgressWithUnsupportedVersion(
        @ForAll("sizesUpToTheLimit") final int count, @ForAll final boolean transfers, @ForAll final long seed)
    {
        final byte[] frame = transfers ?
            VersionOneFrames.transfers(seed, count, fieldValues(seed)) :
            VersionOneFrames.createTransfersResult(seed, count, fieldValues(seed));

        assertFalse(FrameValidatorTest.validate(egress, frame));
        assertConsistent(egress, false, frame.length);
        assertEquals(FrameFault.VERSION_UNSUPPORTED, egress.fault());
        assertEquals(seed, egress.correlationId());
        assertTrue(FrameValidatorTest.detail(egress).contains("upgrade the service"));
    }

    @Provide
    Arbitrary<Integer> sizesUpToTheLimit()
    {
        return sizes();
    }

    @Property(tries = 1000)
    void shouldAnswerConsistentlyForRandomBytes(@ForAll @Size(max = 200) final byte[] bytes)
    {
        final boolean valid = ingress.validate(new UnsafeBuffer(bytes), 0, bytes.length);

        assertConsistent(ingress, valid, bytes.length);
        if (bytes.length < HEADER_LENGTH)
        {
            assertEquals(FrameFault.HEADER_TRUNCATED, ingress.fault());
        }
    }

    @Property(tries = 3000)
    void shouldAgreeWithTheGeneratedDecodersOnMutatedFrames(@ForAll("mutatedIngressFrames") final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final boolean valid = ingress.validate(buffer, 0, frame.length);

        assertConsistent(ingress, valid, frame.length);
        if (valid)
        {
            assertEquals(frame.length, SbeWalk.decodedLength(buffer), "SBE walks the whole valid frame");
        }
        else if (TRUNCATED_AFTER_HEADER.contains(ingress.fault()))
        {
            assertTrue(walkLeavesFrame(buffer), "SBE needs more bytes than a truncated frame has");
        }
    }

    @Property(tries = 1000)
    void shouldRejectEveryProperPrefixOfAValidFrameAsTruncated(
        @ForAll("ingressFrames") final ValidFrame frame, @ForAll final Random random)
    {
        final byte[] bytes = frame.bytes();
        final int cut = random.nextInt(bytes.length + 1);

        final boolean valid = ingress.validate(new UnsafeBuffer(bytes), 0, cut);

        assertConsistent(ingress, valid, cut);
        assertEquals(cut == bytes.length, valid, () -> "cut at " + cut);
        if (!valid)
        {
            assertEquals(RejectReason.TRUNCATED, ingress.reason());
        }
    }

    @Property(tries = 1000)
    void shouldRejectTrailingBytesAsLengthMismatch(
        @ForAll("ingressFrames") final ValidFrame frame, @ForAll @Size(min = 1, max = 64) final byte[] trailing)
    {
        final byte[] bytes = Arrays.copyOf(frame.bytes(), frame.bytes().length + trailing.length);
        System.arraycopy(trailing, 0, bytes, frame.bytes().length, trailing.length);

        assertFalse(FrameValidatorTest.validate(ingress, bytes));
        assertEquals(RejectReason.LENGTH_MISMATCH, ingress.reason());
        assertEquals(FrameFault.TRAILING_BYTES, ingress.fault());
        assertEquals(frame.bytes().length, ingress.expected());
        assertEquals(frame.correlationId(), ingress.correlationId());
    }

    @Property(tries = 3000)
    void shouldAnswerPredictablyForASingleBitFlip(
        @ForAll("ingressFrames") final ValidFrame frame, @ForAll final Random random)
    {
        final byte[] bytes = frame.bytes().clone();
        final int index = random.nextInt(bytes.length);
        final int bit = random.nextInt(Byte.SIZE);
        final int fieldStart = fieldStart(frame.regions(), index);
        final int before = Frames.uint16(bytes, fieldStart);
        bytes[index] ^= (byte)(1 << bit);
        final int after = Frames.uint16(bytes, fieldStart);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        final boolean valid = ingress.validate(buffer, 0, bytes.length);

        assertConsistent(ingress, valid, bytes.length);
        final Region region = frame.regions()[index];
        switch (region)
        {
            case BLOCK_LENGTH:
                if (after < before)
                {
                    assertFault(FrameFault.BLOCK_LENGTH_MISMATCH);
                }
                else
                {
                    // A longer block is a newer version's: the rest of the frame is then read from further on.
                    assertNotEquals(FrameFault.BLOCK_LENGTH_MISMATCH, ingress.fault());
                }
                break;

            case SCHEMA_ID:
                assertFault(FrameFault.SCHEMA_ID_UNKNOWN);
                break;

            case VERSION:
                if (after < FrameValidator.MIN_VERSION)
                {
                    assertFault(FrameFault.VERSION_UNSUPPORTED);
                }
                else
                {
                    assertTrue(valid, () -> "a newer version is read with its acting lengths: " +
                        FrameValidatorTest.detail(ingress));
                }
                break;

            case TEMPLATE_ID:
                if (IntStream.of(Frames.INGRESS_TEMPLATE_IDS).noneMatch((id) -> id == after))
                {
                    assertFault(FrameFault.TEMPLATE_UNKNOWN);
                }
                else if (valid)
                {
                    assertEquals(after, ingress.templateId());
                }
                else
                {
                    // Another template's layout read over these bytes: its block may be shorter than the header
                    // says (read as a newer version's) or longer, so the fault depends on the two layouts.
                    assertNotEquals(null, ingress.fault());
                    assertNotEquals(FrameFault.TEMPLATE_UNKNOWN, ingress.fault());
                }
                break;

            case CORRELATION_ID:
                assertTrue(valid);
                assertEquals(buffer.getLong(HEADER_LENGTH, MessageHeaderDecoder.BYTE_ORDER), ingress.correlationId());
                assertTrue(frame.correlationId() != ingress.correlationId());
                break;

            case BLOCK_OTHER:
            case GROUP_ENTRY:
            case VAR_DATA:
                assertTrue(valid, () -> FrameValidatorTest.detail(ingress));
                assertEquals(frame.correlationId(), ingress.correlationId());
                break;

            case GROUP_BLOCK_LENGTH:
                if (after < before)
                {
                    assertFault(FrameFault.GROUP_BLOCK_LENGTH_MISMATCH);
                }
                else if (!valid)
                {
                    assertFault(FrameFault.GROUP_TRUNCATED);
                }
                else
                {
                    assertEquals(0, ingress.groupCount(), "longer entries fit only an empty group");
                }
                break;

            case GROUP_COUNT:
                assertFault(after > ProtocolLimits.MAX_BATCH_EVENTS ? FrameFault.GROUP_COUNT_OVER_LIMIT :
                    after > before ? FrameFault.GROUP_TRUNCATED : FrameFault.TRAILING_BYTES);
                break;

            case VAR_LENGTH_LAST:
                assertFault(after > ProtocolLimits.MAX_VAR_DATA_LENGTH ? FrameFault.VAR_DATA_TOO_LONG :
                    after > before ? FrameFault.VAR_DATA_TRUNCATED : FrameFault.TRAILING_BYTES);
                break;

            case VAR_LENGTH_FIRST:
                if (after > ProtocolLimits.MAX_VAR_DATA_LENGTH)
                {
                    assertFault(FrameFault.VAR_DATA_TOO_LONG);
                }
                else if (valid)
                {
                    assertEquals(bytes.length, SbeWalk.decodedLength(buffer));
                }
                break;

            default:
                throw new IllegalStateException(region.name());
        }
    }

    @Property(tries = 1000)
    void shouldReadNothingOutsideTheFrame(
        @ForAll("mutatedIngressFrames") final byte[] frame,
        @ForAll @IntRange(max = 64) final int prefixLength,
        @ForAll @IntRange(max = 64) final int suffixLength,
        @ForAll final Random random)
    {
        final boolean expectedValid = FrameValidatorTest.validate(ingress, frame);
        final String expected = snapshot(ingress);

        final byte[] array = new byte[prefixLength + frame.length + suffixLength];
        random.nextBytes(array);
        System.arraycopy(frame, 0, array, prefixLength, frame.length);
        final RecordingBuffer recording = new RecordingBuffer(array);

        assertEquals(expectedValid, ingress.validate(recording, prefixLength, frame.length));
        assertEquals(expected, snapshot(ingress), "the surroundings must not change the answer");
        assertReadsInside(recording, prefixLength, frame.length);

        final UnsafeBuffer exactSlice = new UnsafeBuffer(array, prefixLength, frame.length);
        assertEquals(expectedValid, ingress.validate(exactSlice, 0, frame.length));
        assertEquals(expected, snapshot(ingress));
    }

    @Property(tries = 1000)
    void shouldNotCompleteATruncatedFrameFromTheBytesAfterIt(
        @ForAll("ingressFrames") final ValidFrame frame,
        @ForAll @IntRange(max = 64) final int prefixLength,
        @ForAll final Random random)
    {
        final byte[] bytes = frame.bytes();
        final int cut = random.nextInt(bytes.length);
        final byte[] array = new byte[prefixLength + bytes.length];
        random.nextBytes(array);
        System.arraycopy(bytes, 0, array, prefixLength, bytes.length);
        final RecordingBuffer recording = new RecordingBuffer(array);

        assertFalse(ingress.validate(recording, prefixLength, cut), "the rest of the message is beyond the frame");
        assertEquals(RejectReason.TRUNCATED, ingress.reason());
        assertReadsInside(recording, prefixLength, cut);

        final String inside = snapshot(ingress);
        assertFalse(ingress.validate(new UnsafeBuffer(Arrays.copyOf(bytes, cut)), 0, cut));
        assertEquals(snapshot(ingress), inside);
    }

    @Property(tries = 2000)
    void shouldNeverThrowForAnyOffsetAndLength(
        @ForAll @Size(max = 64) final byte[] bytes,
        @ForAll("offsetsAndLengths") final int offset,
        @ForAll("offsetsAndLengths") final int length)
    {
        final RecordingBuffer buffer = new RecordingBuffer(bytes);
        final boolean inside = offset >= 0 && length >= 0 && (long)offset + length <= bytes.length;

        final boolean valid = ingress.validate(buffer, offset, length);

        assertConsistent(ingress, valid, length);
        if (inside)
        {
            assertReadsInside(buffer, offset, length);
        }
        else
        {
            assertEquals(FrameFault.RANGE_OUTSIDE_BUFFER, ingress.fault());
            assertEquals(0, buffer.reads());
        }
    }

    @Property(tries = 300)
    void shouldEnforceTheConfiguredBatchLimit(
        @ForAll @IntRange(min = 1, max = 1024) final int maxBatchEvents,
        @ForAll @IntRange(max = 1024) final int count,
        @ForAll @IntRange(min = 2, max = 5) final int templateId)
    {
        final FrameValidator limited = FrameValidator.forIngress(maxBatchEvents);
        final byte[] frame = Frames.frame(templateId, 42, count);

        final boolean valid = FrameValidatorTest.validate(limited, frame);

        assertEquals(count <= maxBatchEvents, valid);
        assertEquals(count, limited.groupCount());
        if (!valid)
        {
            assertEquals(RejectReason.GROUP_COUNT_OVER_LIMIT, limited.reason());
        }
        assertTrue(frame.length <= limited.maxMessageLength() || !valid);
    }

    @Property(tries = 500)
    void shouldAcceptEgressFramesOnlyOnTheEgressSide(
        @ForAll("egressFrames") final ValidFrame frame, @ForAll final Random random)
    {
        final byte[] bytes = frame.bytes();

        assertTrue(FrameValidatorTest.validate(egress, bytes), () -> FrameValidatorTest.detail(egress));
        assertEquals(frame.templateId(), egress.templateId());
        assertEquals(frame.correlationId(), egress.correlationId());
        assertTrue(bytes.length <= ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);

        assertFalse(FrameValidatorTest.validate(ingress, bytes));
        assertEquals(RejectReason.UNKNOWN_TEMPLATE, ingress.reason());

        final int cut = random.nextInt(bytes.length);
        assertFalse(egress.validate(new UnsafeBuffer(bytes), 0, cut));
        assertEquals(RejectReason.TRUNCATED, egress.reason());
    }

    private static void assertAcceptedAsSbeReadsIt(final FrameValidator validator, final ValidFrame frame)
    {
        final byte[] bytes = frame.bytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertTrue(validator.validate(buffer, 0, bytes.length), () -> FrameValidatorTest.detail(validator));
        assertEquals(frame.templateId(), validator.templateId());
        assertEquals(frame.correlationId(), validator.correlationId());
        assertEquals(bytes.length, validator.messageLength());
        assertEquals(SbeWalk.decodedLength(buffer), validator.messageLength(), "as long as SBE's decoders walk it");
        assertTrue(validator.messageLength() <= validator.maxMessageLength());
        assertEquals(groupCount(frame), validator.groupCount());
    }

    private static int groupCount(final ValidFrame frame)
    {
        for (int i = 0; i < frame.regions().length; i++)
        {
            if (frame.regions()[i] == Region.GROUP_COUNT)
            {
                return Frames.uint16(frame.bytes(), i);
            }
        }

        return 0;
    }

    private void assertFault(final FrameFault expected)
    {
        assertEquals(expected, ingress.fault(), () -> FrameValidatorTest.detail(ingress));
    }

    private void assertConsistent(final FrameValidator validator, final boolean valid, final int length)
    {
        assertEquals(valid, validator.isValid());
        if (valid)
        {
            assertNull(validator.reason());
            assertNull(validator.fault());
            assertNull(validator.detail());
            assertEquals(length, validator.messageLength());
            assertTrue(validator.messageLength() <= validator.maxMessageLength());
            assertTrue(validator.groupCount() <= validator.maxBatchEvents());
        }
        else
        {
            final FrameFault fault = validator.fault();
            assertNotNull(fault);
            assertEquals(fault.reason(), validator.reason());
            assertEquals(fault.description(), validator.detail());
            assertEquals(0, validator.messageLength());
        }

        final String text = FrameValidatorTest.detail(validator);
        final int textLength = validator.putDetail(detailBuffer, 0);
        assertTrue(textLength <= FrameValidator.MAX_DETAIL_LENGTH);
        assertEquals(text, detailBuffer.getStringWithoutLengthAscii(0, textLength));
    }

    private static void assertReadsInside(final RecordingBuffer buffer, final int offset, final int length)
    {
        if (buffer.reads() > 0)
        {
            assertTrue(buffer.lowestIndex() >= offset, () -> "read at " + buffer.lowestIndex());
            assertTrue(buffer.highestIndexExclusive() <= offset + length,
                () -> "read up to " + buffer.highestIndexExclusive() + " past " + (offset + length));
        }
    }

    private static boolean walkLeavesFrame(final DirectBuffer exactBuffer)
    {
        try
        {
            return SbeWalk.decodedLength(exactBuffer) > exactBuffer.capacity();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return true;
        }
    }

    private static String snapshot(final FrameValidator validator)
    {
        return validator.isValid() + " " + validator.fault() + " position=" + validator.position() +
            " expected=" + validator.expected() + " found=" + validator.found() +
            " template=" + validator.templateId() + " correlation=" + validator.correlationId() +
            " count=" + validator.groupCount() + " length=" + validator.messageLength();
    }

    private static int fieldStart(final Region[] regions, final int index)
    {
        final Region region = regions[index];
        final boolean twoByteField = region == Region.BLOCK_LENGTH || region == Region.TEMPLATE_ID ||
            region == Region.SCHEMA_ID || region == Region.VERSION || region == Region.GROUP_BLOCK_LENGTH ||
            region == Region.GROUP_COUNT || region == Region.VAR_LENGTH_FIRST || region == Region.VAR_LENGTH_LAST;
        if (!twoByteField)
        {
            return Math.min(index, regions.length - 2);
        }

        return index > 0 && regions[index - 1] == region && (index < 2 || regions[index - 2] != region) ?
            index - 1 : index;
    }

    /**
     * Valid frames of the given templates: counts and var data lengths mostly small, sometimes anything up to the
     * protocol's limits and often the limits themselves; every field value (each half of a {@code uint128}) drawn
     * from {@link #fieldValues(long)}; var data bytes anything, ASCII or not, as the validator must not care.
     */
    private static Arbitrary<ValidFrame> validFrames(final int[] templateIds, final MessageLayout[] layouts)
    {
        final MessageLayout[] byTemplateId = MessageLayout.byTemplateId(layouts);
        final Arbitrary<Integer> templates = Arbitraries.of(IntStream.of(templateIds).boxed().toArray(Integer[]::new));

        return Combinators.combine(templates, Arbitraries.longs(), sizes(), sizes(), Arbitraries.longs())
            .as((templateId, correlationId, size, otherSize, seed) ->
            {
                final LongSupplier values = fieldValues(seed);
                final byte[] bytes = templateId == ConnectDecoder.TEMPLATE_ID ?
                    Frames.connect(correlationId, Frames.ascii(size, 'c'), Frames.ascii(otherSize, 'r'), values) :
                    Frames.frame(templateId, correlationId, size, values);
                final Region[] regions = regions(byTemplateId[templateId], bytes);
                final Random random = new Random(seed);
                for (int i = 0; i < bytes.length; i++)
                {
                    if (regions[i] == Region.VAR_DATA)
                    {
                        bytes[i] = (byte)random.nextInt();
                    }
                }

                return new ValidFrame(templateId, correlationId, bytes, regions);
            });
    }

    private static Arbitrary<Integer> sizes()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(20, Arbitraries.integers().between(0, 8)),
            Tuple.of(2, Arbitraries.integers().between(0, ProtocolLimits.MAX_BATCH_EVENTS)),
            Tuple.of(1, Arbitraries.of(ProtocolLimits.MAX_BATCH_EVENTS - 1, ProtocolLimits.MAX_BATCH_EVENTS)));
    }

    /**
     * Field values for the frame builders: half of the draws are the extremes of a 64-bit half (0, 1, 2^63 - 1,
     * 2^63 and 2^64 - 1 as unsigned), so that {@code uint128} fields are often 0, 2^128 - 1, or have one half
     * empty and the other full; the rest are anything.
     */
    private static LongSupplier fieldValues(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);

        return () ->
        {
            final int pick = random.nextInt(2 * EXTREME_HALVES.length);
            return pick < EXTREME_HALVES.length ? EXTREME_HALVES[pick] : random.nextLong();
        };
    }

    private static Region[] regions(final MessageLayout layout, final byte[] bytes)
    {
        final Region[] regions = new Region[bytes.length];
        fill(regions, 0, 2, Region.BLOCK_LENGTH);
        fill(regions, 2, 2, Region.TEMPLATE_ID);
        fill(regions, 4, 2, Region.SCHEMA_ID);
        fill(regions, 6, 2, Region.VERSION);
        fill(regions, HEADER_LENGTH, layout.blockLengthBytes, Region.BLOCK_OTHER);
        fill(regions, HEADER_LENGTH + layout.correlationIdOffsetBytes, Long.BYTES, Region.CORRELATION_ID);

        int position = HEADER_LENGTH + layout.blockLengthBytes;
        if (layout.hasGroup())
        {
            fill(regions, position, 2, Region.GROUP_BLOCK_LENGTH);
            fill(regions, position + 2, 2, Region.GROUP_COUNT);
            final int count = Frames.uint16(bytes, position + 2);
            position += 4;
            fill(regions, position, count * layout.groupBlockLengthBytes, Region.GROUP_ENTRY);
            position += count * layout.groupBlockLengthBytes;
        }

        for (int i = 0; i < layout.varDataCount; i++)
        {
            final int length = Frames.uint16(bytes, position);
            fill(regions, position, 2, i == layout.varDataCount - 1 ? Region.VAR_LENGTH_LAST : Region.VAR_LENGTH_FIRST);
            fill(regions, position + 2, length, Region.VAR_DATA);
            position += 2 + length;
        }
        assertEquals(bytes.length, position);

        return regions;
    }

    private static void fill(final Region[] regions, final int from, final int length, final Region region)
    {
        Arrays.fill(regions, from, from + length, region);
    }

    private static byte[] mutate(final byte[] frame, final Random random, final int mutations)
    {
        byte[] bytes = frame.clone();
        for (int m = 0; m < mutations; m++)
        {
            final int index = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(5))
            {
                case 0:
                    bytes = Arrays.copyOf(bytes, index);
                    break;

                case 1:
                {
                    final int extra = 1 + random.nextInt(16);
                    bytes = Arrays.copyOf(bytes, bytes.length + extra);
                    for (int i = bytes.length - extra; i < bytes.length; i++)
                    {
                        bytes[i] = (byte)random.nextInt();
                    }
                    break;
                }

                case 2:
                    if (index + 1 < bytes.length)
                    {
                        final int[] interesting = { 0, 1, 2, 8, 1023, 1024, 1025, 0x7FFF, 0xFFFF, random.nextInt() };
                        Frames.putUint16(bytes, index, interesting[random.nextInt(interesting.length)]);
                    }
                    break;

                case 3:
                    for (int i = index; i < Math.min(bytes.length, index + 1 + random.nextInt(8)); i++)
                    {
                        bytes[i] = (byte)random.nextInt();
                    }
                    break;

                default:
                    if (bytes.length > 0)
                    {
                        bytes[index] ^= (byte)(1 << random.nextInt(Byte.SIZE));
                    }
                    break;
            }
        }

        return bytes;
    }
}
