package io.paycore.core.ledger;

/**
 * A ledger snapshot could not be read: wrong magic or format version, damaged (checksum mismatch), truncated,
 * or holding more state than the given {@link LedgerLimits} allow. The message says what is wrong, with the
 * expected and the found value.
 */
public final class LedgerSnapshotException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, expected versus found.
     */
    public LedgerSnapshotException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong.
     * @param cause   the underlying I/O failure.
     */
    public LedgerSnapshotException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
