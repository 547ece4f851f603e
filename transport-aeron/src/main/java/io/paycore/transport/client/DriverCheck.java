package io.paycore.transport.client;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.aeron.CommonContext;

/**
 * Waits for a media driver before an Aeron client connects to it: Aeron's own connect waits its driver timeout
 * (10 s) for one, whatever the client's connect timeout, and then throws its own exception.
 */
public final class DriverCheck
{
    private DriverCheck()
    {
    }

    /**
     * @param aeronDirectoryName where the driver should run.
     * @param deadlineNanos      until when to wait ({@link System#nanoTime()}).
     * @return true once a driver runs there, false if none did by the deadline.
     */
    public static boolean await(final String aeronDirectoryName, final long deadlineNanos)
    {
        final File directory = new File(aeronDirectoryName);
        while (!isDriverActive(directory))
        {
            if (System.nanoTime() - deadlineNanos > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    /**
     * @param directory an Aeron directory.
     * @return true if a media driver's heartbeat there is within Aeron's driver timeout; a CnC file half made (a
     * driver killed as it started) or of another Aeron version is no running driver.
     */
    public static boolean isDriverActive(final File directory)
    {
        try
        {
            // Aeron's own test: a CnC file whose driver heartbeat is within Aeron's driver timeout.
            return CommonContext.isDriverActive(directory, CommonContext.DRIVER_TIMEOUT_MS, (message) -> {});
        }
        catch (final RuntimeException ex)
        {
            return false; // a CnC file being created or from another version: not a driver to use
        }
    }
}
