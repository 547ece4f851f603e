package io.paycore.core.cold;

import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.UInt128;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The cold tier's store: an LMDB environment (lmdbjava) in a directory of its own, holding every transfer a ledger
 * sealed, under its id, with the state it was sealed in and its later resolution, if any; and how many records it
 * holds.
 * <p>
 * Each key is a transfer's 128-bit id in {@value #KEY_BYTES} bytes, big-endian, the high half first, so that LMDB's
 * byte-wise key order is the ids' numeric (unsigned) order: the last key is the highest id, and ids that only grow
 * append. Each value is {@value #VALUE_LONGS} longs, little-endian: the record as sealed ({@link Ledger#RECORD_LONGS}
 * longs), then the number of the record that resolved a pending transfer after it was sealed (-1 for none) and the
 * state it resolved to. A store opened not {@code durable} forces nothing when it commits ({@code MDB_NOSYNC}): a
 * process crash loses nothing, but a power loss may lose or damage what was written since the last {@link #force()}. A
 * {@code durable} store forces its data at each commit and its meta page lazily ({@code MDB_NOMETASYNC}): a power loss
 * may undo the last commits, never damage the store. Either way {@link #force()} forces everything written, which must
 * happen before a snapshot names the store's records as written. The environment's map size bounds its size on disk: a
 * write that finds it full fails with {@link ColdTierFullException} and keeps nothing; any other failure of the store
 * fails with a {@link ColdTierException}, and keeps nothing either.
 * <p>
 * One thread writes ({@link #write}); one thread reads through {@link Reader}s of its own: LMDB readers do not
 * block the writer.
 */
final class LmdbColdStore implements AutoCloseable
{
    static final int VALUE_LONGS = Ledger.RECORD_LONGS + 2;
    static final int KEY_BYTES = 2 * Long.BYTES;

    private static final int RESOLVED_AT = Ledger.RECORD_LONGS;
    private static final int RESOLVED_STATE = Ledger.RECORD_LONGS + 1;
    private static final long WRITTEN_KEY = 1;
    /** Meta key of the layout of the transfers' keys and values, {@link #FORMAT}. */
    private static final long FORMAT_KEY = 2;
    /** 16-byte big-endian keys, values of 18 + 2 longs (protocol v2). A store without it holds no transfer. */
    private static final long FORMAT = 2;
    /** Meta key of the hot window of the ledger whose records the store numbers by; none before 2026-12-07. */
    private static final long HOT_WINDOW_KEY = 3;
    private static final PutFlags[] NO_PUT_FLAGS = null;
    /** The errno LMDB's open returns when its map does not fit the address space. */
    private static final int ENOMEM = 12;
    /** The option every command sizes a tier with, and serve's property for it: what a full store's message names. */
    private static final String COLD_TIER_SIZE_PROP_NAME = "paycore.cold.tier.size.bytes";
    /** Free space on the store's disk below which a failed write is said to have found the disk full. */
    private static final long DISK_FULL_BELOW_BYTES = 1L << 20;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> transfers;
    private final Dbi<ByteBuffer> meta;
    private long highestIdHi;
    private long highestIdLo;
    // A sequence lock: odd while the writer changes the pair, so that a reader sees both halves of one commit.
    private volatile long committedHighestIdSequence;
    private volatile long committedHighestIdHi;
    private volatile long committedHighestIdLo;
    private final long mapSizeBytes;
    private final Path directory;
    private final boolean readOnly;
    private final ByteBuffer key = ByteBuffer.allocateDirect(KEY_BYTES).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer metaKey = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer value = ByteBuffer.allocateDirect(VALUE_LONGS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final long[] record = new long[Ledger.RECORD_LONGS];
    private final long[] baseValue = new long[VALUE_LONGS];
    private final long openedWithRecords;
    /** Forces the environment to disk in {@link #close()}; replaced only by tests, to make that sync fail. */
    Consumer<Env<ByteBuffer>> syncOnClose = (environment) -> environment.sync(true);

    LmdbColdStore(final Path directory, final long mapSizeBytes)
    {
        this(directory, mapSizeBytes, false, false);
    }

    /**
     * @param directory    of the environment; created if missing, unless read only.
     * @param mapSizeBytes the most the store may take on disk.
     * @param durable      force data at each commit (see the class comment).
     * @param readOnly     open an existing store for reading only: {@link #write} and {@link #truncate} fail.
     * @throws ColdTierException if the environment cannot be opened, or a read-only one holds no cold tier.
     */
    LmdbColdStore(final Path directory, final long mapSizeBytes, final boolean durable, final boolean readOnly)
    {
        this.mapSizeBytes = mapSizeBytes;
        this.directory = directory;
        this.readOnly = readOnly;
        try
        {
            if (readOnly && !Files.isRegularFile(directory.resolve("data.mdb")))
            {
                throw new ColdTierException("no cold tier in " + directory + " (no data.mdb)");
            }
            Files.createDirectories(directory);
            if (!readOnly)
            {
                LmdbNativeLibrary.extractInto(directory);
            }
            env = Env.create()
                .setMapSize(mapSizeBytes)
                .setMaxDbs(2)
                .setMaxReaders(16)
                .open(directory.toFile(), readOnly ? readOnlyFlags(directory) :
                    new EnvFlags[] { durable ? EnvFlags.MDB_NOMETASYNC : EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NORDAHEAD,
                        EnvFlags.MDB_NOTLS });
        }
        catch (final IOException | LmdbException ex)
        {
            throw new ColdTierException("cannot open the cold tier in " + directory + ": " + ex.getMessage() +
                (ex instanceof LmdbNativeException failure && ENOMEM == failure.getResultCode() ?
                "; LMDB maps the tier's whole size (" + mapSizeBytes + " bytes, --cold-tier-size) into the " +
                "process's address space, which has no room for that much: give a smaller --cold-tier-size" : ""), ex);
        }
        try
        {
            // Keys are compared byte by byte: big-endian (hi, lo) is the numeric order.
            transfers = readOnly ? env.openDbi("transfers") : env.openDbi("transfers", DbiFlags.MDB_CREATE);
            meta = readOnly ? env.openDbi("meta", DbiFlags.MDB_INTEGERKEY) :
                env.openDbi("meta", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
        }
        catch (final LmdbException ex)
        {
            env.close();
            throw new ColdTierException("cannot open the cold tier in " + directory + ": " + ex.getMessage(), ex);
        }
        final String refusal;
        try (Txn<ByteBuffer> txn = env.txnRead())
        {
            openedWithRecords = writtenRecords(txn);
            // The layout is checked before any key is read: a version 1 tier's keys are 8 bytes.
            final boolean integerKeys = transfers.listFlags(txn).contains(DbiFlags.MDB_INTEGERKEY);
            final long format = metaLong(txn, FORMAT_KEY);
            try (Cursor<ByteBuffer> cursor = transfers.openCursor(txn))
            {
                final boolean holdsTransfers = cursor.last();
                final int lastKeyBytes = holdsTransfers ? cursor.key().remaining() : KEY_BYTES;
                refusal = layoutRefusal(directory, integerKeys, format, holdsTransfers, lastKeyBytes);
                if (null == refusal && holdsTransfers)
                {
                    final ByteBuffer last = cursor.key().order(ByteOrder.BIG_ENDIAN);
                    highestIdHi = last.getLong(0);
                    highestIdLo = last.getLong(Long.BYTES);
                }
            }
        }
        if (null != refusal)
        {
            env.close();
            throw new ColdTierException(refusal);
        }
        publishHighestId();
    }

    /**
     * Why a store cannot be read with this layout, or null if it can. A version 1 tier (8-byte keys in a table
     * created with {@code MDB_INTEGERKEY}, which LMDB keeps, and no layout mark) cannot be rebuilt either: this
     * paycore does not replay the version 1 journal beside it.
     */
    private String layoutRefusal(
        final Path directory,
        final boolean integerKeys,
        final long format,
        final boolean holdsTransfers,
        final int lastKeyBytes)
    {
        final String found;
        boolean version1 = false;
        if (integerKeys)
        {
            found = "was written by protocol version 1 (8-byte integer keys, no layout mark; " + openedWithRecords +
                " records written)";
            version1 = true;
        }
        else if (0 != format && FORMAT != format)
        {
            found = "has layout mark " + format;
        }
        else if (0 == format && (holdsTransfers || openedWithRecords > 0))
        {
            found = "holds transfers (" + openedWithRecords + " records written) but no layout mark, as protocol " +
                "version 1 wrote it";
            version1 = true;
        }
        else if (KEY_BYTES != lastKeyBytes)
        {
            found = "holds a key of " + lastKeyBytes + " bytes";
        }
        else
        {
            return null;
        }
        return "the cold tier in " + directory + " " + found + ": this paycore reads layout " + FORMAT + " (" +
            KEY_BYTES + "-byte keys, 128-bit ids: protocol version 2)" +
            (version1 ? ", and cannot rebuild the tier from the version 1 journal beside it (it applies version 2 " +
                "messages and later)" : "") +
            "; read it with the release that wrote it, and start this one on a new data directory";
    }

    private void publishHighestId()
    {
        final long sequence = committedHighestIdSequence;
        committedHighestIdSequence = sequence + 1;
        committedHighestIdHi = highestIdHi;
        committedHighestIdLo = highestIdLo;
        committedHighestIdSequence = sequence + 2;
    }

    /**
     * The highest id (unsigned) among the transfers the store held at its last commit, or higher: a reader that
     * read this after it learned that the store held some records knows that no larger id is among them. Any
     * thread.
     *
     * @param into where the highest id goes: its high half at 0, its low half at 1; (0, 0) for none.
     */
    void copyHighestIdNow(final long[] into)
    {
        long sequence;
        long hi;
        long lo;
        do
        {
            sequence = committedHighestIdSequence;
            hi = committedHighestIdHi;
            lo = committedHighestIdLo;
        }
        while ((sequence & 1) != 0 || sequence != committedHighestIdSequence);
        into[0] = hi;
        into[1] = lo;
    }

    /**
     * A store read only takes LMDB's lock file to read safely beside a writer that has the environment open, which
     * always has that file. Without one (a copy, a backup) no process has it open, and LMDB would create the file
     * in the directory read: it is opened without locking then, so reading it writes nothing.
     */
    private static EnvFlags[] readOnlyFlags(final Path directory)
    {
        return Files.exists(directory.resolve("lock.mdb")) ?
            new EnvFlags[] { EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NORDAHEAD, EnvFlags.MDB_NOTLS } :
            new EnvFlags[] { EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NORDAHEAD, EnvFlags.MDB_NOTLS };
    }

    /**
     * Open an existing store for reading only, mapping as much as its file holds now.
     *
     * @throws ColdTierException if the directory holds no store or it cannot be opened.
     */
    static LmdbColdStore openReadOnly(final Path directory)
    {
        final Path file = directory.resolve("data.mdb");
        final long fileBytes;
        try
        {
            fileBytes = Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new ColdTierException("no cold tier in " + directory + ": " + ex, ex);
        }
        return new LmdbColdStore(directory, fileBytes, false, true);
    }

    /**
     * @return the number of records the store held when it was opened.
     */
    long openedWithRecords()
    {
        return openedWithRecords;
    }

    /**
     * Store sealed records {@code [fromRecord, toRecord)} of a ledger in one transaction, and the new count.
     *
     * @throws ColdTierFullException if the map is full; nothing of the write is kept.
     * @throws ColdTierException     if a record resolves a transfer the store does not hold.
     */
    void write(final Ledger ledger, final long fromRecord, final long toRecord)
    {
        write(ledger, fromRecord, toRecord, null);
    }

    /**
     * Store sealed records {@code [fromRecord, toRecord)} of a ledger in one transaction, and the new count; a
     * record resolving a transfer this store does not hold takes the transfer from {@code base}.
     *
     * @param base a store under this one (an audit's own tier over the service's), or null.
     * @throws ColdTierFullException if the map is full; nothing of the write is kept.
     * @throws ColdTierException     if a record resolves a transfer neither store holds.
     */
    void write(final Ledger ledger, final long fromRecord, final long toRecord, final Reader base)
    {
        try (Txn<ByteBuffer> txn = env.txnWrite())
        {
            // Closed before the commit: LMDB frees a write transaction's cursors when it commits.
            try (Cursor<ByteBuffer> cursor = transfers.openCursor(txn))
            {
                for (long number = fromRecord; number < toRecord; number++)
                {
                    ledger.copySealedRecord(number, record, 0);
                    final long idHi = record[Ledger.R_ID_HI];
                    final long idLo = record[Ledger.R_ID_LO];
                    key.clear();
                    key.putLong(0, idHi).putLong(Long.BYTES, idLo);
                    final int kind = (int)(record[Ledger.R_EXTRA] >>> 40) & 0xFF;
                    value.clear();
                    if (Ledger.KIND_STATE != kind)
                    {
                        // A transfer's creation, or a failed id's record: stored whole, under its id.
                        for (int k = 0; k < Ledger.RECORD_LONGS; k++)
                        {
                            value.putLong(k * Long.BYTES, record[k]);
                        }
                        value.putLong(RESOLVED_AT * Long.BYTES, -1);
                        value.putLong(RESOLVED_STATE * Long.BYTES, 0);
                    }
                    else
                    {
                        final ByteBuffer found = transfers.get(txn, key);
                        if (null != found)
                        {
                            found.order(ByteOrder.LITTLE_ENDIAN);
                            for (int k = 0; k < Ledger.RECORD_LONGS; k++)
                            {
                                value.putLong(k * Long.BYTES, found.getLong(k * Long.BYTES));
                            }
                        }
                        else if (null != base && base.findRaw(idHi, idLo, baseValue, 0))
                        {
                            for (int k = 0; k < Ledger.RECORD_LONGS; k++)
                            {
                                value.putLong(k * Long.BYTES, baseValue[k]);
                            }
                        }
                        else
                        {
                            throw new ColdTierException("record " + number + " resolves transfer " +
                                UInt128.toString(idHi, idLo) + ", which the cold tier does not hold");
                        }
                        value.putLong(RESOLVED_AT * Long.BYTES, number);
                        value.putLong(RESOLVED_STATE * Long.BYTES, (record[Ledger.R_EXTRA] >>> 32) & 0xFF);
                    }
                    if (UInt128.compare(idHi, idLo, highestIdHi, highestIdLo) > 0)
                    {
                        highestIdHi = idHi;
                        highestIdLo = idLo;
                    }
                    // Through a cursor, with no flags: lmdbjava builds a stream for any flag it is given (about
                    // 430 bytes a put), and LMDB fills its pages as full without MDB_APPEND when ids only grow.
                    cursor.put(key, value, NO_PUT_FLAGS);
                }
            }
            putWrittenRecords(txn, toRecord);
            txn.commit();
            publishHighestId();
        }
        catch (final Env.MapFullException ex)
        {
            throw new ColdTierFullException("the cold tier is full (" + mapSizeBytes + " bytes): records " +
                fromRecord + " to " + (toRecord - 1) + " were not written; its size is --cold-tier-size (" +
                COLD_TIER_SIZE_PROP_NAME + "): start again with a larger one, and the records answered before, " +
                "all journaled, are written to it", ex);
        }
        catch (final LmdbException ex)
        {
            throw new ColdTierException("the cold tier could not write records " + fromRecord + " to " +
                (toRecord - 1) + ": " + ex.getMessage() + spaceLeft(), ex);
        }
    }

    /**
     * What the disk under the store has left, for the message of a failed write: LMDB reports a write cut short (a
     * full disk) as {@code EIO}, an I/O error, so without this a full disk reads as a failing one.
     */
    private String spaceLeft()
    {
        try
        {
            final long usable = Files.getFileStore(directory).getUsableSpace();
            return String.format(Locale.ROOT, "; the file system holding %s has %,d bytes free%s", directory, usable,
                usable < DISK_FULL_BELOW_BYTES ? ": the disk is full (LMDB reports a write cut short as EIO)" : "");
        }
        catch (final IOException | RuntimeException ex)
        {
            return "";
        }
    }

    /**
     * Forget every record from {@code records} on: the transfers they created are deleted and the resolutions they
     * made undone, and the count becomes {@code records} if it was more. For a store left ahead of its journal
     * (records written whose journal tail a power loss took): without this, transfers the recovered history never
     * made would be found once its own records reach their numbers. Reads every stored transfer; not for a hot path.
     *
     * @param records the number of records the recovered ledger made.
     * @return the transfers deleted plus the resolutions undone.
     */
    long truncate(final long records)
    {
        long changed = 0;
        try (Txn<ByteBuffer> txn = env.txnWrite())
        {
            try (Cursor<ByteBuffer> cursor = transfers.openCursor(txn))
            {
                boolean more = cursor.first();
                while (more)
                {
                    final ByteBuffer found = cursor.val().order(ByteOrder.LITTLE_ENDIAN);
                    if (found.getLong(Ledger.R_CREATION_RECORD * Long.BYTES) >= records)
                    {
                        cursor.delete();
                        changed++;
                    }
                    else if (found.getLong(RESOLVED_AT * Long.BYTES) >= records)
                    {
                        value.clear();
                        for (int k = 0; k < VALUE_LONGS; k++)
                        {
                            value.putLong(k * Long.BYTES, found.getLong(k * Long.BYTES));
                        }
                        value.putLong(RESOLVED_AT * Long.BYTES, -1);
                        value.putLong(RESOLVED_STATE * Long.BYTES, 0);
                        final ByteBuffer foundKey = cursor.key().order(ByteOrder.BIG_ENDIAN);
                        key.clear();
                        key.putLong(0, foundKey.getLong(0)).putLong(Long.BYTES, foundKey.getLong(Long.BYTES));
                        cursor.put(key, value, NO_PUT_FLAGS);
                        changed++;
                    }
                    more = cursor.next();
                }
            }
            if (writtenRecords(txn) > records)
            {
                putWrittenRecords(txn, records);
            }
            txn.commit();
        }
        catch (final LmdbException ex)
        {
            throw new ColdTierException("the cold tier could not forget records from " + records + " on: " +
                ex.getMessage(), ex);
        }
        env.sync(true);
        return changed;
    }

    /**
     * Store sealed records {@code [fromRecord, toRecord)} of a ledger on the caller's thread, when the records below
     * {@code written} are held already (by this store or by a base beneath it): a ledger restored from an older
     * snapshot seals again what the tier holds, and those records are checked against the ledger's, not written;
     * the rest are written.
     *
     * @param written the records held so far.
     * @param held    reads the store holding the records below {@code written}: this one's, or the base's.
     * @param base    the store beneath this one, for {@link #write(Ledger, long, long, Reader)}; or null.
     * @return the records held now.
     * @throws ColdTierException if the ledger no longer holds records the store lacks, or a held record differs:
     *                           the store belongs to another ledger or history.
     */
    long seal(
        final Ledger ledger,
        final long fromRecord,
        final long toRecord,
        final long written,
        final Reader held,
        final Reader base)
    {
        if (written < ledger.oldestHotRecord())
        {
            throw new ColdTierException("the ledger holds records from " + ledger.oldestHotRecord() + " but this " +
                "cold tier holds " + written + ": it belongs to another ledger or history");
        }
        held.verify(ledger, fromRecord, Math.min(toRecord, written));
        if (toRecord > written)
        {
            write(ledger, written, toRecord, base);
            return toRecord;
        }
        return written;
    }

    /**
     * Check that this store holds sealed records {@code [fromRecord, toRecord)} of a ledger as the ledger has them:
     * how a ledger replaying a journal proves that records the store already holds are its own.
     *
     * @throws ColdTierException naming the first record that differs.
     */
    void verify(final Ledger ledger, final long fromRecord, final long toRecord, final Reader reader)
    {
        for (long number = fromRecord; number < toRecord; number++)
        {
            ledger.copySealedRecord(number, record, 0);
            final long idHi = record[Ledger.R_ID_HI];
            final long idLo = record[Ledger.R_ID_LO];
            final boolean creation = Ledger.KIND_STATE != ((int)(record[Ledger.R_EXTRA] >>> 40) & 0xFF);
            boolean same = reader.findRaw(idHi, idLo, baseValue, 0);
            if (same && creation)
            {
                for (int k = 0; k < Ledger.RECORD_LONGS; k++)
                {
                    same &= baseValue[k] == record[k];
                }
            }
            else if (same)
            {
                same = baseValue[RESOLVED_AT] == number &&
                    baseValue[RESOLVED_STATE] == ((record[Ledger.R_EXTRA] >>> 32) & 0xFF);
            }
            if (!same)
            {
                throw new ColdTierException("the cold tier's record " + number + " (transfer " +
                    UInt128.toString(idHi, idLo) + ") is not " +
                    "the ledger's: the tier belongs to another ledger or history");
            }
        }
    }

    /**
     * Check the hot window of the ledger about to use this store against the one its records were numbered by, and
     * record it, durably, if the store has none yet or holds no record. The window decides the record numbers (a
     * post or void of a pending transfer already sealed writes a second record; one still in the window does not),
     * so records a ledger with another window numbered cannot be used: a replay would number the same history
     * otherwise, and records could go unwritten.
     *
     * @param hotWindow      the ledger's hot window (its {@code maxTransfers}).
     * @param writtenRecords the records the tier holds.
     * @param directory      the tier's, for the message.
     * @throws ColdTierException if the store holds records numbered with another window.
     */
    void useHotWindow(final long hotWindow, final long writtenRecords, final Path directory)
    {
        final long recorded;
        try (Txn<ByteBuffer> txn = env.txnRead())
        {
            recorded = metaLong(txn, HOT_WINDOW_KEY);
        }
        if (recorded == hotWindow)
        {
            return;
        }
        if (0 != recorded && writtenRecords > 0)
        {
            throw new ColdTierException("the cold tier in " + directory + " holds " + writtenRecords + " records " +
                "of a ledger with a hot window of " + recorded + " transfers, and this one's is " + hotWindow +
                ": a ledger numbers its records by its window, so the window cannot change while the tier holds " +
                "records; start with --hot-transfers " + recorded + " (paycore.ledger.max.transfers)");
        }
        try (Txn<ByteBuffer> txn = env.txnWrite())
        {
            putMetaLong(txn, HOT_WINDOW_KEY, hotWindow);
            txn.commit();
        }
        env.sync(true);
    }

    private void putWrittenRecords(final Txn<ByteBuffer> txn, final long records)
    {
        putMetaLong(txn, WRITTEN_KEY, records);
        putMetaLong(txn, FORMAT_KEY, FORMAT);
    }

    private void putMetaLong(final Txn<ByteBuffer> txn, final long metaKeyValue, final long metaValue)
    {
        metaKey.clear();
        metaKey.putLong(0, metaKeyValue);
        value.clear();
        value.putLong(0, metaValue);
        value.limit(Long.BYTES);
        meta.put(txn, metaKey, value, NO_PUT_FLAGS);
    }

    private long writtenRecords(final Txn<ByteBuffer> txn)
    {
        return metaLong(txn, WRITTEN_KEY);
    }

    private long metaLong(final Txn<ByteBuffer> txn, final long metaKeyValue)
    {
        metaKey.clear();
        metaKey.putLong(0, metaKeyValue);
        final ByteBuffer found = meta.get(txn, metaKey);
        return null == found ? 0 : found.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /**
     * Copy a transfer's record out of its stored value as a ledger whose own records start at {@code beforeRecord}
     * sees it: not at all if it was created at or after that record (a store left ahead of the ledger), and with
     * the state of a later resolution only if that came before it.
     *
     * @return false if the transfer is not visible to such a ledger.
     */
    static boolean copyVisible(
        final long[] value, final int valueOffset, final long beforeRecord, final long[] into, final int offset)
    {
        if (value[valueOffset + Ledger.R_CREATION_RECORD] >= beforeRecord)
        {
            return false;
        }
        System.arraycopy(value, valueOffset, into, offset, Ledger.RECORD_LONGS);
        final long resolvedAt = value[valueOffset + RESOLVED_AT];
        if (resolvedAt >= 0 && resolvedAt < beforeRecord)
        {
            final long extra = into[offset + Ledger.R_EXTRA];
            into[offset + Ledger.R_EXTRA] = (extra & ~(0xFFL << 32)) | ((value[valueOffset + RESOLVED_STATE] & 0xFF) << 32);
        }
        return true;
    }

    /**
     * @return a reader for one thread.
     */
    Reader reader()
    {
        return new Reader();
    }

    /**
     * Force everything written to disk.
     */
    void force()
    {
        env.sync(true);
    }

    /**
     * Force the store to disk (unless read only) and close the environment, which is closed even if that sync
     * fails; the sync's failure is then rethrown. Safe to call more than once.
     */
    public void close()
    {
        if (!env.isClosed())
        {
            try
            {
                if (!readOnly)
                {
                    syncOnClose.accept(env);
                }
            }
            finally
            {
                env.close();
            }
        }
    }

    /**
     * Reads of the store by one thread, in a read transaction renewed per lookup.
     */
    final class Reader implements AutoCloseable
    {
        private final Txn<ByteBuffer> txn = env.txnRead();
        private final ByteBuffer readKey = ByteBuffer.allocateDirect(KEY_BYTES).order(ByteOrder.BIG_ENDIAN);
        private final long[] value = new long[VALUE_LONGS];
        private boolean inBatch;

        private Reader()
        {
            txn.reset();
        }

        /**
         * @see io.paycore.core.ledger.ColdTier#find(long, long, long, long[], int)
         */
        boolean find(final long idHi, final long idLo, final long beforeRecord, final long[] into, final int offset)
        {
            return findRaw(idHi, idLo, value, 0) && copyVisible(value, 0, beforeRecord, into, offset);
        }

        /**
         * Copy the stored value of a transfer, {@link #VALUE_LONGS} longs, whatever record numbers it names.
         *
         * @return false if the store holds no transfer with that id.
         */
        boolean findRaw(final long idHi, final long idLo, final long[] into, final int offset)
        {
            if (inBatch)
            {
                return get(idHi, idLo, into, offset);
            }
            txn.renew();
            try
            {
                return get(idHi, idLo, into, offset);
            }
            finally
            {
                txn.reset();
            }
        }

        /**
         * @see LmdbColdStore#verify(Ledger, long, long, Reader)
         */
        void verify(final Ledger ledger, final long fromRecord, final long toRecord)
        {
            LmdbColdStore.this.verify(ledger, fromRecord, toRecord, this);
        }

        /**
         * Read the lookups until {@link #endBatch()} in one read transaction, renewed once: one view of the store,
         * and one renewal instead of one per lookup.
         */
        void beginBatch()
        {
            txn.renew();
            inBatch = true;
        }

        /**
         * End the batch {@link #beginBatch()} began.
         */
        void endBatch()
        {
            inBatch = false;
            txn.reset();
        }

        private boolean get(final long idHi, final long idLo, final long[] into, final int offset)
        {
            readKey.clear();
            readKey.putLong(0, idHi).putLong(Long.BYTES, idLo);
            final ByteBuffer found = transfers.get(txn, readKey);
            if (null == found)
            {
                return false;
            }
            found.order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < VALUE_LONGS; k++)
            {
                into[offset + k] = found.getLong(k * Long.BYTES);
            }
            return true;
        }

        public void close()
        {
            txn.close();
        }
    }
}
