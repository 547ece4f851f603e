package io.paycore.core.command;

import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerRecordHandlerTest
{
    @TempDir
    Path dir;

    @Test
    void shouldApplyJournaledRecordsAsTheLiveLedgerDid()
    {
        final LedgerLimits limits = new LedgerLimits().maxAccounts(16).maxTransfers(16).maxPendingTransfers(16);
        final CommandProcessor live = new CommandProcessor(new Ledger(limits));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        try (Journal journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.NONE)))
        {
            for (int i = 1; i <= 3; i++)
            {
                final int length = new RequestEncoder().createAccounts(
                    message, 0, i, new AccountEventArray(1).add(i, 0, 1, 1, 0));
                journal.append(RecordTypes.MESSAGE, i * 1_000L, message, 0, length);
                live.apply(RecordTypes.MESSAGE, i * 1_000L, message, 0, length, answer, 0);
            }
            journal.append(RecordTypes.TICK, 5_000L, message, 0, 0);
            live.apply(RecordTypes.TICK, 5_000L, message, 0, 0, answer, 0);
        }

        final Ledger replayed = new Ledger(limits);
        final LedgerRecordHandler handler = new LedgerRecordHandler(new CommandProcessor(replayed));
        try (JournalReader reader = JournalReader.open(dir, 1))
        {
            while (reader.poll(handler, 2) > 0)
            {
                assertTrue(handler.records() <= 4);
            }
        }

        assertEquals(4, handler.records());
        assertEquals(0, handler.lastAnswerLength(), "a tick answers nobody");
        assertEquals(3, replayed.accountCount());
        assertEquals(live.ledger().digestHex(), replayed.digestHex());
    }
}
