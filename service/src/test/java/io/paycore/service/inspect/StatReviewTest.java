package io.paycore.service.inspect;

import io.aeron.CncFileDescriptor;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.PaycoreMarkFile;
import io.paycore.service.ConsoleCapture;
import io.paycore.service.PaycoreMain;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review of {@code paycore stat}, 2026-12-07: each test failed before its fix.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StatReviewTest
{
    @TempDir
    Path temp;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private Path data;
    private Path cncFile;

    @BeforeEach
    void markFile() throws Exception
    {
        data = temp.resolve("data");
        final Path markFile = new DataDirectory(data).markFile();
        Files.createDirectories(data.resolve("aeron"));
        try (FileChannel channel = FileChannel.open(markFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            PaycoreMarkFile.create(markFile, channel, PaycoreMarkFile.ERROR_LOG_LENGTH_MIN_BYTES, "review",
                SystemEpochClock.INSTANCE).close();
        }
        cncFile = data.resolve("aeron").resolve(CncFileDescriptor.CNC_FILE);
    }

    @Test
    void shouldSayInOneLineThatAnEmptyCountersFileIsNotOne() throws Exception
    {
        // A driver that died creating its file on a full disk.
        Files.write(cncFile, new byte[0]);

        assertEquals(StatCommand.EXIT_FAILED, PaycoreMain.execute("stat", "--data", data.toString()));

        assertEquals("paycore stat: " + cncFile + " is not a media driver counters file: too short\n", console.err());
    }

    @Test
    void shouldSayInOneLineThatACountersFileIsCutShort() throws Exception
    {
        // A whole header describing 1 MiB of buffers, in a file of 4 KiB.
        final int length = 4096;
        final UnsafeBuffer file = new UnsafeBuffer(new byte[length]);
        final UnsafeBuffer metaData = new UnsafeBuffer(file, 0, CncFileDescriptor.META_DATA_LENGTH);
        CncFileDescriptor.fillMetaData(metaData, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 10_000_000_000L, 1 << 20,
            System.currentTimeMillis(), 42, 4096);
        CncFileDescriptor.signalCncReady(metaData);
        Files.write(cncFile, file.byteArray());

        assertEquals(StatCommand.EXIT_FAILED, PaycoreMain.execute("stat", "--data", data.toString()));

        assertEquals("paycore stat: " + cncFile + " is cut short: 4096 bytes, fewer than the buffers its header " +
            "describes\n", console.err());
    }
}
