package io.paycore.replay.replication;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The replication protocol's messages: a fixed little-endian layout read and written in place (a flyweight without
 * a schema, small enough not to need one). Every message starts with the same 16 bytes:
 * <pre>
 *   0  int32  kind        RECORD, HELLO, ACK, DIVERGED or FENCED
 *   4  int32  version     {@link #VERSION}
 *   8  int64  epoch       the sender's epoch (see {@link Epochs})
 * </pre>
 * Primary to standby, on the records stream (live) and the catch-up stream (from the primary's journal):
 * <pre>
 *   RECORD    16 int64 sequence, 24 int64 timestampNanos, 32 int32 type, 36 int32 checksum (the record's chained
 *             CRC32C, as journaled), 40 int32 payload length, 44 int32 zero, 48 payload
 *   DIVERGED  16 int64 sequence at which the histories differ, 24 int64 standby instance, 32 int32 reason
 *   HELLO_REQUEST  16 int64 zero, 24 int64 standby instance: an ACK came from a standby the primary has no HELLO
 *             from (the HELLO was lost, or the primary restarted); the standby says hello again
 * </pre>
 * Standby to primary, on the control stream:
 * <pre>
 *   HELLO     16 int64 last sequence, 24 int32 last checksum, 28 int32 zero, 32 int64 standby instance
 *   ACK       16 int64 durable sequence, 24 int64 standby instance, 32 int32 live (1 once a live record was taken)
 *   FENCED    16 int64 the standby's last sequence, 24 int64 standby instance: the standby is of a newer epoch
 * </pre>
 * A standby instance is a random id per follower run, so the primary tells a restarted standby from a late
 * message of its previous run.
 */
public final class ReplicationMessages
{
    /** Version of this layout. */
    public static final int VERSION = 1;

    /** A journal record. */
    public static final int RECORD = 1;
    /** A standby asks to be streamed the records after its last one. */
    public static final int HELLO = 2;
    /** A standby's durable sequence. */
    public static final int ACK = 3;
    /** The primary's journal differs from the standby's at or before its last sequence. */
    public static final int DIVERGED = 4;
    /** The standby is of a newer epoch than the primary and refuses its records. */
    public static final int FENCED = 5;
    /** The primary heard an ACK from a standby it has no HELLO from (lost, or the primary restarted): say hello. */
    public static final int HELLO_REQUEST = 6;

    /** DIVERGED reason: the checksum of the standby's last record differs from the primary's. */
    public static final int DIVERGED_CHECKSUM = 1;
    /** DIVERGED reason: the standby has records past the primary's last. */
    public static final int DIVERGED_STANDBY_AHEAD = 2;

    static final int KIND_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int EPOCH_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 16;
    static final int TIMESTAMP_OFFSET = 24;
    static final int TYPE_OFFSET = 32;
    static final int CHECKSUM_OFFSET = 36;
    static final int LENGTH_OFFSET = 40;
    /** Length of a RECORD's header; the payload follows. */
    public static final int RECORD_HEADER_LENGTH = 48;

    static final int HELLO_CHECKSUM_OFFSET = 24;
    static final int HELLO_INSTANCE_OFFSET = 32;
    static final int ACK_INSTANCE_OFFSET = 24;
    static final int ACK_LIVE_OFFSET = 32;
    static final int DIVERGED_INSTANCE_OFFSET = 24;
    static final int DIVERGED_REASON_OFFSET = 32;
    static final int FENCED_INSTANCE_OFFSET = 24;
    /** Length of every message other than RECORD. */
    public static final int CONTROL_LENGTH = 40;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private ReplicationMessages()
    {
    }

    static int kind(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + KIND_OFFSET, ORDER);
    }

    static int version(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + VERSION_OFFSET, ORDER);
    }

    static long epoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + EPOCH_OFFSET, ORDER);
    }

    static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ORDER);
    }

    static long timestampNanos(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, ORDER);
    }

    static int recordType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TYPE_OFFSET, ORDER);
    }

    static int checksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CHECKSUM_OFFSET, ORDER);
    }

    static int payloadLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LENGTH_OFFSET, ORDER);
    }

    static int helloChecksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + HELLO_CHECKSUM_OFFSET, ORDER);
    }

    static long helloInstance(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + HELLO_INSTANCE_OFFSET, ORDER);
    }

    static long ackInstance(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ACK_INSTANCE_OFFSET, ORDER);
    }

    static boolean ackLive(final DirectBuffer buffer, final int offset)
    {
        return 0 != buffer.getInt(offset + ACK_LIVE_OFFSET, ORDER);
    }

    static long divergedInstance(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DIVERGED_INSTANCE_OFFSET, ORDER);
    }

    static int divergedReason(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DIVERGED_REASON_OFFSET, ORDER);
    }

    static long fencedInstance(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + FENCED_INSTANCE_OFFSET, ORDER);
    }

    static void putRecordHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long epoch,
        final int type,
        final long sequence,
        final long timestampNanos,
        final int checksum,
        final int payloadLength)
    {
        putHeader(buffer, offset, RECORD, epoch);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ORDER);
        buffer.putLong(offset + TIMESTAMP_OFFSET, timestampNanos, ORDER);
        buffer.putInt(offset + TYPE_OFFSET, type, ORDER);
        buffer.putInt(offset + CHECKSUM_OFFSET, checksum, ORDER);
        buffer.putInt(offset + LENGTH_OFFSET, payloadLength, ORDER);
        buffer.putInt(offset + LENGTH_OFFSET + 4, 0, ORDER);
    }

    static void putHello(
        final MutableDirectBuffer buffer,
        final long epoch,
        final long lastSequence,
        final int lastChecksum,
        final long instance)
    {
        putHeader(buffer, 0, HELLO, epoch);
        buffer.putLong(SEQUENCE_OFFSET, lastSequence, ORDER);
        buffer.putInt(HELLO_CHECKSUM_OFFSET, lastChecksum, ORDER);
        buffer.putInt(HELLO_CHECKSUM_OFFSET + 4, 0, ORDER);
        buffer.putLong(HELLO_INSTANCE_OFFSET, instance, ORDER);
    }

    static void putAck(
        final MutableDirectBuffer buffer, final long epoch, final long durableSequence, final long instance,
        final boolean live)
    {
        putHeader(buffer, 0, ACK, epoch);
        buffer.putLong(SEQUENCE_OFFSET, durableSequence, ORDER);
        buffer.putLong(ACK_INSTANCE_OFFSET, instance, ORDER);
        buffer.putLong(ACK_LIVE_OFFSET, live ? 1 : 0, ORDER);
    }

    static void putDiverged(
        final MutableDirectBuffer buffer, final long epoch, final long sequence, final long instance, final int reason)
    {
        putHeader(buffer, 0, DIVERGED, epoch);
        buffer.putLong(SEQUENCE_OFFSET, sequence, ORDER);
        buffer.putLong(DIVERGED_INSTANCE_OFFSET, instance, ORDER);
        buffer.putLong(DIVERGED_REASON_OFFSET, reason, ORDER);
    }

    static void putHelloRequest(final MutableDirectBuffer buffer, final long epoch, final long instance)
    {
        putHeader(buffer, 0, HELLO_REQUEST, epoch);
        buffer.putLong(SEQUENCE_OFFSET, 0, ORDER);
        buffer.putLong(DIVERGED_INSTANCE_OFFSET, instance, ORDER);
        buffer.putLong(DIVERGED_REASON_OFFSET, 0, ORDER);
    }

    static void putFenced(
        final MutableDirectBuffer buffer, final long epoch, final long lastSequence, final long instance)
    {
        putHeader(buffer, 0, FENCED, epoch);
        buffer.putLong(SEQUENCE_OFFSET, lastSequence, ORDER);
        buffer.putLong(FENCED_INSTANCE_OFFSET, instance, ORDER);
        buffer.putLong(FENCED_INSTANCE_OFFSET + 8, 0, ORDER);
    }

    private static void putHeader(final MutableDirectBuffer buffer, final int offset, final int kind, final long epoch)
    {
        buffer.putInt(offset + KIND_OFFSET, kind, ORDER);
        buffer.putInt(offset + VERSION_OFFSET, VERSION, ORDER);
        buffer.putLong(offset + EPOCH_OFFSET, epoch, ORDER);
    }

    /**
     * @param reason a DIVERGED reason.
     * @return what it means, for the message a standby stops with.
     */
    public static String describeDivergence(final int reason)
    {
        switch (reason)
        {
            case DIVERGED_CHECKSUM:
                return "the primary's record at that sequence has a different checksum";
            case DIVERGED_STANDBY_AHEAD:
                return "the standby has records past the primary's last";
            default:
                return "reason " + reason;
        }
    }
}
