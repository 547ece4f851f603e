package io.paycore.core.pipeline;

import io.paycore.codec.sbe.CreateAccountsEncoder;
import io.paycore.codec.sbe.LookupAccountsEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline's replication paths: the replicator stage shipping to a {@link RecordShipper} and, in sync mode,
 * holding the BLP once per ring batch until the standby acknowledges; a standby pipeline journaling and applying the
 * primary's records, answering lookups read-only, refusing writes, and being promoted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplicationPipelineTest
{
    private static final long SESSION = 9;

    @TempDir
    Path dir;

    private Journal journal;
    private Pipeline pipeline;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
    private final List<DirectBuffer> answers = new ArrayList<>();

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(pipeline, journal);
    }

    @Test
    void shouldShipEveryRecordAndApplyNothingUntilTheStandbyAcknowledgesInSyncMode() throws Exception
    {
        final FakeShipper shipper = new FakeShipper(true);
        start(new PipelineContext().recordShipper(shipper).maxStageBatch(1024));

        final int records = 200;
        for (int i = 0; i < records; i++)
        {
            assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(i, 1 + i)));
        }
        while (shipper.shipped.size() < 1)
        {
            Thread.yield();
        }
        Thread.sleep(100);
        assertEquals(0, pipeline.processedSequence(), "nothing is applied before the standby acknowledges");
        assertEquals(0, pollAnswers());

        shipper.acknowledged.set(Long.MAX_VALUE);
        awaitAnswers(records);
        // The BLP publishes a record's answer before it marks the record processed.
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pipeline.processedSequence() < records && System.nanoTime() - deadlineNanos < 0)
        {
            Thread.yield();
        }
        assertEquals(records, pipeline.processedSequence());
        for (int i = 0; i < records; i++)
        {
            assertEquals(i + 1, shipper.shipped.get(i), "shipped in journal order");
        }
        assertTrue(shipper.batchEnds.size() < records / 2,
            "one acknowledgement wait per ring batch, not per record: " + shipper.batchEnds.size() + " batches");
    }

    @Test
    void shouldRejectAsUnavailableABatchTheStandbyRefusesOnceFenced()
    {
        final FakeShipper shipper = new FakeShipper(true);
        start(new PipelineContext().recordShipper(shipper));

        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(5, 1)));
        while (shipper.shipped.isEmpty())
        {
            Thread.yield();
        }
        shipper.fenced = true;
        awaitAnswers(1);
        final RejectedDecoder rejected = new RejectedDecoder().wrapAndApplyHeader(
            answers.get(0), 0, new MessageHeaderDecoder());
        assertEquals(RejectReason.UNAVAILABLE, rejected.reason());
        assertEquals(5, rejected.correlationId());
        assertTrue(pipeline.isFailed());
        assertTrue(pipeline.failure().getMessage().contains("fenced"), pipeline.failure().getMessage());
    }

    @Test
    void shouldNeverWaitInAsyncMode()
    {
        final FakeShipper shipper = new FakeShipper(false);
        start(new PipelineContext().recordShipper(shipper));

        for (int i = 0; i < 50; i++)
        {
            assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(i, 1 + i)));
        }
        assertTrue(pipeline.offerTick());
        awaitAnswers(50);
        assertEquals(51, shipper.shipped.size());
    }

    @Test
    void shouldJournalAndApplyReplicatedRecordsServeLookupsReadOnlyAndTakeWritesOncePromoted()
    {
        final FakeShipper shipper = new FakeShipper(false);
        start(new PipelineContext().standby(true).recordShipper(shipper));
        assertTrue(pipeline.isStandby());

        assertTrue(pipeline.offerRecord(RecordTypes.MESSAGE, 1, 1_000, message, 0, encodeAccounts(1, 10, 11)));
        assertTrue(pipeline.offerRecord(RecordTypes.TICK, 2, 2_000, message, 0, 0));
        assertThrows(IllegalStateException.class,
            () -> pipeline.offerRecord(RecordTypes.TICK, 4, 3_000, message, 0, 0));
        assertFalse(pipeline.offerTick(), "a standby journals no tick of its own");

        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeLookup(2, 10, 11)));
        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(3, 12)));
        awaitAnswers(2);
        final AccountsDecoder accounts = new AccountsDecoder().wrapAndApplyHeader(
            answers.get(0), 0, new MessageHeaderDecoder());
        assertEquals(2, accounts.correlationId());
        assertEquals(2, accounts.account().count());
        final RejectedDecoder rejected = new RejectedDecoder().wrapAndApplyHeader(
            answers.get(1), 0, new MessageHeaderDecoder());
        assertEquals(RejectReason.READ_ONLY, rejected.reason());
        assertEquals(3, rejected.correlationId());
        assertEquals(2, pipeline.processedSequence());
        assertTrue(shipper.shipped.isEmpty(), "a standby ships nothing on");

        pipeline.promote();
        assertFalse(pipeline.isStandby());
        assertThrows(IllegalStateException.class,
            () -> pipeline.offerRecord(RecordTypes.TICK, 3, 3_000, message, 0, 0));
        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(4, 12)));
        awaitAnswers(3);
        assertEquals(3, pipeline.processedSequence());
        assertEquals(List.of(3L), new ArrayList<>(shipper.shipped));

        final List<Long> journaled = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 1))
        {
            reader.poll((type, sequence, timestampNanos, buffer, offset, length) ->
            {
                journaled.add(sequence);
                timestamps.add(timestampNanos);
            }, 100);
        }
        assertEquals(List.of(1L, 2L, 3L), journaled, "lookups and refused writes are not journaled");
        assertEquals(1_000L, timestamps.get(0), "the primary's timestamp is journaled");
        assertTrue(timestamps.get(2) > 2_000L);
    }

    private void start(final PipelineContext context)
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.BATCH)
            .maxRecordLength(64 * 1024));
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(1024).maxTransfers(1024)
            .maxPendingTransfers(1024));
        pipeline = new Pipeline(context.inputRingSize(256).outputRingSize(256), journal, new CommandProcessor(ledger));
        pipeline.start();
    }

    private int pollAnswers()
    {
        return pipeline.pollOutput(this::onOutput, 100);
    }

    private void awaitAnswers(final int count)
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (answers.size() < count)
        {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "answers: " + answers.size() + " of " + count);
            pollAnswers();
            Thread.yield();
        }
    }

    private void onOutput(
        final long sessionId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        assertEquals(SESSION, sessionId);
        final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(length);
        copy.putBytes(0, buffer, offset, length);
        answers.add(copy);
    }

    private int encodeAccounts(final long correlationId, final long... ids)
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder();
        final CreateAccountsEncoder.AccountsEncoder accounts = encoder
            .wrapAndApplyHeader(message, 0, headerEncoder)
            .correlationId(correlationId)
            .accountsCount(ids.length);
        for (final long id : ids)
        {
            accounts.next().id(id).userData(0).ledger(1).code(1).flags(0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeLookup(final long correlationId, final long... ids)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder();
        final LookupAccountsEncoder.IdsEncoder group = encoder
            .wrapAndApplyHeader(message, 0, headerEncoder)
            .correlationId(correlationId)
            .idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id(id);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
