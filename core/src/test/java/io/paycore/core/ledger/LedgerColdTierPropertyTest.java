package io.paycore.core.ledger;

import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.ledger.CommandStreams.Command;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs random command streams against a ledger with a tiny hot window and a cold tier, and against a reference
 * ledger that keeps every transfer in memory: after every command the results, counts, clock, accounts and
 * lookups of ids old and new must agree; the digests must agree throughout; at the end every transfer must agree.
 * Along the way the hot ledger is snapshotted and restored (with the same cold tier), and must carry on the same.
 * The cold tier is kept in maps, and in a few tries in LMDB, written synchronously or by an agent on a thread of its
 * own (with the ledger waiting before each command until the tier has written what is sealed, as the prefetch stage
 * is to).
 * Pending transfers outlive the window: the streams post, void and re-send ids long evicted.
 */
class LedgerColdTierPropertyTest
{
    private static final int COMMANDS = 4_000;

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
     * Transfer ids that mostly only grow: the ascending index trimmed into the tier, and a snapshot's ledger taking
     * its id ceiling from the tier's highest id.
     */
    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void shouldAnswerAsAnUnboundedLedgerDoesWithIdsThatMostlyOnlyGrow(
        @ForAll("ascendingStreams") final List<Command> commands,
        @ForAll @IntRange(min = 1, max = 300) final int hotWindow,
        @ForAll @IntRange(min = 1, max = 1_000_000) final int seed) throws IOException
    {
        final InMemoryColdTier cold = new InMemoryColdTier();
        run(commands, hotWindow, seed, cold, (ledger) -> {});
        assertTrue(cold.finds() > 0, "the cold tier was never asked");
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void shouldAnswerAsAnUnboundedLedgerDoes(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 1, max = 64) final int hotWindow,
        @ForAll @IntRange(min = 1, max = 1_000_000) final int seed) throws IOException
    {
        final InMemoryColdTier cold = new InMemoryColdTier();
        run(commands, hotWindow, seed, cold, (ledger) -> {});
        assertTrue(cold.finds() > 0, "the cold tier was never asked");
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    void shouldAnswerAsAnUnboundedLedgerDoesWithItsColdTierInLmdb(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 1, max = 64) final int hotWindow,
        @ForAll @IntRange(min = 1, max = 1_000_000) final int seed) throws IOException
    {
        final Path directory = Files.createTempDirectory("paycore-cold-");
        try (LmdbColdTier cold = new LmdbColdTier(directory, 256L << 20))
        {
            run(commands, hotWindow, seed, cold, (ledger) -> {});
            assertTrue(cold.finds() > 0, "the cold tier was never asked");
        }
        finally
        {
            IoUtil.delete(directory.toFile(), false);
        }
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    void shouldAnswerAsAnUnboundedLedgerDoesWithItsColdTierWrittenByAnAgent(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 1, max = 64) final int hotWindow,
        @ForAll @IntRange(min = 1, max = 1_000_000) final int seed) throws IOException
    {
        final Path directory = Files.createTempDirectory("paycore-cold-");
        final AsyncLmdbColdTier cold = new AsyncLmdbColdTier(directory, 256L << 20, 1 + seed % 50);
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(1, 10, 1_000, 100_000), Throwable::printStackTrace, null, cold);
        AgentRunner.startOnThread(runner);
        try
        {
            // As the prefetch stage is to: before each command, wait until the tier has written what is sealed.
            run(commands, hotWindow, seed, cold, (ledger) ->
            {
                while (cold.writtenRecords() < ledger.sealedRecords())
                {
                    assertNull(cold.failure());
                    Thread.onSpinWait();
                    Thread.yield();
                }
            });
            assertNull(cold.failure());
            assertTrue(cold.finds() > 0, "the cold tier was never asked");
        }
        finally
        {
            CloseHelper.close(runner);
            cold.close();
            IoUtil.delete(directory.toFile(), false);
        }
    }

    static void run(
        final List<Command> commands,
        final int hotWindow,
        final int seed,
        final ColdTier cold,
        final Consumer<Ledger> beforeCommand)
        throws IOException
    {
        final LedgerLimits referenceLimits = new LedgerLimits()
            .maxAccounts(64)
            .maxTransfers(200_000)
            .maxPendingTransfers(4_096)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS);
        final LedgerLimits hotLimits = new LedgerLimits()
            .maxAccounts(64)
            .maxTransfers(hotWindow)
            .maxPendingTransfers(4_096)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS);
        final Ledger reference = new Ledger(referenceLimits);
        final LedgerDriver referenceDriver = new LedgerDriver(reference);
        Ledger hot = new Ledger(hotLimits, cold);
        LedgerDriver hotDriver = new LedgerDriver(hot);
        // The change events too are the same wherever the transfers live.
        final List<String> referenceChanges = new ArrayList<>();
        final List<String> hotChanges = new ArrayList<>();
        reference.changeListener(change -> referenceChanges.add(change.toString()));
        hot.changeListener(change -> hotChanges.add(change.toString()));
        final SplittableRandom random = new SplittableRandom(seed);

        for (int c = 0; c < commands.size(); c++)
        {
            final Command command = commands.get(c);
            final String where = "command " + c + " (hot window " + hotWindow + "): " + command;
            beforeCommand.accept(hot);
            assertEquals(referenceDriver.apply(command), hotDriver.apply(command), where);
            assertEquals(reference.lastTimestampNanos(), hot.lastTimestampNanos(), where);
            assertEquals(reference.clockNanos(), hot.clockNanos(), where);
            assertEquals(reference.transferCount(), hot.transferCount(), where);
            assertEquals(reference.pendingCount(), hot.pendingCount(), where);
            assertEquals(LedgerDriver.accounts(reference), LedgerDriver.accounts(hot), where);
            assertEquals(referenceChanges, hotChanges, where);
            referenceChanges.clear();
            hotChanges.clear();
            assertTrue(hot.recordCount() - hot.oldestHotRecord() <= hotWindow + 2L * hotLimits.maxBatchEvents(),
                where);

            for (final LedgerModel.TransferEvent event : command.transfers())
            {
                assertEquals(LedgerDriver.transfer(reference, event.id()), LedgerDriver.transfer(hot, event.id()),
                    where);
                assertEquals(LedgerDriver.transfer(reference, event.pendingId()),
                    LedgerDriver.transfer(hot, event.pendingId()), where);
            }
            if (reference.recordCount() > 0)
            {
                // Any transfer ever created, most of them long cold.
                final int handle = reference.recordHandle(random.nextLong(reference.recordCount()));
                final BigInteger id = LedgerDriver.of(reference.transferIdHi(handle), reference.transferIdLo(handle));
                assertEquals(LedgerDriver.transfer(reference, id), LedgerDriver.transfer(hot, id), where);
            }

            if (random.nextInt(500) == 0)
            {
                assertEquals(reference.digestHex(), hot.digestHex(), where);
                hot = restore(hot, hotLimits, cold);
                hot.changeListener(change -> hotChanges.add(change.toString()));
                hotDriver = new LedgerDriver(hot);
            }
        }

        assertEquals(reference.digestHex(), hot.digestHex());
        for (long number = 0; number < reference.recordCount(); number++)
        {
            final int handle = reference.recordHandle(number);
            final BigInteger id = LedgerDriver.of(reference.transferIdHi(handle), reference.transferIdLo(handle));
            assertEquals(LedgerDriver.transfer(reference, id), LedgerDriver.transfer(hot, id));
        }
    }

    private static Ledger restore(final Ledger ledger, final LedgerLimits limits, final ColdTier cold)
        throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ledger.writeSnapshot(Channels.newChannel(bytes));
        final Ledger restored = Ledger.readSnapshot(
            Channels.newChannel(new java.io.ByteArrayInputStream(bytes.toByteArray())), limits, cold);
        assertEquals(ledger.digestHex(), restored.digestHex());
        return restored;
    }
}
