package io.paycore.service.feed;

import java.nio.charset.StandardCharsets;

import io.paycore.core.ledger.ChangeType;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.replay.feed.ChangeJson;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns a change into its {@link KafkaFeedMessage}: the key by {@link FeedKey}, the body by
 * {@link ChangeJson#encode}, the headers of {@link KafkaFeedHeaders}. The text is written into one scratch buffer,
 * then copied into arrays of its exact length, the form a Kafka producer takes. Those arrays, and a header for the
 * timestamp, are all it allocates per change: a header whose value is the same as in the change before (the
 * ledger, the codes; the {@code event_type}) is the same object, which Kafka only reads.
 * <p>
 * <b>Threading</b>: one thread encodes with an encoder.
 */
public final class KafkaFeedEncoder
{
    private static final Header[] EVENT_TYPE_HEADERS = eventTypeHeaders();

    private final FeedKey key;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ChangeJson.MAX_LENGTH_BYTES]);
    private final Header[] lastHeaders = new Header[KafkaFeedMessage.HEADER_COUNT];
    private final long[] lastValues = new long[KafkaFeedMessage.HEADER_COUNT];

    /**
     * @param key what messages are keyed by.
     */
    public KafkaFeedEncoder(final FeedKey key)
    {
        this.key = key;
    }

    /**
     * Fill a message with a change.
     *
     * @param change  to encode, read during this call only.
     * @param message to fill; what it held is dropped.
     * @return message.
     */
    public KafkaFeedMessage encode(final LedgerChange change, final KafkaFeedMessage message)
    {
        message.timestampNanos = change.timestampNanos();
        message.value = copy(ChangeJson.encode(change, scratch, 0));
        message.key = copy(key.encode(change, scratch, 0));
        final Header[] headers = message.headers;
        headers[0] = EVENT_TYPE_HEADERS[change.type().ordinal()];
        headers[1] = decimal(1, KafkaFeedHeaders.LEDGER, change.ledger());
        headers[2] = decimal(2, KafkaFeedHeaders.TRANSFER_CODE, change.code());
        headers[3] = decimal(3, KafkaFeedHeaders.DEBIT_ACCOUNT_CODE, change.debitAccountCode());
        headers[4] = decimal(4, KafkaFeedHeaders.CREDIT_ACCOUNT_CODE, change.creditAccountCode());
        headers[5] = decimal(5, KafkaFeedHeaders.TIMESTAMP, change.timestampNanos());
        return message;
    }

    private Header decimal(final int index, final String name, final long value)
    {
        Header header = lastHeaders[index];
        if (null == header || value != lastValues[index])
        {
            header = new RecordHeader(name, copy(scratch.putLongAscii(0, value)));
            lastHeaders[index] = header;
            lastValues[index] = value;
        }
        return header;
    }

    private byte[] copy(final int length)
    {
        final byte[] bytes = new byte[length];
        scratch.getBytes(0, bytes);
        return bytes;
    }

    private static Header[] eventTypeHeaders()
    {
        final ChangeType[] types = ChangeType.values();
        final Header[] headers = new Header[types.length];
        for (final ChangeType type : types)
        {
            headers[type.ordinal()] = new RecordHeader(KafkaFeedHeaders.EVENT_TYPE,
                ChangeJson.typeName(type).getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }
}
