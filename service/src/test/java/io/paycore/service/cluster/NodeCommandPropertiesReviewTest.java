package io.paycore.service.cluster;

import io.paycore.replay.SnapshotTaker;
import io.paycore.service.serve.ServiceContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code paycore node} takes the system properties the README's Limits table names for its options as their
 * defaults, as {@code serve} does.
 */
class NodeCommandPropertiesReviewTest
{
    /**
     * The table gives {@code --snapshot-rate} / {@code paycore.snapshot.write.rate} "({@code serve} and
     * {@code node})" and {@code --cold-tier-size} / {@code paycore.cold.tier.size.bytes}; but node's options had
     * fixed defaults ({@code 32m}, {@code 256g}) handed to {@link ClusterNodeContext} always, so
     * {@code -Dpaycore.snapshot.write.rate=64m} or {@code -Dpaycore.cold.tier.size.bytes=0} was silently ignored.
     */
    @Test
    void shouldTakeTheDocumentedSystemPropertiesAsItsDefaults()
    {
        final String[][] properties = {
            { SnapshotTaker.WRITE_RATE_PROP_NAME, "64m", "--snapshot-rate", "67108864" },
            { ServiceContext.COLD_TIER_SIZE_PROP_NAME, "0", "--cold-tier-size", "0" },
        };
        for (final String[] property : properties)
        {
            final String before = System.getProperty(property[0]);
            System.setProperty(property[0], property[1]);
            try
            {
                final CommandLine node = new CommandLine(new NodeCommand());
                node.parseArgs("--id", "0", "--members", "localhost:26480", "--data", "unused");
                assertEquals(Long.parseLong(property[3]),
                    (Long)node.getCommandSpec().findOption(property[2]).getValue(),
                    "-D" + property[0] + "=" + property[1] + " ignored by " + property[2]);
            }
            finally
            {
                if (null == before)
                {
                    System.clearProperty(property[0]);
                }
                else
                {
                    System.setProperty(property[0], before);
                }
            }
        }
    }
}
