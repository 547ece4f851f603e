package io.paycore.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.paycore.journal.FlushLevel;
import io.paycore.journal.Journal;
import io.paycore.journal.JournalContext;
import io.paycore.journal.JournalReader;
import io.paycore.journal.RecordDescriptor;
import io.paycore.journal.RecordHandler;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Journal throughput. Every score is in operations per second and one operation is one record, so:
 * <ul>
 *     <li>{@code append} (params {@code payloadLength}, {@code flushLevel}, {@code preallocate}): records appended
 *     per second. At {@code BATCH}, {@link Journal#flush()} is called after every {@value #BATCH_SIZE} records
 *     (group commit), so the score includes one force per {@value #BATCH_SIZE} records. With
 *     {@code preallocate=true} (the journal's default) the next segment is zero-filled and page-faulted on the
 *     journal's background thread; {@code -p preallocate=false} makes the appending thread do it at each roll.</li>
 *     <li>{@code rawMappedWrite} (param {@code payloadLength}, {@code freshFiles}): the baseline, the same payload
 *     bytes copied back to back into a memory-mapped file with no framing, alignment or checksum. With
 *     {@code freshFiles=true} it manages files exactly as the journal does (a new {@value #SEGMENT_LENGTH}-byte
 *     file, zeros written for real, mapped, unmapped when full), so {@code append / rawMappedWrite(freshFiles=true)}
 *     is the cost of framing and checksums; with {@code freshFiles=false} it rewrites one already-faulted mapping,
 *     the bare memory bandwidth ceiling. With {@code frameSized=false} it copies exactly the payload bytes; with
 *     {@code frameSized=true} it copies as many bytes as the journal's frame for that payload (header, payload and
 *     padding), so the difference to {@code append} is framing logic and checksum alone, not bytes moved.</li>
 *     <li>{@code readVerify} (param {@code readPayloadLength}): records read and verified (length, sequence,
 *     chained CRC32C over the whole frame) per second by a {@link JournalReader}. Bytes per second =
 *     score &times; frame length, where frame length = {@link RecordDescriptor#alignedFrameLength(int)} =
 *     32-byte header + payload rounded up to 8: 160 bytes for a 128-byte payload, 544 bytes for 512. GB/s =
 *     score &times; frame length / 1e9.</li>
 * </ul>
 * Append throughput in bytes/s likewise = score &times; frame length (96, 160, 544 bytes for 64, 128, 512-byte
 * payloads); the raw baseline moves score &times; payload length bytes ({@code frameSized=false}) or score &times;
 * frame length ({@code frameSized=true}).
 * <p>
 * Files live in a temporary directory deleted in teardown; append and baseline states start a fresh directory
 * each iteration and delete the previous one, so disk use is bounded by one iteration's output.
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar JournalBenchmark -prof gc -f 1 -wi 3 -i 5}. The append and
 * raw scores depend heavily on the kernel's page-cache and page-fault costs and on other load: on a shared 2-core
 * machine compare scores from the same run only. The files go under {@code java.io.tmpdir}; to measure another file
 * system (tmpfs, say) pass it to the forks, keeping the class's own options:
 * {@code -jvmArgsAppend "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
 * --add-opens=java.base/java.util.zip=ALL-UNNAMED -Djava.io.tmpdir=/dev/shm"}. On a disk file system the kernel's
 * per-page work (allocating, zeroing and dirtying page-cache pages) is paid per byte written, so the frame's 32-byte
 * header costs its share of bytes; on tmpfs the same holds with less kernel work per page.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dsbe.enable.precedence.checks=false" })
public class JournalBenchmark
{
    static final int BATCH_SIZE = 100;
    static final int SEGMENT_LENGTH = 64 * 1024 * 1024;
    static final int READ_JOURNAL_BYTES = 256 * 1024 * 1024;
    static final int READ_BATCH = 100;

    /**
     * A fresh journal per iteration.
     */
    @State(Scope.Thread)
    public static class AppendState
    {
        @Param({ "64", "128", "512" })
        int payloadLength;

        @Param({ "NONE", "BATCH" })
        FlushLevel flushLevel;

        @Param({ "true" })
        boolean preallocate;

        Path dir;
        Journal journal;
        UnsafeBuffer payload;
        long timestampNanos;
        int inBatch;

        @Setup(Level.Iteration)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("journal-bench-append");
            journal = Journal.open(new JournalContext()
                .directory(dir)
                .segmentLength(SEGMENT_LENGTH)
                .maxRecordLength(4096)
                .flushLevel(flushLevel)
                .preallocate(preallocate));
            payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadLength));
            for (int i = 0; i < payloadLength; i++)
            {
                payload.putByte(i, (byte)i);
            }
            inBatch = 0;
        }

        @TearDown(Level.Iteration)
        public void tearDown()
        {
            journal.close();
            delete(dir);
        }
    }

    /**
     * The baseline: payload bytes into a mapped file, no framing or checksum.
     */
    @State(Scope.Thread)
    public static class RawState
    {
        @Param({ "64", "128", "512" })
        int payloadLength;

        @Param({ "true", "false" })
        boolean freshFiles;

        @Param({ "false", "true" })
        boolean frameSized;

        int writeLength;

        Path dir;
        UnsafeBuffer payload;
        final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        final ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        MappedByteBuffer mapped;
        int position;
        long fileCount;

        @Setup(Level.Iteration)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("journal-bench-raw");
            writeLength = frameSized ? RecordDescriptor.alignedFrameLength(payloadLength) : payloadLength;
            payload = new UnsafeBuffer(ByteBuffer.allocateDirect(writeLength));
            for (int i = 0; i < writeLength; i++)
            {
                payload.putByte(i, (byte)i);
            }
            nextFile();
            if (!freshFiles)
            {
                for (int i = 0; i < SEGMENT_LENGTH; i += 4096)
                {
                    buffer.putByte(i, (byte)0);
                }
            }
        }

        void roll()
        {
            if (freshFiles)
            {
                nextFile();
            }
            position = 0;
        }

        void nextFile()
        {
            if (null != mapped)
            {
                buffer.wrap(0, 0);
                IoUtil.unmap(mapped);
            }
            final Path file = dir.resolve(Long.toString(fileCount++));
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                long at = 0;
                while (at < SEGMENT_LENGTH)
                {
                    zeros.clear().limit((int)Math.min(zeros.capacity(), SEGMENT_LENGTH - at));
                    while (zeros.hasRemaining())
                    {
                        at += channel.write(zeros, at);
                    }
                }
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, SEGMENT_LENGTH);
                mapped.order(ByteOrder.LITTLE_ENDIAN);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
            buffer.wrap(mapped);
            position = 0;
        }

        @TearDown(Level.Iteration)
        public void tearDown()
        {
            buffer.wrap(0, 0);
            IoUtil.unmap(mapped);
            mapped = null;
            delete(dir);
        }
    }

    /**
     * A journal written once per trial, read over and over.
     */
    @State(Scope.Thread)
    public static class ReadState implements RecordHandler
    {
        @Param({ "128", "512" })
        int readPayloadLength;

        Path dir;
        JournalReader reader;
        Blackhole blackhole;

        @Setup(Level.Trial)
        public void setUp(final Blackhole blackhole) throws IOException
        {
            this.blackhole = blackhole;
            dir = Files.createTempDirectory("journal-bench-read");
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(readPayloadLength));
            final int records = READ_JOURNAL_BYTES / RecordDescriptor.alignedFrameLength(readPayloadLength);
            try (Journal journal = Journal.open(new JournalContext()
                .directory(dir)
                .segmentLength(SEGMENT_LENGTH)
                .maxRecordLength(4096)
                .flushLevel(FlushLevel.NONE)))
            {
                for (int i = 0; i < records; i++)
                {
                    payload.putLong(0, i);
                    journal.append(i & 7, i, payload, 0, readPayloadLength);
                }
            }
            reader = JournalReader.open(dir, 1);
        }

        int read(final int count)
        {
            int delivered = 0;
            while (delivered < count)
            {
                final int polled = reader.poll(this, count - delivered);
                if (0 == polled)
                {
                    reader.close();
                    reader = JournalReader.open(dir, 1);
                }
                delivered += polled;
            }

            return delivered;
        }

        public void onRecord(
            final int type,
            final long sequence,
            final long timestampNanos,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            blackhole.consume(buffer.getLong(offset));
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            reader.close();
            delete(dir);
        }
    }

    /**
     * One record appended; at BATCH a flush every {@value #BATCH_SIZE} records.
     *
     * @param state journal and payload.
     * @return the sequence.
     */
    @Benchmark
    public long append(final AppendState state)
    {
        final long sequence = state.journal.append(
            1, state.timestampNanos++, state.payload, 0, state.payloadLength);
        if (FlushLevel.BATCH == state.flushLevel && ++state.inBatch == BATCH_SIZE)
        {
            state.inBatch = 0;
            state.journal.flush();
        }

        return sequence;
    }

    /**
     * The payload copied into a mapped file with no framing or checksum.
     *
     * @param state mapping and payload.
     * @return the position written.
     */
    @Benchmark
    public int rawMappedWrite(final RawState state)
    {
        final int length = state.writeLength;
        if (state.position + length > SEGMENT_LENGTH)
        {
            state.roll();
        }
        final int position = state.position;
        state.buffer.putBytes(position, state.payload, 0, length);
        state.position = position + length;

        return position;
    }

    /**
     * {@value #READ_BATCH} records read and verified per invocation.
     *
     * @param state reader.
     * @return records delivered.
     */
    @Benchmark
    @OperationsPerInvocation(READ_BATCH)
    public int readVerify(final ReadState state)
    {
        return state.read(READ_BATCH);
    }

    static void delete(final Path dir)
    {
        if (null == dir)
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
}
