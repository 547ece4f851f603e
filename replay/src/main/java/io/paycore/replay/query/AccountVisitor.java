package io.paycore.replay.query;

import io.paycore.core.ledger.Ledger;

/**
 * Told of each account {@link QueryEngine#queryAccounts} returns.
 */
@FunctionalInterface
public interface AccountVisitor
{
    /**
     * @param ledger the engine's replayed ledger; read it, never change it.
     * @param index  the account's index in it.
     */
    void onAccount(Ledger ledger, int index);
}
