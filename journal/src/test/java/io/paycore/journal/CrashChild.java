package io.paycore.journal;

import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Child process for {@link CrashTest}: appends records whose content is a function of the sequence, forever,
 * printing each durable sequence as it becomes durable, until killed.
 * Arguments: directory, flush level, max payload length, seed.
 */
final class CrashChild
{
    private CrashChild()
    {
    }

    public static void main(final String[] args)
    {
        final FlushLevel level = FlushLevel.parse(args[1]);
        final int maxLength = Integer.parseInt(args[2]);
        final Random random = new Random(Long.parseLong(args[3]));
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(maxLength + 64));
        try (Journal journal = Journal.open(TestJournals.context(Paths.get(args[0]), level).maxRecordLength(maxLength)))
        {
            System.out.println("opened " + journal.lastSequence());
            System.out.flush();
            while (true)
            {
                final int batch = FlushLevel.BATCH == level ? 1 + random.nextInt(50) : 1;
                for (int i = 0; i < batch; i++)
                {
                    TestJournals.appendExpected(journal, scratch, maxLength);
                }
                journal.flush();
                System.out.println(journal.durableSequence());
                System.out.flush();
            }
        }
    }
}
