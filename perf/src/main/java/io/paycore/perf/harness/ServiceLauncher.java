package io.paycore.perf.harness;

import io.paycore.service.pinning.ThreadPinning;

/**
 * Starts the paycore service for a benchmark, in this process or otherwise.
 */
@FunctionalInterface
public interface ServiceLauncher
{
    /**
     * Start a service configured for the benchmark: its channel, flush level and profile, room in the ledger for
     * every transfer the benchmark sends, and credentials for one client.
     *
     * @param settings the benchmark's settings.
     * @param pinning  pins the service's threads by the benchmark's plan as they start, and collects the lines.
     * @return the running service.
     * @throws IllegalArgumentException when the service refuses a setting (for example the dedicated profile on
     *                                  too few cores), naming it.
     */
    ServiceUnderTest launch(BenchSettings settings, ThreadPinning pinning);
}
