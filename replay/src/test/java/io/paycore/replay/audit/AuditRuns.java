package io.paycore.replay.audit;

import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountFlags;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.ledger.TransferResults;
import io.paycore.core.ledger.UInt128;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.SnapshotTaker;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a known run into a data directory the way the service does (each message journaled, then applied to a
 * live ledger), remembering every event sent with the result the ledger gave, every record, and the live digest.
 * The mix: accounts on two ledgers (some with balance flags, every fifth with the history flag), single-phase
 * transfers, pending transfers with and without timeouts, posts and voids (some of already finished pendings),
 * invalid and cross-ledger transfers, linked pairs, repeated ids, lookups, and ticks that make pendings expire.
 */
public final class AuditRuns
{
    public static final long LEDGER_A = 840;
    public static final long LEDGER_B = 978;
    public static final int ACCOUNTS_A = 40;
    public static final int ACCOUNTS_B = 10;
    static final long START_NANOS = 1_700_000_000_000_000_000L;

    private AuditRuns()
    {
    }

    public static LedgerLimits limits()
    {
        return new LedgerLimits().maxAccounts(1024).maxTransfers(1 << 16).maxPendingTransfers(1 << 12)
            .maxBatchEvents(64).validate();
    }

    public static JournalContext journalContext(final DataDirectory directory)
    {
        return new JournalContext().directory(directory.journalDirectory())
            .segmentLength(JournalContext.SEGMENT_LENGTH_MIN).flushLevel(FlushLevel.NONE).maxRecordLength(16 * 1024);
    }

    static AuditContext auditContext(final DataDirectory directory)
    {
        return new AuditContext().directory(directory).limits(limits());
    }

    /**
     * One event as sent, with the result the live ledger gave.
     */
    public static final class Sent
    {
        long sequence;
        long timestampNanos;
        String message;
        long correlationId;
        int index;
        BigInteger id;
        BigInteger debitAccountId;
        BigInteger creditAccountId;
        BigInteger amount;
        BigInteger pendingId;
        BigInteger userData128;
        long userData64;
        long userData32;
        long ledger;
        int code;
        int flags;
        long timeoutSeconds;
        long timestamp;
        public String result;
        public long resultTimestampNanos;
        /** The amount the live ledger recorded for a transfer answered OK, else null. */
        BigInteger amountMoved;
        public boolean transfer;
    }

    /**
     * One journaled record.
     */
    public static final class Record
    {
        public long sequence;
        public int type;
        public long timestampNanos;
        public byte[] payload;
    }

    /**
     * What was written.
     */
    public static final class Run
    {
        public final List<Sent> events = new ArrayList<>();
        public final List<Record> records = new ArrayList<>();
        public Ledger ledger;
        public String digest;
        public long lastSequence;
    }

    /**
     * Replay records 1..untilSequence into a fresh ledger, for expectations.
     */
    static Ledger replay(final Run run, final long untilSequence)
    {
        final Ledger ledger = new Ledger(limits());
        final LedgerRecordHandler applier = new LedgerRecordHandler(new CommandProcessor(ledger));
        for (final Record record : run.records)
        {
            if (record.sequence > untilSequence)
            {
                break;
            }
            applier.onRecord(record.type, record.sequence, record.timestampNanos, new UnsafeBuffer(record.payload), 0,
                record.payload.length);
        }
        return ledger;
    }

    public static Run write(final DataDirectory directory, final int transferMessages, final long seed)
    {
        return write(directory, transferMessages, seed, null, 0);
    }

    /**
     * @param snapshots     null for none.
     * @param snapshotEvery take a snapshot after every sequence that is a multiple of this.
     */
    static Run write(
        final DataDirectory directory,
        final int transferMessages,
        final long seed,
        final SnapshotTaker snapshots,
        final long snapshotEvery)
    {
        final Run run = new Run();
        final Ledger ledger = new Ledger(limits());
        final CommandProcessor processor = new CommandProcessor(ledger);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[16 * 1024]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        final RequestEncoder encoder = new RequestEncoder();
        final AccountEventArray accounts = new AccountEventArray(64);
        final TransferEventArray transfers = new TransferEventArray(64);
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Long> pendings = new ArrayList<>();
        long timestamp = START_NANOS;
        long correlationId = 0;
        long transferId = seed * 1_000_000;

        try (Journal journal = Journal.open(journalContext(directory)))
        {
            final Writer writer = new Writer(journal, processor, message, answer, run, snapshots, snapshotEvery);
            for (int first = 1; first <= ACCOUNTS_A + ACCOUNTS_B; first += 10)
            {
                accounts.reset();
                for (long id = first; id < first + 10; id++)
                {
                    final int flags = (id % 7 == 0 ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : 0) |
                        (id % 5 == 0 ? AccountFlags.HISTORY : 0);
                    accounts.add(id, id * 10, id <= ACCOUNTS_A ? LEDGER_A : LEDGER_B, 1, flags);
                }
                if (first == 1)
                {
                    accounts.add(3, 30, LEDGER_A, 1, 0); // EXISTS
                    accounts.add(0, 0, LEDGER_A, 1, 0); // ID_MUST_NOT_BE_ZERO
                }
                timestamp += 1_000_000;
                writer.accounts(timestamp, ++correlationId, encoder.createAccounts(message, 0, correlationId,
                    accounts), accounts);
            }

            for (int m = 0; m < transferMessages; m++)
            {
                transfers.reset();
                final int events = 1 + random.nextInt(20);
                for (int i = 0; i < events; i++)
                {
                    final int kind = random.nextInt(100);
                    final boolean onB = random.nextInt(8) == 0;
                    final long debit = onB ?
                        ACCOUNTS_A + 1 + random.nextInt(ACCOUNTS_B) : 1 + random.nextInt(ACCOUNTS_A);
                    long credit = onB ? ACCOUNTS_A + 1 + random.nextInt(ACCOUNTS_B) : 1 + random.nextInt(ACCOUNTS_A);
                    if (kind < 2)
                    {
                        credit = ACCOUNTS_A + 1 + random.nextInt(ACCOUNTS_B); // maybe another ledger
                    }
                    final long ledgerId = onB ? LEDGER_B : LEDGER_A;
                    final long amount = 1 + random.nextInt(1000);
                    if (kind < 60)
                    {
                        // A few amounts past 2^64, so that balances and totals need their high halves; user
                        // data of 128 bits.
                        transfers.add().id(0, ++transferId).debitAccountId(0, debit).creditAccountId(0, credit)
                            .amount(kind < 4 ? 1 : 0, amount).userData128(m, transferId).userData64(m)
                            .ledger(ledgerId).code(1);
                    }
                    else if (kind < 75)
                    {
                        final long id = ++transferId;
                        transfers.add(id, debit, credit, amount, 0, m, ledgerId, random.nextInt(3), 1,
                            TransferFlags.PENDING);
                        pendings.add(id);
                    }
                    else if (kind < 85 && !pendings.isEmpty())
                    {
                        final long pendingId = pendings.get(random.nextInt(pendings.size()));
                        final boolean all = random.nextBoolean();
                        transfers.add().id(0, ++transferId)
                            .amount(all ? Ledger.AMOUNT_MAX_HI : 0, all ? Ledger.AMOUNT_MAX_LO : random.nextInt(501))
                            .pendingId(0, pendingId).userData64(m).flags(TransferFlags.POST_PENDING);
                    }
                    else if (kind < 90 && !pendings.isEmpty())
                    {
                        final long pendingId = pendings.get(random.nextInt(pendings.size()));
                        transfers.add(++transferId, 0, 0, 0, pendingId, m, 0, 0, 0, TransferFlags.VOID_PENDING);
                    }
                    else if (kind < 95 && i + 1 < events)
                    {
                        transfers.add(++transferId, debit, credit, amount, 0, m, ledgerId, 0, 1, TransferFlags.LINKED);
                        // A third of the chains break on their second link: ACCOUNTS_MUST_BE_DIFFERENT.
                        transfers.add(++transferId, debit, random.nextInt(3) == 0 ? debit : credit, amount, 0, m,
                            ledgerId, 0, 1, 0);
                        i++;
                    }
                    else
                    {
                        // a repeated id: EXISTS or EXISTS_WITH_DIFFERENT_*
                        transfers.add(transferId, debit, credit, amount, 0, m, ledgerId, 0, 1, 0);
                    }
                }
                timestamp += 50_000_000L + random.nextInt(1_000_000);
                writer.transfers(timestamp, ++correlationId, encoder.createTransfers(message, 0, correlationId,
                    transfers), transfers);
                if (m % 9 == 4)
                {
                    timestamp += 1_500_000_000L;
                    writer.tick(timestamp);
                }
                if (m % 13 == 6)
                {
                    timestamp += 1_000;
                    final LookupAccountsEncoder lookup = new LookupAccountsEncoder()
                        .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder())
                        .correlationId(++correlationId);
                    final LookupAccountsEncoder.IdsEncoder ids = lookup.idsCount(2);
                    ids.next().id().lo(1).hi(0);
                    ids.next().id().lo(2).hi(0);
                    writer.lookup(timestamp, MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength());
                }
            }
            run.lastSequence = journal.lastSequence();
        }

        run.ledger = ledger;
        run.digest = ledger.digestHex();
        return run;
    }

    private static final class Writer
    {
        final Journal journal;
        final CommandProcessor processor;
        final UnsafeBuffer message;
        final UnsafeBuffer answer;
        final Run run;
        final SnapshotTaker snapshots;
        final long snapshotEvery;

        Writer(
            final Journal journal,
            final CommandProcessor processor,
            final UnsafeBuffer message,
            final UnsafeBuffer answer,
            final Run run,
            final SnapshotTaker snapshots,
            final long snapshotEvery)
        {
            this.journal = journal;
            this.processor = processor;
            this.message = message;
            this.answer = answer;
            this.run = run;
            this.snapshots = snapshots;
            this.snapshotEvery = snapshotEvery;
        }

        long append(final int type, final long timestamp, final int length)
        {
            final long sequence = journal.append(type, timestamp, message, 0, length);
            processor.apply(type, timestamp, message, 0, length, answer, 0);
            final Record record = new Record();
            record.sequence = sequence;
            record.type = type;
            record.timestampNanos = timestamp;
            record.payload = new byte[length];
            message.getBytes(0, record.payload);
            run.records.add(record);
            return sequence;
        }

        void snapshotPoint(final long sequence)
        {
            if (null != snapshots && 0 == sequence % snapshotEvery)
            {
                snapshots.take(processor.ledger(), sequence);
            }
        }

        void accounts(final long timestamp, final long correlationId, final int length, final AccountEventArray events)
        {
            final long sequence = append(RecordTypes.MESSAGE, timestamp, length);
            final AccountResults results = processor.accountResults();
            for (int i = 0; i < events.count(); i++)
            {
                final Sent sent = new Sent();
                sent.sequence = sequence;
                sent.timestampNanos = timestamp;
                sent.message = "CreateAccounts";
                sent.correlationId = correlationId;
                sent.index = i;
                sent.id = UInt128.toBigInteger(events.idHi(i), events.idLo(i));
                sent.userData128 = UInt128.toBigInteger(events.userData128Hi(i), events.userData128Lo(i));
                sent.userData64 = events.userData64(i);
                sent.userData32 = events.userData32(i);
                sent.timestamp = events.timestamp(i);
                sent.ledger = events.ledger(i);
                sent.code = events.code(i);
                sent.flags = events.flags(i);
                sent.result = results.result(i).name();
                sent.resultTimestampNanos = results.timestamp(i);
                run.events.add(sent);
            }
            snapshotPoint(sequence);
        }

        void transfers(
            final long timestamp, final long correlationId, final int length, final TransferEventArray events)
        {
            final long sequence = append(RecordTypes.MESSAGE, timestamp, length);
            final TransferResults results = processor.transferResults();
            for (int i = 0; i < events.count(); i++)
            {
                final Sent sent = new Sent();
                sent.transfer = true;
                sent.sequence = sequence;
                sent.timestampNanos = timestamp;
                sent.message = "CreateTransfers";
                sent.correlationId = correlationId;
                sent.index = i;
                sent.id = UInt128.toBigInteger(events.idHi(i), events.idLo(i));
                sent.debitAccountId = UInt128.toBigInteger(events.debitAccountIdHi(i), events.debitAccountIdLo(i));
                sent.creditAccountId = UInt128.toBigInteger(events.creditAccountIdHi(i), events.creditAccountIdLo(i));
                sent.amount = UInt128.toBigInteger(events.amountHi(i), events.amountLo(i));
                sent.pendingId = UInt128.toBigInteger(events.pendingIdHi(i), events.pendingIdLo(i));
                sent.userData128 = UInt128.toBigInteger(events.userData128Hi(i), events.userData128Lo(i));
                sent.userData64 = events.userData64(i);
                sent.userData32 = events.userData32(i);
                sent.timestamp = events.timestamp(i);
                sent.ledger = events.ledger(i);
                sent.code = events.code(i);
                sent.flags = events.flags(i);
                sent.timeoutSeconds = events.timeoutSeconds(i);
                sent.result = results.result(i).name();
                sent.resultTimestampNanos = results.timestamp(i);
                if ("OK".equals(sent.result))
                {
                    final Ledger ledger = processor.ledger();
                    final int index = ledger.transferIndex(events.idHi(i), events.idLo(i));
                    sent.amountMoved = UInt128.toBigInteger(ledger.transferAmountHi(index), ledger.transferAmountLo(index));
                }
                run.events.add(sent);
            }
            snapshotPoint(sequence);
        }

        void tick(final long timestamp)
        {
            snapshotPoint(append(RecordTypes.TICK, timestamp, 0));
        }

        void lookup(final long timestamp, final int length)
        {
            snapshotPoint(append(RecordTypes.MESSAGE, timestamp, length));
        }
    }
}
