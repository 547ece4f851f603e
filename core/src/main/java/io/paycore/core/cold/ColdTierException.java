package io.paycore.core.cold;

/**
 * The cold tier cannot do what it was asked: open its store, or store what the ledger sealed.
 */
public class ColdTierException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and where.
     */
    public ColdTierException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed and where.
     * @param cause   the store's own error.
     */
    public ColdTierException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
