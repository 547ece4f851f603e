package io.paycore.core.command;

import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The payload of a {@link RecordTypes#LIMITS} record: the ledger limits whose capacity results ({@code ACCOUNTS_FULL},
 * {@code PENDING_TRANSFERS_FULL}, {@code TRANSFERS_FULL}) the records after it were answered with. Little-endian:
 * <pre>
 *    0  version              int32  {@link #VERSION}
 *    4  maxAccounts          int32
 *    8  maxTransfers         int32  transfer records without a cold tier; 0 with one (no bound)
 *   12  maxPendingTransfers  int32
 *   16  maxBatchEvents       int32  for information: a batch over it never reached the journal
 * </pre>
 */
public final class LimitsRecord
{
    /**
     * Payload version.
     */
    public static final int VERSION = 1;

    /**
     * Payload length.
     */
    public static final int LENGTH = 20;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private LimitsRecord()
    {
    }

    /**
     * Encode a ledger's own limits.
     *
     * @param limits    the ledger's.
     * @param coldTier  whether the ledger has a cold tier (then its transfers have no bound).
     * @param buffer    to write to, {@link #LENGTH} bytes from offset.
     * @param offset    where the payload starts.
     * @return {@link #LENGTH}.
     */
    public static int encode(
        final LedgerLimits limits, final boolean coldTier, final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset, VERSION, ORDER);
        buffer.putInt(offset + 4, limits.maxAccounts(), ORDER);
        buffer.putInt(offset + 8, coldTier ? 0 : limits.maxTransfers(), ORDER);
        buffer.putInt(offset + 12, limits.maxPendingTransfers(), ORDER);
        buffer.putInt(offset + 16, limits.maxBatchEvents(), ORDER);
        return LENGTH;
    }

    /**
     * Check a payload: its length, version and that every limit is positive (0 transfers: no bound).
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @param length its length.
     * @return true if it is a limits payload this version reads.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return LENGTH == length && VERSION == buffer.getInt(offset, ORDER) && maxAccounts(buffer, offset) > 0 &&
            buffer.getInt(offset + 8, ORDER) >= 0 && maxPendingTransfers(buffer, offset) > 0;
    }

    /**
     * @param buffer holding a valid payload.
     * @param offset where it starts.
     * @return accounts in force.
     */
    public static int maxAccounts(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 4, ORDER);
    }

    /**
     * @param buffer holding a valid payload.
     * @param offset where it starts.
     * @return transfer records in force, {@link Ledger#UNBOUNDED_TRANSFERS} for none.
     */
    public static long maxTransfers(final DirectBuffer buffer, final int offset)
    {
        final int transfers = buffer.getInt(offset + 8, ORDER);
        return 0 == transfers ? Ledger.UNBOUNDED_TRANSFERS : transfers;
    }

    /**
     * @param buffer holding a valid payload.
     * @param offset where it starts.
     * @return pending transfers in force.
     */
    public static int maxPendingTransfers(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 12, ORDER);
    }

    /**
     * @param buffer holding a valid payload.
     * @param offset where it starts.
     * @return the writer's events per message.
     */
    public static int maxBatchEvents(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 16, ORDER);
    }

    /**
     * @param ledger whose limits in force.
     * @return them for a report: accounts, transfers and pending transfers.
     */
    public static String describeInForce(final Ledger ledger)
    {
        return describe(ledger.accountLimit(), ledger.transferLimit(), ledger.pendingLimit());
    }

    private static String describe(final int accounts, final long transfers, final int pending)
    {
        return "accounts " + accounts + ", transfers " +
            (Ledger.UNBOUNDED_TRANSFERS == transfers ? "unbounded (cold tier)" : Long.toString(transfers)) +
            ", pending " + pending;
    }

    /**
     * @param buffer holding a valid payload.
     * @param offset where it starts.
     * @return the limits for a report: accounts, transfers, pending transfers and events per message.
     */
    public static String describe(final DirectBuffer buffer, final int offset)
    {
        return describe(
            maxAccounts(buffer, offset), maxTransfers(buffer, offset), maxPendingTransfers(buffer, offset)) +
            ", batch " + maxBatchEvents(buffer, offset);
    }
}
