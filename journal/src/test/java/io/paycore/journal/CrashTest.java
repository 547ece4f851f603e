package io.paycore.journal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM that is appending (SIGKILL, at a random moment) and checks that every sequence it reported
 * durable survives intact and that the journal takes new appends.
 */
class CrashTest
{
    private static final int MAX = 700;
    private static final int ROUNDS = 24;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != child)
        {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldKeepEveryDurableRecordWhenKilledAtRandomMoments() throws Exception
    {
        final Random random = new Random();
        final long seed = random.nextLong();
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX + 64));
        long totalDurable = 0;
        int tornTails = 0;

        for (int round = 0; round < ROUNDS; round++)
        {
            final FlushLevel level = 0 == (round & 1) ? FlushLevel.EVERY : FlushLevel.BATCH;
            final Path journalDir = dir.resolve(level.name().toLowerCase());
            final AtomicLong maxDurable = new AtomicLong();
            final AtomicLong lines = new AtomicLong();
            child = start(journalDir, level, seed + round);
            final Thread pump = pump(child, maxDurable, lines);

            final long killAfterNanos = TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(400));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long startedAt = 0;
            while (System.nanoTime() < deadline)
            {
                if (0 == startedAt && lines.get() > 0)
                {
                    startedAt = System.nanoTime();
                }
                if (0 != startedAt && System.nanoTime() - startedAt >= killAfterNanos)
                {
                    break;
                }
                assertTrue(child.isAlive(), "child exited early, round " + round);
                Thread.sleep(1);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            pump.join(10_000);
            child = null;
            final long durable = maxDurable.get();

            try (Journal journal = Journal.open(TestJournals.context(journalDir, level).maxRecordLength(MAX)))
            {
                final OpenReport report = journal.openReport();
                tornTails += report.hasTornTail() ? 1 : 0;
                assertTrue(report.lastSequence() >= durable,
                    "round " + round + " " + level + ": durable " + durable + " but reopened " + report);
                assertEquals(report.lastSequence(), TestJournals.readAll(journalDir, 1, MAX), "round " + round);
                for (int i = 0; i < 5; i++)
                {
                    TestJournals.appendExpected(journal, scratch, MAX);
                }
                journal.flush();
                assertEquals(report.lastSequence() + 5, journal.durableSequence());
            }
            totalDurable += durable;
            System.out.println("round " + round + " " + level + " durable=" + durable);
        }
        System.out.println("total durable " + totalDurable + ", torn tails " + tornTails);

        for (final FlushLevel level : new FlushLevel[]{ FlushLevel.EVERY, FlushLevel.BATCH })
        {
            final Path journalDir = dir.resolve(level.name().toLowerCase());
            try (Journal journal = Journal.open(TestJournals.context(journalDir, level).maxRecordLength(MAX)))
            {
                assertFalse(journal.openReport().hasTornTail());
                assertEquals(journal.lastSequence(), TestJournals.readAll(journalDir, 1, MAX));
            }
        }
        assertTrue(totalDurable > 0, "no child ever reported a durable record (seed " + seed + ", torn " +
            tornTails + ")");
    }

    private static Process start(final Path journalDir, final FlushLevel level, final long seed) throws Exception
    {
        return TestJournals.startChild(CrashChild.class, journalDir.toString(), level.name(), Integer.toString(MAX),
            Long.toString(seed));
    }

    private static Thread pump(final Process process, final AtomicLong maxDurable, final AtomicLong lines)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    lines.incrementAndGet();
                    if (!line.startsWith("opened"))
                    {
                        final long value = Long.parseLong(line.trim());
                        maxDurable.accumulateAndGet(value, Math::max);
                    }
                }
            }
            catch (final Exception ignore)
            {
                // the child was killed: its stdout ends, possibly mid-line
            }
        }, "crash-child-stdout");
        thread.setDaemon(true);
        thread.start();

        return thread;
    }
}
