package io.paycore.codec;

import io.paycore.codec.sbe.GroupSizeEncodingDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.RejectReason;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks that a frame holds exactly one well-formed paycore message before anything decodes it, and says precisely
 * why when it does not. A reusable flyweight: {@link #validate(DirectBuffer, int, int)} answers, then the accessors
 * describe the last frame validated until the next call.
 *
 * <h2>Rules, in the order they are checked</h2>
 * <ol>
 *     <li>offset and length must describe a range inside the buffer, else {@link FrameFault#RANGE_OUTSIDE_BUFFER}
 *     ({@link RejectReason#LENGTH_MISMATCH}); nothing is read.</li>
 *     <li>the frame must hold the 8-byte message header, else {@link RejectReason#TRUNCATED}.</li>
 *     <li>schema id must be paycore's (1), else {@link RejectReason#UNKNOWN_SCHEMA}.</li>
 *     <li>version must be at least {@link #MIN_VERSION} (2), else {@link RejectReason#UNSUPPORTED_VERSION}.
 *     Version 2 broke cleanly with version 1: its ids, amounts and balances are 128 bits and its accounts and
 *     transfers 128 bytes, so a version 1 frame (64-bit ids and amounts) cannot be read as version 2 and is answered
 *     with a detail that tells its sender to upgrade. Version 0 was never a paycore version. Newer versions are
 *     accepted: SBE schema evolution only appends fields to blocks and group entries, so a frame of version N is read
 *     with its own (acting) block lengths and version, and the fields this side does not know are skipped. The
 *     decoders do the same ({@code wrapAndApplyHeader}, group headers). Version 3 appended a client id and
 *     credential to {@code SubscribeFeed} and the queries: a version 2 frame of those is checked against the shape
 *     it had in version 2, and the generated decoders read its missing fields as absent.</li>
 *     <li>template id must be one of the accepted set: the ingress templates 1..5 for {@link #forIngress()}, the
 *     egress templates 101..106 for {@link #forEgress()}; else {@link RejectReason#UNKNOWN_TEMPLATE}.</li>
 *     <li>the header's block length must be at least the template's {@code BLOCK_LENGTH} (longer: fields of a newer
 *     version), else {@link RejectReason#LENGTH_MISMATCH}; the block must fit, else
 *     {@link RejectReason#TRUNCATED}.</li>
 *     <li>a group's header must fit ({@link RejectReason#TRUNCATED}); its block length must be at least the group's
 *     entry length ({@link RejectReason#LENGTH_MISMATCH}); its count must be at most {@link #maxBatchEvents()}
 *     ({@link RejectReason#GROUP_COUNT_OVER_LIMIT}); all its entries must fit ({@link RejectReason#TRUNCATED}).
 *     An empty group (count 0) is valid: it is an empty batch, answered with an empty result.</li>
 *     <li>a var data field's length prefix must fit ({@link RejectReason#TRUNCATED}); its length must be at most
 *     {@link ProtocolLimits#MAX_VAR_DATA_LENGTH} ({@link RejectReason#LENGTH_MISMATCH}: the schema has no reason of
 *     its own for it); its bytes must fit ({@link RejectReason#TRUNCATED}).</li>
 *     <li>the message must end exactly where the frame ends, else {@link RejectReason#LENGTH_MISMATCH}.</li>
 * </ol>
 * A check that needs bytes the frame does not have answers {@link RejectReason#TRUNCATED} before the bytes are read,
 * so the validator never reads outside {@code [offset, offset + length)}. It never throws, whatever the input.
 * <p>
 * Contents are not checked: field values (ids, amounts, flags, ASCII-ness of var data) are the business logic's
 * concern and are answered with result codes, not rejections.
 * <p>
 * Not thread safe: one instance per thread (typically the ingress thread). {@link #validate(DirectBuffer, int, int)}
 * and the accessors do not allocate; {@link #appendDetail(StringBuilder)} and
 * {@link #putDetail(MutableDirectBuffer, int)} build text and are meant for the rejection path only.
 */
public final class FrameValidator
{
    /**
     * Most bytes {@link #putDetail(MutableDirectBuffer, int)} writes, well within a {@code Rejected.detail} field.
     */
    public static final int MAX_DETAIL_LENGTH = 256;

    /**
     * The oldest schema version read: 2, the first with 128-bit ids, amounts and balances. Pinned rather than taken
     * from the generated {@code SCHEMA_VERSION}: raising it turns clients away, a protocol decision like the break from
     * version 1, not a side effect of the next schema version.
     */
    public static final int MIN_VERSION = 2;

    /**
     * The last version of the retired 64-bit layout, named in the detail of a frame that still uses it.
     */
    static final int RETIRED_VERSION = MIN_VERSION - 1;

    private static final ByteOrder BYTE_ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int SCHEMA_ID_OFFSET = MessageHeaderDecoder.schemaIdEncodingOffset();
    private static final int VERSION_OFFSET = MessageHeaderDecoder.versionEncodingOffset();
    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    private static final int GROUP_BLOCK_LENGTH_OFFSET = GroupSizeEncodingDecoder.blockLengthEncodingOffset();
    private static final int GROUP_COUNT_OFFSET = GroupSizeEncodingDecoder.numInGroupEncodingOffset();
    private static final int VAR_DATA_HEADER_LENGTH = MessageLayout.VAR_DATA_HEADER_LENGTH;
    private static final int CORRELATION_ID_LENGTH = Long.BYTES;

    private final MessageLayout[] layoutByTemplateId;
    private final String direction;
    private final String reader;
    private final String sender;
    private final int maxBatchEvents;
    private final int maxMessageLengthBytes;
    private final BuilderSink builderSink = new BuilderSink();
    private final BufferSink bufferSink = new BufferSink();

    private MessageLayout layout;
    private FrameFault fault;
    private int frameLength;
    private int templateId;
    private long correlationId;
    private int groupCount;
    private int varDataIndex;
    private int messageLength;
    private int position;
    private int expected;
    private int found;

    private FrameValidator(
        final MessageLayout[] layouts,
        final String direction,
        final String reader,
        final String sender,
        final int maxBatchEvents)
    {
        ProtocolLimits.checkMaxBatchEvents(maxBatchEvents);
        this.layoutByTemplateId = MessageLayout.byTemplateId(layouts);
        this.direction = direction;
        this.reader = reader;
        this.sender = sender;
        this.maxBatchEvents = maxBatchEvents;
        this.maxMessageLengthBytes = MessageLayout.maxEncodedLengthBytes(layouts, maxBatchEvents);
    }

    /**
     * A validator for the service side: accepts the ingress templates (Connect, CreateAccounts, CreateTransfers,
     * LookupAccounts, LookupTransfers) with batches of up to {@link ProtocolLimits#MAX_BATCH_EVENTS} events.
     *
     * @return a new validator.
     */
    public static FrameValidator forIngress()
    {
        return forIngress(ProtocolLimits.MAX_BATCH_EVENTS);
    }

    /**
     * A validator for the service side: accepts the ingress templates with batches of up to {@code maxBatchEvents}
     * events; larger batches are {@link RejectReason#GROUP_COUNT_OVER_LIMIT}.
     *
     * @param maxBatchEvents most events per batch, in 1..{@link ProtocolLimits#MAX_BATCH_EVENTS}.
     * @return a new validator.
     * @throws IllegalArgumentException if {@code maxBatchEvents} is outside 1..{@link ProtocolLimits#MAX_BATCH_EVENTS}.
     */
    public static FrameValidator forIngress(final int maxBatchEvents)
    {
        return new FrameValidator(MessageLayout.INGRESS, "ingress", "service", "client library", maxBatchEvents);
    }

    /**
     * A validator for the client side: accepts the egress templates (ConnectResult, CreateAccountsResult,
     * CreateTransfersResult, Accounts, Transfers, Rejected) with up to {@link ProtocolLimits#MAX_BATCH_EVENTS}
     * entries per group.
     *
     * @return a new validator.
     */
    public static FrameValidator forEgress()
    {
        return new FrameValidator(
            MessageLayout.EGRESS, "egress", "client", "service", ProtocolLimits.MAX_BATCH_EVENTS);
    }

    /**
     * A validator for a change-feed server: accepts {@code SubscribeFeed}.
     *
     * @return a new validator.
     */
    public static FrameValidator forFeedRequests()
    {
        return new FrameValidator(MessageLayout.FEED_REQUESTS, "feed request", "feed server", "feed subscriber",
            ProtocolLimits.MAX_BATCH_EVENTS);
    }

    /**
     * A validator for a change-feed subscriber: accepts {@code FeedSubscription} and {@code FeedChange}.
     *
     * @return a new validator.
     */
    public static FrameValidator forFeedEvents()
    {
        return new FrameValidator(MessageLayout.FEED_EVENTS, "feed", "feed subscriber", "feed server",
            ProtocolLimits.MAX_BATCH_EVENTS);
    }

    /**
     * A validator for a query server: accepts {@code GetAccountTransfers}, {@code GetAccountBalances},
     * {@code QueryAccounts} and {@code QueryTransfers}.
     *
     * @return a new validator.
     */
    public static FrameValidator forQueryRequests()
    {
        return new FrameValidator(MessageLayout.QUERY_REQUESTS, "query", "query server", "client library",
            ProtocolLimits.MAX_BATCH_EVENTS);
    }

    /**
     * A validator for a client: accepts a query server's answers ({@code QueryTransfersResult},
     * {@code QueryAccountsResult}, {@code AccountBalancesResult}, {@code QueryRefused}) with up to
     * {@link ProtocolLimits#MAX_BATCH_EVENTS} entries.
     *
     * @return a new validator.
     */
    public static FrameValidator forQueryAnswers()
    {
        return new FrameValidator(MessageLayout.QUERY_ANSWERS, "query answer", "client", "query server",
            ProtocolLimits.MAX_BATCH_EVENTS);
    }

    /**
     * Validate the frame {@code [offset, offset + length)} of {@code buffer}. Reads only inside that range, never
     * throws, never allocates.
     *
     * @param buffer holding the frame; null is answered as {@link FrameFault#RANGE_OUTSIDE_BUFFER}.
     * @param offset of the frame's first byte in {@code buffer}.
     * @param length of the frame in bytes.
     * @return true if the frame is exactly one valid message of an accepted template; otherwise {@link #reason()}
     * says why.
     */
    public boolean validate(final DirectBuffer buffer, final int offset, final int length)
    {
        layout = null;
        fault = null;
        frameLength = length;
        templateId = 0;
        correlationId = 0;
        groupCount = 0;
        varDataIndex = 0;
        messageLength = 0;
        position = 0;
        expected = 0;
        found = 0;

        if (null == buffer)
        {
            return reject(FrameFault.RANGE_OUTSIDE_BUFFER, offset, 0, length);
        }

        final int capacity = buffer.capacity();
        if (offset < 0 || length < 0 || (long)offset + length > capacity)
        {
            return reject(FrameFault.RANGE_OUTSIDE_BUFFER, offset, capacity, length);
        }

        if (length < HEADER_LENGTH)
        {
            return reject(FrameFault.HEADER_TRUNCATED, 0, HEADER_LENGTH, length);
        }

        final int schemaId = uint16(buffer, offset + SCHEMA_ID_OFFSET);
        if (MessageHeaderDecoder.SCHEMA_ID != schemaId)
        {
            return reject(FrameFault.SCHEMA_ID_UNKNOWN, SCHEMA_ID_OFFSET, MessageHeaderDecoder.SCHEMA_ID, schemaId);
        }

        final int frameTemplateId = uint16(buffer, offset + TEMPLATE_ID_OFFSET);
        templateId = frameTemplateId;
        final int version = uint16(buffer, offset + VERSION_OFFSET);
        final MessageLayout known = frameTemplateId < layoutByTemplateId.length ?
            layoutByTemplateId[frameTemplateId] : null;
        final MessageLayout layout = null != known ? known.forVersion(version) : null;
        if (null != layout && layout.correlationIdOffsetBytes >= 0)
        {
            final int correlationIdEnd = HEADER_LENGTH + layout.correlationIdOffsetBytes + CORRELATION_ID_LENGTH;
            if (length >= correlationIdEnd)
            {
                correlationId = buffer.getLong(
                    offset + HEADER_LENGTH + layout.correlationIdOffsetBytes, BYTE_ORDER);
            }
        }

        if (version < MIN_VERSION)
        {
            return reject(FrameFault.VERSION_UNSUPPORTED, VERSION_OFFSET, MIN_VERSION, version);
        }

        if (null == layout)
        {
            return reject(FrameFault.TEMPLATE_UNKNOWN, TEMPLATE_ID_OFFSET, 0, frameTemplateId);
        }
        this.layout = layout;

        final int blockLength = uint16(buffer, offset + BLOCK_LENGTH_OFFSET);
        if (blockLength < layout.blockLengthBytes)
        {
            return reject(FrameFault.BLOCK_LENGTH_MISMATCH, BLOCK_LENGTH_OFFSET, layout.blockLengthBytes, blockLength);
        }

        int limit = HEADER_LENGTH + blockLength;
        if (length < limit)
        {
            return reject(FrameFault.BLOCK_TRUNCATED, HEADER_LENGTH, limit, length);
        }

        if (layout.hasGroup())
        {
            final int groupHeaderEnd = limit + GROUP_HEADER_LENGTH;
            if (length < groupHeaderEnd)
            {
                return reject(FrameFault.GROUP_HEADER_TRUNCATED, limit, groupHeaderEnd, length);
            }

            final int groupBlockLength = uint16(buffer, offset + limit + GROUP_BLOCK_LENGTH_OFFSET);
            if (groupBlockLength < layout.groupBlockLengthBytes)
            {
                return reject(
                    FrameFault.GROUP_BLOCK_LENGTH_MISMATCH, limit, layout.groupBlockLengthBytes, groupBlockLength);
            }

            final int count = uint16(buffer, offset + limit + GROUP_COUNT_OFFSET);
            groupCount = count;
            if (count > maxBatchEvents)
            {
                return reject(FrameFault.GROUP_COUNT_OVER_LIMIT, limit, maxBatchEvents, count);
            }

            final int groupEnd = groupHeaderEnd + count * groupBlockLength;
            if (length < groupEnd)
            {
                return reject(FrameFault.GROUP_TRUNCATED, limit, groupEnd, length);
            }
            limit = groupEnd;
        }

        for (int i = 0; i < layout.varDataCount; i++)
        {
            varDataIndex = i;
            final int dataStart = limit + VAR_DATA_HEADER_LENGTH;
            if (length < dataStart)
            {
                return reject(FrameFault.VAR_DATA_HEADER_TRUNCATED, limit, dataStart, length);
            }

            final int dataLength = uint16(buffer, offset + limit);
            if (dataLength > ProtocolLimits.MAX_VAR_DATA_LENGTH)
            {
                return reject(FrameFault.VAR_DATA_TOO_LONG, limit, ProtocolLimits.MAX_VAR_DATA_LENGTH, dataLength);
            }

            final int dataEnd = dataStart + dataLength;
            if (length < dataEnd)
            {
                return reject(FrameFault.VAR_DATA_TRUNCATED, limit, dataEnd, length);
            }
            limit = dataEnd;
        }

        if (length != limit)
        {
            return reject(FrameFault.TRAILING_BYTES, limit, limit, length);
        }

        // Longer blocks and entries of a newer schema version are read, but no longer message than the largest of
        // this one: whatever takes a valid frame may size its buffers by that.
        if (length > maxMessageLengthBytes)
        {
            return reject(FrameFault.MESSAGE_TOO_LONG, 0, maxMessageLengthBytes, length);
        }

        messageLength = limit;

        return true;
    }

    /**
     * Whether the last frame validated was valid.
     *
     * @return true if valid.
     */
    public boolean isValid()
    {
        return null == fault;
    }

    /**
     * Template id of the last frame, when its header could be read and its schema id was paycore's, including
     * templates this validator does not accept; otherwise 0.
     *
     * @return the template id, or 0.
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * Correlation id of the last frame, when the frame is long enough to hold it, its schema id was paycore's and its
     * template is accepted (so the field's place is known); otherwise 0. Read even for frames rejected later, so that
     * a {@code Rejected} can name the request.
     *
     * @return the correlation id, or 0.
     */
    public long correlationId()
    {
        return correlationId;
    }

    /**
     * Why the last frame was rejected.
     *
     * @return the reason, or null if it was valid.
     */
    public RejectReason reason()
    {
        return null == fault ? null : fault.reason();
    }

    /**
     * The precise check the last frame failed; {@link #position()}, {@link #expected()} and {@link #found()} give its
     * numbers, as documented on each {@link FrameFault}.
     *
     * @return the fault, or null if the frame was valid.
     */
    public FrameFault fault()
    {
        return fault;
    }

    /**
     * A fixed description of why the last frame was rejected, without numbers; cheap to call. For the full text use
     * {@link #appendDetail(StringBuilder)} or {@link #putDetail(MutableDirectBuffer, int)}.
     *
     * @return the description, or null if the frame was valid.
     */
    public String detail()
    {
        return null == fault ? null : fault.description();
    }

    /**
     * Where in the last frame the fault was found, in bytes from the frame's start (for
     * {@link FrameFault#RANGE_OUTSIDE_BUFFER}: the offset given).
     *
     * @return the position, or 0 if the frame was valid.
     */
    public int position()
    {
        return position;
    }

    /**
     * The value the failed check expected; see {@link #fault()}.
     *
     * @return the expected value, or 0 if the frame was valid.
     */
    public int expected()
    {
        return expected;
    }

    /**
     * The value the failed check found; see {@link #fault()}.
     *
     * @return the value found, or 0 if the frame was valid.
     */
    public int found()
    {
        return found;
    }

    /**
     * The number of entries in the group of the last frame, once its group header was read and its block length
     * checked (also when the count was over the limit); 0 for templates without a group.
     *
     * @return the count of events in the batch, or 0.
     */
    public int groupCount()
    {
        return groupCount;
    }

    /**
     * Length in bytes of the valid message, header included; equals the frame length.
     *
     * @return the message length, or 0 if the frame was not valid.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * The most events per batch this validator accepts.
     *
     * @return the limit on a group's count.
     */
    public int maxBatchEvents()
    {
        return maxBatchEvents;
    }

    /**
     * Length in bytes of the longest frame this validator can accept, given its templates and
     * {@link #maxBatchEvents()}: a buffer of this length holds any valid frame.
     *
     * @return the length in bytes.
     */
    public int maxMessageLength()
    {
        return maxMessageLengthBytes;
    }

    /**
     * Append a human description of the last result, with its numbers, for example
     * {@code "frame of 23 bytes ends inside the group header at offset 16: needs 20 bytes"}. Builds text: for the
     * rejection path, not for every frame.
     *
     * @param builder to append to.
     * @return {@code builder}.
     */
    public StringBuilder appendDetail(final StringBuilder builder)
    {
        builderSink.builder = builder;
        try
        {
            render(builderSink);
        }
        finally
        {
            builderSink.builder = null;
        }

        return builder;
    }

    /**
     * Write the same text as {@link #appendDetail(StringBuilder)} as ASCII into {@code buffer} at {@code index},
     * without allocating; at most {@link #MAX_DETAIL_LENGTH} bytes. For filling a {@code Rejected.detail}.
     *
     * @param buffer to write into; must have room for {@link #MAX_DETAIL_LENGTH} bytes at {@code index} unless it
     *               expands.
     * @param index  of the first byte to write.
     * @return the number of bytes written.
     */
    public int putDetail(final MutableDirectBuffer buffer, final int index)
    {
        bufferSink.buffer = buffer;
        bufferSink.index = index;
        try
        {
            render(bufferSink);

            return bufferSink.index - index;
        }
        finally
        {
            bufferSink.buffer = null;
        }
    }

    private boolean reject(final FrameFault fault, final int position, final int expected, final int found)
    {
        this.fault = fault;
        this.position = position;
        this.expected = expected;
        this.found = found;

        return false;
    }

    private static int uint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, BYTE_ORDER) & 0xFFFF;
    }

    private void render(final DetailSink sink)
    {
        if (null == fault)
        {
            sink.text("valid ").text(layout.name).text(" message of ").number(messageLength).text(" bytes");
            return;
        }

        switch (fault)
        {
            case RANGE_OUTSIDE_BUFFER:
                sink.text("frame range at offset ").number(position).text(" of length ").number(found)
                    .text(" is outside the buffer of ").number(expected).text(" bytes");
                break;

            case HEADER_TRUNCATED:
            case BLOCK_TRUNCATED:
            case GROUP_HEADER_TRUNCATED:
                sink.text("frame of ").number(frameLength).text(" bytes ends inside the ").text(part())
                    .text(" at offset ").number(position).text(": needs ").number(expected).text(" bytes");
                break;

            case GROUP_TRUNCATED:
                sink.text("frame of ").number(frameLength).text(" bytes ends inside the group of ").number(groupCount)
                    .text(" entries at offset ").number(position).text(": needs ").number(expected).text(" bytes");
                break;

            case VAR_DATA_HEADER_TRUNCATED:
                sink.text("frame of ").number(frameLength).text(" bytes ends inside the length of var data ")
                    .text(varDataName()).text(" at offset ").number(position)
                    .text(": needs ").number(expected).text(" bytes");
                break;

            case VAR_DATA_TRUNCATED:
                sink.text("frame of ").number(frameLength).text(" bytes ends inside var data ").text(varDataName())
                    .text(" at offset ").number(position).text(": needs ").number(expected).text(" bytes");
                break;

            case SCHEMA_ID_UNKNOWN:
                sink.text("schema id ").number(found).text(" is not paycore's ").number(expected);
                break;

            case VERSION_UNSUPPORTED:
                // Read by a person whose other side runs an older paycore library: say what changed and what to do.
                sink.text("schema version ").number(found);
                if (RETIRED_VERSION == found)
                {
                    sink.text(" (64-bit ids and amounts) is no longer read");
                }
                else
                {
                    sink.text(" is not a paycore version, and version ").number(RETIRED_VERSION)
                        .text(" (64-bit ids and amounts) is no longer read");
                }
                sink.text(": this ").text(reader).text(" reads version ").number(expected)
                    .text(" (128-bit ids and amounts) and later; upgrade the ").text(sender)
                    .text(" to one that sends version ").number(expected);
                break;

            case TEMPLATE_UNKNOWN:
                sink.text("template id ").number(found).text(" is not an ").text(direction).text(" template");
                break;

            case BLOCK_LENGTH_MISMATCH:
                sink.text("block length ").number(found).text(" in the message header is shorter than ")
                    .text(layout.name).text("'s ").number(expected);
                break;

            case GROUP_BLOCK_LENGTH_MISMATCH:
                sink.text("block length ").number(found).text(" in the group header at offset ").number(position)
                    .text(" is shorter than ").text(layout.name).text("'s group entry length ").number(expected);
                break;

            case GROUP_COUNT_OVER_LIMIT:
                sink.text("group count ").number(found).text(" at offset ").number(position)
                    .text(" is over the limit of ").number(expected).text(" events per batch");
                break;

            case VAR_DATA_TOO_LONG:
                sink.text("var data ").text(varDataName()).text(" at offset ").number(position).text(" declares ")
                    .number(found).text(" bytes, over the limit of ").number(expected);
                break;

            case TRAILING_BYTES:
                sink.text("frame of ").number(frameLength).text(" bytes has ").number(found - expected)
                    .text(" bytes after the end of the ").text(layout.name).text(" message at offset ")
                    .number(expected);
                break;

            default:
                sink.text(fault.description());
                break;
        }
    }

    private String part()
    {
        switch (fault)
        {
            case HEADER_TRUNCATED:
                return "message header";
            case BLOCK_TRUNCATED:
                return "root block";
            default:
                return "group header";
        }
    }

    private String varDataName()
    {
        return layout.varDataNames[varDataIndex];
    }

    private abstract static class DetailSink
    {
        abstract DetailSink text(String text);

        abstract DetailSink number(int value);
    }

    private static final class BuilderSink extends DetailSink
    {
        StringBuilder builder;

        DetailSink text(final String text)
        {
            builder.append(text);
            return this;
        }

        DetailSink number(final int value)
        {
            builder.append(value);
            return this;
        }
    }

    private static final class BufferSink extends DetailSink
    {
        MutableDirectBuffer buffer;
        int index;

        DetailSink text(final String text)
        {
            index += buffer.putStringWithoutLengthAscii(index, text);
            return this;
        }

        DetailSink number(final int value)
        {
            index += buffer.putIntAscii(index, value);
            return this;
        }
    }
}
