package io.paycore.core.command;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandProcessorTest
{
    private final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(64).maxTransfers(64)
        .maxPendingTransfers(64).maxBatchEvents(16));
    private final CommandProcessor processor = new CommandProcessor(ledger);
    private final RequestEncoder requestEncoder = new RequestEncoder();
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[64 * 1024]);
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);

    @Test
    void shouldApplyTransfersAndAnswerWithOneResultPerEvent()
    {
        createAccounts(1, 2);
        final int length = requestEncoder.createTransfers(request, 0, 77, new TransferEventArray(2)
            .add(10, 1, 2, 500, 0, 0, 1, 0, 1, 0)
            .add(11, 1, 1, 500, 0, 0, 1, 0, 1, 0));

        final int answerLength = processor.apply(RecordTypes.MESSAGE, 2_000, request, 0, length, answer, 0);

        final CreateTransfersResultDecoder decoder = new CreateTransfersResultDecoder();
        decoder.wrapAndApplyHeader(answer, 0, new MessageHeaderDecoder());
        assertEquals(77, decoder.correlationId());
        final CreateTransfersResultDecoder.ResultsDecoder results = decoder.results();
        assertEquals(2, results.count());
        assertEquals(CreateTransferResult.OK, results.next().result());
        assertEquals(CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT, results.next().result());
        assertEquals(MessageHeaderEncoder.ENCODED_LENGTH + decoder.encodedLength(), answerLength);
        assertEquals(500, ledger.debitsPostedLo(ledger.accountIndex(0, 1)));
    }

    @Test
    void shouldAnswerLookupsWithOnlyTheAccountsFound()
    {
        createAccounts(1, 2);
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder();
        final LookupAccountsEncoder.IdsEncoder ids = encoder
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
            .correlationId(5)
            .idsCount(3);
        ids.next().id().lo(2).hi(0);
        ids.next().id().lo(99).hi(0);
        ids.next().id().lo(1).hi(0);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        processor.apply(RecordTypes.MESSAGE, 3_000, request, 0, length, answer, 0);

        final AccountsDecoder decoder = new AccountsDecoder();
        decoder.wrapAndApplyHeader(answer, 0, new MessageHeaderDecoder());
        final AccountsDecoder.AccountDecoder accounts = decoder.account();
        assertEquals(2, accounts.count());
        assertEquals(2, accounts.next().id().lo());
        assertEquals(1, accounts.next().id().lo());
    }

    @Test
    void shouldLetTicksAdvanceTheClockAndNothingElse()
    {
        final String before = ledger.digestHex();
        assertEquals(0, processor.apply(RecordTypes.TICK, 5_000, request, 0, 0, answer, 0));
        assertEquals(5_000, ledger.clockNanos());
        assertEquals(0, processor.invalidRecords());
        assertEquals(0, ledger.accountCount());
        assertNotEquals(before, ledger.digestHex());
    }

    @Test
    void shouldTakeEpochRecordsAsKnownAndLeaveTheLedgerAlone()
    {
        final String before = ledger.digestHex();
        assertEquals(0, processor.apply(RecordTypes.EPOCH, 5_000, request, 0, 8, answer, 0));
        assertEquals(0, processor.invalidRecords());
        assertEquals(before, ledger.digestHex());
    }

    @Test
    void shouldCountRecordsThatAreNotValidMessagesAndChangeNothing()
    {
        final String before = ledger.digestHex();
        request.setMemory(0, 64, (byte)0x5A);

        assertEquals(0, processor.apply(RecordTypes.MESSAGE, 5_000, request, 0, 64, answer, 0));
        assertEquals(0, processor.apply(99, 5_000, request, 0, 64, answer, 0));

        assertEquals(2, processor.invalidRecords());
        assertEquals(before, ledger.digestHex());
    }

    @Test
    void shouldAnswerAtTheLimitsAJournaledLimitsRecordPutsInForce()
    {
        // The service that journaled these ran with 2 accounts and 1 pending transfer: this ledger holds more, and
        // still answers what that service answered.
        applyLimits(new LedgerLimits().maxAccounts(2).maxTransfers(64).maxPendingTransfers(1), true);
        createAccounts(1, 2, 3);
        assertEquals(CreateAccountResult.OK, processor.accountResults().result(1));
        assertEquals(CreateAccountResult.ACCOUNTS_FULL, processor.accountResults().result(2));
        assertEquals(2, ledger.accountCount());

        final int length = requestEncoder.createTransfers(request, 0, 77, new TransferEventArray(2)
            .add(10, 1, 2, 500, 0, 0, 1, 0, 1, TransferFlags.PENDING)
            .add(11, 1, 2, 500, 0, 0, 1, 0, 1, TransferFlags.PENDING));
        processor.apply(RecordTypes.MESSAGE, 2_000, request, 0, length, answer, 0);
        assertEquals(CreateTransferResult.OK, processor.transferResults().result(0));
        assertEquals(CreateTransferResult.PENDING_TRANSFERS_FULL, processor.transferResults().result(1));
        assertNull(ledger.capacityShortfall());
        assertEquals(0, processor.invalidRecords());
    }

    @Test
    void shouldAnswerTransfersFullAtTheTransferLimitOfAHistoryWithoutAColdTier()
    {
        applyLimits(new LedgerLimits().maxAccounts(64).maxTransfers(1).maxPendingTransfers(64), false);
        createAccounts(1, 2);

        final int length = requestEncoder.createTransfers(request, 0, 77, new TransferEventArray(2)
            .add(10, 1, 2, 500, 0, 0, 1, 0, 1, 0)
            .add(11, 1, 2, 500, 0, 0, 1, 0, 1, 0));
        processor.apply(RecordTypes.MESSAGE, 2_000, request, 0, length, answer, 0);

        assertEquals(CreateTransferResult.OK, processor.transferResults().result(0));
        assertEquals(CreateTransferResult.TRANSFERS_FULL, processor.transferResults().result(1));
        assertNull(ledger.capacityShortfall());
    }

    @Test
    void shouldStopAReplayOnALedgerWithFewerAccountsThanTheLimitInForce()
    {
        applyLimits(new LedgerLimits().maxAccounts(100).maxTransfers(64).maxPendingTransfers(64), true);
        for (int batch = 0; batch < 4; batch++)
        {
            final long first = 1 + 16L * batch;
            createAccounts(LongStream.range(first, first + 16).toArray());
        }
        assertEquals(64, ledger.accountCount());

        final LedgerCapacityException ex = assertThrows(LedgerCapacityException.class, () -> createAccounts(65));
        assertTrue(ex.getMessage().contains("at most 64 accounts (--max-accounts 64)"), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("replay with --max-accounts 100 or more"), ex.getMessage());
    }

    @Test
    void shouldStopAReplayOnALedgerWithoutAColdTierShortOfTheTransfersAHistoryWithOneKept()
    {
        applyLimits(new LedgerLimits().maxAccounts(64).maxTransfers(16).maxPendingTransfers(64), true);
        createAccounts(1, 2);
        final TransferEventArray transfers = new TransferEventArray(16);
        for (int batch = 0; batch < 4; batch++)
        {
            transfers.reset();
            for (int i = 0; i < 16; i++)
            {
                transfers.add(100 + 16L * batch + i, 1, 2, 1, 0, 0, 1, 0, 1, 0);
            }
            final int length = requestEncoder.createTransfers(request, 0, batch, transfers);
            processor.apply(RecordTypes.MESSAGE, 2_000 + batch, request, 0, length, answer, 0);
        }
        assertEquals(64, ledger.transferCount());

        final int length = requestEncoder.createTransfers(request, 0, 9, new TransferEventArray(1)
            .add(99, 1, 2, 1, 0, 0, 1, 0, 1, 0));
        final LedgerCapacityException ex = assertThrows(LedgerCapacityException.class,
            () -> processor.apply(RecordTypes.MESSAGE, 3_000, request, 0, length, answer, 0));
        assertTrue(ex.getMessage().contains("made with no bound (a cold tier) in force"), ex.getMessage());
    }

    @Test
    void shouldStopAReplayOfAMessageWithMoreEventsThanItTakes()
    {
        final AccountEventArray accounts = new AccountEventArray(17);
        for (int id = 1; id <= 17; id++)
        {
            accounts.add(id, 0, 1, 1, 0);
        }
        final int length = requestEncoder.createAccounts(request, 0, 1, accounts);

        final LedgerCapacityException ex = assertThrows(LedgerCapacityException.class,
            () -> processor.apply(RecordTypes.MESSAGE, 1_000, request, 0, length, answer, 0));
        assertTrue(ex.getMessage().contains("has 17 events, more than this replay takes (--max-batch 16)"),
            ex.getMessage());
        assertTrue(ex.getMessage().endsWith("replay with --max-batch 17 or more"), ex.getMessage());
        assertEquals(0, ledger.accountCount());

        // After a LIMITS record, the value the service ran with, as the README promises.
        final int limitsLength = LimitsRecord.encode(new LedgerLimits().maxAccounts(64).maxTransfers(64)
            .maxPendingTransfers(8).maxBatchEvents(512), false, request, 0);
        assertEquals(0, processor.apply(RecordTypes.LIMITS, 1_000, request, 0, limitsLength, answer, 0));
        final int again = requestEncoder.createAccounts(request, 0, 2, accounts);
        final LedgerCapacityException named = assertThrows(LedgerCapacityException.class,
            () -> processor.apply(RecordTypes.MESSAGE, 1_001, request, 0, again, answer, 0));
        assertTrue(named.getMessage().endsWith("replay with --max-batch 512 (that service's)"), named.getMessage());
    }

    @Test
    void shouldCountALimitsRecordItCannotReadAsInvalidAndKeepItsOwnLimits()
    {
        request.setMemory(0, 8, (byte)1);

        assertEquals(0, processor.apply(RecordTypes.LIMITS, 1_000, request, 0, 8, answer, 0));

        assertEquals(1, processor.invalidRecords());
        assertFalse(ledger.limitsKnown());
        assertEquals(64, ledger.accountLimit());
    }

    private void applyLimits(final LedgerLimits limits, final boolean coldTier)
    {
        final int length = LimitsRecord.encode(limits.maxBatchEvents(16), coldTier, request, 0);
        assertEquals(0, processor.apply(RecordTypes.LIMITS, 500, request, 0, length, answer, 0));
        assertTrue(ledger.limitsKnown());
    }

    private void createAccounts(final long... ids)
    {
        final AccountEventArray accounts = new AccountEventArray(ids.length);
        for (final long id : ids)
        {
            accounts.add(id, 0, 1, 1, 0);
        }
        final int length = requestEncoder.createAccounts(request, 0, 1, accounts);
        processor.apply(RecordTypes.MESSAGE, 1_000, request, 0, length, answer, 0);
    }
}
