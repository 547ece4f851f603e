package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-client backlog over a real, small IPC publication: answers held back while back-pressured come out in
 * order and intact, also after the backlog has been compacted, and the byte bound is kept.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EgressSessionTest
{
    private static final int TERM_LENGTH = 64 * 1024;
    private static final int MESSAGE_LENGTH = 100;
    private static final int BACKLOG_BYTES = 4096;

    @TempDir
    Path dir;

    private MediaDriver driver;
    private Aeron aeron;
    private Subscription subscription;
    private ExclusivePublication publication;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private final List<Integer> received = new ArrayList<>();

    @BeforeEach
    void before()
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .ipcTermBufferLength(TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
        subscription = aeron.addSubscription("aeron:ipc", 7);
        publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", 7);
        while (!publication.isConnected() || !subscription.isConnected())
        {
            Thread.yield();
        }
    }

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(publication, subscription, aeron, driver);
    }

    @Test
    void shouldDeliverHeldBackAnswersInOrderAcrossTheRingsWrapWithinTheBound()
    {
        final EgressSession session = new EgressSession(1, 0, 1, publication, BACKLOG_BYTES);
        int next = 0;
        while (publication.offer(message(next), 0, MESSAGE_LENGTH) > 0)
        {
            next++;
        }
        assertEquals(Publication.BACK_PRESSURED, publication.offer(message(next), 0, MESSAGE_LENGTH));
        final int sentDirectly = next;

        final int perRecord = EgressSession.framedLength(MESSAGE_LENGTH);
        final int fit = BACKLOG_BYTES / perRecord;
        for (int i = 0; i < fit; i++)
        {
            assertTrue(session.appendBacklog(message(next), 0, MESSAGE_LENGTH, 0));
            next++;
        }
        assertFalse(session.appendBacklog(message(next), 0, MESSAGE_LENGTH, 0), "the byte bound holds");
        assertEquals(fit * perRecord, session.backlogBytes());

        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < sentDirectly)
        {
            drainSubscription();
            assertTrue(System.nanoTime() < deadlineNanos, "subscription did not see what was sent");
        }
        assertEquals(sentDirectly, received.size());
        for (int i = 0; i < fit / 2; i++)
        {
            while (session.offerHead() < 0)
            {
                assertTrue(System.nanoTime() < deadlineNanos, "publication did not open up after the poll");
                Thread.yield();
            }
        }
        for (int i = 0; i < fit / 2; i++)
        {
            assertTrue(session.appendBacklog(message(next), 0, MESSAGE_LENGTH, 0), "room again once half is sent");
            next++;
        }

        while (session.hasBacklog())
        {
            if (session.offerHead() < 0)
            {
                drainSubscription();
            }
            assertTrue(System.nanoTime() < deadlineNanos, "backlog did not drain");
        }
        while (received.size() < next)
        {
            drainSubscription();
            assertTrue(System.nanoTime() < deadlineNanos, "answers did not all arrive");
        }

        for (int i = 0; i < next; i++)
        {
            assertEquals(i, received.get(i).intValue(), "answer " + i + " out of order or lost");
        }
        assertEquals(0, session.backlogBytes());
    }

    private UnsafeBuffer message(final int sequence)
    {
        message.setMemory(0, MESSAGE_LENGTH, (byte)sequence);
        message.putInt(0, sequence);
        return message;
    }

    private void drainSubscription()
    {
        subscription.poll((buffer, offset, length, header) ->
        {
            assertEquals(MESSAGE_LENGTH, length);
            final int sequence = buffer.getInt(offset);
            assertEquals((byte)sequence, buffer.getByte(offset + length - 1), "answer " + sequence + " corrupted");
            received.add(sequence);
        }, 1000);
    }
}
