package io.paycore.service.feed;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The watermark a Kafka feed publisher last saved in its state directory ({@value #FILE_NAME}), with the id of the
 * topic it was acknowledged by. It only shortens what a restart re-sends: the watermark in the messages lags by what
 * was in flight when they were sent, the saved one does not (it is saved every second and at a clean stop). It
 * counts only for the same topic id, so a topic deleted and made again under the same name is published from the
 * start again (or from {@code --from}), never skipped.
 */
final class KafkaFeedProgress
{
    /** The file's name in a state directory. */
    static final String FILE_NAME = "progress";

    private final String topicId;
    private final long watermark;

    KafkaFeedProgress(final String topicId, final long watermark)
    {
        this.topicId = topicId;
        this.watermark = watermark;
    }

    String topicId()
    {
        return topicId;
    }

    long watermark()
    {
        return watermark;
    }

    /**
     * @param stateDirectory the publisher's.
     * @return what was saved, or null if nothing (or something unreadable) was.
     */
    static KafkaFeedProgress read(final Path stateDirectory)
    {
        final Path file = stateDirectory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return null;
        }
        try
        {
            String topicId = null;
            long watermark = -1;
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (final String line : lines)
            {
                if (line.startsWith("topic-id="))
                {
                    topicId = line.substring("topic-id=".length()).trim();
                }
                else if (line.startsWith("watermark="))
                {
                    watermark = Long.parseLong(line.substring("watermark=".length()).trim());
                }
            }
            return null == topicId || topicId.isEmpty() || watermark < 0 ? null :
                new KafkaFeedProgress(topicId, watermark);
        }
        catch (final IOException | NumberFormatException ex)
        {
            return null;
        }
    }

    /**
     * Save a watermark: written aside and forced, then renamed over the file, so a crash or a power cut leaves the old
     * or the new one.
     *
     * @param stateDirectory the publisher's.
     * @param topicId        the id of the topic that acknowledged every change through the watermark.
     * @param watermark      the timestamp through which every change was acknowledged.
     * @throws UncheckedIOException if it cannot be written.
     */
    static void write(final Path stateDirectory, final String topicId, final long watermark)
    {
        final Path file = stateDirectory.resolve(FILE_NAME);
        final Path aside = stateDirectory.resolve(FILE_NAME + ".tmp");
        try
        {
            // Forced before the rename, so that a power cut leaves the old watermark or the new one, never an empty
            // file under the name; a stream rather than a channel, which an interrupt of this thread would close.
            try (FileOutputStream stream = new FileOutputStream(aside.toFile()))
            {
                stream.write(("topic-id=" + topicId + "\nwatermark=" + watermark + "\n")
                    .getBytes(StandardCharsets.UTF_8));
                stream.getFD().sync();
            }
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot save the feed's progress to " + file + ": " + ex, ex);
        }
    }
}
