package io.paycore.perf.harness;

import java.util.Locale;

/**
 * The Aeron channels and streams of a benchmark: paycore's ingress and response, and the baseline echo's, on the
 * same medium (IPC, or UDP on localhost) but on their own ports and streams so the two never meet.
 */
public final class BenchChannels
{
    private final boolean udp;

    private BenchChannels(final boolean udp)
    {
        this.udp = udp;
    }

    /**
     * @param name {@code ipc} or {@code udp}.
     * @return the channels.
     * @throws IllegalArgumentException for any other name.
     */
    public static BenchChannels parse(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "ipc":
                return new BenchChannels(false);
            case "udp":
                return new BenchChannels(true);
            default:
                throw new IllegalArgumentException("channel must be ipc or udp: " + name);
        }
    }

    /** @return {@code ipc} or {@code udp}. */
    public String name()
    {
        return udp ? "udp" : "ipc";
    }

    /** @return true for UDP. */
    public boolean isUdp()
    {
        return udp;
    }

    /** @return channel clients send paycore requests to. */
    public String ingressChannel()
    {
        return udp ? "aeron:udp?endpoint=localhost:40123" : "aeron:ipc";
    }

    /** @return stream of paycore requests. */
    public int ingressStreamId()
    {
        return 1001;
    }

    /** @return channel paycore answers the load generator on. */
    public String responseChannel()
    {
        return udp ? "aeron:udp?endpoint=localhost:40124" : "aeron:ipc";
    }

    /** @return stream of paycore answers. */
    public int responseStreamId()
    {
        return 1002;
    }

    /** @return channel of the baseline's requests. */
    public String baselineIngressChannel()
    {
        return udp ? "aeron:udp?endpoint=localhost:40133" : "aeron:ipc";
    }

    /** @return stream of the baseline's requests. */
    public int baselineIngressStreamId()
    {
        return 2001;
    }

    /** @return channel of the baseline's echoes. */
    public String baselineResponseChannel()
    {
        return udp ? "aeron:udp?endpoint=localhost:40134" : "aeron:ipc";
    }

    /** @return stream of the baseline's echoes. */
    public int baselineResponseStreamId()
    {
        return 2002;
    }
}
