package io.paycore.transport.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A cluster client's bounds are checked when the context is concluded, naming their properties.
 */
class ClientContextTest
{
    @Test
    void shouldDefaultTheSilenceBeforeANewSessionAndRefuseOneThatIsNotPositive()
    {
        assertEquals(TimeUnit.SECONDS.toNanos(10), clusterContext().conclude().clusterReconnectAfterNanos());

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> clusterContext().clusterReconnectAfterNanos(0).conclude());
        assertEquals("reconnect-after silence (paycore.client.cluster.reconnect.after) must be positive: 0 ns",
            ex.getMessage());
    }

    private static ClientContext clusterContext()
    {
        return new ClientContext()
            .clusterIngressEndpoints("0=localhost:20002,1=localhost:20012,2=localhost:20022")
            .clientId(1)
            .secret("client-context-test-secret");
    }
}
