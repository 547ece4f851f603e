package io.paycore.replay.audit;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerCapacityException;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.LimitsRecord;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.ledger.UInt128;
import io.paycore.journal.Journal;
import io.paycore.journal.SnapshotStore;
import io.paycore.journal.SnapshotWriter;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.DataDirectoryLock;
import io.paycore.replay.SnapshotTaker;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditorTest
{
    private static final long T0 = 1_763_800_000_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void shouldCountPerMessageAndResultAndEqualTheLiveDigest()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 250, 21);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        assertNull(report.damage());
        assertTrue(report.isClean());
        assertEquals(run.digest, report.digest());
        assertEquals(run.lastSequence, report.recordsApplied());
        assertEquals(run.lastSequence, report.lastAppliedSequence());
        assertFalse(report.stoppedEarly());
        for (final CreateTransferResult result : CreateTransferResult.values())
        {
            if (CreateTransferResult.NULL_VAL != result)
            {
                assertEquals(run.events.stream().filter((e) -> e.transfer && e.result.equals(result.name())).count(),
                    report.transferResults(result), result.name());
            }
        }
        for (final CreateAccountResult result : CreateAccountResult.values())
        {
            if (CreateAccountResult.NULL_VAL != result)
            {
                assertEquals(run.events.stream().filter((e) -> !e.transfer && e.result.equals(result.name())).count(),
                    report.accountResults(result), result.name());
            }
        }
        assertEquals(250, report.messageRecords(CreateTransfersDecoder.TEMPLATE_ID));
        assertEquals(run.events.stream().filter((e) -> e.transfer).count(), report.transferEvents());
        assertEquals(5, report.messageRecords(CreateAccountsDecoder.TEMPLATE_ID));
        assertTrue(report.messageRecords(LookupAccountsDecoder.TEMPLATE_ID) > 0);
        assertEquals(2 * report.messageRecords(LookupAccountsDecoder.TEMPLATE_ID),
            report.messageEvents(LookupAccountsDecoder.TEMPLATE_ID));
        assertTrue(report.ticks() > 0);
        assertEquals(0, report.invalidRecords());
        assertTrue(report.transfersPerSecond() > 0);

        final String printed = print(report);
        assertTrue(printed.endsWith("digest: " + run.digest + System.lineSeparator()), printed);
        assertTrue(printed.contains("transfer result OK: " + report.transferResults(CreateTransferResult.OK)),
            printed);
        assertTrue(printed.contains("balanced: yes"), printed);
        assertTrue(printed.contains("replay: " + run.lastSequence + " records in "), printed);
    }

    @Test
    void shouldSumEveryLedgerAndCheckDebitsEqualCredits()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 250, 22);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        final Map<Long, BigInteger[]> expected = new TreeMap<>();
        final Ledger ledger = run.ledger;
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final BigInteger[] sums = expected.computeIfAbsent(ledger.accountLedger(i),
                (k) -> new BigInteger[]{ BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO });
            sums[0] = sums[0].add(UInt128.toBigInteger(ledger.debitsPendingHi(i), ledger.debitsPendingLo(i)));
            sums[1] = sums[1].add(UInt128.toBigInteger(ledger.debitsPostedHi(i), ledger.debitsPostedLo(i)));
            sums[2] = sums[2].add(UInt128.toBigInteger(ledger.creditsPendingHi(i), ledger.creditsPendingLo(i)));
            sums[3] = sums[3].add(UInt128.toBigInteger(ledger.creditsPostedHi(i), ledger.creditsPostedLo(i)));
        }
        final List<LedgerTotals.Entry> entries = report.totals().entries();
        assertEquals(List.of(AuditRuns.LEDGER_A, AuditRuns.LEDGER_B),
            entries.stream().map(LedgerTotals.Entry::ledger).collect(Collectors.toList()));
        for (final LedgerTotals.Entry entry : entries)
        {
            final BigInteger[] sums = expected.get(entry.ledger());
            assertArrayEquals(sums, new BigInteger[]{ entry.debitsPending(), entry.debitsPosted(),
                entry.creditsPending(), entry.creditsPosted() });
            assertTrue(entry.debitsPosted().signum() > 0, "the run should post on every ledger");
            assertTrue(entry.isBalanced());
        }
        assertEquals(AuditRuns.ACCOUNTS_A, entries.get(0).accounts());
        assertTrue(report.isBalanced());
        final String printed = print(report);
        assertTrue(printed.contains("ledger 840: accounts 40, debits pending " + expected.get(840L)[0] +
            ", debits posted " + expected.get(840L)[1]), printed);
    }

    @Test
    void shouldCountAnOldJournalsEpochRecordAndNotCallItInvalid()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 50, 32);
        // as a standby promoted by a version with the retired home-made replication journaled it
        final UnsafeBuffer epoch = new UnsafeBuffer(new byte[RecordTypes.EPOCH_PAYLOAD_LENGTH]);
        epoch.putLong(0, 2, ByteOrder.LITTLE_ENDIAN);
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            journal.append(RecordTypes.EPOCH, AuditRuns.START_NANOS + 1_000_000_000_000L, epoch, 0,
                RecordTypes.EPOCH_PAYLOAD_LENGTH);
        }

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        assertEquals(1, report.epochRecords());
        assertEquals(2, report.lastEpoch());
        assertEquals(0, report.invalidRecords());
        assertEquals(run.lastSequence + 1, report.lastAppliedSequence());
        assertEquals(run.digest, report.digest(), "an epoch record changes no ledger state");
        assertTrue(print(report).contains("epoch: 2 (last epoch record at sequence " + (run.lastSequence + 1) + ")"));
        assertFalse(print(report).contains("warning"));
    }

    @Test
    void shouldAnswerAtTheJournaledLimitsAndWarnOnlyWhereTheyWereNotJournaled()
    {
        // A service that ran with 2 accounts: the third of its batch was answered ACCOUNTS_FULL.
        final DataDirectory journaled = new DataDirectory(temp.resolve("journaled"));
        writeThreeAccounts(journaled, true);
        final AuditReport withLimits = Auditor.run(AuditRuns.auditContext(journaled));
        final String printed = print(withLimits);
        assertEquals(1, withLimits.limitsRecords());
        assertEquals(0, withLimits.invalidRecords());
        assertTrue(printed.contains("records: 2 applied (messages 1, ticks 0, limits 1, epochs 0, invalid 0)"),
            printed);
        assertTrue(printed.contains("limits: accounts 2, transfers unbounded (cold tier), pending 4096, batch 64 " +
            "in force from sequence 1"), printed);
        assertTrue(printed.contains("account result ACCOUNTS_FULL: 1"), printed);
        assertFalse(printed.contains("warning"), printed);

        // A later start with more room: listed after the first, and the same account now gets in.
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 * 1024]);
        try (Journal journal = Journal.open(AuditRuns.journalContext(journaled)))
        {
            final int limitsLength = LimitsRecord.encode(AuditRuns.limits().maxAccounts(3), false, buffer, 0);
            journal.append(RecordTypes.LIMITS, AuditRuns.START_NANOS + 2, buffer, 0, limitsLength);
            final int length = new RequestEncoder().createAccounts(buffer, 0, 2, new AccountEventArray(1)
                .add(3, 0, AuditRuns.LEDGER_A, 1, 0));
            journal.append(RecordTypes.MESSAGE, AuditRuns.START_NANOS + 3, buffer, 0, length);
        }
        final String twoStarts = print(Auditor.run(AuditRuns.auditContext(journaled)));
        assertTrue(twoStarts.contains("limits: accounts 2, transfers unbounded (cold tier), pending 4096, batch 64 " +
            "in force from sequence 1\nlimits: accounts 3, transfers 65536, pending 4096, batch 64 in force from " +
            "sequence 3\n"), twoStarts);
        assertTrue(twoStarts.contains("account result OK: 3"), twoStarts);

        // The same journal without its limits: the audit's own decide, and it says they may not be the service's.
        final DataDirectory unknown = new DataDirectory(temp.resolve("unknown"));
        writeThreeAccounts(unknown, false);
        final AuditReport withoutLimits = Auditor.run(AuditRuns.auditContext(unknown));
        assertFalse(print(withoutLimits).contains("account result ACCOUNTS_FULL"), print(withoutLimits));
        assertTrue(print(withoutLimits).contains("limits 0,"), print(withoutLimits));
        assertFalse(withLimits.digest().equals(withoutLimits.digest()));
        final AuditReport smaller = Auditor.run(
            new AuditContext().directory(unknown).limits(AuditRuns.limits().maxAccounts(2)));
        assertTrue(print(smaller).contains("warning: 1 event(s) answered ACCOUNTS_FULL, TRANSFERS_FULL or " +
            "PENDING_TRANSFERS_FULL: unless the service answered the same"), print(smaller));
    }

    @Test
    void shouldSayWhyAnAuditFromASnapshotStartedFromTheBeginning() throws Exception
    {
        // A service that ran with room for 3 accounts, and a snapshot of its 3 at the last record.
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 * 1024]);
        final AccountEventArray accounts = new AccountEventArray(3);
        for (long id = 1; id <= 3; id++)
        {
            accounts.add(id, 0, AuditRuns.LEDGER_A, 1, 0);
        }
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            final int limitsLength = LimitsRecord.encode(AuditRuns.limits().maxAccounts(3), false, buffer, 0);
            journal.append(RecordTypes.LIMITS, AuditRuns.START_NANOS, buffer, 0, limitsLength);
            final int length = new RequestEncoder().createAccounts(buffer, 0, 1, accounts);
            journal.append(RecordTypes.MESSAGE, AuditRuns.START_NANOS + 1, buffer, 0, length);
        }
        final Ledger ledger = new Ledger(AuditRuns.limits().maxAccounts(3));
        ledger.createAccounts(accounts, AuditRuns.START_NANOS + 1, new AccountResults(3));
        final SnapshotStore store = new SnapshotStore(directory.snapshotDirectory());
        try (SnapshotWriter writer = store.newSnapshot(2))
        {
            ledger.writeSnapshot(writer);
            writer.commit();
        }

        // Audited with room for 2: the snapshot does not load, and the replay from the start runs out of room.
        final LedgerCapacityException refused = assertThrows(LedgerCapacityException.class, () -> Auditor.run(
            new AuditContext().directory(directory).limits(AuditRuns.limits().maxAccounts(2)).fromSnapshot(true)));
        assertTrue(refused.getMessage().startsWith("journal record 2: this ledger holds at most 2 accounts"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("(--from-snapshot: no snapshot could be used, so the replay " +
            "started from the journal's beginning: " + store.directory().resolve(SnapshotStore.fileName(2)) + ": "),
            refused.getMessage());

        // With room for 3 it starts from the snapshot.
        final AuditReport report = Auditor.run(new AuditContext().directory(directory)
            .limits(AuditRuns.limits().maxAccounts(3)).fromSnapshot(true));
        assertEquals(2, report.snapshotSequence());
        assertEquals(ledger.digestHex(), report.digest());
    }

    private static void writeThreeAccounts(final DataDirectory directory, final boolean limits)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 * 1024]);
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            if (limits)
            {
                final int length = LimitsRecord.encode(AuditRuns.limits().maxAccounts(2), true, buffer, 0);
                journal.append(RecordTypes.LIMITS, AuditRuns.START_NANOS, buffer, 0, length);
            }
            final AccountEventArray accounts = new AccountEventArray(3);
            for (long id = 1; id <= 3; id++)
            {
                accounts.add(id, 0, AuditRuns.LEDGER_A, 1, 0);
            }
            final int length = new RequestEncoder().createAccounts(buffer, 0, 1, accounts);
            journal.append(RecordTypes.MESSAGE, AuditRuns.START_NANOS + 1, buffer, 0, length);
        }
    }

    @Test
    void shouldCountARecordOfAnUnknownTypeOnceAsInvalidAndWarn()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 20, 33);
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            journal.append(99, AuditRuns.START_NANOS + 1_000_000_000_000L, new UnsafeBuffer(new byte[16]), 0, 16);
        }

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

        assertEquals(1, report.invalidRecords());
        assertEquals(run.digest, report.digest());
        assertTrue(report.isClean(), "the chain verifies and the record changed nothing");
        assertTrue(print(report).contains("warning: 1 record(s) are not valid messages"), print(report));
    }

    @Test
    void shouldGiveTheStateAsOfASequenceAndStillVerifyTheRest()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 23);
        final long until = run.lastSequence / 3;

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).untilSequence(until));

        assertEquals(AuditRuns.replay(run, until).digestHex(), report.digest());
        assertEquals(until, report.lastAppliedSequence());
        assertEquals(until, report.recordsApplied());
        assertTrue(report.stoppedEarly());
        assertEquals(run.lastSequence, report.lastVerifiedSequence());
        assertTrue(print(report).contains("state as of: sequence " + until + ", "));
    }

    @Test
    void shouldGiveTheStateAsOfATime()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 24);
        final AuditRuns.Record record = run.records.get(run.records.size() / 2);

        final AuditReport exact = Auditor.run(AuditRuns.auditContext(directory)
            .untilTimestampNanos(record.timestampNanos));
        final AuditReport justBefore = Auditor.run(AuditRuns.auditContext(directory)
            .untilTimestampNanos(record.timestampNanos - 1));

        assertEquals(record.sequence, exact.lastAppliedSequence());
        assertEquals(AuditRuns.replay(run, record.sequence).digestHex(), exact.digest());
        assertEquals(record.sequence - 1, justBefore.lastAppliedSequence());
        assertEquals(AuditRuns.replay(run, record.sequence - 1).digestHex(), justBefore.digest());

        // Before the first record: the empty ledger, with no time of its own.
        final AuditReport beforeAll = Auditor.run(AuditRuns.auditContext(directory)
            .untilTimestampNanos(run.records.get(0).timestampNanos - 1));
        assertEquals(0, beforeAll.lastAppliedSequence());
        final String printed = print(beforeAll);
        assertTrue(printed.contains("state as of: sequence 0, before the first record (records after it verified, " +
            "not applied)\n"), printed);
    }

    @Test
    void shouldPrintAnAccountsHistoryWithRunningBalances() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final RequestEncoder encoder = new RequestEncoder();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8192]);
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            final AccountEventArray accounts = new AccountEventArray(8)
                .add(1, 0, 840, 1, 0).add(2, 0, 840, 1, 0).add(3, 0, 840, 1, 0);
            journal.append(RecordTypes.MESSAGE, T0, message, 0, encoder.createAccounts(message, 0, 1, accounts));
            final TransferEventArray transfers = new TransferEventArray(8)
                .add(101, 2, 1, 500, 0, 0, 840, 0, 1, 0)
                .add(102, 1, 3, 200, 0, 0, 840, 1, 1, TransferFlags.PENDING)
                .add(103, 1, 3, 50, 0, 0, 840, 0, 1, TransferFlags.PENDING);
            journal.append(RecordTypes.MESSAGE, T0 + 1_000, message, 0,
                encoder.createTransfers(message, 0, 2, transfers));
            transfers.reset()
                .add(104, 0, 0, 30, 103, 0, 0, 0, 0, TransferFlags.POST_PENDING)
                .add(105, 3, 2, 10, 0, 0, 840, 0, 1, 0)
                .add(106, 1, 1, 10, 0, 0, 840, 0, 1, 0);
            journal.append(RecordTypes.MESSAGE, T0 + 100_000_000L, message, 0,
                encoder.createTransfers(message, 0, 3, transfers));
            journal.append(RecordTypes.TICK, T0 + 2_000_000_000L, message, 0, 0);
            transfers.reset()
                .add(107, 0, 0, 0, 102, 0, 0, 0, 0, TransferFlags.VOID_PENDING)
                .add(108, 1, 2, 5, 0, 0, 840, 0, 1, 0);
            journal.append(RecordTypes.MESSAGE, T0 + 3_000_000_000L, message, 0,
                encoder.createTransfers(message, 0, 4, transfers));
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).accountId(BigInteger.ONE)
            .historyOut(new PrintStream(bytes, true, StandardCharsets.UTF_8)));

        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertEquals(List.of(
            "history of account 1:",
            "  sequence timestamp kind id debit_account_id credit_account_id amount pending_id flags result " +
                "debits_pending debits_posted credits_pending credits_posted",
            "  1 2025-11-22T08:26:40Z ACCOUNT 1 - - - - 0 OK 0 0 0 0",
            "  2 2025-11-22T08:26:40.000001Z TRANSFER 101 2 1 500 0 0 OK 0 0 0 500",
            "  2 2025-11-22T08:26:40.000001Z PENDING 102 1 3 200 0 2 OK 200 0 0 500",
            "  2 2025-11-22T08:26:40.000001Z PENDING 103 1 3 50 0 2 OK 250 0 0 500",
            "  3 2025-11-22T08:26:40.100Z POST 104 1 3 30 103 4 OK 200 30 0 500",
            "  3 2025-11-22T08:26:40.100Z TRANSFER 106 1 1 10 0 0 ACCOUNTS_MUST_BE_DIFFERENT 200 30 0 500",
            "  4 2025-11-22T08:26:42Z EXPIRE 102 1 3 200 0 2 EXPIRED 0 30 0 500",
            "  5 2025-11-22T08:26:43Z VOID 107 0 0 0 102 8 PENDING_TRANSFER_EXPIRED 0 30 0 500",
            "  5 2025-11-22T08:26:43Z TRANSFER 108 1 2 5 0 0 OK 0 35 0 500"), lines);
        assertEquals(0, report.historyUnreconciled());
        assertTrue(report.isClean());
        assertTrue(print(report).contains("history: account 1, 9 line(s), reconciled"));
    }

    @Test
    void shouldReconcileTheHistoryOfEveryKindOfAccountOverAMixedRun()
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 300, 25);

        for (final long accountId : new long[]{ 7, 12, 45 })
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).accountId(BigInteger.valueOf(accountId))
                .historyOut(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
            assertEquals(0, report.historyUnreconciled(), "account " + accountId);

            final Map<Long, BigInteger[]> balancesAfter = balancesAfterEachRecord(run, accountId);
            final Map<Long, String> lastLineOfRecord = new HashMap<>();
            final List<String> ids = new ArrayList<>();
            bytes.toString(StandardCharsets.UTF_8).lines().skip(2).forEach((line) ->
            {
                final String[] tokens = line.trim().split(" ");
                lastLineOfRecord.put(Long.parseLong(tokens[0]), line);
                ids.add(tokens[0] + ":" + tokens[3]);
            });
            assertTrue(lastLineOfRecord.size() > 20, "account " + accountId + " should be busy");
            for (final Map.Entry<Long, String> e : lastLineOfRecord.entrySet())
            {
                final String[] tokens = e.getValue().trim().split(" ");
                final BigInteger[] actual = new BigInteger[4];
                for (int i = 0; i < 4; i++)
                {
                    actual[i] = new BigInteger(tokens[tokens.length - 4 + i]);
                }
                assertArrayEquals(balancesAfter.get(e.getKey()), actual, e.getValue());
            }
            for (final AuditRuns.Sent sent : run.events)
            {
                if (sent.transfer && (sent.debitAccountId.longValue() == accountId || sent.creditAccountId.longValue() == accountId))
                {
                    assertTrue(ids.contains(sent.sequence + ":" + sent.id), "missing " + sent.sequence + ":" +
                        sent.id + " for account " + accountId);
                }
            }
        }
    }

    @Test
    void shouldMatchEverySnapshotWithTheReplay() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 5, Throwable::printStackTrace);
        AuditRuns.write(directory, 200, 26, taker, 40);
        final long[] sequences = new SnapshotStore(directory.snapshotDirectory()).sequences();
        assertEquals(5, sequences.length);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).verifySnapshots(true));

        assertEquals(5, report.snapshotChecks().size());
        for (int i = 0; i < sequences.length; i++)
        {
            final SnapshotCheck check = report.snapshotChecks().get(i);
            assertEquals(sequences[i], check.sequence());
            assertEquals(SnapshotCheck.Status.MATCH, check.status(), check.toString());
        }
        assertTrue(report.isClean());
    }

    @Test
    void shouldFindASnapshotThatDoesNotMatchTheReplay() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 5, Throwable::printStackTrace);
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 27, taker, 40);
        final SnapshotStore store = new SnapshotStore(directory.snapshotDirectory());
        final long[] sequences = store.sequences();
        final long wrong = sequences[2];
        final Path wrongFile = store.directory().resolve(SnapshotStore.fileName(wrong));
        Files.delete(wrongFile);
        try (SnapshotWriter writer = store.newSnapshot(wrong))
        {
            AuditRuns.replay(run, wrong - 1).writeSnapshot(writer); // a real state, but not the one at its sequence
            writer.commit();
        }
        final Path damagedFile = store.directory().resolve(SnapshotStore.fileName(sequences[3]));
        final byte[] damaged = Files.readAllBytes(damagedFile);
        damaged[damaged.length / 2] ^= 1;
        Files.write(damagedFile, damaged);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).verifySnapshots(true));

        assertNull(report.damage());
        final List<SnapshotCheck> checks = report.snapshotChecks();
        assertEquals(SnapshotCheck.Status.MATCH, checks.get(1).status());
        assertEquals(SnapshotCheck.Status.MISMATCH, checks.get(2).status());
        assertEquals(wrong, checks.get(2).sequence());
        assertEquals(AuditRuns.replay(run, wrong).digestHex(), checks.get(2).replayedDigest());
        assertEquals(SnapshotCheck.Status.UNREADABLE, checks.get(3).status());
        assertEquals(SnapshotCheck.Status.MATCH, checks.get(4).status());
        assertFalse(report.snapshotsMatch());
        assertFalse(report.isClean());
        assertEquals(run.digest, report.digest(), "the journal is still right");
        final String printed = print(report);
        assertTrue(printed.contains("snapshot check " + wrongFile + " (sequence " + wrong + "): MISMATCH"), printed);
    }

    /**
     * A snapshot of a sequence the journal does not reach, with no end point given, is evidence that the journal
     * lost records (its newest segment deleted or cut short at a record boundary, which the chain alone cannot
     * show) or that the snapshot is of another history. {@code --verify-snapshot} reported it {@code NOT_REACHED}
     * ("the replay ended at sequence N"), which counts as a pass, and the audit exited 0 ("every snapshot checked
     * matched") on a directory whose snapshots cover records its journal no longer holds.
     */
    @Test
    void shouldFailASnapshotOfASequenceTheJournalDoesNotReach() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 5, Throwable::printStackTrace);
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 26, taker, 40);
        final long[] sequences = new SnapshotStore(directory.snapshotDirectory()).sequences();
        final long newest = sequences[sequences.length - 1];
        // Lose the journal's tail: every segment from the one holding the newest snapshot's record on.
        final Path[] segments = JournalFiles.segments(directory.journalDirectory());
        long lost = Long.MAX_VALUE;
        for (int i = segments.length - 1; i > 0; i--)
        {
            final long first = io.paycore.journal.SegmentDescriptor.firstSequence(segments[i]);
            Files.delete(segments[i]);
            lost = first;
            if (first <= newest)
            {
                break;
            }
        }
        assertTrue(lost <= newest && lost > sequences[0], "lost from " + lost + ", newest snapshot " + newest);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).verifySnapshots(true));

        assertNull(report.damage(), "the chain cannot show a lost tail");
        assertEquals(lost - 1, report.lastVerifiedSequence());
        assertTrue(run.lastSequence > report.lastVerifiedSequence());
        final SnapshotCheck last = report.snapshotChecks().get(report.snapshotChecks().size() - 1);
        assertEquals(newest, last.sequence());
        assertFalse(report.snapshotsMatch(), "a snapshot past the journal's end passed: " + last);
        assertFalse(report.isClean());
    }

    @Test
    void shouldStartFromTheNewestValidSnapshotAtOrBeforeTheEndPoint() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 5, Throwable::printStackTrace);
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 28, taker, 40);
        final long[] sequences = new SnapshotStore(directory.snapshotDirectory()).sequences();
        final long newest = sequences[sequences.length - 1];

        final AuditReport fromNewest = Auditor.run(AuditRuns.auditContext(directory).fromSnapshot(true));
        final long until = sequences[2] + 5;
        final AuditReport fromEarlier = Auditor.run(AuditRuns.auditContext(directory).fromSnapshot(true)
            .untilSequence(until));

        assertEquals(run.digest, fromNewest.digest());
        assertEquals(newest, fromNewest.snapshotSequence());
        assertEquals(newest + 1, fromNewest.firstSequence());
        assertEquals(run.lastSequence - newest, fromNewest.recordsApplied());
        assertEquals(sequences[2], fromEarlier.snapshotSequence());
        assertEquals(AuditRuns.replay(run, until).digestHex(), fromEarlier.digest());
    }

    @Test
    void shouldReportTheSnapshotsStateWhenNoRecordFollowsIt() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 5, Throwable::printStackTrace);
        AuditRuns.write(directory, 200, 28, taker, 40);
        final long snapshot = new SnapshotStore(directory.snapshotDirectory()).sequences()[2];

        final AuditReport atSnapshot = Auditor.run(AuditRuns.auditContext(directory).fromSnapshot(true)
            .untilSequence(snapshot));
        final AuditReport fromStart = Auditor.run(AuditRuns.auditContext(directory).untilSequence(snapshot));

        assertEquals(snapshot, atSnapshot.snapshotSequence());
        assertEquals(0, atSnapshot.recordsApplied());
        assertEquals(fromStart.digest(), atSnapshot.digest());
        // As of the snapshot's record, not of sequence 0 at 1970-01-01.
        assertEquals(snapshot, atSnapshot.lastAppliedSequence());
        assertEquals(fromStart.lastAppliedTimestampNanos(), atSnapshot.lastAppliedTimestampNanos());
        final String printed = print(atSnapshot);
        assertTrue(printed.contains("state as of: sequence " + snapshot + ", "), printed);
        assertFalse(printed.contains("1970-01-01"), printed);
    }

    /**
     * From a snapshot with no record after it, no record is read: until 2026-12-07 the journal line still said
     * "checksum chain intact, last checksum 0x00000000", which reads as the chain's head.
     */
    @Test
    void shouldGiveNoChecksumWhenItReadNoRecord()
    {
        final long lastSequence = AuditRuns.write(new DataDirectory(temp.resolve("probe")), 30, 31).lastSequence;
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final SnapshotTaker taker = new SnapshotTaker(directory.snapshotDirectory(), 5, Throwable::printStackTrace);
        AuditRuns.write(directory, 30, 31, taker, lastSequence);

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).fromSnapshot(true));

        assertEquals(lastSequence, report.snapshotSequence());
        final String printed = print(report);
        assertTrue(printed.contains("journal: 0 record(s) verified, sequences none, "), printed);
        assertTrue(printed.contains(" no checksum read"), printed);
        assertFalse(printed.contains("last checksum"), printed);
    }

    @Test
    void shouldAuditADirectoryARunningServiceHoldsWithoutChangingIt() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 100, 29);
        try (DataDirectoryLock ignored = DataDirectoryLock.acquire(directory);
            Journal journal = Journal.open(AuditRuns.journalContext(directory).preallocate(false)))
        {
            // The holder does not preallocate: its background thread would write the spare segment at any moment,
            // and this test is about what the audit writes.
            final Map<Path, String> before = tree(directory.root());

            final AuditReport report = Auditor.run(AuditRuns.auditContext(directory));

            assertEquals(run.digest, report.digest());
            assertEquals(journal.lastSequence(), report.lastVerifiedSequence());
            assertEquals(before, tree(directory.root()), "audit must not create, change or delete anything");
            assertFalse(Files.exists(directory.snapshotDirectory()));
        }
    }

    @Test
    void shouldAuditAJournalWhileItIsBeingAppendedTo() throws Exception
    {
        final AuditRuns.Run run = AuditRuns.write(new DataDirectory(temp.resolve("source")), 600, 30);
        final DataDirectory live = new DataDirectory(temp.resolve("live"));
        final AtomicLong appended = new AtomicLong();
        final AtomicInteger auditsDone = new AtomicInteger();
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try (Journal journal = Journal.open(AuditRuns.journalContext(live)))
            {
                int auditsSeen = 0;
                for (final AuditRuns.Record record : run.records)
                {
                    final UnsafeBuffer payload = new UnsafeBuffer(record.payload);
                    journal.append(record.type, record.timestampNanos, payload, 0, record.payload.length);
                    appended.set(record.sequence);
                    if (0 == record.sequence % 64)
                    {
                        // Wait for an audit of what is there so far, so that audits and appends interleave however
                        // fast either side runs on this machine (a cold first audit can take longer than all the
                        // appends).
                        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (auditsDone.get() == auditsSeen && System.nanoTime() < deadlineNanos)
                        {
                            Thread.sleep(1);
                        }
                        auditsSeen = auditsDone.get();
                    }
                }
            }
            catch (final Throwable ex)
            {
                writerFailure.set(ex);
            }
        });
        writer.start();
        try
        {
            int audits = 0;
            while (writer.isAlive() || 0 == audits)
            {
                if (appended.get() < 1)
                {
                    Thread.onSpinWait();
                    continue;
                }
                final AuditReport report = Auditor.run(AuditRuns.auditContext(live));
                audits++;
                auditsDone.set(audits);
                assertNull(report.damage(), () -> "a live journal is not damaged: " + report.damage());
                assertEquals(AuditRuns.replay(run, report.lastAppliedSequence()).digestHex(), report.digest());
            }
            assertTrue(audits > 1, "the audits should have overlapped the appends");
        }
        finally
        {
            writer.join();
        }
        assertNull(writerFailure.get());
        assertEquals(run.digest, Auditor.run(AuditRuns.auditContext(live)).digest());
    }

    private static Map<Long, BigInteger[]> balancesAfterEachRecord(final AuditRuns.Run run, final long accountId)
    {
        final Map<Long, BigInteger[]> balances = new HashMap<>();
        final Ledger ledger = new Ledger(AuditRuns.limits());
        final LedgerRecordHandler applier = new LedgerRecordHandler(new CommandProcessor(ledger));
        for (final AuditRuns.Record record : run.records)
        {
            applier.onRecord(record.type, record.sequence, record.timestampNanos, new UnsafeBuffer(record.payload), 0,
                record.payload.length);
            final int i = ledger.accountIndex(0, accountId);
            balances.put(record.sequence, i < 0 ?
                new BigInteger[]{ BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO } :
                new BigInteger[]{
                    UInt128.toBigInteger(ledger.debitsPendingHi(i), ledger.debitsPendingLo(i)),
                    UInt128.toBigInteger(ledger.debitsPostedHi(i), ledger.debitsPostedLo(i)),
                    UInt128.toBigInteger(ledger.creditsPendingHi(i), ledger.creditsPendingLo(i)),
                    UInt128.toBigInteger(ledger.creditsPostedHi(i), ledger.creditsPostedLo(i)) });
        }
        return balances;
    }

    private static Map<Path, String> tree(final Path root) throws Exception
    {
        try (Stream<Path> files = Files.walk(root))
        {
            final Map<Path, String> tree = new TreeMap<>();
            for (final Path file : files.collect(Collectors.toList()))
            {
                tree.put(file, Files.isDirectory(file) ? "dir" :
                    Files.getLastModifiedTime(file) + "/" + java.util.Arrays.hashCode(Files.readAllBytes(file)));
            }
            return tree;
        }
    }

    private static String print(final AuditReport report)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
