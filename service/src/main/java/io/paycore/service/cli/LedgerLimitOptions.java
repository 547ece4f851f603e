package io.paycore.service.cli;

import io.paycore.core.ledger.LedgerLimits;
import picocli.CommandLine.Option;

/**
 * The ledger's limits, for every command that builds a ledger from a journal ({@code serve}, {@code node},
 * {@code audit}). {@code serve} journals the limits it runs with ({@code RecordTypes.LIMITS}), and a replay answers
 * with those; a replay whose ledger is too small for the history it replays stops and names the limit to raise.
 */
public final class LedgerLimitOptions
{
    // Each default is its system property (README, Limits), else the ledger's own default.
    private static final String MAX_ACCOUNTS_DEFAULT =
        "${sys:" + LedgerLimits.MAX_ACCOUNTS_PROP_NAME + ":-" + LedgerLimits.MAX_ACCOUNTS_DEFAULT + "}";
    private static final String HOT_TRANSFERS_DEFAULT =
        "${sys:" + LedgerLimits.MAX_TRANSFERS_PROP_NAME + ":-" + LedgerLimits.MAX_TRANSFERS_DEFAULT + "}";
    private static final String MAX_PENDING_DEFAULT =
        "${sys:" + LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME + ":-" + LedgerLimits.MAX_PENDING_TRANSFERS_DEFAULT +
        "}";
    private static final String MAX_BATCH_DEFAULT =
        "${sys:" + LedgerLimits.MAX_BATCH_EVENTS_PROP_NAME + ":-" + LedgerLimits.MAX_BATCH_EVENTS_DEFAULT + "}";

    @Option(names = "--max-accounts", paramLabel = "N", defaultValue = MAX_ACCOUNTS_DEFAULT,
        description = "Most accounts the ledger holds. serve journals the limits it runs with, so a restart may " +
            "change them and a replay (recovery, audit, the feeds) answers as the service did; a replay with room " +
            "for fewer accounts than its journal's history holds stops and names the value. Members of a cluster " +
            "must all use the same (default: ${DEFAULT-VALUE}).")
    private int maxAccounts;

    @Option(names = { "--hot-transfers", "--max-transfers" }, paramLabel = "N",
        defaultValue = HOT_TRANSFERS_DEFAULT,
        description = "Transfers kept in memory: the most recent ones; older ones live in the cold tier on disk " +
            "(DIR/cold), found by id for as long as the ledger lives. About 180 to 210 bytes of heap each (record, " +
            "id index, expiry-heap position): with the default accounts and pending transfers the ledger takes " +
            "about 1.3 GB with a cold tier, 0.9 GB without, and serve's snapshotter thread as much again; limits " +
            "that do not fit the JVM's heap (its old generation, with ParallelGC) are refused at start. With no " +
            "cold tier (--cold-tier-size 0) it is the most transfers the ledger ever holds. --max-transfers is its " +
            "former name " +
            "(default: ${DEFAULT-VALUE}).")
    private int maxTransfers;

    @Option(names = "--max-pending", paramLabel = "N",
        defaultValue = MAX_PENDING_DEFAULT,
        description = "Most transfers pending at once; journaled by serve, as --max-accounts. Members of a " +
            "cluster must all use the same (default: ${DEFAULT-VALUE}).")
    private int maxPending;

    @Option(names = "--max-batch", paramLabel = "EVENTS", defaultValue = MAX_BATCH_DEFAULT,
        description = "Most events in one message, 1..1024 (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    /**
     * @return the limits given, not yet validated.
     */
    public LedgerLimits limits()
    {
        return new LedgerLimits()
            .maxAccounts(maxAccounts)
            .maxTransfers(maxTransfers)
            .maxPendingTransfers(maxPending)
            .maxBatchEvents(maxBatch);
    }
}
