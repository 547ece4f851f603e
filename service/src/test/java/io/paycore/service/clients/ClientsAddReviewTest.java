package io.paycore.service.clients;

import io.paycore.service.Commands;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of {@code paycore clients add}, 2026-12-07: each test failed before its fix.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientsAddReviewTest
{
    private static final int OPERATORS = 4;
    private static final int ROUNDS = 50;

    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception
    {
        for (final Path mount : mounts)
        {
            Commands.run(10, "umount", "-l", mount.toString());
        }
    }

    @Test
    void shouldLeaveTheFileAsItWasWhenTheDiskFillsPartWayThroughTheLine() throws Exception
    {
        final Path disk = temp.resolve("disk");
        Files.createDirectories(disk);
        final String output = Commands.run(10, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString());
        Assumptions.assumeTrue(null == output, () -> "cannot mount a small tmpfs (needs root); skipped: " + output);
        mounts.add(disk);

        final Path file = disk.resolve("clients");
        assertEquals(0, PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "1",
            "--secret", "secret-number-one", "--iterations", "10"), console.err());
        // A comment fills the file's page to 20 bytes short of its end: the next line needs a page the disk lacks.
        final int pad = 4096 - 20 - (int)Files.size(file) - 2;
        Files.writeString(file, "#" + "x".repeat(pad) + "\n", StandardOpenOption.APPEND);
        final String before = Files.readString(file);
        try (OutputStream filler = Files.newOutputStream(disk.resolve("filler")))
        {
            final byte[] block = new byte[4096];
            while (true)
            {
                filler.write(block);
            }
        }
        catch (final IOException expected)
        {
            // The disk is full.
        }

        assertEquals(ClientsAddCommand.EXIT_FAILED, PaycoreMain.execute("clients", "add", "--file",
            file.toString(), "--client-id", "2", "--secret", "secret-number-two", "--iterations", "10"));

        assertTrue(console.err().contains("paycore clients add: cannot write " + file), console.err());
        assertEquals(before, Files.readString(file));
        assertEquals(1, ClientCredentials.load(file).size());
    }

    @Test
    void shouldAddAClientOnceWhenTwoOperatorsAddItAtOnce() throws Exception
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            final Path file = temp.resolve("clients-" + round);
            final CyclicBarrier start = new CyclicBarrier(OPERATORS);
            final AtomicInteger added = new AtomicInteger();
            final Thread[] operators = new Thread[OPERATORS];
            for (int i = 0; i < OPERATORS; i++)
            {
                operators[i] = new Thread(() ->
                {
                    try
                    {
                        start.await();
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    if (0 == PaycoreMain.execute("clients", "add", "--file", file.toString(), "--client-id", "7",
                        "--secret", "the-same-client-twice", "--iterations", "1"))
                    {
                        added.incrementAndGet();
                    }
                });
                operators[i].start();
            }
            for (final Thread operator : operators)
            {
                operator.join();
            }

            // The file must still load (serve reads it at start), listing the client once.
            assertEquals(1, ClientCredentials.load(file).size(), console.err());
            assertEquals(1, added.get(), console.err());
        }
    }
}
