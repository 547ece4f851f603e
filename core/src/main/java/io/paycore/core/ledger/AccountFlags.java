package io.paycore.core.ledger;

/**
 * Bits of an account's {@code flags} field, as in the wire schema. Any other bit is reserved and answers
 * {@code RESERVED_FLAG}.
 */
public final class AccountFlags
{
    /**
     * Links this event to the next one in the batch: the chain commits or fails as a whole.
     */
    public static final int LINKED = 1;

    /**
     * Debits (pending plus posted) of this account must never exceed its posted credits.
     */
    public static final int DEBITS_MUST_NOT_EXCEED_CREDITS = 2;

    /**
     * Credits (pending plus posted) of this account must never exceed its posted debits.
     */
    public static final int CREDITS_MUST_NOT_EXCEED_DEBITS = 4;

    /**
     * Keep the account's balance history (TigerBeetle's bit). Accepted and stored; the queries that read the history
     * come later.
     */
    public static final int HISTORY = 8;

    /**
     * The event carries the timestamp the account was created at elsewhere, instead of getting one from the ledger
     * (TigerBeetle's bit). A batch is imported or not as its first event is; see {@link Ledger}.
     */
    public static final int IMPORTED = 16;

    /**
     * The account takes no transfer but voids of pending transfers. Set at creation, or by a pending transfer with
     * {@link TransferFlags#CLOSING_DEBIT} or {@link TransferFlags#CLOSING_CREDIT}; voiding (or the expiry of) that
     * transfer clears it. TigerBeetle's bit.
     */
    public static final int CLOSED = 32;

    /**
     * Every bit that has a meaning; the others are reserved.
     */
    public static final int ALL = LINKED | DEBITS_MUST_NOT_EXCEED_CREDITS | CREDITS_MUST_NOT_EXCEED_DEBITS | HISTORY |
        IMPORTED | CLOSED;

    private AccountFlags()
    {
    }
}
