package io.paycore.transport;

import io.paycore.codec.sbe.ConnectStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of 2026-12-07: {@link ClientCredentials#verify} says it takes as long for an unknown client as for a known
 * one, and a cluster's refusal carries no reason, so only the time could tell which client ids exist. An unknown id
 * is checked against a decoy with the file's most rounds; a listed client whose line has fewer (made with
 * {@code clients add --iterations N}, or before a default changed) was answered in the time of its own rounds, far
 * sooner, so a wrong secret's refusal named it as listed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCredentialsTimingReviewTest
{
    private static final int FEW = 1;
    private static final int MANY = 200_000;

    @Test
    void shouldTakeAsLongForAListedClientWithFewerRoundsAsForAnUnknownOne()
    {
        final ClientCredentials credentials = ClientCredentials.parse(List.of(
            ClientCredentials.line(1, "client-one-secret-0001", FEW),
            ClientCredentials.line(2, "client-two-secret-0002", MANY)), "clients");

        long listedNanos = Long.MAX_VALUE;
        long unknownNanos = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            final long start = System.nanoTime();
            assertEquals(ConnectStatus.BAD_CREDENTIAL, credentials.verify(1, "a-guess-at-the-secret"));
            final long middle = System.nanoTime();
            assertEquals(ConnectStatus.UNKNOWN_CLIENT, credentials.verify(99, "a-guess-at-the-secret"));
            final long end = System.nanoTime();
            listedNanos = Math.min(listedNanos, middle - start);
            unknownNanos = Math.min(unknownNanos, end - middle);
        }

        assertTrue(listedNanos * 4 >= unknownNanos, "a wrong secret of listed client 1 was refused in " +
            TimeUnit.NANOSECONDS.toMicros(listedNanos) + " us, an unknown client in " +
            TimeUnit.NANOSECONDS.toMicros(unknownNanos) + " us: the time tells which ids are listed");
        assertEquals(ConnectStatus.OK, credentials.verify(1, "client-one-secret-0001"));
        assertEquals(ConnectStatus.OK, credentials.verify(2, "client-two-secret-0002"));
    }
}
