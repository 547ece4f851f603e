package io.paycore.service.cli;

import java.nio.file.Path;

import io.paycore.replay.feed.ChangeFeedContext;
import picocli.CommandLine.Option;

/**
 * The cold tier of a replay that follows the service's journal (feed, feed-server, query-server): the ledger keeps
 * {@code --hot-transfers} transfers in memory and the rest in a temporary tier, as serve does.
 */
public final class ReplayColdTierOptions
{
    @Option(names = "--cold-tier-size", paramLabel = "BYTES", defaultValue = "256g",
        converter = LongByteSizeConverter.class,
        description = "The replay keeps --hot-transfers transfers in memory and the rest in a temporary cold tier " +
            "of at most this many bytes (a sparse file: only what is written takes disk), deleted at the end, as " +
            "serve does; 0 keeps every transfer in memory (default: ${DEFAULT-VALUE}).")
    private long coldTierSizeBytes;

    @Option(names = "--cold-tier-dir", paramLabel = "DIR",
        description = "Where the temporary cold tier is made (default: the system's temporary directory).")
    private Path coldTierParent;

    /**
     * @return the temporary cold tier's size bound; 0 for none.
     */
    public long sizeBytes()
    {
        return coldTierSizeBytes;
    }

    /**
     * @return where the temporary cold tier is made, or null for the system's temporary directory.
     */
    public Path parent()
    {
        return coldTierParent;
    }

    /**
     * Apply the options to a replay's context.
     *
     * @param context to apply them to.
     * @return context.
     */
    public ChangeFeedContext applyTo(final ChangeFeedContext context)
    {
        return context.coldTierSizeBytes(coldTierSizeBytes).coldTierParent(coldTierParent);
    }
}
