package io.paycore.service.feed;

import java.nio.charset.StandardCharsets;

import org.agrona.AsciiEncoding;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of every message {@code paycore feed-kafka} sends, for routing and filtering without parsing the
 * body. Every value is UTF-8 text: the type's name, or a decimal number.
 */
public final class KafkaFeedHeaders
{
    /** The change's type, as in the body: {@code single_phase}, {@code two_phase_pending}, ... */
    public static final String EVENT_TYPE = "event_type";
    /** The transfer's ledger. */
    public static final String LEDGER = "ledger";
    /** The transfer's code. */
    public static final String TRANSFER_CODE = "transfer_code";
    /** The debit account's code. */
    public static final String DEBIT_ACCOUNT_CODE = "debit_account_code";
    /** The credit account's code. */
    public static final String CREDIT_ACCOUNT_CODE = "credit_account_code";
    /** The change's timestamp in nanoseconds: its unique id, strictly increasing along the feed. */
    public static final String TIMESTAMP = "timestamp";
    /**
     * The publisher's acknowledged watermark when it sent the message: every change with a timestamp at or below it
     * had been acknowledged by the broker. A restart resumes after the highest watermark of the partitions' last
     * messages; 0 means none yet.
     */
    public static final String WATERMARK = "watermark";

    private KafkaFeedHeaders()
    {
    }

    /**
     * @param value a number.
     * @return it as the UTF-8 bytes of its decimal text.
     */
    public static byte[] decimal(final long value)
    {
        if (value < 0)
        {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII); // no header of the feed is negative
        }
        final byte[] digits = new byte[AsciiEncoding.digitCount(value)];
        long rest = value;
        for (int i = digits.length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        return digits;
    }

    /**
     * @param headers of a message.
     * @param name    of a header holding a decimal number.
     * @return its value, or -1 if the message has no such header or it is not a non-negative decimal.
     */
    public static long decimal(final Headers headers, final String name)
    {
        final Header header = headers.lastHeader(name);
        if (null == header || null == header.value() || 0 == header.value().length)
        {
            return -1;
        }
        try
        {
            final long value = Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
            return value < 0 ? -1 : value;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
