package io.paycore.core.command;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
