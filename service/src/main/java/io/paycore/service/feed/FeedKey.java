package io.paycore.service.feed;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.UInt128;

/**
 * What a published change is keyed by, and so what it is kept in order with: a broker keeps the order of the
 * messages of one key (Kafka: one key goes to one partition), not across keys.
 */
public enum FeedKey
{
    /** The transfer's ledger, as a decimal: every change of a ledger in one order (one partition per ledger). */
    LEDGER("ledger"),

    /** The debit account's 128-bit id, as a decimal: spreads a ledger over partitions, in order per account. */
    DEBIT_ACCOUNT("debit-account"),

    /** The credit account's 128-bit id, as a decimal. */
    CREDIT_ACCOUNT("credit-account");

    private final String optionName;

    FeedKey(final String optionName)
    {
        this.optionName = optionName;
    }

    /**
     * @return the name the command line takes, e.g. {@code debit-account}.
     */
    public String optionName()
    {
        return optionName;
    }

    /**
     * @param change being published.
     * @return its key as UTF-8 bytes of a decimal number.
     */
    public byte[] keyBytes(final LedgerChange change)
    {
        final String key;
        switch (this)
        {
            case DEBIT_ACCOUNT:
                key = UInt128.toString(change.debitAccountIdHi(), change.debitAccountIdLo());
                break;
            case CREDIT_ACCOUNT:
                key = UInt128.toString(change.creditAccountIdHi(), change.creditAccountIdLo());
                break;
            default:
                key = Long.toString(change.ledger());
                break;
        }
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param text {@code ledger}, {@code debit-account} or {@code credit-account}, case ignored.
     * @return the key it names.
     * @throws IllegalArgumentException for any other text.
     */
    public static FeedKey parse(final String text)
    {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        for (final FeedKey key : values())
        {
            if (key.optionName.equals(lower))
            {
                return key;
            }
        }
        throw new IllegalArgumentException("--key must be ledger, debit-account or credit-account: " + text);
    }
}
