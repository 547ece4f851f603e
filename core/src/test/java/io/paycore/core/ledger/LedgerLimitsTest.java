package io.paycore.core.ledger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerLimitsTest
{
    @AfterEach
    void clearProperty()
    {
        System.clearProperty(LedgerLimits.MAX_ACCOUNTS_PROP_NAME);
    }

    @Test
    void shouldDefaultToConstants()
    {
        final LedgerLimits limits = new LedgerLimits();

        assertEquals(1_048_576, limits.maxAccounts());
        assertEquals(4_194_304, limits.maxTransfers());
        assertEquals(1_048_576, limits.maxPendingTransfers());
        assertEquals(1024, limits.maxBatchEvents());
    }

    @Test
    void shouldDefaultFromSystemProperty()
    {
        System.setProperty(LedgerLimits.MAX_ACCOUNTS_PROP_NAME, "123");

        assertEquals(123, new LedgerLimits().maxAccounts());
    }

    @Test
    void shouldNameTheLimitOutOfRange()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class,
            () -> new Ledger(new LedgerLimits().maxTransfers(10).maxPendingTransfers(0)));

        assertTrue(ex.getMessage().contains(LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LedgerLimits().maxAccounts(0).validate());
    }

    @Test
    void shouldAnswerAccountsFullAtCapacityWithoutGrowing()
    {
        final LedgerFixture f = new LedgerFixture()
            .accounts(new LedgerLimits().maxAccounts(3).maxTransfers(4).maxPendingTransfers(1).maxBatchEvents(8));
        f.accountEvents.reset().add(1, 0, 1, 1, 0).add(2, 0, 1, 1, 0).add(3, 0, 1, 1, 0).add(4, 0, 1, 1, 0);
        f.applyAccounts();

        assertEquals(io.paycore.codec.sbe.CreateAccountResult.ACCOUNTS_FULL, f.accountResults.result(3));
        assertEquals(3, f.ledger.accountCount());
    }
}
