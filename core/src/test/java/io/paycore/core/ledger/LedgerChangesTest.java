package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.CommandStreams.Command;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.paycore.core.ledger.TransferFlags.LINKED;
import static io.paycore.core.ledger.TransferFlags.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every change to the transfers' state reaches a {@link LedgerChangeListener} once, in order, with a unique
 * timestamp and both accounts' balances right after it; nothing a failed chain undid is told.
 */
class LedgerChangesTest
{
    private final LedgerFixture f = new LedgerFixture();
    private final List<String> told = new ArrayList<>();

    @Test
    void shouldTellEachKindOfChangeWithTheBalancesAfterIt()
    {
        f.standardAccounts();
        f.ledger.changeListener(change -> told.add(change.toString()));

        f.expectOk(f.single(10, 1, 2, 7));
        f.expectOk(f.pending(11, 1, 2, 5, 0));
        f.expectOk(f.post(12, 11, 3));
        f.expectOk(f.pending(13, 1, 2, 4, 0));
        f.expectOk(f.voidPending(14, 13, 0));
        f.expectOk(f.pending(15, 1, 2, 2, 1));
        final long t = f.transferResults.timestamp(0);
        f.nowNanos = t + 1_000_000_000L;
        f.ledger.tick(f.nowNanos);

        assertEquals(List.of(
            "SINGLE_PHASE @" + (t - 5) + " transfer 10 1->2 amount 7 debit account 0/7/0/0 credit account 0/0/0/7",
            "TWO_PHASE_PENDING @" + (t - 4) + " transfer 11 1->2 amount 5 debit account 5/7/0/0 credit account " +
                "0/0/5/7",
            "TWO_PHASE_POSTED @" + (t - 3) + " transfer 12 1->2 amount 3 debit account 0/10/0/0 credit account " +
                "0/0/0/10",
            "TWO_PHASE_PENDING @" + (t - 2) + " transfer 13 1->2 amount 4 debit account 4/10/0/0 credit account " +
                "0/0/4/10",
            "TWO_PHASE_VOIDED @" + (t - 1) + " transfer 14 1->2 amount 4 debit account 0/10/0/0 credit account " +
                "0/0/0/10",
            "TWO_PHASE_PENDING @" + t + " transfer 15 1->2 amount 2 debit account 2/10/0/0 credit account 0/0/2/10",
            "TWO_PHASE_EXPIRED @" + f.nowNanos + " transfer 15 1->2 amount 2 debit account 0/10/0/0 credit account " +
                "0/0/0/10"), told);
        assertEquals(f.nowNanos, f.ledger.lastTimestampNanos(), "the expiry took a timestamp of its own");
    }

    @Test
    void shouldTellNothingOfAChainThatFailedNorOfAFailure()
    {
        f.standardAccounts();
        f.ledger.changeListener(change -> told.add(change.transferIdLo() + " " + change.type()));

        f.transferEvents.reset()
            .add(20, 1, 2, 1, 0, 0, 1, 0, 1, LINKED)
            .add(21, 1, 2, 1, 0, 0, 1, 0, 1, LINKED | PENDING)
            .add(22, 1, 99, 1, 0, 0, 1, 0, 1, 0)
            .add(23, 1, 2, 1, 0, 0, 1, 0, 1, 0)
            .add(24, 4, 2, 1, 0, 0, 1, 0, 1, 0);
        f.applyTransfers();

        assertEquals(CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND, f.transferResults.result(2));
        assertEquals(CreateTransferResult.EXCEEDS_CREDITS, f.transferResults.result(4));
        assertEquals(List.of("23 SINGLE_PHASE"), told);
    }

    @Provide
    Arbitrary<List<Command>> streams()
    {
        return CommandStreams.streams(3_000, 8, 16);
    }

    /**
     * Random streams of every kind of command: a consumer that keeps each account's balances as the changes say
     * has every account's balances after every command; each transfer answered OK is told once, with its result's
     * timestamp; each expiry is told once; timestamps only grow.
     */
    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void shouldLetAConsumerFollowEveryBalanceFromTheChangesAlone(@ForAll("streams") final List<Command> commands)
    {
        final Ledger ledger = new Ledger(new LedgerLimits()
            .maxAccounts(16).maxTransfers(100_000).maxPendingTransfers(4_096)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS));
        final LedgerDriver driver = new LedgerDriver(ledger);
        final Map<BigInteger, String> balances = new HashMap<>();
        final List<String> commandChanges = new ArrayList<>();
        final long[] lastTimestamp = {Long.MIN_VALUE};
        final Set<BigInteger> expired = new HashSet<>();
        ledger.changeListener(change ->
        {
            assertTrue(change.timestampNanos() > lastTimestamp[0], "timestamps only grow: " + change);
            lastTimestamp[0] = change.timestampNanos();
            balances.put(LedgerDriver.of(change.debitAccountIdHi(), change.debitAccountIdLo()),
                LedgerDriver.of(change.debitAccountDebitsPendingHi(), change.debitAccountDebitsPendingLo()) + "/" +
                LedgerDriver.of(change.debitAccountDebitsPostedHi(), change.debitAccountDebitsPostedLo()) + "/" +
                LedgerDriver.of(change.debitAccountCreditsPendingHi(), change.debitAccountCreditsPendingLo()) + "/" +
                LedgerDriver.of(change.debitAccountCreditsPostedHi(), change.debitAccountCreditsPostedLo()));
            balances.put(LedgerDriver.of(change.creditAccountIdHi(), change.creditAccountIdLo()),
                LedgerDriver.of(change.creditAccountDebitsPendingHi(), change.creditAccountDebitsPendingLo()) + "/" +
                LedgerDriver.of(change.creditAccountDebitsPostedHi(), change.creditAccountDebitsPostedLo()) + "/" +
                LedgerDriver.of(change.creditAccountCreditsPendingHi(), change.creditAccountCreditsPendingLo()) +
                "/" + LedgerDriver.of(change.creditAccountCreditsPostedHi(), change.creditAccountCreditsPostedLo()));
            final BigInteger id = LedgerDriver.of(change.transferIdHi(), change.transferIdLo());
            if (ChangeType.TWO_PHASE_EXPIRED == change.type())
            {
                assertTrue(expired.add(id), "expired once: " + change);
            }
            else
            {
                commandChanges.add(id + "@" + change.timestampNanos());
            }
        });

        int changesTold = 0;
        for (int c = 0; c < commands.size(); c++)
        {
            final Command command = commands.get(c);
            final String where = "command " + c + ": " + command;
            commandChanges.clear();
            final List<String> answers = driver.apply(command);

            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++)
            {
                if (CommandStreams.Kind.TRANSFERS == command.kind() && answers.get(i).startsWith("OK@"))
                {
                    expected.add(command.transfers().get(i).id() + "@" + answers.get(i).substring(3));
                }
            }
            assertEquals(expected, commandChanges, where);
            changesTold += commandChanges.size();

            for (int a = 0; a < ledger.accountCount(); a++)
            {
                final BigInteger id = LedgerDriver.of(ledger.accountIdHi(a), ledger.accountIdLo(a));
                final String actual = LedgerDriver.of(ledger.debitsPendingHi(a), ledger.debitsPendingLo(a)) + "/" +
                    LedgerDriver.of(ledger.debitsPostedHi(a), ledger.debitsPostedLo(a)) + "/" +
                    LedgerDriver.of(ledger.creditsPendingHi(a), ledger.creditsPendingLo(a)) + "/" +
                    LedgerDriver.of(ledger.creditsPostedHi(a), ledger.creditsPostedLo(a));
                assertEquals(actual, balances.getOrDefault(id, "0/0/0/0"), where + ": account " + id);
            }
        }
        assertTrue(changesTold > 0 && !expired.isEmpty(), "the stream should create and expire transfers");
    }
}
