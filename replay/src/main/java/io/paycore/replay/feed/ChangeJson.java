package io.paycore.replay.feed;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.LedgerChange;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link LedgerChange} as one JSON object: the change's {@code timestamp} (its unique id) and {@code type}, the
 * transfer, and both accounts with their balances after the change. 128-bit values are decimal strings, so that no
 * reader rounds them to a double; 64-bit and smaller values are numbers. One line, no spaces:
 * <pre>
 * {"timestamp":T,"type":"single_phase","ledger":L,
 *  "transfer":{"id":"..","debit_account_id":"..","credit_account_id":"..","amount":"..","pending_id":"..",
 *              "user_data_128":"..","user_data_64":N,"user_data_32":N,"timeout":N,"code":N,"flags":N,"timestamp":T},
 *  "debit_account":{"id":"..","code":N,"flags":N,"debits_pending":"..","debits_posted":"..",
 *                   "credits_pending":"..","credits_posted":".."},
 *  "credit_account":{...}}
 * </pre>
 * Types are TigerBeetle's change-event names: {@code single_phase}, {@code two_phase_pending},
 * {@code two_phase_posted}, {@code two_phase_voided}, {@code two_phase_expired}.
 * <p>
 * {@link #encode} writes the object into a buffer as ASCII, allocating nothing, for publishers that encode every
 * change; {@link #append} and {@link #toJson} give the same text as characters.
 */
public final class ChangeJson
{
    private static final String[] TYPE_NAMES = typeNames();
    private static final byte[][] TYPE_NAME_BYTES = typeNameBytes();

    // The text between two values, in the order written.
    private static final byte[] OPEN = ascii("{\"timestamp\":");
    private static final byte[] TYPE = ascii(",\"type\":\"");
    private static final byte[] LEDGER = ascii("\",\"ledger\":");
    private static final byte[] TRANSFER_ID = ascii(",\"transfer\":{\"id\":\"");
    private static final byte[] DEBIT_ACCOUNT_ID = ascii("\",\"debit_account_id\":\"");
    private static final byte[] CREDIT_ACCOUNT_ID = ascii("\",\"credit_account_id\":\"");
    private static final byte[] AMOUNT = ascii("\",\"amount\":\"");
    private static final byte[] PENDING_ID = ascii("\",\"pending_id\":\"");
    private static final byte[] USER_DATA_128 = ascii("\",\"user_data_128\":\"");
    private static final byte[] USER_DATA_64 = ascii("\",\"user_data_64\":");
    private static final byte[] USER_DATA_32 = ascii(",\"user_data_32\":");
    private static final byte[] TIMEOUT = ascii(",\"timeout\":");
    private static final byte[] CODE = ascii(",\"code\":");
    private static final byte[] FLAGS = ascii(",\"flags\":");
    private static final byte[] TRANSFER_TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] DEBIT_ACCOUNT = ascii("},\"debit_account\":{\"id\":\"");
    private static final byte[] CREDIT_ACCOUNT = ascii("\"},\"credit_account\":{\"id\":\"");
    private static final byte[] ACCOUNT_CODE = ascii("\",\"code\":");
    private static final byte[] DEBITS_PENDING = ascii(",\"debits_pending\":\"");
    private static final byte[] DEBITS_POSTED = ascii("\",\"debits_posted\":\"");
    private static final byte[] CREDITS_PENDING = ascii("\",\"credits_pending\":\"");
    private static final byte[] CREDITS_POSTED = ascii("\",\"credits_posted\":\"");
    private static final byte[] CLOSE = ascii("\"}}");

    /** Digits of a signed 64-bit value at most, its sign included. */
    private static final int LONG_MAX_LENGTH = 20;
    /** Digits of a signed 32-bit value at most, its sign included. */
    private static final int INT_MAX_LENGTH = 11;

    /** The longest change {@link #encode} writes, in bytes: every number at its widest. */
    public static final int MAX_LENGTH_BYTES = maxLengthBytes();

    private ChangeJson()
    {
    }

    /**
     * @param type of a change.
     * @return its name in the JSON form and in message headers, e.g. {@code two_phase_posted}.
     */
    public static String typeName(final ChangeType type)
    {
        return TYPE_NAMES[type.ordinal()];
    }

    /**
     * Write a change as one JSON object, with no line end, as ASCII bytes (every byte of the form is ASCII). No
     * allocation: the encoder for publishers that run once per change.
     *
     * @param change to write.
     * @param buffer to write to, with room for {@link #MAX_LENGTH_BYTES} bytes at {@code offset}.
     * @param offset where the object starts.
     * @return the bytes written.
     */
    public static int encode(final LedgerChange change, final MutableDirectBuffer buffer, final int offset)
    {
        int i = text(buffer, offset, OPEN);
        i += buffer.putLongAscii(i, change.timestampNanos());
        i = text(buffer, i, TYPE);
        i = text(buffer, i, TYPE_NAME_BYTES[change.type().ordinal()]);
        i = text(buffer, i, LEDGER);
        i += buffer.putLongAscii(i, change.ledger());

        i = text(buffer, i, TRANSFER_ID);
        i += DecimalAscii.putUInt128(buffer, i, change.transferIdHi(), change.transferIdLo());
        i = text(buffer, i, DEBIT_ACCOUNT_ID);
        i += DecimalAscii.putUInt128(buffer, i, change.debitAccountIdHi(), change.debitAccountIdLo());
        i = text(buffer, i, CREDIT_ACCOUNT_ID);
        i += DecimalAscii.putUInt128(buffer, i, change.creditAccountIdHi(), change.creditAccountIdLo());
        i = text(buffer, i, AMOUNT);
        i += DecimalAscii.putUInt128(buffer, i, change.amountHi(), change.amountLo());
        i = text(buffer, i, PENDING_ID);
        i += DecimalAscii.putUInt128(buffer, i, change.pendingIdHi(), change.pendingIdLo());
        i = text(buffer, i, USER_DATA_128);
        i += DecimalAscii.putUInt128(buffer, i, change.userData128Hi(), change.userData128Lo());
        i = text(buffer, i, USER_DATA_64);
        i += DecimalAscii.putUnsignedLong(buffer, i, change.userData64());
        i = text(buffer, i, USER_DATA_32);
        i += buffer.putLongAscii(i, change.userData32());
        i = text(buffer, i, TIMEOUT);
        i += buffer.putLongAscii(i, change.timeoutSeconds());
        i = text(buffer, i, CODE);
        i += buffer.putIntAscii(i, change.code());
        i = text(buffer, i, FLAGS);
        i += buffer.putIntAscii(i, change.flags());
        i = text(buffer, i, TRANSFER_TIMESTAMP);
        i += buffer.putLongAscii(i, change.transferTimestampNanos());

        i = account(buffer, i, DEBIT_ACCOUNT, change.debitAccountIdHi(), change.debitAccountIdLo(),
            change.debitAccountCode(), change.debitAccountFlags(),
            change.debitAccountDebitsPendingHi(), change.debitAccountDebitsPendingLo(),
            change.debitAccountDebitsPostedHi(), change.debitAccountDebitsPostedLo(),
            change.debitAccountCreditsPendingHi(), change.debitAccountCreditsPendingLo(),
            change.debitAccountCreditsPostedHi(), change.debitAccountCreditsPostedLo());
        i = account(buffer, i, CREDIT_ACCOUNT, change.creditAccountIdHi(), change.creditAccountIdLo(),
            change.creditAccountCode(), change.creditAccountFlags(),
            change.creditAccountDebitsPendingHi(), change.creditAccountDebitsPendingLo(),
            change.creditAccountDebitsPostedHi(), change.creditAccountDebitsPostedLo(),
            change.creditAccountCreditsPendingHi(), change.creditAccountCreditsPendingLo(),
            change.creditAccountCreditsPostedHi(), change.creditAccountCreditsPostedLo());
        i = text(buffer, i, CLOSE);
        assert i - offset <= MAX_LENGTH_BYTES : i - offset;
        return i - offset;
    }

    /**
     * Append a change as one JSON object, with no line end. Allocates a scratch buffer: for tools and tests;
     * publishers use {@link #encode}.
     *
     * @param change to write.
     * @param out    to append to.
     * @return out.
     */
    public static StringBuilder append(final LedgerChange change, final StringBuilder out)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_LENGTH_BYTES]);
        final int length = encode(change, scratch, 0);
        out.ensureCapacity(out.length() + length);
        for (int i = 0; i < length; i++)
        {
            out.append((char)scratch.getByte(i));
        }
        return out;
    }

    /**
     * @param change to write.
     * @return the change as one JSON object.
     */
    public static String toJson(final LedgerChange change)
    {
        final byte[] bytes = new byte[MAX_LENGTH_BYTES];
        final int length = encode(change, new UnsafeBuffer(bytes), 0);
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    private static int account(
        final MutableDirectBuffer buffer,
        final int index,
        final byte[] opening,
        final long idHi,
        final long idLo,
        final int code,
        final int flags,
        final long debitsPendingHi,
        final long debitsPendingLo,
        final long debitsPostedHi,
        final long debitsPostedLo,
        final long creditsPendingHi,
        final long creditsPendingLo,
        final long creditsPostedHi,
        final long creditsPostedLo)
    {
        int i = text(buffer, index, opening);
        i += DecimalAscii.putUInt128(buffer, i, idHi, idLo);
        i = text(buffer, i, ACCOUNT_CODE);
        i += buffer.putIntAscii(i, code);
        i = text(buffer, i, FLAGS);
        i += buffer.putIntAscii(i, flags);
        i = text(buffer, i, DEBITS_PENDING);
        i += DecimalAscii.putUInt128(buffer, i, debitsPendingHi, debitsPendingLo);
        i = text(buffer, i, DEBITS_POSTED);
        i += DecimalAscii.putUInt128(buffer, i, debitsPostedHi, debitsPostedLo);
        i = text(buffer, i, CREDITS_PENDING);
        i += DecimalAscii.putUInt128(buffer, i, creditsPendingHi, creditsPendingLo);
        i = text(buffer, i, CREDITS_POSTED);
        i += DecimalAscii.putUInt128(buffer, i, creditsPostedHi, creditsPostedLo);
        return i;
    }

    private static int text(final MutableDirectBuffer buffer, final int index, final byte[] text)
    {
        buffer.putBytes(index, text);
        return index + text.length;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int maxLengthBytes()
    {
        int typeNameLength = 0;
        for (final byte[] name : TYPE_NAME_BYTES)
        {
            typeNameLength = Math.max(typeNameLength, name.length);
        }
        final byte[][] texts = {
            OPEN, TYPE, LEDGER, TRANSFER_ID, DEBIT_ACCOUNT_ID, CREDIT_ACCOUNT_ID, AMOUNT, PENDING_ID, USER_DATA_128,
            USER_DATA_64, USER_DATA_32, TIMEOUT, CODE, FLAGS, TRANSFER_TIMESTAMP, CLOSE };
        final byte[][] accountTexts = {
            ACCOUNT_CODE, FLAGS, DEBITS_PENDING, DEBITS_POSTED, CREDITS_PENDING, CREDITS_POSTED };
        int length = DEBIT_ACCOUNT.length + CREDIT_ACCOUNT.length + typeNameLength;
        for (final byte[] text : texts)
        {
            length += text.length;
        }
        for (final byte[] text : accountTexts)
        {
            length += 2 * text.length;
        }
        final int longs = 5; // timestamp, ledger, user_data_32, timeout, the transfer's timestamp
        final int ints = 2 + 2 * 2; // the transfer's code and flags, each account's
        final int uint128s = 6 + 2 * 5; // the transfer's six, each account's id and four balances
        return length + longs * LONG_MAX_LENGTH + DecimalAscii.UNSIGNED_LONG_MAX_DIGITS + ints * INT_MAX_LENGTH +
            uint128s * DecimalAscii.UINT128_MAX_DIGITS;
    }

    private static String[] typeNames()
    {
        final ChangeType[] types = ChangeType.values();
        final String[] names = new String[types.length];
        for (final ChangeType type : types)
        {
            names[type.ordinal()] = type.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    private static byte[][] typeNameBytes()
    {
        final String[] names = typeNames();
        final byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            bytes[i] = ascii(names[i]);
        }
        return bytes;
    }
}
