package io.paycore.service.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a Kafka feed publisher resumes: it reads the last message of every partition of the topic and takes the
 * highest {@link KafkaFeedHeaders#WATERMARK} among them. Each watermark was true when its message was sent (every
 * change at or below it had been acknowledged), so resuming after the highest never skips a change; the changes in
 * flight when the publisher stopped are sent again, and consumers drop them by timestamp.
 * <p>
 * The newest message of a partition alone would not do: with several partitions, it says nothing of the changes
 * that were in flight to the others when the publisher died.
 */
public final class KafkaFeedResume
{
    private final String topicId;
    private final int partitions;
    private final long watermark;
    private final long lastMessages;

    private KafkaFeedResume(final String topicId, final int partitions, final long watermark, final long lastMessages)
    {
        this.topicId = topicId;
        this.partitions = partitions;
        this.watermark = watermark;
        this.lastMessages = lastMessages;
    }

    /**
     * @return the topic's id (a topic deleted and made again under the same name has a new one).
     */
    public String topicId()
    {
        return topicId;
    }

    /**
     * @return the topic's partitions.
     */
    public int partitions()
    {
        return partitions;
    }

    /**
     * @return the highest watermark of the partitions' last messages; 0 if the topic is empty.
     */
    public long watermark()
    {
        return watermark;
    }

    /**
     * @return partitions that held a message (the last of each was read).
     */
    public long lastMessages()
    {
        return lastMessages;
    }

    /**
     * Read the topic's watermark. Blocks for at most about {@code timeoutMs}.
     *
     * @param bootstrapServers of the cluster.
     * @param topic            to read.
     * @param clientProperties extra client settings (security, ...); settings only a producer knows are ignored.
     * @param timeoutMs        how long the attempt may take.
     * @return where to resume.
     * @throws TimeoutException        if the broker did not answer in time: retry.
     * @throws TopicUnusableException  if the topic does not exist, or its last messages were not written by a
     *                                 paycore feed publisher.
     * @throws InterruptedException    if interrupted while waiting.
     */
    public static KafkaFeedResume read(
        final String bootstrapServers,
        final String topic,
        final Map<String, String> clientProperties,
        final long timeoutMs) throws InterruptedException
    {
        final long deadlineMs = monotonicMs() + timeoutMs;
        final TopicDescription description = describe(bootstrapServers, topic, clientProperties, timeoutMs);
        final String topicId = description.topicId().toString();
        final int partitionCount = description.partitions().size();

        final Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "paycore-feed-kafka-resume");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties))
        {
            final List<TopicPartition> all = new ArrayList<>(partitionCount);
            for (int i = 0; i < partitionCount; i++)
            {
                all.add(new TopicPartition(topic, i));
            }
            final Map<TopicPartition, Long> ends = consumer.endOffsets(all, remaining(deadlineMs));
            final Map<TopicPartition, Long> begins = consumer.beginningOffsets(all, remaining(deadlineMs));
            final List<TopicPartition> holding = new ArrayList<>();
            for (final TopicPartition partition : all)
            {
                if (ends.get(partition) > begins.get(partition))
                {
                    holding.add(partition);
                }
            }
            if (holding.isEmpty())
            {
                return new KafkaFeedResume(topicId, partitionCount, 0, 0);
            }

            consumer.assign(holding);
            for (final TopicPartition partition : holding)
            {
                consumer.seek(partition, ends.get(partition) - 1);
            }
            final Map<TopicPartition, ConsumerRecord<byte[], byte[]>> last = new HashMap<>();
            final List<TopicPartition> open = new ArrayList<>(holding);
            while (!open.isEmpty())
            {
                if (monotonicMs() >= deadlineMs)
                {
                    throw new TimeoutException("could not read the last message of " + open + " in " + timeoutMs +
                        " ms");
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100)))
                {
                    last.put(new TopicPartition(record.topic(), record.partition()), record);
                }
                open.removeIf((partition) -> consumer.position(partition, remaining(deadlineMs)) >=
                    ends.get(partition));
            }

            long watermark = 0;
            for (final TopicPartition partition : holding)
            {
                final ConsumerRecord<byte[], byte[]> record = last.get(partition);
                if (null == record)
                {
                    // The partition's tail is not a record (only possible with transactions or compaction).
                    throw new TopicUnusableException("the topic " + topic + " partition " + partition.partition() +
                        " ends with no readable message at offset " + (ends.get(partition) - 1) + ": give the " +
                        "feed a topic of its own, not compacted, written only by paycore feed-kafka");
                }
                final long recordWatermark = KafkaFeedHeaders.decimal(record.headers(), KafkaFeedHeaders.WATERMARK);
                if (recordWatermark < 0)
                {
                    throw new TopicUnusableException("the topic " + topic + " partition " + partition.partition() +
                        " ends with a message (offset " + record.offset() + ") that has no '" +
                        KafkaFeedHeaders.WATERMARK + "' header: paycore feed-kafka did not write it, so it " +
                        "cannot tell where to resume; give the feed a topic of its own");
                }
                watermark = Math.max(watermark, recordWatermark);
            }
            return new KafkaFeedResume(topicId, partitionCount, watermark, holding.size());
        }
    }

    private static TopicDescription describe(
        final String bootstrapServers,
        final String topic,
        final Map<String, String> clientProperties,
        final long timeoutMs) throws InterruptedException
    {
        final Properties properties = adminProperties(bootstrapServers, clientProperties, timeoutMs);
        final Admin admin;
        try
        {
            admin = Admin.create(properties);
        }
        catch (final KafkaException ex)
        {
            // The options themselves (an address that is not host:port, a security protocol without its settings):
            // no retry cures that.
            throw new ClientRefusedException("cannot make a Kafka client of the options (--bootstrap, " +
                "--producer-property): " + describeCauses(ex));
        }
        try (admin)
        {
            return admin.describeTopics(Collections.singletonList(topic))
                .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Exception && KafkaFeedPublisher.isPermanent((Exception)ex.getCause()))
            {
                throw new ClientRefusedException("the broker at " + bootstrapServers + " refused the publisher: " +
                    ex.getCause() + " (check --producer-property's security settings against the broker's)");
            }
            if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                throw new TopicUnusableException("the topic " + topic + " does not exist at " + bootstrapServers +
                    ": create it first, with the partitions and replication you want (acks=all is only as strong " +
                    "as the topic's replication.factor and min.insync.replicas)");
            }
            if (ex.getCause() instanceof TimeoutException)
            {
                throw (TimeoutException)ex.getCause();
            }
            throw new TimeoutException("cannot describe the topic " + topic + ": " + ex.getCause(), ex.getCause());
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            throw new TimeoutException("no answer from " + bootstrapServers + " in " + timeoutMs + " ms");
        }
    }

    /**
     * @param bootstrapServers of the cluster.
     * @param clientProperties extra client settings (security, ...).
     * @param timeoutMs        how long one request may take.
     * @return the settings of an admin client that describes the feed's topic.
     */
    static Properties adminProperties(
        final String bootstrapServers, final Map<String, String> clientProperties, final long timeoutMs)
    {
        final Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "paycore-feed-kafka-resume");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)Math.max(1, timeoutMs));
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int)Math.max(1, timeoutMs));
        return properties;
    }

    private static Duration remaining(final long deadlineMs)
    {
        return Duration.ofMillis(Math.max(1, deadlineMs - monotonicMs()));
    }

    private static String describeCauses(final Throwable failure)
    {
        final StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); null != cause; cause = cause.getCause())
        {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    /**
     * The publisher cannot reach the topic for a reason no retry cures: its client options are not valid, or the
     * broker refused it (authentication, authorization, an unsupported setting).
     */
    public static final class ClientRefusedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is wrong and what to do.
         */
        public ClientRefusedException(final String message)
        {
            super(message);
        }
    }

    /**
     * The topic cannot be published to: it is missing, or it holds messages paycore did not write.
     */
    public static final class TopicUnusableException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is wrong and what to do.
         */
        public TopicUnusableException(final String message)
        {
            super(message);
        }
    }

    /**
     * Milliseconds from {@link System#nanoTime()}: for waits, intervals and deadlines, which a wall clock set back
     * or forward (NTP, a VM restored) would stretch or cut short.
     */
    private static long monotonicMs()
    {
        return System.nanoTime() / 1_000_000L;
    }
}
