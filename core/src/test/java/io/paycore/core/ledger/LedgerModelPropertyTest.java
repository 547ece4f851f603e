package io.paycore.core.ledger;

import io.paycore.core.ledger.CommandStreams.Command;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs random streams of 10,000 commands against the {@link Ledger} and the plainly written {@link LedgerModel}
 * (TigerBeetle's rules over {@link BigInteger}s: 128-bit ids, amounts and balances, user data, imported events);
 * after every command the results, timestamps, counts, clock and every account must agree and every ledger must
 * balance; at the end every transfer must agree. Streams are opaque to shrinking; a failure names the command.
 */
class LedgerModelPropertyTest
{
    private static final int COMMANDS = 10_000;

    @Provide
    Arbitrary<List<Command>> streams()
    {
        return CommandStreams.streams(COMMANDS, 8, 16);
    }

    @Provide
    Arbitrary<List<Command>> ascendingStreams()
    {
        return CommandStreams.streams(COMMANDS, 8, 16, true);
    }

    /**
     * Transfer ids that mostly only grow: long runs in the ascending index, with re-sends and ids out of order
     * inside them, chains that fail and a tight transfer limit.
     */
    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithModelWithIdsThatMostlyOnlyGrow(
        @ForAll("ascendingStreams") final List<Command> commands,
        @ForAll @IntRange(min = 2_000, max = 100_000) final int maxTransfers)
    {
        run(commands, 64, maxTransfers, 4_096);
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithModelWithRoomyLimits(@ForAll("streams") final List<Command> commands)
    {
        run(commands, 64, 100_000, 4_096);
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithModelWithTightLimits(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 6, max = 20) final int maxAccounts,
        @ForAll @IntRange(min = 200, max = 4_000) final int maxTransfers,
        @ForAll @IntRange(min = 1, max = 24) final int maxPendingTransfers)
    {
        run(commands, maxAccounts, maxTransfers, maxPendingTransfers);
    }

    /**
     * A replay on a ledger with more room, of a history made with tight limits: it must answer as the tight ledger
     * did (the model), at the limits a journaled limits record put in force.
     */
    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithModelAtTightLimitsInForceOnARoomyLedger(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 6, max = 20) final int maxAccounts,
        @ForAll @IntRange(min = 200, max = 4_000) final int maxTransfers,
        @ForAll @IntRange(min = 1, max = 24) final int maxPendingTransfers)
    {
        final Ledger ledger = new Ledger(new LedgerLimits()
            .maxAccounts(64)
            .maxTransfers(100_000)
            .maxPendingTransfers(4_096)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS));
        ledger.applyLimits(maxAccounts, maxTransfers, maxPendingTransfers);

        run(ledger, commands, maxAccounts, maxTransfers, maxPendingTransfers);
        assertNull(ledger.capacityShortfall());
    }

    private static void run(
        final List<Command> commands, final int maxAccounts, final int maxTransfers, final int maxPendingTransfers)
    {
        final Ledger ledger = new Ledger(new LedgerLimits()
            .maxAccounts(maxAccounts)
            .maxTransfers(maxTransfers)
            .maxPendingTransfers(maxPendingTransfers)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS));
        run(ledger, commands, maxAccounts, maxTransfers, maxPendingTransfers);
    }

    private static void run(
        final Ledger ledger,
        final List<Command> commands,
        final int maxAccounts,
        final int maxTransfers,
        final int maxPendingTransfers)
    {
        final LedgerDriver driver = new LedgerDriver(ledger);
        final LedgerModel model = new LedgerModel(maxAccounts, maxTransfers, maxPendingTransfers);

        for (int c = 0; c < commands.size(); c++)
        {
            final Command command = commands.get(c);
            final String where = "command " + c + ": " + command;
            assertEquals(LedgerDriver.apply(model, command), driver.apply(command), where);
            assertEquals(model.lastTimestamp, ledger.lastTimestampNanos(), where);
            assertEquals(model.clock, ledger.clockNanos(), where);
            assertEquals(model.transferList.size(), ledger.transferCount(), where);
            assertEquals(model.pendingCount(), ledger.pendingCount(), where);
            assertEquals(LedgerDriver.accounts(model), LedgerDriver.accounts(ledger), where);
            assertTrue(ledger.isBalanced(), where);
            assertTrue(ledger.highBalanceBitsHold(), where);
            assertBalanced(model, where);
        }
        assertEquals(LedgerDriver.transfers(model), LedgerDriver.transfers(ledger));
    }

    private static void assertBalanced(final LedgerModel model, final String where)
    {
        final Map<Long, BigInteger[]> sums = new HashMap<>();
        for (final LedgerModel.Account a : model.accountList)
        {
            final BigInteger[] sum = sums.computeIfAbsent(
                a.ledger, (k) -> new BigInteger[]{ BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO });
            sum[0] = sum[0].add(a.debitsPending);
            sum[1] = sum[1].add(a.creditsPending);
            sum[2] = sum[2].add(a.debitsPosted);
            sum[3] = sum[3].add(a.creditsPosted);
        }
        for (final Map.Entry<Long, BigInteger[]> e : sums.entrySet())
        {
            final BigInteger[] sum = e.getValue();
            assertEquals(sum[0], sum[1], "pending, ledger " + e.getKey() + ", " + where);
            assertEquals(sum[2], sum[3], "posted, ledger " + e.getKey() + ", " + where);
        }
    }
}
