package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateTransferResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ledger with a hot window of two records and a cold tier: what leaves the window is still found, resent ids
 * still answer as they did, and pending transfers outlive the window.
 */
class LedgerHotWindowTest
{
    private static final int WINDOW = 2;

    private final LedgerFixture f = new LedgerFixture();
    private final InMemoryColdTier cold = new InMemoryColdTier();
    private final LedgerLimits limits = new LedgerLimits()
        .maxAccounts(16).maxTransfers(WINDOW).maxPendingTransfers(16).maxBatchEvents(LedgerFixture.BATCH);

    @BeforeEach
    void setUp()
    {
        f.ledger = new Ledger(limits, cold);
        f.standardAccounts();
    }

    private void fillWindow(final long firstId)
    {
        for (long id = firstId; id < firstId + 2 * WINDOW; id++)
        {
            f.nowNanos += 1_000;
            f.expectOk(f.single(id, 1, 2, 1));
        }
    }

    @Test
    void shouldAnswerAResentEvictedIdAsItDidWhenHot()
    {
        f.expectOk(f.single(10, 1, 2, 100));
        final long timestamp = f.transferResults.timestamp(0);
        fillWindow(100);
        assertTrue(f.ledger.oldestHotRecord() > 0, "transfer 10 left the window");

        assertEquals(CreateTransferResult.EXISTS, f.single(10, 1, 2, 100));
        assertEquals(timestamp, f.transferResults.timestamp(0));
        assertEquals(CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT, f.single(10, 1, 2, 101));
        assertEquals(100, f.ledger.transferAmountLo(f.ledger.transferIndex(0, 10)));
        assertEquals(5, f.ledger.transferCount());
        assertEquals("0/104/0/0", f.balances(1));
    }

    @Test
    void shouldPostAPendingTransferWhoseRecordIsCold()
    {
        f.expectOk(f.pending(10, 1, 2, 100, 0));
        fillWindow(100);
        assertEquals(PendingState.PENDING, f.state(10));

        f.expectOk(f.post(11, 10, 60));
        fillWindow(200);

        assertEquals(PendingState.POSTED, f.state(10));
        assertEquals(CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED, f.voidPending(12, 10, 0));
        assertEquals(CreateTransferResult.EXISTS, f.post(11, 10, 60));
        assertEquals("0/68/0/0", f.balances(1));
        assertEquals("0/0/0/68", f.balances(2));
        assertEquals(0, f.ledger.pendingCount());
    }

    @Test
    void shouldFindEveryPooledPendingTransferWhicheverSideOfThePoolsIdCeilingTheNextIdsFall()
    {
        // A high id first, then a low one: the pool's id ceiling is the high one; new ids below it, then above it.
        f.expectOk(f.pending(1_000, 1, 2, 100, 0));
        f.expectOk(f.pending(20, 1, 2, 50, 0));
        fillWindow(100);
        fillWindow(2_000);
        assertEquals(PendingState.PENDING, f.state(1_000));
        assertEquals(PendingState.PENDING, f.state(20));

        assertEquals(CreateTransferResult.EXISTS, f.pending(1_000, 1, 2, 100, 0));
        assertEquals(CreateTransferResult.EXISTS, f.pending(20, 1, 2, 50, 0));
        f.expectOk(f.post(3_000, 1_000, 100));
        f.expectOk(f.voidPending(21, 20, 0));
        assertEquals(PendingState.POSTED, f.state(1_000));
        assertEquals(PendingState.VOIDED, f.state(20));
        assertEquals(0, f.ledger.pendingCount());
        assertEquals("0/108/0/0", f.balances(1));
    }

    @Test
    void shouldExpireAPendingTransferWhoseRecordIsCold()
    {
        f.expectOk(f.pending(10, 1, 2, 100, 1));
        fillWindow(100);
        f.nowNanos += 2_000_000_000L;
        f.ledger.tick(f.nowNanos);

        assertEquals(PendingState.EXPIRED, f.state(10));
        assertEquals(CreateTransferResult.PENDING_TRANSFER_EXPIRED, f.post(11, 10, 0));
        assertEquals("0/4/0/0", f.balances(1));
    }

    @Test
    void shouldUndoTheRerecordOfAColdPendingTransferWhenItsChainFails()
    {
        f.expectOk(f.pending(10, 1, 2, 100, 0));
        fillWindow(100);

        f.transferEvents.reset()
            .add(11, 0, 0, 0, 10, 0, 0, 0, 0, TransferFlags.POST_PENDING | TransferFlags.LINKED)
            .add(12, 1, 2, 1, 0, 0, 1, 0, 0, 0);
        f.applyTransfers();
        assertEquals(CreateTransferResult.LINKED_EVENT_FAILED, f.transferResults.result(0));
        assertEquals(CreateTransferResult.CODE_MUST_NOT_BE_ZERO, f.transferResults.result(1));

        assertEquals(PendingState.PENDING, f.state(10));
        assertEquals("100/4/0/0", f.balances(1));
        f.expectOk(f.voidPending(11, 10, 0));
        assertEquals(PendingState.VOIDED, f.state(10));
        assertEquals("0/4/0/0", f.balances(1));
    }

    @Test
    void shouldRestoreFromASnapshotOnlyWithItsColdTier() throws IOException
    {
        f.expectOk(f.single(10, 1, 2, 100));
        fillWindow(100);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.ledger.writeSnapshot(Channels.newChannel(bytes));

        final LedgerSnapshotException ex = assertThrows(LedgerSnapshotException.class, () -> Ledger.readSnapshot(
            Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), limits));
        assertTrue(ex.getMessage().contains("was taken with a cold tier"), ex.getMessage());

        final Ledger restored = Ledger.readSnapshot(
            Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), limits, cold);
        assertEquals(f.ledger.digestHex(), restored.digestHex());
        assertEquals(100, restored.transferAmountLo(restored.transferIndex(0, 10)));
    }

    @Test
    void shouldLeaveReRecordsOutOfATransferLimitInForceAndCarryTheirCountThroughASnapshot() throws IOException
    {
        // A history made without a tier at most 7 transfer records long, replayed here with one: the post of a pending
        // transfer whose record is sealed writes a re-record that history never had, which the limit leaves out.
        f.ledger.applyLimits(16, 7, 16);
        f.expectOk(f.pending(10, 1, 2, 100, 0));
        fillWindow(100);
        f.expectOk(f.post(11, 10, 60));
        assertEquals(6, f.ledger.transferCount());
        assertEquals(7, f.ledger.recordCount(), "the post and its pending transfer's re-record");

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.ledger.writeSnapshot(Channels.newChannel(bytes));
        f.ledger = Ledger.readSnapshot(
            Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), limits, cold);

        f.nowNanos += 1_000;
        f.expectOk(f.single(20, 1, 2, 1));
        f.nowNanos += 1_000;
        assertEquals(CreateTransferResult.TRANSFERS_FULL, f.single(21, 1, 2, 1));
        assertEquals(7, f.ledger.transferCount());
    }

    @Test
    void shouldRefuseASnapshotWhoseReRecordCountCannotBe() throws IOException
    {
        f.expectOk(f.single(10, 1, 2, 100));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.ledger.writeSnapshot(Channels.newChannel(bytes));
        final byte[] snapshot = bytes.toByteArray();
        // 2 re-records of the 1 record written: header bytes 116..123, then the header's CRC32C again.
        final ByteBuffer header = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(116, 2);
        final CRC32C crc = new CRC32C();
        crc.update(snapshot, 0, 124);
        header.putInt(124, (int)crc.getValue());

        final LedgerSnapshotException ex = assertThrows(LedgerSnapshotException.class, () -> Ledger.readSnapshot(
            Channels.newChannel(new ByteArrayInputStream(snapshot)), limits, cold));
        assertTrue(ex.getMessage().contains("says 2 of its 1 records re-record"), ex.getMessage());
    }

    @Test
    void shouldDigestAsALedgerWithoutAWindow()
    {
        final LedgerFixture unbounded = new LedgerFixture();
        unbounded.standardAccounts();
        for (final LedgerFixture fixture : new LedgerFixture[]{ f, unbounded })
        {
            fixture.expectOk(fixture.pending(10, 1, 2, 100, 0));
            for (long id = 100; id < 110; id++)
            {
                fixture.nowNanos += 1_000;
                fixture.expectOk(fixture.single(id, 1, 2, 1));
            }
            fixture.expectOk(fixture.post(11, 10, 0));
        }
        assertEquals(unbounded.ledger.digestHex(), f.ledger.digestHex());
        assertTrue(f.ledger.recordCount() > unbounded.ledger.recordCount(), "the post re-recorded transfer 10");
    }
}
