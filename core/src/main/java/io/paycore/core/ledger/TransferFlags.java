package io.paycore.core.ledger;

/**
 * Bits of a transfer's {@code flags} field, as in the wire schema. Any other bit is reserved and answers
 * {@code RESERVED_FLAG}. At most one of {@link #PENDING}, {@link #POST_PENDING} and {@link #VOID_PENDING}; neither
 * balancing flag with {@link #POST_PENDING} or {@link #VOID_PENDING}. The bits are TigerBeetle's.
 */
public final class TransferFlags
{
    /**
     * Links this event to the next one in the batch: the chain commits or fails as a whole.
     */
    public static final int LINKED = 1;

    /**
     * Phase one of a two-phase transfer: holds the amount in the pending balances.
     */
    public static final int PENDING = 2;

    /**
     * Phase two: posts (captures) all or part of the pending transfer named by {@code pendingId}.
     */
    public static final int POST_PENDING = 4;

    /**
     * Phase two: voids (releases) the pending transfer named by {@code pendingId}.
     */
    public static final int VOID_PENDING = 8;

    /**
     * Transfer at most the amount asked: less, as needed, so that the debit account's debits (pending and posted)
     * do not exceed its posted credits. The transfer records the amount moved. Not with a post or void.
     */
    public static final int BALANCING_DEBIT = 16;

    /**
     * Transfer at most the amount asked: less, as needed, so that the credit account's credits (pending and posted)
     * do not exceed its posted debits. The transfer records the amount moved. Not with a post or void.
     */
    public static final int BALANCING_CREDIT = 32;

    /**
     * Close the debit account when this pending transfer is created; voiding it, or its expiry, re-opens the account.
     * Only with {@link #PENDING}.
     */
    public static final int CLOSING_DEBIT = 64;

    /**
     * Close the credit account when this pending transfer is created; voiding it, or its expiry, re-opens the
     * account. Only with {@link #PENDING}.
     */
    public static final int CLOSING_CREDIT = 128;

    /**
     * The event carries the timestamp the transfer happened at elsewhere, instead of getting one from the ledger
     * (TigerBeetle's bit). A batch is imported or not as its first event is; see {@link Ledger}.
     */
    public static final int IMPORTED = 256;

    /**
     * Every bit that has a meaning; the others are reserved.
     */
    public static final int ALL = LINKED | PENDING | POST_PENDING | VOID_PENDING | BALANCING_DEBIT | BALANCING_CREDIT |
        CLOSING_DEBIT | CLOSING_CREDIT | IMPORTED;

    private TransferFlags()
    {
    }
}
