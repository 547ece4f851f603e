package io.paycore.core.ledger;

/**
 * What a {@link LedgerChange} did to a transfer, in TigerBeetle's change-event terms.
 */
public enum ChangeType
{
    /**
     * A single-phase transfer was created: it moved its amount to the posted balances.
     */
    SINGLE_PHASE,

    /**
     * A pending transfer was created: it holds its amount in the pending balances.
     */
    TWO_PHASE_PENDING,

    /**
     * A post was created: the pending amount left the pending balances and the posted part went to the posted ones.
     */
    TWO_PHASE_POSTED,

    /**
     * A void was created: the pending amount left the pending balances.
     */
    TWO_PHASE_VOIDED,

    /**
     * A pending transfer reached its timeout: its amount left the pending balances.
     */
    TWO_PHASE_EXPIRED;

    private static final ChangeType[] VALUES = values();

    static ChangeType get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
