package io.paycore.service.feed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker for tests: one KRaft node that is both broker and controller, run from Apache Kafka's own
 * Maven artifacts (on the test classpath) in a child JVM, so that a test can SIGKILL it and start it again on the
 * same log directory. Its storage is formatted once, with {@code kafka.tools.StorageTool}, then
 * {@code kafka.Kafka} runs it from a generated {@code server.properties}. Listens on 127.0.0.1 only.
 */
final class KafkaBroker implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 90_000;

    private final Path directory;
    private final int port;
    private final Path properties;
    private Process process;
    private int starts;

    private KafkaBroker(final Path directory, final int port, final int controllerPort) throws IOException
    {
        this.directory = directory;
        this.port = port;
        this.properties = directory.resolve("server.properties");
        Files.createDirectories(directory);
        final String text = String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + directory.resolve("logs"),
            "num.partitions=1",
            "num.network.threads=2",
            "num.io.threads=2",
            "background.threads=2",
            "num.recovery.threads.per.data.dir=1",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "") ;
        Files.writeString(properties, text, StandardCharsets.UTF_8);
    }

    /**
     * Format the storage and start the broker; returns once it answers.
     */
    static KafkaBroker start(final Path directory, final int port, final int controllerPort) throws Exception
    {
        final KafkaBroker broker = new KafkaBroker(directory, port, controllerPort);
        final Process format = broker.java("kafka.tools.StorageTool", directory.resolve("format.log"),
            "format", "-t", Uuid.randomUuid().toString(), "-c", broker.properties.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || 0 != format.exitValue())
        {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed:\n" +
                Files.readString(directory.resolve("format.log")));
        }
        broker.restart();
        return broker;
    }

    String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    /**
     * Start the broker again on the same log directory (after {@link #kill()}), and wait until it answers.
     */
    void restart() throws Exception
    {
        if (null != process && process.isAlive())
        {
            throw new IllegalStateException("the broker is running");
        }
        starts++;
        final Path log = directory.resolve("broker-" + starts + ".log");
        process = java("kafka.Kafka", log, properties.toString());
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + ":\n" +
                    Files.readString(log));
            }
            try (Admin admin = admin(2_000))
            {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty())
                {
                    return;
                }
            }
            catch (final ExecutionException | java.util.concurrent.TimeoutException ex)
            {
                if (System.currentTimeMillis() > deadline)
                {
                    throw new IllegalStateException("the broker did not answer within " + START_TIMEOUT_MS + " ms:\n" +
                        Files.readString(log), ex);
                }
            }
            Thread.sleep(200);
        }
    }

    /**
     * SIGKILL the broker: no clean shutdown, the log directory as the crash left it.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the broker did not die of SIGKILL");
        }
    }

    void createTopic(final String topic, final int partitions) throws Exception
    {
        createTopic(topic, partitions, Map.of());
    }

    void createTopic(final String topic, final int partitions, final Map<String, String> configs) throws Exception
    {
        try (Admin admin = admin(10_000))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1).configs(configs))).all()
                .get(30, TimeUnit.SECONDS);
        }
    }

    Admin admin(final int timeoutMs)
    {
        final Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        return Admin.create(config);
    }

    public void close()
    {
        if (null != process && process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Process java(final String mainClass, final Path output, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    }
}
