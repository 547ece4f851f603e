package io.paycore.core.ledger;

import io.paycore.core.ledger.CommandStreams.Command;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The digest is for life: {@code audit} of a journal written today must print the digest {@code serve} printed
 * for it, in any later version. These are the digests of fixed command streams (every flag, linked chains,
 * pending / post / void, expiries, imported events, invalid fields), recorded from the ledger as it was on
 * 2026-12-06; a change to how the history hash or the digest is computed fails here before it ships.
 */
class LedgerDigestTest
{
    @Test
    void shouldGiveTheDigestsItGaveWhenTheyWereRecorded()
    {
        assertEquals("ed27e32e2d0370d9fcb469bfe8489168fde908ecf563812b04c62b21fcccf77e", digestOf(1, 12, 400));
        assertEquals("a713ccfe8b583f5b6d5313adbd1e5adf62499c459e76b2da0a6bc9592d96fe72", digestOf(2, 20, 400));
        assertEquals("7c7ad077ee5db84632bbeb2569df16b542b547aa6eefae379c84a2526901ab94", digestOf(3, 6, 1_000));
    }

    @Test
    void shouldGiveTheSameDigestWithAHotWindow()
    {
        final List<Command> commands = CommandStreams.fixed(1, 12, 400);
        // 64 transfers in memory, every older one in the tier.
        final Ledger hot = new Ledger(limits().maxTransfers(64), new InMemoryColdTier());
        assertEquals(digestOf(1, 12, 400), apply(hot, commands));
    }

    private static String digestOf(final long seed, final int accounts, final int commands)
    {
        return apply(new Ledger(limits()), CommandStreams.fixed(seed, accounts, commands));
    }

    private static String apply(final Ledger ledger, final List<Command> commands)
    {
        final LedgerDriver driver = new LedgerDriver(ledger);
        for (final Command command : commands)
        {
            driver.apply(command);
        }
        return ledger.digestHex();
    }

    private static LedgerLimits limits()
    {
        return new LedgerLimits()
            .maxAccounts(64)
            .maxTransfers(100_000)
            .maxPendingTransfers(4_096)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS);
    }
}
