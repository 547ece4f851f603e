package io.paycore.core.cold;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmdbColdStoreTest
{
    /** Longs in a version 1 ledger record (main's {@code Ledger.RECORD_LONGS}). */
    private static final int V1_RECORD_LONGS = 10;
    /** A version 1 stored value: the record, then the resolving record's number and state. */
    private static final int V1_VALUE_LONGS = V1_RECORD_LONGS + 2;
    private static final long V1_WRITTEN_KEY = 1;

    @TempDir
    Path directory;

    /**
     * A sync that failed in close skipped {@code env.close()}: the environment, its map and file handles stayed open
     * (a reader could still be made), and every later close tried the sync again.
     */
    @Test
    void shouldCloseTheEnvironmentEvenWhenTheSyncOnCloseFails()
    {
        final LmdbColdStore store = new LmdbColdStore(directory, 64L << 20);
        final ColdTierException failure = new ColdTierException("sync failed");
        final int[] syncs = new int[1];
        store.syncOnClose = (env) ->
        {
            syncs[0]++;
            throw failure;
        };

        assertEquals(failure, assertThrows(ColdTierException.class, store::close), "the sync's failure is rethrown");

        assertThrows(RuntimeException.class, store::reader, "the environment is closed");
        store.close();
        assertEquals(1, syncs[0], "a second close does nothing");
    }

    @Test
    void shouldRefuseByNameAVersion1StoreHoldingTransfers()
    {
        writeVersion1Store(directory, 3);

        final ColdTierException writable = assertThrows(
            ColdTierException.class, () -> new LmdbColdStore(directory, 64L << 20).close());
        assertRefusesVersion1(writable);

        final ColdTierException readOnly = assertThrows(
            ColdTierException.class, () -> LmdbColdStore.openReadOnly(directory).close());
        assertRefusesVersion1(readOnly);
    }

    @Test
    void shouldRefuseByNameAVersion1StoreWhoseCountWasNeverWritten()
    {
        // Transfers but no count: still a version 1 layout, not an empty store.
        writeVersion1Store(directory, 0);

        assertRefusesVersion1(assertThrows(
            ColdTierException.class, () -> new LmdbColdStore(directory, 64L << 20).close()));
    }

    @Test
    void shouldRefuseByNameAStoreOfSixteenByteKeysWithoutALayoutMark()
    {
        writeSixteenByteKeyStore(directory, 0);

        final String message = assertThrows(
            ColdTierException.class, () -> new LmdbColdStore(directory, 64L << 20).close()).getMessage();
        assertTrue(message.contains("no layout mark"), message);
        assertTrue(message.contains("protocol version 1"), message);
        assertTrue(message.contains("start this one on a new data directory"), message);
        assertFalse(message.contains("replaying the journal"), message);
    }

    @Test
    void shouldRefuseByNameAStoreOfAnotherLayoutMark()
    {
        writeSixteenByteKeyStore(directory, 3);

        final String message = assertThrows(
            ColdTierException.class, () -> new LmdbColdStore(directory, 64L << 20).close()).getMessage();
        assertTrue(message.contains("has layout mark 3"), message);
        assertTrue(message.contains("reads layout 2"), message);
        assertTrue(message.contains("read it with the release that wrote it"), message);
    }

    @Test
    void shouldOpenAnEmptyStoreAndOneItWrote()
    {
        try (LmdbColdStore store = new LmdbColdStore(directory, 64L << 20))
        {
            assertEquals(0, store.openedWithRecords());
        }
        try (LmdbColdStore store = new LmdbColdStore(directory, 64L << 20))
        {
            assertEquals(0, store.openedWithRecords());
        }
    }

    /**
     * LMDB maps its whole size into the address space at open, so a {@code --cold-tier-size} larger than the room
     * left there ({@code 99999g} here, under 128 TiB of user space) stopped {@code serve} with {@code cannot open the
     * cold tier in DIR/cold: Platform constant error code: ENOMEM Cannot allocate memory (12)}: no word of the option
     * that caused it, and free memory was not what was short. The message now says so.
     */
    @Test
    void shouldNameTheSizeWhenTheTierDoesNotFitTheAddressSpace()
    {
        final ColdTierException ex = assertThrows(ColdTierException.class,
            () -> new LmdbColdStore(directory, 200L << 40).close());

        final String message = ex.getMessage();
        assertTrue(message.contains("ENOMEM"), message);
        assertTrue(message.contains("--cold-tier-size"), message);
        assertTrue(message.contains("address space"), message);
    }

    private static void assertRefusesVersion1(final ColdTierException ex)
    {
        final String message = ex.getMessage();
        assertTrue(message.contains("protocol version 1"), message);
        assertTrue(message.contains("8-byte"), message);
        assertTrue(message.contains("release that wrote it"), message);
        assertTrue(message.contains("new data directory"), message);
        assertFalse(message.contains("replaying the journal"), message);
    }

    /** A store of version 2's key layout holding one transfer, with the layout mark given (0: none). */
    private static void writeSixteenByteKeyStore(final Path directory, final long format)
    {
        LmdbNativeLibrary.extractInto(directory);
        try (Env<ByteBuffer> env = Env.create().setMapSize(16L << 20).setMaxDbs(2).open(directory.toFile()))
        {
            final Dbi<ByteBuffer> transfers = env.openDbi("transfers", DbiFlags.MDB_CREATE);
            final Dbi<ByteBuffer> meta = env.openDbi("meta", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
            final ByteBuffer key = ByteBuffer.allocateDirect(LmdbColdStore.KEY_BYTES).order(ByteOrder.BIG_ENDIAN);
            final ByteBuffer metaKey = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
            final ByteBuffer value =
                ByteBuffer.allocateDirect(LmdbColdStore.VALUE_LONGS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            try (Txn<ByteBuffer> txn = env.txnWrite())
            {
                key.putLong(0, 0).putLong(Long.BYTES, 1);
                transfers.put(txn, key, value);
                metaKey.putLong(0, V1_WRITTEN_KEY);
                value.clear();
                value.putLong(0, 1).limit(Long.BYTES);
                meta.put(txn, metaKey, value);
                if (0 != format)
                {
                    metaKey.clear();
                    metaKey.putLong(0, 2);
                    value.clear();
                    value.putLong(0, format).limit(Long.BYTES);
                    meta.put(txn, metaKey, value);
                }
                txn.commit();
            }
        }
    }

    /**
     * A cold tier as version 1 wrote it (main's {@code LmdbColdStore}): transfers under 8-byte native-order ids in a
     * table created with {@code MDB_INTEGERKEY}, values of {@value #V1_VALUE_LONGS} little-endian longs, and a meta
     * table holding the count of records written and no layout marker.
     */
    private static void writeVersion1Store(final Path directory, final long writtenRecords)
    {
        LmdbNativeLibrary.extractInto(directory);
        try (Env<ByteBuffer> env = Env.create().setMapSize(16L << 20).setMaxDbs(2).open(directory.toFile()))
        {
            final Dbi<ByteBuffer> transfers = env.openDbi("transfers", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
            final Dbi<ByteBuffer> meta = env.openDbi("meta", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
            final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
            final ByteBuffer value =
                ByteBuffer.allocateDirect(V1_VALUE_LONGS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            try (Txn<ByteBuffer> txn = env.txnWrite())
            {
                for (long id = 1; id <= 3; id++)
                {
                    key.clear();
                    key.putLong(0, id);
                    value.clear();
                    for (int k = 0; k < V1_RECORD_LONGS; k++)
                    {
                        value.putLong(k * Long.BYTES, 0 == k ? id : 0);
                    }
                    value.putLong(V1_RECORD_LONGS * Long.BYTES, -1);
                    value.putLong((V1_RECORD_LONGS + 1) * Long.BYTES, 0);
                    transfers.put(txn, key, value);
                }
                if (writtenRecords > 0)
                {
                    key.clear();
                    key.putLong(0, V1_WRITTEN_KEY);
                    value.clear();
                    value.putLong(0, writtenRecords);
                    value.limit(Long.BYTES);
                    meta.put(txn, key, value);
                }
                txn.commit();
            }
        }
    }
}
