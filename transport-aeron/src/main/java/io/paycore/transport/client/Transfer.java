package io.paycore.transport.client;

/**
 * A transfer as a lookup found it.
 *
 * @param id              transfer id.
 * @param debitAccountId  account debited.
 * @param creditAccountId account credited.
 * @param amount          minor units.
 * @param pendingId       the pending transfer a post or void refers to, else 0.
 * @param userData        opaque client data.
 * @param timestamp       when the ledger applied it, nanoseconds.
 * @param ledger          ledger (currency), unsigned 32-bit.
 * @param timeoutSeconds  timeout of a pending transfer.
 * @param code            code, unsigned 16-bit.
 * @param flags           flags, unsigned 16-bit.
 */
public record Transfer(
    long id,
    long debitAccountId,
    long creditAccountId,
    long amount,
    long pendingId,
    long userData,
    long timestamp,
    long ledger,
    long timeoutSeconds,
    int code,
    int flags)
{
}
