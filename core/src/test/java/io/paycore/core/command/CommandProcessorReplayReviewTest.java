package io.paycore.core.command;

import io.paycore.codec.sbe.CreateAccountsEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message of a newer schema version (longer group entries) that a service with a large {@code --max-batch} took and
 * journaled must not be skipped as invalid by a replay with a smaller {@code --max-batch}: the replay either applies
 * it as the service did or stops, naming the {@code --max-batch} to give, as it does for a batch with more events.
 */
class CommandProcessorReplayReviewTest
{
    private static final int EVENTS = 16;
    private static final int NEWER_VERSION = 3;
    private static final int NEWER_ENTRY_LENGTH = 256;

    private final UnsafeBuffer request = new UnsafeBuffer(new byte[64 * 1024]);
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);

    @Test
    void shouldNotSkipOnReplayANewerVersionMessageTheServiceApplied()
    {
        final int length = newerVersionCreateAccounts();

        final Ledger live = new Ledger(limits(1024));
        final CommandProcessor service = new CommandProcessor(live);
        final int answerLength = service.apply(RecordTypes.MESSAGE, 1_000, request, 0, length, answer, 0);
        assertTrue(answerLength > 0, "the service answers it");
        assertEquals(0, service.invalidRecords());
        assertEquals(EVENTS, live.accountCount());

        final Ledger replayed = new Ledger(limits(EVENTS));
        final CommandProcessor replay = new CommandProcessor(replayed);
        final LedgerCapacityException ex = assertThrows(LedgerCapacityException.class,
            () -> replay.apply(RecordTypes.MESSAGE, 1_000, request, 0, length, answer, 0),
            () -> "a replay that cannot take the message must stop, not skip it (accounts " +
            replayed.accountCount() + ", invalid records " + replay.invalidRecords() + ")");
        assertTrue(ex.getMessage().contains("--max-batch"), ex.getMessage());
        assertEquals(0, replay.invalidRecords());
        assertEquals(0, replayed.accountCount());
    }

    private static LedgerLimits limits(final int maxBatchEvents)
    {
        return new LedgerLimits().maxAccounts(64).maxTransfers(64).maxPendingTransfers(64)
            .maxBatchEvents(maxBatchEvents);
    }

    /**
     * {@link #EVENTS} accounts as a client of schema version 3 would send them, had version 3 appended fields to an
     * account: entries of {@link #NEWER_ENTRY_LENGTH} bytes, version 2's fields first.
     */
    private int newerVersionCreateAccounts()
    {
        final AccountEventArray accounts = new AccountEventArray(EVENTS);
        for (int id = 1; id <= EVENTS; id++)
        {
            accounts.add(id, 0, 1, 1, 0);
        }
        final UnsafeBuffer current = new UnsafeBuffer(new byte[64 * 1024]);
        new RequestEncoder().createAccounts(current, 0, 7, accounts);

        final int entryLength = CreateAccountsEncoder.AccountsEncoder.sbeBlockLength();
        final int groupHeaderOffset = MessageHeaderEncoder.ENCODED_LENGTH + CreateAccountsEncoder.BLOCK_LENGTH;
        final int groupHeaderLength = CreateAccountsEncoder.AccountsEncoder.sbeHeaderSize();
        final int entriesOffset = groupHeaderOffset + groupHeaderLength;
        request.putBytes(0, current, 0, entriesOffset);
        request.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)NEWER_VERSION);
        request.putShort(groupHeaderOffset, (short)NEWER_ENTRY_LENGTH);
        for (int i = 0; i < EVENTS; i++)
        {
            final int to = entriesOffset + i * NEWER_ENTRY_LENGTH;
            request.putBytes(to, current, entriesOffset + i * entryLength, entryLength);
            request.setMemory(to + entryLength, NEWER_ENTRY_LENGTH - entryLength, (byte)0);
        }

        return entriesOffset + EVENTS * NEWER_ENTRY_LENGTH;
    }
}
