package io.paycore.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Shared helpers: payloads that are a function of the sequence, so any record can be checked on its own.
 */
final class TestJournals
{
    static final int MIN_SEGMENT = JournalContext.SEGMENT_LENGTH_MIN;

    private TestJournals()
    {
    }

    static JournalContext context(final Path dir, final FlushLevel level)
    {
        return new JournalContext().directory(dir).segmentLength(MIN_SEGMENT).maxRecordLength(4096).flushLevel(level);
    }

    static int payloadLength(final long sequence, final int maxLength)
    {
        return (int)((sequence * 7919L) % (maxLength + 1));
    }

    static int type(final long sequence)
    {
        return (int)(sequence % 13);
    }

    static long timestamp(final long sequence)
    {
        return sequence * 1_000L + 7;
    }

    static void fillPayload(final UnsafeBuffer buffer, final long sequence, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, payloadByte(sequence, i));
        }
    }

    static byte payloadByte(final long sequence, final int index)
    {
        return (byte)(sequence * 31 + index * 17 + 1);
    }

    static long appendExpected(final Journal journal, final UnsafeBuffer scratch, final int maxLength)
    {
        final long sequence = journal.lastSequence() + 1;
        final int length = payloadLength(sequence, maxLength);
        fillPayload(scratch, sequence, length);
        final long appended = journal.append(type(sequence), timestamp(sequence), scratch, 0, length);
        if (appended != sequence)
        {
            throw new AssertionError("append returned " + appended + ", expected " + sequence);
        }

        return appended;
    }

    /**
     * A handler that checks each record against the expected function and counts.
     */
    static final class Checker implements RecordHandler
    {
        final int maxLength;
        long expected;
        long count;

        Checker(final long firstSequence, final int maxLength)
        {
            this.expected = firstSequence;
            this.maxLength = maxLength;
        }

        public void onRecord(
            final int type,
            final long sequence,
            final long timestampNanos,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            if (sequence != expected)
            {
                throw new AssertionError("sequence " + sequence + ", expected " + expected);
            }
            if (type != type(sequence) || timestampNanos != timestamp(sequence) ||
                length != payloadLength(sequence, maxLength))
            {
                throw new AssertionError("header mismatch at sequence " + sequence);
            }
            for (int i = 0; i < length; i++)
            {
                if (buffer.getByte(offset + i) != payloadByte(sequence, i))
                {
                    throw new AssertionError("payload mismatch at sequence " + sequence + " byte " + i);
                }
            }
            expected++;
            count++;
        }
    }

    /**
     * Read and check every record from a sequence to the current end.
     *
     * @return number of records read.
     */
    static long readAll(final Path dir, final long from, final int maxLength)
    {
        final Checker checker = new Checker(from, maxLength);
        try (JournalReader reader = JournalReader.open(dir, from))
        {
            while (reader.poll(checker, 1000) > 0)
            {
                // drain
            }
        }

        return checker.count;
    }

    static Path[] segments(final Path dir) throws IOException
    {
        return Segments.list(dir);
    }

    static byte[] read(final Path file) throws IOException
    {
        return Files.readAllBytes(file);
    }

    static void write(final Path file, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long at = 0;
            while (buffer.hasRemaining())
            {
                at += channel.write(buffer, at);
            }
        }
    }

    /**
     * Offsets of the records in a segment image, verified structurally by length only.
     */
    static List<int[]> recordExtents(final byte[] segment)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(segment).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final List<int[]> extents = new ArrayList<>();
        int offset = SegmentDescriptor.HEADER_LENGTH;
        while (offset + 4 <= segment.length)
        {
            final int frameLength = buffer.getInt(offset);
            if (frameLength <= 0)
            {
                break;
            }
            final int aligned = RecordDescriptor.align(frameLength);
            extents.add(new int[]{ offset, aligned });
            offset += aligned;
        }

        return extents;
    }

    static void deleteRecursively(final Path dir)
    {
        if (null == dir || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Run a command of the system (mount, mkfs, cp), waiting up to {@code timeoutSeconds}.
     *
     * @return null on success, otherwise the command's exit code and output.
     */
    static String runCommand(final long timeoutSeconds, final String... command) throws Exception
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
        final String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return "timed out";
        }

        return 0 == process.exitValue() ? null : "exit " + process.exitValue() + ": " + output;
    }

    /**
     * Start a child JVM on this test's class path running {@code mainClass} (compiled by C1 only, so it starts
     * quickly), its standard error joined to this one's.
     */
    static Process startChild(final Class<?> mainClass, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.zip=ALL-UNNAMED");
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));

        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
