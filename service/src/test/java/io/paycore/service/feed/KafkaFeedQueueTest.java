package io.paycore.service.feed;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaFeedQueueTest
{
    @Test
    void shouldHoldAtMostMaxQueuedChangesNotYetSent()
    {
        final KafkaFeedQueue queue = new KafkaFeedQueue(3, 4);
        assertEquals(7, queue.capacity());
        for (int i = 0; i < 3; i++)
        {
            assertNotNull(queue.claim());
            queue.commit();
        }
        assertNull(queue.claim(), "three staged, none sent: full");
        assertEquals(3, queue.staged());

        queue.sent(1);
        assertSame(queue.slot(queue.index(3)), queue.claim(), "one sent: room for one more");
        queue.commit();
        assertNull(queue.claim());
        assertThrows(IllegalArgumentException.class, () -> new KafkaFeedQueue(0, 4));
    }

    @Test
    void shouldNeverRefillASlotBeforeItsChangeIsAcknowledgedThroughSendsAcksAndResends()
    {
        final int maxQueued = 5;
        final int maxInFlight = 3;
        final KafkaFeedQueue queue = new KafkaFeedQueue(maxQueued, maxInFlight);
        final Random random = new Random(14);
        long staged = 0;
        long sent = 0;
        long acknowledged = 0;
        long resends = 0;
        for (int step = 0; step < 200_000; step++)
        {
            switch (random.nextInt(4))
            {
                case 0:
                    final KafkaFeedMessage slot = queue.claim();
                    if (null != slot)
                    {
                        assertTrue(slot.timestampNanos <= acknowledged, "the slot of change " + slot.timestampNanos +
                            " refilled with only " + acknowledged + " acknowledged");
                        slot.timestampNanos = staged + 1;
                        queue.commit();
                        staged++;
                    }
                    else
                    {
                        assertTrue(staged - sent >= maxQueued, "refused with room: staged " + staged + ", sent " +
                            sent);
                    }
                    break;
                case 1:
                    if (sent < queue.staged() && sent - acknowledged < maxInFlight)
                    {
                        sent++;
                        queue.sent(sent);
                    }
                    break;
                case 2:
                    if (acknowledged < sent)
                    {
                        acknowledged++;
                        queue.acknowledged(acknowledged);
                    }
                    break;
                default:
                    if (random.nextInt(50) == 0)
                    {
                        sent = acknowledged; // a failed send: everything after the watermark goes again
                        queue.sent(sent);
                        resends++;
                    }
                    break;
            }
            for (long position = acknowledged; position < staged; position++)
            {
                assertEquals(position + 1, queue.slot(queue.index(position)).timestampNanos,
                    "a change not yet acknowledged is still in its slot");
            }
        }
        assertTrue(acknowledged > 10_000 && resends > 100, "acknowledged " + acknowledged + ", resends " + resends);
    }
}
