package io.paycore.replay.audit;

/**
 * Told how an audit is going, every {@link AuditContext#progressIntervalNanos()} or so, on the auditing thread;
 * for a progress bar. Must be quick: the replay waits for it.
 */
@FunctionalInterface
public interface AuditProgress
{
    /**
     * @param sequence         last record read (verified).
     * @param lastSequence     estimate of the journal's last sequence, read at the start (the journal may grow).
     * @param firstSequence    first record of this audit (1, or the one after the snapshot started from).
     * @param transferEvents   transfer events replayed so far.
     * @param elapsedNanos     since the replay started.
     */
    void onProgress(long sequence, long lastSequence, long firstSequence, long transferEvents, long elapsedNanos);
}
