package io.paycore.service.feed;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A RabbitMQ node of the test's own, from the broker Debian's {@code rabbitmq-server} package installs, in a
 * temporary directory (database, logs, config, Erlang cookie) on loopback ports of its own: AMQP, Erlang
 * distribution and the Erlang port mapper (epmd, which this fixture starts itself, so that nothing outlives it). The
 * node can be SIGKILLed and started again on the same database, as a crashed broker would be.
 * <p>
 * When the broker is not installed, tests are skipped, unless {@value #REQUIRE_ENV_NAME}=1 (CI sets it), when they
 * fail.
 */
final class RabbitMqNode implements AutoCloseable
{
    static final String REQUIRE_ENV_NAME = "PAYCORE_REQUIRE_RABBITMQ";
    static final String SERVER_ENV_NAME = "PAYCORE_RABBITMQ_SERVER";
    static final String SERVER_DEFAULT = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    static final String EPMD_DEFAULT = "/usr/bin/epmd";
    private static final long START_TIMEOUT_MS = 60_000;

    private final Path directory;
    private final int amqpPort;
    private final int distPort;
    private final int epmdPort;
    private Process epmd;
    private Process server;
    private int starts;

    RabbitMqNode(final Path directory, final int amqpPort, final int distPort, final int epmdPort)
    {
        this.directory = directory;
        this.amqpPort = amqpPort;
        this.distPort = distPort;
        this.epmdPort = epmdPort;
    }

    /**
     * @return whether the broker and epmd are installed.
     */
    static boolean isInstalled()
    {
        return Files.isExecutable(Path.of(server())) && Files.isExecutable(Path.of(EPMD_DEFAULT));
    }

    /**
     * Skip the calling test when the broker is not installed, or fail when {@value #REQUIRE_ENV_NAME}=1.
     */
    static void assumeInstalled()
    {
        final String server = server();
        final boolean installed = isInstalled();
        if (!installed && "1".equals(System.getenv(REQUIRE_ENV_NAME)))
        {
            fail("RabbitMQ is required (" + REQUIRE_ENV_NAME + "=1) but " + server + " or " + EPMD_DEFAULT +
                " is missing: apt-get install -y rabbitmq-server");
        }
        assumeTrue(installed, "RabbitMQ is not installed (" + server + " or " + EPMD_DEFAULT + " missing): " +
            "skipping the feed-amqp broker tests; 'apt-get install -y rabbitmq-server' runs them, and " +
            REQUIRE_ENV_NAME + "=1 makes this a failure");
    }

    static String server()
    {
        final String configured = System.getenv(SERVER_ENV_NAME);
        return null != configured && !configured.isBlank() ? configured : SERVER_DEFAULT;
    }

    int amqpPort()
    {
        return amqpPort;
    }

    String uri()
    {
        return "amqp://guest:guest@127.0.0.1:" + amqpPort; // no path: the default virtual host, "/"
    }

    ConnectionFactory connectionFactory()
    {
        final ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(amqpPort);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(2_000);
        return factory;
    }

    /**
     * Start the node (the first time: a new database) and wait until it accepts an AMQP connection.
     *
     * @return how long it took to start, in milliseconds.
     */
    long start() throws Exception
    {
        if (null != server && server.isAlive())
        {
            fail("the RabbitMQ node is already running");
        }
        for (final int port : new int[]{ amqpPort, distPort })
        {
            if (isListening(port))
            {
                fail("port " + port + " is taken: a RabbitMQ node of an earlier run may still be there");
            }
        }
        final long startMs = System.currentTimeMillis();
        final Path home = Files.createDirectories(directory.resolve("home"));
        final Path mnesia = Files.createDirectories(directory.resolve("mnesia"));
        final Path logs = Files.createDirectories(directory.resolve("log"));
        final Path envFile = directory.resolve("rabbitmq-env.conf");
        final Path configFile = directory.resolve("rabbitmq.conf");
        final Path pluginsFile = directory.resolve("enabled_plugins");
        Files.writeString(envFile, "# empty: the test's environment says it all\n", StandardCharsets.US_ASCII);
        Files.writeString(configFile, "listeners.tcp.1 = 127.0.0.1:" + amqpPort + "\n" +
            "disk_free_limit.absolute = 10MB\n", StandardCharsets.US_ASCII);
        Files.writeString(pluginsFile, "[].\n", StandardCharsets.US_ASCII);

        if (null == epmd || !epmd.isAlive())
        {
            epmd = new ProcessBuilder(EPMD_DEFAULT, "-port", Integer.toString(epmdPort), "-address", "127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("epmd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        }

        final ProcessBuilder builder = new ProcessBuilder(server())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("server.log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        final Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODENAME", "paycore-feed-test-" + amqpPort + "@localhost");
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(amqpPort));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_MNESIA_BASE", mnesia.toString());
        env.put("RABBITMQ_LOG_BASE", logs.toString());
        env.put("RABBITMQ_LOGS", logs.resolve("node.log").toString());
        env.put("RABBITMQ_CONF_ENV_FILE", envFile.toString());
        env.put("RABBITMQ_CONFIG_FILE", configFile.toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile.toString());
        env.put("RABBITMQ_PID_FILE", directory.resolve("node.pid").toString());
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        server = builder.start();
        starts++;

        final long deadlineMs = startMs + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadlineMs)
        {
            if (!server.isAlive())
            {
                fail("the RabbitMQ node exited with " + server.exitValue() + " while starting:\n" + log());
            }
            if (isListening(amqpPort))
            {
                try (Connection ignore = connectionFactory().newConnection("paycore test: is the node up"))
                {
                    return System.currentTimeMillis() - startMs;
                }
                catch (final IOException ex)
                {
                    // listening but still booting
                }
            }
            Thread.sleep(100);
        }
        fail("the RabbitMQ node did not accept AMQP connections within " + START_TIMEOUT_MS + " ms:\n" + log());
        return -1;
    }

    /**
     * SIGKILL the node and every process it started, as a crash would.
     */
    void kill() throws Exception
    {
        if (null == server)
        {
            return;
        }
        final List<ProcessHandle> descendants = server.descendants().toList();
        server.destroyForcibly();
        for (final ProcessHandle handle : descendants)
        {
            handle.destroyForcibly();
        }
        if (!server.waitFor(30, TimeUnit.SECONDS))
        {
            fail("the RabbitMQ node did not die of SIGKILL");
        }
        for (final ProcessHandle handle : descendants)
        {
            handle.onExit().get(30, TimeUnit.SECONDS);
        }
        server = null;
    }

    /**
     * SIGSTOP the node and every process it started: its connections stay open, it reads, sends and confirms
     * nothing until {@link #resume()}, as a broker stalled by a long pause would.
     */
    void suspend() throws Exception
    {
        signal("-STOP");
    }

    /**
     * SIGCONT what {@link #suspend()} stopped.
     */
    void resume() throws Exception
    {
        signal("-CONT");
    }

    private void signal(final String signal) throws Exception
    {
        if (null == server)
        {
            fail("the RabbitMQ node is not running");
        }
        final List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(server.pid())));
        server.descendants().forEach((handle) -> command.add(Long.toString(handle.pid())));
        final Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || 0 != kill.exitValue())
        {
            fail("kill " + signal + " of the RabbitMQ node failed: " + output);
        }
    }

    int starts()
    {
        return starts;
    }

    String log()
    {
        try
        {
            final String text = Files.readString(directory.resolve("server.log"), StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    public void close()
    {
        try
        {
            kill();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            if (null != epmd)
            {
                epmd.destroyForcibly();
                epmd = null;
            }
        }
    }

    private static boolean isListening(final int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
