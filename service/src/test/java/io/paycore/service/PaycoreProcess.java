package io.paycore.service;

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
 * A {@code paycore} command ({@code serve}) in a child JVM (this JVM's java, the test classpath, the add-opens
 * Agrona and lmdbjava need), so that a test can SIGKILL it; its output is captured to a file.
 */
public final class PaycoreProcess implements AutoCloseable
{
    private final Process process;
    private final Path output;
    private String readyLine;

    private PaycoreProcess(final Process process, final Path output)
    {
        this.process = process;
        this.output = output;
    }

    public static PaycoreProcess start(final Path output, final List<String> args) throws IOException
    {
        return start(output, List.of(), args);
    }

    /**
     * @param output   where its output goes.
     * @param launcher words put before {@code java}, such as {@code taskset -c 1}.
     * @param args     the command's arguments.
     * @return the running process.
     * @throws IOException if it cannot start.
     */
    public static PaycoreProcess start(final Path output, final List<String> launcher, final List<String> args)
        throws IOException
    {
        final List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.zip=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PaycoreMain.class.getName());
        command.addAll(args);

        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        return new PaycoreProcess(process, output);
    }

    public String awaitLine(final String prefix, final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            for (final String line : Files.readAllLines(output, StandardCharsets.UTF_8))
            {
                if (line.startsWith(prefix))
                {
                    return line;
                }
            }
            if (!process.isAlive())
            {
                fail("paycore exited with " + process.exitValue() + " before printing '" + prefix + "':\n" +
                    output());
            }
            Thread.sleep(20);
        }
        fail("paycore did not print '" + prefix + "' within " + timeoutMs + " ms:\n" + output());
        return null;
    }

    public String awaitReady(final long timeoutMs) throws Exception
    {
        readyLine = awaitLine("ready:", timeoutMs);
        return readyLine;
    }

    public String ready(final String key)
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

    public String output() throws IOException
    {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /**
     * @return the processes this one started and that still run.
     */
    public List<ProcessHandle> children()
    {
        return process.toHandle().children().collect(java.util.stream.Collectors.toList());
    }

    public int awaitExit(final long timeoutMs) throws Exception
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            fail("paycore did not exit within " + timeoutMs + " ms:\n" + output());
        }
        return process.exitValue();
    }

    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            fail("paycore did not die of SIGKILL");
        }
    }

    public int terminate(final long timeoutMs) throws Exception
    {
        process.destroy();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            fail("paycore did not stop within " + timeoutMs + " ms of SIGTERM:\n" + output());
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
