package io.paycore.core.pipeline;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.LookupTransfersEncoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.cold.AsyncLmdbColdTier;
import io.paycore.core.cold.ColdTierFullException;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineTest
{
    private static final long SESSION = 7;

    @TempDir
    Path dir;

    private Journal journal;
    private Pipeline pipeline;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
    private final List<Answer> answers = new ArrayList<>();

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(pipeline, journal);
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void shouldJournalThenApplyThenAnswerInOrder(final StageLayout layout)
    {
        start(FlushLevel.BATCH, 64, layout);
        assertEquals(layout, pipeline.layout());

        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(1, 1, 2)));
        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeTransfer(2, 10, 1, 2, 500)));
        assertTrue(pipeline.offerTick());
        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeTransfer(3, 10, 1, 2, 500)));

        awaitAnswers(3);
        assertEquals(1, answers.get(0).sequence);
        assertEquals(2, answers.get(1).sequence);
        assertEquals(4, answers.get(2).sequence);
        for (final Answer answer : answers)
        {
            assertEquals(SESSION, answer.sessionId);
            assertTrue(answer.durableWhenAnswered >= answer.sequence, "answered before durable");
        }

        final CreateAccountsResultDecoder accounts = new CreateAccountsResultDecoder();
        accounts.wrapAndApplyHeader(answers.get(0).bytes, 0, new MessageHeaderDecoder());
        assertEquals(1, accounts.correlationId());
        final CreateAccountsResultDecoder.ResultsDecoder accountResults = accounts.results();
        assertEquals(2, accountResults.count());
        assertEquals(CreateAccountResult.OK, accountResults.next().result());
        assertEquals(CreateAccountResult.OK, accountResults.next().result());

        assertEquals(CreateTransferResult.OK, firstTransferResult(answers.get(1).bytes));
        assertEquals(CreateTransferResult.EXISTS, firstTransferResult(answers.get(2).bytes));

        final long[] typesSeen = new long[3];
        try (JournalReader reader = JournalReader.open(dir, 1))
        {
            reader.poll((type, sequence, timestampNanos, buffer, offset, length) -> typesSeen[type]++, 100);
        }
        assertEquals(3, typesSeen[RecordTypes.MESSAGE]);
        assertEquals(1, typesSeen[RecordTypes.TICK]);
        assertEquals(4, pipeline.processedSequence());
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void shouldKeepAnsweringFromAColdTierWrittenAndPrefetchedOffTheBlp(final StageLayout layout)
    {
        journal = Journal.open(new JournalContext().directory(dir.resolve("journal")).flushLevel(FlushLevel.NONE));
        // A pool of 16 ids holds the prefetch of 8 records of one transfer: the gate also waits for pool room.
        final AsyncLmdbColdTier cold = new AsyncLmdbColdTier(dir.resolve("cold"), 64L << 20, 7, 16, 1, 0);
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16).maxPendingTransfers(16)
            .maxBatchEvents(8).maxColdLagRecords(16), cold);
        try
        {
            pipeline = new Pipeline(
                new PipelineContext().inputRingSize(16).outputRingSize(16).layout(layout),
                journal,
                new CommandProcessor(ledger));
            pipeline.start();

            offer(encodeAccounts(1, 1, 2));
            final int transfers = 2_000;
            for (int i = 1; i <= transfers; i++)
            {
                // After the first hundred, every tenth re-sends the transfer of 99 messages before: long out of the
                // 16-record window.
                final long id = isResend(i) ? 1_000 + i - 99 : 1_000 + i;
                offer(encodeTransfer(i, id, 1, 2, 1));
            }
            // And look up, one message each, transfers long out of the window.
            final int lookups = 50;
            for (int k = 1; k <= lookups; k++)
            {
                offer(encodeLookup(transfers + k, 1_000 + 20 * k + 1));
            }
            awaitAnswers(1 + transfers + lookups);
            pipeline.close();

            for (int k = 1; k <= lookups; k++)
            {
                final TransfersDecoder found = new TransfersDecoder();
                found.wrapAndApplyHeader(answers.get(transfers + k).bytes, 0, new MessageHeaderDecoder());
                final TransfersDecoder.TransferDecoder transfer = found.transfer();
                assertEquals(1, transfer.count(), "lookup " + k);
                assertEquals(1_000 + 20 * k + 1, transfer.next().id().lo());
            }

            for (int i = 1; i <= transfers; i++)
            {
                final CreateTransferResult expected = isResend(i) ? CreateTransferResult.EXISTS : CreateTransferResult.OK;
                assertEquals(expected, firstTransferResult(answers.get(i).bytes), "transfer message " + i);
            }
            assertFalse(pipeline.isFailed());
            assertEquals(null, cold.failure());
            assertEquals(transfers - (transfers - 100) / 10, ledger.transferCount());
            assertTrue(ledger.oldestHotRecord() > 1_000, "transfers left the window: " + ledger.oldestHotRecord());
            assertTrue(cold.writtenRecordsNow() >= ledger.oldestHotRecord());
            assertEquals(0, cold.storeReadsOnLedgerThread(), "the BLP read the store instead of the prefetch");
            assertTrue(cold.finds() >= (transfers - 100) / 10, "re-sent ids were looked up cold: " + cold.finds());
        }
        finally
        {
            CloseHelper.closeAll(pipeline, cold);
        }
    }

    @Test
    void shouldFailOnceItsColdTierIsFullAndKeepEveryAnsweredTransfer()
    {
        journal = Journal.open(new JournalContext().directory(dir.resolve("journal")).flushLevel(FlushLevel.NONE));
        final AsyncLmdbColdTier cold = new AsyncLmdbColdTier(dir.resolve("cold"), 128L << 10, 16, 16, 1, 0);
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16).maxPendingTransfers(16)
            .maxBatchEvents(8).maxColdLagRecords(16), cold);
        try
        {
            pipeline = new Pipeline(
                new PipelineContext().inputRingSize(16).outputRingSize(16).layout(StageLayout.SPLIT),
                journal,
                new CommandProcessor(ledger));
            pipeline.start();
            offer(encodeAccounts(1, 1, 2));
            awaitAnswers(1);

            long id = 1_000;
            final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!pipeline.isFailed() && System.nanoTime() - deadlineNanos < 0)
            {
                if (pipeline.offerMessage(SESSION, message, 0, encodeTransfer(id, id, 1, 2, 1)))
                {
                    id++;
                }
                pipeline.pollOutput(this::onOutput, 10);
                Thread.yield();
            }

            assertTrue(pipeline.isFailed(), "the cold tier never filled");
            assertTrue(pipeline.failure() instanceof ColdTierFullException, String.valueOf(pipeline.failure()));
            pipeline.pollOutput(this::onOutput, 100);
            for (int i = 1; i < answers.size(); i++)
            {
                assertEquals(CreateTransferResult.OK, firstTransferResult(answers.get(i).bytes), "answer " + i);
            }
            assertTrue(answers.size() > 1, "nothing was answered before the tier filled");

            // Nothing answered is lost: every transfer answered OK is in the ledger, hot or in what the tier holds.
            pipeline.close();
            final CreateTransfersResultDecoder decoder = new CreateTransfersResultDecoder();
            for (int i = 1; i < answers.size(); i++)
            {
                decoder.wrapAndApplyHeader(answers.get(i).bytes, 0, new MessageHeaderDecoder());
                final long transferId = decoder.correlationId();
                assertTrue(ledger.transferIndex(0, transferId) >= 0, "answered transfer " + transferId + " is lost");
            }
        }
        finally
        {
            CloseHelper.closeAll(pipeline, cold);
        }
    }

    @Test
    void shouldRefuseAPrefetchPoolSmallerThanOneRecordsIds()
    {
        journal = Journal.open(new JournalContext().directory(dir.resolve("journal")).flushLevel(FlushLevel.NONE));
        try (AsyncLmdbColdTier cold = new AsyncLmdbColdTier(
            dir.resolve("cold"), 64L << 20, 7, 15, 1, 0))
        {
            final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
                .maxPendingTransfers(16).maxBatchEvents(8).maxColdLagRecords(16), cold);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new Pipeline(new PipelineContext(), journal, new CommandProcessor(ledger)));
            assertTrue(ex.getMessage().startsWith("the cold tier's prefetch pool holds 15 ids, fewer than one record " +
                "may name (twice paycore.ledger.max.batch.events = 16)"), ex.getMessage());
        }
    }

    @Test
    void shouldRefuseWhenTheInputRingIsFull()
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.NONE));
        pipeline = new Pipeline(
            new PipelineContext().inputRingSize(4).outputRingSize(4),
            journal,
            new CommandProcessor(new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
                .maxPendingTransfers(16).maxBatchEvents(8))));

        final int length = encodeAccounts(1, 1, 2);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(pipeline.offerMessage(SESSION, message, 0, length));
        }
        assertFalse(pipeline.hasCapacity());
        assertFalse(pipeline.offerMessage(SESSION, message, 0, length));
        assertFalse(pipeline.offerTick());
        assertEquals(5, pipeline.nextSequence());
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void shouldRejectEverythingAsUnavailableOnceTheJournalFails(final StageLayout layout)
    {
        start(FlushLevel.NONE, 64, layout);
        journal.close();

        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(42, 1, 2)));
        awaitAnswers(1);

        final RejectedDecoder rejected = new RejectedDecoder();
        rejected.wrapAndApplyHeader(answers.get(0).bytes, 0, new MessageHeaderDecoder());
        assertEquals(RejectReason.UNAVAILABLE, rejected.reason());
        assertEquals(42, rejected.correlationId());
        assertTrue(pipeline.isFailed());
        assertEquals(0, pipeline.processedSequence());
    }

    @Test
    void shouldRefuseTheDedicatedProfileWithoutEnoughCores()
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.NONE));
        final int cores = Runtime.getRuntime().availableProcessors();
        if (cores >= ThreadingProfile.DEDICATED.minCores())
        {
            return;
        }

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new Pipeline(
            new PipelineContext().profile(ThreadingProfile.DEDICATED),
            journal,
            new CommandProcessor(new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
                .maxPendingTransfers(16).maxBatchEvents(8)))));
        assertTrue(ex.getMessage().contains("at least 6 cores"), ex.getMessage());
    }

    @Test
    void shouldRunInlineStagesOnlyWhenAskedAndAtMostAStageBatchAtATime()
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.BATCH));
        pipeline = new Pipeline(
            new PipelineContext().layout(StageLayout.INLINE).maxStageBatch(3),
            journal,
            new CommandProcessor(new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
                .maxPendingTransfers(16).maxBatchEvents(8))));
        pipeline.start();

        for (int i = 0; i < 5; i++)
        {
            assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(i + 1, 10 + i)));
        }
        assertEquals(0, pipeline.processedSequence(), "nothing runs until the caller does the stage work");
        assertEquals(0, journal.lastSequence());

        assertEquals(3, pipeline.doStageWork());
        assertEquals(3, journal.lastSequence());
        assertEquals(3, journal.durableSequence(), "a stage batch is one group commit");
        assertEquals(3, pipeline.processedSequence());
        assertEquals(2, pipeline.doStageWork());
        assertEquals(0, pipeline.doStageWork());
        assertEquals(5, pipeline.processedSequence());
        assertTrue(pipeline.isDrained() || 5 == pipeline.pollOutput(this::onOutput, 10));
    }

    @Test
    void shouldTakeNoMoreRecordsInlineThanTheOutputRingHasFreeSlots()
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.NONE));
        pipeline = new Pipeline(
            new PipelineContext().layout(StageLayout.INLINE).inputRingSize(8).outputRingSize(2),
            journal,
            new CommandProcessor(new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
                .maxPendingTransfers(16).maxBatchEvents(8))));
        pipeline.start();
        for (int i = 0; i < 5; i++)
        {
            assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(i + 1, 10 + i)));
        }

        // The thread that runs the stages also drains the output ring: taking all five would wait for itself.
        assertEquals(2, pipeline.doStageWork());
        assertEquals(0, pipeline.doStageWork(), "the output ring is full: nothing more until egress drains it");
        assertEquals(2, pipeline.pollOutput(this::onOutput, 10));
        assertEquals(2, pipeline.doStageWork());
        assertEquals(2, pipeline.pollOutput(this::onOutput, 1) + pipeline.pollOutput(this::onOutput, 1));
        assertEquals(1, pipeline.doStageWork());
        assertEquals(1, pipeline.pollOutput(this::onOutput, 10));

        assertEquals(5, answers.size());
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i + 1, answers.get(i).sequence);
        }
        assertTrue(pipeline.isDrained());
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void shouldRunEveryStageThreadFromTheContextsThreadFactoryNamedAfterItsAgents(final StageLayout layout)
        throws InterruptedException
    {
        final List<String> started = new CopyOnWriteArrayList<>();
        final CountDownLatch running = new CountDownLatch(StageLayout.SPLIT == layout ? 2 :
            StageLayout.COMBINED == layout ? 1 : 0);
        final ThreadFactory factory = (runnable) -> new Thread(() ->
        {
            started.add(Thread.currentThread().getName());
            running.countDown();
            runnable.run();
        });
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(FlushLevel.BATCH));
        pipeline = new Pipeline(
            new PipelineContext().layout(layout).threadFactory(factory),
            journal,
            new CommandProcessor(new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(16)
                .maxPendingTransfers(16).maxBatchEvents(8))));
        pipeline.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));

        final List<String> expected = StageLayout.SPLIT == layout ?
            List.of(Pipeline.JOURNALER_THREAD_NAME, Pipeline.BLP_THREAD_NAME) :
            StageLayout.COMBINED == layout ? List.of(Pipeline.BLP_THREAD_NAME) : List.of();
        assertEquals(expected, List.of(pipeline.stageThreadNames()));
        assertEquals(expected.stream().sorted().toList(), started.stream().sorted().toList());

        assertTrue(pipeline.offerMessage(SESSION, message, 0, encodeAccounts(1, 1)));
        awaitAnswers(1);
        final CreateAccountsResultDecoder accounts = new CreateAccountsResultDecoder();
        accounts.wrapAndApplyHeader(answers.get(0).bytes, 0, new MessageHeaderDecoder());
        assertEquals(CreateAccountResult.OK, accounts.results().next().result());
    }

    @Test
    void shouldRefuseStageWorkWhenTheStagesHaveThreads()
    {
        start(FlushLevel.NONE, 64, StageLayout.COMBINED);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> pipeline.doStageWork());
        assertTrue(ex.getMessage().contains("combined"), ex.getMessage());
    }

    @Test
    void shouldPickTheLayoutByProfile()
    {
        assertEquals(StageLayout.COMBINED, new PipelineContext().conclude().layout());
        assertEquals(StageLayout.SPLIT,
            new PipelineContext().profile(ThreadingProfile.DEDICATED).conclude().layout());

        final IllegalArgumentException dedicated = assertThrows(IllegalArgumentException.class,
            () -> new PipelineContext().layout(StageLayout.INLINE).profile(ThreadingProfile.DEDICATED).conclude());
        assertTrue(dedicated.getMessage().contains("shared profile"), dedicated.getMessage());
        assertTrue(dedicated.getMessage().contains(PipelineContext.LAYOUT_PROP_NAME), dedicated.getMessage());
        final IllegalArgumentException unknown = assertThrows(
            IllegalArgumentException.class, () -> StageLayout.parse("sideways"));
        assertTrue(unknown.getMessage().contains("split, combined or inline"), unknown.getMessage());
        assertEquals(StageLayout.INLINE, StageLayout.parse("Inline"));
    }

    @Test
    void shouldRefuseEachCombinationThatCannotWorkSayingWhy()
    {
        assertRefused(new PipelineContext().layout(StageLayout.INLINE).profile(ThreadingProfile.DEDICATED),
            "shared profile");
        assertRefused(new PipelineContext().outputRingSize(1), PipelineContext.OUTPUT_RING_SIZE_PROP_NAME);
        assertRefused(new PipelineContext().inputRingSize(PipelineContext.RING_SIZE_MAX * 2),
            PipelineContext.INPUT_RING_SIZE_PROP_NAME);
        assertRefused(new PipelineContext().maxStageBatch(0), PipelineContext.MAX_STAGE_BATCH_PROP_NAME);
        assertRefused(new PipelineContext().maxStageBatch(PipelineContext.RING_SIZE_MAX + 1),
            PipelineContext.MAX_STAGE_BATCH_PROP_NAME);
        assertRefused(new PipelineContext().snapshotEveryRecords(-1), PipelineContext.SNAPSHOT_EVERY_PROP_NAME);
        assertRefused(new PipelineContext().snapshotEveryRecords(10), "snapshot handler");
        assertRefused(new PipelineContext().idleStrategy("napping"), "napping");
    }

    private static void assertRefused(final PipelineContext context, final String why)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(why), ex.getMessage());
    }

    @Test
    void shouldRejectABadRingSizeByName()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> new PipelineContext().inputRingSize(1000).conclude());
        assertTrue(ex.getMessage().contains(PipelineContext.INPUT_RING_SIZE_PROP_NAME), ex.getMessage());
    }

    private void start(final FlushLevel flushLevel, final int ringSize, final StageLayout layout)
    {
        journal = Journal.open(new JournalContext().directory(dir).flushLevel(flushLevel)
            .maxRecordLength(64 * 1024));
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(1024).maxTransfers(1024)
            .maxPendingTransfers(1024));
        pipeline = new Pipeline(
            new PipelineContext().inputRingSize(ringSize).outputRingSize(ringSize).layout(layout),
            journal,
            new CommandProcessor(ledger));
        pipeline.start();
    }

    private static boolean isResend(final int message)
    {
        return message > 100 && message % 10 == 0;
    }

    private void offer(final int length)
    {
        while (!pipeline.offerMessage(SESSION, message, 0, length))
        {
            if (StageLayout.INLINE == pipeline.layout())
            {
                pipeline.doStageWork();
            }
            pipeline.pollOutput(this::onOutput, 10);
            Thread.yield();
        }
    }

    private void awaitAnswers(final int count)
    {
        while (answers.size() < count)
        {
            if (StageLayout.INLINE == pipeline.layout())
            {
                pipeline.doStageWork();
            }
            pipeline.pollOutput(this::onOutput, 10);
            Thread.yield();
        }
    }

    private void onOutput(
        final long sessionId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(length);
        copy.putBytes(0, buffer, offset, length);
        answers.add(new Answer(sessionId, sequence, journal.durableSequence(), copy));
    }

    private int encodeAccounts(final long correlationId, final long... ids)
    {
        final AccountEventArray accounts = new AccountEventArray(ids.length);
        for (final long id : ids)
        {
            accounts.add(id, 0, 1, 1, 0);
        }
        return new RequestEncoder().createAccounts(message, 0, correlationId, accounts);
    }

    private int encodeTransfer(
        final long correlationId, final long id, final long debit, final long credit, final long amount)
    {
        return new RequestEncoder().createTransfers(message, 0, correlationId,
            new TransferEventArray(1).add(id, debit, credit, amount, 0, 0, 1, 0, 1, 0));
    }

    private int encodeLookup(final long correlationId, final long id)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder();
        encoder.wrapAndApplyHeader(message, 0, headerEncoder)
            .correlationId(correlationId)
            .idsCount(1)
            .next()
            .id().lo(id).hi(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static CreateTransferResult firstTransferResult(final DirectBuffer bytes)
    {
        final CreateTransfersResultDecoder decoder = new CreateTransfersResultDecoder();
        decoder.wrapAndApplyHeader(bytes, 0, new MessageHeaderDecoder());
        return decoder.results().next().result();
    }

    private static final class Answer
    {
        final long sessionId;
        final long sequence;
        final long durableWhenAnswered;
        final DirectBuffer bytes;

        Answer(final long sessionId, final long sequence, final long durableWhenAnswered, final DirectBuffer bytes)
        {
            this.sessionId = sessionId;
            this.sequence = sequence;
            this.durableWhenAnswered = durableWhenAnswered;
            this.bytes = bytes;
        }
    }
}
