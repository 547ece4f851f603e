package io.paycore.service.feed;

import java.util.Arrays;
import java.util.Locale;

import io.paycore.core.ledger.LedgerChange;
import io.paycore.replay.feed.DecimalAscii;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

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
     * Write a change's key.
     *
     * @param change being published.
     * @param buffer to write to, with room for {@link DecimalAscii#UINT128_MAX_DIGITS} bytes at {@code index}.
     * @param index  where the key starts.
     * @return its length: the ASCII (so UTF-8) bytes of a decimal number.
     */
    public int encode(final LedgerChange change, final MutableDirectBuffer buffer, final int index)
    {
        switch (this)
        {
            case DEBIT_ACCOUNT:
                return DecimalAscii.putUInt128(buffer, index, change.debitAccountIdHi(), change.debitAccountIdLo());
            case CREDIT_ACCOUNT:
                return DecimalAscii.putUInt128(buffer, index, change.creditAccountIdHi(), change.creditAccountIdLo());
            default:
                return buffer.putLongAscii(index, change.ledger());
        }
    }

    /**
     * @param change being published.
     * @return its key as UTF-8 bytes of a decimal number. Allocates a scratch buffer: publishers use
     * {@link #encode}.
     */
    public byte[] keyBytes(final LedgerChange change)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[DecimalAscii.UINT128_MAX_DIGITS]);
        return Arrays.copyOf(scratch.byteArray(), encode(change, scratch, 0));
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
