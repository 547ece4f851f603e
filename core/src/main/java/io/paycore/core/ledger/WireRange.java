package io.paycore.core.ledger;

final class WireRange
{
    static final long UINT32_MAX = 0xFFFF_FFFFL;
    static final int UINT16_MAX = 0xFFFF;

    private WireRange()
    {
    }

    static void checkUint32(final String name, final long value)
    {
        if (value < 0 || value > UINT32_MAX)
        {
            throw new IllegalArgumentException(name + " must be an unsigned 32-bit value but was " + value);
        }
    }

    static void checkUint16(final String name, final int value)
    {
        if (value < 0 || value > UINT16_MAX)
        {
            throw new IllegalArgumentException(name + " must be an unsigned 16-bit value but was " + value);
        }
    }
}
