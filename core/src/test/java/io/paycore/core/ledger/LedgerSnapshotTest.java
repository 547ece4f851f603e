package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.CommandStreams.Command;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerSnapshotTest
{
    private static final int COMMANDS = 1_500;

    private static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(64).maxTransfers(20_000).maxPendingTransfers(64)
            .maxBatchEvents(CommandStreams.MAX_BATCH_EVENTS);
    }

    @Provide
    Arbitrary<List<Command>> streams()
    {
        return CommandStreams.streams(COMMANDS, 8, 16);
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void shouldRoundTripToSameDigestAndSameBehaviour(
        @ForAll("streams") final List<Command> commands, @ForAll @IntRange(min = 1, max = COMMANDS) final int split)
    {
        final LedgerDriver original = new LedgerDriver(new Ledger(limits()));
        for (final Command command : commands.subList(0, split))
        {
            original.apply(command);
        }

        final byte[] snapshot = snapshot(original.ledger());
        final LedgerDriver restored = new LedgerDriver(read(snapshot, limits()));

        assertEquals(original.ledger().digestHex(), restored.ledger().digestHex());
        assertEquals(original.ledger().pendingCount(), restored.ledger().pendingCount());
        assertTrue(Arrays.equals(snapshot, snapshot(restored.ledger())), "snapshot of the restored ledger differs");
        for (int c = split; c < commands.size(); c++)
        {
            final Command command = commands.get(c);
            assertEquals(original.apply(command), restored.apply(command), "command " + c + ": " + command);
        }
        assertEquals(original.ledger().digestHex(), restored.ledger().digestHex());
        assertEquals(LedgerDriver.transfers(original.ledger()), LedgerDriver.transfers(restored.ledger()));
    }

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void shouldReplayToSameDigest(@ForAll("streams") final List<Command> commands)
    {
        final LedgerDriver first = new LedgerDriver(new Ledger(limits()));
        final LedgerDriver second = new LedgerDriver(new Ledger(limits()));
        for (final Command command : commands)
        {
            assertEquals(first.apply(command), second.apply(command));
        }

        assertEquals(first.ledger().digestHex(), second.ledger().digestHex());
        assertNotEquals(new Ledger(limits()).digestHex(), first.ledger().digestHex());
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldRefuseSnapshotWithAnyBitFlipped(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) final int position)
    {
        final byte[] snapshot = snapshot(stateAfter(commands.subList(0, 300)));
        final int bit = position % (snapshot.length * 8);
        snapshot[bit / 8] ^= (byte)(1 << (bit % 8));

        final LedgerSnapshotException ex = assertThrows(LedgerSnapshotException.class, () -> read(snapshot, limits()));
        assertTrue(ex.getMessage().contains("snapshot"), ex.getMessage());
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldRefuseTruncatedSnapshot(
        @ForAll("streams") final List<Command> commands,
        @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) final int position)
    {
        final byte[] snapshot = snapshot(stateAfter(commands.subList(0, 300)));
        final int length = position % snapshot.length;

        final LedgerSnapshotException ex = assertThrows(
            LedgerSnapshotException.class, () -> read(Arrays.copyOf(snapshot, length), limits()));
        assertTrue(ex.getMessage().startsWith("ledger snapshot is truncated: expected "), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("found only " + length), ex.getMessage());
    }

    @Test
    void shouldKeepTheHighHalvesOfBalancesThroughCarriesBorrowsAndASnapshot()
    {
        final LedgerFixture f = new LedgerFixture();
        f.standardAccounts();
        final Ledger ledger = f.ledger;
        final int one = ledger.accountIndex(0, 1);
        final int seven = ledger.accountIndex(0, 7);

        // 2^64 - 1 and then 1: account 1's debits posted carry into their high half.
        f.expectOk(f.single(1, 1, 2, -1L));
        f.expectOk(f.single(2, 1, 2, 1));
        assertEquals(1, ledger.debitsPostedHi(one));
        assertEquals(0, ledger.debitsPostedLo(one));
        // A pending 2^64 - 1 and 5 on account 7 carry too, and the void of the 5 borrows the high half back to 0.
        f.expectOk(f.pending(3, 7, 8, -1L, 0));
        f.expectOk(f.pending(4, 7, 8, 5, 0));
        assertEquals(1, ledger.debitsPendingHi(seven));
        assertEquals(4, ledger.debitsPendingLo(seven));
        assertTrue(ledger.highBalanceBitsHold());
        f.expectOk(f.voidPending(5, 4, 0));
        assertEquals(0, ledger.debitsPendingHi(seven));
        assertEquals(-1L, ledger.debitsPendingLo(seven));
        assertTrue(ledger.highBalanceBitsHold());
        // With a high half, the overflow checks see it: 2^128 - 2^64 more would overflow account 1's debits posted.
        assertEquals(CreateTransferResult.OVERFLOWS_DEBITS_POSTED,
            f.transfer((e) -> e.id(0, 6).debitAccountId(0, 1).creditAccountId(0, 2).amount(-1L, 0).ledger(1).code(1)));

        final Ledger restored = read(snapshot(ledger), ledger.limits());

        assertEquals(ledger.digestHex(), restored.digestHex());
        assertTrue(restored.highBalanceBitsHold());
        assertEquals(1, restored.debitsPostedHi(one));
        assertEquals(-1L, restored.debitsPendingLo(seven));
        assertTrue(Arrays.equals(snapshot(ledger), snapshot(restored)));
    }

    @Test
    void shouldRefuseOtherFormatVersionNamingBoth()
    {
        final byte[] snapshot = snapshot(new Ledger(limits()));
        // A snapshot of the 64-bit layout (format 2) is refused by name, not misread.
        ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN).putInt(LedgerSnapshot.VERSION_OFFSET, 2);

        final LedgerSnapshotException ex = assertThrows(LedgerSnapshotException.class, () -> read(snapshot, limits()));
        assertEquals("unsupported ledger snapshot format version: expected 5 (or 4), found 2", ex.getMessage());
    }

    @Test
    void shouldCarryTheLimitsInForceToTheLedgerItIsReadInto()
    {
        final Ledger ledger = new Ledger(limits());
        ledger.applyLimits(10, 500, 7);

        final Ledger restored = read(snapshot(ledger), limits().maxAccounts(32));

        assertTrue(restored.limitsKnown());
        assertEquals(10, restored.accountLimit());
        assertEquals(500, restored.transferLimit());
        assertEquals(7, restored.pendingLimit());
        assertEquals(32, restored.limits().maxAccounts());

        // As a cluster member does once it has caught up: its own limits from then on.
        restored.useOwnLimits();
        assertFalse(restored.limitsKnown());
        assertEquals(32, restored.accountLimit());
        assertEquals(20_000, restored.transferLimit());
        assertEquals(64, restored.pendingLimit());
    }

    @Test
    void shouldReadAVersion4SnapshotsOwnLimitsAsTheLimitsInForce()
    {
        final byte[] snapshot = snapshot(new Ledger(limits()));
        final ByteBuffer bytes = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(LedgerSnapshot.VERSION_OFFSET, 4);
        final CRC32C headerCrc = new CRC32C();
        headerCrc.update(snapshot, 0, 124);
        bytes.putInt(124, (int)headerCrc.getValue());
        final CRC32C crc = new CRC32C();
        crc.update(snapshot, 0, snapshot.length - 4);
        bytes.putInt(snapshot.length - 4, (int)crc.getValue());

        final Ledger restored = read(snapshot, limits().maxAccounts(32).maxTransfers(100).maxPendingTransfers(16));

        assertTrue(restored.limitsKnown());
        assertEquals(64, restored.accountLimit());
        assertEquals(20_000, restored.transferLimit());
        assertEquals(64, restored.pendingLimit());
    }

    @Test
    void shouldRefuseOtherMagic()
    {
        final byte[] snapshot = snapshot(new Ledger(limits()));
        snapshot[0] = 'X';

        final LedgerSnapshotException ex = assertThrows(LedgerSnapshotException.class, () -> read(snapshot, limits()));
        assertTrue(ex.getMessage().startsWith("not a ledger snapshot: magic expected 0x524744454c594150, found"),
            ex.getMessage());
    }

    @Test
    void shouldRefuseSnapshotLargerThanLimits()
    {
        final LedgerFixture f = new LedgerFixture();
        f.standardAccounts();
        final byte[] snapshot = snapshot(f.ledger);

        final LedgerSnapshotException ex = assertThrows(
            LedgerSnapshotException.class, () -> read(snapshot, limits().maxAccounts(4)));
        assertEquals(
            "ledger snapshot holds 8 accounts but " + LedgerLimits.MAX_ACCOUNTS_PROP_NAME + " allows 4",
            ex.getMessage());
    }

    @Test
    void shouldKeepExpiringRestoredPendingTransfers()
    {
        final LedgerFixture f = new LedgerFixture();
        f.standardAccounts();
        f.expectOk(f.pending(10, 1, 2, 100, 2));
        final long expiresAtNanos = f.transferResults.timestamp(0) + 2_000_000_000L;
        f.expectOk(f.pending(11, 1, 2, 50, 0));

        final Ledger restored = read(snapshot(f.ledger), limits());
        restored.tick(expiresAtNanos);

        assertEquals(PendingState.EXPIRED, restored.transferPendingState(restored.transferIndex(0, 10)));
        assertEquals(PendingState.PENDING, restored.transferPendingState(restored.transferIndex(0, 11)));
        assertEquals(50, restored.debitsPendingLo(restored.accountIndex(0, 1)));
        assertEquals(1, restored.pendingCount());
    }

    private static Ledger stateAfter(final List<Command> commands)
    {
        final LedgerDriver driver = new LedgerDriver(new Ledger(limits()));
        for (final Command command : commands)
        {
            driver.apply(command);
        }
        return driver.ledger();
    }

    static byte[] snapshot(final Ledger ledger)
    {
        try
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            ledger.writeSnapshot(Channels.newChannel(out));
            return out.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Ledger read(final byte[] snapshot, final LedgerLimits limits)
    {
        try
        {
            return Ledger.readSnapshot(Channels.newChannel(new ByteArrayInputStream(snapshot)), limits);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
