package io.paycore.replay;

import io.paycore.core.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapshotTakerTest
{
    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();

    /**
     * At one byte a second a snapshot point would write for hours: only a hurry lets it finish, while a snapshot taken
     * with {@link SnapshotTaker#take} (the shutdown's) is never paced.
     */
    @Test
    void shouldPaceOnlySnapshotPointsAndFinishThemWhenHurried()
    {
        final DataDirectory dir = new DataDirectory(temp.resolve("data"));
        final Ledger ledger = TestDays.writeDay(dir, 20, null, 0, 3);
        final SnapshotTaker taker = new SnapshotTaker(dir.snapshotDirectory(), 3, errors::add).pace(1);
        assertEquals(1, taker.paceBytesPerSecond());

        taker.take(ledger, 7);
        assertEquals(1, taker.snapshotsTaken());

        final Thread hurrier = new Thread(() ->
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            taker.hurry();
        });
        hurrier.start();
        taker.onSnapshotPoint(ledger, 9);
        assertEquals(2, taker.snapshotsTaken());
        assertEquals(9, taker.lastSequence());
        assertTrue(errors.isEmpty(), errors::toString);

        assertThrows(IllegalArgumentException.class, () -> taker.pace(-1));
    }
}
