package io.paycore.service.cluster;

/**
 * A restarted member's journal does not hold what the cluster's log gives it again (see {@link JournalAgreement}):
 * the member stops before it applies that record, and {@code node} exits with
 * {@link NodeCommand#EXIT_JOURNAL_DIFFERS}.
 */
public final class JournalDisagreementException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final long sequence;

    /**
     * @param message  what differs and what to do.
     * @param sequence the journal record that differs.
     */
    public JournalDisagreementException(final String message, final long sequence)
    {
        super(message);
        this.sequence = sequence;
    }

    /**
     * @return the journal record that differs from the log.
     */
    public long sequence()
    {
        return sequence;
    }
}
