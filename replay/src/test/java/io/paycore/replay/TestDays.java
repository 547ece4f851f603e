package io.paycore.replay;

import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.ColdTier;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * Writes a small, seeded payments day into a data directory the way the service does: each message journaled,
 * then applied to a live ledger, with a snapshot at every N-th sequence; and remembers the live digest.
 */
final class TestDays
{
    static final int ACCOUNTS = 200;
    static final int LEDGER = 840;
    static final int EVENTS_PER_MESSAGE = 20;

    private TestDays()
    {
    }

    static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(1 << 14).maxPendingTransfers(1 << 12)
            .maxBatchEvents(64).validate();
    }

    static JournalContext journalContext()
    {
        return new JournalContext().segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE);
    }

    /**
     * Append {@code transferMessages} transfer messages (after the account messages) and apply them live.
     *
     * @param snapshots     null for none.
     * @param snapshotEvery take a snapshot at every sequence that is a multiple of this.
     * @return the live ledger.
     */
    static Ledger writeDay(
        final DataDirectory directory,
        final int transferMessages,
        final SnapshotTaker snapshots,
        final long snapshotEvery,
        final long seed)
    {
        return writeDay(directory, transferMessages, snapshots, snapshotEvery, seed, limits(), null);
    }

    /**
     * As {@link #writeDay(DataDirectory, int, SnapshotTaker, long, long)}, into a ledger of the given limits and
     * cold tier.
     */
    static Ledger writeDay(
        final DataDirectory directory,
        final int transferMessages,
        final SnapshotTaker snapshots,
        final long snapshotEvery,
        final long seed,
        final LedgerLimits limits,
        final ColdTier cold)
    {
        final Ledger ledger = new Ledger(limits, cold);
        final CommandProcessor processor = new CommandProcessor(ledger);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        final SplittableRandom random = new SplittableRandom(seed);
        final RequestEncoder encoder = new RequestEncoder();
        final AccountEventArray accounts = new AccountEventArray(EVENTS_PER_MESSAGE);
        final TransferEventArray transfers = new TransferEventArray(EVENTS_PER_MESSAGE);
        final JournalContext context = journalContext().directory(directory.journalDirectory())
            .maxRecordLength(16 * 1024);
        long timestamp = 1_000_000_000L;
        long transferId = 0;
        try (Journal journal = Journal.open(context))
        {
            int messages = 0;
            for (long id = 1; id <= ACCOUNTS; id += EVENTS_PER_MESSAGE)
            {
                accounts.reset();
                for (int i = 0; i < EVENTS_PER_MESSAGE; i++)
                {
                    accounts.add(id + i, 0, LEDGER, 1, 0);
                }
                timestamp += 1000;
                apply(journal, processor, message, encoder.createAccounts(message, 0, ++messages, accounts),
                    timestamp, answer, snapshots, snapshotEvery);
            }
            for (int m = 0; m < transferMessages; m++)
            {
                transfers.reset();
                for (int i = 0; i < EVENTS_PER_MESSAGE; i++)
                {
                    final long debit = 1 + random.nextInt(ACCOUNTS);
                    final long credit = 1 + random.nextInt(ACCOUNTS + 5);
                    final boolean pending = random.nextInt(4) == 0;
                    transferId++;
                    transfers.add(seed * 1_000_000 + transferId, debit, credit, 1 + random.nextInt(1000), 0,
                        transferId, LEDGER, pending ? 1 : 0, 1, pending ? 2 : 0);
                }
                final int length = encoder.createTransfers(message, 0, ++messages, transfers);
                timestamp += 300_000_000L;
                if (m % 7 == 3)
                {
                    timestamp += 2_000_000_000L;
                    journal.append(RecordTypes.TICK, timestamp, message, 0, 0);
                    processor.apply(RecordTypes.TICK, timestamp, message, 0, 0, answer, 0);
                    snapshotPoint(journal, ledger, snapshots, snapshotEvery);
                }
                apply(journal, processor, message, length, timestamp, answer, snapshots, snapshotEvery);
            }
        }

        return ledger;
    }

    private static void apply(
        final Journal journal,
        final CommandProcessor processor,
        final UnsafeBuffer message,
        final int length,
        final long timestamp,
        final UnsafeBuffer answer,
        final SnapshotTaker snapshots,
        final long snapshotEvery)
    {
        journal.append(RecordTypes.MESSAGE, timestamp, message, 0, length);
        processor.apply(RecordTypes.MESSAGE, timestamp, message, 0, length, answer, 0);
        snapshotPoint(journal, processor.ledger(), snapshots, snapshotEvery);
    }

    private static void snapshotPoint(
        final Journal journal, final Ledger ledger, final SnapshotTaker snapshots, final long snapshotEvery)
    {
        if (null != snapshots && 0 == journal.lastSequence() % snapshotEvery)
        {
            snapshots.onSnapshotPoint(ledger, journal.lastSequence());
        }
    }
}
