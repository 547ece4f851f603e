package io.paycore.service.feed;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A nack followed by a multiple ack on the same channel, as RabbitMQ sends them: a nacked tag is no longer
 * outstanding, so a later {@code basic.ack(multiple)} past it (sent for the tags after it) covers it on the broker's
 * side without the broker having taken it. Before the fix the window counted the nacked change as confirmed: the
 * progress moved past it and the next channel did not send it again, so it was lost.
 */
class ConfirmWindowNackTest
{
    private static final long PROGRESS = 500;

    @Test
    void shouldNotConfirmANackedChangeWithALaterMultipleAck()
    {
        final ConfirmWindow window = new ConfirmWindow(8, PROGRESS);
        for (int i = 1; i <= 4; i++)
        {
            window.next().timestampNanos = 1000 + i;
            window.commit();
        }
        final int channel = window.beginChannel();

        window.onConfirm(channel, 1, false, true);
        window.onConfirm(channel, 2, false, false); // the broker could not take change 1002
        window.onConfirm(channel, 4, true, true); // it took 1003 and 1004: every tag still outstanding up to 4
        assertTrue(window.nacked());
        assertEquals(1001, window.lastConfirmedTimestampNanos(), "the nacked change 1002 is not confirmed");
        assertEquals(1, window.confirmedCount());

        window.beginChannel();
        assertEquals(1002, window.entry(window.head()).timestampNanos, "the next channel sends 1002 again");
    }

    @Test
    void shouldNotConfirmWhatAMultipleNackCoveredWithALaterMultipleAck()
    {
        final ConfirmWindow window = new ConfirmWindow(8, PROGRESS);
        for (int i = 1; i <= 4; i++)
        {
            window.next().timestampNanos = 1000 + i;
            window.commit();
        }
        final int channel = window.beginChannel();

        window.onConfirm(channel, 2, true, false);
        window.onConfirm(channel, 4, true, true);
        assertEquals(PROGRESS, window.lastConfirmedTimestampNanos());
        assertEquals(4, window.size());
    }
}
