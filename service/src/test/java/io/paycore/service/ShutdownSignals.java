package io.paycore.service;

import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * A SIGTERM delivered in the test's JVM as the JVM's shutdown hook delivers it to the commands, without ending the
 * JVM: every {@link ShutdownSignalBarrier} there is, signalled.
 */
public final class ShutdownSignals
{
    private ShutdownSignals()
    {
    }

    /**
     * Signal every barrier there is.
     */
    public static void deliver()
    {
        try (ShutdownSignalBarrier any = new ShutdownSignalBarrier())
        {
            any.signalAll();
        }
    }
}
