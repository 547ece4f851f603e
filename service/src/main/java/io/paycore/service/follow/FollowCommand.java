package io.paycore.service.follow;

import io.paycore.replay.replication.ReplicationContext;
import io.paycore.service.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code paycore follow --primary CHANNEL --data DIR [serve options]}: run a hot standby. It recovers its data
 * directory like {@code serve}, tells the primary its last sequence and checksum, is streamed what it misses from the
 * primary's journal and then the live records; it verifies the checksum chain of each, journals it, applies it to
 * its ledger and acknowledges its durable sequence. Its own clients (same credentials, same options as serve) may
 * look up accounts and transfers; writes are refused {@code Rejected(READ_ONLY)}. If its journal diverges from the
 * primary's it stops, exit status 5. {@code paycore promote --data DIR} turns it into the primary.
 */
@Command(
    name = "follow",
    header = "Run a read-only hot standby that keeps in step with a primary.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Run a hot standby of a primary started with 'paycore serve --replicate-to CHANNEL': recover DIR, catch up",
        "from the primary's journal, then follow its live records (verified, journaled, applied, acknowledged).",
        "Clients may look up (read-only); writes are refused with Rejected(READ_ONLY).",
        "'paycore promote --data DIR' makes it the primary. Every option of 'paycore serve' applies as well",
        "(--data DIR is required; --channel/--stream are where this standby's own clients connect).",
        ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "143:clean shutdown after SIGTERM (130 after SIGINT)",
        "2:usage or configuration error",
        "3:the journal is damaged (not a torn tail): refused to start",
        "4:the data directory is in use, or another start-up check failed",
        "5:stopped following: this standby's journal diverged from the primary's"
    })
public final class FollowCommand implements Callable<Integer>
{
    @Option(names = "--primary", paramLabel = "CHANNEL", required = true,
        description = "The primary's replication control channel (its --replication-control), where this standby " +
            "sends its hellos and acknowledgements, e.g. aeron:udp?endpoint=PRIMARY:40126. Required.")
    private String primary;

    @Option(names = "--listen", paramLabel = "CHANNEL", defaultValue = ReplicationContext.RECORDS_CHANNEL_DEFAULT,
        description = "The channel this standby receives records on: the primary's --replicate-to " +
            "(default: ${DEFAULT-VALUE}).")
    private String listen;

    @CommandLine.Unmatched
    private List<String> serveOptions = new ArrayList<>();

    /**
     * Follow until a shutdown signal, promotion notwithstanding (a promoted standby serves as the primary).
     *
     * @return the exit status.
     */
    public Integer call()
    {
        final ServeCommand serve = new ServeCommand().follow(new ReplicationContext()
            .controlChannel(primary)
            .recordsChannel(listen));
        final CommandLine commandLine = new CommandLine(serve).setCommandName("follow");
        return commandLine.execute(serveOptions.toArray(new String[0]));
    }
}
