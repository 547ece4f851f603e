package io.paycore.core.ledger;

/**
 * Told of every change a {@link Ledger} makes to its transfers' state, in order, each once it is final: the
 * transfers a command creates when the command ends (so nothing a failed linked chain undid), and expiries as they
 * happen. Called on the ledger's thread; must not call back into the ledger's commands.
 */
@FunctionalInterface
public interface LedgerChangeListener
{
    /**
     * @param change the change, valid only during the call (a flyweight the ledger reuses).
     */
    void onChange(LedgerChange change);
}
