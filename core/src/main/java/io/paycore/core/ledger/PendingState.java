package io.paycore.core.ledger;

/**
 * Where a transfer stands as a two-phase payment. Only transfers created with the {@code PENDING} flag ever
 * leave {@link #NONE}.
 */
public enum PendingState
{
    /**
     * Not a pending transfer (single-phase, post or void).
     */
    NONE,

    /**
     * Holding its amount; can still be posted, voided or expire.
     */
    PENDING,

    /**
     * Posted (in full or in part) by a {@code POST_PENDING} transfer.
     */
    POSTED,

    /**
     * Released by a {@code VOID_PENDING} transfer.
     */
    VOIDED,

    /**
     * Released because its timeout passed.
     */
    EXPIRED;

    private static final PendingState[] VALUES = values();

    static PendingState get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
