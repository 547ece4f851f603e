package io.paycore.perf;

import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ByteBufferGetStatus;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The two embedded stores the cold tier could be built on, LMDB (lmdbjava) and RocksDB (rocksdbjni), on the cold
 * tier's own workload, in nanoseconds per transfer:
 * <ul>
 *     <li>{@code lookupExisting}: a batch of {@value #BATCH} point reads of ids the store holds, drawn uniformly
 *     from all of them, in one read transaction (the prefetch stage's read of the ids one journaled batch needs);</li>
 *     <li>{@code lookupMissing}: the same for ids the store does not hold, the common case: most transfers a
 *     payments core sees are new;</li>
 *     <li>{@code append}: a batch of {@value #BATCH} new transfers written in one transaction by the one writer,
 *     each as its record under its id plus an entry from its record number to its id, as the cold writer does.
 *     Nothing is forced: the cold tier is forced before a snapshot names its checkpoint, and the journal is what
 *     makes a transfer durable.</li>
 *     <li>{@code appendLarge}: the same in batches of {@value #LARGE_BATCH}.</li>
 * </ul>
 * Records are {@value #VALUE_BYTES} bytes under 8-byte keys. Ids are a 64-bit mix of a counter, so they arrive in
 * no order, as client-chosen ids do. The store holds {@link #records} transfers before measurement (a parameter);
 * {@code append} adds to it as it runs. Both stores run as the cold tier would, in two setups each (see
 * {@link #store}): LMDB without syncing commits and without read-ahead, integer keys, and optionally writing into
 * the map with each batch sorted; RocksDB with a bloom filter of 10 bits per key and a 256 MiB block cache, reads
 * through direct buffers, and optionally without the write-ahead log, with its point-lookup options and MultiGet.
 * The RocksDB jar is the linux64 one: this benchmark runs on Linux x86-64.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "-Xms1g", "-Xmx1g" })
@State(Scope.Thread)
public class ColdStoreBenchmark
{
    static final int BATCH = 100;
    static final int LARGE_BATCH = 10_000;
    static final int VALUE_BYTES = 96;
    static final int LOAD_BATCH = 10_000;

    /**
     * Which store and setup: {@code lmdb}; {@code lmdb-writemap} (writes into the map, each batch sorted by id);
     * {@code rocksdb}; {@code rocksdb-tuned} (no write-ahead log, the point-lookup options, a memtable bloom filter,
     * reads by MultiGet).
     */
    @Param({ "lmdb", "lmdb-writemap", "rocksdb", "rocksdb-tuned" })
    public String store;

    /**
     * Transfers in the store before measurement.
     */
    @Param({ "2000000" })
    public int records;

    private Candidate candidate;
    private Path directory;
    private long nextNumber;
    private long readCursor;
    private long missingCursor = 1L << 40;
    private final long[] ids = new long[LARGE_BATCH];
    private final ByteBuffer value = ByteBuffer.allocateDirect(VALUE_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * Open the store in a fresh directory and load {@link #records} transfers.
     *
     * @throws Exception if the store cannot be opened or written.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory("paycore-coldstore-");
        candidate = store.startsWith("lmdb") ?
            new LmdbCandidate(directory, "lmdb-writemap".equals(store)) :
            new RocksCandidate(directory, "rocksdb-tuned".equals(store));
        final long[] loadIds = new long[LOAD_BATCH];
        while (nextNumber < records)
        {
            final int count = (int)Math.min(LOAD_BATCH, records - nextNumber);
            for (int i = 0; i < count; i++)
            {
                loadIds[i] = idOf(nextNumber + i);
            }
            candidate.append(loadIds, count, nextNumber, value);
            nextNumber += count;
        }
    }

    /**
     * Close the store and delete its files.
     *
     * @throws IOException if the files cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        candidate.close();
        try (Stream<Path> paths = Files.walk(directory))
        {
            final List<Path> all = new ArrayList<>();
            paths.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (final Path path : all)
            {
                Files.delete(path);
            }
        }
    }

    /**
     * A batch of reads of held ids.
     *
     * @return the sum of one field of each record found, so that nothing is eliminated.
     * @throws Exception if the store fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long lookupExisting() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            // A multiplicative walk over [0, records): every held record, in no order.
            readCursor = (readCursor + 0x9E37_79B9L) % records;
            ids[i] = idOf(readCursor);
        }
        final long sum = candidate.lookup(ids, BATCH, value);
        if (sum == 0)
        {
            throw new IllegalStateException("no held id was found: the store is broken");
        }
        return sum;
    }

    /**
     * A batch of reads of ids the store does not hold.
     *
     * @return the sum of one field of each record found (0), so that nothing is eliminated.
     * @throws Exception if the store fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long lookupMissing() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            ids[i] = idOf(missingCursor++);
        }
        return candidate.lookup(ids, BATCH, value);
    }

    /**
     * A batch of new transfers in one write transaction.
     *
     * @return the next record number, so that nothing is eliminated.
     * @throws Exception if the store fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long append() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            ids[i] = idOf(nextNumber + i);
        }
        candidate.append(ids, BATCH, nextNumber, value);
        nextNumber += BATCH;
        return nextNumber;
    }

    /**
     * A batch of {@value #LARGE_BATCH} new transfers in one write transaction: what the writer sees each time it
     * wakes when transfers arrive at a million a second and it commits every 10 ms.
     *
     * @return the next record number, so that nothing is eliminated.
     * @throws Exception if the store fails.
     */
    @Benchmark
    @OperationsPerInvocation(LARGE_BATCH)
    public long appendLarge() throws Exception
    {
        for (int i = 0; i < LARGE_BATCH; i++)
        {
            ids[i] = idOf(nextNumber + i);
        }
        candidate.append(ids, LARGE_BATCH, nextNumber, value);
        nextNumber += LARGE_BATCH;
        return nextNumber;
    }

    /**
     * The id of the transfer with a record number: a bijective 64-bit mix (so distinct numbers give distinct ids),
     * never 0 for a number of at least 1 below 2^40 in practice, and in no order.
     */
    static long idOf(final long number)
    {
        long z = number + 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    interface Candidate extends AutoCloseable
    {
        void append(long[] ids, int count, long firstNumber, ByteBuffer value) throws Exception;

        long lookup(long[] ids, int count, ByteBuffer value) throws Exception;

        void close();
    }

    static final class LmdbCandidate implements Candidate
    {
        private static final long MAP_SIZE_BYTES = 64L << 30;

        private final Env<ByteBuffer> env;
        private final Dbi<ByteBuffer> transfers;
        private final Dbi<ByteBuffer> numbers;
        private final Txn<ByteBuffer> readTxn;
        private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        private final ByteBuffer numberKey = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        private final ByteBuffer idValue = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());

        private final boolean sorted;
        private final long[] sortedIds = new long[LOAD_BATCH];

        LmdbCandidate(final Path directory, final boolean writeMap)
        {
            sorted = writeMap;
            final EnvFlags[] flags = writeMap ?
                new EnvFlags[]{ EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC, EnvFlags.MDB_NORDAHEAD,
                    EnvFlags.MDB_NOTLS, EnvFlags.MDB_WRITEMAP } :
                new EnvFlags[]{ EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC, EnvFlags.MDB_NORDAHEAD,
                    EnvFlags.MDB_NOTLS };
            env = Env.create()
                .setMapSize(MAP_SIZE_BYTES)
                .setMaxDbs(2)
                .open(directory.toFile(), flags);
            transfers = env.openDbi("transfers", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
            numbers = env.openDbi("numbers", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
            readTxn = env.txnRead();
            readTxn.reset();
        }

        public void append(final long[] unsortedIds, final int count, final long firstNumber, final ByteBuffer value)
        {
            long[] ids = unsortedIds;
            if (sorted)
            {
                // Unsigned, as integer keys compare: neighbouring inserts then share pages.
                System.arraycopy(unsortedIds, 0, sortedIds, 0, count);
                for (int i = 0; i < count; i++)
                {
                    sortedIds[i] ^= Long.MIN_VALUE;
                }
                java.util.Arrays.sort(sortedIds, 0, count);
                for (int i = 0; i < count; i++)
                {
                    sortedIds[i] ^= Long.MIN_VALUE;
                }
                ids = sortedIds;
            }
            try (Txn<ByteBuffer> txn = env.txnWrite())
            {
                for (int i = 0; i < count; i++)
                {
                    key.clear();
                    key.putLong(0, ids[i]);
                    value.clear();
                    value.putLong(0, ids[i]);
                    value.putLong(8, firstNumber + i);
                    transfers.put(txn, key, value);

                    numberKey.clear();
                    numberKey.putLong(0, firstNumber + i);
                    idValue.clear();
                    idValue.putLong(0, ids[i]);
                    numbers.put(txn, numberKey, idValue, PutFlags.MDB_APPEND);
                }
                txn.commit();
            }
        }

        public long lookup(final long[] ids, final int count, final ByteBuffer value)
        {
            long sum = 0;
            readTxn.renew();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    key.clear();
                    key.putLong(0, ids[i]);
                    final ByteBuffer found = transfers.get(readTxn, key);
                    if (found != null)
                    {
                        sum += found.order(ByteOrder.LITTLE_ENDIAN).getLong(8) + 1;
                    }
                }
            }
            finally
            {
                readTxn.reset();
            }
            return sum;
        }

        public void close()
        {
            readTxn.close();
            env.close();
        }
    }

    static final class RocksCandidate implements Candidate
    {
        static
        {
            RocksDB.loadLibrary();
        }

        private final List<AutoCloseable> resources = new ArrayList<>();
        private final RocksDB db;
        private final ColumnFamilyHandle transfers;
        private final ColumnFamilyHandle numbers;
        private final WriteOptions writeOptions = new WriteOptions();
        private final ReadOptions readOptions = new ReadOptions();
        private final WriteBatch batch = new WriteBatch();
        private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
        private final ByteBuffer numberKey = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
        private final ByteBuffer idValue = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);

        private final boolean tuned;
        private final List<ColumnFamilyHandle> multiGetFamilies = new ArrayList<>();
        private final List<ByteBuffer> multiGetKeys = new ArrayList<>();
        private final List<ByteBuffer> multiGetValues = new ArrayList<>();

        RocksCandidate(final Path directory, final boolean tuned) throws RocksDBException
        {
            this.tuned = tuned;
            final LRUCache cache = new LRUCache(256L << 20);
            final BloomFilter bloom = new BloomFilter(10);
            final BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(bloom)
                .setCacheIndexAndFilterBlocks(false);
            final ColumnFamilyOptions transferOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(table);
            if (tuned)
            {
                transferOptions.optimizeForPointLookup(256)
                    .setMemtablePrefixBloomSizeRatio(0.1)
                    .setMemtableWholeKeyFiltering(true);
                writeOptions.setDisableWAL(true);
                for (int i = 0; i < BATCH; i++)
                {
                    multiGetKeys.add(ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN));
                    multiGetValues.add(ByteBuffer.allocateDirect(VALUE_BYTES).order(ByteOrder.LITTLE_ENDIAN));
                }
            }
            final ColumnFamilyOptions numberOptions = new ColumnFamilyOptions();
            final DBOptions options = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true);
            final List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, numberOptions),
                new ColumnFamilyDescriptor("transfers".getBytes(), transferOptions),
                new ColumnFamilyDescriptor("numbers".getBytes(), numberOptions));
            final List<ColumnFamilyHandle> handles = new ArrayList<>();
            db = RocksDB.open(options, directory.toString(), descriptors, handles);
            transfers = handles.get(1);
            numbers = handles.get(2);
            for (int i = 0; i < BATCH; i++)
            {
                multiGetFamilies.add(transfers);
            }
            resources.addAll(handles);
            resources.add(db);
            resources.add(options);
            resources.add(numberOptions);
            resources.add(transferOptions);
            resources.add(bloom);
            resources.add(cache);
        }

        public void append(final long[] ids, final int count, final long firstNumber, final ByteBuffer value)
            throws RocksDBException
        {
            batch.clear();
            for (int i = 0; i < count; i++)
            {
                key.clear();
                key.putLong(0, ids[i]);
                value.clear();
                value.putLong(0, ids[i]);
                value.putLong(8, firstNumber + i);
                batch.put(transfers, key, value);

                numberKey.clear();
                numberKey.putLong(0, firstNumber + i);
                idValue.clear();
                idValue.putLong(0, ids[i]);
                batch.put(numbers, numberKey, idValue);
            }
            db.write(writeOptions, batch);
        }

        public long lookup(final long[] ids, final int count, final ByteBuffer value) throws RocksDBException
        {
            long sum = 0;
            if (tuned && count == BATCH)
            {
                for (int i = 0; i < count; i++)
                {
                    multiGetKeys.get(i).clear().putLong(0, ids[i]);
                    multiGetValues.get(i).clear();
                }
                final List<ByteBufferGetStatus> found =
                    db.multiGetByteBuffers(readOptions, multiGetFamilies, multiGetKeys, multiGetValues);
                for (int i = 0; i < count; i++)
                {
                    if (found.get(i).status.getCode() == Status.Code.Ok)
                    {
                        sum += found.get(i).value.getLong(8) + 1;
                    }
                }
                return sum;
            }
            for (int i = 0; i < count; i++)
            {
                key.clear();
                key.putLong(0, ids[i]);
                value.clear();
                final int length = db.get(transfers, readOptions, key, value);
                if (length != RocksDB.NOT_FOUND)
                {
                    sum += value.getLong(8) + 1;
                }
            }
            return sum;
        }

        public void close()
        {
            batch.close();
            writeOptions.close();
            readOptions.close();
            for (final AutoCloseable resource : resources)
            {
                try
                {
                    resource.close();
                }
                catch (final Exception ignore)
                {
                    // closing is best effort at the end of a trial
                }
            }
        }
    }
}
