package io.paycore.core.command;

/**
 * A replay met a record it cannot apply as the original did, because the ledger (or the processor's batch limit) it
 * runs on is smaller than the limits the record was answered with. The state from here on would differ from the
 * original's, so the replay must stop. Never thrown while a service applies its own records: it runs with the limits
 * it journals.
 */
public final class LedgerCapacityException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was too small, and which option to raise.
     */
    public LedgerCapacityException(final String message)
    {
        super(message);
    }
}
