package io.paycore.core.cold;

/**
 * The cold tier has reached its size bound on disk; the write that found it full kept nothing.
 */
public final class ColdTierFullException extends ColdTierException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was not written, and the bound.
     * @param cause   the store's own error.
     */
    public ColdTierFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
