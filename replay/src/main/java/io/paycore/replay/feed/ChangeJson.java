package io.paycore.replay.feed;

import java.util.Locale;

import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.UInt128;

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
 */
public final class ChangeJson
{
    private static final String[] TYPE_NAMES = typeNames();

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
     * Append a change as one JSON object, with no line end.
     *
     * @param change to write.
     * @param out    to append to.
     * @return out.
     */
    public static StringBuilder append(final LedgerChange change, final StringBuilder out)
    {
        out.append("{\"timestamp\":").append(change.timestampNanos())
            .append(",\"type\":\"").append(typeName(change.type()))
            .append("\",\"ledger\":").append(change.ledger());

        out.append(",\"transfer\":{");
        u128(out, "id", change.transferIdHi(), change.transferIdLo()).append(',');
        u128(out, "debit_account_id", change.debitAccountIdHi(), change.debitAccountIdLo()).append(',');
        u128(out, "credit_account_id", change.creditAccountIdHi(), change.creditAccountIdLo()).append(',');
        u128(out, "amount", change.amountHi(), change.amountLo()).append(',');
        u128(out, "pending_id", change.pendingIdHi(), change.pendingIdLo()).append(',');
        u128(out, "user_data_128", change.userData128Hi(), change.userData128Lo());
        out.append(",\"user_data_64\":").append(Long.toUnsignedString(change.userData64()))
            .append(",\"user_data_32\":").append(change.userData32())
            .append(",\"timeout\":").append(change.timeoutSeconds())
            .append(",\"code\":").append(change.code())
            .append(",\"flags\":").append(change.flags())
            .append(",\"timestamp\":").append(change.transferTimestampNanos())
            .append('}');

        out.append(",\"debit_account\":{");
        u128(out, "id", change.debitAccountIdHi(), change.debitAccountIdLo());
        out.append(",\"code\":").append(change.debitAccountCode())
            .append(",\"flags\":").append(change.debitAccountFlags()).append(',');
        u128(out, "debits_pending", change.debitAccountDebitsPendingHi(), change.debitAccountDebitsPendingLo())
            .append(',');
        u128(out, "debits_posted", change.debitAccountDebitsPostedHi(), change.debitAccountDebitsPostedLo())
            .append(',');
        u128(out, "credits_pending", change.debitAccountCreditsPendingHi(), change.debitAccountCreditsPendingLo())
            .append(',');
        u128(out, "credits_posted", change.debitAccountCreditsPostedHi(), change.debitAccountCreditsPostedLo())
            .append('}');

        out.append(",\"credit_account\":{");
        u128(out, "id", change.creditAccountIdHi(), change.creditAccountIdLo());
        out.append(",\"code\":").append(change.creditAccountCode())
            .append(",\"flags\":").append(change.creditAccountFlags()).append(',');
        u128(out, "debits_pending", change.creditAccountDebitsPendingHi(), change.creditAccountDebitsPendingLo())
            .append(',');
        u128(out, "debits_posted", change.creditAccountDebitsPostedHi(), change.creditAccountDebitsPostedLo())
            .append(',');
        u128(out, "credits_pending", change.creditAccountCreditsPendingHi(), change.creditAccountCreditsPendingLo())
            .append(',');
        u128(out, "credits_posted", change.creditAccountCreditsPostedHi(), change.creditAccountCreditsPostedLo())
            .append("}}");
        return out;
    }

    /**
     * @param change to write.
     * @return the change as one JSON object.
     */
    public static String toJson(final LedgerChange change)
    {
        return append(change, new StringBuilder(768)).toString();
    }

    private static StringBuilder u128(final StringBuilder out, final String key, final long hi, final long lo)
    {
        return out.append('"').append(key).append("\":\"").append(UInt128.toString(hi, lo)).append('"');
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
}
