package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;

import java.io.IOException;
import java.math.BigInteger;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The double-entry ledger: a single-threaded, allocation-free, deterministic state machine of accounts and
 * transfers with TigerBeetle's data model and semantics (protocol v2): unsigned 128-bit ids, amounts and balances,
 * user data of 128, 64 and 32 bits, and imported events. Every 128-bit value is stored (lo, hi) in two longs and
 * passed to and from the API as (hi, lo), compared and summed with {@link UInt128}.
 * <p>
 * <b>Threading</b>: not thread safe; called only on the BLP thread.
 * <p>
 * <b>Storage</b>: preallocated from {@link LedgerLimits} at construction; nothing grows. Each account is
 * {@link #ACCOUNT_LONGS} longs (128 bytes, two cache lines; what a transfer reads shares one) in a {@code long[]}.
 * Transfers are {@link #RECORD_LONGS}-long records in one more {@code long[]}: a ring of the most recent records, a
 * pool of the pending transfers whose records are sealed, and one slot for a record read from the cold tier. Ids map to
 * slots through fixed-capacity open-addressing {@link IdIndex} tables (8-byte slots of hash tag and slot number, load
 * factor at most 0.3) that never grow or rehash; a slot's record holds the id. Transfers that are not pending and
 * whose ids only grow are kept out of the hashed transfer index, in an ascending one of slots in record order; a
 * new id above every id recorded is looked up nowhere. Before applying each chunk of a
 * transfer batch the ledger reads the index slots and account records of all its events with independent loads, so
 * their cache misses overlap.
 * <p>
 * <b>Limits in force</b>: the capacity results ({@code ACCOUNTS_FULL}, {@code PENDING_TRANSFERS_FULL}, and without a
 * cold tier {@code TRANSFERS_FULL}) are answered at the limits in force, which are the ledger's own until
 * {@link #applyLimits} (a journaled limits record) or a snapshot gives those the history was made with; so a replay
 * on a ledger built with other limits answers what the original did, or, where it has less room than they gave,
 * says so in {@link #capacityShortfall()}. A limit of transfer records (a history made without a cold tier) counts
 * the records such a ledger writes: with a tier, the re-records of sealed pending transfers are left out.
 * <p>
 * <b>Hot and cold</b>: every transfer record gets a number, in the order written. Without a {@link ColdTier} the
 * ring holds every transfer ever created, at most {@code maxTransfers}, and then answers {@code TRANSFERS_FULL}.
 * With one, {@code maxTransfers} is the hot window: at the end of each command the records older than the newest
 * {@code maxTransfers} are <em>sealed</em> (never to change again) and handed to the tier, and once the tier has
 * written them they leave the ledger's index; a lookup that misses the index asks the tier. The ring has room for
 * {@code maxColdLagRecords} records beyond the window, for sealed records the tier has not written yet and for the
 * records of the command under way; it answers {@code TRANSFERS_FULL} only if the tier falls further behind than
 * that, so a tier that writes on another thread must be kept within that distance by whatever feeds the ledger its
 * commands ({@link #publishedRecordCount()} is there for that). Which records are hot depends
 * only on how many were written, so on the journaled history alone.
 * <p>
 * <b>Pending transfers</b> stay in memory until they are posted, voided or expire, however old. While its record
 * is unsealed, a pending transfer is that record, and posting, voiding or expiring it changes its state in place.
 * When its record is sealed while it is pending, a copy goes to the pool; a post or void then writes a second
 * record of it with the new state (the index names the newest record of an id), and an expiry just drops it from
 * the pool: a sealed record that says pending, for a transfer not in the pool, reads as
 * {@link PendingState#EXPIRED}.
 * <p>
 * <b>Digest</b>: the ledger folds, in order, every account and transfer created and every expiry into a running
 * 128-bit history hash; {@link #digestHex()} combines it with the state held in memory (accounts with their
 * balances, the pending table, counts and clock). It costs O(accounts + pending transfers), never O(history), and is
 * the same for equal histories wherever the records live.
 * <p>
 * <b>Time</b>: the ledger reads no clock. Each command carries the timestamp of its journaled record. A batch of
 * {@code n} events gets {@code base = max(recordTimestampNanos, lastTimestampNanos + 1)} and event {@code i} the
 * timestamp {@code base + i}, whatever its outcome; afterwards {@code lastTimestampNanos = base + n - 1}. The clock
 * ({@link #clockNanos()}) is the greatest record or assigned timestamp seen. Every result has a timestamp, as
 * TigerBeetle's have: the assigned one on {@code OK}, the original one on {@code EXISTS}, and on any failure the
 * event's own timestamp, the time it was validated (also for the events of a chain that failed). Each expiry takes
 * a timestamp too, {@code max(recordTimestampNanos, lastTimestampNanos + 1)}, before the command's events get
 * theirs: it identifies the expiry's change event ({@link #changeListener}).
 * <p>
 * <b>Imported events</b>, as TigerBeetle's: a batch whose first event has the {@code IMPORTED} flag
 * ({@link AccountFlags#IMPORTED}, {@link TransferFlags#IMPORTED}) is an imported batch, and every event of it must
 * have the flag ({@code IMPORTED_EVENT_EXPECTED} otherwise); in any other batch an event with the flag answers
 * {@code IMPORTED_EVENT_NOT_EXPECTED}. These, and then the timestamp checks, come before the event's own checks
 * (and after {@code LINKED_EVENT_CHAIN_OPEN}): an imported event's timestamp must be in 1 to
 * {@link #TIMESTAMP_MAX} ({@code IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE}) and below the timestamp the event would
 * be assigned, {@code base + i} ({@code _MUST_NOT_ADVANCE}: for the last event that is TigerBeetle's check against
 * the time the batch is applied; for the others it is the bound TigerBeetle asserts, {@code timestamp <=
 * timestamp_event}, made a result, and strict so that no imported timestamp equals one the ledger assigns); a
 * non-imported event's must be 0 ({@code TIMESTAMP_MUST_BE_ZERO}). After the idempotency checks (so that a retried
 * import answers {@code EXISTS}) an imported event must not regress ({@code _MUST_NOT_REGRESS}): an imported
 * transfer's timestamp must be above the last transfer's, as TigerBeetle has it, and above the last expiry's, where
 * TigerBeetle does not ask it (an expiry is no transfer there), so that change events stay in timestamp order for a
 * feed that resumes from a timestamp, and must not be an account's; an imported account's must be above the last
 * account's and,
 * because paycore cannot look transfers up by timestamp (they may be in the cold tier), above the last transfer's
 * too, where TigerBeetle only refuses one equal to a transfer's. Accounts and transfers share one timeline: no two
 * objects have the same timestamp, and account timestamps grow with the accounts' index. An imported transfer must
 * also postdate both its accounts ({@code _MUST_POSTDATE_DEBIT_ACCOUNT}, {@code _CREDIT_ACCOUNT}) and have no
 * timeout ({@code IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO}). An imported event takes its own timestamp instead of an
 * assigned one and answers it on {@code OK}. An imported batch still uses up its assigned timestamps, as
 * TigerBeetle's prepare timestamp does: failures answer {@code base + i} and {@code lastTimestampNanos} ends at
 * {@code base + n - 1}, above every imported timestamp.
 * <p>
 * <b>Expiry</b>: before every command ({@link #createAccounts}, {@link #createTransfers}, {@link #tick}) every
 * pending transfer with {@code expiresAtNanos <= recordTimestampNanos} expires, in order of (expiresAt, transfer
 * timestamp): its pending amounts are released and it becomes {@link PendingState#EXPIRED}. A pending transfer
 * expires at its timestamp + {@code timeoutSeconds * 10^9}; a timeout of 0 never expires. The order is kept in a
 * preallocated indexed binary heap.
 * <p>
 * <b>Linked chains</b>: an event flagged {@code LINKED} is chained to the next one; the chain ends at the first
 * event without the flag. A chain commits as a whole: when one of its events fails, the effects of its earlier
 * events are undone (in reverse order, from the tail of the append-only stores, which is the undo log; it is
 * bounded by the batch size and needs no extra memory), the failing event keeps its own result and every other
 * event of the chain answers {@code LINKED_EVENT_FAILED}. {@code EXISTS} counts as a failure. If the last event of
 * a batch is {@code LINKED}, the chain is open: that event answers {@code LINKED_EVENT_CHAIN_OPEN} without being
 * looked at and the rest of its chain {@code LINKED_EVENT_FAILED}.
 * <p>
 * The checks come in TigerBeetle's order: a reserved field or flag, then the id, then an id that exists is answered
 * from the object it names, before the event's other fields are looked at. 0 and 2<sup>128</sup> - 1 are never ids.
 * <p>
 * <b>Account checks</b>, in order (first failing check is the result), after those of <b>Imported events</b>:
 * <ol>
 *     <li>reserved not 0: {@code RESERVED_FIELD}; a flag outside {@link AccountFlags#ALL}: {@code RESERVED_FLAG};</li>
 *     <li>id 0: {@code ID_MUST_NOT_BE_ZERO}; id 2<sup>128</sup> - 1: {@code ID_MUST_NOT_BE_INT_MAX};</li>
 *     <li>id already exists: compared field by field with the stored account (flags exactly as stored, including
 *     {@code LINKED}): {@code EXISTS_WITH_DIFFERENT_FLAGS}, {@code _USER_DATA_128}, {@code _USER_DATA_64},
 *     {@code _USER_DATA_32}, {@code _LEDGER}, {@code _CODE}, else {@code EXISTS};</li>
 *     <li>both balance flags: {@code FLAGS_ARE_MUTUALLY_EXCLUSIVE};</li>
 *     <li>a balance not 0: {@code DEBITS_PENDING_MUST_BE_ZERO}, {@code DEBITS_POSTED_}, {@code CREDITS_PENDING_},
 *     {@code CREDITS_POSTED_MUST_BE_ZERO};</li>
 *     <li>ledger 0: {@code LEDGER_MUST_NOT_BE_ZERO}; code 0: {@code CODE_MUST_NOT_BE_ZERO};</li>
 *     <li>imported, at or below the last account's or transfer's timestamp:
 *     {@code IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS};</li>
 *     <li>{@code maxAccounts} reached: {@code ACCOUNTS_FULL}.</li>
 * </ol>
 * The {@code HISTORY} and {@code IMPORTED} flags are stored with the account; {@code HISTORY} changes nothing yet.
 * <p>
 * <b>Transfer checks</b>, in order, after those of <b>Imported events</b>:
 * <ol>
 *     <li>a flag outside {@link TransferFlags#ALL}: {@code RESERVED_FLAG};</li>
 *     <li>id 0: {@code ID_MUST_NOT_BE_ZERO}; id 2<sup>128</sup> - 1: {@code ID_MUST_NOT_BE_INT_MAX};</li>
 *     <li>id of an earlier transfer that failed on a transient error: {@code ID_ALREADY_FAILED} (see <b>Failed
 *     ids</b>);</li>
 *     <li>id already exists: compared with the stored transfer in the order flags, pendingId, timeout, debit
 *     account id, credit account id, amount, userData128, userData64, userData32, ledger, code
 *     ({@code EXISTS_WITH_DIFFERENT_*}), else {@code EXISTS}. For a post or void, a 0 debit/credit account id,
 *     ledger or code in the event matches anything, a 0 user data matches the pending transfer's, and a post's
 *     {@link #AMOUNT_MAX_HI AMOUNT_MAX} or a void's 0 matches the pending amount; for a balancing transfer the
 *     amount differs only when the one asked is below the one recorded (it could not have moved that much);</li>
 *     <li>more than one of PENDING, POST_PENDING, VOID_PENDING, or a balancing or closing flag with POST_PENDING or
 *     VOID_PENDING: {@code FLAGS_ARE_MUTUALLY_EXCLUSIVE}.</li>
 * </ol>
 * Then, for a single-phase or {@code PENDING} transfer:
 * <ol>
 *     <li>debit account id 0 / 2<sup>128</sup> - 1: {@code DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO} / {@code _INT_MAX};
 *     then the same for the credit account id;</li>
 *     <li>debit = credit account id: {@code ACCOUNTS_MUST_BE_DIFFERENT};</li>
 *     <li>pendingId not 0: {@code PENDING_ID_MUST_BE_ZERO};</li>
 *     <li>not pending: a timeout: {@code TIMEOUT_RESERVED_FOR_PENDING_TRANSFER}; a closing flag:
 *     {@code CLOSING_TRANSFER_MUST_BE_PENDING};</li>
 *     <li>ledger 0: {@code LEDGER_MUST_NOT_BE_ZERO}; code 0: {@code CODE_MUST_NOT_BE_ZERO};</li>
 *     <li>{@code DEBIT_ACCOUNT_NOT_FOUND}; {@code CREDIT_ACCOUNT_NOT_FOUND};</li>
 *     <li>accounts on different ledgers: {@code ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER}; transfer ledger differs from
 *     theirs: {@code TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS};</li>
 *     <li>imported: {@code IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS}, {@code _MUST_POSTDATE_DEBIT_ACCOUNT},
 *     {@code _MUST_POSTDATE_CREDIT_ACCOUNT}, {@code IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO};</li>
 *     <li>{@code DEBIT_ACCOUNT_ALREADY_CLOSED}; {@code CREDIT_ACCOUNT_ALREADY_CLOSED};</li>
 *     <li>balancing: {@code BALANCING_DEBIT} lowers the amount to what keeps the debit account's debitsPending +
 *     debitsPosted at most its creditsPosted (0 if they are above it already), {@code BALANCING_CREDIT} to what
 *     keeps the credit account's creditsPending + creditsPosted at most its debitsPosted; the checks below and the
 *     record use the lowered amount;</li>
 *     <li>sums at or above 2<sup>128</sup>: pending only, the debit account's debitsPending + amount:
 *     {@code OVERFLOWS_DEBITS_PENDING}, the credit account's creditsPending: {@code OVERFLOWS_CREDITS_PENDING};
 *     then for every transfer (as TigerBeetle) debitsPosted: {@code OVERFLOWS_DEBITS_POSTED}, creditsPosted:
 *     {@code OVERFLOWS_CREDITS_POSTED};</li>
 *     <li>debitsPending + debitsPosted + amount overflows: {@code OVERFLOWS_DEBITS}; the same for credits:
 *     {@code OVERFLOWS_CREDITS};</li>
 *     <li>a timeout whose expiry passes 2<sup>63</sup> - 1 nanoseconds: {@code OVERFLOWS_TIMEOUT};</li>
 *     <li>debit account has DEBITS_MUST_NOT_EXCEED_CREDITS and its debitsPending + debitsPosted + amount &gt; its
 *     creditsPosted: {@code EXCEEDS_CREDITS}; credit account has CREDITS_MUST_NOT_EXCEED_DEBITS and its
 *     creditsPending + creditsPosted + amount &gt; its debitsPosted: {@code EXCEEDS_DEBITS};</li>
 *     <li>no room for its record: {@code TRANSFERS_FULL} (see <b>Hot and cold</b>); pending and
 *     {@code maxPendingTransfers} reached: {@code PENDING_TRANSFERS_FULL}.</li>
 * </ol>
 * And for {@code POST_PENDING} / {@code VOID_PENDING} (debit and credit account ids, ledger, code, user data and
 * amount may be 0, meaning "as the pending transfer"):
 * <ol>
 *     <li>pendingId 0 / 2<sup>128</sup> - 1 / equal to id: {@code PENDING_ID_MUST_NOT_BE_ZERO} /
 *     {@code _MUST_NOT_BE_INT_MAX} / {@code PENDING_ID_MUST_BE_DIFFERENT};</li>
 *     <li>timeout not 0: {@code TIMEOUT_RESERVED_FOR_PENDING_TRANSFER};</li>
 *     <li>{@code PENDING_TRANSFER_NOT_FOUND}; pending id names a transfer without the PENDING flag:
 *     {@code PENDING_TRANSFER_NOT_PENDING};</li>
 *     <li>a given debit account id, credit account id, ledger, code differing from the pending's:
 *     {@code PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID}, {@code _CREDIT_ACCOUNT_ID}, {@code _LEDGER},
 *     {@code _CODE};</li>
 *     <li>the amount, where a post's {@link #AMOUNT_MAX_HI AMOUNT_MAX} and a void's 0 stand for the pending amount:
 *     above the pending amount: {@code EXCEEDS_PENDING_TRANSFER_AMOUNT}; a void's below it:
 *     {@code PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT};</li>
 *     <li>pending already {@code PENDING_TRANSFER_ALREADY_POSTED}, {@code _ALREADY_VOIDED}, {@code _EXPIRED}, or
 *     due to expire by the event's timestamp though not expired yet (expiry runs at the record's timestamp, before
 *     the command): {@code PENDING_TRANSFER_EXPIRED};</li>
 *     <li>imported: {@code IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS};</li>
 *     <li>a post to a closed account: {@code DEBIT_ACCOUNT_ALREADY_CLOSED}, {@code CREDIT_ACCOUNT_ALREADY_CLOSED};</li>
 *     <li>no room for its record (and the re-record of a sealed pending transfer): {@code TRANSFERS_FULL}.</li>
 * </ol>
 * <b>Failed ids</b>: as TigerBeetle does, a transfer that fails on a <em>transient</em> error, one that depends on
 * the ledger's state at the time ({@code DEBIT_ACCOUNT_NOT_FOUND}, {@code CREDIT_ACCOUNT_NOT_FOUND},
 * {@code PENDING_TRANSFER_NOT_FOUND}, {@code EXCEEDS_CREDITS}, {@code EXCEEDS_DEBITS},
 * {@code DEBIT_ACCOUNT_ALREADY_CLOSED}, {@code CREDIT_ACCOUNT_ALREADY_CLOSED}), leaves its id behind, so that a
 * retry of the same id answers {@code ID_ALREADY_FAILED} for ever instead of succeeding once the state has changed:
 * a retried request gets the outcome the first attempt got. It is kept as a record of its own ({@link #KIND_FAILED},
 * the event's fields as sent, the failure in the extra word), hot and then cold like any record, and also when its
 * chain is rolled back; lookups do not see it. With no room for that record, the event answers
 * {@code TRANSFERS_FULL} instead, which is not remembered. paycore's own capacity results ({@code TRANSFERS_FULL},
 * {@code PENDING_TRANSFERS_FULL}) are not transient in this sense: a retry may succeed once there is room.
 * <p>
 * A post moves the posted amount (the event's, 0 included, or the whole pending amount for {@link #AMOUNT_MAX_HI
 * AMOUNT_MAX}) from pending to posted on both accounts and releases the rest; a void releases it all. Neither can
 * overflow a balance nor break a balance flag (totals only shrink), so neither checks. Posts and voids are stored as
 * transfers of their own, with the pending's accounts, ledger and code, and the amount posted (post) or released
 * (void).
 * <p>
 * <b>Invariant</b>: for every ledger, the sums of debitsPending and creditsPending are equal, and so are those of
 * debitsPosted and creditsPosted, after every command.
 */
public final class Ledger
{
    /**
     * Bytes of storage per account ({@link #ACCOUNT_LONGS} longs: two cache lines, as TigerBeetle's Account), not
     * counting the id index.
     */
    public static final int ACCOUNT_BYTES = 128;

    /**
     * Bytes of storage per transfer record in memory (the record's {@link #RECORD_LONGS} longs), not counting the id
     * index.
     */
    public static final int TRANSFER_BYTES = 144;

    /**
     * Longs per account. What a transfer reads is longs 6 to 13, 64 bytes: the low halves of the four balances, meta,
     * the id it checks, and the word that says whether any balance has a high half. A large array starts 16 bytes
     * into a cache line under G1 (on a region boundary, after the array header), so those 64 bytes are one line in
     * every account, where a transfer read two before; the high halves (longs 0 to 3) are read only when that word's
     * {@link #HIGH_BALANCES} bit says one is not zero. Snapshots and the digest see the fields in
     * {@link #CANONICAL_ACCOUNT_ORDER}, not in this layout.
     */
    static final int ACCOUNT_LONGS = 16;
    static final int A_DEBITS_PENDING_HI = 0;
    static final int A_DEBITS_POSTED_HI = 1;
    static final int A_CREDITS_PENDING_HI = 2;
    static final int A_CREDITS_POSTED_HI = 3;
    static final int A_USER_DATA_128_LO = 4;
    static final int A_USER_DATA_128_HI = 5;
    static final int A_DEBITS_PENDING_LO = 6;
    static final int A_DEBITS_POSTED_LO = 7;
    static final int A_CREDITS_PENDING_LO = 8;
    static final int A_CREDITS_POSTED_LO = 9;
    /** ledger &lt;&lt; 32 | code &lt;&lt; 16 | flags. */
    static final int A_META = 10;
    static final int A_ID_LO = 11;
    static final int A_ID_HI = 12;
    /** The unsigned 32-bit user data in the low 32 bits, and {@link #HIGH_BALANCES}. */
    static final int A_USER_DATA_32 = 13;
    static final int A_USER_DATA_64 = 14;
    static final int A_TIMESTAMP = 15;
    /** From a balance's low half to its high half. */
    private static final int A_HI_FROM_LO = A_DEBITS_PENDING_HI - A_DEBITS_PENDING_LO;
    /** Set in {@link #A_USER_DATA_32} when any of the account's four balances has a non-zero high half. */
    private static final long HIGH_BALANCES = 1L << 32;
    private static final long USER_DATA_32_MASK = 0xFFFF_FFFFL;
    /**
     * An account's fields in the order snapshots hold them and the digest hashes them (version 4's layout, each
     * 128-bit value as lo, hi), whatever the layout in memory.
     */
    static final int[] CANONICAL_ACCOUNT_ORDER = {
        A_DEBITS_PENDING_LO, A_DEBITS_PENDING_HI, A_DEBITS_POSTED_LO, A_DEBITS_POSTED_HI,
        A_CREDITS_PENDING_LO, A_CREDITS_PENDING_HI, A_CREDITS_POSTED_LO, A_CREDITS_POSTED_HI,
        A_META, A_ID_LO, A_ID_HI, A_USER_DATA_128_LO, A_USER_DATA_128_HI, A_USER_DATA_64, A_USER_DATA_32,
        A_TIMESTAMP };

    /**
     * Longs per transfer record: id, debit account id, credit account id, amount, pending id and 128-bit user data,
     * each as (lo, hi); 64-bit and 32-bit user data, timestamp, meta (ledger, code, flags), extra (timeout, state,
     * kind, failure) and the number of the record that created the transfer.
     */
    public static final int RECORD_LONGS = 18;
    /** Offset of the id's low half in a record. */
    public static final int R_ID_LO = 0;
    /** Offset of the id's high half in a record. */
    public static final int R_ID_HI = 1;
    /** Offset of the debit account id's low half in a record. */
    public static final int R_DEBIT_ACCOUNT_ID_LO = 2;
    /** Offset of the debit account id's high half in a record. */
    public static final int R_DEBIT_ACCOUNT_ID_HI = 3;
    /** Offset of the credit account id's low half in a record. */
    public static final int R_CREDIT_ACCOUNT_ID_LO = 4;
    /** Offset of the credit account id's high half in a record. */
    public static final int R_CREDIT_ACCOUNT_ID_HI = 5;
    /** Offset of the amount's low half in a record. */
    public static final int R_AMOUNT_LO = 6;
    /** Offset of the amount's high half in a record. */
    public static final int R_AMOUNT_HI = 7;
    /** Offset of the pending id's low half in a record. */
    public static final int R_PENDING_ID_LO = 8;
    /** Offset of the pending id's high half in a record. */
    public static final int R_PENDING_ID_HI = 9;
    /** Offset of the 128-bit user data's low half in a record. */
    public static final int R_USER_DATA_128_LO = 10;
    /** Offset of the 128-bit user data's high half in a record. */
    public static final int R_USER_DATA_128_HI = 11;
    /** Offset of the 64-bit user data in a record. */
    public static final int R_USER_DATA_64 = 12;
    /** Offset of the 32-bit user data (unsigned, in the low 32 bits) in a record. */
    public static final int R_USER_DATA_32 = 13;
    /** Offset of the timestamp in a record. */
    public static final int R_TIMESTAMP = 14;
    /** Offset of the meta word (ledger &lt;&lt; 32 | code &lt;&lt; 16 | flags) in a record. */
    public static final int R_META = 15;
    /**
     * Offset of the extra word in a record: timeout seconds in bits 0-31, state in 32-39, kind in 40-47, and for a
     * {@link #KIND_FAILED} record the failure's {@link CreateTransferResult#value()} in bits 48-63 (unsigned 16-bit:
     * TigerBeetle's codes and paycore's from 1000 fit).
     */
    public static final int R_EXTRA = 16;
    /** Offset of the number of the record that created the transfer. */
    public static final int R_CREATION_RECORD = 17;
    /**
     * High half of the largest amount, 2<sup>128</sup> - 1 (TigerBeetle's {@code AMOUNT_MAX}): as a post's amount, the
     * whole pending amount; as a balancing transfer's, as much as the balances allow. Both halves are all ones; see
     * {@link UInt128#isMax(long, long)}.
     */
    public static final long AMOUNT_MAX_HI = UInt128.MAX_HALF;
    /** Low half of the largest amount, 2<sup>128</sup> - 1; see {@link #AMOUNT_MAX_HI}. */
    public static final long AMOUNT_MAX_LO = UInt128.MAX_HALF;
    /** The greatest timestamp an imported event may carry: TigerBeetle's, 2<sup>63</sup> - 1. */
    public static final long TIMESTAMP_MAX = Long.MAX_VALUE;
    /** Kind of a record that creates a transfer. */
    public static final int KIND_CREATION = 0;
    /** Kind of a record that re-records a sealed pending transfer with its new state. */
    public static final int KIND_STATE = 1;
    /**
     * Kind of a record that keeps the id of a transfer that failed on a transient error: the event's fields as sent,
     * and the failure's {@link CreateTransferResult#value()} in bits 48-63 of the extra word. Not a transfer.
     */
    public static final int KIND_FAILED = 2;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NEVER = Long.MAX_VALUE;

    /**
     * {@link #transferLimit()} of a history made with a cold tier: no bound on its transfer records.
     */
    public static final long UNBOUNDED_TRANSFERS = Long.MAX_VALUE;
    private static final int PHASE_FLAGS = TransferFlags.PENDING | TransferFlags.POST_PENDING |
        TransferFlags.VOID_PENDING;
    private static final int BALANCING_FLAGS = TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT;
    private static final int CLOSING_FLAGS = TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT;
    private static final int BALANCE_FLAGS = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS |
        AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS;

    private static final byte STATE_NONE = (byte)PendingState.NONE.ordinal();
    private static final byte STATE_PENDING = (byte)PendingState.PENDING.ordinal();
    private static final byte STATE_POSTED = (byte)PendingState.POSTED.ordinal();
    private static final byte STATE_VOIDED = (byte)PendingState.VOIDED.ordinal();
    private static final byte STATE_EXPIRED = (byte)PendingState.EXPIRED.ordinal();

    private static final long ACCOUNT_MARK = 0x4143_434F_554E_5401L;
    private static final long TRANSFER_MARK = 0x5452_414E_5346_4502L;
    private static final long EXPIRY_MARK = 0x4558_5049_5245_4403L;

    private static final VarHandle SEALED_RECORDS;
    private static final VarHandle PUBLISHED_RECORD_COUNT;

    static
    {
        try
        {
            SEALED_RECORDS = MethodHandles.lookup().findVarHandle(Ledger.class, "sealedRecords", long.class);
            PUBLISHED_RECORD_COUNT = MethodHandles.lookup().findVarHandle(
                Ledger.class, "publishedRecordCount", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final LedgerLimits limits;
    private final int maxAccounts;
    private final int maxTransfers;
    private final int maxPendingTransfers;
    private final int maxBatchEvents;
    /** Account record offsets of a batch's debit and credit accounts, found by {@link #touch}; -1 for none. */
    private final int[] touchedAccountOffsets;
    /** {@link IdIndex#hash} of each event's id, debit account id and credit account id, by {@link #touch}. */
    private final long[] touchedIdHashes;
    private final long[] touchedDebitHashes;
    private final long[] touchedCreditHashes;
    /**
     * Events whose lines the prefetch pass brings in at a time, just before they are applied. A whole batch's
     * (1,024 events, some 8 lines each) do not stay in the cache until its last events: in LedgerBenchmark, chunks
     * of 128 ran 3.3M-4.7M single transfers/s where whole batches ran 2.5M-2.8M, alternating on one machine; 32,
     * 64 and 256 were no better than 128, and were not again with 8-byte index slots.
     */
    private static final int TOUCH_CHUNK = 128;
    /**
     * Probes of the ascending index placed by interpolation before the search falls back to halving.
     */
    private static final int INTERPOLATION_PROBES = 6;
    /**
     * The most ids in the ascending index that an id out of order moves to the hash index.
     */
    private static final int ASCENDING_SHORT_RUN = 64;
    private static final int LONGS_PER_LINE = 8;
    private static final int INTS_PER_LINE = 16;

    private final long[] accounts;
    private final IdIndex accountIndexById;
    private int accountCount;

    private final ColdTier cold;
    private final long hotWindow;
    private final int coldLagRecords;
    private final int ringCapacity;
    private final int pendingBase;
    private final int scratchSlot;
    private final long[] records;
    private final int[] ringPreviousSlots;
    private final IdIndex hotIndexById;
    private int headSlot;
    private long recordCount;
    private long sealedRecords;
    private long publishedRecordCount;
    private int oldestIndexedSlot;
    private long oldestIndexedRecord;
    private long transferCount;
    /**
     * Records written that re-record a sealed pending transfer ({@link #KIND_STATE}): a ledger without a cold tier
     * never writes one, so a limit of transfer records in force (a history made without a tier) counts the others
     * only, and a replay of such a history with a tier answers what the service without one did.
     */
    private long stateRecords;

    /**
     * The ascending index: ring slots of transfers whose ids only grow, in record order, which {@link #hotIndexById}
     * does not hold. A record goes here instead of into that index when it creates a transfer that is not pending
     * and its id is above the id ceiling (so the ids here ascend, and {@link #findAscending} finds one by a
     * search). Ids that only grow, as TigerBeetle advises, all go here: appending a slot writes memory in order,
     * where a put into the hash index writes one random line of a table too large for the cache, which a transfer
     * then waits for. Pending transfers always go into the hash index, as a post or void looks them up; and an id
     * out of order moves a run of up to {@value #ASCENDING_SHORT_RUN} ids here into the hash index, so that random
     * ids, a few of which ascend by chance, leave it empty. A circular array of {@link #ringCapacity} slots, oldest
     * first from {@link #ascendingFirst}; trimmed with the ring and rolled back with a chain.
     */
    private final int[] ascendingSlots;
    private int ascendingFirst;
    private int ascendingCount;
    /**
     * At or above every transfer id that has had a record (created, failed, or created by a chain that was then
     * undone): an id above it names no transfer in the ring, the pool or the cold tier, so a new transfer with an
     * id that only grows needs no lookup at all. Never lowered. Recomputed when a snapshot is read: from its records,
     * and from the cold tier's highest id ({@link ColdTier#copyHighestId}) when the tier holds records the snapshot
     * does not.
     */
    private long idCeilingHi;
    private long idCeilingLo;

    private final IdIndex poolIndexById;
    private int poolCount;
    /**
     * The largest id put into the pool since the ledger was made or reset (a snapshot's load puts its pool again):
     * every id in the pool is at or below it. Ids that only grow, as TigerBeetle advises, are all above it, so a
     * new transfer's id needs no probe of the pool's large, mostly empty index (a random read of memory). Never
     * lowered, so it may be above every id the pool still holds; it only decides whether to look, never what is
     * found.
     */
    private long poolIdCeilingHi;
    private long poolIdCeilingLo;
    private int pendingCount;

    private final int[] heapPositions;
    private final int[] heapHandles;
    private final long[] heapExpiresAtNanos;
    private int heapSize;

    private long historyHash0;
    private long historyHash1;

    /**
     * The limits in force: what decides {@code ACCOUNTS_FULL}, {@code PENDING_TRANSFERS_FULL} and, for a history
     * made without a cold tier, {@code TRANSFERS_FULL}. The ledger's own until a journaled limits record
     * ({@link #applyLimits}) or a snapshot says otherwise, so that a replay on a ledger built with other limits
     * answers what the original answered.
     */
    private int accountLimit;
    private int pendingLimit;
    /**
     * Transfer records in force, {@link #UNBOUNDED_TRANSFERS} for a history made with a cold tier.
     */
    private long transferLimit;
    private boolean limitsKnown;
    private String capacityShortfall;

    private long lastTimestampNanos;
    private long lastTransferTimestampNanos;
    /**
     * The timestamp the transfer event being applied is assigned (an imported one has its own besides): what a
     * post or void's expiry check compares with, as TigerBeetle's {@code timestamp_event}.
     */
    private long assignedNanos;
    private long clockNanos;
    private long existingTimestampNanos;
    private long createdTimestampNanos;
    private long touchSink;

    private LedgerChangeListener changeListener;
    private long[] changes;
    private int changeCount;
    private final LedgerChange change = new LedgerChange();

    /**
     * How many leaving ids {@link #trim()} reads ahead of removing them: enough misses in flight to overlap, few
     * enough that the slots are still cached when removed.
     */
    private static final int TRIM_RUN = 64;

    /**
     * Build an empty ledger that keeps every transfer in memory, allocating all of its storage.
     *
     * @param limits bounds of the storage; validated.
     * @throws IllegalArgumentException if a limit is out of range.
     */
    public Ledger(final LedgerLimits limits)
    {
        this(limits, null);
    }

    /**
     * Build an empty ledger, allocating all of its storage.
     *
     * @param limits bounds of the storage; validated. With a cold tier, {@code maxTransfers} is the hot window.
     * @param cold   where transfers older than the hot window go, or null to keep every transfer in memory.
     * @throws IllegalArgumentException if a limit is out of range, or if the storage
     *                                  ({@link LedgerLimits#heapBytesEstimate}) exceeds the JVM's maximum heap.
     */
    public Ledger(final LedgerLimits limits, final ColdTier cold)
    {
        limits.validate();
        final String heapShortfall = limits.heapShortfall(null != cold, 1, LedgerLimits.longLivedHeapBytes());
        if (null != heapShortfall)
        {
            // Refused before anything is allocated: an OutOfMemoryError part way through would say much less.
            throw new IllegalArgumentException(heapShortfall + ": lower those limits, or give the JVM more heap (-Xmx)");
        }
        this.limits = new LedgerLimits()
            .maxAccounts(limits.maxAccounts())
            .maxTransfers(limits.maxTransfers())
            .maxPendingTransfers(limits.maxPendingTransfers())
            .maxBatchEvents(limits.maxBatchEvents())
            .maxColdLagRecords(limits.maxColdLagRecords());
        this.cold = cold;
        maxAccounts = limits.maxAccounts();
        maxTransfers = limits.maxTransfers();
        maxPendingTransfers = limits.maxPendingTransfers();
        maxBatchEvents = limits.maxBatchEvents();
        touchedAccountOffsets = new int[2 * maxBatchEvents];
        touchedIdHashes = new long[maxBatchEvents];
        touchedDebitHashes = new long[maxBatchEvents];
        touchedCreditHashes = new long[maxBatchEvents];

        if ((long)maxAccounts * ACCOUNT_LONGS > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("maxAccounts=" + maxAccounts + " needs " +
                (long)maxAccounts * ACCOUNT_LONGS + " longs of accounts, more than one array holds: at most " +
                (Integer.MAX_VALUE - 8) / ACCOUNT_LONGS + " accounts");
        }
        accounts = new long[maxAccounts * ACCOUNT_LONGS];
        accountIndexById = new IdIndex(maxAccounts, accounts, 0, ACCOUNT_LONGS, A_ID_LO, A_ID_HI);

        // With a cold tier the ring also holds the sealed records the tier has not written yet, up to the cold lag
        // (at least the two records an event of one command may write: a post or void, and the re-record of the
        // sealed pending transfer it resolves).
        hotWindow = null == cold ? Long.MAX_VALUE : maxTransfers;
        coldLagRecords = null == cold ? 0 : limits.maxColdLagRecords();
        final long ringSlots = null == cold ? maxTransfers : (long)maxTransfers + coldLagRecords;
        final int poolSlots = null == cold ? 0 : maxPendingTransfers;
        final long slots = ringSlots + poolSlots + 1;
        if (slots * RECORD_LONGS > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("maxTransfers=" + maxTransfers + " with maxPendingTransfers=" +
                maxPendingTransfers + " and maxBatchEvents=" + maxBatchEvents + " needs " + slots +
                " transfer records, more than one array holds (" + (Integer.MAX_VALUE / RECORD_LONGS) + ")");
        }
        ringCapacity = (int)ringSlots;
        pendingBase = ringCapacity;
        scratchSlot = ringCapacity + poolSlots;
        records = new long[(int)slots * RECORD_LONGS];
        // Only a post or void re-records a transfer, and only of a sealed one: never without a cold tier.
        ringPreviousSlots = new int[null == cold ? 0 : ringCapacity];
        hotIndexById = new IdIndex(ringCapacity, records, 0, RECORD_LONGS, R_ID_LO, R_ID_HI);
        ascendingSlots = new int[ringCapacity];

        poolIndexById = new IdIndex(
            Math.max(1, poolSlots), records, pendingBase, RECORD_LONGS, R_ID_LO, R_ID_HI);
        heapPositions = new int[scratchSlot];
        Arrays.fill(heapPositions, -1);
        heapHandles = new int[maxPendingTransfers];
        heapExpiresAtNanos = new long[maxPendingTransfers];
        useOwnLimits();
    }

    /**
     * Put this ledger's own limits in force, as they are when it is built; for a ledger whose journal records no
     * limits (a cluster member's: members must all run with the same), once it has caught up with what it applied
     * before.
     */
    public void useOwnLimits()
    {
        accountLimit = maxAccounts;
        pendingLimit = maxPendingTransfers;
        transferLimit = ownTransferLimit();
        limitsKnown = false;
        capacityShortfall = null;
    }

    private long ownTransferLimit()
    {
        return null == cold ? maxTransfers : UNBOUNDED_TRANSFERS;
    }

    /**
     * Put limits in force, as a journaled limits record or a snapshot says the history was made with: from now on
     * the ledger answers {@code ACCOUNTS_FULL}, {@code PENDING_TRANSFERS_FULL} and {@code TRANSFERS_FULL} at them.
     * Limits above what this ledger was built with are taken as they are: if the ledger then runs out of room where
     * they would not have, it answers the capacity result and {@link #capacityShortfall()} says why, for the replay
     * to stop on. Changes nothing else.
     *
     * @param maxAccounts         accounts in force.
     * @param maxTransfers        transfer records in force, {@link #UNBOUNDED_TRANSFERS} if the history had a cold
     *                            tier (no bound).
     * @param maxPendingTransfers pending transfers in force.
     */
    public void applyLimits(final int maxAccounts, final long maxTransfers, final int maxPendingTransfers)
    {
        accountLimit = maxAccounts;
        transferLimit = maxTransfers;
        pendingLimit = maxPendingTransfers;
        limitsKnown = true;
    }

    /**
     * @return true if a limits record or a snapshot gave the limits in force; false while they are this ledger's own
     * by default (an empty ledger, or a history journaled before limits records).
     */
    public boolean limitsKnown()
    {
        return limitsKnown;
    }

    /**
     * @return accounts in force.
     */
    public int accountLimit()
    {
        return accountLimit;
    }

    /**
     * @return transfer records in force, {@link #UNBOUNDED_TRANSFERS} for a history with a cold tier.
     */
    public long transferLimit()
    {
        return transferLimit;
    }

    /**
     * @return pending transfers in force.
     */
    public int pendingLimit()
    {
        return pendingLimit;
    }

    /**
     * @return true if this ledger's own limits are the ones in force, and were given as such.
     */
    public boolean ownLimitsKnownInForce()
    {
        return limitsKnown && accountLimit == maxAccounts && pendingLimit == maxPendingTransfers &&
            transferLimit == ownTransferLimit();
    }

    /**
     * @return null, or why this ledger answered a capacity result that the history it replays, made with larger
     * limits in force, did not: the replay has parted from the original and must stop.
     */
    public String capacityShortfall()
    {
        return capacityShortfall;
    }

    private void shortfall(final String what, final String option, final long inForce, final long own)
    {
        if (null == capacityShortfall)
        {
            capacityShortfall = "this ledger holds at most " + own + " " + what + " (" + option + " " + own +
                "), but the history it replays was made with " +
                (UNBOUNDED_TRANSFERS == inForce ? "no bound (a cold tier)" : inForce) + " in force: replayed on, " +
                "it would refuse what the original accepted; replay with " + option +
                (UNBOUNDED_TRANSFERS == inForce ? " large enough, or with a cold tier" : " " + inForce + " or more");
        }
    }

    /**
     * @return a copy of the limits this ledger was built with.
     */
    public LedgerLimits limits()
    {
        return new LedgerLimits()
            .maxAccounts(limits.maxAccounts())
            .maxTransfers(limits.maxTransfers())
            .maxPendingTransfers(limits.maxPendingTransfers())
            .maxBatchEvents(limits.maxBatchEvents())
            .maxColdLagRecords(limits.maxColdLagRecords());
    }

    /**
     * Expire due pending transfers, then create a batch of accounts, writing one result per event.
     *
     * @param events               the batch, at most {@link LedgerLimits#maxBatchEvents()} events.
     * @param recordTimestampNanos timestamp of the journaled record carrying the batch.
     * @param results              where the outcomes go; overwritten.
     * @throws IllegalArgumentException if the batch exceeds the limit or the results' capacity (a framing error
     *                                  ingress must have rejected).
     */
    public void createAccounts(
        final AccountEvents events, final long recordTimestampNanos, final AccountResults results)
    {
        final int count = events.count();
        checkBatch(count, results.capacity());
        expire(recordTimestampNanos);

        final long baseNanos = Math.max(recordTimestampNanos, lastTimestampNanos + 1);
        // As TigerBeetle: the first event decides whether the batch is imported.
        final boolean batchImported = count > 0 && (events.flags(0) & AccountFlags.IMPORTED) != 0;
        final long lastBefore = lastTimestampNanos;
        final int accountsBefore = accountCount;
        int chainStart = -1;
        int chainAccountMark = 0;
        long chainLastTimestampMark = 0;
        for (int i = 0; i < count; i++)
        {
            final long eventNanos = baseNanos + i;
            final int flags = events.flags(i);
            final boolean linked = (flags & AccountFlags.LINKED) != 0;
            if (linked && chainStart < 0)
            {
                chainStart = i;
                chainAccountMark = accountCount;
                chainLastTimestampMark = lastTimestampNanos;
            }

            final boolean imported = (flags & AccountFlags.IMPORTED) != 0;
            final CreateAccountResult result;
            if (linked && i == count - 1)
            {
                result = CreateAccountResult.LINKED_EVENT_CHAIN_OPEN;
            }
            else if (imported != batchImported)
            {
                result = imported ? CreateAccountResult.IMPORTED_EVENT_NOT_EXPECTED :
                    CreateAccountResult.IMPORTED_EVENT_EXPECTED;
            }
            else
            {
                final long eventTimestamp = events.timestamp(i);
                if (imported && (eventTimestamp <= 0 || eventTimestamp > TIMESTAMP_MAX))
                {
                    result = CreateAccountResult.IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE;
                }
                else if (imported && eventTimestamp >= eventNanos)
                {
                    result = CreateAccountResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE;
                }
                else if (!imported && eventTimestamp != 0)
                {
                    result = CreateAccountResult.TIMESTAMP_MUST_BE_ZERO;
                }
                else
                {
                    result = createAccount(events, i, imported ? eventTimestamp : eventNanos);
                }
            }
            results.set(i, result, result == CreateAccountResult.OK ? createdTimestampNanos :
                result == CreateAccountResult.EXISTS ? existingTimestampNanos : eventNanos);

            if (result != CreateAccountResult.OK && chainStart >= 0)
            {
                rollbackAccounts(chainAccountMark);
                lastTimestampNanos = chainLastTimestampMark;
                for (int j = chainStart; j < i; j++)
                {
                    // As TigerBeetle: only the result changes; an imported event keeps its own timestamp.
                    results.set(j, CreateAccountResult.LINKED_EVENT_FAILED, results.timestamp(j));
                }
                int j = i;
                boolean chained = linked;
                while (chained && j + 1 < count)
                {
                    j++;
                    chained = (events.flags(j) & AccountFlags.LINKED) != 0;
                    results.set(j, chained && j == count - 1 ? CreateAccountResult.LINKED_EVENT_CHAIN_OPEN :
                        CreateAccountResult.LINKED_EVENT_FAILED, baseNanos + j);
                }
                i = j;
                chainStart = -1;
            }
            else if (!linked)
            {
                chainStart = -1;
            }
        }

        results.count(count);
        // As TigerBeetle's prepare timestamp: an imported batch uses up its assigned timestamps too (its imported
        // ones are all below them).
        advanceClock(recordTimestampNanos, baseNanos, count);
        assert lastTimestampNanos >= lastBefore;
        foldAccounts(accountsBefore);
        sealAndTrim();
    }

    /**
     * Expire due pending transfers, then create a batch of transfers, writing one result per event.
     *
     * @param events               the batch, at most {@link LedgerLimits#maxBatchEvents()} events.
     * @param recordTimestampNanos timestamp of the journaled record carrying the batch.
     * @param results              where the outcomes go; overwritten.
     * @throws IllegalArgumentException if the batch exceeds the limit or the results' capacity (a framing error
     *                                  ingress must have rejected).
     */
    public void createTransfers(
        final TransferEvents events, final long recordTimestampNanos, final TransferResults results)
    {
        final int count = events.count();
        checkBatch(count, results.capacity());
        expire(recordTimestampNanos);
        trim();
        int touchedTo = 0;

        final long baseNanos = Math.max(recordTimestampNanos, lastTimestampNanos + 1);
        final boolean batchImported = count > 0 && (events.flags(0) & TransferFlags.IMPORTED) != 0;
        int chainStart = -1;
        long chainRecordMark = 0;
        int chainChangeMark = 0;
        long chainLastTimestampMark = 0;
        long chainLastTransferTimestampMark = 0;
        long chainHash0Mark = 0;
        long chainHash1Mark = 0;
        for (int i = 0; i < count; i++)
        {
            if (i >= touchedTo)
            {
                // The next chunk's ids, index slots and account records, just ahead of their use: a whole
                // batch's would not stay in the cache until its last events.
                touchedTo = Math.min(count, i + TOUCH_CHUNK);
                touch(events, i, touchedTo);
            }
            final long eventNanos = baseNanos + i;
            final int flags = events.flags(i);
            final boolean linked = (flags & TransferFlags.LINKED) != 0;
            if (linked && chainStart < 0)
            {
                chainStart = i;
                chainRecordMark = recordCount;
                chainChangeMark = changeCount;
                chainLastTimestampMark = lastTimestampNanos;
                chainLastTransferTimestampMark = lastTransferTimestampNanos;
                chainHash0Mark = historyHash0;
                chainHash1Mark = historyHash1;
            }

            final boolean imported = (flags & TransferFlags.IMPORTED) != 0;
            CreateTransferResult result;
            if (linked && i == count - 1)
            {
                result = CreateTransferResult.LINKED_EVENT_CHAIN_OPEN;
            }
            else if (imported != batchImported)
            {
                result = imported ? CreateTransferResult.IMPORTED_EVENT_NOT_EXPECTED :
                    CreateTransferResult.IMPORTED_EVENT_EXPECTED;
            }
            else
            {
                final long eventTimestamp = events.timestamp(i);
                if (imported && (eventTimestamp <= 0 || eventTimestamp > TIMESTAMP_MAX))
                {
                    result = CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE;
                }
                else if (imported && eventTimestamp >= eventNanos)
                {
                    result = CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE;
                }
                else if (!imported && eventTimestamp != 0)
                {
                    result = CreateTransferResult.TIMESTAMP_MUST_BE_ZERO;
                }
                else
                {
                    assignedNanos = eventNanos;
                    result = createTransfer(events, i, imported ? eventTimestamp : eventNanos);
                }
            }
            if (result != CreateTransferResult.OK && chainStart >= 0)
            {
                rollbackTransfers(chainRecordMark);
                changeCount = chainChangeMark;
                lastTimestampNanos = chainLastTimestampMark;
                lastTransferTimestampNanos = chainLastTransferTimestampMark;
                // The chain's creations were folded into the history hash as they were made: unfold them.
                historyHash0 = chainHash0Mark;
                historyHash1 = chainHash1Mark;
            }
            if (isTransient(result))
            {
                // After the rollback: the id stays failed even though its chain left nothing else behind.
                result = rememberFailure(events, i, result, eventNanos);
            }
            results.set(i, result, result == CreateTransferResult.OK ? createdTimestampNanos :
                result == CreateTransferResult.EXISTS ? existingTimestampNanos : eventNanos);

            if (result != CreateTransferResult.OK && chainStart >= 0)
            {
                for (int j = chainStart; j < i; j++)
                {
                    // As TigerBeetle: only the result changes; an imported event keeps its own timestamp.
                    results.set(j, CreateTransferResult.LINKED_EVENT_FAILED, results.timestamp(j));
                }
                int j = i;
                boolean chained = linked;
                while (chained && j + 1 < count)
                {
                    j++;
                    chained = (events.flags(j) & TransferFlags.LINKED) != 0;
                    results.set(j, chained && j == count - 1 ? CreateTransferResult.LINKED_EVENT_CHAIN_OPEN :
                        CreateTransferResult.LINKED_EVENT_FAILED, baseNanos + j);
                }
                i = j;
                chainStart = -1;
            }
            else if (!linked)
            {
                chainStart = -1;
            }
        }

        results.count(count);
        advanceClock(recordTimestampNanos, baseNanos, count);
        if (null != changes)
        {
            publishChanges();
        }
        sealAndTrim();
        if (null != cold)
        {
            PUBLISHED_RECORD_COUNT.setRelease(this, recordCount);
        }
    }

    /**
     * Expire every pending transfer due at {@code recordTimestampNanos}; nothing else. Ingress injects a journaled
     * tick when idle so that expiries still happen.
     *
     * @param recordTimestampNanos timestamp of the journaled tick record.
     */
    public void tick(final long recordTimestampNanos)
    {
        expire(recordTimestampNanos);
        clockNanos = Math.max(clockNanos, Math.max(recordTimestampNanos, lastTimestampNanos));
        sealAndTrim();
    }

    private void checkBatch(final int count, final int resultsCapacity)
    {
        if (count > maxBatchEvents || count > resultsCapacity)
        {
            throw new IllegalArgumentException("batch of " + count + " events exceeds maxBatchEvents=" +
                maxBatchEvents + " or results capacity=" + resultsCapacity);
        }
    }

    private void advanceClock(final long recordTimestampNanos, final long baseNanos, final int count)
    {
        if (count > 0)
        {
            lastTimestampNanos = baseNanos + count - 1;
        }
        clockNanos = Math.max(clockNanos, Math.max(recordTimestampNanos, lastTimestampNanos));
        assert heapSize <= pendingCount && pendingCount <= maxPendingTransfers;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accounts
    // ---------------------------------------------------------------------------------------------------------

    private CreateAccountResult createAccount(final AccountEvents events, final int i, final long timestampNanos)
    {
        final int flags = events.flags(i);
        final long idHi = events.idHi(i);
        final long idLo = events.idLo(i);

        if (events.reserved(i) != 0)
        {
            return CreateAccountResult.RESERVED_FIELD;
        }
        if ((flags & ~AccountFlags.ALL) != 0)
        {
            return CreateAccountResult.RESERVED_FLAG;
        }
        if (UInt128.isZero(idHi, idLo))
        {
            return CreateAccountResult.ID_MUST_NOT_BE_ZERO;
        }
        if (UInt128.isMax(idHi, idLo))
        {
            return CreateAccountResult.ID_MUST_NOT_BE_INT_MAX;
        }
        final long userData128Hi = events.userData128Hi(i);
        final long userData128Lo = events.userData128Lo(i);
        final long userData64 = events.userData64(i);
        final long userData32 = events.userData32(i);
        final long ledger = events.ledger(i);
        final int code = events.code(i);
        final int existing = accountIndexById.get(idHi, idLo);
        if (existing >= 0)
        {
            final long[] accounts = this.accounts;
            final int offset = existing * ACCOUNT_LONGS;
            final long meta = accounts[offset + A_META];
            if (flags != metaFlags(meta))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (userData128Hi != accounts[offset + A_USER_DATA_128_HI] ||
                userData128Lo != accounts[offset + A_USER_DATA_128_LO])
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
            }
            if (userData64 != accounts[offset + A_USER_DATA_64])
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
            }
            if (userData32 != (accounts[offset + A_USER_DATA_32] & USER_DATA_32_MASK))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
            }
            if (ledger != metaLedger(meta))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_LEDGER;
            }
            if (code != metaCode(meta))
            {
                return CreateAccountResult.EXISTS_WITH_DIFFERENT_CODE;
            }
            existingTimestampNanos = accounts[offset + A_TIMESTAMP];
            return CreateAccountResult.EXISTS;
        }
        if ((flags & BALANCE_FLAGS) == BALANCE_FLAGS)
        {
            return CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (!UInt128.isZero(events.debitsPendingHi(i), events.debitsPendingLo(i)))
        {
            return CreateAccountResult.DEBITS_PENDING_MUST_BE_ZERO;
        }
        if (!UInt128.isZero(events.debitsPostedHi(i), events.debitsPostedLo(i)))
        {
            return CreateAccountResult.DEBITS_POSTED_MUST_BE_ZERO;
        }
        if (!UInt128.isZero(events.creditsPendingHi(i), events.creditsPendingLo(i)))
        {
            return CreateAccountResult.CREDITS_PENDING_MUST_BE_ZERO;
        }
        if (!UInt128.isZero(events.creditsPostedHi(i), events.creditsPostedLo(i)))
        {
            return CreateAccountResult.CREDITS_POSTED_MUST_BE_ZERO;
        }
        if (ledger == 0)
        {
            return CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (code == 0)
        {
            return CreateAccountResult.CODE_MUST_NOT_BE_ZERO;
        }
        // After the idempotency checks, as TigerBeetle, so that an import that is retried answers EXISTS.
        if ((flags & AccountFlags.IMPORTED) != 0 && (timestampNanos <= lastAccountTimestampNanos() ||
            timestampNanos <= lastTransferTimestampNanos))
        {
            return CreateAccountResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
        }

        if (accountCount >= accountLimit)
        {
            return CreateAccountResult.ACCOUNTS_FULL;
        }
        if (accountCount == maxAccounts)
        {
            shortfall("accounts", "--max-accounts", accountLimit, maxAccounts);
            return CreateAccountResult.ACCOUNTS_FULL;
        }

        final int index = accountCount++;
        final int offset = index * ACCOUNT_LONGS;
        final long[] accounts = this.accounts;
        accounts[offset + A_ID_LO] = idLo;
        accounts[offset + A_ID_HI] = idHi;
        for (int k = A_DEBITS_PENDING_HI; k <= A_CREDITS_POSTED_HI; k++)
        {
            accounts[offset + k] = 0;
            accounts[offset + k - A_HI_FROM_LO] = 0;
        }
        accounts[offset + A_USER_DATA_128_LO] = userData128Lo;
        accounts[offset + A_USER_DATA_128_HI] = userData128Hi;
        accounts[offset + A_USER_DATA_64] = userData64;
        accounts[offset + A_USER_DATA_32] = userData32;
        accounts[offset + A_TIMESTAMP] = timestampNanos;
        accounts[offset + A_META] = meta(ledger, code, flags);
        accountIndexById.put(idHi, idLo, index);
        if ((flags & AccountFlags.IMPORTED) != 0)
        {
            lastTimestampNanos = Math.max(lastTimestampNanos, timestampNanos);
        }
        createdTimestampNanos = timestampNanos;

        return CreateAccountResult.OK;
    }

    /**
     * @return the timestamp of the newest account, 0 for none: account timestamps grow with their index (an assigned
     * one is above every timestamp before it, an imported one above every account's and transfer's).
     */
    private long lastAccountTimestampNanos()
    {
        return 0 == accountCount ? 0 : accounts[(accountCount - 1) * ACCOUNT_LONGS + A_TIMESTAMP];
    }

    /**
     * Whether an account has this timestamp, by binary search: account timestamps grow with their index.
     */
    private boolean isAccountTimestamp(final long timestampNanos)
    {
        final long[] accounts = this.accounts;
        int low = 0;
        int high = accountCount - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final long middleNanos = accounts[middle * ACCOUNT_LONGS + A_TIMESTAMP];
            if (middleNanos < timestampNanos)
            {
                low = middle + 1;
            }
            else if (middleNanos > timestampNanos)
            {
                high = middle - 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    private void rollbackAccounts(final int mark)
    {
        while (accountCount > mark)
        {
            final int index = --accountCount;
            final int offset = index * ACCOUNT_LONGS;
            accountIndexById.remove(accounts[offset + A_ID_HI], accounts[offset + A_ID_LO]);
            for (int k = 0; k < ACCOUNT_LONGS; k++)
            {
                accounts[offset + k] = 0;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transfers
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Read, without acting on them, the index slots, account lines and ring lines the batch is about to use. The
     * probes of different events do not depend on each other, so the CPU overlaps their cache misses, which the
     * one-by-one apply loop cannot do; the apply loop then finds them in cache. Has no effect on state.
     */
    private void touch(final TransferEvents events, final int from, final int to)
    {
        final IdIndex hotIndexById = this.hotIndexById;
        final IdIndex poolIndexById = this.poolIndexById;
        final IdIndex accountIndexById = this.accountIndexById;
        final long[] idHashes = touchedIdHashes;
        final long[] debitHashes = touchedDebitHashes;
        final long[] creditHashes = touchedCreditHashes;
        // The hashes first, kept for the apply loop, so that the loop of loads after it is short and the CPU
        // has as many of them in flight as it can. And whether any id of the chunk is at or below the id ceiling,
        // so may name a transfer: ids that only grow never are, and need no slot of the hash index read.
        boolean resolves = false;
        boolean mayExist = false;
        for (int i = from; i < to; i++)
        {
            final long idHi = events.idHi(i);
            final long idLo = events.idLo(i);
            idHashes[i] = IdIndex.hash(idHi, idLo);
            mayExist |= !isAboveIdCeiling(idHi, idLo);
            debitHashes[i] = IdIndex.hash(events.debitAccountIdHi(i), events.debitAccountIdLo(i));
            creditHashes[i] = IdIndex.hash(events.creditAccountIdHi(i), events.creditAccountIdLo(i));
            resolves |= 0 != (events.pendingIdHi(i) | events.pendingIdLo(i));
        }
        long sink = 0;
        if (mayExist)
        {
            for (int i = from; i < to; i++)
            {
                sink += hotIndexById.touch(idHashes[i]) + accountIndexById.touch(debitHashes[i]) +
                    accountIndexById.touch(creditHashes[i]);
            }
        }
        else
        {
            for (int i = from; i < to; i++)
            {
                sink += accountIndexById.touch(debitHashes[i]) + accountIndexById.touch(creditHashes[i]);
            }
        }
        // The ring lines the chunk's new records will be written to (as many records as events, at most). A store
        // to a line not in the cache holds up every store after it until the line arrives, one line after another;
        // loads of them here overlap, with the index slots' above. Not past the ring's end: after a wrap the
        // lines are written unread, as before.
        final long[] records = this.records;
        for (int k = headSlot * RECORD_LONGS, end = Math.min(headSlot + to - from, ringCapacity) * RECORD_LONGS;
            k < end; k += LONGS_PER_LINE)
        {
            sink += records[k];
        }
        // And the lines of the ascending index the chunk's ids may be appended to, for the same reason.
        for (int k = ascendingCount, end = Math.min(ascendingCount + to - from, ringCapacity); k < end;
            k += INTS_PER_LINE)
        {
            sink += ascendingSlots[ascendingPosition(k)];
        }
        // With a cold tier, an id the ring does not index is looked for in the pool of sealed pending transfers
        // too: a new id's probe of that (large, mostly empty) index misses the cache unless warmed here.
        if (null != cold && poolIndexById.size() > 0)
        {
            for (int i = from; i < to; i++)
            {
                if (mayBeInPool(events.idHi(i), events.idLo(i)))
                {
                    sink += poolIndexById.touch(idHashes[i]);
                }
            }
        }
        if (resolves)
        {
            for (int i = from; i < to; i++)
            {
                final long pendingIdHi = events.pendingIdHi(i);
                final long pendingIdLo = events.pendingIdLo(i);
                if (0 != (pendingIdHi | pendingIdLo))
                {
                    final long h = IdIndex.hash(pendingIdHi, pendingIdLo);
                    sink += hotIndexById.touch(h);
                    if (mayBeInPool(pendingIdHi, pendingIdLo))
                    {
                        sink += poolIndexById.touch(h);
                    }
                }
            }
        }
        // Then the accounts' records, a transfer's main cost once the accounts outgrow the cache. First their
        // offsets, from the tags of index slots now in the cache (no record read, so no miss waits on another);
        // then, in a loop of independent loads with no branch, the longs a transfer reads of each: its first 88
        // bytes (balances, then ledger, code and flags, then the id a lookup checks), two or three lines wherever
        // the record starts. The misses overlap instead of each transfer waiting for its two accounts in turn.
        final int[] offsets = touchedAccountOffsets;
        for (int i = from; i < to; i++)
        {
            offsets[2 * i] = accountIndexById.candidate(debitHashes[i]);
            offsets[2 * i + 1] = accountIndexById.candidate(creditHashes[i]);
        }
        final long[] accounts = this.accounts;
        for (int k = 2 * from, n = 2 * to; k < n; k++)
        {
            final int offset = Math.max(offsets[k], 0) * ACCOUNT_LONGS;
            sink += accounts[offset + A_DEBITS_PENDING_LO] + accounts[offset + A_USER_DATA_32];
        }
        touchSink = sink;
    }

    /**
     * The index of an account found by the prefetch pass, checked against the record; else the index lookup.
     */
    private int touchedAccount(final int candidate, final long h, final long idHi, final long idLo)
    {
        if (candidate >= 0)
        {
            final int offset = candidate * ACCOUNT_LONGS;
            if (accounts[offset + A_ID_LO] == idLo && accounts[offset + A_ID_HI] == idHi)
            {
                // Ids are unique among account records, and an account's record holds its id for life.
                return candidate;
            }
        }
        return accountIndexById.get(h, idHi, idLo);
    }

    private CreateTransferResult createTransfer(final TransferEvents events, final int i, final long timestampNanos)
    {
        final int flags = events.flags(i);
        final long idHi = events.idHi(i);
        final long idLo = events.idLo(i);

        if ((flags & ~TransferFlags.ALL) != 0)
        {
            return CreateTransferResult.RESERVED_FLAG;
        }
        if (UInt128.isZero(idHi, idLo))
        {
            return CreateTransferResult.ID_MUST_NOT_BE_ZERO;
        }
        if (UInt128.isMax(idHi, idLo))
        {
            return CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
        }
        final int phase = flags & PHASE_FLAGS;
        final boolean resolves = (phase & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0;

        // As TigerBeetle does: an id that exists is answered from the transfer it names, before any other check.
        final int existing = locateRecord(touchedIdHashes[i], idHi, idLo);
        if (existing >= 0)
        {
            if (kindOf(records[existing * RECORD_LONGS + R_EXTRA]) == KIND_FAILED)
            {
                return CreateTransferResult.ID_ALREADY_FAILED;
            }
            return existingTransfer(existing, resolves, events, i);
        }

        if ((phase & (phase - 1)) != 0 || ((flags & (BALANCING_FLAGS | CLOSING_FLAGS)) != 0 && resolves))
        {
            return CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }

        if (resolves)
        {
            return postOrVoidPending(events, i, idHi, idLo, flags, timestampNanos);
        }

        return createSingleOrPending(events, i, idHi, idLo, flags, timestampNanos);
    }

    private CreateTransferResult createSingleOrPending(
        final TransferEvents events,
        final int i,
        final long idHi,
        final long idLo,
        final int flags,
        final long timestampNanos)
    {
        final long debitAccountIdHi = events.debitAccountIdHi(i);
        final long debitAccountIdLo = events.debitAccountIdLo(i);
        final long creditAccountIdHi = events.creditAccountIdHi(i);
        final long creditAccountIdLo = events.creditAccountIdLo(i);
        long amountHi = events.amountHi(i);
        long amountLo = events.amountLo(i);
        final long ledger = events.ledger(i);
        final long timeoutSeconds = events.timeoutSeconds(i);
        final int code = events.code(i);
        final boolean pending = (flags & TransferFlags.PENDING) != 0;
        final boolean imported = (flags & TransferFlags.IMPORTED) != 0;

        if (UInt128.isZero(debitAccountIdHi, debitAccountIdLo))
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (UInt128.isMax(debitAccountIdHi, debitAccountIdLo))
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (UInt128.isZero(creditAccountIdHi, creditAccountIdLo))
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (UInt128.isMax(creditAccountIdHi, creditAccountIdLo))
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX;
        }
        if (debitAccountIdHi == creditAccountIdHi && debitAccountIdLo == creditAccountIdLo)
        {
            return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (!UInt128.isZero(events.pendingIdHi(i), events.pendingIdLo(i)))
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
        }
        if (timeoutSeconds != 0 && !pending)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if ((flags & CLOSING_FLAGS) != 0 && !pending)
        {
            return CreateTransferResult.CLOSING_TRANSFER_MUST_BE_PENDING;
        }
        if (ledger == 0)
        {
            return CreateTransferResult.LEDGER_MUST_NOT_BE_ZERO;
        }
        if (code == 0)
        {
            return CreateTransferResult.CODE_MUST_NOT_BE_ZERO;
        }

        final int debitIndex = touchedAccount(
            touchedAccountOffsets[2 * i], touchedDebitHashes[i], debitAccountIdHi, debitAccountIdLo);
        if (debitIndex < 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND;
        }
        final int creditIndex = touchedAccount(
            touchedAccountOffsets[2 * i + 1], touchedCreditHashes[i], creditAccountIdHi, creditAccountIdLo);
        if (creditIndex < 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
        }

        final long[] accounts = this.accounts;
        final int debitOffset = debitIndex * ACCOUNT_LONGS;
        final int creditOffset = creditIndex * ACCOUNT_LONGS;
        final long debitMeta = accounts[debitOffset + A_META];
        final long creditMeta = accounts[creditOffset + A_META];
        if (metaLedger(debitMeta) != metaLedger(creditMeta))
        {
            return CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
        }
        if (ledger != metaLedger(debitMeta))
        {
            return CreateTransferResult.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
        }
        if (imported)
        {
            // After the idempotency checks, as TigerBeetle, so that an import that is retried answers EXISTS.
            if (timestampNanos <= lastTransferTimestampNanos || isAccountTimestamp(timestampNanos))
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
            }
            if (timestampNanos <= accounts[debitOffset + A_TIMESTAMP])
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT;
            }
            if (timestampNanos <= accounts[creditOffset + A_TIMESTAMP])
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT;
            }
            if (timeoutSeconds != 0)
            {
                return CreateTransferResult.IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO;
            }
        }
        if ((metaFlags(debitMeta) & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if ((metaFlags(creditMeta) & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
        }

        // The high halves only if the account has one: nearly always they are all 0, and then their line is not read.
        final boolean debitHigh = hasHighBalances(debitOffset);
        final boolean creditHigh = hasHighBalances(creditOffset);
        final long debitsPendingLo = accounts[debitOffset + A_DEBITS_PENDING_LO];
        final long debitsPendingHi = debitHigh ? accounts[debitOffset + A_DEBITS_PENDING_HI] : 0;
        final long debitsPostedLo = accounts[debitOffset + A_DEBITS_POSTED_LO];
        final long debitsPostedHi = debitHigh ? accounts[debitOffset + A_DEBITS_POSTED_HI] : 0;
        final long creditsPendingLo = accounts[creditOffset + A_CREDITS_PENDING_LO];
        final long creditsPendingHi = creditHigh ? accounts[creditOffset + A_CREDITS_PENDING_HI] : 0;
        final long creditsPostedLo = accounts[creditOffset + A_CREDITS_POSTED_LO];
        final long creditsPostedHi = creditHigh ? accounts[creditOffset + A_CREDITS_POSTED_HI] : 0;
        // Pending + posted never overflows: every transfer checks OVERFLOWS_DEBITS / OVERFLOWS_CREDITS below.
        final long debitsTotalLo = UInt128.addLo(debitsPendingLo, debitsPostedLo);
        final long debitsTotalHi = UInt128.addHi(debitsPendingHi, debitsPendingLo, debitsPostedHi, debitsPostedLo);
        final long creditsTotalLo = UInt128.addLo(creditsPendingLo, creditsPostedLo);
        final long creditsTotalHi =
            UInt128.addHi(creditsPendingHi, creditsPendingLo, creditsPostedHi, creditsPostedLo);
        if ((flags & TransferFlags.BALANCING_DEBIT) != 0)
        {
            // At most the debit account's credits posted less its debits, 0 if they are above it already.
            final long limitHi = accounts[debitOffset + A_CREDITS_POSTED_HI];
            final long limitLo = accounts[debitOffset + A_CREDITS_POSTED_LO];
            if (UInt128.subUnderflows(limitHi, limitLo, debitsTotalHi, debitsTotalLo))
            {
                amountHi = 0;
                amountLo = 0;
            }
            else
            {
                final long roomLo = UInt128.subLo(limitLo, debitsTotalLo);
                final long roomHi = UInt128.subHi(limitHi, limitLo, debitsTotalHi, debitsTotalLo);
                if (UInt128.compare(roomHi, roomLo, amountHi, amountLo) < 0)
                {
                    amountHi = roomHi;
                    amountLo = roomLo;
                }
            }
        }
        if ((flags & TransferFlags.BALANCING_CREDIT) != 0)
        {
            final long limitHi = accounts[creditOffset + A_DEBITS_POSTED_HI];
            final long limitLo = accounts[creditOffset + A_DEBITS_POSTED_LO];
            if (UInt128.subUnderflows(limitHi, limitLo, creditsTotalHi, creditsTotalLo))
            {
                amountHi = 0;
                amountLo = 0;
            }
            else
            {
                final long roomLo = UInt128.subLo(limitLo, creditsTotalLo);
                final long roomHi = UInt128.subHi(limitHi, limitLo, creditsTotalHi, creditsTotalLo);
                if (UInt128.compare(roomHi, roomLo, amountHi, amountLo) < 0)
                {
                    amountHi = roomHi;
                    amountLo = roomLo;
                }
            }
        }
        // Balances and an amount all under 2^64 sum to under 2^66: none of the overflow checks can fail.
        if (debitHigh || creditHigh || 0 != amountHi)
        {
            if (pending)
            {
                if (UInt128.addOverflows(debitsPendingHi, debitsPendingLo, amountHi, amountLo))
                {
                    return CreateTransferResult.OVERFLOWS_DEBITS_PENDING;
                }
                if (UInt128.addOverflows(creditsPendingHi, creditsPendingLo, amountHi, amountLo))
                {
                    return CreateTransferResult.OVERFLOWS_CREDITS_PENDING;
                }
            }
            // As TigerBeetle: the posted balances are checked for a pending transfer too (it may be posted in full).
            if (UInt128.addOverflows(debitsPostedHi, debitsPostedLo, amountHi, amountLo))
            {
                return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
            }
            if (UInt128.addOverflows(creditsPostedHi, creditsPostedLo, amountHi, amountLo))
            {
                return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
            }
            if (UInt128.addOverflows(debitsTotalHi, debitsTotalLo, amountHi, amountLo))
            {
                return CreateTransferResult.OVERFLOWS_DEBITS;
            }
            if (UInt128.addOverflows(creditsTotalHi, creditsTotalLo, amountHi, amountLo))
            {
                return CreateTransferResult.OVERFLOWS_CREDITS;
            }
        }

        long expiresAtNanos = NEVER;
        if (timeoutSeconds != 0)
        {
            final long timeoutNanos = timeoutSeconds * NANOS_PER_SECOND;
            if (timestampNanos > Long.MAX_VALUE - timeoutNanos)
            {
                return CreateTransferResult.OVERFLOWS_TIMEOUT;
            }
            expiresAtNanos = timestampNanos + timeoutNanos;
        }

        if ((metaFlags(debitMeta) & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 && UInt128.compare(
            UInt128.addHi(debitsTotalHi, debitsTotalLo, amountHi, amountLo), UInt128.addLo(debitsTotalLo, amountLo),
            accounts[debitOffset + A_CREDITS_POSTED_HI], accounts[debitOffset + A_CREDITS_POSTED_LO]) > 0)
        {
            return CreateTransferResult.EXCEEDS_CREDITS;
        }
        if ((metaFlags(creditMeta) & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 && UInt128.compare(
            UInt128.addHi(creditsTotalHi, creditsTotalLo, amountHi, amountLo), UInt128.addLo(creditsTotalLo, amountLo),
            accounts[creditOffset + A_DEBITS_POSTED_HI], accounts[creditOffset + A_DEBITS_POSTED_LO]) > 0)
        {
            return CreateTransferResult.EXCEEDS_DEBITS;
        }

        if (!hasRoomForRecords(1, 0))
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }
        if (pending && pendingCount >= pendingLimit)
        {
            return CreateTransferResult.PENDING_TRANSFERS_FULL;
        }
        if (pending && pendingCount == maxPendingTransfers)
        {
            shortfall("pending transfers", "--max-pending", pendingLimit, maxPendingTransfers);
            return CreateTransferResult.PENDING_TRANSFERS_FULL;
        }

        if (pending)
        {
            add128(accounts, debitOffset + A_DEBITS_PENDING_LO, amountHi, amountLo);
            add128(accounts, creditOffset + A_CREDITS_PENDING_LO, amountHi, amountLo);
            setClosed(debitOffset, creditOffset, flags, true);
        }
        else
        {
            add128(accounts, debitOffset + A_DEBITS_POSTED_LO, amountHi, amountLo);
            add128(accounts, creditOffset + A_CREDITS_POSTED_LO, amountHi, amountLo);
        }

        final int slot = appendSlot();
        final int offset = slot * RECORD_LONGS;
        final long[] records = this.records;
        // From the values read already, rather than the events again: a decoder's reads are not free.
        records[offset + R_ID_LO] = idLo;
        records[offset + R_ID_HI] = idHi;
        records[offset + R_DEBIT_ACCOUNT_ID_LO] = debitAccountIdLo;
        records[offset + R_DEBIT_ACCOUNT_ID_HI] = debitAccountIdHi;
        records[offset + R_CREDIT_ACCOUNT_ID_LO] = creditAccountIdLo;
        records[offset + R_CREDIT_ACCOUNT_ID_HI] = creditAccountIdHi;
        records[offset + R_AMOUNT_LO] = amountLo;
        records[offset + R_AMOUNT_HI] = amountHi;
        records[offset + R_PENDING_ID_LO] = 0;
        records[offset + R_PENDING_ID_HI] = 0;
        final long userData128Lo = events.userData128Lo(i);
        final long userData128Hi = events.userData128Hi(i);
        final long userData64 = events.userData64(i);
        final long userData32 = events.userData32(i);
        final long meta = meta(ledger, code, flags);
        final long extra = extra(timeoutSeconds, pending ? STATE_PENDING : STATE_NONE, KIND_CREATION);
        records[offset + R_USER_DATA_128_LO] = userData128Lo;
        records[offset + R_USER_DATA_128_HI] = userData128Hi;
        records[offset + R_USER_DATA_64] = userData64;
        records[offset + R_USER_DATA_32] = userData32;
        records[offset + R_META] = meta;
        records[offset + R_TIMESTAMP] = timestampNanos;
        records[offset + R_EXTRA] = extra;
        records[offset + R_CREATION_RECORD] = recordCount - 1;
        foldCreation(linearHash(
            idLo, idHi, debitAccountIdLo, debitAccountIdHi, creditAccountIdLo, creditAccountIdHi, amountLo, amountHi,
            0, 0, userData128Lo, userData128Hi, userData64, userData32, timestampNanos, meta, extra));
        indexCreated(touchedIdHashes[i], idHi, idLo, slot, !pending);
        transferCount++;
        lastTransferTimestampNanos = timestampNanos;
        lastTimestampNanos = Math.max(lastTimestampNanos, timestampNanos);
        createdTimestampNanos = timestampNanos;
        if (null != changes)
        {
            recordChange(pending ? ChangeType.TWO_PHASE_PENDING : ChangeType.SINGLE_PHASE, timestampNanos,
                offset, debitOffset, creditOffset);
        }
        if (pending)
        {
            pendingCount++;
            if (expiresAtNanos != NEVER)
            {
                heapInsert(slot, expiresAtNanos);
            }
        }

        return CreateTransferResult.OK;
    }

    private CreateTransferResult postOrVoidPending(
        final TransferEvents events,
        final int i,
        final long idHi,
        final long idLo,
        final int flags,
        final long timestampNanos)
    {
        final long debitAccountIdHi = events.debitAccountIdHi(i);
        final long debitAccountIdLo = events.debitAccountIdLo(i);
        final long creditAccountIdHi = events.creditAccountIdHi(i);
        final long creditAccountIdLo = events.creditAccountIdLo(i);
        final long amountHi = events.amountHi(i);
        final long amountLo = events.amountLo(i);
        final long pendingIdHi = events.pendingIdHi(i);
        final long pendingIdLo = events.pendingIdLo(i);
        final long ledger = events.ledger(i);
        final long timeoutSeconds = events.timeoutSeconds(i);
        final int code = events.code(i);
        final boolean post = (flags & TransferFlags.POST_PENDING) != 0;
        final boolean imported = (flags & TransferFlags.IMPORTED) != 0;

        if (UInt128.isZero(pendingIdHi, pendingIdLo))
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (UInt128.isMax(pendingIdHi, pendingIdLo))
        {
            return CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
        }
        if (pendingIdHi == idHi && pendingIdLo == idLo)
        {
            return CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (timeoutSeconds != 0)
        {
            return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }

        final int pendingHandle = locateTransfer(pendingIdHi, pendingIdLo);
        if (pendingHandle < 0)
        {
            return CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
        }
        final long[] records = this.records;
        final int pendingOffset = pendingHandle * RECORD_LONGS;
        final long pendingMeta = records[pendingOffset + R_META];
        if ((metaFlags(pendingMeta) & TransferFlags.PENDING) == 0)
        {
            return CreateTransferResult.PENDING_TRANSFER_NOT_PENDING;
        }
        final long pendingDebitAccountIdHi = records[pendingOffset + R_DEBIT_ACCOUNT_ID_HI];
        final long pendingDebitAccountIdLo = records[pendingOffset + R_DEBIT_ACCOUNT_ID_LO];
        final long pendingCreditAccountIdHi = records[pendingOffset + R_CREDIT_ACCOUNT_ID_HI];
        final long pendingCreditAccountIdLo = records[pendingOffset + R_CREDIT_ACCOUNT_ID_LO];
        if (!UInt128.isZero(debitAccountIdHi, debitAccountIdLo) &&
            (debitAccountIdHi != pendingDebitAccountIdHi || debitAccountIdLo != pendingDebitAccountIdLo))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (!UInt128.isZero(creditAccountIdHi, creditAccountIdLo) &&
            (creditAccountIdHi != pendingCreditAccountIdHi || creditAccountIdLo != pendingCreditAccountIdLo))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (ledger != 0 && ledger != metaLedger(pendingMeta))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
        }
        if (code != 0 && code != metaCode(pendingMeta))
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
        }
        final long pendingAmountHi = records[pendingOffset + R_AMOUNT_HI];
        final long pendingAmountLo = records[pendingOffset + R_AMOUNT_LO];
        // As TigerBeetle (since 0.16): a post of AMOUNT_MAX posts the whole pending amount, any other the amount
        // given, 0 included; a void of 0 releases the pending amount, and any other must be that amount.
        final boolean asPending = post ? UInt128.isMax(amountHi, amountLo) : UInt128.isZero(amountHi, amountLo);
        final long actualAmountHi = asPending ? pendingAmountHi : amountHi;
        final long actualAmountLo = asPending ? pendingAmountLo : amountLo;
        final int versusPending = UInt128.compare(actualAmountHi, actualAmountLo, pendingAmountHi, pendingAmountLo);
        if (versusPending > 0)
        {
            return CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (!post && versusPending < 0)
        {
            return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        final byte state = stateOf(pendingHandle);
        if (state == STATE_POSTED)
        {
            return CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
        }
        if (state == STATE_VOIDED)
        {
            return CreateTransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
        }
        if (state == STATE_EXPIRED)
        {
            return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
        }
        // As TigerBeetle: due by the time this event is applied (its assigned timestamp, also for an imported
        // event), though not expired yet (expiry runs at the record's timestamp, before the command), it is expired
        // for the post or void; the next command's expiry releases it.
        final long pendingTimeoutSeconds = records[pendingOffset + R_EXTRA] & 0xFFFF_FFFFL;
        if (pendingTimeoutSeconds != 0 &&
            records[pendingOffset + R_TIMESTAMP] + pendingTimeoutSeconds * NANOS_PER_SECOND <= assignedNanos)
        {
            return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
        }
        if (imported && (timestampNanos <= lastTransferTimestampNanos || isAccountTimestamp(timestampNanos)))
        {
            return CreateTransferResult.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
        }
        final long[] accounts = this.accounts;
        final int debitOffset = accountIndexById.get(pendingDebitAccountIdHi, pendingDebitAccountIdLo) * ACCOUNT_LONGS;
        final int creditOffset =
            accountIndexById.get(pendingCreditAccountIdHi, pendingCreditAccountIdLo) * ACCOUNT_LONGS;
        // The only movement a closed account takes is a void.
        if (post && (metaFlags(accounts[debitOffset + A_META]) & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
        }
        if (post && (metaFlags(accounts[creditOffset + A_META]) & AccountFlags.CLOSED) != 0)
        {
            return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
        }
        // Unsealed, the pending transfer's record changes in place; sealed, it is in the pool and is re-recorded.
        final boolean inPool = isPool(pendingHandle);
        assert state == STATE_PENDING && (inPool || pendingHandle < ringCapacity);
        if (!hasRoomForRecords(inPool ? 2 : 1, inPool ? 1 : 0))
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }

        // Each user data of 0 takes the pending transfer's; any other is the post's or void's own. Read now: a
        // pending transfer in the pool leaves its slot below.
        final long userData128Hi;
        final long userData128Lo;
        if (UInt128.isZero(events.userData128Hi(i), events.userData128Lo(i)))
        {
            userData128Hi = records[pendingOffset + R_USER_DATA_128_HI];
            userData128Lo = records[pendingOffset + R_USER_DATA_128_LO];
        }
        else
        {
            userData128Hi = events.userData128Hi(i);
            userData128Lo = events.userData128Lo(i);
        }
        final long userData64 =
            events.userData64(i) != 0 ? events.userData64(i) : records[pendingOffset + R_USER_DATA_64];
        final long userData32 =
            events.userData32(i) != 0 ? events.userData32(i) : records[pendingOffset + R_USER_DATA_32];

        final long postedAmountHi = post ? actualAmountHi : 0;
        final long postedAmountLo = post ? actualAmountLo : 0;
        if (!post)
        {
            setClosed(debitOffset, creditOffset, metaFlags(pendingMeta), false);
        }
        sub128(accounts, debitOffset + A_DEBITS_PENDING_LO, pendingAmountHi, pendingAmountLo);
        sub128(accounts, creditOffset + A_CREDITS_PENDING_LO, pendingAmountHi, pendingAmountLo);
        add128(accounts, debitOffset + A_DEBITS_POSTED_LO, postedAmountHi, postedAmountLo);
        add128(accounts, creditOffset + A_CREDITS_POSTED_LO, postedAmountHi, postedAmountLo);

        pendingCount--;
        final byte newState = post ? STATE_POSTED : STATE_VOIDED;
        if (!inPool)
        {
            setState(pendingHandle, newState);
            if (heapPositions[pendingHandle] >= 0)
            {
                heapRemove(pendingHandle);
            }
        }
        else
        {
            final int previousSlot = hotIndexById.get(pendingIdHi, pendingIdLo);
            final int stateSlot = appendSlot();
            stateRecords++;
            final int stateOffset = stateSlot * RECORD_LONGS;
            System.arraycopy(records, pendingOffset, records, stateOffset, RECORD_LONGS);
            records[stateOffset + R_EXTRA] =
                extra(records[pendingOffset + R_EXTRA] & 0xFFFF_FFFFL, newState, KIND_STATE);
            ringPreviousSlots[stateSlot] = previousSlot;
            hotIndexById.put(pendingIdHi, pendingIdLo, stateSlot);
            removeFromPool(pendingHandle - pendingBase);
        }

        final int slot = appendSlot();
        final int offset = slot * RECORD_LONGS;
        records[offset + R_ID_LO] = idLo;
        records[offset + R_ID_HI] = idHi;
        records[offset + R_DEBIT_ACCOUNT_ID_LO] = pendingDebitAccountIdLo;
        records[offset + R_DEBIT_ACCOUNT_ID_HI] = pendingDebitAccountIdHi;
        records[offset + R_CREDIT_ACCOUNT_ID_LO] = pendingCreditAccountIdLo;
        records[offset + R_CREDIT_ACCOUNT_ID_HI] = pendingCreditAccountIdHi;
        final long recordAmountLo = post ? postedAmountLo : pendingAmountLo;
        final long recordAmountHi = post ? postedAmountHi : pendingAmountHi;
        final long meta = meta(metaLedger(pendingMeta), metaCode(pendingMeta), flags);
        final long extra = extra(0, STATE_NONE, KIND_CREATION);
        records[offset + R_AMOUNT_LO] = recordAmountLo;
        records[offset + R_AMOUNT_HI] = recordAmountHi;
        records[offset + R_PENDING_ID_LO] = pendingIdLo;
        records[offset + R_PENDING_ID_HI] = pendingIdHi;
        records[offset + R_USER_DATA_128_LO] = userData128Lo;
        records[offset + R_USER_DATA_128_HI] = userData128Hi;
        records[offset + R_USER_DATA_64] = userData64;
        records[offset + R_USER_DATA_32] = userData32;
        records[offset + R_TIMESTAMP] = timestampNanos;
        records[offset + R_META] = meta;
        records[offset + R_EXTRA] = extra;
        records[offset + R_CREATION_RECORD] = recordCount - 1;
        foldCreation(linearHash(
            idLo, idHi, pendingDebitAccountIdLo, pendingDebitAccountIdHi, pendingCreditAccountIdLo,
            pendingCreditAccountIdHi, recordAmountLo, recordAmountHi, pendingIdLo, pendingIdHi, userData128Lo,
            userData128Hi, userData64, userData32, timestampNanos, meta, extra));
        indexCreated(touchedIdHashes[i], idHi, idLo, slot, true);
        transferCount++;
        lastTransferTimestampNanos = timestampNanos;
        lastTimestampNanos = Math.max(lastTimestampNanos, timestampNanos);
        createdTimestampNanos = timestampNanos;
        if (null != changes)
        {
            recordChange(post ? ChangeType.TWO_PHASE_POSTED : ChangeType.TWO_PHASE_VOIDED, timestampNanos,
                offset, debitOffset, creditOffset);
        }

        return CreateTransferResult.OK;
    }

    private CreateTransferResult existingTransfer(
        final int handle, final boolean inherits, final TransferEvents events, final int i)
    {
        final long[] records = this.records;
        final int offset = handle * RECORD_LONGS;
        final int flags = events.flags(i);
        final long meta = records[offset + R_META];
        if (flags != metaFlags(meta))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        final long pendingIdHi = events.pendingIdHi(i);
        final long pendingIdLo = events.pendingIdLo(i);
        if (pendingIdHi != records[offset + R_PENDING_ID_HI] || pendingIdLo != records[offset + R_PENDING_ID_LO])
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (events.timeoutSeconds(i) != (records[offset + R_EXTRA] & 0xFFFF_FFFFL))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        final long debitAccountIdHi = events.debitAccountIdHi(i);
        final long debitAccountIdLo = events.debitAccountIdLo(i);
        if ((!inherits || !UInt128.isZero(debitAccountIdHi, debitAccountIdLo)) &&
            (debitAccountIdHi != records[offset + R_DEBIT_ACCOUNT_ID_HI] ||
            debitAccountIdLo != records[offset + R_DEBIT_ACCOUNT_ID_LO]))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        final long creditAccountIdHi = events.creditAccountIdHi(i);
        final long creditAccountIdLo = events.creditAccountIdLo(i);
        if ((!inherits || !UInt128.isZero(creditAccountIdHi, creditAccountIdLo)) &&
            (creditAccountIdHi != records[offset + R_CREDIT_ACCOUNT_ID_HI] ||
            creditAccountIdLo != records[offset + R_CREDIT_ACCOUNT_ID_LO]))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        // Read every field needed of this record before the pending transfer's: that may take the same slot, from
        // the cold tier.
        final long recordedAmountHi = records[offset + R_AMOUNT_HI];
        final long recordedAmountLo = records[offset + R_AMOUNT_LO];
        final long recordedUserData128Hi = records[offset + R_USER_DATA_128_HI];
        final long recordedUserData128Lo = records[offset + R_USER_DATA_128_LO];
        final long recordedUserData64 = records[offset + R_USER_DATA_64];
        final long recordedUserData32 = records[offset + R_USER_DATA_32];
        final long recordedTimestampNanos = records[offset + R_TIMESTAMP];

        final long amountHi = events.amountHi(i);
        final long amountLo = events.amountLo(i);
        long userData128Hi = events.userData128Hi(i);
        long userData128Lo = events.userData128Lo(i);
        long userData64 = events.userData64(i);
        long userData32 = events.userData32(i);
        // A post of AMOUNT_MAX and a void of 0 stand for the pending amount; user data of 0 on a post or void took
        // the pending transfer's.
        final boolean asPending = inherits && ((flags & TransferFlags.POST_PENDING) != 0 ?
            UInt128.isMax(amountHi, amountLo) : UInt128.isZero(amountHi, amountLo));
        final boolean inheritsUserData = inherits &&
            (UInt128.isZero(userData128Hi, userData128Lo) || userData64 == 0 || userData32 == 0);
        long expectedAmountHi = amountHi;
        long expectedAmountLo = amountLo;
        if (asPending || inheritsUserData)
        {
            final int pendingHandle = locateTransfer(pendingIdHi, pendingIdLo);
            final int pendingOffset = pendingHandle * RECORD_LONGS;
            if (asPending)
            {
                if (pendingHandle < 0)
                {
                    return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
                }
                expectedAmountHi = records[pendingOffset + R_AMOUNT_HI];
                expectedAmountLo = records[pendingOffset + R_AMOUNT_LO];
            }
            if (inheritsUserData && pendingHandle >= 0)
            {
                if (UInt128.isZero(userData128Hi, userData128Lo))
                {
                    userData128Hi = records[pendingOffset + R_USER_DATA_128_HI];
                    userData128Lo = records[pendingOffset + R_USER_DATA_128_LO];
                }
                if (userData64 == 0)
                {
                    userData64 = records[pendingOffset + R_USER_DATA_64];
                }
                if (userData32 == 0)
                {
                    userData32 = records[pendingOffset + R_USER_DATA_32];
                }
            }
        }
        final boolean differentAmount = (flags & BALANCING_FLAGS) != 0 ?
            UInt128.compare(amountHi, amountLo, recordedAmountHi, recordedAmountLo) < 0 :
            expectedAmountHi != recordedAmountHi || expectedAmountLo != recordedAmountLo;
        if (differentAmount)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        if (userData128Hi != recordedUserData128Hi || userData128Lo != recordedUserData128Lo)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (userData64 != recordedUserData64)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (userData32 != recordedUserData32)
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        final long ledger = events.ledger(i);
        if ((!inherits || ledger != 0) && ledger != metaLedger(meta))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
        }
        final int code = events.code(i);
        if ((!inherits || code != 0) && code != metaCode(meta))
        {
            return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
        }
        existingTimestampNanos = recordedTimestampNanos;
        return CreateTransferResult.EXISTS;
    }

    /**
     * Where the transfer with this id is now: its slot in the pending table while it is pending, else its newest
     * record in the ring while that is indexed, else the scratch slot after a copy from the cold tier. A new id
     * costs one index probe without a cold tier, two and a tier lookup with one.
     *
     * @return the slot, or -1 if no transfer has that id.
     */
    private int locateTransfer(final long idHi, final long idLo)
    {
        final int handle = locateRecord(IdIndex.hash(idHi, idLo), idHi, idLo);
        return handle >= 0 && kindOf(records[handle * RECORD_LONGS + R_EXTRA]) == KIND_FAILED ? -1 : handle;
    }

    /**
     * As {@link #locateTransfer}, but a failed id's record ({@link #KIND_FAILED}) is found too.
     */
    private int locateRecord(final long h, final long idHi, final long idLo)
    {
        if (isAboveIdCeiling(idHi, idLo))
        {
            return -1;
        }
        final int slot = hotIndexById.get(h, idHi, idLo);
        if (slot >= 0)
        {
            if (null != cold && isSealedPending(slot))
            {
                final int position = poolIndexById.get(h, idHi, idLo);
                if (position >= 0)
                {
                    return pendingBase + position;
                }
            }
            return slot;
        }
        final int ascendingSlot = findAscending(idHi, idLo);
        if (ascendingSlot >= 0)
        {
            return ascendingSlot;
        }
        if (null == cold)
        {
            // Every transfer is in the ring.
            return -1;
        }
        final int position = mayBeInPool(idHi, idLo) ? poolIndexById.get(h, idHi, idLo) : IdIndex.MISSING;
        if (position >= 0)
        {
            return pendingBase + position;
        }
        if (cold.find(idHi, idLo, oldestIndexedRecord, records, scratchSlot * RECORD_LONGS))
        {
            return scratchSlot;
        }
        return -1;
    }

    /**
     * Index the record a transfer's creation (or a failed id) has just written: into the ascending index if it may
     * go there and its id is above the id ceiling (so above every id there), else into the hash index; and raise
     * the id ceiling to it.
     *
     * @param ascendingAllowed false for a pending transfer (a post or void looks it up) and a failed id.
     */
    private void indexCreated(
        final long h, final long idHi, final long idLo, final int slot, final boolean ascendingAllowed)
    {
        if (isAboveIdCeiling(idHi, idLo))
        {
            idCeilingHi = idHi;
            idCeilingLo = idLo;
            if (ascendingAllowed)
            {
                ascendingSlots[ascendingPosition(ascendingCount)] = slot;
                ascendingCount++;
                return;
            }
        }
        hotIndexById.put(h, idHi, idLo, slot);
        if (ascendingAllowed && ascendingCount > 0 && ascendingCount <= ASCENDING_SHORT_RUN)
        {
            moveAscendingToHashIndex();
        }
    }

    /**
     * Move every id of the ascending index to the hash index: after an id out of order when the run in order before
     * it was short, as random ids are, a few of which ascend by chance; then looking up a new id searches nothing.
     */
    private void moveAscendingToHashIndex()
    {
        for (int k = 0; k < ascendingCount; k++)
        {
            final int slot = ascendingSlots[ascendingPosition(k)];
            final int offset = slot * RECORD_LONGS;
            hotIndexById.put(records[offset + R_ID_HI], records[offset + R_ID_LO], slot);
        }
        ascendingCount = 0;
    }

    private boolean isAboveIdCeiling(final long idHi, final long idLo)
    {
        return UInt128.compare(idHi, idLo, idCeilingHi, idCeilingLo) > 0;
    }

    /**
     * @return the position in {@link #ascendingSlots} of the entry {@code k} after the first.
     */
    private int ascendingPosition(final int k)
    {
        final int position = ascendingFirst + k;
        return position >= ringCapacity ? position - ringCapacity : position;
    }

    /**
     * Search of the ascending index: by interpolation first, each probe placed where the id would be if the ids
     * between the two known around it were evenly spread, as the ids of a counter are (TransferLookupBenchmark: a
     * probe or two, each a slot and a record read that may miss the cache, where a binary search of millions would
     * take twenty); then, if {@value #INTERPOLATION_PROBES} probes have not found it, by halving, so that ids spread
     * unevenly cost at most that many probes more than a binary search would.
     *
     * @return the slot of the transfer with this id, or -1 if the ascending index does not hold it.
     */
    private int findAscending(final long idHi, final long idLo)
    {
        if (0 == ascendingCount)
        {
            return -1;
        }
        final long[] records = this.records;
        // Positions low and high hold ids known to be below and above the one looked for.
        int low = 0;
        int high = ascendingCount - 1;
        int slot = ascendingSlots[ascendingPosition(low)];
        long lowHi = records[slot * RECORD_LONGS + R_ID_HI];
        long lowLo = records[slot * RECORD_LONGS + R_ID_LO];
        int order = UInt128.compare(lowHi, lowLo, idHi, idLo);
        if (order >= 0)
        {
            return 0 == order ? slot : -1;
        }
        slot = ascendingSlots[ascendingPosition(high)];
        long highHi = records[slot * RECORD_LONGS + R_ID_HI];
        long highLo = records[slot * RECORD_LONGS + R_ID_LO];
        order = UInt128.compare(highHi, highLo, idHi, idLo);
        if (order <= 0)
        {
            return 0 == order ? slot : -1;
        }
        for (int probes = 0; high - low > 1; probes++)
        {
            int middle = (low + high) >>> 1;
            if (probes < INTERPOLATION_PROBES)
            {
                // In [0, 1] even where rounding makes the two differences equal or the second 0.
                final double fraction = difference(idHi, idLo, lowHi, lowLo) / difference(highHi, highLo, lowHi, lowLo);
                final double within = fraction > 0 ? Math.min(fraction, 1.0) : 0.0;
                middle = Math.min(high - 1, Math.max(low + 1, low + (int)(within * (high - low) + 0.5)));
            }
            slot = ascendingSlots[ascendingPosition(middle)];
            final long middleHi = records[slot * RECORD_LONGS + R_ID_HI];
            final long middleLo = records[slot * RECORD_LONGS + R_ID_LO];
            order = UInt128.compare(middleHi, middleLo, idHi, idLo);
            if (order < 0)
            {
                low = middle;
                lowHi = middleHi;
                lowLo = middleLo;
            }
            else if (order > 0)
            {
                high = middle;
                highHi = middleHi;
                highLo = middleLo;
            }
            else
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * @return {@code a - b}, unsigned 128-bit with {@code a >= b}, as a double (53 bits of it are enough to place a
     * probe).
     */
    private static double difference(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final long lo = aLo - bLo;
        final long hi = aHi - bHi - (Long.compareUnsigned(aLo, bLo) < 0 ? 1 : 0);
        return unsignedToDouble(hi) * 0x1p64 + unsignedToDouble(lo);
    }

    private static double unsignedToDouble(final long value)
    {
        return value >= 0 ? value : (value >>> 1) * 2.0;
    }

    private boolean isPool(final int handle)
    {
        return handle >= pendingBase && handle < scratchSlot;
    }

    /**
     * A ring record that says pending but is sealed: the transfer is in the pool if it still is pending.
     */
    private boolean isSealedPending(final int slot)
    {
        final int offset = slot * RECORD_LONGS;
        return ((records[offset + R_EXTRA] >>> 32) & 0xFF) == STATE_PENDING &&
            records[offset + R_CREATION_RECORD] < sealedRecords;
    }

    /**
     * The state of a transfer by handle. A record sealed while pending says {@code PENDING} for ever; the
     * transfer is pending while it is in the pool, and expired once it has left it without a re-record (a post
     * or void re-records it, and the index then names the re-record).
     */
    private byte stateOf(final int handle)
    {
        if (isPool(handle))
        {
            return STATE_PENDING;
        }
        final int offset = handle * RECORD_LONGS;
        final byte state = (byte)(records[offset + R_EXTRA] >>> 32);
        if (state == STATE_PENDING && (handle >= ringCapacity || records[offset + R_CREATION_RECORD] < sealedRecords))
        {
            return poolIndexById.get(records[offset + R_ID_HI], records[offset + R_ID_LO]) >= 0 ?
                STATE_PENDING : STATE_EXPIRED;
        }
        return state;
    }

    private void setState(final int slot, final byte state)
    {
        final int offset = slot * RECORD_LONGS + R_EXTRA;
        records[offset] = (records[offset] & ~(0xFFL << 32)) | ((state & 0xFFL) << 32);
    }

    private static long extra(final long timeoutSeconds, final byte state, final int kind)
    {
        return (timeoutSeconds & 0xFFFF_FFFFL) | ((state & 0xFFL) << 32) | ((long)kind << 40);
    }

    private static int kindOf(final long extra)
    {
        return (int)(extra >>> 40) & 0xFF;
    }

    /**
     * Be told of every change to the transfers' state from now on ({@link LedgerChangeListener}); null for none.
     * Setting one allocates the buffer that holds a command's changes until it ends ({@link LedgerChange#LONGS}
     * longs per event of a batch); call it when setting up, not between commands on a hot path. Without one the
     * ledger records nothing.
     *
     * @param listener to tell, or null.
     */
    public void changeListener(final LedgerChangeListener listener)
    {
        changeListener = listener;
        changes = null == listener ? null : new long[Math.max(1, maxBatchEvents) * LedgerChange.LONGS];
        changeCount = 0;
    }

    private void recordChange(
        final ChangeType type, final long timestampNanos, final int recordOffset, final int debitOffset,
        final int creditOffset)
    {
        final long[] changes = this.changes;
        final int o = changeCount++ * LedgerChange.LONGS;
        changes[o + LedgerChange.TYPE] = type.ordinal();
        changes[o + LedgerChange.TIMESTAMP] = timestampNanos;
        System.arraycopy(records, recordOffset, changes, o + LedgerChange.RECORD, LedgerChange.RECORD_COPY_LONGS);
        changes[o + LedgerChange.TIMEOUT_SECONDS] = records[recordOffset + R_EXTRA] & 0xFFFF_FFFFL;
        copyBalances(debitOffset, changes, o + LedgerChange.DEBIT_BALANCES);
        copyBalances(creditOffset, changes, o + LedgerChange.CREDIT_BALANCES);
        changes[o + LedgerChange.DEBIT_ACCOUNT_META] = accounts[debitOffset + A_META];
        changes[o + LedgerChange.CREDIT_ACCOUNT_META] = accounts[creditOffset + A_META];
    }

    /**
     * An account's four balances, each as (lo, hi), in the order {@link LedgerChange} reads them.
     */
    private void copyBalances(final int accountOffset, final long[] to, final int toOffset)
    {
        final long[] accounts = this.accounts;
        final boolean high = hasHighBalances(accountOffset);
        for (int k = 0; k < 8; k += 2)
        {
            final int lo = accountOffset + CANONICAL_ACCOUNT_ORDER[k];
            to[toOffset + k] = accounts[lo];
            to[toOffset + k + 1] = high ? accounts[lo + A_HI_FROM_LO] : 0;
        }
    }

    private void publishChanges()
    {
        final LedgerChangeListener listener = changeListener;
        final int count = changeCount;
        changeCount = 0;
        for (int i = 0; i < count; i++)
        {
            listener.onChange(change.wrap(changes, i));
        }
    }

    private static boolean isTransient(final CreateTransferResult result)
    {
        switch (result)
        {
            case DEBIT_ACCOUNT_NOT_FOUND:
            case CREDIT_ACCOUNT_NOT_FOUND:
            case PENDING_TRANSFER_NOT_FOUND:
            case EXCEEDS_CREDITS:
            case EXCEEDS_DEBITS:
            case DEBIT_ACCOUNT_ALREADY_CLOSED:
            case CREDIT_ACCOUNT_ALREADY_CLOSED:
                return true;
            default:
                return false;
        }
    }

    /**
     * Keep the id of an event that failed on a transient error, as a {@link #KIND_FAILED} record.
     *
     * @return the failure, or {@code TRANSFERS_FULL} if there is no room for the record.
     */
    private CreateTransferResult rememberFailure(
        final TransferEvents events, final int i, final CreateTransferResult failure, final long timestampNanos)
    {
        if (!hasRoomForRecords(1, 0))
        {
            return CreateTransferResult.TRANSFERS_FULL;
        }
        final int slot = appendSlot();
        final int offset = slot * RECORD_LONGS;
        copyEvent(events, i, records, offset);
        records[offset + R_TIMESTAMP] = timestampNanos;
        records[offset + R_EXTRA] = extra(events.timeoutSeconds(i), STATE_NONE, KIND_FAILED) |
            ((failure.value() & 0xFFFFL) << 48);
        records[offset + R_CREATION_RECORD] = recordCount - 1;
        indexCreated(touchedIdHashes[i], events.idHi(i), events.idLo(i), slot, false);
        return failure;
    }

    /**
     * @param count      records the event would write.
     * @param stateCount of them, re-records of a sealed pending transfer, which the limit in force does not count.
     */
    private boolean hasRoomForRecords(final int count, final int stateCount)
    {
        // Without re-records before (always, without a tier) the first test decides, as it did before they were left
        // out: a transfer's path reads no more than it did.
        if (recordCount + count - stateCount > transferLimit &&
            recordCount - stateRecords + count - stateCount > transferLimit)
        {
            return false;
        }
        if (recordCount - oldestIndexedRecord + count <= ringCapacity)
        {
            return true;
        }
        if (null == cold)
        {
            // Every record of the history is in the ring: the limit in force allowed this one.
            shortfall("transfer records", "--hot-transfers", transferLimit, maxTransfers);
        }
        return false;
    }

    /**
     * The ring slot after {@code slot}, wrapping to 0 after the last, without a branch: the first wrap comes only
     * when the ring has filled, often long after the JIT compiled the paths that append and trim, and as a branch
     * it would be one their compiled code had never seen taken, so the first wrap would throw that code away and
     * run the BLP interpreted until it was compiled again.
     *
     * @param slot a ring slot, 0 to {@code ringCapacity - 1}.
     * @return the next one.
     */
    private int nextSlot(final int slot)
    {
        final int next = slot + 1;
        return next & ((next - ringCapacity) >> 31);
    }

    /**
     * Take the next ring slot for a record: the caller writes every one of its {@link #RECORD_LONGS} longs. The
     * record's number is {@code recordCount - 1} after the call.
     */
    private int appendSlot()
    {
        final int slot = headSlot;
        headSlot = nextSlot(slot);
        recordCount++;
        return slot;
    }

    /**
     * Write an event's fields as sent into a record: id, accounts, amount, pending id, user data and meta; the
     * caller writes the timestamp, extra and creation record (and an amount of its own).
     */
    private static void copyEvent(final TransferEvents events, final int i, final long[] records, final int offset)
    {
        records[offset + R_ID_LO] = events.idLo(i);
        records[offset + R_ID_HI] = events.idHi(i);
        records[offset + R_DEBIT_ACCOUNT_ID_LO] = events.debitAccountIdLo(i);
        records[offset + R_DEBIT_ACCOUNT_ID_HI] = events.debitAccountIdHi(i);
        records[offset + R_CREDIT_ACCOUNT_ID_LO] = events.creditAccountIdLo(i);
        records[offset + R_CREDIT_ACCOUNT_ID_HI] = events.creditAccountIdHi(i);
        records[offset + R_AMOUNT_LO] = events.amountLo(i);
        records[offset + R_AMOUNT_HI] = events.amountHi(i);
        records[offset + R_PENDING_ID_LO] = events.pendingIdLo(i);
        records[offset + R_PENDING_ID_HI] = events.pendingIdHi(i);
        records[offset + R_USER_DATA_128_LO] = events.userData128Lo(i);
        records[offset + R_USER_DATA_128_HI] = events.userData128Hi(i);
        records[offset + R_USER_DATA_64] = events.userData64(i);
        records[offset + R_USER_DATA_32] = events.userData32(i);
        records[offset + R_META] = meta(events.ledger(i), events.code(i), events.flags(i));
    }

    /**
     * The account balance whose low half is {@code a[o]} plus (hi, lo), modulo 2<sup>128</sup>: callers have checked
     * it does not overflow. Its high half is read and written only when it changes, and then the account's
     * {@link #HIGH_BALANCES} bit is set.
     */
    private static void add128(final long[] a, final int o, final long hi, final long lo)
    {
        final long aLo = a[o];
        final long sumLo = UInt128.addLo(aLo, lo);
        a[o] = sumLo;
        if (0 != hi || Long.compareUnsigned(sumLo, aLo) < 0)
        {
            // The high half changes only with a high half to add or a carry; callers checked it cannot overflow.
            a[o + A_HI_FROM_LO] = UInt128.addHi(a[o + A_HI_FROM_LO], aLo, hi, lo);
            final int account = o - o % ACCOUNT_LONGS;
            a[account + A_USER_DATA_32] |= HIGH_BALANCES;
        }
    }

    /**
     * The account balance whose low half is {@code a[o]} minus (hi, lo): callers know it does not go below 0. Its high
     * half is read only when the account has {@link #HIGH_BALANCES}, whose bit is cleared when the last one is 0.
     */
    private static void sub128(final long[] a, final int o, final long hi, final long lo)
    {
        final long aLo = a[o];
        final int account = o - o % ACCOUNT_LONGS;
        final boolean high = 0 != (a[account + A_USER_DATA_32] & HIGH_BALANCES);
        assert !UInt128.subUnderflows(high ? a[o + A_HI_FROM_LO] : 0, aLo, hi, lo);
        a[o] = UInt128.subLo(aLo, lo);
        if (high)
        {
            // Without any high half the amount has none and does not borrow: callers know it does not go below 0.
            a[o + A_HI_FROM_LO] = UInt128.subHi(a[o + A_HI_FROM_LO], aLo, hi, lo);
            if (!anyHighHalf(a, account))
            {
                a[account + A_USER_DATA_32] &= ~HIGH_BALANCES;
            }
        }
    }

    /**
     * Whether any of the account's four balances has a non-zero high half, from the high halves themselves: what its
     * {@link #HIGH_BALANCES} bit records.
     */
    private static boolean anyHighHalf(final long[] a, final int account)
    {
        return 0 != (a[account + A_DEBITS_PENDING_HI] | a[account + A_DEBITS_POSTED_HI] |
            a[account + A_CREDITS_PENDING_HI] | a[account + A_CREDITS_POSTED_HI]);
    }

    private boolean hasHighBalances(final int offset)
    {
        return 0 != (accounts[offset + A_USER_DATA_32] & HIGH_BALANCES);
    }

    /**
     * The k-th long of an account as snapshots and the digest see it ({@link #CANONICAL_ACCOUNT_ORDER}), without the
     * {@link #HIGH_BALANCES} bit.
     */
    private long canonicalAccountLong(final int offset, final int k)
    {
        final int field = CANONICAL_ACCOUNT_ORDER[k];
        final long value = accounts[offset + field];
        return A_USER_DATA_32 == field ? value & USER_DATA_32_MASK : value;
    }

    private void rollbackTransfers(final long mark)
    {
        final long[] accounts = this.accounts;
        final long[] records = this.records;
        while (recordCount > mark)
        {
            final int slot = headSlot == 0 ? ringCapacity - 1 : headSlot - 1;
            final int offset = slot * RECORD_LONGS;
            final long idHi = records[offset + R_ID_HI];
            final long idLo = records[offset + R_ID_LO];
            final int kind = kindOf(records[offset + R_EXTRA]);
            if (kind == KIND_STATE)
            {
                stateRecords--;
                final int previous = ringPreviousSlots[slot];
                if (previous >= 0)
                {
                    hotIndexById.put(idHi, idLo, previous);
                }
                else
                {
                    hotIndexById.remove(idHi, idLo);
                }
            }
            else if (kind == KIND_FAILED)
            {
                // Only written after a rollback, never undone by one; kept for completeness.
                hotIndexById.remove(idHi, idLo);
            }
            else
            {
                final int flags = metaFlags(records[offset + R_META]);
                final long amountHi = records[offset + R_AMOUNT_HI];
                final long amountLo = records[offset + R_AMOUNT_LO];
                final int debitOffset = accountIndexById.get(
                    records[offset + R_DEBIT_ACCOUNT_ID_HI], records[offset + R_DEBIT_ACCOUNT_ID_LO]) * ACCOUNT_LONGS;
                final int creditOffset = accountIndexById.get(
                    records[offset + R_CREDIT_ACCOUNT_ID_HI], records[offset + R_CREDIT_ACCOUNT_ID_LO]) *
                    ACCOUNT_LONGS;

                if ((flags & TransferFlags.PENDING) != 0)
                {
                    // Created in this command, so unsealed; a post or void of it in the chain is already undone.
                    sub128(accounts, debitOffset + A_DEBITS_PENDING_LO, amountHi, amountLo);
                    sub128(accounts, creditOffset + A_CREDITS_PENDING_LO, amountHi, amountLo);
                    setClosed(debitOffset, creditOffset, flags, false);
                    if (heapPositions[slot] >= 0)
                    {
                        heapRemove(slot);
                    }
                    pendingCount--;
                }
                else if ((flags & (TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING)) != 0)
                {
                    // The pending transfer's newest record is still indexed: its re-record, if it got one, was
                    // written just before this one and is undone next.
                    final int pendingSlot = hotIndexById.get(
                        records[offset + R_PENDING_ID_HI], records[offset + R_PENDING_ID_LO]);
                    final int pendingOffset = pendingSlot * RECORD_LONGS;
                    add128(accounts, debitOffset + A_DEBITS_PENDING_LO,
                        records[pendingOffset + R_AMOUNT_HI], records[pendingOffset + R_AMOUNT_LO]);
                    add128(accounts, creditOffset + A_CREDITS_PENDING_LO,
                        records[pendingOffset + R_AMOUNT_HI], records[pendingOffset + R_AMOUNT_LO]);
                    if ((flags & TransferFlags.POST_PENDING) != 0)
                    {
                        sub128(accounts, debitOffset + A_DEBITS_POSTED_LO, amountHi, amountLo);
                        sub128(accounts, creditOffset + A_CREDITS_POSTED_LO, amountHi, amountLo);
                    }
                    else
                    {
                        setClosed(debitOffset, creditOffset, metaFlags(records[pendingOffset + R_META]), true);
                    }
                    final long timeoutSeconds = records[pendingOffset + R_EXTRA] & 0xFFFF_FFFFL;
                    final long expiresAtNanos = timeoutSeconds == 0 ? NEVER :
                        records[pendingOffset + R_TIMESTAMP] + timeoutSeconds * NANOS_PER_SECOND;
                    if (kindOf(records[pendingOffset + R_EXTRA]) == KIND_CREATION)
                    {
                        setState(pendingSlot, STATE_PENDING);
                        if (expiresAtNanos != NEVER)
                        {
                            heapInsert(pendingSlot, expiresAtNanos);
                        }
                    }
                    else
                    {
                        addToPool(pendingSlot, expiresAtNanos);
                    }
                    pendingCount++;
                }
                else
                {
                    sub128(accounts, debitOffset + A_DEBITS_POSTED_LO, amountHi, amountLo);
                    sub128(accounts, creditOffset + A_CREDITS_POSTED_LO, amountHi, amountLo);
                }
                if (ascendingCount > 0 && ascendingSlots[ascendingPosition(ascendingCount - 1)] == slot)
                {
                    ascendingCount--;
                }
                else
                {
                    hotIndexById.remove(idHi, idLo);
                }
                transferCount--;
            }

            for (int k = 0; k < RECORD_LONGS; k++)
            {
                records[offset + k] = 0;
            }
            headSlot = slot;
            recordCount--;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The pool: a dense copy of every pending transfer whose record is sealed, so that it stays in memory until it
    // is posted, voided or expires, however old its record. Unsealed pending transfers are their ring records.
    // ---------------------------------------------------------------------------------------------------------

    private void moveToPool(final int slot)
    {
        final int handle = pendingBase + poolCount++;
        System.arraycopy(records, slot * RECORD_LONGS, records, handle * RECORD_LONGS, RECORD_LONGS);
        putInPool(
            records[handle * RECORD_LONGS + R_ID_HI], records[handle * RECORD_LONGS + R_ID_LO], handle - pendingBase);
        final int heapPosition = heapPositions[slot];
        heapPositions[handle] = heapPosition;
        heapPositions[slot] = -1;
        if (heapPosition >= 0)
        {
            heapHandles[heapPosition] = handle;
        }
    }

    private void addToPool(final int fromSlot, final long expiresAtNanos)
    {
        final int handle = pendingBase + poolCount++;
        final int to = handle * RECORD_LONGS;
        System.arraycopy(records, fromSlot * RECORD_LONGS, records, to, RECORD_LONGS);
        records[to + R_EXTRA] = extra(records[to + R_EXTRA] & 0xFFFF_FFFFL, STATE_PENDING, KIND_CREATION);
        putInPool(records[to + R_ID_HI], records[to + R_ID_LO], handle - pendingBase);
        heapPositions[handle] = -1;
        if (expiresAtNanos != NEVER)
        {
            heapInsert(handle, expiresAtNanos);
        }
    }

    /**
     * Map an id to a pool position, raising {@link #poolIdCeilingHi} to it if it is above.
     *
     * @return what {@link IdIndex#put} returns.
     */
    private int putInPool(final long idHi, final long idLo, final int position)
    {
        if (UInt128.compare(idHi, idLo, poolIdCeilingHi, poolIdCeilingLo) > 0)
        {
            poolIdCeilingHi = idHi;
            poolIdCeilingLo = idLo;
        }
        return poolIndexById.put(idHi, idLo, position);
    }

    /**
     * @return false if the pool surely does not hold the id: it is empty, or the id is above every id it was given.
     */
    private boolean mayBeInPool(final long idHi, final long idLo)
    {
        return poolIndexById.size() > 0 && UInt128.compare(idHi, idLo, poolIdCeilingHi, poolIdCeilingLo) <= 0;
    }

    private void removeFromPool(final int position)
    {
        final long[] records = this.records;
        final int handle = pendingBase + position;
        if (heapPositions[handle] >= 0)
        {
            heapRemove(handle);
        }
        poolIndexById.remove(records[handle * RECORD_LONGS + R_ID_HI], records[handle * RECORD_LONGS + R_ID_LO]);
        final int lastHandle = pendingBase + --poolCount;
        final int lastOffset = lastHandle * RECORD_LONGS;
        if (handle != lastHandle)
        {
            System.arraycopy(records, lastOffset, records, handle * RECORD_LONGS, RECORD_LONGS);
            poolIndexById.put(records[lastOffset + R_ID_HI], records[lastOffset + R_ID_LO], position);
            final int heapPosition = heapPositions[lastHandle];
            heapPositions[handle] = heapPosition;
            if (heapPosition >= 0)
            {
                heapHandles[heapPosition] = handle;
            }
        }
        for (int k = 0; k < RECORD_LONGS; k++)
        {
            records[lastOffset + k] = 0;
        }
        heapPositions[lastHandle] = -1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expiry: an indexed binary min-heap of (expiresAtNanos, timestamp) over the handles of pending transfers
    // (ring slots of unsealed ones, pool slots of sealed ones).
    // ---------------------------------------------------------------------------------------------------------

    private void expire(final long recordTimestampNanos)
    {
        final long[] accounts = this.accounts;
        final long[] records = this.records;
        while (heapSize > 0 && heapExpiresAtNanos[0] <= recordTimestampNanos)
        {
            final int handle = heapHandles[0];
            heapRemove(handle);
            final int offset = handle * RECORD_LONGS;
            final long amountHi = records[offset + R_AMOUNT_HI];
            final long amountLo = records[offset + R_AMOUNT_LO];
            final int debitOffset = accountIndexById.get(
                records[offset + R_DEBIT_ACCOUNT_ID_HI], records[offset + R_DEBIT_ACCOUNT_ID_LO]) * ACCOUNT_LONGS;
            final int creditOffset = accountIndexById.get(
                records[offset + R_CREDIT_ACCOUNT_ID_HI], records[offset + R_CREDIT_ACCOUNT_ID_LO]) * ACCOUNT_LONGS;
            sub128(accounts, debitOffset + A_DEBITS_PENDING_LO, amountHi, amountLo);
            sub128(accounts, creditOffset + A_CREDITS_PENDING_LO, amountHi, amountLo);
            setClosed(debitOffset, creditOffset, metaFlags(records[offset + R_META]), false);
            fold(EXPIRY_MARK ^ (records[offset + R_ID_LO] * 0xD6E8_FEB8_6659_FD93L +
                records[offset + R_ID_HI] * 0xA076_1D64_78BD_642FL));
            pendingCount--;
            // An expiry is a change of its own, with a timestamp of its own after every one before it.
            final long expiredAtNanos = Math.max(recordTimestampNanos, lastTimestampNanos + 1);
            lastTimestampNanos = expiredAtNanos;
            lastTransferTimestampNanos = expiredAtNanos;
            if (null != changes)
            {
                // Final as it happens: told at once, before the command's own changes.
                recordChange(ChangeType.TWO_PHASE_EXPIRED, expiredAtNanos, offset, debitOffset, creditOffset);
                publishChanges();
            }
            if (isPool(handle))
            {
                // Its sealed record keeps the state PENDING; out of the pool, that reads as EXPIRED.
                removeFromPool(handle - pendingBase);
            }
            else
            {
                setState(handle, STATE_EXPIRED);
            }
        }
    }

    private static boolean before(
        final long expiresAtNanos, final long timestampNanos, final long otherExpiresAtNanos, final long otherTimestampNanos)
    {
        return expiresAtNanos < otherExpiresAtNanos ||
            (expiresAtNanos == otherExpiresAtNanos && timestampNanos < otherTimestampNanos);
    }

    private long handleTimestamp(final int handle)
    {
        return records[handle * RECORD_LONGS + R_TIMESTAMP];
    }

    private void heapInsert(final int handle, final long expiresAtNanos)
    {
        assert heapSize < maxPendingTransfers && heapPositions[handle] < 0;
        heapSiftUp(heapSize++, handle, expiresAtNanos);
    }

    private void heapRemove(final int handle)
    {
        final int heapPosition = heapPositions[handle];
        heapPositions[handle] = -1;
        final int last = --heapSize;
        if (heapPosition != last)
        {
            final int moved = heapHandles[last];
            final long movedExpiresAtNanos = heapExpiresAtNanos[last];
            final int parent = (heapPosition - 1) >>> 1;
            if (heapPosition > 0 && before(
                movedExpiresAtNanos, handleTimestamp(moved), heapExpiresAtNanos[parent],
                handleTimestamp(heapHandles[parent])))
            {
                heapSiftUp(heapPosition, moved, movedExpiresAtNanos);
            }
            else
            {
                heapSiftDown(heapPosition, moved, movedExpiresAtNanos);
            }
        }
    }

    private void heapSiftUp(final int fromPosition, final int handle, final long expiresAtNanos)
    {
        final long timestampNanos = handleTimestamp(handle);
        int position = fromPosition;
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            final int parentHandle = heapHandles[parent];
            final long parentExpiresAtNanos = heapExpiresAtNanos[parent];
            if (!before(expiresAtNanos, timestampNanos, parentExpiresAtNanos, handleTimestamp(parentHandle)))
            {
                break;
            }
            heapHandles[position] = parentHandle;
            heapExpiresAtNanos[position] = parentExpiresAtNanos;
            heapPositions[parentHandle] = position;
            position = parent;
        }
        heapHandles[position] = handle;
        heapExpiresAtNanos[position] = expiresAtNanos;
        heapPositions[handle] = position;
    }

    private void heapSiftDown(final int fromPosition, final int handle, final long expiresAtNanos)
    {
        final long timestampNanos = handleTimestamp(handle);
        int position = fromPosition;
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= heapSize)
            {
                break;
            }
            final int right = child + 1;
            if (right < heapSize && before(
                heapExpiresAtNanos[right], handleTimestamp(heapHandles[right]),
                heapExpiresAtNanos[child], handleTimestamp(heapHandles[child])))
            {
                child = right;
            }
            final int childHandle = heapHandles[child];
            final long childExpiresAtNanos = heapExpiresAtNanos[child];
            if (!before(childExpiresAtNanos, handleTimestamp(childHandle), expiresAtNanos, timestampNanos))
            {
                break;
            }
            heapHandles[position] = childHandle;
            heapExpiresAtNanos[position] = childExpiresAtNanos;
            heapPositions[childHandle] = position;
            position = child;
        }
        heapHandles[position] = handle;
        heapExpiresAtNanos[position] = expiresAtNanos;
        heapPositions[handle] = position;
    }

    // ---------------------------------------------------------------------------------------------------------
    // End of a command: the history hash, sealing, and trimming the index of what the cold tier holds.
    // ---------------------------------------------------------------------------------------------------------

    private void fold(final long value)
    {
        historyHash0 = Long.rotateLeft((historyHash0 ^ value) * 0x9E37_79B9_7F4A_7C15L, 31);
        final long h = (historyHash1 + value) * 0xC2B2_AE3D_27D4_EB4FL;
        historyHash1 = h ^ (h >>> 29);
    }

    /**
     * A 64-bit hash of a transfer as created (its fields and timeout, not its state or record numbers), from
     * independent multiplies so that it costs little more than one of them. Not cryptographic: it tells states
     * apart, it does not resist forgery.
     */
    private long recordHash(final int offset)
    {
        long h = linearRecordHash(offset);
        h = (h ^ (h >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return h ^ (h >>> 31);
    }

    /**
     * The fields of a transfer record and its timeout: {@link #linearHash} of what the record holds.
     */
    private long linearRecordHash(final int offset)
    {
        final long[] records = this.records;
        return linearHash(
            records[offset + R_ID_LO], records[offset + R_ID_HI],
            records[offset + R_DEBIT_ACCOUNT_ID_LO], records[offset + R_DEBIT_ACCOUNT_ID_HI],
            records[offset + R_CREDIT_ACCOUNT_ID_LO], records[offset + R_CREDIT_ACCOUNT_ID_HI],
            records[offset + R_AMOUNT_LO], records[offset + R_AMOUNT_HI],
            records[offset + R_PENDING_ID_LO], records[offset + R_PENDING_ID_HI],
            records[offset + R_USER_DATA_128_LO], records[offset + R_USER_DATA_128_HI],
            records[offset + R_USER_DATA_64], records[offset + R_USER_DATA_32],
            records[offset + R_TIMESTAMP], records[offset + R_META], records[offset + R_EXTRA]);
    }

    /**
     * The fields of a transfer record and its timeout (the low half of {@code extra}), each times its own odd
     * constant, summed: what the history hash folds in (the fold mixes it), and the start of {@link #recordHash}.
     * Taken from values rather than from the record, so that a creation folds what it has just written without
     * reading it back.
     */
    private static long linearHash(
        final long idLo,
        final long idHi,
        final long debitAccountIdLo,
        final long debitAccountIdHi,
        final long creditAccountIdLo,
        final long creditAccountIdHi,
        final long amountLo,
        final long amountHi,
        final long pendingIdLo,
        final long pendingIdHi,
        final long userData128Lo,
        final long userData128Hi,
        final long userData64,
        final long userData32,
        final long timestamp,
        final long meta,
        final long extra)
    {
        return idLo * 0x9E37_79B9_7F4A_7C15L +
            idHi * 0xC2B2_AE3D_27D4_EB4FL +
            debitAccountIdLo * 0x1656_67B1_9E37_79F9L +
            debitAccountIdHi * 0x85EB_CA77_C2B2_AE63L +
            creditAccountIdLo * 0x27D4_EB2F_1656_67C5L +
            creditAccountIdHi * 0xFF51_AFD7_ED55_8CCDL +
            amountLo * 0xC4CE_B9FE_1A85_EC53L +
            amountHi * 0xD6E8_FEB8_6659_FD93L +
            pendingIdLo * 0xA076_1D64_78BD_642FL +
            pendingIdHi * 0xE703_7ED1_A0B4_28DBL +
            userData128Lo * 0x8EBC_6AF0_9C88_C6E3L +
            userData128Hi * 0x5899_65CC_7537_4CC3L +
            userData64 * 0x1D8E_4E27_C47D_124FL +
            userData32 * 0xBF58_476D_1CE4_E5B9L +
            timestamp * 0x94D0_49BB_1331_11EBL +
            meta * 0x2545_F491_4F6C_DD1DL +
            (extra & 0xFFFF_FFFFL) * 0x9FB2_1C65_1E98_DF25L;
    }

    private void foldAccounts(final int fromIndex)
    {
        final long[] accounts = this.accounts;
        for (int i = fromIndex; i < accountCount; i++)
        {
            final int offset = i * ACCOUNT_LONGS;
            fold(ACCOUNT_MARK ^ (accounts[offset + A_ID_LO] * 0x9E37_79B9_7F4A_7C15L +
                accounts[offset + A_ID_HI] * 0xC4CE_B9FE_1A85_EC53L +
                accounts[offset + A_USER_DATA_128_LO] * 0xC2B2_AE3D_27D4_EB4FL +
                accounts[offset + A_USER_DATA_128_HI] * 0x27D4_EB2F_1656_67C5L +
                accounts[offset + A_USER_DATA_64] * 0xFF51_AFD7_ED55_8CCDL +
                (accounts[offset + A_USER_DATA_32] & USER_DATA_32_MASK) * 0xA076_1D64_78BD_642FL +
                accounts[offset + A_TIMESTAMP] * 0x1656_67B1_9E37_79F9L +
                accounts[offset + A_META] * 0x85EB_CA77_C2B2_AE63L));
        }
    }

    /**
     * Fold a transfer, as the command creating it writes its record, into the history hash: its fields as created
     * ({@link #linearHash}), whatever state it reaches later and whichever records a hot window makes of it, so that
     * equal histories hash equal. A chain that is rolled back restores the hash it started from, so the hash holds
     * the creations that stand, in the order they were made. Until 2026-12-08 a pass after each command read its
     * records back to fold them, in the same order, to the same hash (LedgerDigestTest); folding the values as they
     * are written saves that pass and its reads (12% to 18% more single transfers/s with everything in the cache,
     * 1% to 7% at the defaults; README, Performance).
     */
    private void foldCreation(final long linearHash)
    {
        fold(TRANSFER_MARK ^ linearHash);
    }

    private void sealAndTrim()
    {
        final ColdTier cold = this.cold;
        if (null == cold)
        {
            return;
        }
        final long sealTo = recordCount - hotWindow;
        final long sealedFrom = sealedRecords;
        if (sealTo > sealedFrom)
        {
            int slot = (int)(sealedFrom % ringCapacity);
            for (long n = sealedFrom; n < sealTo; n++)
            {
                final long extra = records[slot * RECORD_LONGS + R_EXTRA];
                if (kindOf(extra) == KIND_CREATION && ((extra >>> 32) & 0xFF) == STATE_PENDING)
                {
                    moveToPool(slot);
                }
                slot = nextSlot(slot);
            }
            SEALED_RECORDS.setRelease(this, sealTo);
            cold.onSealed(this, sealedFrom, sealTo);
        }
        trim();
    }

    /**
     * Drop from the index the sealed records the cold tier has written. At the end of each command, and at the
     * start of each transfer command too, so that records a tier with a writer of its own wrote in between make
     * room before the command needs it.
     */
    private void trim()
    {
        final ColdTier cold = this.cold;
        if (null == cold)
        {
            return;
        }
        final long trimTo = Math.min(sealedRecords, cold.writtenRecords());
        final long[] records = this.records;
        final IdIndex hotIndexById = this.hotIndexById;
        int slot = oldestIndexedSlot;
        long n = oldestIndexedRecord;
        while (n < trimTo)
        {
            // The ids leaving are spread over the whole index: read a run of their slots first, so that their cache
            // misses overlap, then remove them.
            // Those of the ascending index leave it from its front, in the same order, with no read of the hash index.
            final int run = (int)Math.min(TRIM_RUN, trimTo - n);
            long sink = 0;
            int touchSlot = slot;
            int ascending = 0;
            for (int i = 0; i < run; i++)
            {
                if (ascending < ascendingCount && ascendingSlots[ascendingPosition(ascending)] == touchSlot)
                {
                    ascending++;
                }
                else
                {
                    sink += hotIndexById.touch(
                        records[touchSlot * RECORD_LONGS + R_ID_HI], records[touchSlot * RECORD_LONGS + R_ID_LO]);
                }
                touchSlot = nextSlot(touchSlot);
            }
            touchSink = sink;
            for (int i = 0; i < run; i++)
            {
                if (ascendingCount > 0 && ascendingSlots[ascendingFirst] == slot)
                {
                    ascendingFirst = ascendingPosition(1);
                    ascendingCount--;
                }
                else
                {
                    final long idHi = records[slot * RECORD_LONGS + R_ID_HI];
                    final long idLo = records[slot * RECORD_LONGS + R_ID_LO];
                    if (hotIndexById.get(idHi, idLo) == slot)
                    {
                        hotIndexById.remove(idHi, idLo);
                    }
                }
                slot = nextSlot(slot);
            }
            n += run;
        }
        if (trimTo > oldestIndexedRecord)
        {
            oldestIndexedSlot = slot;
            oldestIndexedRecord = trimTo;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lookups
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @return the number of accounts.
     */
    public int accountCount()
    {
        return accountCount;
    }

    /**
     * @return transfer ids the hash index holds, for tests: the ascending index holds the others in the ring.
     */
    int hashIndexedTransferIds()
    {
        return hotIndexById.size();
    }

    /**
     * @return transfer ids the ascending index holds, for tests.
     */
    int ascendingIndexedTransferIds()
    {
        return ascendingCount;
    }

    /**
     * @return the number of transfers ever created, of every kind, hot or cold.
     */
    public long transferCount()
    {
        return transferCount;
    }

    /**
     * The running hash of the ledger's history (every account and transfer created and every expiry, in order),
     * which {@link #digestHex()} covers: two ledgers that applied the same records have equal hashes. O(1), for a
     * check where the whole digest would cost too much.
     *
     * @param half 0 or 1: which of the hash's two longs.
     * @return that long of the hash.
     */
    public long historyHash(final int half)
    {
        return 0 == half ? historyHash0 : historyHash1;
    }

    /**
     * @return the number of transfer records written: one per transfer, plus one per post or void of a pending
     * transfer whose record was already sealed.
     */
    public long recordCount()
    {
        return recordCount;
    }

    /**
     * @return records below this number are sealed: they never change and belong to the cold tier. Safe to call
     * from any thread.
     */
    public long sealedRecords()
    {
        return (long)SEALED_RECORDS.getAcquire(this);
    }

    /**
     * @return the record count as of the end of the last transfer command, for another thread; kept only with a
     * cold tier (0 without). Whatever feeds the ledger may let it take a command that writes up to {@code r} records
     * while {@code publishedRecordCount + (records the commands before it may write) + r - maxTransfers -
     * maxColdLagRecords} is at most the tier's {@link ColdTier#writtenRecords()}.
     */
    public long publishedRecordCount()
    {
        return (long)PUBLISHED_RECORD_COUNT.getAcquire(this);
    }

    /**
     * @return the oldest record the ledger still holds in memory and indexes; older ones are in the cold tier.
     */
    public long oldestHotRecord()
    {
        return oldestIndexedRecord;
    }

    /**
     * @return the cold tier, or null if the ledger keeps every transfer in memory.
     */
    public ColdTier coldTier()
    {
        return cold;
    }

    /**
     * Copy a sealed record, for a cold tier's writer; safe from any thread, for a record the tier has not written
     * yet (the ledger keeps it until the tier's {@link ColdTier#writtenRecords()} passes it).
     *
     * @param number of a sealed record the tier has not written.
     * @param into   where to copy its {@link #RECORD_LONGS} longs.
     * @param offset in {@code into}.
     * @throws IllegalArgumentException if the record is not sealed.
     */
    public void copySealedRecord(final long number, final long[] into, final int offset)
    {
        final long sealed = (long)SEALED_RECORDS.getAcquire(this);
        if (number < 0 || number >= sealed)
        {
            throw new IllegalArgumentException("record " + number + " is not sealed: " + sealed + " are");
        }
        System.arraycopy(records, (int)(number % ringCapacity) * RECORD_LONGS, into, offset, RECORD_LONGS);
    }

    /**
     * @return the number of transfers currently holding a pending amount.
     */
    public int pendingCount()
    {
        return pendingCount;
    }

    /**
     * @return the greatest timestamp assigned to an event or an expiry, or taken by an imported event; 0 before the
     * first.
     */
    public long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    /**
     * @return the ledger clock: the greatest record or assigned timestamp seen.
     */
    public long clockNanos()
    {
        return clockNanos;
    }

    /**
     * @param idHi high half of an account's id.
     * @param idLo low half of an account's id.
     * @return its index (creation order, 0 based) for the {@code account*} accessors, or -1 if absent.
     */
    public int accountIndex(final long idHi, final long idLo)
    {
        return accountIndexById.get(idHi, idLo);
    }

    /**
     * @param index index of an account, 0 to {@link #accountCount()} - 1.
     * @return the high 64 bits of its id.
     */
    public long accountIdHi(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_ID_HI];
    }

    /**
     * @param index index of an account, 0 to {@link #accountCount()} - 1.
     * @return the low 64 bits of its id.
     */
    public long accountIdLo(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_ID_LO];
    }

    /**
     * @param index of an account.
     * @return its ledger, unsigned 32-bit.
     */
    public long accountLedger(final int index)
    {
        return metaLedger(accounts[index * ACCOUNT_LONGS + A_META]);
    }

    /**
     * @param index of an account.
     * @return its code, unsigned 16-bit.
     */
    public int accountCode(final int index)
    {
        return metaCode(accounts[index * ACCOUNT_LONGS + A_META]);
    }

    /**
     * @param index of an account.
     * @return its flags as created (see {@link AccountFlags}), with {@code CLOSED} as it is now.
     */
    public int accountFlags(final int index)
    {
        return metaFlags(accounts[index * ACCOUNT_LONGS + A_META]);
    }

    /**
     * @param index index of an account.
     * @return the high 64 bits of its 128-bit user data.
     */
    public long accountUserData128Hi(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_USER_DATA_128_HI];
    }

    /**
     * @param index index of an account.
     * @return the low 64 bits of its 128-bit user data.
     */
    public long accountUserData128Lo(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_USER_DATA_128_LO];
    }

    /**
     * @param index index of an account.
     * @return its 64-bit user data.
     */
    public long accountUserData64(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_USER_DATA_64];
    }

    /**
     * @param index index of an account.
     * @return its 32-bit user data, unsigned.
     */
    public long accountUserData32(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_USER_DATA_32] & USER_DATA_32_MASK;
    }

    /**
     * @param index index of an account.
     * @return the timestamp assigned at its creation (an imported account's own).
     */
    public long accountTimestamp(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_TIMESTAMP];
    }

    /**
     * @param index index of an account.
     * @return the high 64 bits of the sum of its pending debits, in minor units.
     */
    public long debitsPendingHi(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_DEBITS_PENDING_HI];
    }

    /**
     * @param index index of an account.
     * @return the low 64 bits of the sum of its pending debits, in minor units.
     */
    public long debitsPendingLo(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_DEBITS_PENDING_LO];
    }

    /**
     * @param index index of an account.
     * @return the high 64 bits of the sum of its posted debits, in minor units.
     */
    public long debitsPostedHi(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_DEBITS_POSTED_HI];
    }

    /**
     * @param index index of an account.
     * @return the low 64 bits of the sum of its posted debits, in minor units.
     */
    public long debitsPostedLo(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_DEBITS_POSTED_LO];
    }

    /**
     * @param index index of an account.
     * @return the high 64 bits of the sum of its pending credits, in minor units.
     */
    public long creditsPendingHi(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_CREDITS_PENDING_HI];
    }

    /**
     * @param index index of an account.
     * @return the low 64 bits of the sum of its pending credits, in minor units.
     */
    public long creditsPendingLo(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_CREDITS_PENDING_LO];
    }

    /**
     * @param index index of an account.
     * @return the high 64 bits of the sum of its posted credits, in minor units.
     */
    public long creditsPostedHi(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_CREDITS_POSTED_HI];
    }

    /**
     * @param index index of an account.
     * @return the low 64 bits of the sum of its posted credits, in minor units.
     */
    public long creditsPostedLo(final int index)
    {
        return accounts[index * ACCOUNT_LONGS + A_CREDITS_POSTED_LO];
    }

    /**
     * Find a transfer, hot or cold.
     *
     * @param idHi high half of a transfer's id.
     * @param idLo low half of a transfer's id.
     * @return a handle on it for the {@code transfer*} accessors, valid until the next call of this method or of a
     * command; or -1 if no transfer has that id.
     */
    public int transferIndex(final long idHi, final long idLo)
    {
        return locateTransfer(idHi, idLo);
    }

    /**
     * @param number of a record in memory, from {@link #oldestHotRecord()} to {@link #recordCount()} - 1.
     * @return a handle on it for the {@code transfer*} accessors.
     * @throws IllegalArgumentException if the record is not in memory.
     */
    public int recordHandle(final long number)
    {
        if (number < oldestIndexedRecord || number >= recordCount)
        {
            throw new IllegalArgumentException("record " + number + " is not in memory: it holds records " +
                oldestIndexedRecord + " to " + (recordCount - 1));
        }
        return (int)(number % ringCapacity);
    }

    /**
     * Visit every transfer pending now, for tools that start from a restored ledger. O(records in memory); not for
     * the command path.
     *
     * @param handles given a handle on each pending transfer for the {@code transfer*} accessors, in no
     *                particular order.
     */
    public void forEachPendingTransfer(final IntConsumer handles)
    {
        int slot = oldestIndexedSlot;
        for (long n = oldestIndexedRecord; n < recordCount; n++)
        {
            final int offset = slot * RECORD_LONGS;
            final long extra = records[offset + R_EXTRA];
            if (kindOf(extra) == KIND_CREATION && ((extra >>> 32) & 0xFF) == STATE_PENDING &&
                records[offset + R_CREATION_RECORD] >= sealedRecords)
            {
                handles.accept(slot);
            }
            slot = nextSlot(slot);
        }
        for (int position = 0; position < poolCount; position++)
        {
            handles.accept(pendingBase + position);
        }
    }

    /**
     * @param index a handle on a transfer.
     * @return the high 64 bits of its id.
     */
    public long transferIdHi(final int index)
    {
        return records[index * RECORD_LONGS + R_ID_HI];
    }

    /**
     * @param index a handle on a transfer.
     * @return the low 64 bits of its id.
     */
    public long transferIdLo(final int index)
    {
        return records[index * RECORD_LONGS + R_ID_LO];
    }

    /**
     * @param index a handle on a transfer.
     * @return the high 64 bits of the account debited (for a post or void, the pending transfer's).
     */
    public long transferDebitAccountIdHi(final int index)
    {
        return records[index * RECORD_LONGS + R_DEBIT_ACCOUNT_ID_HI];
    }

    /**
     * @param index a handle on a transfer.
     * @return the low 64 bits of the account debited (for a post or void, the pending transfer's).
     */
    public long transferDebitAccountIdLo(final int index)
    {
        return records[index * RECORD_LONGS + R_DEBIT_ACCOUNT_ID_LO];
    }

    /**
     * @param index a handle on a transfer.
     * @return the high 64 bits of the account credited (for a post or void, the pending transfer's).
     */
    public long transferCreditAccountIdHi(final int index)
    {
        return records[index * RECORD_LONGS + R_CREDIT_ACCOUNT_ID_HI];
    }

    /**
     * @param index a handle on a transfer.
     * @return the low 64 bits of the account credited (for a post or void, the pending transfer's).
     */
    public long transferCreditAccountIdLo(final int index)
    {
        return records[index * RECORD_LONGS + R_CREDIT_ACCOUNT_ID_LO];
    }

    /**
     * @param index a handle on a transfer.
     * @return the high 64 bits of its amount in minor units: for a post the amount posted, for a void the amount
     * released.
     */
    public long transferAmountHi(final int index)
    {
        return records[index * RECORD_LONGS + R_AMOUNT_HI];
    }

    /**
     * @param index a handle on a transfer.
     * @return the low 64 bits of its amount in minor units: for a post the amount posted, for a void the amount
     * released.
     */
    public long transferAmountLo(final int index)
    {
        return records[index * RECORD_LONGS + R_AMOUNT_LO];
    }

    /**
     * @param index a handle on a transfer.
     * @return the high 64 bits of the pending transfer it posts or voids, else 0.
     */
    public long transferPendingIdHi(final int index)
    {
        return records[index * RECORD_LONGS + R_PENDING_ID_HI];
    }

    /**
     * @param index a handle on a transfer.
     * @return the low 64 bits of the pending transfer it posts or voids, else 0.
     */
    public long transferPendingIdLo(final int index)
    {
        return records[index * RECORD_LONGS + R_PENDING_ID_LO];
    }

    /**
     * @param index a handle on a transfer.
     * @return the high 64 bits of its 128-bit user data.
     */
    public long transferUserData128Hi(final int index)
    {
        return records[index * RECORD_LONGS + R_USER_DATA_128_HI];
    }

    /**
     * @param index a handle on a transfer.
     * @return the low 64 bits of its 128-bit user data.
     */
    public long transferUserData128Lo(final int index)
    {
        return records[index * RECORD_LONGS + R_USER_DATA_128_LO];
    }

    /**
     * @param index a handle on a transfer.
     * @return its 64-bit user data.
     */
    public long transferUserData64(final int index)
    {
        return records[index * RECORD_LONGS + R_USER_DATA_64];
    }

    /**
     * @param index a handle on a transfer.
     * @return its 32-bit user data, unsigned.
     */
    public long transferUserData32(final int index)
    {
        return records[index * RECORD_LONGS + R_USER_DATA_32];
    }

    /**
     * @param index a handle on a transfer.
     * @return its ledger, unsigned 32-bit (for a post or void, the pending transfer's).
     */
    public long transferLedger(final int index)
    {
        return metaLedger(records[index * RECORD_LONGS + R_META]);
    }

    /**
     * @param index a handle on a transfer.
     * @return its code, unsigned 16-bit (for a post or void, the pending transfer's).
     */
    public int transferCode(final int index)
    {
        return metaCode(records[index * RECORD_LONGS + R_META]);
    }

    /**
     * @param index a handle on a transfer.
     * @return its flags as created (see {@link TransferFlags}).
     */
    public int transferFlags(final int index)
    {
        return metaFlags(records[index * RECORD_LONGS + R_META]);
    }

    /**
     * @param index a handle on a transfer.
     * @return its timeout in seconds, unsigned 32-bit; 0 for none.
     */
    public long transferTimeoutSeconds(final int index)
    {
        return records[index * RECORD_LONGS + R_EXTRA] & 0xFFFF_FFFFL;
    }

    /**
     * @param index a handle on a transfer.
     * @return the timestamp assigned at its creation (an imported transfer's own).
     */
    public long transferTimestamp(final int index)
    {
        return records[index * RECORD_LONGS + R_TIMESTAMP];
    }

    /**
     * @param index a handle on a transfer.
     * @return where it stands as a two-phase payment; {@link PendingState#NONE} unless created {@code PENDING}.
     */
    public PendingState transferPendingState(final int index)
    {
        return PendingState.get(stateOf(index));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Digest, reset, snapshot
    // ---------------------------------------------------------------------------------------------------------

    /**
     * SHA-256 over a canonical little-endian encoding of the running history hash (every account and transfer
     * created and every expiry, in order), a hash of the set of pending transfers, the clock, the counts and every
     * account with its balances. Equal histories give equal digests, whatever the hot window and wherever the
     * transfers live; the cost is O(accounts + transfer records in memory), bounded by the limits, never
     * O(transfers ever) once a cold tier holds the rest. Allocates; not for the command path.
     *
     * @return the digest as 64 lower-case hex characters.
     */
    public String digestHex()
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every JVM", ex);
        }

        // The pending transfers as a set: a sum of their hashes, whichever of the ring and the pool holds them.
        final long[] pendingSetHash = new long[1];
        forEachPendingTransfer((handle) -> pendingSetHash[0] += recordHash(handle * RECORD_LONGS));

        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(historyHash0).putLong(historyHash1).putLong(pendingSetHash[0])
            .putLong(lastTimestampNanos).putLong(lastTransferTimestampNanos).putLong(clockNanos)
            .putInt(accountCount).putLong(transferCount).putInt(pendingCount);
        for (int i = 0; i < accountCount; i++)
        {
            if (buffer.remaining() < ACCOUNT_BYTES)
            {
                digest.update(buffer.flip());
                buffer.clear();
            }
            final int offset = i * ACCOUNT_LONGS;
            for (int k = 0; k < ACCOUNT_LONGS; k++)
            {
                buffer.putLong(canonicalAccountLong(offset, k));
            }
        }
        digest.update(buffer.flip());

        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Return to the empty state, keeping the storage: for benchmarks and tests that reuse a ledger, never for a
     * live one, and never for one with a cold tier (the tier would keep the old history). Costs a fill of the id
     * indices. Does not allocate.
     *
     * @throws IllegalStateException if the ledger has a cold tier.
     */
    public void reset()
    {
        if (null != cold)
        {
            throw new IllegalStateException("a ledger with a cold tier cannot be reset: the tier keeps its history");
        }
        accountIndexById.clear();
        hotIndexById.clear();
        ascendingFirst = 0;
        ascendingCount = 0;
        idCeilingHi = 0;
        idCeilingLo = 0;
        poolIndexById.clear();
        poolIdCeilingHi = 0;
        poolIdCeilingLo = 0;
        Arrays.fill(accounts, 0, accountCount * ACCOUNT_LONGS, 0);
        Arrays.fill(records, 0);
        Arrays.fill(ringPreviousSlots, -1);
        Arrays.fill(heapPositions, -1);
        accountCount = 0;
        headSlot = 0;
        recordCount = 0;
        stateRecords = 0;
        SEALED_RECORDS.setRelease(this, 0L);
        PUBLISHED_RECORD_COUNT.setRelease(this, 0L);
        oldestIndexedSlot = 0;
        oldestIndexedRecord = 0;
        transferCount = 0;
        poolCount = 0;
        pendingCount = 0;
        heapSize = 0;
        historyHash0 = 0;
        historyHash1 = 0;
        lastTimestampNanos = 0;
        lastTransferTimestampNanos = 0;
        clockNanos = 0;
        useOwnLimits();
    }

    /**
     * Write the state held in memory (limits, counters, clock, hashes, accounts, the records from
     * {@link #oldestHotRecord()} on, and the pool of sealed pending transfers) to a channel in a versioned format:
     * magic, format version, a checksummed header, the records, and a trailing CRC32C over everything before it.
     * Records older than {@link #oldestHotRecord()} are the cold tier's: a snapshot of a ledger with one is only whole
     * with that tier written at least that far. Allocates a 64 KiB buffer; not for the command path.
     *
     * @param channel to write to; not closed.
     * @throws IOException if the channel fails.
     */
    public void writeSnapshot(final WritableByteChannel channel) throws IOException
    {
        final LedgerSnapshot.Writer writer = new LedgerSnapshot.Writer(channel);
        writer.header(
            accountLimit, transferLimit, pendingLimit, maxBatchEvents, null != cold, accountCount, pendingCount,
            poolCount, lastTimestampNanos, clockNanos,
            transferCount, recordCount, sealedRecords, oldestIndexedRecord, historyHash0, historyHash1,
            lastTransferTimestampNanos, stateRecords);
        for (int i = 0; i < accountCount; i++)
        {
            for (int k = 0; k < ACCOUNT_LONGS; k++)
            {
                writer.putLong(canonicalAccountLong(i * ACCOUNT_LONGS, k));
            }
        }
        for (long number = oldestIndexedRecord; number < recordCount; number++)
        {
            final int offset = (int)(number % ringCapacity) * RECORD_LONGS;
            for (int k = 0; k < RECORD_LONGS; k++)
            {
                writer.putLong(records[offset + k]);
            }
        }
        for (int position = 0; position < poolCount; position++)
        {
            final int offset = (pendingBase + position) * RECORD_LONGS;
            for (int k = 0; k < RECORD_LONGS; k++)
            {
                writer.putLong(records[offset + k]);
            }
        }
        writer.finish();
    }

    /**
     * Read a ledger that keeps every transfer in memory, written by {@link #writeSnapshot}.
     *
     * @param channel to read from; not closed; buffered, so it may be read past the end of the snapshot.
     * @param limits  of the new ledger; must hold the snapshot's counts.
     * @return a new ledger with the snapshot's state.
     * @throws LedgerSnapshotException if the snapshot is of another format or version, damaged, truncated, too
     *                                 big for {@code limits}, or of a ledger with a cold tier.
     * @throws IOException             if the channel fails.
     */
    public static Ledger readSnapshot(final ReadableByteChannel channel, final LedgerLimits limits)
        throws IOException
    {
        return readSnapshot(channel, limits, null);
    }

    /**
     * Read a ledger written by {@link #writeSnapshot}. The result has the same digest and behaves identically.
     *
     * @param channel to read from; not closed; buffered, so it may be read past the end of the snapshot.
     * @param limits  of the new ledger; must hold the snapshot's counts.
     * @param cold    the cold tier, written at least to the snapshot's oldest record; null if the snapshot's
     *                ledger had none.
     * @return a new ledger with the snapshot's state.
     * @throws LedgerSnapshotException if the snapshot is of another format or version, damaged, truncated, too
     *                                 big for {@code limits}, or needs a cold tier that is not given.
     * @throws IOException             if the channel fails.
     */
    public static Ledger readSnapshot(
        final ReadableByteChannel channel, final LedgerLimits limits, final ColdTier cold)
        throws IOException
    {
        final Ledger ledger = new Ledger(limits, cold);
        ledger.load(new LedgerSnapshot.Reader(channel));
        return ledger;
    }

    private void load(final LedgerSnapshot.Reader reader) throws IOException
    {
        reader.readHeader();
        final int accountCount = reader.accountCount();
        final int pendingCount = reader.pendingCount();
        final int poolCount = reader.poolCount();
        final long recordCount = reader.recordCount();
        final long oldestIndexedRecord = reader.oldestIndexedRecord();
        final long sealedRecords = reader.sealedRecords();
        final long hotRecords = recordCount - oldestIndexedRecord;
        if (reader.hadColdTier() && null == cold)
        {
            throw new LedgerSnapshotException("ledger snapshot was taken with a cold tier (records from " +
                oldestIndexedRecord + " on are in it); open it with that tier");
        }
        if (null != cold && cold.writtenRecords() < oldestIndexedRecord)
        {
            throw new LedgerSnapshotException("the cold tier holds " + cold.writtenRecords() +
                " records, but the snapshot needs it to hold the " + oldestIndexedRecord + " before its own");
        }
        LedgerSnapshot.checkCount("accounts", accountCount, maxAccounts, LedgerLimits.MAX_ACCOUNTS_PROP_NAME);
        LedgerSnapshot.checkCount(
            "pending transfers", pendingCount, maxPendingTransfers, LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME);
        LedgerSnapshot.checkCount("pooled pending transfers", poolCount, pendingCount, "its pending count");
        if (oldestIndexedRecord < 0 || hotRecords < 0 || hotRecords > ringCapacity ||
            sealedRecords < oldestIndexedRecord || sealedRecords > recordCount)
        {
            throw new LedgerSnapshotException("ledger snapshot holds records " + oldestIndexedRecord + " to " +
                recordCount + " (sealed below " + sealedRecords + "), but this ledger holds at most " +
                ringCapacity + " records in memory (" + LedgerLimits.MAX_TRANSFERS_PROP_NAME + "=" + maxTransfers +
                ")");
        }
        if (reader.stateRecords() < 0 || reader.stateRecords() > recordCount ||
            (!reader.hadColdTier() && reader.stateRecords() != 0))
        {
            throw new LedgerSnapshotException("ledger snapshot says " + reader.stateRecords() +
                " of its " + recordCount + " records re-record sealed pending transfers" +
                (reader.hadColdTier() ? "" : ", but it was taken without a cold tier, which writes none"));
        }
        reader.expectBodyLength(
            (long)accountCount * ACCOUNT_BYTES + (hotRecords + poolCount) * RECORD_LONGS * Long.BYTES);
        // The history's limits, not this ledger's: the journal after the snapshot was applied with them.
        applyLimits(reader.accountLimit(), reader.transferLimit(), reader.pendingLimit());

        for (int i = 0; i < accountCount; i++)
        {
            final int offset = i * ACCOUNT_LONGS;
            for (int k = 0; k < ACCOUNT_LONGS; k++)
            {
                accounts[offset + CANONICAL_ACCOUNT_ORDER[k]] = reader.getLong();
            }
            if ((accounts[offset + A_USER_DATA_32] & ~USER_DATA_32_MASK) != 0)
            {
                throw new LedgerSnapshotException("snapshot holds account " + i + " with user_data_32 above 32 bits");
            }
            if (anyHighHalf(accounts, offset))
            {
                accounts[offset + A_USER_DATA_32] |= HIGH_BALANCES;
            }
        }
        for (long number = oldestIndexedRecord; number < recordCount; number++)
        {
            final int offset = (int)(number % ringCapacity) * RECORD_LONGS;
            for (int k = 0; k < RECORD_LONGS; k++)
            {
                records[offset + k] = reader.getLong();
            }
        }
        for (int position = 0; position < poolCount; position++)
        {
            final int offset = (pendingBase + position) * RECORD_LONGS;
            for (int k = 0; k < RECORD_LONGS; k++)
            {
                records[offset + k] = reader.getLong();
            }
        }
        reader.finish();

        for (int i = 0; i < accountCount; i++)
        {
            final long idHi = accounts[i * ACCOUNT_LONGS + A_ID_HI];
            final long idLo = accounts[i * ACCOUNT_LONGS + A_ID_LO];
            if (accountIndexById.put(idHi, idLo, i) != IdIndex.MISSING)
            {
                throw new LedgerSnapshotException(
                    "snapshot holds account id " + UInt128.toString(idHi, idLo) + " twice");
            }
        }
        Arrays.fill(ringPreviousSlots, -1);
        int pendingFound = 0;
        for (long number = oldestIndexedRecord; number < recordCount; number++)
        {
            final int slot = (int)(number % ringCapacity);
            final int offset = slot * RECORD_LONGS;
            final long extra = records[offset + R_EXTRA];
            final int kind = kindOf(extra);
            final int state = (int)(extra >>> 32) & 0xFF;
            if (kind > KIND_FAILED || state > STATE_EXPIRED || (kind == KIND_FAILED && state != STATE_NONE))
            {
                throw new LedgerSnapshotException("snapshot record " + number + " has kind " + kind + " and state " +
                    state + ", expected kind 0.." + KIND_FAILED + " and state 0.." + STATE_EXPIRED +
                    " (0 for a failed id)");
            }
            final long idHi = records[offset + R_ID_HI];
            final long idLo = records[offset + R_ID_LO];
            final boolean twice;
            if (kind == KIND_STATE)
            {
                twice = false;
                hotIndexById.put(idHi, idLo, slot);
            }
            else
            {
                // Placed as the ledger that wrote the records placed them, as far as the outcome goes.
                twice = hotIndexById.get(idHi, idLo) != IdIndex.MISSING || findAscending(idHi, idLo) >= 0;
                indexCreated(IdIndex.hash(idHi, idLo), idHi, idLo, slot,
                    kind == KIND_CREATION && (metaFlags(records[offset + R_META]) & TransferFlags.PENDING) == 0);
            }
            if (twice)
            {
                throw new LedgerSnapshotException(
                    "snapshot creates transfer id " + UInt128.toString(idHi, idLo) + " twice");
            }
            if (kind == KIND_CREATION && state == STATE_PENDING && number >= sealedRecords)
            {
                pendingFound++;
                insertIntoHeap(slot);
            }
        }
        for (int position = 0; position < poolCount; position++)
        {
            final int handle = pendingBase + position;
            final int offset = handle * RECORD_LONGS;
            final long idHi = records[offset + R_ID_HI];
            final long idLo = records[offset + R_ID_LO];
            final String id = UInt128.toString(idHi, idLo);
            if (putInPool(idHi, idLo, position) != IdIndex.MISSING)
            {
                throw new LedgerSnapshotException("snapshot holds pending transfer id " + id + " twice");
            }
            if (isAboveIdCeiling(idHi, idLo))
            {
                idCeilingHi = idHi;
                idCeilingLo = idLo;
            }
            if ((metaFlags(records[offset + R_META]) & TransferFlags.PENDING) == 0 ||
                ((records[offset + R_EXTRA] >>> 32) & 0xFF) != STATE_PENDING)
            {
                throw new LedgerSnapshotException("snapshot pool holds transfer " + id + ", which is not pending");
            }
            pendingFound++;
            insertIntoHeap(handle);
        }
        if (pendingFound != pendingCount)
        {
            throw new LedgerSnapshotException(
                "snapshot header says " + pendingCount + " pending transfers, found " + pendingFound);
        }

        this.accountCount = accountCount;
        this.poolCount = poolCount;
        this.pendingCount = pendingCount;
        this.recordCount = recordCount;
        this.stateRecords = reader.stateRecords();
        this.headSlot = (int)(recordCount % ringCapacity);
        SEALED_RECORDS.setRelease(this, sealedRecords);
        PUBLISHED_RECORD_COUNT.setRelease(this, null == cold ? 0L : recordCount);
        this.oldestIndexedRecord = oldestIndexedRecord;
        this.oldestIndexedSlot = (int)(oldestIndexedRecord % ringCapacity);
        if (oldestIndexedRecord > 0)
        {
            // The cold tier holds records this snapshot does not: their ids are bounded by the tier's highest.
            final long[] highest = { -1, -1 };
            if (null != cold)
            {
                cold.copyHighestId(highest);
            }
            if (isAboveIdCeiling(highest[0], highest[1]))
            {
                idCeilingHi = highest[0];
                idCeilingLo = highest[1];
            }
        }
        this.transferCount = reader.transferCount();
        this.historyHash0 = reader.historyHash0();
        this.historyHash1 = reader.historyHash1();
        this.lastTimestampNanos = reader.lastTimestampNanos();
        this.lastTransferTimestampNanos = reader.lastTransferTimestampNanos();
        this.clockNanos = reader.clockNanos();
    }

    private void insertIntoHeap(final int handle)
    {
        final int offset = handle * RECORD_LONGS;
        final long timeoutSeconds = records[offset + R_EXTRA] & 0xFFFF_FFFFL;
        if (timeoutSeconds != 0)
        {
            if (heapSize == maxPendingTransfers)
            {
                throw new LedgerSnapshotException("snapshot holds more pending transfers than " +
                    LedgerLimits.MAX_PENDING_TRANSFERS_PROP_NAME + "=" + maxPendingTransfers);
            }
            heapInsert(handle, records[offset + R_TIMESTAMP] + timeoutSeconds * NANOS_PER_SECOND);
        }
    }

    /**
     * Check the double-entry invariant: for each ledger, Σ debitsPending = Σ creditsPending and Σ debitsPosted =
     * Σ creditsPosted. O(accounts) and allocating: for tests and assertions, not the command path.
     *
     * @return true if every ledger balances.
     */
    boolean isBalanced()
    {
        final Map<Long, BigInteger[]> sums = new HashMap<>();
        for (int i = 0; i < accountCount; i++)
        {
            final int offset = i * ACCOUNT_LONGS;
            final BigInteger[] sum = sums.computeIfAbsent(
                metaLedger(accounts[offset + A_META]), (k) -> new BigInteger[]{ BigInteger.ZERO, BigInteger.ZERO });
            sum[0] = sum[0].add(balance(offset + A_DEBITS_PENDING_LO)).subtract(balance(offset + A_CREDITS_PENDING_LO));
            sum[1] = sum[1].add(balance(offset + A_DEBITS_POSTED_LO)).subtract(balance(offset + A_CREDITS_POSTED_LO));
        }
        for (final BigInteger[] sum : sums.values())
        {
            if (sum[0].signum() != 0 || sum[1].signum() != 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every account's {@link #HIGH_BALANCES} bit says exactly whether one of its balances has a high half,
     * as the command path relies on. O(accounts): for tests.
     *
     * @return true if every account's bit is right.
     */
    boolean highBalanceBitsHold()
    {
        for (int i = 0; i < accountCount; i++)
        {
            final int offset = i * ACCOUNT_LONGS;
            if (anyHighHalf(accounts, offset) != hasHighBalances(offset))
            {
                return false;
            }
        }
        return true;
    }

    private BigInteger balance(final int offset)
    {
        return UInt128.toBigInteger(accounts[offset + A_HI_FROM_LO], accounts[offset]);
    }

    /**
     * Close (or re-open) the accounts a transfer's closing flags name: the debit account for
     * {@link TransferFlags#CLOSING_DEBIT}, the credit account for {@link TransferFlags#CLOSING_CREDIT}.
     */
    private void setClosed(final int debitOffset, final int creditOffset, final int transferFlags, final boolean closed)
    {
        if ((transferFlags & TransferFlags.CLOSING_DEBIT) != 0)
        {
            accounts[debitOffset + A_META] = closed ? accounts[debitOffset + A_META] | AccountFlags.CLOSED :
                accounts[debitOffset + A_META] & ~(long)AccountFlags.CLOSED;
        }
        if ((transferFlags & TransferFlags.CLOSING_CREDIT) != 0)
        {
            accounts[creditOffset + A_META] = closed ? accounts[creditOffset + A_META] | AccountFlags.CLOSED :
                accounts[creditOffset + A_META] & ~(long)AccountFlags.CLOSED;
        }
    }

    private static long meta(final long ledger, final int code, final int flags)
    {
        return (ledger << 32) | ((long)code << 16) | flags;
    }

    static long metaLedger(final long meta)
    {
        return meta >>> 32;
    }

    static int metaCode(final long meta)
    {
        return (int)(meta >>> 16) & 0xFFFF;
    }

    static int metaFlags(final long meta)
    {
        return (int)meta & 0xFFFF;
    }
}
