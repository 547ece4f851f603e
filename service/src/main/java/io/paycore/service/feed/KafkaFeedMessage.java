package io.paycore.service.feed;

import org.apache.kafka.common.header.Header;

/**
 * One change as a Kafka message: its timestamp, key, JSON body and headers, all but the {@code watermark} header,
 * which is added at each send. A slot that {@link KafkaFeedEncoder#encode} fills again and again; each fill makes
 * new key, body and header arrays, because a Kafka producer takes them as whole arrays and a message is kept until
 * the broker acknowledged it, for re-sending.
 */
public final class KafkaFeedMessage
{
    /** Headers the encoder sets: event_type, ledger, transfer_code, debit_account_code, credit_account_code, timestamp. */
    public static final int HEADER_COUNT = 6;

    long timestampNanos;
    byte[] key;
    byte[] value;
    final Header[] headers = new Header[HEADER_COUNT];

    /**
     * @return the change's timestamp: its unique id.
     */
    public long timestampNanos()
    {
        return timestampNanos;
    }

    /**
     * @return the message's key (decimal text, by {@link FeedKey}); not to be changed.
     */
    public byte[] key()
    {
        return key;
    }

    /**
     * @return the message's body, the change's JSON; not to be changed.
     */
    public byte[] value()
    {
        return value;
    }

    /**
     * @return the {@value #HEADER_COUNT} headers, without the watermark; not to be changed.
     */
    public Header[] headers()
    {
        return headers;
    }
}
