package io.paycore.transport.client;

import java.math.BigInteger;

/**
 * An account's balances after one change, as a query server's {@code GetAccountBalances} answers them (TigerBeetle's
 * {@code AccountBalance}); the blocking API's result.
 *
 * @param debitsPending  after the change.
 * @param debitsPosted   after the change.
 * @param creditsPending after the change.
 * @param creditsPosted  after the change.
 * @param timestamp      of the change.
 */
public record AccountBalance(
    BigInteger debitsPending,
    BigInteger debitsPosted,
    BigInteger creditsPending,
    BigInteger creditsPosted,
    long timestamp)
{
}
