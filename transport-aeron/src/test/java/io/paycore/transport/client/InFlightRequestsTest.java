package io.paycore.transport.client;

import io.aeron.Publication;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightRequestsTest
{
    private final InFlightRequests inFlight = new InFlightRequests(4, 1024);
    private final RecordingLink link = new RecordingLink();

    @Test
    void shouldReleaseARequestAndThoseBeforeItWhenAnswered()
    {
        send(1, 2, 3);
        assertTrue(inFlight.answered(2));
        assertEquals(1, inFlight.size(), "1 and 2 released");
        assertFalse(inFlight.answered(2), "a second answer to 2 is a duplicate");
        assertFalse(inFlight.answered(1));
        assertTrue(inFlight.answered(3));
        assertFalse(inFlight.answered(3));
        assertEquals(3, inFlight.duplicateAnswers());
        assertEquals(0, inFlight.size());
    }

    @Test
    void shouldSendEveryUnansweredRequestAgainInOrderToANewLeader()
    {
        send(1, 2, 3);
        inFlight.answered(1);
        inFlight.onNewLeader();
        assertFalse(inFlight.canSend(8), "nothing new goes ahead of what is to be sent again");
        assertTrue(inFlight.resend(link));
        assertEquals(List.of(2L, 3L), link.sent);
        assertEquals(2, inFlight.resends());
        assertTrue(inFlight.canSend(8));
    }

    @Test
    void shouldGoOnSendingAgainWhereTheLinkStopped()
    {
        send(1, 2, 3);
        inFlight.onNewLeader();
        link.acceptOnly = 1;
        assertFalse(inFlight.resend(link));
        assertEquals(List.of(1L), link.sent);
        // An answer to 1 meanwhile: what is left starts at 2.
        inFlight.answered(1);
        link.acceptOnly = Integer.MAX_VALUE;
        assertTrue(inFlight.resend(link));
        assertEquals(List.of(1L, 2L, 3L), link.sent);
    }

    @Test
    void shouldStartAgainFromTheOldestWhenTheLeaderChangesAgain()
    {
        send(1, 2);
        inFlight.onNewLeader();
        assertTrue(inFlight.resend(link));
        inFlight.onNewLeader();
        assertTrue(inFlight.resend(link));
        assertEquals(List.of(1L, 2L, 1L, 2L), link.sent);
    }

    @Test
    void shouldRefuseARequestPastItsBounds()
    {
        send(1, 2, 3, 4);
        assertFalse(inFlight.canSend(8), "four requests at most");
        inFlight.answered(4);
        assertTrue(inFlight.canSend(8));
        assertFalse(inFlight.canSend(2048), "more bytes than it may hold");
    }

    @Test
    void shouldKeepNothingToSendAgainWithoutRequestsInFlight()
    {
        inFlight.onNewLeader();
        assertTrue(inFlight.resend(link));
        assertTrue(link.sent.isEmpty());
    }

    private void send(final long... correlationIds)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[16]);
        for (final long correlationId : correlationIds)
        {
            assertTrue(inFlight.canSend(request.capacity()));
            request.putLong(0, correlationId);
            inFlight.sent(correlationId, request, 0, request.capacity());
        }
    }

    /**
     * Records the correlation id (the first 8 bytes) of each request offered; accepts a given number, then reports
     * back-pressure.
     */
    private static final class RecordingLink implements ClientLink
    {
        final List<Long> sent = new ArrayList<>();
        int acceptOnly = Integer.MAX_VALUE;

        public long offer(final DirectBuffer buffer, final int offset, final int length)
        {
            if (acceptOnly <= 0)
            {
                return Publication.BACK_PRESSURED;
            }
            acceptOnly--;
            sent.add(buffer.getLong(offset));
            return 1;
        }

        public int poll(final FragmentHandler handler, final int fragmentLimit)
        {
            return 0;
        }

        public boolean isConnected()
        {
            return true;
        }

        public boolean needsConnect()
        {
            return false;
        }

        public long leaderChanges()
        {
            return 0;
        }

        public int leaderMemberId()
        {
            return 0;
        }

        public String describe()
        {
            return "test link";
        }

        public String disconnectedReason()
        {
            return "";
        }

        public io.aeron.Aeron aeron()
        {
            throw new UnsupportedOperationException("no Aeron: this link records offers only");
        }

        public void close()
        {
        }
    }
}
