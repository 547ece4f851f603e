package io.paycore.replay.query;

/**
 * Told of each transfer a query returns.
 */
@FunctionalInterface
public interface TransferVisitor
{
    /**
     * @param transfer valid only during the call.
     */
    void onTransfer(StoredTransfer transfer);
}
