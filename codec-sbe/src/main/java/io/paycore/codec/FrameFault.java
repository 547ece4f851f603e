package io.paycore.codec;

import io.paycore.codec.sbe.RejectReason;

/**
 * The precise fault {@link FrameValidator} found in a frame: which check failed, the {@link RejectReason} sent back
 * for it, and a fixed description. The numbers that go with a fault are read from the validator:
 * {@link FrameValidator#position()} (where in the frame, in bytes from its start), {@link FrameValidator#expected()}
 * and {@link FrameValidator#found()}; each constant documents what they mean for it.
 */
public enum FrameFault
{
    /**
     * The offset and length given do not describe a range inside the buffer (negative, or past its capacity, or no
     * buffer at all); nothing was read. position = the offset given, expected = the buffer's capacity in bytes
     * (0 without a buffer), found = the length given.
     */
    RANGE_OUTSIDE_BUFFER(RejectReason.LENGTH_MISMATCH, "frame range is outside the buffer"),

    /**
     * The frame is shorter than the message header. position = 0, expected = the header length in bytes,
     * found = the frame length.
     */
    HEADER_TRUNCATED(RejectReason.TRUNCATED, "frame ends inside the message header"),

    /**
     * The header's schema id is not paycore's. position = offset of the field, expected = paycore's schema id,
     * found = the schema id read.
     */
    SCHEMA_ID_UNKNOWN(RejectReason.UNKNOWN_SCHEMA, "schema id is not paycore's"),

    /**
     * The header's schema version is older than {@link FrameValidator#MIN_VERSION}: 1, the retired layout with 64-bit
     * ids and amounts, or 0, never a paycore version. Newer versions are accepted. position = offset of the field,
     * expected = the oldest version read, found = the version read.
     */
    VERSION_UNSUPPORTED(
        RejectReason.UNSUPPORTED_VERSION,
        "schema version is no longer read: version 1 (64-bit ids and amounts) was replaced by version 2"),

    /**
     * The header's template id is not one this validator accepts (for example an egress template on ingress).
     * position = offset of the field, expected = 0, found = the template id read.
     */
    TEMPLATE_UNKNOWN(RejectReason.UNKNOWN_TEMPLATE, "template id is not accepted here"),

    /**
     * The header's block length differs from the template's. position = 0, expected = the template's block length
     * in bytes, found = the block length read.
     */
    BLOCK_LENGTH_MISMATCH(RejectReason.LENGTH_MISMATCH, "block length in the message header is shorter than the template's"),

    /**
     * The frame ends inside the root block. position = start of the block, expected = bytes needed up to the end of
     * the block, found = the frame length.
     */
    BLOCK_TRUNCATED(RejectReason.TRUNCATED, "frame ends inside the root block"),

    /**
     * The frame ends inside a group header. position = start of the group header, expected = bytes needed up to the
     * end of the group header, found = the frame length.
     */
    GROUP_HEADER_TRUNCATED(RejectReason.TRUNCATED, "frame ends inside the group header"),

    /**
     * A group header's block length differs from the group's. position = start of the group header,
     * expected = the group's entry length in bytes, found = the block length read.
     */
    GROUP_BLOCK_LENGTH_MISMATCH(RejectReason.LENGTH_MISMATCH, "block length in the group header is shorter than the group's"),

    /**
     * A group holds more entries than the configured limit on events per batch. position = start of the group
     * header, expected = the limit, found = the count read.
     */
    GROUP_COUNT_OVER_LIMIT(RejectReason.GROUP_COUNT_OVER_LIMIT, "group count is over the limit of events per batch"),

    /**
     * The frame ends inside the entries of a group. position = start of the group header, expected = bytes needed
     * up to the end of the group, found = the frame length.
     */
    GROUP_TRUNCATED(RejectReason.TRUNCATED, "frame ends inside the group entries"),

    /**
     * The frame ends inside the length prefix of a var data field. position = start of the prefix,
     * expected = bytes needed up to the end of the prefix, found = the frame length.
     */
    VAR_DATA_HEADER_TRUNCATED(RejectReason.TRUNCATED, "frame ends inside the length of a var data field"),

    /**
     * A var data field declares more bytes than the protocol allows. position = start of its length prefix,
     * expected = {@link ProtocolLimits#MAX_VAR_DATA_LENGTH}, found = the length read.
     */
    VAR_DATA_TOO_LONG(RejectReason.LENGTH_MISMATCH, "var data field is longer than the protocol allows"),

    /**
     * The frame ends inside the bytes of a var data field. position = start of its length prefix,
     * expected = bytes needed up to the end of the field, found = the frame length.
     */
    VAR_DATA_TRUNCATED(RejectReason.TRUNCATED, "frame ends inside a var data field"),

    /**
     * The frame is longer than the largest message this validator takes: its templates' blocks and entries as
     * they are now, with the most events a batch may hold (longer entries of a newer schema version count too).
     * position = 0, expected = that length in bytes, found = the frame length.
     */
    MESSAGE_TOO_LONG(RejectReason.LENGTH_MISMATCH, "frame is longer than the largest message this service takes"),

    /**
     * The frame goes on after the end of the message. position = where the message ends, expected = the message
     * length in bytes, found = the frame length.
     */
    TRAILING_BYTES(RejectReason.LENGTH_MISMATCH, "frame has bytes after the end of the message");

    private final RejectReason reason;
    private final String description;

    FrameFault(final RejectReason reason, final String description)
    {
        this.reason = reason;
        this.description = description;
    }

    /**
     * The reason a frame with this fault is rejected with.
     *
     * @return the reason to put in {@code Rejected}.
     */
    public RejectReason reason()
    {
        return reason;
    }

    /**
     * A fixed, human description of the fault, without numbers.
     *
     * @return the description; the same instance every time.
     */
    public String description()
    {
        return description;
    }
}
