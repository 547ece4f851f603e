package io.paycore.service.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * The {@code --channel ipc|udp} of the commands that run a client and the service on this machine ({@code demo},
 * {@code bench latency}, {@code bench throughput}): the Aeron medium between them. {@code serve} takes a full Aeron
 * channel instead, since its clients may be anywhere.
 */
public final class LocalChannelOption
{
    /**
     * The Aeron media a local run can use.
     */
    public enum Medium
    {
        /** Aeron IPC: shared memory, no network stack. */
        IPC,
        /** Aeron UDP on localhost. */
        UDP
    }

    @Option(names = "--channel", paramLabel = "ipc|udp", defaultValue = "ipc", converter = MediumConverter.class,
        description = "Aeron medium between the client (or load generator) and the service on this machine: ipc, " +
            "or udp on localhost (default: ${DEFAULT-VALUE}).")
    private Medium medium = Medium.IPC;

    /**
     * @return true for UDP on localhost, false for IPC.
     */
    public boolean isUdp()
    {
        return Medium.UDP == medium;
    }

    /**
     * @return {@code ipc} or {@code udp}, as the option is written.
     */
    public String label()
    {
        return medium.name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code ipc} or {@code udp}, any case, to a {@link Medium}.
     */
    public static final class MediumConverter implements ITypeConverter<Medium>
    {
        /**
         * {@inheritDoc}
         */
        public Medium convert(final String value)
        {
            switch (value.toLowerCase(Locale.ROOT))
            {
                case "ipc":
                    return Medium.IPC;
                case "udp":
                    return Medium.UDP;
                default:
                    throw new TypeConversionException("must be ipc or udp: '" + value + "'");
            }
        }
    }
}
