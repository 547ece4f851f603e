package io.paycore.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProtocolLimitsTest
{
    @Test
    void shouldStateTheSchemaLimits()
    {
        assertEquals(1024, ProtocolLimits.MAX_BATCH_EVENTS);
        assertEquals(1024, ProtocolLimits.MAX_VAR_DATA_LENGTH);
    }

    @Test
    void shouldSizeTheLargestIngressMessageAsTheLongestCreateTransfersOrCreateAccounts()
    {
        assertEquals(8 + 8 + 4 + 1024 * 128, ProtocolLimits.MAX_MESSAGE_LENGTH);
        assertEquals(131_092, ProtocolLimits.MAX_MESSAGE_LENGTH);
        assertEquals(Frames.createTransfers(1, 1024).length, ProtocolLimits.MAX_MESSAGE_LENGTH);
        assertEquals(Frames.createAccounts(1, 1024).length, ProtocolLimits.MAX_MESSAGE_LENGTH);
    }

    @Test
    void shouldSizeTheLargestEgressMessageAsTheLongestTransfersOrAccounts()
    {
        assertEquals(8 + 8 + 4 + 1024 * 128, ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);
        assertEquals(Frames.transfers(1, 1024).length, ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);
        assertEquals(
            Frames.accounts(1, 1024, Frames.values(1)).length, ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH);
    }

    @Test
    void shouldSizeTheLargestIngressMessageForALowerBatchLimit()
    {
        final int longestConnect = Frames.connect(1, Frames.ascii(1024, 'a'), Frames.ascii(1024, 'b')).length;

        assertEquals(longestConnect, ProtocolLimits.maxMessageLength(1));
        assertEquals(Frames.createTransfers(1, 100).length, ProtocolLimits.maxMessageLength(100));
        assertEquals(ProtocolLimits.MAX_MESSAGE_LENGTH, ProtocolLimits.maxMessageLength(1024));
    }

    @Test
    void shouldRefuseBatchLimitsOutsideTheProtocol()
    {
        assertThrows(IllegalArgumentException.class, () -> ProtocolLimits.maxMessageLength(0));
        assertThrows(IllegalArgumentException.class, () -> ProtocolLimits.maxMessageLength(1025));
    }
}
