package io.paycore.perf.harness;

import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.service.pinning.CpuPlan;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Settings of a {@code paycore bench} run, with the defaults of its command line. Not thread safe; fill in, then
 * run.
 */
public final class BenchSettings
{
    /** Default rate: 100,000 messages per second. */
    public static final long RATE_DEFAULT = 100_000;
    /** Default events per message. */
    public static final int BATCH_DEFAULT = 1;
    /** Default warm-up, seconds. */
    public static final int WARMUP_SECONDS_DEFAULT = 5;
    /** Default measurement, seconds. */
    public static final int DURATION_SECONDS_DEFAULT = 20;
    /** Default accounts the transfers move money between. */
    public static final int ACCOUNTS_DEFAULT = 10_000;
    /** Default longest wait for the last answers, seconds. */
    public static final int DRAIN_SECONDS_DEFAULT = 10;
    /** The bound on paycore's p99 over the baseline's. */
    public static final double P99_RATIO_TARGET = 3.0;
    /** The bound on paycore's p99.99 over the baseline's. */
    public static final double P9999_RATIO_TARGET = 10.0;

    private long ratePerSecond = RATE_DEFAULT;
    private int batch = BATCH_DEFAULT;
    private int warmupSeconds = WARMUP_SECONDS_DEFAULT;
    private int durationSeconds = DURATION_SECONDS_DEFAULT;
    private int accounts = ACCOUNTS_DEFAULT;
    private int drainSeconds = DRAIN_SECONDS_DEFAULT;
    private BenchChannels channels = BenchChannels.parse("ipc");
    private FlushLevel flushLevel = FlushLevel.NONE;
    private ThreadingProfile profile = ThreadingProfile.SHARED;
    private CpuPlan cpuPlan = CpuPlan.NONE;
    private String idleStrategy;
    private StageLayout layout;
    private Path outDirectory;
    private boolean connect;
    private String aeronDirectory;
    private String connectChannel;
    private long clientId;
    private String secret;
    private long seed = 42;
    private boolean progress;
    private long snapshotEveryRecords;
    private int hotTransfers;
    private long historyTransfers;

    /**
     * Check the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the one that is wrong.
     */
    public BenchSettings validate()
    {
        if (ratePerSecond < 1 || ratePerSecond > 10_000_000)
        {
            throw new IllegalArgumentException("--rate must be 1..10,000,000 msg/s: " + ratePerSecond);
        }
        if (batch < 1 || batch > 1024)
        {
            throw new IllegalArgumentException("--batch must be 1..1024 events: " + batch);
        }
        if (warmupSeconds < 0 || warmupSeconds > 3600)
        {
            throw new IllegalArgumentException("--warmup must be 0..3600 s: " + warmupSeconds);
        }
        if (hotTransfers < 0)
        {
            throw new IllegalArgumentException("--hot-transfers must be 0 (none) or positive: " + hotTransfers);
        }
        if (durationSeconds < 1 || durationSeconds > 3600)
        {
            throw new IllegalArgumentException("--duration must be 1..3600 s: " + durationSeconds);
        }
        if (accounts < 2 || accounts > 1_000_000)
        {
            throw new IllegalArgumentException("--accounts must be 2..1,000,000: " + accounts);
        }
        return this;
    }

    /**
     * Transfers a run offers, warm-up included, so the ledger can be sized to retain them all.
     *
     * @return the count.
     */
    public long transfersOffered()
    {
        return ratePerSecond * batch * (warmupSeconds + durationSeconds + 1L);
    }

    /**
     * @return one line naming the workload and configuration.
     */
    public String describe()
    {
        // A running service (--connect) has its own flush level and profile, which the bench does not know.
        return String.format(Locale.ROOT, "%,d msg/s x %d transfer(s), %s, %s%s, %d s warm-up + %d s",
            ratePerSecond, batch, channels.name(), connect ? "flush and profile the connected service's" :
            "flush " + flushLevel.name().toLowerCase(Locale.ROOT) + ", profile " +
            profile.name().toLowerCase(Locale.ROOT), (null == idleStrategy ? "" : ", idle " + idleStrategy) +
            (null == layout ? "" : ", layout " + layout.label()),
            warmupSeconds, durationSeconds);
    }

    /** @param ratePerSecond messages per second. @return this. */
    public BenchSettings ratePerSecond(final long ratePerSecond)
    {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    /** @return messages per second. */
    public long ratePerSecond()
    {
        return ratePerSecond;
    }

    /** @param batch transfers per message. @return this. */
    public BenchSettings batch(final int batch)
    {
        this.batch = batch;
        return this;
    }

    /** @return transfers per message. */
    public int batch()
    {
        return batch;
    }

    /** @param warmupSeconds warm-up. @return this. */
    public BenchSettings warmupSeconds(final int warmupSeconds)
    {
        this.warmupSeconds = warmupSeconds;
        return this;
    }

    /** @return warm-up, seconds. */
    public int warmupSeconds()
    {
        return warmupSeconds;
    }

    /** @param durationSeconds measurement. @return this. */
    public BenchSettings durationSeconds(final int durationSeconds)
    {
        this.durationSeconds = durationSeconds;
        return this;
    }

    /** @return measurement, seconds. */
    public int durationSeconds()
    {
        return durationSeconds;
    }

    /** @param accounts accounts the transfers move money between. @return this. */
    public BenchSettings accounts(final int accounts)
    {
        this.accounts = accounts;
        return this;
    }

    /** @return accounts the transfers move money between. */
    public int accounts()
    {
        return accounts;
    }

    /** @param drainSeconds longest wait for the last answers. @return this. */
    public BenchSettings drainSeconds(final int drainSeconds)
    {
        this.drainSeconds = drainSeconds;
        return this;
    }

    /** @return longest wait for the last answers, seconds. */
    public int drainSeconds()
    {
        return drainSeconds;
    }

    /** @param channels ipc or udp. @return this. */
    public BenchSettings channels(final BenchChannels channels)
    {
        this.channels = channels;
        return this;
    }

    /** @return the channels. */
    public BenchChannels channels()
    {
        return channels;
    }

    /** @param flushLevel journal flush level of a service started here. @return this. */
    public BenchSettings flushLevel(final FlushLevel flushLevel)
    {
        this.flushLevel = flushLevel;
        return this;
    }

    /** @return journal flush level. */
    public FlushLevel flushLevel()
    {
        return flushLevel;
    }

    /** @param profile threading profile of the service and the baseline. @return this. */
    public BenchSettings profile(final ThreadingProfile profile)
    {
        this.profile = profile;
        return this;
    }

    /** @return threading profile. */
    public ThreadingProfile profile()
    {
        return profile;
    }

    /**
     * @param idleStrategy the stage threads' idle strategy in a service started here, or null for the profile's
     *                     (sleeping for shared, busy-spin for dedicated).
     * @return this.
     */
    public BenchSettings idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return the stage threads' idle strategy, or null for the profile's. */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param layout the pipeline's stage layout in a service started here, or null for the service's default
     *               (inline in shared, split in dedicated).
     * @return this.
     */
    public BenchSettings layout(final StageLayout layout)
    {
        this.layout = layout;
        return this;
    }

    /** @return the pipeline's stage layout, or null for the service's default. */
    public StageLayout layout()
    {
        return layout;
    }

    /** @param cpuPlan which core each thread goes on. @return this. */
    public BenchSettings cpuPlan(final CpuPlan cpuPlan)
    {
        this.cpuPlan = cpuPlan;
        return this;
    }

    /** @return which core each thread goes on. */
    public CpuPlan cpuPlan()
    {
        return cpuPlan;
    }

    /** @param outDirectory where result files go, or null for none. @return this. */
    public BenchSettings outDirectory(final Path outDirectory)
    {
        this.outDirectory = outDirectory;
        return this;
    }

    /** @return where result files go, or null. */
    public Path outDirectory()
    {
        return outDirectory;
    }

    /** @param connect target a running service. @return this. */
    public BenchSettings connect(final boolean connect)
    {
        this.connect = connect;
        return this;
    }

    /** @return true to target a running service. */
    public boolean connect()
    {
        return connect;
    }

    /** @param aeronDirectory Aeron directory of a running service. @return this. */
    public BenchSettings aeronDirectory(final String aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    /** @return Aeron directory of a running service. */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    /** @param connectChannel ingress channel of a running service, or null for the --channel default. @return this. */
    public BenchSettings connectChannel(final String connectChannel)
    {
        this.connectChannel = connectChannel;
        return this;
    }

    /** @return ingress channel of a running service, or null. */
    public String connectChannel()
    {
        return connectChannel;
    }

    /** @param clientId client id for a running service. @return this. */
    public BenchSettings clientId(final long clientId)
    {
        this.clientId = clientId;
        return this;
    }

    /** @return client id for a running service. */
    public long clientId()
    {
        return clientId;
    }

    /** @param secret the client's secret for a running service. @return this. */
    public BenchSettings secret(final String secret)
    {
        this.secret = secret;
        return this;
    }

    /** @return the client's secret. */
    public String secret()
    {
        return secret;
    }

    /** @param seed seed of the random account pairs. @return this. */
    public BenchSettings seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    /** @return seed of the random account pairs. */
    public long seed()
    {
        return seed;
    }

    /** @param progress print a progress line once a second. @return this. */
    public BenchSettings progress(final boolean progress)
    {
        this.progress = progress;
        return this;
    }

    /** @return true to print a progress line. */
    public boolean progress()
    {
        return progress;
    }

    /** @param snapshotEveryRecords snapshot interval of a service started here; 0 for none. @return this. */
    public BenchSettings snapshotEveryRecords(final long snapshotEveryRecords)
    {
        this.snapshotEveryRecords = snapshotEveryRecords;
        return this;
    }

    /** @return snapshot interval of a service started here, 0 for none. */
    public long snapshotEveryRecords()
    {
        return snapshotEveryRecords;
    }

    /** @param hotTransfers hot window of a service started here; 0 to keep every transfer in memory. @return this. */
    public BenchSettings hotTransfers(final int hotTransfers)
    {
        this.hotTransfers = hotTransfers;
        return this;
    }

    /** @return hot window of a service started here, 0 for every transfer in memory. */
    public int hotTransfers()
    {
        return hotTransfers;
    }

    /** @param historyTransfers transfers sent to a service started here before the warm-up. @return this. */
    public BenchSettings historyTransfers(final long historyTransfers)
    {
        this.historyTransfers = historyTransfers;
        return this;
    }

    /** @return transfers sent to a service started here before the warm-up. */
    public long historyTransfers()
    {
        return historyTransfers;
    }
}
