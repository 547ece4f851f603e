package io.paycore.replay;

import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.SnapshotStore;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryTest
{
    private static final int RECORD_HEADER_LENGTH = 32;
    private static final int SEGMENT_HEADER_LENGTH = 64;

    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();
    private final ErrorHandler errorHandler = errors::add;

    @Test
    void shouldRecoverFromTheJournalAlone()
    {
        final DataDirectory dir = new DataDirectory(temp);
        final Ledger live = TestDays.writeDay(dir, 60, null, 0, 1);

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(live.digestHex(), recovery.ledger().digestHex());
            assertNull(report.snapshotFile());
            assertEquals(0, report.snapshotSequence());
            assertEquals(report.lastSequence(), report.recordsReplayed());
            assertEquals(recovery.journal().lastSequence(), report.lastSequence());
            assertTrue(report.lastSequence() > 60, report.describe());
            assertTrue(report.journalReport().segments() > 1, "the day should span segments: " + report);
            assertFalse(report.hasTornTail());
            assertEquals(0, report.invalidRecords());
            assertEquals(live.accountCount(), recovery.ledger().accountCount());
            assertEquals(live.transferCount(), recovery.ledger().transferCount());
        }
    }

    /**
     * {@code Recovery.replay(dir, 51, 120, ...)} applied records 51..170: before its first poll a reader opened at
     * sequence 51 says its next sequence is its segment's first (1), so the first poll was asked for 120 records.
     * A cluster member rebuilding the ledger a cluster snapshot names from an older ledger snapshot of its own (the
     * newest not yet written, or damaged) so overshot the record, and refused its own directory as "not this
     * cluster's history".
     */
    @Test
    void shouldReplayNoRecordAfterTheLastAskedForWhenStartingInsideASegment()
    {
        final DataDirectory dir = new DataDirectory(temp);
        try (Journal journal = Journal.open(TestDays.journalContext().directory(dir.journalDirectory())))
        {
            final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
            for (int n = 1; n <= 200; n++)
            {
                journal.append(RecordTypes.TICK, n * 1_000L, empty, 0, 0);
            }
        }
        final Ledger ledger = new Ledger(TestDays.limits());
        final LedgerRecordHandler replayer = new LedgerRecordHandler(new CommandProcessor(ledger));

        Recovery.replay(dir.journalDirectory(), 51, 120, replayer);

        assertEquals(70, replayer.records());
        assertEquals(120_000L, ledger.clockNanos());
    }

    @Test
    void shouldRecoverAJournalHoldingAnEpochRecordOfTheRetiredReplication()
    {
        final DataDirectory dir = new DataDirectory(temp);
        final Ledger live = TestDays.writeDay(dir, 20, null, 0, 4);
        // as a standby promoted by a version with the retired home-made replication journaled it
        final UnsafeBuffer epoch = new UnsafeBuffer(new byte[RecordTypes.EPOCH_PAYLOAD_LENGTH]);
        epoch.putLong(0, 2, ByteOrder.LITTLE_ENDIAN);
        final long epochSequence;
        try (Journal journal = Journal.open(TestDays.journalContext().directory(dir.journalDirectory())))
        {
            epochSequence = journal.append(RecordTypes.EPOCH, live.clockNanos() + 1, epoch, 0, epoch.capacity());
        }

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(epochSequence, report.lastSequence(), report.describe());
            assertEquals(epochSequence, report.recordsReplayed(), report.describe());
            assertEquals(0, report.invalidRecords(), "an epoch record is a known type: " + report.describe());
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), "an epoch record changes no ledger state");
        }
    }

    @Test
    void shouldRefuseByNameAJournalHoldingAMessageOfProtocolVersion1()
    {
        final DataDirectory dir = new DataDirectory(temp);
        final Ledger live = TestDays.writeDay(dir, 3, null, 0, 5);
        // As an older paycore journaled it: the same message with version 1 in its header.
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
        final int length = new RequestEncoder().createTransfers(message, 0, 99,
            new TransferEventArray(1).add(1, 1, 2, 5, 0, 0, TestDays.LEDGER, 0, 1, 0));
        message.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)1, MessageHeaderEncoder.BYTE_ORDER);
        final long oldSequence;
        try (Journal journal = Journal.open(TestDays.journalContext().directory(dir.journalDirectory())))
        {
            oldSequence = journal.append(RecordTypes.MESSAGE, live.clockNanos() + 1, message, 0, length);
        }

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> Recovery.open(dir, TestDays.limits(), TestDays.journalContext()).close());
        assertTrue(ex.getMessage().contains("journal record " + oldSequence + " holds a message of protocol " +
            "version 1"), ex.getMessage());
        assertTrue(ex.getMessage().contains("a journal an older paycore wrote"), ex.getMessage());
    }

    @Test
    void shouldRecoverAnEmptyDirectoryToAnEmptyLedger()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("new"));
        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertEquals(0, recovery.report().lastSequence());
            assertEquals(0, recovery.report().recordsReplayed());
            assertEquals(new Ledger(TestDays.limits()).digestHex(), recovery.ledger().digestHex());
            assertTrue(Files.isDirectory(dir.journalDirectory()));
        }
    }

    @Test
    void shouldRecoverFromTheNewestSnapshotAndTheJournalAfterIt()
    {
        final DataDirectory dir = new DataDirectory(temp);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 3, errorHandler);
        final Ledger live = TestDays.writeDay(dir, 60, taker, 16, 2);
        assertTrue(errors.isEmpty(), errors::toString);
        assertTrue(taker.snapshotsTaken() >= 4);

        final long newest = taker.lastSequence();
        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), report.describe());
            assertEquals(newest, report.snapshotSequence());
            assertEquals(dir.snapshotDirectory().resolve(SnapshotStore.fileName(newest)), report.snapshotFile());
            assertEquals(report.lastSequence() - newest, report.recordsReplayed());
            assertTrue(report.recordsReplayed() > 0 && report.recordsReplayed() < 16, report.describe());
            assertTrue(report.skippedSnapshots().isEmpty());
        }
        try (Recovery journalOnly = Recovery.open(dir, TestDays.limits(), TestDays.journalContext(), false))
        {
            assertEquals(live.digestHex(), journalOnly.ledger().digestHex());
            assertNull(journalOnly.report().snapshotFile());
        }
    }

    @Test
    void shouldFallBackToAnOlderSnapshotWhenTheNewestIsDamaged() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 3, errorHandler);
        final Ledger live = TestDays.writeDay(dir, 60, taker, 16, 3);
        final long[] sequences = new SnapshotStore(dir.snapshotDirectory()).sequences();
        assertEquals(3, sequences.length);
        final Path newest = dir.snapshotDirectory().resolve(SnapshotStore.fileName(sequences[2]));
        flipByte(newest, Files.size(newest) / 2);

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(live.digestHex(), recovery.ledger().digestHex(), report.describe());
            assertEquals(sequences[1], report.snapshotSequence());
            assertEquals(1, report.skippedSnapshots().size());
            assertTrue(report.skippedSnapshots().get(0).startsWith(newest.toString()), report.describe());
            assertTrue(report.skippedSnapshots().get(0).contains("checksum"), report.describe());
            assertTrue(report.describe().contains("skipped"), report.describe());
        }
    }

    @Test
    void shouldFallBackToTheJournalWhenEverySnapshotIsDamaged() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 2, errorHandler);
        final Ledger live = TestDays.writeDay(dir, 40, taker, 10, 4);
        final long[] sequences = new SnapshotStore(dir.snapshotDirectory()).sequences();
        assertEquals(2, sequences.length);
        for (final long sequence : sequences)
        {
            final Path file = dir.snapshotDirectory().resolve(SnapshotStore.fileName(sequence));
            flipByte(file, 10);
        }

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(live.digestHex(), recovery.ledger().digestHex());
            assertNull(report.snapshotFile());
            assertEquals(2, report.skippedSnapshots().size());
            assertEquals(report.lastSequence(), report.recordsReplayed());
        }
    }

    @Test
    void shouldSetAsideASnapshotThatIsAheadOfTheJournal()
    {
        final DataDirectory dir = new DataDirectory(temp);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 5, errorHandler);
        final Ledger live = TestDays.writeDay(dir, 30, taker, 10, 5);
        final long lastGood = taker.lastSequence();
        taker.take(new Ledger(TestDays.limits()), 10_000);

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertEquals(live.digestHex(), recovery.ledger().digestHex());
            assertEquals(lastGood, report.snapshotSequence());
            assertEquals(1, report.skippedSnapshots().size());
            assertTrue(report.skippedSnapshots().get(0).contains("journal ends at " + report.lastSequence() +
                "; set aside as snapshot-00000000000000010000.snap.ahead"), report.describe());
        }
        assertFalse(Files.exists(dir.snapshotDirectory().resolve(SnapshotStore.fileName(10_000))));
        assertTrue(Files.exists(dir.snapshotDirectory().resolve("snapshot-00000000000000010000.snap.ahead")));
        final long[] sequences = new SnapshotStore(dir.snapshotDirectory()).sequences();
        assertEquals(lastGood, sequences[sequences.length - 1], "a set-aside file is no snapshot");
    }

    @Test
    void shouldTruncateATornTailReportItAndRecoverEverythingBefore() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        final Ledger live = TestDays.writeDay(dir, 50, null, 0, 6);
        final long[] lastRecord = lastRecordEnd(dir);
        final Path newest = newestSegment(dir);

        final ByteBuffer torn = ByteBuffer.allocate(RECORD_HEADER_LENGTH + 40).order(ByteOrder.LITTLE_ENDIAN);
        torn.putInt(0, RECORD_HEADER_LENGTH + 1000);
        torn.putInt(4, 1);
        torn.putLong(8, lastRecord[1] + 1);
        torn.putLong(16, 123);
        torn.putInt(28, 0xBADC0DE);
        for (int i = RECORD_HEADER_LENGTH; i < torn.capacity(); i++)
        {
            torn.put(i, (byte)(i * 7 + 1));
        }
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw"))
        {
            file.seek(lastRecord[0]);
            file.write(torn.array());
        }

        try (Recovery recovery = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final RecoveryReport report = recovery.report();
            assertTrue(report.hasTornTail(), report.describe());
            assertEquals(newest, report.journalReport().tornTailFile());
            assertEquals(lastRecord[0], report.journalReport().tornTailOffset());
            assertEquals(lastRecord[1], report.lastSequence());
            assertEquals(live.digestHex(), recovery.ledger().digestHex());
            assertTrue(report.describe().contains("truncated"), report.describe());
        }
        try (Recovery again = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            assertFalse(again.report().hasTornTail());
            assertEquals(live.digestHex(), again.ledger().digestHex());
        }
    }

    @Test
    void shouldRefuseACorruptJournalNamingFileOffsetAndSequence() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        TestDays.writeDay(dir, 60, null, 0, 7);
        final Path first = oldestSegment(dir);
        flipByte(first, SEGMENT_HEADER_LENGTH + RECORD_HEADER_LENGTH + 9);

        final JournalException ex = assertThrows(JournalException.class,
            () -> Recovery.open(dir, TestDays.limits(), TestDays.journalContext()));
        assertEquals(first, ex.file());
        assertEquals(SEGMENT_HEADER_LENGTH, ex.offset());
        assertEquals(1, ex.sequence());
        assertTrue(ex.getMessage().contains(first.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("offset=" + SEGMENT_HEADER_LENGTH), ex.getMessage());
        assertTrue(ex.getMessage().contains("sequence=1"), ex.getMessage());

        DataDirectoryLock.acquire(dir).close();
    }

    @Test
    void shouldRefuseASecondOwnerOfTheDataDirectory()
    {
        final DataDirectory dir = new DataDirectory(temp);
        try (Recovery ignored = Recovery.open(dir, TestDays.limits(), TestDays.journalContext()))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> Recovery.open(dir, TestDays.limits(), TestDays.journalContext()));
            assertTrue(ex.getMessage().contains(dir.markFile().toString()), ex.getMessage());
        }
        Recovery.open(dir, TestDays.limits(), TestDays.journalContext()).close();
    }

    @Test
    void shouldKeepOnlyTheNewestSnapshotsAndDeleteLeftOverTemporaryFiles() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        Files.createDirectories(dir.snapshotDirectory());
        final Path leftOver = dir.snapshotDirectory().resolve(SnapshotStore.fileName(3) + ".tmp");
        Files.write(leftOver, new byte[100]);

        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 2, errorHandler);
        assertFalse(Files.exists(leftOver));
        final Ledger ledger = new Ledger(TestDays.limits());
        for (long sequence = 1; sequence <= 5; sequence++)
        {
            taker.onSnapshotPoint(ledger, sequence * 100);
        }

        assertArrayEquals(new long[]{ 400, 500 }, new SnapshotStore(dir.snapshotDirectory()).sequences());
        assertEquals(5, taker.snapshotsTaken());
        assertEquals(500, taker.lastSequence());
        assertTrue(errors.isEmpty(), errors::toString);
        assertThrows(IllegalArgumentException.class, () -> new SnapshotTaker(dir.snapshotDirectory(), 0, null));
        assertThrows(IllegalArgumentException.class,
            () -> new SnapshotTaker(dir.snapshotDirectory(), SnapshotTaker.SNAPSHOTS_KEPT_MAX + 1, null));
    }

    @Test
    void shouldReportAFailedSnapshotAndCarryOn() throws Exception
    {
        final DataDirectory dir = new DataDirectory(temp);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 2, errorHandler);
        Files.delete(dir.snapshotDirectory());
        Files.write(dir.snapshotDirectory(), new byte[1]);

        taker.onSnapshotPoint(new Ledger(TestDays.limits()), 42);

        assertEquals(1, taker.failures());
        assertEquals(0, taker.snapshotsTaken());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof JournalException, errors::toString);
    }

    private static void flipByte(final Path file, final long offset) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }

    private static Path[] segments(final DataDirectory dir) throws Exception
    {
        try (Stream<Path> files = Files.list(dir.journalDirectory()))
        {
            final Path[] sorted = files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted()
                .toArray(Path[]::new);
            assertTrue(sorted.length > 0, "no segments in " + dir.journalDirectory() + ": " +
                Arrays.toString(dir.journalDirectory().toFile().list()));
            return sorted;
        }
    }

    private static Path newestSegment(final DataDirectory dir) throws Exception
    {
        final Path[] sorted = segments(dir);
        return sorted[sorted.length - 1];
    }

    private static Path oldestSegment(final DataDirectory dir) throws Exception
    {
        return segments(dir)[0];
    }

    /**
     * @return { offset just past the last record in the newest segment, its sequence }.
     */
    private static long[] lastRecordEnd(final DataDirectory dir)
    {
        final long[] end = new long[2];
        try (JournalReader reader = JournalReader.open(dir.journalDirectory(), 1))
        {
            while (reader.poll((type, sequence, timestamp, buffer, offset, length) ->
            {
                end[0] = (offset + length + 7) & ~7;
                end[1] = sequence;
            }, 1000) > 0)
            {
                // read to the end
            }
        }
        return end;
    }
}
