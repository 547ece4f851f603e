package io.paycore.transport.client;

/**
 * An account as a lookup found it.
 *
 * @param id             account id.
 * @param debitsPending  sum of pending debits, minor units.
 * @param debitsPosted   sum of posted debits, minor units.
 * @param creditsPending sum of pending credits, minor units.
 * @param creditsPosted  sum of posted credits, minor units.
 * @param userData       opaque client data.
 * @param timestamp      when the ledger created it, nanoseconds.
 * @param ledger         ledger (currency), unsigned 32-bit.
 * @param code           code, unsigned 16-bit.
 * @param flags          flags, unsigned 16-bit.
 */
public record Account(
    long id,
    long debitsPending,
    long debitsPosted,
    long creditsPending,
    long creditsPosted,
    long userData,
    long timestamp,
    long ledger,
    int code,
    int flags)
{
}
