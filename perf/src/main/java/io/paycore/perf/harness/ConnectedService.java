package io.paycore.perf.harness;

import io.paycore.transport.client.ClientContext;

/**
 * A service that is already running, reached with {@code --connect}: the benchmark only connects a client to it.
 */
public final class ConnectedService implements ServiceUnderTest
{
    private final BenchSettings settings;

    /**
     * @param settings with the Aeron directory, client id and secret of the running service.
     */
    public ConnectedService(final BenchSettings settings)
    {
        if (null == settings.aeronDirectory() || 0 >= settings.clientId() || null == settings.secret())
        {
            throw new IllegalArgumentException("--connect needs --aeron-dir (the service's, printed in its ready " +
                "line), --client-id and --secret of a client in its credentials file");
        }
        this.settings = settings;
    }

    /**
     * {@inheritDoc}
     */
    public ClientContext clientContext()
    {
        final BenchChannels channels = settings.channels();
        return new ClientContext()
            .aeronDirectoryName(settings.aeronDirectory())
            .clientId(settings.clientId())
            .secret(settings.secret())
            .ingressChannel(null != settings.connectChannel() ? settings.connectChannel() : channels.ingressChannel())
            .ingressStreamId(channels.ingressStreamId())
            .responseChannel(channels.responseChannel())
            .responseStreamId(channels.responseStreamId());
    }

    /**
     * {@inheritDoc}
     */
    public boolean isInProcess()
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    public String aeronDirectoryName()
    {
        return settings.aeronDirectory();
    }

    /**
     * {@inheritDoc}
     */
    public String describe()
    {
        return "running service (--connect), Aeron directory " + settings.aeronDirectory();
    }

    /**
     * Nothing to stop: the service is not this process's.
     */
    public void close()
    {
    }
}
