package io.paycore.transport.client;

import java.math.BigInteger;

/**
 * A transfer as a lookup found it, with TigerBeetle's fields. Unsigned 128-bit values are {@link BigInteger}s.
 *
 * @param id              transfer id, unsigned 128-bit.
 * @param debitAccountId  account debited, unsigned 128-bit.
 * @param creditAccountId account credited, unsigned 128-bit.
 * @param amount          amount moved (a post's or a balancing transfer's actual amount), unsigned 128-bit.
 * @param pendingId       the pending transfer a post or void resolved, else 0.
 * @param userData128     opaque client data, unsigned 128-bit.
 * @param userData64      opaque client data, 64 bits (read unsigned with {@link Long#toUnsignedString(long)}).
 * @param userData32      opaque client data, unsigned 32-bit.
 * @param timeoutSeconds  a pending transfer's timeout, unsigned 32-bit; 0 never expires.
 * @param ledger          ledger (currency), unsigned 32-bit.
 * @param code            code, unsigned 16-bit.
 * @param flags           flags, unsigned 16-bit.
 * @param timestamp       when the ledger created it (or, imported, when it happened elsewhere), nanoseconds.
 */
public record Transfer(
    BigInteger id,
    BigInteger debitAccountId,
    BigInteger creditAccountId,
    BigInteger amount,
    BigInteger pendingId,
    BigInteger userData128,
    long userData64,
    long userData32,
    long timeoutSeconds,
    long ledger,
    int code,
    int flags,
    long timestamp)
{
}
