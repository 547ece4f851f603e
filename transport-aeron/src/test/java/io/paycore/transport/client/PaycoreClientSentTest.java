package io.paycore.transport.client;

import io.aeron.Publication;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PaycoreClient#sent(long)}: sent, try again, or the service is gone.
 */
class PaycoreClientSentTest
{
    @Test
    void shouldTellSentFromBackPressuredFromGone()
    {
        assertTrue(PaycoreClient.sent(1));
        assertTrue(PaycoreClient.sent(PaycoreClient.FIRST_QUERY_CORRELATION_ID));
        assertFalse(PaycoreClient.sent(Publication.BACK_PRESSURED));
        assertFalse(PaycoreClient.sent(Publication.ADMIN_ACTION));

        for (final long gone : new long[]{
            Publication.NOT_CONNECTED, Publication.CLOSED, Publication.MAX_POSITION_EXCEEDED })
        {
            final PaycoreClientException ex = assertThrows(PaycoreClientException.class, () -> PaycoreClient.sent(gone));
            assertTrue(ex.getMessage().startsWith("the service went away: offer returned "), ex.getMessage());
        }
    }
}
