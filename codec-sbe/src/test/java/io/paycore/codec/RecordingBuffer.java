package io.paycore.codec;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * An {@link UnsafeBuffer} that records the lowest and highest byte index any single-value read touched, so a test
 * can show the validator read nowhere outside the frame.
 */
final class RecordingBuffer extends UnsafeBuffer
{
    private int lowestIndex = Integer.MAX_VALUE;
    private int highestIndexExclusive = Integer.MIN_VALUE;
    private int reads;

    RecordingBuffer(final byte[] array)
    {
        super(array);
    }

    void reset()
    {
        lowestIndex = Integer.MAX_VALUE;
        highestIndexExclusive = Integer.MIN_VALUE;
        reads = 0;
    }

    int lowestIndex()
    {
        return lowestIndex;
    }

    int highestIndexExclusive()
    {
        return highestIndexExclusive;
    }

    int reads()
    {
        return reads;
    }

    public byte getByte(final int index)
    {
        record(index, Byte.BYTES);
        return super.getByte(index);
    }

    public short getShort(final int index)
    {
        record(index, Short.BYTES);
        return super.getShort(index);
    }

    public short getShort(final int index, final ByteOrder byteOrder)
    {
        record(index, Short.BYTES);
        return super.getShort(index, byteOrder);
    }

    public int getInt(final int index)
    {
        record(index, Integer.BYTES);
        return super.getInt(index);
    }

    public int getInt(final int index, final ByteOrder byteOrder)
    {
        record(index, Integer.BYTES);
        return super.getInt(index, byteOrder);
    }

    public long getLong(final int index)
    {
        record(index, Long.BYTES);
        return super.getLong(index);
    }

    public long getLong(final int index, final ByteOrder byteOrder)
    {
        record(index, Long.BYTES);
        return super.getLong(index, byteOrder);
    }

    public void getBytes(final int index, final byte[] dst, final int offset, final int length)
    {
        record(index, length);
        super.getBytes(index, dst, offset, length);
    }

    private void record(final int index, final int length)
    {
        reads++;
        lowestIndex = Math.min(lowestIndex, index);
        highestIndexExclusive = Math.max(highestIndexExclusive, index + length);
    }
}
