package io.paycore.service.serve;

import io.paycore.service.PaycoreMain;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code paycore serve} in a child JVM (this JVM's java, the test classpath, the add-opens Agrona needs), its
 * output captured to a file so a test can wait for the ready line and read the recovery report.
 */
final class ServiceProcess implements AutoCloseable
{
    private final Process process;
    private final Path output;
    private String readyLine;

    private ServiceProcess(final Process process, final Path output)
    {
        this.process = process;
        this.output = output;
    }

    static ServiceProcess start(final Path output, final List<String> serveArgs) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.zip=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PaycoreMain.class.getName());
        command.add("serve");
        command.addAll(serveArgs);

        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();

        return new ServiceProcess(process, output);
    }

    /**
     * Wait for the ready line.
     *
     * @return the ready line.
     */
    String awaitReady(final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            for (final String line : Files.readAllLines(output, StandardCharsets.UTF_8))
            {
                if (line.startsWith(PaycoreService.READY_PREFIX))
                {
                    readyLine = line;
                    return line;
                }
            }
            if (!process.isAlive())
            {
                fail("paycore serve exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            Thread.sleep(20);
        }
        fail("paycore serve was not ready within " + timeoutMs + " ms:\n" + output());
        return null;
    }

    /**
     * @param key a word of the ready line, such as {@code digest}.
     * @return the word after it.
     */
    String ready(final String key)
    {
        final String[] words = readyLine.split(" ");
        for (int i = 0; i < words.length - 1; i++)
        {
            if (words[i].equals(key))
            {
                return words[i + 1];
            }
        }
        throw new AssertionError("no " + key + " in " + readyLine);
    }

    String output() throws IOException
    {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    Process process()
    {
        return process;
    }

    /**
     * SIGKILL: no shutdown of any kind.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            fail("paycore serve did not die of SIGKILL");
        }
    }

    /**
     * SIGTERM, then wait for the clean shutdown.
     *
     * @return the exit status.
     */
    int terminate(final long timeoutMs) throws Exception
    {
        process.destroy();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            fail("paycore serve did not stop within " + timeoutMs + " ms of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    public void close()
    {
        if (process.isAlive())
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
}
