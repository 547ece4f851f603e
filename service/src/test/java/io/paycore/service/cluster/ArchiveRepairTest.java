package io.paycore.service.cluster;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.checksum.Checksums;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member killed while its archive writes can leave a last fragment that straddles a page boundary, its second
 * page never written, which the archive cannot prove whole and will not start on. The state is made here as a crash
 * leaves it: an archive's directory copied while a recording is under way, without its mark file, and the page
 * after the boundary zeroed. {@link ClusterNode#repairTornTail} cuts that fragment off, keeps the recording and
 * everything before it, and the archive then starts. A whole fragment ending in zeros is proven whole by its
 * checksum and kept.
 */
class ArchiveRepairTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int STREAM_ID = 1001;
    /** 32-byte header + 1,000 bytes = 1,056-byte frames at 0, 1,056, 2,112 and 3,168: the fourth crosses 4,096. */
    private static final int MESSAGE_LENGTH = 1_000;
    private static final long TORN_FRAGMENT_START = 3_168;
    private static final long RECORDED_END = 4_224;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCutOffATornLastFragmentAndStart() throws Exception
    {
        final Path crashed = crashWhileRecording((byte)7);
        zero(findSegment(crashed), 4_096, (int)RECORDED_END);

        final ArchiveException refused = assertThrows(ArchiveException.class, () -> stopPositionAfterStart(crashed));
        assertTrue(refused.getMessage().contains("straddling page boundary"), refused.getMessage());

        ClusterNode.repairTornTail(crashed.toFile(), 0);

        assertEquals(TORN_FRAGMENT_START, stopPositionAfterStart(crashed), "the recording ends before the torn one");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldKeepAWholeLastFragmentEndingInZeros() throws Exception
    {
        final Path crashed = crashWhileRecording((byte)0);

        assertEquals(RECORDED_END, stopPositionAfterStart(crashed), "the checksum proves the last fragment whole");
    }

    private Path crashWhileRecording(final byte fill) throws Exception
    {
        final Path live = temp.resolve("live-archive");
        final Path crashed = temp.resolve("crashed-archive");
        ArchivingMediaDriver driver = null;
        AeronArchive archive = null;
        try
        {
            driver = ArchivingMediaDriver.launch(
                new MediaDriver.Context()
                    .aeronDirectoryName(temp.resolve("aeron").toString())
                    .threadingMode(ThreadingMode.SHARED)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true),
                archiveContext(live));
            archive = AeronArchive.connect(new AeronArchive.Context()
                .aeronDirectoryName(temp.resolve("aeron").toString())
                .controlRequestChannel("aeron:ipc")
                .controlResponseChannel("aeron:ipc"));
            final Aeron aeron = archive.context().aeron();
            final ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, STREAM_ID);
            archive.startRecording(CHANNEL, STREAM_ID, SourceLocation.LOCAL);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
            message.setMemory(0, MESSAGE_LENGTH, fill);
            for (int i = 0; i < 4; i++)
            {
                while (publication.offer(message, 0, MESSAGE_LENGTH) < 0)
                {
                    Thread.sleep(1);
                }
            }
            final long recordingId = awaitRecordingOf(archive);
            while (archive.getRecordingPosition(recordingId) < RECORDED_END)
            {
                Thread.sleep(1);
            }
            copyWithoutMarkFile(live, crashed);
        }
        finally
        {
            CloseHelper.quietCloseAll(archive, driver);
        }
        return crashed;
    }

    private static Archive.Context archiveContext(final Path directory)
    {
        return new Archive.Context()
            .archiveDir(directory.toFile())
            .controlChannel("aeron:udp?endpoint=localhost:0")
            .replicationChannel("aeron:udp?endpoint=localhost:0")
            .localControlChannel("aeron:ipc")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            // As ClusterNode records.
            .recordChecksum(Checksums.crc32c())
            .deleteArchiveOnStart(false);
    }

    /**
     * Start an archive on the directory and ask it where recording 0 stops.
     */
    private long stopPositionAfterStart(final Path archiveDirectory)
    {
        final String aeronDirectory = temp.resolve("aeron-again").toString();
        try (ArchivingMediaDriver ignored = ArchivingMediaDriver.launch(
            new MediaDriver.Context()
                .aeronDirectoryName(aeronDirectory)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true),
            archiveContext(archiveDirectory));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeronDirectoryName(aeronDirectory)
                .controlRequestChannel("aeron:ipc")
                .controlResponseChannel("aeron:ipc")))
        {
            return archive.getStopPosition(0);
        }
    }

    private static void zero(final Path file, final int from, final int to) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(to - from), from);
        }
    }

    private static long awaitRecordingOf(final AeronArchive archive) throws InterruptedException
    {
        final long[] found = {-1};
        while (found[0] < 0)
        {
            archive.listRecordingsForUri(0, 1, "ipc", STREAM_ID,
                (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                    stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
                    streamId, strippedChannel, originalChannel, sourceIdentity) -> found[0] = recordingId);
            Thread.sleep(1);
        }
        return found[0];
    }

    private static void copyWithoutMarkFile(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (!file.getFileName().toString().contains("mark"))
                {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }

    private static Path findSegment(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.toString().endsWith(".rec")).findFirst().orElseThrow();
        }
    }
}
