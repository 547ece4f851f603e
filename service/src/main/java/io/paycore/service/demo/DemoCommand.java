package io.paycore.service.demo;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.RecordTypes;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferResults;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import io.paycore.journal.OpenReport;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code paycore demo}: a payments day in one process. Creates accounts, sends a realistic mix of transfers as SBE
 * messages, journals every message before the ledger applies it, then recovers a fresh ledger from the journal
 * alone and compares the two by digest.
 * <p>
 * This is the in-process form of the demo: messages go straight from the generator to the journal and the ledger,
 * with no Aeron transport and no Disruptor pipeline yet.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run a payments day in one process: create accounts, send transfers (single-phase, pending+post,",
        "pending+void, some invalid) through the journal into the ledger, then recover a fresh ledger from",
        "the journal and compare digests. Exit status 0 only when the digests are equal.",
        "",
        "Prints a summary, then exactly: 'throughput: <n> transfers/s', 'digest: <hex>', 'recovered digest: <hex>'."
    })
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--accounts", paramLabel = "N", defaultValue = "10000",
        description = "Accounts to create (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--transfers", paramLabel = "M", defaultValue = "1000000",
        description = "Transfer events to send (default: ${DEFAULT-VALUE}).")
    private long transfers;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "100",
        description = "Events per message, 1..1024 (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory (must be new or empty); default: a temporary directory, deleted afterwards.")
    private Path data;

    @Option(names = "--flush", paramLabel = "LEVEL", defaultValue = "none",
        description = "Journal flush level: none, batch or every (default: ${DEFAULT-VALUE}). "
            + "At batch the journal is forced once per message.")
    private String flush;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DemoWorkload.SEED_DEFAULT,
        description = "Seed of the generated workload (default: ${DEFAULT-VALUE}).")
    private long seed;

    private final PrintStream out = System.out;

    /**
     * Run the demo.
     *
     * @return the exit status: 0 when the recovered digest equals the live one.
     * @throws Exception on an I/O failure.
     */
    public Integer call() throws Exception
    {
        final FlushLevel flushLevel = FlushLevel.parse(flush);
        final DemoWorkload workload = new DemoWorkload(accounts, transfers, batch, seed);
        final boolean temporary = null == data;
        final Path dataDir = temporary ? Files.createTempDirectory("paycore-demo-") : data;
        final Path journalDir = dataDir.resolve("journal");
        if (!temporary && Files.isDirectory(journalDir) && 0 != journalDir.toFile().list().length)
        {
            System.err.println("paycore demo: " + journalDir + " already holds a journal; give an empty --data DIR");
            return 2;
        }

        final LedgerLimits limits = limitsFor(accounts, transfers, batch);
        try
        {
            final Ledger live = new Ledger(limits);
            final Tally tally = new Tally();
            final long startNanos = System.nanoTime();
            final long transferNanos;
            final long records;
            try (Journal journal = Journal.open(journalContext(journalDir, flushLevel, workload)))
            {
                transferNanos = run(workload, journal, new CommandProcessor(live), tally);
                records = journal.lastSequence();
            }
            final long totalNanos = System.nanoTime() - startNanos;
            final String digest = live.digestHex();

            final long recoverStartNanos = System.nanoTime();
            final Ledger recovered = new Ledger(limits);
            final OpenReport report = recover(journalDir, flushLevel, workload, recovered);
            final long recoverNanos = System.nanoTime() - recoverStartNanos;
            final String recoveredDigest = recovered.digestHex();

            printSummary(live, tally, records, totalNanos, transferNanos, recoverNanos, report, dataDir, flushLevel);
            out.println("throughput: " + (long)(transfers * 1e9 / Math.max(1, transferNanos)) + " transfers/s");
            out.println("digest: " + digest);
            out.println("recovered digest: " + recoveredDigest);

            if (!digest.equals(recoveredDigest))
            {
                System.err.println("paycore demo: the recovered ledger differs from the live one");
                return 1;
            }
            return 0;
        }
        finally
        {
            if (temporary)
            {
                IoUtil.delete(dataDir.toFile(), true);
            }
        }
    }

    private static LedgerLimits limitsFor(final int accounts, final long transfers, final int batch)
    {
        final long transferCapacity = Math.min(LedgerLimits.MAX_RECORDS_BOUND, Math.max(1024, transfers + batch));
        return new LedgerLimits()
            .maxAccounts(Math.max(1024, accounts))
            .maxTransfers((int)transferCapacity)
            .maxPendingTransfers((int)Math.min(transferCapacity, 1 << 20))
            .validate();
    }

    private static JournalContext journalContext(
        final Path journalDir, final FlushLevel flushLevel, final DemoWorkload workload)
    {
        return new JournalContext()
            .directory(journalDir)
            .flushLevel(flushLevel)
            .maxRecordLength(Math.max(JournalContext.MAX_RECORD_LENGTH_DEFAULT, workload.maxMessageLengthBytes()));
    }

    private long run(
        final DemoWorkload workload, final Journal journal, final CommandProcessor processor, final Tally tally)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[workload.maxMessageLengthBytes()]);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        final Stamp stamp = new Stamp();

        while (workload.hasMoreAccounts())
        {
            final int length = workload.encodeAccounts(message, 0);
            final long timestamp = stamp.next();
            journal.append(RecordTypes.MESSAGE, timestamp, message, 0, length);
            journal.flush();
            processor.apply(RecordTypes.MESSAGE, timestamp, message, 0, length, answer, 0);
            tally.count(processor);
        }

        final long startNanos = System.nanoTime();
        while (workload.hasMoreTransfers())
        {
            final int length = workload.encodeTransfers(message, 0);
            final long timestamp = stamp.next();
            journal.append(RecordTypes.MESSAGE, timestamp, message, 0, length);
            journal.flush();
            processor.apply(RecordTypes.MESSAGE, timestamp, message, 0, length, answer, 0);
            tally.count(processor);
        }

        return System.nanoTime() - startNanos;
    }

    private static OpenReport recover(
        final Path journalDir, final FlushLevel flushLevel, final DemoWorkload workload, final Ledger ledger)
    {
        final OpenReport report;
        try (Journal journal = Journal.open(journalContext(journalDir, flushLevel, workload)))
        {
            report = journal.openReport();
        }

        final CommandProcessor processor = new CommandProcessor(ledger);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandProcessor.MAX_ANSWER_LENGTH]);
        try (JournalReader reader = JournalReader.open(journalDir, 1))
        {
            while (reader.poll(
                (type, sequence, timestampNanos, buffer, offset, length) ->
                    processor.apply(type, timestampNanos, buffer, offset, length, answer, 0),
                1024) > 0)
            {
                // keep reading until the end of the journal
            }
        }
        return report;
    }

    private void printSummary(
        final Ledger ledger,
        final Tally tally,
        final long records,
        final long totalNanos,
        final long transferNanos,
        final long recoverNanos,
        final OpenReport report,
        final Path dataDir,
        final FlushLevel flushLevel)
    {
        out.printf(Locale.ROOT, "paycore demo (in-process: generator -> journal -> ledger; no transport)%n");
        out.printf(Locale.ROOT, "  data directory     %s%s%n", dataDir, null == data ? " (temporary)" : "");
        out.printf(Locale.ROOT, "  journal            %,d records, flush %s%n", records, flushLevel.name().toLowerCase(
            Locale.ROOT));
        out.printf(Locale.ROOT, "  accounts           %,d created of %,d sent%n",
            tally.accountResults[CreateAccountResult.OK.value()], tally.accountEvents);
        out.printf(Locale.ROOT, "  transfers          %,d sent in messages of %d%n", tally.transferEvents, batch);
        for (final CreateTransferResult result : CreateTransferResult.values())
        {
            if (CreateTransferResult.NULL_VAL != result && tally.transferResults[result.value()] > 0)
            {
                out.printf(Locale.ROOT, "    %-44s %,12d%n", result.name(), tally.transferResults[result.value()]);
            }
        }
        out.printf(Locale.ROOT, "  ledger             %,d accounts, %,d transfers, %,d still pending%n",
            ledger.accountCount(), ledger.transferCount(), ledger.pendingCount());
        out.printf(Locale.ROOT, "  time               %.3f s in all, %.3f s for the transfers%n",
            totalNanos / 1e9, transferNanos / 1e9);
        out.printf(Locale.ROOT, "  recovery           %.3f s from the journal alone (%s)%n",
            recoverNanos / 1e9, report.hasTornTail() ? "torn tail truncated" : "journal clean");
    }

    /**
     * Monotonic nanosecond timestamps, strictly increasing, as ingress stamps them.
     */
    private static final class Stamp
    {
        private long last;

        long next()
        {
            final long now = System.nanoTime();
            last = now > last ? now : last + 1;
            return last;
        }
    }

    /**
     * Counts of results by code.
     */
    private static final class Tally
    {
        final long[] accountResults = new long[1 << 16];
        final long[] transferResults = new long[1 << 16];
        long accountEvents;
        long transferEvents;

        void count(final CommandProcessor processor)
        {
            if (CreateAccountsDecoder.TEMPLATE_ID == processor.lastTemplateId())
            {
                final AccountResults results = processor.accountResults();
                for (int i = 0; i < results.count(); i++)
                {
                    accountResults[results.result(i).value()]++;
                }
                accountEvents += results.count();
            }
            else if (CreateTransfersDecoder.TEMPLATE_ID == processor.lastTemplateId())
            {
                final TransferResults results = processor.transferResults();
                for (int i = 0; i < results.count(); i++)
                {
                    transferResults[results.result(i).value()]++;
                }
                transferEvents += results.count();
            }
        }
    }
}
