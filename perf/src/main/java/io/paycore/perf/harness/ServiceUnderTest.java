package io.paycore.perf.harness;

import io.paycore.transport.client.ClientContext;

/**
 * A paycore service the benchmark drives: started in this process by the {@code bench} command, or one already
 * running that it connects to. Closing stops a service this process started and does nothing to one it connected to.
 */
public interface ServiceUnderTest extends AutoCloseable
{
    /**
     * @return a fresh client context for the load generator's client: Aeron directory, credentials and channels.
     */
    ClientContext clientContext();

    /**
     * @return true when the service runs in this process, so its threads can be pinned and reported.
     */
    boolean isInProcess();

    /**
     * @return the Aeron directory of the service's media driver, or null if not known.
     */
    String aeronDirectoryName();

    /**
     * @return one line describing the service, for the report.
     */
    String describe();

    /**
     * Stop the service if this process started it.
     */
    void close();
}
