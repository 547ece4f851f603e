package io.paycore.replay.query;

/**
 * Told of each balance {@link QueryEngine#getAccountBalances} returns.
 */
@FunctionalInterface
public interface BalanceVisitor
{
    /**
     * @param balance valid only during the call.
     */
    void onBalance(AccountBalance balance);
}
