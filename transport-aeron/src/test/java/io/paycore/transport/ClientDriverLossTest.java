package io.paycore.transport;

import io.paycore.core.ledger.AccountEventArray;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose media driver goes away (here: the service's embedded driver, closed with the service) must not end
 * the application's JVM, as Aeron's default error handler would: it reports itself disconnected and its calls fail
 * with the reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientDriverLossTest
{
    @TempDir
    Path dir;

    private TestService service;
    private PaycoreClient client;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(client, service);
    }

    @Test
    void shouldReportTheLostDriverWithoutEndingTheJvm() throws Exception
    {
        service = new TestService(dir, false, (context) -> {});
        client = PaycoreClient.connect(service.clientContext(TestService.CLIENT_A, TestService.SECRET_A));
        assertTrue(client.isConnected());

        service.close();
        // Aeron's client finds its driver shut down within about a second; its default handler would exit here.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "the client noticed the driver going");
            Thread.sleep(10);
        }
        Thread.sleep(2_000);

        assertFalse(client.isConnected());
        final AccountEventArray accounts = new AccountEventArray(1);
        accounts.add(1, 0, 1, 1, 0);
        final PaycoreClientException ex = assertThrows(PaycoreClientException.class,
            () -> client.createAccountsAndWait(accounts, Duration.ofSeconds(2)));
        assertTrue(ex.getMessage().contains("paycore service"), ex.getMessage());
    }
}
