package io.paycore.service.feed;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfirmWindowTest
{
    private static final long PROGRESS = 500;

    @Test
    void shouldAdvanceOnlyOverAContiguousConfirmedPrefix()
    {
        final ConfirmWindow window = windowOf(8, 5);
        final int channel = window.beginChannel();

        window.onConfirm(channel, 2, false, true);
        window.onConfirm(channel, 3, false, true);
        assertEquals(0, window.confirmedCount(), "tag 1 is not confirmed yet");
        assertEquals(PROGRESS, window.lastConfirmedTimestampNanos());

        window.onConfirm(channel, 1, false, true);
        assertEquals(3, window.confirmedCount());
        assertEquals(1003, window.lastConfirmedTimestampNanos());
        assertEquals(2, window.size());

        window.onConfirm(channel, 5, true, true);
        assertTrue(window.isEmpty());
        assertEquals(1005, window.lastConfirmedTimestampNanos());
    }

    @Test
    void shouldMapANewChannelsTagsFromTheHeadAndIgnoreConfirmsOfAnOldChannel()
    {
        final ConfirmWindow window = windowOf(8, 4);
        final int first = window.beginChannel();
        window.onConfirm(first, 1, false, true);

        final int second = window.beginChannel();
        window.onConfirm(first, 4, true, true);
        assertEquals(3, window.size(), "a confirm of the old channel is ignored");

        assertEquals(window.head(), window.position(1), "the new channel's tag 1 is the head");
        window.onConfirm(second, 2, true, true);
        assertEquals(1, window.size());
        assertEquals(1003, window.lastConfirmedTimestampNanos());
    }

    @Test
    void shouldReportANackUntilTheNextChannel()
    {
        final ConfirmWindow window = windowOf(8, 3);
        final int channel = window.beginChannel();
        window.onConfirm(channel, 2, false, false);
        assertTrue(window.nacked());
        assertEquals(3, window.size(), "a nack confirms nothing");

        window.beginChannel();
        assertFalse(window.nacked());
    }

    @Test
    void shouldRefuseMoreThanItsCapacity() throws Exception
    {
        final ConfirmWindow window = windowOf(2, 2);
        assertTrue(window.isFull());
        assertFalse(window.awaitRoom(1));
        assertThrows(IllegalStateException.class, window::commit);
    }

    private static ConfirmWindow windowOf(final int capacity, final int entries)
    {
        final ConfirmWindow window = new ConfirmWindow(capacity, PROGRESS);
        for (int i = 1; i <= entries; i++)
        {
            window.next().timestampNanos = 1000 + i;
            window.commit();
        }
        return window;
    }
}
