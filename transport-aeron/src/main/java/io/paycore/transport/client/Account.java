package io.paycore.transport.client;

import java.math.BigInteger;

/**
 * An account as a lookup found it, with TigerBeetle's fields. Unsigned 128-bit values are {@link BigInteger}s.
 *
 * @param id             account id, unsigned 128-bit.
 * @param debitsPending  sum of pending debits, minor units, unsigned 128-bit.
 * @param debitsPosted   sum of posted debits, minor units, unsigned 128-bit.
 * @param creditsPending sum of pending credits, minor units, unsigned 128-bit.
 * @param creditsPosted  sum of posted credits, minor units, unsigned 128-bit.
 * @param userData128    opaque client data, unsigned 128-bit.
 * @param userData64     opaque client data, 64 bits (read unsigned with {@link Long#toUnsignedString(long)}).
 * @param userData32     opaque client data, unsigned 32-bit.
 * @param ledger         ledger (currency), unsigned 32-bit.
 * @param code           code, unsigned 16-bit.
 * @param flags          flags, unsigned 16-bit.
 * @param timestamp      when the ledger created it (or, imported, when it was created elsewhere), nanoseconds.
 */
public record Account(
    BigInteger id,
    BigInteger debitsPending,
    BigInteger debitsPosted,
    BigInteger creditsPending,
    BigInteger creditsPosted,
    BigInteger userData128,
    long userData64,
    long userData32,
    long ledger,
    int code,
    int flags,
    long timestamp)
{
}
