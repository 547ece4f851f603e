package io.paycore.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot file of another store format version must be refused as such, naming the version found and the one
 * read, as the README promises ("a damaged, truncated or wrong-version snapshot is refused with a message saying
 * what is wrong"). {@link SnapshotStore} checked the header's checksum before its magic and version, so a file of a
 * later format whose header is laid out differently (its checksum elsewhere) was reported as "snapshot header
 * checksum mismatch": an operator who rolled back a build is told the newest snapshots are damaged, not that they
 * are of a newer format. And the message for a version it could read the header of named neither version.
 * Recovery falls back either way (safe), but the cause is misreported.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SnapshotStoreVersionTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNameTheVersionOfASnapshotOfANewerFormatRatherThanCallItDamaged() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir);
        final Path file = write(store, 100);
        // A later format: the same magic, version 2, and a header laid out otherwise (no CRC at offset 60).
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(4, SnapshotStore.VERSION + 1);
        header.putInt(SnapshotStore.HEADER_CHECKSUM_OFFSET, 0x12345678);
        Files.write(file, bytes);

        final JournalException ex = assertThrows(JournalException.class, () -> SnapshotStore.open(file));
        assertFalse(ex.getMessage().contains("checksum"), ex.getMessage());
        assertTrue(ex.getMessage().contains("version " + (SnapshotStore.VERSION + 1)), ex.getMessage());

        final List<String> skipped = new ArrayList<>();
        assertNull(store.loadLatest(skipped));
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains("version " + (SnapshotStore.VERSION + 1)), skipped.toString());
    }

    @Test
    void shouldNameBothVersionsWhenTheHeaderOfAnotherVersionChecksOut() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir);
        final Path file = write(store, 200);
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(4, SnapshotStore.VERSION + 1);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, SnapshotStore.HEADER_CHECKSUM_OFFSET);
        header.putInt(SnapshotStore.HEADER_CHECKSUM_OFFSET, (int)crc.getValue());
        Files.write(file, bytes);

        final JournalException ex = assertThrows(JournalException.class, () -> SnapshotStore.open(file));
        assertTrue(ex.getMessage().contains("version " + (SnapshotStore.VERSION + 1)), ex.getMessage());
        assertTrue(ex.getMessage().contains("expected " + SnapshotStore.VERSION + ")"), ex.getMessage());
    }

    private static Path write(final SnapshotStore store, final long sequence) throws Exception
    {
        try (SnapshotWriter writer = store.newSnapshot(sequence))
        {
            writer.write(ByteBuffer.wrap(new byte[]{ 1, 2, 3, 4, 5 }));
            return writer.commit();
        }
    }
}
